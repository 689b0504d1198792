"""The import wizard: upload a park file or inventory, see every error, confirm to save.

Step 1 (``POST /importeren``) reads the upload (at most ``settings.max_upload_bytes``),
validates it completely with :func:`parkplan.services.imports.prepare_import` and does a dry
run of :func:`parkplan.services.imports.import_file`; nothing is written. Step 2
(``POST /importeren/bevestigen``) saves it all-or-nothing. Administrators may create parks;
park managers may replace their own park.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from parkplan.domain.access import Role, can_edit_park, is_admin
from parkplan.domain.errors import ParkplanError, ValidationError
from parkplan.services.parks import list_parks
from parkplan.web.deps import ForbiddenError, Viewer, check_csrf, get_db, get_lang, require_viewer
from parkplan.web.i18n import t
from parkplan.web.routes.pages import render

router = APIRouter(include_in_schema=False)

ALLOWED_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt", ".tsv", ".yaml", ".yml", ".json")
STAGE_LIFETIME_S = 3600.0
CHUNK = 64 * 1024


@dataclass
class Staged:
    """An upload that passed validation and waits for confirmation."""

    path: Path
    name: str
    park_id: str | None
    replace: bool
    user_id: int | None
    created_s: float


class UploadStage:
    """Uploads waiting for confirmation, in a private temporary directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._items: dict[str, Staged] = {}
        self._lock = threading.Lock()

    def add(self, item: Staged) -> str:
        """Keep an upload; returns its token."""
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._expire()
            self._items[token] = item
        return token

    def pop(self, token: str, user_id: int | None) -> Staged | None:
        """Take an upload back (only by who uploaded it)."""
        with self._lock:
            self._expire()
            item = self._items.get(token)
            if item is None or item.user_id != user_id:
                return None
            return self._items.pop(token)

    def _expire(self) -> None:
        now = time.monotonic()
        for token, item in list(self._items.items()):
            if now - item.created_s > STAGE_LIFETIME_S:
                item.path.unlink(missing_ok=True)
                del self._items[token]


def _may_import(viewer: Viewer) -> bool:
    p = viewer.principal
    return is_admin(p) or p.role is Role.PARK_MANAGER


def _targets(db: Session, viewer: Viewer) -> list[Any]:
    return [p for p in list_parks(db) if can_edit_park(viewer.principal, p.id)]


def _page(
    request: Request, db: Session, viewer: Viewer, lang: str, status: int = 200, **ctx: Any
) -> Response:
    defaults: dict[str, Any] = {
        "problems": [],
        "warnings": [],
        "report": None,
        "token": "",
        "error": None,
        "may_create": is_admin(viewer.principal),
        "targets": _targets(db, viewer),
        "max_mb": request.app.state.max_upload_bytes / 1e6,
    }
    defaults.update(ctx)
    return render(request, "import.html", viewer, lang, status_code=status, **defaults)


@router.get("/importeren")
def import_form(
    request: Request,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> Response:
    """Step 1: choose a file (administrators and park managers)."""
    if not _may_import(viewer):
        raise ForbiddenError()
    return _page(request, db, viewer, lang)


async def _read_upload(request: Request, upload: Any, limit: int) -> bytes | None:
    """The upload's bytes, or ``None`` when it exceeds ``limit``."""
    data = bytearray()
    while True:
        chunk = await upload.read(CHUNK)
        if not chunk:
            return bytes(data)
        data.extend(chunk)
        if len(data) > limit:
            return None


def _check_target(db: Session, viewer: Viewer, park_id: str, replace: bool, lang: str) -> None:
    from parkplan.store.repository import park_exists

    p = viewer.principal
    if park_exists(db, park_id):
        if not can_edit_park(p, park_id):
            raise ForbiddenError()
    elif not is_admin(p):
        raise ParkplanError(
            f"Park '{park_id}' bestaat nog niet; alleen een beheerder kan een nieuw park "
            "aanmaken. Kies uw eigen park als doel.",
            f"Park '{park_id}' does not exist yet; only an administrator can create a new "
            "park. Choose your own park as target.",
        )


@router.post("/importeren")
async def import_upload(
    request: Request,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(check_csrf),
    lang: str = Depends(get_lang),
) -> Response:
    """Step 2: validate the upload completely and show what would happen (nothing saved)."""

    limit = request.app.state.max_upload_bytes
    declared = request.headers.get("content-length", "")
    if _may_import(viewer) and declared.isdigit() and int(declared) > limit + CHUNK:
        return _page(request, db, viewer, lang, 413, error=_too_large(limit, lang))
    form = await request.form()
    try:
        if not _may_import(viewer):
            raise ForbiddenError()
        return await _check_upload(request, db, viewer, lang, form, limit)
    finally:
        await form.close()


async def _check_upload(
    request: Request, db: Session, viewer: Viewer, lang: str, form: Any, limit: int
) -> Response:
    from parkplan.services.imports import import_file, prepare_import

    upload = form.get("file")
    new_id = str(form.get("new_park_id", "")).strip()[:100]
    park_id = new_id or str(form.get("park_id", "")).strip()[:100] or None
    replace = form.get("replace") == "ja"
    name = Path(str(getattr(upload, "filename", "") or "")).name[:200]
    if upload is None or isinstance(upload, str) or not name:
        msg = "Kies een bestand." if lang == "nl" else "Choose a file."
        return _page(request, db, viewer, lang, 422, error=msg)
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        return _page(request, db, viewer, lang, 415, error=t("error.bad_type", lang))
    data = await _read_upload(request, upload, limit)
    if data is None:
        return _page(request, db, viewer, lang, 413, error=_too_large(limit, lang))
    stage: UploadStage = request.app.state.uploads
    path = stage.directory / f"{secrets.token_hex(8)}{Path(name).suffix.lower()}"
    path.write_bytes(data)
    keep = False
    try:
        prepared = prepare_import(path, park_id=park_id, name=name)
        _check_target(db, viewer, prepared.park.id, replace, lang)
        report = import_file(
            db,
            path,
            park_id=park_id,
            replace=replace,
            actor=viewer.principal.email,
            dry_run=True,
            name=name,
        )
        token = stage.add(
            Staged(path, name, park_id, replace, viewer.principal.user_id, time.monotonic())
        )
        keep = True
        return _page(
            request,
            db,
            viewer,
            lang,
            report=report,
            warnings=report.warnings,
            token=token,
        )
    except ValidationError as exc:
        problems = [p for p in exc.problems if p.severity == "error"]
        return _page(
            request, db, viewer, lang, 422, problems=problems or exc.problems, file_name=name
        )
    except ParkplanError as exc:
        return _page(request, db, viewer, lang, 422, error=exc.message(lang))  # type: ignore[arg-type]
    finally:
        if not keep:
            path.unlink(missing_ok=True)


def _too_large(limit: int, lang: str) -> str:
    mb = f"{limit / 1e6:.0f}"
    return f"{t('error.too_large', lang)} " + (
        f"Het maximum is {mb} MB; er is niets opgeslagen."
        if lang == "nl"
        else f"The limit is {mb} MB; nothing was saved."
    )


@router.post("/importeren/bevestigen")
async def import_confirm(
    request: Request,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(check_csrf),
    lang: str = Depends(get_lang),
) -> Response:
    """Step 3: save the validated upload all-or-nothing and open the park."""
    from parkplan.services.imports import import_file

    if not _may_import(viewer):
        raise ForbiddenError()
    form = await request.form()
    token = str(form.get("token", ""))[:100]
    stage: UploadStage = request.app.state.uploads
    item = stage.pop(token, viewer.principal.user_id)
    if item is None:
        msg = (
            "Deze import is verlopen of al uitgevoerd; upload het bestand opnieuw."
            if lang == "nl"
            else "This import has expired or was already done; upload the file again."
        )
        return _page(request, db, viewer, lang, 410, error=msg)
    try:
        prepared_id = item.park_id
        report = import_file(
            db,
            item.path,
            park_id=prepared_id,
            replace=item.replace,
            actor=viewer.principal.email,
            dry_run=True,
            name=item.name,
        )
        _check_target(db, viewer, report.park_id, item.replace, lang)
        report = import_file(
            db,
            item.path,
            park_id=prepared_id,
            replace=item.replace,
            actor=viewer.principal.email,
            name=item.name,
        )
    except ValidationError as exc:
        return _page(request, db, viewer, lang, 422, problems=exc.problems, file_name=item.name)
    except ParkplanError as exc:
        return _page(request, db, viewer, lang, 422, error=exc.message(lang))  # type: ignore[arg-type]
    finally:
        item.path.unlink(missing_ok=True)
    return RedirectResponse(f"/parken/{report.park_id}?geimporteerd=1", status_code=303)
