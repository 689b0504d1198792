"""Use cases for accounts: create users, log in, sessions, invitations, demo accounts.

Shared by the CLI (``parkplan users add``) and the web app. Passwords are hashed with
Argon2id; session and invitation tokens are stored only as their SHA-256 digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from parkplan.domain.access import Principal, Role
from parkplan.domain.errors import NotFoundError, ParkplanError
from parkplan.store import repository
from parkplan.store.accounts import InvitationRow, UserParkRow, UserRow, WebSessionRow
from parkplan.web.security import (
    generate_password,
    hash_password,
    new_token,
    password_problem,
    token_digest,
    verify_password,
)

SESSION_LIFETIME = timedelta(hours=8)
INVITATION_LIFETIME = timedelta(days=14)


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes for timezone-aware columns: read them as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _normalise_email(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email or email.startswith("@") or email.endswith("@") or " " in email:
        raise ParkplanError(
            f"'{email}' is geen geldig e-mailadres.", f"'{email}' is not a valid e-mail address."
        )
    return email


def _role(role: str | Role) -> Role:
    try:
        return Role(role)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise ParkplanError(
            f"Onbekende rol '{role}'; kies uit: {names}.",
            f"Unknown role '{role}'; choose from: {names}.",
        ) from None


def _check_scope(session: Session, role: Role, park_ids: list[str], company_id: str | None) -> None:
    for park_id in park_ids:
        if not repository.park_exists(session, park_id):
            raise NotFoundError(
                f"Park '{park_id}' bestaat niet.", f"Park '{park_id}' does not exist."
            )
    if role is Role.ENTREPRENEUR:
        if len(park_ids) != 1 or not company_id:
            raise ParkplanError(
                "Een ondernemer hoort bij precies één park en één bedrijf (--park en --company).",
                "An entrepreneur belongs to exactly one park and one company (--park, --company).",
            )
        park = repository.read_park(session, park_ids[0])
        if park is None or company_id not in {c.id for c in park.companies}:
            raise NotFoundError(
                f"Bedrijf '{company_id}' bestaat niet in park '{park_ids[0]}'.",
                f"Company '{company_id}' does not exist in park '{park_ids[0]}'.",
            )
    elif company_id:
        raise ParkplanError(
            "Alleen een ondernemer wordt aan een bedrijf gekoppeld.",
            "Only an entrepreneur is linked to a company.",
        )
    if role in (Role.PARK_MANAGER, Role.ADVISOR, Role.PROGRAMME_LEAD) and not park_ids:
        raise ParkplanError(
            f"De rol {role.value} heeft minstens één park nodig (--park).",
            f"The role {role.value} needs at least one park (--park).",
        )


@dataclass(frozen=True)
class UserInfo:
    """An account as shown to people (never the password hash)."""

    id: int
    email: str
    role: Role
    park_ids: tuple[str, ...]
    company_id: str | None
    active: bool


def _info(session: Session, row: UserRow) -> UserInfo:
    parks = session.scalars(select(UserParkRow.park_id).where(UserParkRow.user_id == row.id)).all()
    return UserInfo(
        row.id, row.email, Role(row.role), tuple(sorted(parks)), row.company_id, row.active
    )


def principal(session: Session, user_id: int) -> Principal:
    """The access principal of a user."""
    row = session.get(UserRow, user_id)
    if row is None or not row.active:
        raise NotFoundError("Gebruiker bestaat niet.", "User does not exist.")
    info = _info(session, row)
    return Principal(row.id, row.email, info.role, frozenset(info.park_ids), row.company_id)


def add_user(
    session: Session,
    email: str,
    role: str | Role,
    *,
    password: str | None,
    park_ids: list[str] | None = None,
    company_id: str | None = None,
    actor: str = "cli",
) -> UserInfo:
    """Create an account. ``password=None`` creates it without one (for an invitation)."""
    email = _normalise_email(email)
    r = _role(role)
    parks = list(park_ids or [])
    _check_scope(session, r, parks, company_id)
    if session.scalar(select(UserRow).where(UserRow.email == email)) is not None:
        raise ParkplanError(
            f"Er bestaat al een account voor {email}.", f"An account for {email} already exists."
        )
    if password is not None:
        problem = password_problem(password)
        if problem:
            raise ParkplanError(*problem)
    row = UserRow(
        email=email,
        role=r.value,
        password_hash=hash_password(password) if password is not None else None,
        company_park_id=parks[0] if company_id else None,
        company_id=company_id,
        active=True,
        lang="nl",
    )
    session.add(row)
    session.flush()
    for park_id in parks:
        session.add(UserParkRow(user_id=row.id, park_id=park_id))
    repository.add_audit(
        session,
        actor=actor,
        action="create",
        entity="user",
        entity_id=email,
        park_id=parks[0] if parks else None,
        new_value=r.value,
    )
    session.flush()
    return _info(session, row)


def list_users(session: Session) -> list[UserInfo]:
    """All accounts, by e-mail address."""
    rows = session.scalars(select(UserRow).order_by(UserRow.email)).all()
    return [_info(session, r) for r in rows]


def authenticate(session: Session, email: str, password: str) -> UserInfo | None:
    """The user when the password is right, else ``None`` (same answer for unknown e-mail)."""
    try:
        email = _normalise_email(email)
    except ParkplanError:
        return None
    row = session.scalar(select(UserRow).where(UserRow.email == email))
    if row is None or not row.active or row.password_hash is None:
        verify_password(hash_password("timing-equaliser"), password)  # similar work either way
        return None
    if not verify_password(row.password_hash, password):
        return None
    row.last_login_at = _now()
    return _info(session, row)


def open_session(session: Session, user_id: int) -> tuple[str, str]:
    """Start a web session; returns (session token, CSRF token). Only digests are stored."""
    token = new_token()
    csrf = new_token()
    session.add(
        WebSessionRow(
            token_digest=token_digest(token),
            user_id=user_id,
            csrf_token=csrf,
            expires_at=_now() + SESSION_LIFETIME,
        )
    )
    session.flush()
    return token, csrf


@dataclass(frozen=True)
class ActiveSession:
    """A valid web session."""

    user_id: int
    csrf_token: str
    principal: Principal


def resolve_session(session: Session, token: str) -> ActiveSession | None:
    """The session for a token, or ``None`` when unknown or expired (expired ones are removed)."""
    row = session.scalar(
        select(WebSessionRow).where(WebSessionRow.token_digest == token_digest(token))
    )
    if row is None:
        return None
    if _aware(row.expires_at) <= _now():
        session.delete(row)
        return None
    try:
        who = principal(session, row.user_id)
    except NotFoundError:
        return None
    return ActiveSession(row.user_id, row.csrf_token, who)


def close_session(session: Session, token: str) -> None:
    """End a web session (log out)."""
    session.execute(delete(WebSessionRow).where(WebSessionRow.token_digest == token_digest(token)))


def invite(
    session: Session,
    email: str,
    role: str | Role,
    *,
    park_id: str | None,
    company_id: str | None = None,
    created_by: int | None = None,
) -> str:
    """Create an invitation; returns the token for the link (shown once)."""
    email = _normalise_email(email)
    r = _role(role)
    _check_scope(session, r, [park_id] if park_id else [], company_id)
    token = new_token()
    session.add(
        InvitationRow(
            token_digest=token_digest(token),
            email=email,
            role=r.value,
            park_id=park_id,
            company_id=company_id,
            created_by=created_by,
            expires_at=_now() + INVITATION_LIFETIME,
        )
    )
    session.flush()
    return token


def accept_invitation(session: Session, token: str, password: str) -> UserInfo:
    """Create the invited account with the chosen password; the link works once."""
    row = session.scalar(
        select(InvitationRow).where(InvitationRow.token_digest == token_digest(token))
    )
    if row is None or row.used_at is not None or _aware(row.expires_at) <= _now():
        raise ParkplanError(
            "Deze uitnodiging is ongeldig, al gebruikt of verlopen.",
            "This invitation is invalid, already used or expired.",
        )
    info = add_user(
        session,
        row.email,
        row.role,
        password=password,
        park_ids=[row.park_id] if row.park_id else [],
        company_id=row.company_id,
        actor=f"invitation:{row.email}",
    )
    row.used_at = _now()
    return info


DEMO_DOMAIN = "demo.parkplan.example"


def create_demo_accounts(
    session: Session, park_id: str, company_id: str, other_park_ids: list[str]
) -> list[tuple[UserInfo, str]]:
    """One account per role for the demo, with generated passwords (returned once).

    Existing demo accounts are left as they are (and not returned).
    """
    plans = [
        ("beheerder", Role.ADMINISTRATOR, [], None),
        ("programmaleider", Role.PROGRAMME_LEAD, [park_id, *other_park_ids], None),
        ("parkmanager", Role.PARK_MANAGER, [park_id], None),
        ("ondernemer", Role.ENTREPRENEUR, [park_id], company_id),
        ("adviseur", Role.ADVISOR, [park_id], None),
    ]
    created: list[tuple[UserInfo, str]] = []
    for name, role, parks, company in plans:
        email = f"{name}@{DEMO_DOMAIN}"
        if session.scalar(select(UserRow).where(UserRow.email == email)) is not None:
            continue
        password = generate_password()
        info = add_user(
            session,
            email,
            role,
            password=password,
            park_ids=parks,
            company_id=company,
            actor="demo",
        )
        created.append((info, password))
    return created
