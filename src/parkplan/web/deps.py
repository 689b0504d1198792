"""Request dependencies: database session, language, the logged-in user, CSRF checks.

Routes never compute: they ask these dependencies who the user is, call a service function
and render the answer. ``HTTPException`` and the page-level exceptions below live only here
and in the routes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC

import anyio
import anyio.to_thread
from anyio import CancelScope, CapacityLimiter
from fastapi import Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.background import BackgroundTasks
from starlette.concurrency import run_in_threadpool

from parkplan.domain.access import Principal
from parkplan.services import users
from parkplan.services.views import ReadAuditWriter
from parkplan.store.accounts import WebSessionRow
from parkplan.store.db import open_session, schema_checked
from parkplan.web.security import SessionCache, token_digest, tokens_equal

SESSION_COOKIE = "parkplan_session"
LANG_COOKIE = "parkplan_lang"
LOGIN_CSRF_COOKIE = "parkplan_login_csrf"


class LoginRequiredError(Exception):
    """No valid session: pages redirect to the login page, the API answers 401."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("login required")
        self.expired = expired


class ForbiddenError(Exception):
    """The user may not see or do this: 403, nothing changed."""


class CsrfError(Exception):
    """A form or API call without the right CSRF token: 403, nothing changed."""


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


async def get_db(request: Request) -> AsyncIterator[Session]:
    """A database session for one request, in one transaction.

    Committed when the route succeeds, rolled back on any error, always closed. Requests
    that may write (POST, PUT, PATCH, DELETE) take SQLite's write lock when the transaction
    starts (waiting up to the busy timeout for another writer): they read and then write,
    and SQLite refuses to turn a read snapshot into a write when another request wrote in
    between.

    Opening a session for a reading request does no I/O (the connection is taken at the
    first query), so it happens here without handing the request to a worker thread; the
    lock, the commit and the rollback run in one (the end with a limiter of its own, as
    FastAPI does for generator dependencies, so it never waits for a free worker).
    """
    url = request.app.state.database_url
    write_first = request.method in UNSAFE_METHODS
    if write_first or not schema_checked(url):
        session = await run_in_threadpool(_open_session, url, write_first)
    else:
        session = open_session(url)
    exit_limiter = CapacityLimiter(1)
    try:
        yield session
    except BaseException:
        with CancelScope(shield=True):
            await anyio.to_thread.run_sync(_end_session, session, False, limiter=exit_limiter)
        raise
    else:
        with CancelScope(shield=True):
            await anyio.to_thread.run_sync(_end_session, session, True, limiter=exit_limiter)


def _open_session(url: str, write_first: bool) -> Session:
    session = open_session(url)
    if write_first and session.get_bind().dialect.name == "sqlite":
        try:
            session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        except BaseException:
            session.close()
            raise
    return session


def _end_session(session: Session, commit: bool) -> None:
    """Commit (or roll back) and close, like :func:`parkplan.store.db.session_scope`."""
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def get_lang(request: Request) -> str:
    """The user's language: ``?lang=`` first, then the cookie, else Dutch."""
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "nl"
    return "en" if lang == "en" else "nl"


@dataclass(frozen=True)
class Viewer:
    """The logged-in user of a request, with the session's CSRF token."""

    principal: Principal
    csrf_token: str


async def optional_viewer(
    request: Request, db: Session = Depends(get_db, scope="function")
) -> Viewer | None:
    """The logged-in user, or ``None``.

    Looked up in the app's :class:`~parkplan.web.security.SessionCache` first (by the
    token's digest, as in the database: no I/O, no worker thread); else resolved in the
    database (in a worker thread) and remembered.
    """
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    cache: SessionCache[Viewer] | None = getattr(request.app.state, "session_cache", None)
    digest = token_digest(token)
    if cache is not None:
        cached = cache.get(digest)
        if cached is not None:
            return cached
    return await run_in_threadpool(_resolve_viewer, db, token, digest, cache)


def _resolve_viewer(
    db: Session, token: str, digest: str, cache: SessionCache[Viewer] | None
) -> Viewer | None:
    generation = cache.generation() if cache is not None else 0  # a later change: not stored
    active = users.resolve_session(db, token)
    if active is None:
        return None
    viewer = Viewer(active.principal, active.csrf_token)
    if cache is not None:
        expires = db.scalar(
            select(WebSessionRow.expires_at).where(WebSessionRow.token_digest == digest)
        )
        if expires is not None:
            expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
            cache.put(digest, viewer, expires_at_s=expires.timestamp(), generation=generation)
    return viewer


async def require_viewer(
    request: Request, viewer: Viewer | None = Depends(optional_viewer)
) -> Viewer:
    """The logged-in user; else :class:`LoginRequiredError` (expired when a cookie was sent)."""
    if viewer is None:
        raise LoginRequiredError(expired=SESSION_COOKIE in request.cookies)
    return viewer


AUDIT_LINGER_S = 0.03
"""How long a drain of read audit entries gathers other requests' reads first. [s]"""


def drain_read_audit_after(request: Request, response: Response) -> Response:
    """Write the queued audit entries of reads (:class:`ReadAuditWriter`) after ``response``.

    A background task of the request: it runs once the answer is sent, waits
    :data:`AUDIT_LINGER_S` (without holding a worker thread) so that the reads of other
    requests in that moment go into the same transaction, and only hands work to a worker
    thread when entries wait and no other request is writing them already.
    """
    writer: ReadAuditWriter = request.app.state.read_audit

    async def drain() -> None:
        if not writer.needs_drain():
            return
        await anyio.sleep(AUDIT_LINGER_S)
        if writer.needs_drain():
            await run_in_threadpool(writer.drain_logged)

    tasks = BackgroundTasks()
    if response.background is not None:
        tasks.add_task(response.background)
    tasks.add_task(drain)
    response.background = tasks
    return response


async def check_csrf(request: Request, viewer: Viewer = Depends(require_viewer)) -> Viewer:
    """For unsafe methods: the form field ``csrf_token`` or header ``X-CSRF-Token`` must match."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return viewer
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
        if not sent or not tokens_equal(sent, viewer.csrf_token):
            await form.close()  # uploaded files are spooled to disk: release them now
            raise CsrfError()
    if not sent or not tokens_equal(sent, viewer.csrf_token):
        raise CsrfError()
    return viewer
