"""Database tables for accounts: users, park membership, web sessions and invitations.

Kept beside :mod:`parkplan.store.tables` (same ``Base``); tokens are stored only as their
SHA-256 digest (see :mod:`parkplan.web.security`).

Also here: :func:`watch_accounts`, which tells caches of sessions (the web app's) that an
account, a park membership or a session changed, and the index of the audit log that the
web pages read on every visit (:data:`AUDIT_CHANGE_CONDITION`, migration 0006).
"""

from __future__ import annotations

import threading
import weakref
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, event, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from parkplan.store.tables import AuditLogRow, Base, utcnow


class UserRow(Base):
    """An account. ``role`` is a :class:`parkplan.domain.access.Role` value."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    company_park_id: Mapped[str | None] = mapped_column(String(100))
    company_id: Mapped[str | None] = mapped_column(String(100))
    """The entrepreneur's own company (id within ``company_park_id``)."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    lang: Mapped[str] = mapped_column(String(2), default="nl")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class UserParkRow(Base):
    """Membership of a user in a park."""

    __tablename__ = "user_park"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    park_id: Mapped[str] = mapped_column(
        ForeignKey("park.id", ondelete="CASCADE"), primary_key=True
    )


class WebSessionRow(Base):
    """A logged-in browser session."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InvitationRow(Base):
    """An invitation by link: whoever opens it sets a password for this account."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(30))
    park_id: Mapped[str | None] = mapped_column(String(100))
    company_id: Mapped[str | None] = mapped_column(String(100))
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# ------------------------------------------------------------ audit index (read path)

AUDIT_CHANGE_CONDITION = "action NOT IN ('read', 'export')"
"""Audit entries that change a park's data (reads and exports do not).

The partial index ``ix_audit_log_park_change`` holds only these entries, so finding a park's
last change (:func:`parkplan.services.views.park_fingerprint`, on every dashboard visit)
reads one index entry instead of scanning the park's reads, which grow with every visit.
Queries must use this exact text: SQLite uses a partial index only when the query has the
same terms with the same literal values.
"""

Index(
    "ix_audit_log_park_change",
    AuditLogRow.park_id,
    AuditLogRow.id,
    sqlite_where=text(AUDIT_CHANGE_CONDITION),
    postgresql_where=text(AUDIT_CHANGE_CONDITION),
)


# ------------------------------------------------------------ changes to accounts

ACCOUNT_TABLES = frozenset({"user_account", "user_park", "web_session", "invitation"})
"""Tables whose changes make cached sessions stale."""


class AccountsWatcher(Protocol):
    """Anything that must forget what it knows about accounts when they change."""

    def invalidate(self) -> None: ...


_watchers: weakref.WeakSet[Any] = weakref.WeakSet()
_watchers_lock = threading.Lock()
_FLAG = "parkplan_accounts_changed"


def watch_accounts(watcher: AccountsWatcher) -> None:
    """Call ``watcher.invalidate()`` whenever accounts, memberships or sessions change.

    Any ORM session of this process that adds, changes or deletes a row of
    :data:`ACCOUNT_TABLES` (objects or ``update``/``delete`` statements) calls it at once
    and again after its commit or rollback: a reader that looked before the commit cannot
    keep a stale answer past the second call. Changes made by other processes are not seen:
    a cache must therefore also expire its entries after a short time. The watcher is held
    weakly.
    """
    with _watchers_lock:
        _watchers.add(watcher)


def _notify() -> None:
    with _watchers_lock:
        watchers = list(_watchers)
    for w in watchers:
        w.invalidate()


def _is_account_object(obj: object) -> bool:
    table = getattr(type(obj), "__tablename__", None)
    return table in ACCOUNT_TABLES


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    if any(_is_account_object(o) for o in (*session.new, *session.dirty, *session.deleted)):
        session.info[_FLAG] = True
        _notify()


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: Any) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in ACCOUNT_TABLES:
        state.session.info[_FLAG] = True
        _notify()


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_soft_rollback")
def _after_end(session: Session, *_args: Any) -> None:
    if session.info.pop(_FLAG, False):
        _notify()
