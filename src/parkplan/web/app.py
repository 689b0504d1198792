"""The parkplan web application: server-rendered Dutch pages and a JSON API.

``create_app()`` builds the FastAPI application; ``parkplan serve`` runs it with uvicorn.
Pages, API and CLI call the same service functions (:mod:`parkplan.services`); this module
only translates requests and answers.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from parkplan import __version__
from parkplan.domain.errors import NotFoundError, ParkplanError, ValidationError
from parkplan.services.companies import AccessDeniedError
from parkplan.services.views import ReadAuditWriter
from parkplan.store.accounts import watch_accounts
from parkplan.web.deps import (
    SESSION_COOKIE,
    CsrfError,
    ForbiddenError,
    LoginRequiredError,
    Viewer,
    get_lang,
    optional_viewer,
)
from parkplan.web.i18n import format_date, format_eur, format_number, t
from parkplan.web.security import LoginThrottle, SessionCache

WEB_DIR = Path(__file__).resolve().parent
GIL_SWITCH_INTERVAL_S = 0.001
"""Thread switch interval while the app serves (Python's default: 0.005). [s]"""


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
    env = templates.env
    env.globals["t"] = t
    env.filters["num"] = format_number
    env.filters["eur"] = format_eur
    env.filters["datum"] = format_date
    env.globals["version"] = __version__
    env.auto_reload = False  # templates ship with the package: no stat() per page view
    return templates


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(database_url: str | None = None, *, secure_cookies: bool = True) -> FastAPI:
    """The web application.

    Parameters
    ----------
    database_url
        SQLAlchemy URL; default the configured database (``PARKPLAN_DATABASE_URL``).
    secure_cookies
        Mark cookies ``Secure`` (browsers accept them on https and on localhost).
    """
    from parkplan.settings import get_settings
    from parkplan.web.jobs import JobRunner
    from parkplan.web.routes import (
        api,
        auth,
        engage,
        followup,
        gain,
        imports,
        optimize,
        pages,
        plan,
        scenarios,
    )

    settings = get_settings()
    url = database_url or settings.resolved_database_url
    read_audit = ReadAuditWriter(url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # pages run in worker threads that wait for the GIL after every database call; a
        # shorter switch interval (default 5 ms) lets them continue sooner under load
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, GIL_SWITCH_INTERVAL_S))
        yield
        read_audit.close()  # audit entries of reads still queued are written before exit
        sys.setswitchinterval(interval)

    app = FastAPI(
        lifespan=lifespan,
        title="parkplan",
        version=__version__,
        description="Toekomstbestendige bedrijventerreinen: JSON-API. Inloggen via /inloggen; "
        "de API gebruikt dezelfde sessie en vraagt bij wijzigingen de kop X-CSRF-Token.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.database_url = url
    app.state.session_cache = SessionCache[Viewer]()
    watch_accounts(app.state.session_cache)  # log out, role change: forgotten at once
    app.state.read_audit = read_audit
    app.state.templates = _templates()
    app.state.throttle = LoginThrottle()
    app.state.secure_cookies = secure_cookies
    app.state.max_upload_bytes = settings.max_upload_bytes
    app.state.jobs = JobRunner(workers=1)
    upload_dir = tempfile.mkdtemp(prefix="parkplan-uploads-")
    weakref.finalize(app, shutil.rmtree, upload_dir, True)
    app.state.uploads = imports.UploadStage(Path(upload_dir))
    app.mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static")
    app.include_router(auth.router)
    app.include_router(pages.router)
    app.include_router(api.router)
    app.include_router(scenarios.router)
    app.include_router(scenarios.api)
    app.include_router(imports.router)
    app.include_router(engage.router)
    app.include_router(plan.router)
    app.include_router(gain.router)
    app.include_router(followup.router)
    optimize.register(app)  # optimisation pages and API, business case API

    async def page(request: Request, status: int, message: str) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=status)
        lang = get_lang(request)
        viewer = await _error_viewer(request)  # the same header (logout, language) as pages
        context = {
            "lang": lang,
            "viewer": viewer,
            "csrf_token": viewer.csrf_token if viewer is not None else "",
            "message": message,
            "status": status,
        }
        return app.state.templates.TemplateResponse(
            request, "error.html", context, status_code=status
        )

    @app.exception_handler(LoginRequiredError)
    async def login_required(request: Request, exc: LoginRequiredError) -> Response:
        lang = get_lang(request)
        if _wants_json(request):
            key = "login.expired" if exc.expired else "nav.login"
            return JSONResponse({"detail": t(key, lang)}, status_code=401)
        target = "/inloggen?verlopen=1" if exc.expired else "/inloggen"
        response = RedirectResponse(target, status_code=303)
        if exc.expired:
            response.delete_cookie("parkplan_session")
        return response

    @app.exception_handler(ForbiddenError)
    @app.exception_handler(AccessDeniedError)
    async def forbidden(request: Request, exc: Exception) -> Response:
        return await page(request, 403, t("error.forbidden", get_lang(request)))

    @app.exception_handler(CsrfError)
    async def csrf_failed(request: Request, exc: CsrfError) -> Response:
        return await page(request, 403, t("error.csrf", get_lang(request)))

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return await page(request, 404, exc.message(get_lang(request)))  # type: ignore[arg-type]

    @app.exception_handler(ValidationError)
    async def invalid(request: Request, exc: ValidationError) -> Response:
        lang = get_lang(request)
        if _wants_json(request):
            return JSONResponse(
                {
                    "detail": exc.message(lang),  # type: ignore[arg-type]
                    "problems": [p.to_dict(lang) for p in exc.problems],  # type: ignore[arg-type]
                },
                status_code=422,
            )
        return await page(request, 422, exc.render(lang))  # type: ignore[arg-type]

    @app.exception_handler(ParkplanError)
    async def domain_error(request: Request, exc: ParkplanError) -> Response:
        return await page(request, 400, exc.message(get_lang(request)))  # type: ignore[arg-type]

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # an unknown address in the browser: the Dutch error page, not {"detail": "Not Found"}
        if exc.status_code == 404 and not _wants_json(request):
            return await page(request, 404, t("error.not_found", get_lang(request)))
        return await http_exception_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> Response:
        lang = get_lang(request)
        message = "Ongeldige invoer." if lang == "nl" else "Invalid input."
        if _wants_json(request):
            return JSONResponse({"detail": message, "errors": _errors(exc)}, status_code=422)
        return await page(request, 422, message)

    return app


async def _error_viewer(request: Request) -> Viewer | None:
    """The logged-in user of a request that ended in an error page, or ``None``.

    Looked up as :func:`parkplan.web.deps.optional_viewer` does (session cache first), in a
    database session of its own: the request's session may already be rolled back. A
    failure to look the user up never hides the error page: it is then shown anonymously.
    """
    if SESSION_COOKIE not in request.cookies:
        return None
    from parkplan.store.db import open_session

    session = open_session(request.app.state.database_url)  # no I/O until the first query
    try:
        return await optional_viewer(request, session)
    except Exception:  # an error page without the user menu, not a crash
        return None
    finally:
        await run_in_threadpool(session.close)


def _errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors()]
