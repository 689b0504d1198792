"""Use cases for one company: read it (with the confidentiality rules) and change it.

Reads of a company's confidential data are written to the audit log, as are changes (who,
what, when, old and new value). A change is validated exactly like a park file, and written
in one transaction, or not at all.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parkplan.domain.access import Principal, can_edit_company, can_view_company
from parkplan.domain.errors import NotFoundError, ParkplanError
from parkplan.domain.model import Company, Park
from parkplan.services.parks import audit_park_changes, get_park
from parkplan.store import repository
from parkplan.store.tables import CompanyRow


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
    repository.add_audit(
        session,
        actor=who.email,
        action="read",
        entity="company",
        entity_id=company_id,
        park_id=park_id,
    )
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


def update_company(
    session: Session,
    who: Principal,
    park_id: str,
    company_id: str,
    changes: Mapping[str, Any],
) -> Company:
    """Change fields of one company, given as park-file paths (``electricity.annual_kwh``).

    ``None`` removes an optional value. The whole park is validated as a park file would
    be; on any error a ``ValidationError`` lists every problem (paths such as
    ``companies[3].electricity.annual_kwh``) and nothing is written.
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
    company_doc = copy.deepcopy(doc["companies"][index])
    for path, value in changes.items():
        if path == "id":
            raise ParkplanError("De id van een bedrijf ligt vast.", "A company's id cannot change.")
        _set_path(company_doc, path, value)
    doc["companies"][index] = company_doc
    new_park, _warnings = park_from_document(doc, source=f"park '{park_id}'")
    new = new_park.company(company_id)

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
