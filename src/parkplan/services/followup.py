"""Use cases of follow-up: the roadmap's actions with status, KPI progress per year against
the plan's targets, and news updates to the park's entrepreneurs.

Every change is audited (who, what, when, old and new value). Reading needs membership of
the park (the figures are park-level); changing needs
:func:`parkplan.domain.access.can_edit_park`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parkplan.domain.access import Principal, can_edit_park, can_view_park
from parkplan.domain.errors import NotFoundError, ParkplanError
from parkplan.plan.implementation_plan import PHASES
from parkplan.services.companies import AccessDeniedError
from parkplan.store import repository
from parkplan.store.followup import ActionRow, KpiValueRow, NewsRow

STATUSES: tuple[str, ...] = ("open", "busy", "done", "stopped")
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "open": ("nog niet gestart", "not started"),
    "busy": ("bezig", "in progress"),
    "done": ("klaar", "done"),
    "stopped": ("gestopt", "stopped"),
}
PHASE_LABELS: dict[str, tuple[str, str]] = {
    "preparation": ("Voorbereiding", "Preparation"),
    "feasibility": ("Haalbaarheid", "Feasibility"),
    "realisation": ("Realisatie", "Realisation"),
    "monitoring": ("Monitoring", "Monitoring"),
}
KPIS: dict[str, tuple[str, str, str]] = {
    # key: (Dutch, English, unit)
    "co2_t": ("CO₂-uitstoot van het park", "CO₂ emissions of the park", "ton"),
    "pv_mwh": ("Zonnestroom op het park", "Solar power on the park", "MWh"),
    "grid_peak_kw": ("Gelijktijdige piek op het net", "Coincident grid peak", "kW"),
    "companies_joined": ("Deelnemende bedrijven", "Participating companies", "-"),
    "energy_saved_mwh": ("Energiebesparing", "Energy saved", "MWh"),
}
YEARS = (2000, 2100)
"""Years accepted for KPI values."""


def _check(who: Principal, park_id: str, *, edit: bool = False) -> None:
    if not can_view_park(who, park_id) or (edit and not can_edit_park(who, park_id)):
        raise AccessDeniedError(
            "U heeft geen toegang tot de voortgang van dit park.",
            "You do not have access to this park's follow-up.",
        )


@dataclass(frozen=True)
class Action:
    """A roadmap action as shown."""

    id: int
    title: str
    phase: str
    owner: str | None
    due: date | None
    status: str
    updated_at: datetime | None


def list_actions(session: Session, who: Principal, park_id: str) -> list[Action]:
    """The park's roadmap actions, by phase and due date."""
    _check(who, park_id)
    rows = session.scalars(select(ActionRow).where(ActionRow.park_id == park_id)).all()
    order = {p: i for i, p in enumerate(PHASES)}
    rows = sorted(rows, key=lambda r: (order.get(r.phase, 99), r.due or date.max, r.id))
    return [Action(r.id, r.title, r.phase, r.owner, r.due, r.status, r.updated_at) for r in rows]


def add_action(
    session: Session,
    who: Principal,
    park_id: str,
    *,
    title: str,
    phase: str,
    owner: str | None = None,
    due: date | None = None,
) -> int:
    """Add an action to the roadmap; returns its id."""
    _check(who, park_id, edit=True)
    if not title.strip() or len(title) > 200:
        raise ParkplanError(
            "Geef de actie een titel van hoogstens 200 tekens.",
            "Give the action a title of at most 200 characters.",
        )
    if phase not in PHASES:
        raise ParkplanError(
            f"Onbekende fase '{phase}'; kies uit: {', '.join(PHASES)}.",
            f"Unknown phase '{phase}'; choose from: {', '.join(PHASES)}.",
        )
    row = ActionRow(
        park_id=park_id, title=title.strip(), phase=phase, owner=owner, due=due, status="open"
    )
    session.add(row)
    session.flush()
    repository.add_audit(
        session,
        actor=who.email,
        action="create",
        entity="roadmap_action",
        entity_id=str(row.id),
        park_id=park_id,
        new_value=row.title,
    )
    return int(row.id)


def set_action_status(
    session: Session, who: Principal, park_id: str, action_id: int, status: str
) -> None:
    """Change an action's status (audited with old and new value)."""
    _check(who, park_id, edit=True)
    if status not in STATUSES:
        raise ParkplanError(
            f"Onbekende status '{status}'; kies uit: {', '.join(STATUSES)}.",
            f"Unknown status '{status}'; choose from: {', '.join(STATUSES)}.",
        )
    row = session.get(ActionRow, action_id)
    if row is None or row.park_id != park_id:
        raise NotFoundError("Deze actie bestaat niet.", "This action does not exist.")
    if row.status != status:
        repository.add_audit(
            session,
            actor=who.email,
            action="update",
            entity="roadmap_action",
            entity_id=str(row.id),
            park_id=park_id,
            field="status",
            old_value=row.status,
            new_value=status,
        )
        row.status = status
        session.flush()


def record_kpi(
    session: Session,
    who: Principal,
    park_id: str,
    kpi: str,
    year: int,
    *,
    value: float | None,
    target: float | None = None,
    source: str | None = None,
) -> None:
    """Set a KPI's value (and the plan's target) for one year (audited)."""
    _check(who, park_id, edit=True)
    if kpi not in KPIS:
        raise ParkplanError(
            f"Onbekende indicator '{kpi}'; kies uit: {', '.join(KPIS)}.",
            f"Unknown indicator '{kpi}'; choose from: {', '.join(KPIS)}.",
        )
    if not YEARS[0] <= year <= YEARS[1]:
        raise ParkplanError(
            f"Jaar {year} ligt niet tussen {YEARS[0]} en {YEARS[1]}.",
            f"Year {year} is not between {YEARS[0]} and {YEARS[1]}.",
        )
    row = session.scalar(
        select(KpiValueRow).where(
            KpiValueRow.park_id == park_id, KpiValueRow.kpi == kpi, KpiValueRow.year == year
        )
    )
    old = None if row is None else {"value": row.value, "target": row.target}
    if row is None:
        row = KpiValueRow(park_id=park_id, kpi=kpi, year=year, unit=KPIS[kpi][2])
        session.add(row)
    row.value = value
    if target is not None:
        row.target = target
    row.source = source or row.source
    session.flush()
    repository.add_audit(
        session,
        actor=who.email,
        action="update" if old else "create",
        entity="kpi",
        entity_id=f"{kpi}:{year}",
        park_id=park_id,
        old_value=old,
        new_value={"value": row.value, "target": row.target},
    )


def kpi_table(session: Session, who: Principal, park_id: str) -> list[dict[str, Any]]:
    """Per KPI the years with value, target and progress (value / target, when both known)."""
    _check(who, park_id)
    rows = session.scalars(
        select(KpiValueRow).where(KpiValueRow.park_id == park_id).order_by(KpiValueRow.year)
    ).all()
    out = []
    for key, (nl, en, unit) in KPIS.items():
        years = [
            {
                "year": r.year,
                "value": r.value,
                "target": r.target,
                "source": r.source,
                "on_track": None
                if r.value is None or r.target is None
                else (
                    r.value <= r.target if key in ("co2_t", "grid_peak_kw") else r.value >= r.target
                ),
            }
            for r in rows
            if r.kpi == key
        ]
        out.append({"key": key, "nl": nl, "en": en, "unit": unit, "years": years})
    return out


def post_news(session: Session, who: Principal, park_id: str, title: str, body: str) -> int:
    """Publish a news update for the park's members (audited); returns its id."""
    _check(who, park_id, edit=True)
    if not title.strip() or len(title) > 200 or not body.strip() or len(body) > 10_000:
        raise ParkplanError(
            "Een bericht heeft een titel (hoogstens 200 tekens) en een tekst (hoogstens "
            "10.000 tekens).",
            "A message has a title (at most 200 characters) and a text (at most 10,000).",
        )
    row = NewsRow(park_id=park_id, title=title.strip(), body=body.strip(), author=who.email)
    session.add(row)
    session.flush()
    repository.add_audit(
        session,
        actor=who.email,
        action="create",
        entity="news",
        entity_id=str(row.id),
        park_id=park_id,
        new_value=row.title,
    )
    return int(row.id)


def list_news(session: Session, who: Principal, park_id: str, limit: int = 20) -> list[NewsRow]:
    """The park's newest news updates."""
    _check(who, park_id)
    query = (
        select(NewsRow).where(NewsRow.park_id == park_id).order_by(NewsRow.id.desc()).limit(limit)
    )
    return list(session.scalars(query))
