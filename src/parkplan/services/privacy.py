"""Use cases for personal data (AVG/GDPR): export and erase a company's contact person.

Contact persons are the only personal data parkplan keeps about companies (name, e-mail,
telephone). On request they can be exported (JSON) and erased. Both are audited; an erasure
also blanks the contact's old values in earlier audit entries, so that the log does not keep
what was erased. Accounts of users are kept while they are active.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from parkplan.domain.access import Principal, can_edit_company
from parkplan.services.companies import AccessDeniedError, find_company
from parkplan.services.parks import audit_access, get_park
from parkplan.store import repository
from parkplan.store.tables import AuditLogRow, CompanyRow, ContactRow

RETENTION_NL = (
    "Contactgegevens bewaren we zolang het bedrijf deelneemt aan het parkprogramma, en "
    "uiterlijk twee jaar na het laatste contact; daarna of eerder op verzoek wissen we ze. "
    "Accounts worden verwijderd wanneer de deelname eindigt; het auditlog (wie wijzigde of "
    "las wat en wanneer) bewaren we zeven jaar, zonder gewiste persoonsgegevens."
)
RETENTION_EN = (
    "Contact details are kept while the company takes part in the park programme, and at "
    "most two years after the last contact; after that, or earlier on request, they are "
    "erased. Accounts are removed when participation ends; the audit log (who changed or "
    "read what and when) is kept for seven years, without erased personal data."
)
ERASED = "[gewist]"


def _check(who: Principal, park_id: str, company_id: str) -> None:
    if not can_edit_company(who, park_id, company_id):
        raise AccessDeniedError(
            "U mag de contactgegevens van dit bedrijf niet inzien of wissen.",
            "You may not see or erase this company's contact details.",
        )


def export_contact(session: Session, who: Principal, park_id: str, company_id: str) -> dict:
    """The personal data of a company's contact person, JSON-ready; the export is audited."""
    _check(who, park_id, company_id)
    company = find_company(get_park(session, park_id), company_id)
    contact = company.contact
    audit_access(session, who.email, park_id, "contact", company_id, action="export")
    data: dict[str, Any] = {
        "park_id": park_id,
        "company_id": company_id,
        "company_name": company.name,
        "exported_at": datetime.now(UTC).isoformat(),
        "contact": None,
        "retention": {"nl": RETENTION_NL, "en": RETENTION_EN},
    }
    if contact is not None:
        data["contact"] = {"name": contact.name, "email": contact.email, "phone": contact.phone}
    return data


def erase_contact(session: Session, who: Principal, park_id: str, company_id: str) -> bool:
    """Erase a company's contact person and blank it in the audit log; ``False`` when none."""
    _check(who, park_id, company_id)
    find_company(get_park(session, park_id), company_id)
    row = session.scalar(
        select(CompanyRow).where(CompanyRow.park_id == park_id, CompanyRow.id == company_id)
    )
    contact = (
        session.scalar(select(ContactRow).where(ContactRow.company_pk == row.pk))
        if row is not None
        else None
    )
    if contact is not None:
        session.delete(contact)
    session.execute(
        update(AuditLogRow)
        .where(
            AuditLogRow.park_id == park_id,
            AuditLogRow.entity == "company",
            AuditLogRow.entity_id == company_id,
            or_(AuditLogRow.field == "contact", AuditLogRow.field.like("contact.%")),
        )
        .values(old_value=ERASED, new_value=ERASED)
    )
    repository.add_audit(
        session,
        actor=who.email,
        action="erase",
        entity="contact",
        entity_id=company_id,
        park_id=park_id,
    )
    session.flush()
    return contact is not None
