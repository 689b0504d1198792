"""Who may see and change what: roles, park membership and consent.

A company's energy data is business-confidential. These pure functions are the single
source of the access rules; the web app, the API and the exports all ask them.

Roles
-----
administrator
    Accounts, parks and reference data; sees everything.
programme_lead
    Province or municipality supporting several parks: aggregates of its parks only, and a
    company's own figures only when that company consented to share them
    (``Engagement.consent_share_data``).
park_manager
    Its own park(s), in full: inventory, scenarios, plan, follow-up.
entrepreneur
    Its own company in full (read and edit); of its park only aggregates.
advisor
    Assigned parks: read everything and run analyses; edits plan texts, not company data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """The roles of parkplan's users."""

    ADMINISTRATOR = "administrator"
    PROGRAMME_LEAD = "programme_lead"
    PARK_MANAGER = "park_manager"
    ENTREPRENEUR = "entrepreneur"
    ADVISOR = "advisor"


ROLE_LABELS: dict[Role, tuple[str, str]] = {
    Role.ADMINISTRATOR: ("Beheerder", "Administrator"),
    Role.PROGRAMME_LEAD: ("Programmaleider (gemeente/provincie)", "Programme lead"),
    Role.PARK_MANAGER: ("Parkmanager", "Park manager"),
    Role.ENTREPRENEUR: ("Ondernemer", "Entrepreneur"),
    Role.ADVISOR: ("Adviseur", "Advisor"),
}


@dataclass(frozen=True)
class Principal:
    """The user on whose behalf something is done."""

    user_id: int | None
    email: str
    role: Role
    park_ids: frozenset[str] = field(default_factory=frozenset)
    """Parks the user belongs to (manager, advisor, programme lead, entrepreneur)."""
    company_id: str | None = None
    """The entrepreneur's own company (within one of ``park_ids``)."""


def is_admin(p: Principal) -> bool:
    """Whether the user is an administrator."""
    return p.role is Role.ADMINISTRATOR


def member_of(p: Principal, park_id: str) -> bool:
    """Whether the user belongs to the park (administrators belong everywhere)."""
    return is_admin(p) or park_id in p.park_ids


def can_view_park(p: Principal, park_id: str) -> bool:
    """May see the park's existence, its aggregates and its plan."""
    return member_of(p, park_id)


def can_view_company_list(p: Principal, park_id: str) -> bool:
    """May see the list of companies with their confidential figures."""
    return member_of(p, park_id) and p.role in (
        Role.ADMINISTRATOR,
        Role.PARK_MANAGER,
        Role.ADVISOR,
    )


def can_view_company(p: Principal, park_id: str, company_id: str, *, consented: bool) -> bool:
    """May see one company's confidential data (energy use, bill, business case)."""
    if not member_of(p, park_id):
        return False
    match p.role:
        case Role.ADMINISTRATOR | Role.PARK_MANAGER | Role.ADVISOR:
            return True
        case Role.ENTREPRENEUR:
            return p.company_id == company_id
        case Role.PROGRAMME_LEAD:
            return consented
    return False


def can_edit_company(p: Principal, park_id: str, company_id: str) -> bool:
    """May change a company's inventory data and survey answers."""
    if not member_of(p, park_id):
        return False
    if p.role in (Role.ADMINISTRATOR, Role.PARK_MANAGER):
        return True
    return p.role is Role.ENTREPRENEUR and p.company_id == company_id


def can_edit_park(p: Principal, park_id: str) -> bool:
    """May change the park, import inventories, manage the roadmap and send news."""
    return member_of(p, park_id) and p.role in (Role.ADMINISTRATOR, Role.PARK_MANAGER)


def can_analyse(p: Principal, park_id: str) -> bool:
    """May run and save scenarios, optimisations and business cases."""
    return member_of(p, park_id) and p.role in (
        Role.ADMINISTRATOR,
        Role.PARK_MANAGER,
        Role.ADVISOR,
    )


def can_edit_plan(p: Principal, park_id: str) -> bool:
    """May edit the plan's narrative sections."""
    return can_analyse(p, park_id)


def can_compare_parks(p: Principal) -> bool:
    """May compare parks and run the selection of a pilot park."""
    return p.role in (Role.ADMINISTRATOR, Role.PROGRAMME_LEAD, Role.ADVISOR, Role.PARK_MANAGER)


def can_manage_users(p: Principal) -> bool:
    """May create accounts and invitations for any role."""
    return is_admin(p)


def can_invite(p: Principal, park_id: str, role: Role) -> bool:
    """May invite someone to a park in a role: park managers invite their entrepreneurs."""
    if is_admin(p):
        return True
    return p.role is Role.PARK_MANAGER and park_id in p.park_ids and role is Role.ENTREPRENEUR
