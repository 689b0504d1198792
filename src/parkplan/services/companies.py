"""Use cases for one company: read it (with the confidentiality rules) and change it.

Reads of a company's confidential data are written to the audit log, as are changes (who,
what, when, old and new value). A change is validated exactly like a park file (a
construction year also against :data:`CONSTRUCTION_YEAR_MIN` and the current year), and
written in one transaction, or not at all.

A value that really changes becomes *reported by the company* (:attr:`Origin.REPORTED`);
values that stay the same keep their origin, so open data stays open data until someone
corrects it (and ``parkplan enrich`` never silently overwrites the correction).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parkplan.domain.access import Principal, can_edit_company, can_view_company
from parkplan.domain.errors import (
    NotFoundError,
    ParkplanError,
    Problem,
    ValidationError,
    error,
    raise_if_errors,
)
from parkplan.domain.model import BUILDING_USES, Company, Origin, Park, Sourced
from parkplan.services.parks import audit_access, audit_park_changes, get_park
from parkplan.store import repository
from parkplan.store.tables import CompanyRow

CONSTRUCTION_YEAR_MIN = 1800
"""The oldest construction year a user may enter for a company's building. [year]

A rule of the product, not a figure: older buildings do not house companies on business
parks; the youngest year allowed is the current one."""


class AccessDeniedError(ParkplanError):
    """The user may not see or change this company's data."""


def _consented(company: Company) -> bool:
    return bool(company.engagement and company.engagement.consent_share_data)


def find_company(park: Park, company_id: str) -> Company:
    """The company with this id in the park (``NotFoundError`` naming both)."""
    try:
        return park.company(company_id)
    except KeyError:
        raise NotFoundError(
            f"Bedrijf '{company_id}' bestaat niet in park '{park.id}'.",
            f"Company '{company_id}' does not exist in park '{park.id}'.",
        ) from None


def read_company(session: Session, who: Principal, park_id: str, company_id: str) -> Company:
    """A company's full data, when ``who`` may see it; the read is audited.

    An unknown company and a forbidden one give the same answer to users who are not
    members of the park, so ids cannot be probed.
    """
    park = get_park(session, park_id)
    company = find_company(park, company_id)
    if not can_view_company(who, park_id, company_id, consented=_consented(company)):
        raise AccessDeniedError(
            "U heeft geen toegang tot de gegevens van dit bedrijf.",
            "You do not have access to this company's data.",
        )
    audit_access(session, who.email, park_id, "company", company_id)
    return company


def _set_path(doc: dict[str, Any], dotted: str, value: Any) -> None:
    keys = dotted.split(".")
    node = doc
    for k in keys[:-1]:
        nxt = node.get(k)
        if not isinstance(nxt, dict):
            nxt = {}
            node[k] = nxt
        node = nxt
    if value is None:
        node.pop(keys[-1], None)
    else:
        node[keys[-1]] = value


def construction_year_problem(
    value: Any, *, path: str = "construction_year", this_year: int | None = None
) -> Problem | None:
    """The problem with a construction year, or ``None`` when it is a whole year from
    :data:`CONSTRUCTION_YEAR_MIN` up to and including ``this_year`` (default: today's year).

    ``None`` (unknown) is fine. The message names the field and the value found, in Dutch
    and English.
    """
    if value is None:
        return None
    last = this_year if this_year is not None else date.today().year
    expected_nl = f"verwacht een jaar van {CONSTRUCTION_YEAR_MIN} tot en met {last}"
    expected_en = f"expected a year from {CONSTRUCTION_YEAR_MIN} up to and including {last}"
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole:
        shown = f"'{value}'" if isinstance(value, str) else repr(value)
        return error(
            path,
            f"Bouwjaar {shown} is geen jaartal; {expected_nl}.",
            f"Construction year {shown} is not a year; {expected_en}.",
            value,
            "not_a_year",
        )
    year = int(value)
    if not CONSTRUCTION_YEAR_MIN <= year <= last:
        return error(
            path,
            f"Bouwjaar {year} kan niet: {expected_nl}.",
            f"Construction year {year} is not possible: {expected_en}.",
            value,
            "out_of_range",
        )
    return None


def building_use_problems(
    value: Any, *, path: str = "building_use", known: tuple[str, ...] = ()
) -> list[Problem]:
    """Problems with a list of BAG uses: every use must be one of
    :data:`~parkplan.domain.model.BUILDING_USES` (or already in ``known``, the stored list,
    so a value from an older register stays editable)."""
    if not isinstance(value, list):
        return []  # not a list: the park-file check says what was expected
    problems = []
    for use in value:
        if isinstance(use, str) and (use in BUILDING_USES or use in known):
            continue
        choices = ", ".join(BUILDING_USES)
        problems.append(
            error(
                path,
                f"Gebruiksdoel '{use}' bestaat niet in de BAG; kies uit: {choices}.",
                f"Use '{use}' does not exist in the BAG; choose from: {choices}.",
                use,
                "unknown_use",
            )
        )
    return problems


def _check_changes(
    changes: Mapping[str, Any], old: Company, prefix: str, this_year: int | None
) -> tuple[dict[str, Any], list[Problem]]:
    """The changes with building uses in a fixed order (sorted, once each), and the
    problems found beyond the park-file rules."""
    out = dict(changes)
    problems: list[Problem] = []
    if "construction_year" in out:
        found = construction_year_problem(
            out["construction_year"], path=f"{prefix}.construction_year", this_year=this_year
        )
        if found is not None:
            problems.append(found)
    if "building_use" in out:
        uses = out["building_use"]
        if isinstance(uses, str):
            uses = [uses]  # one use, as the park file reads it
        problems += building_use_problems(
            uses, path=f"{prefix}.building_use", known=tuple(old.building_use)
        )
        if isinstance(uses, list) and all(isinstance(u, str) for u in uses):
            out["building_use"] = sorted(set(uses))
    return out, problems


def _same(before: Any, after: Any) -> bool:
    if isinstance(before, list) and isinstance(after, list):
        return sorted(map(repr, before)) == sorted(map(repr, after))
    return bool(before == after)


def _origin_paths(changes: Mapping[str, Any]) -> set[str]:
    """Fields whose origin the change sets itself (``origins.x`` or a whole ``origins``)."""
    out: set[str] = set()
    for path in changes:
        parts = path.split(".")
        if "origins" in parts:
            i = parts.index("origins")
            out.add(".".join(parts[: i + 2]) if i + 1 < len(parts) else ".".join(parts))
    return out


def _mark_reported(old: Company, new: Company, changes: Mapping[str, Any]) -> None:
    """Make every field whose value really changed *reported* in ``new`` (in place).

    A field that lost its value loses its origin too. Fields whose origin the change sets
    itself, and whole objects or lists (which bring their own origins), are left alone.
    """
    from parkplan.io.parkfile import ENTITIES

    explicit = _origin_paths(changes)
    for path in changes:
        parts = path.split(".")
        if "origins" in parts:
            continue
        entity = "company"
        before: Any = old
        after: Any = new
        for i, part in enumerate(parts):
            spec = next((s for s in ENTITIES[entity] if s.key == part), None)
            if spec is None or not isinstance(after, Sourced):
                break
            owner = ".".join(parts[:i])
            if spec.kind == "object" and i < len(parts) - 1:
                before = getattr(before, spec.attribute, None)
                after = getattr(after, spec.attribute, None)
                entity = spec.entity or ""
                if entity not in ENTITIES:
                    break
                continue
            if spec.kind in ("object", "list"):
                break
            value_before = getattr(before, spec.attribute, None)
            value_after = getattr(after, spec.attribute, None)
            prefix = f"{owner}." if owner else ""
            own_origin = {f"{prefix}origins.{part}", f"{prefix}origins"}
            if _same(value_before, value_after) or own_origin & explicit:
                break
            if value_after is None or value_after in ([], {}):
                after.origins.pop(spec.attribute, None)
            elif after.origin_of(spec.attribute) is not Origin.REPORTED:
                after.origins[spec.attribute] = Origin.REPORTED
            break


def update_company(
    session: Session,
    who: Principal,
    park_id: str,
    company_id: str,
    changes: Mapping[str, Any],
    *,
    this_year: int | None = None,
) -> Company:
    """Change fields of one company, given as park-file paths (``electricity.annual_kwh``).

    ``None`` removes an optional value. The whole park is validated as a park file would
    be, a ``construction_year`` also against :func:`construction_year_problem` (up to
    ``this_year``, default today's) and ``building_use`` against the BAG uses; on any error
    a ``ValidationError`` lists every problem (paths such as
    ``companies[3].electricity.annual_kwh``) and nothing is written.

    A field whose value really changes becomes reported by the company
    (:attr:`Origin.REPORTED`), unless the change sets its origin itself (``origins.x``);
    unchanged fields keep their origin. Every changed field (origins included) gets an
    audit entry with the old and the new value.
    """
    from parkplan.io.parkfile import park_from_document, park_to_document

    if not can_edit_company(who, park_id, company_id):
        raise AccessDeniedError(
            "U mag de gegevens van dit bedrijf niet wijzigen.",
            "You may not change this company's data.",
        )
    park = get_park(session, park_id)
    old = find_company(park, company_id)
    doc = park_to_document(park)
    index = next(i for i, c in enumerate(doc["companies"]) if c["id"] == company_id)
    changes, problems = _check_changes(changes, old, f"companies[{index}]", this_year)
    company_doc = copy.deepcopy(doc["companies"][index])
    for path, value in changes.items():
        if path == "id":
            raise ParkplanError("De id van een bedrijf ligt vast.", "A company's id cannot change.")
        _set_path(company_doc, path, value)
    doc["companies"][index] = company_doc
    source = f"park '{park_id}'"
    try:
        new_park, _warnings = park_from_document(doc, source=source)
    except ValidationError as exc:
        ours = {p.path for p in problems}
        raise ValidationError(
            problems=[*problems, *(p for p in exc.problems if p.path not in ours)],
            source=exc.source,
        ) from None
    raise_if_errors(problems, source=source)
    new = new_park.company(company_id)
    _mark_reported(old, new, changes)

    row = session.scalar(
        select(CompanyRow).where(CompanyRow.park_id == park_id, CompanyRow.id == company_id)
    )
    if row is None:  # pragma: no cover - read a moment ago in the same transaction
        raise NotFoundError(
            f"Bedrijf '{company_id}' verdween.", f"Company '{company_id}' vanished."
        )
    with session.begin_nested():
        position = row.position
        session.delete(row)
        session.flush()
        session.add(repository.company_to_row(new, park_id, position))
        audit_park_changes(
            session,
            Park(id=park.id, name=park.name, companies=[old]),
            Park(id=park.id, name=park.name, companies=[new]),
            who.email,
        )
        session.flush()
    return new
