"""Logging in and out, choosing the language, accepting an invitation."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from parkplan.domain.errors import ParkplanError
from parkplan.services import users
from parkplan.web.deps import (
    LANG_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    CsrfError,
    Viewer,
    get_db,
    get_lang,
    optional_viewer,
)
from parkplan.web.i18n import t
from parkplan.web.security import new_token, tokens_equal

router = APIRouter(include_in_schema=False)


def _cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        secure=request.app.state.secure_cookies,
        samesite="lax",
        path="/",
    )


def _login_page(
    request: Request, lang: str, error: str | None = None, status: int = 200
) -> Response:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or new_token()
    response = request.app.state.templates.TemplateResponse(
        request,
        "login.html",
        {"lang": lang, "viewer": None, "error": error, "csrf_token": token},
        status_code=status,
    )
    _cookie(request, response, LOGIN_CSRF_COOKIE, token, 3600)
    return response


@router.get("/inloggen")
def login_form(request: Request, lang: str = Depends(get_lang)) -> Response:
    """The login page (with a note when the session expired)."""
    expired = request.query_params.get("verlopen") == "1"
    return _login_page(request, lang, t("login.expired", lang) if expired else None)


@router.post("/inloggen")
def login(
    request: Request,
    email: str = Form(..., max_length=254),
    password: str = Form(..., max_length=500),
    csrf_token: str = Form("", max_length=200),
    db: Session = Depends(get_db, scope="function"),
    lang: str = Depends(get_lang),
) -> Response:
    """Check the password (with throttling) and start a session."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not tokens_equal(expected, csrf_token):
        raise CsrfError()
    throttle = request.app.state.throttle
    client = request.client.host if request.client else "unknown"
    keys = (f"email:{email.strip().lower()}", f"ip:{client}")
    if throttle.blocked(*keys):
        return _login_page(request, lang, t("login.throttled", lang), status=429)
    user = users.authenticate(db, email, password)
    if user is None:
        throttle.fail(*keys)
        return _login_page(request, lang, t("login.failed", lang), status=401)
    throttle.succeed(*keys)
    token, _csrf = users.open_session(db, user.id)
    response = RedirectResponse("/parken", status_code=303)
    _cookie(request, response, SESSION_COOKIE, token, int(users.SESSION_LIFETIME.total_seconds()))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/uitloggen")
async def logout(
    request: Request,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer | None = Depends(optional_viewer),
) -> Response:
    """End the session (the CSRF token of the session must come with the form)."""
    token = request.cookies.get(SESSION_COOKIE)
    if viewer is not None and token:
        form = await request.form()
        sent = form.get("csrf_token")
        if not isinstance(sent, str) or not tokens_equal(sent, viewer.csrf_token):
            raise CsrfError()
        users.close_session(db, token)
    response = RedirectResponse("/inloggen", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/taal/{lang}")
def switch_language(request: Request, lang: str) -> Response:
    """Choose Dutch or English; back to where the user came from (same site only)."""
    back = request.headers.get("referer") or "/parken"
    if not back.startswith(str(request.base_url)):
        back = "/parken"
    response = RedirectResponse(back, status_code=303)
    response.set_cookie(
        LANG_COOKIE, "en" if lang == "en" else "nl", max_age=365 * 86400, samesite="lax"
    )
    return response


@router.get("/uitnodiging/{token}")
def invitation_form(request: Request, token: str, lang: str = Depends(get_lang)) -> Response:
    """The page where an invited person chooses a password."""
    return request.app.state.templates.TemplateResponse(
        request,
        "invitation.html",
        {"lang": lang, "viewer": None, "token": token, "error": None},
    )


@router.post("/uitnodiging/{token}")
def accept_invitation(
    request: Request,
    token: str,
    password: str = Form(..., max_length=500),
    db: Session = Depends(get_db, scope="function"),
    lang: str = Depends(get_lang),
) -> Response:
    """Create the invited account and log in."""
    try:
        user = users.accept_invitation(db, token, password)
    except ParkplanError as exc:
        return request.app.state.templates.TemplateResponse(
            request,
            "invitation.html",
            {"lang": lang, "viewer": None, "token": token, "error": exc.message(lang)},  # type: ignore[arg-type]
            status_code=400,
        )
    session_token, _ = users.open_session(db, user.id)
    response = RedirectResponse("/parken", status_code=303)
    _cookie(
        request,
        response,
        SESSION_COOKIE,
        session_token,
        int(users.SESSION_LIFETIME.total_seconds()),
    )
    return response
