"""Read models for pages: what a page shows, read without loading a whole park.

The park dashboard and the company page are the most visited pages; loading a park of 150
companies takes a few hundred milliseconds, so these functions read only what is shown:
the park's own row with counts, one company, and the baseline as a STORED result
(:func:`parkplan.store.repository.save_result`, kind ``baseline``) that is recomputed only
when the park changed (a change is any audited write to the park) or the reference data or
code version differ.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, joinedload, selectinload

from parkplan.domain.access import Principal, can_view_company
from parkplan.domain.errors import NotFoundError
from parkplan.domain.model import Company
from parkplan.services.companies import AccessDeniedError
from parkplan.store import repository
from parkplan.store.tables import AuditLogRow, CompanyRow, ParkRow

BASELINE_KIND = "baseline"
_ONE = (
    CompanyRow.electricity,
    CompanyRow.gas,
    CompanyRow.plans,
    CompanyRow.engagement,
    CompanyRow.contact,
)
"""One-to-one parts: joined into the company's own query."""
_MANY = (CompanyRow.connections, CompanyRow.roofs, CompanyRow.vehicles)
"""Lists: one query each."""


@dataclass(frozen=True)
class ParkHeader:
    """What the top of a park page shows (no company data)."""

    id: str
    name: str
    municipality: str | None
    area_ha: float | None
    """Area of the park. [ha]"""
    illustrative: bool
    available_import_kw: float | None
    """Grid capacity available for offtake. [kW]"""
    company_count: int
    """Companies on the park. [-]"""


def park_header(session: Session, park_id: str) -> ParkHeader:
    """The park's own fields and its number of companies (``NotFoundError`` when unknown)."""
    row = session.get(ParkRow, park_id)
    if row is None:
        raise NotFoundError(f"Park '{park_id}' bestaat niet.", f"Park '{park_id}' does not exist.")
    count = session.scalar(
        select(func.count()).select_from(CompanyRow).where(CompanyRow.park_id == park_id)
    )
    return ParkHeader(
        row.id,
        row.name,
        row.municipality,
        row.area_ha,
        bool(row.illustrative),
        row.grid_available_import_kw,
        int(count or 0),
    )


def has_company(session: Session, park_id: str, company_id: str) -> bool:
    """Whether the park has a company with this id."""
    return (
        session.scalar(
            select(CompanyRow.pk).where(CompanyRow.park_id == park_id, CompanyRow.id == company_id)
        )
        is not None
    )


def read_one_company(session: Session, who: Principal, park_id: str, company_id: str) -> Company:
    """One company's full data when ``who`` may see it; the read is audited.

    Same rules and answers as :func:`parkplan.services.companies.read_company`, reading
    only this company's rows.
    """
    row = session.scalar(
        select(CompanyRow)
        .where(CompanyRow.park_id == park_id, CompanyRow.id == company_id)
        .options(*(joinedload(p) for p in _ONE), *(selectinload(p) for p in _MANY))
    )
    if row is None:
        if session.get(ParkRow, park_id) is None:
            raise NotFoundError(
                f"Park '{park_id}' bestaat niet.", f"Park '{park_id}' does not exist."
            )
        raise NotFoundError(
            f"Bedrijf '{company_id}' bestaat niet in park '{park_id}'.",
            f"Company '{company_id}' does not exist in park '{park_id}'.",
        )
    company = repository.row_to_company(row)
    consented = bool(company.engagement and company.engagement.consent_share_data)
    if not can_view_company(who, park_id, company_id, consented=consented):
        raise AccessDeniedError(
            "U heeft geen toegang tot de gegevens van dit bedrijf.",
            "You do not have access to this company's data.",
        )
    audit_read(session, who, park_id, company_id)
    return company


def audit_read(session: Session, who: Principal, park_id: str, company_id: str) -> None:
    """Write the audit entry of a read in a short transaction of its own.

    The session's reading transaction is committed first (pages only read before this):
    upgrading a read snapshot to a write is refused by SQLite ("database is locked") when
    another request wrote in between, whereas a transaction that starts with its insert
    simply waits for the write lock. Using a second connection instead could exhaust the
    connection pool under load (every request holding one and waiting for another).
    """
    session.commit()
    repository.add_audit(
        session,
        actor=who.email,
        action="read",
        entity="company",
        entity_id=company_id,
        park_id=park_id,
    )
    session.commit()


def park_fingerprint(session: Session, park_id: str) -> str:
    """Changes when the park's data change: the last audited write, the park row's time."""
    last = session.scalar(
        select(func.max(AuditLogRow.id)).where(
            AuditLogRow.park_id == park_id, AuditLogRow.action.notin_(("read", "export"))
        )
    )
    row = session.get(ParkRow, park_id)
    updated = row.updated_at.isoformat() if row is not None and row.updated_at else ""
    return f"{last or 0}|{updated}"


@functools.lru_cache(maxsize=1)
def _versions() -> tuple[str, str]:
    """(reference data version, code version): fixed while the process runs."""
    from parkplan.refdata import load_refdata
    from parkplan.services.simulate import code_version

    return load_refdata().version, code_version()


def stored_baseline(
    session: Session, park_id: str, lang: str = "nl", *, aggregates_only: bool = False
) -> dict[str, Any]:
    """The park's baseline, stored with provenance.

    Read from the results table when the park, the reference data and the code are
    unchanged; else computed with :func:`parkplan.services.assess.compute_baseline` and
    stored (kind ``baseline``, key ``web:<lang>``, or ``dashboard:<lang>`` for the
    aggregates only: park and sector totals, without companies and reference values).
    """
    refdata_version, code = _versions()
    text = f"{park_fingerprint(session, park_id)}|{refdata_version}|{code}"
    inputs = hashlib.sha256(text.encode()).hexdigest()
    key = f"{'dashboard' if aggregates_only else 'web'}:{'en' if lang == 'en' else 'nl'}"
    row = repository.latest_result(session, park_id, BASELINE_KIND, key, inputs_hash=inputs)
    if row is not None:
        return dict(row.payload)
    from parkplan.services.assess import baseline_to_dict, compute_baseline
    from parkplan.services.parks import get_park

    park = get_park(session, park_id)
    base, refdata = compute_baseline(park)
    payload = baseline_to_dict(base, park, refdata, lang)
    if aggregates_only:
        payload = {k: v for k, v in payload.items() if k not in ("companies", "refdata_used")}
    # store it in a transaction that starts with the write (see audit_read); the stored
    # result is a cache: when another request holds the database too long, serve it anyway
    session.commit()
    try:
        repository.save_result(
            session,
            park_id,
            BASELINE_KIND,
            payload,
            key=key,
            inputs_hash=inputs,
            refdata_version=refdata.version,
            code_version=code,
        )
        session.commit()
    except OperationalError:
        session.rollback()
    return payload
