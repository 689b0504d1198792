"""Request dependencies: database session, language, the logged-in user, CSRF checks.

Routes never compute: they ask these dependencies who the user is, call a service function
and render the answer. ``HTTPException`` and the page-level exceptions below live only here
and in the routes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from parkplan.domain.access import Principal
from parkplan.services import users
from parkplan.store.db import session_scope
from parkplan.web.security import tokens_equal

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


def get_db(request: Request) -> Iterator[Session]:
    """A database session for one request, in one transaction.

    Requests that may write (POST, PUT, PATCH, DELETE) take SQLite's write lock when the
    transaction starts (waiting up to the busy timeout for another writer): they read and
    then write, and SQLite refuses to turn a read snapshot into a write when another
    request wrote in between.
    """
    with session_scope(request.app.state.database_url) as session:
        if request.method in UNSAFE_METHODS and session.get_bind().dialect.name == "sqlite":
            session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        yield session


def get_lang(request: Request) -> str:
    """The user's language: ``?lang=`` first, then the cookie, else Dutch."""
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "nl"
    return "en" if lang == "en" else "nl"


@dataclass(frozen=True)
class Viewer:
    """The logged-in user of a request, with the session's CSRF token."""

    principal: Principal
    csrf_token: str


def optional_viewer(
    request: Request, db: Session = Depends(get_db, scope="function")
) -> Viewer | None:
    """The logged-in user, or ``None``."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    active = users.resolve_session(db, token)
    if active is None:
        return None
    return Viewer(active.principal, active.csrf_token)


def require_viewer(request: Request, viewer: Viewer | None = Depends(optional_viewer)) -> Viewer:
    """The logged-in user; else :class:`LoginRequiredError` (expired when a cookie was sent)."""
    if viewer is None:
        raise LoginRequiredError(expired=SESSION_COOKIE in request.cookies)
    return viewer


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
