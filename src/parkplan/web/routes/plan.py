"""The plan editor: stored analyses, narrative sections, preparation with progress, and the
uitvoeringsplan / plan van aanpak as PDF, Word, HTML or Markdown (:mod:`parkplan.services.plan`).

A plan contains company figures, so downloading it needs the full company list
(:func:`parkplan.domain.access.can_view_company_list`); editing the texts and preparing the
analyses need :func:`parkplan.domain.access.can_edit_plan`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from parkplan.domain.access import can_edit_plan, can_view_company_list
from parkplan.web.deps import Viewer, check_csrf, get_db, get_lang, require_viewer
from parkplan.web.forms import form_text
from parkplan.web.routes.common import job_id_of, job_redirect, require_park, submit_job
from parkplan.web.routes.pages import render

router = APIRouter(include_in_schema=False)

MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}
KIND_LABELS = {
    "uitvoeringsplan": ("Uitvoeringsplan", "Implementation plan"),
    "plan-van-aanpak": ("Plan van aanpak", "Plan of action"),
}
MAX_TEXT = 20_000


def _plan_page(
    request: Request,
    db: Session,
    viewer: Viewer,
    lang: str,
    park_id: str,
    *,
    saved: str = "",
    job_id: str = "",
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    p = viewer.principal
    return render(
        request,
        "plan.html",
        viewer,
        lang,
        **_context(db, park_id, lang),
        may_edit=can_edit_plan(p, park_id),
        may_download=can_view_company_list(p, park_id),
        saved=saved,
        job_id=job_id,
        errors=errors or {},
        status_code=status_code,
    )


def _context(db: Session, park_id: str, lang: str) -> dict[str, Any]:
    from parkplan.plan.narrative import default_narrative, section_keys
    from parkplan.services import plan as plan_service
    from parkplan.services import views

    stored = plan_service.stored_inputs(db, park_id)
    texts = plan_service.narratives(db, park_id)
    sections = []
    for key in section_keys():
        n = texts.get(key) or default_narrative(key, lang)
        sections.append({"key": key, "markdown": n.markdown, "stored": n.stored})
    analyses = [
        {
            "name": name,
            "created_at": row.created_at if row is not None else None,
            "refdata_version": row.refdata_version if row is not None else None,
        }
        for name in plan_service.ANALYSES
        for row in [stored.get(name)]
    ]
    return {
        "park": views.park_header(db, park_id),
        "analyses": analyses,
        "sections": sections,
        "kinds": [(k, v[0] if lang == "nl" else v[1]) for k, v in KIND_LABELS.items()],
        "formats": list(MEDIA),
        "has_simulation": "simulation" in stored,
    }


@router.get("/parken/{park_id}/plan")
def plan_page(
    request: Request,
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> Response:
    """Stored analyses, the narrative sections and the downloads of the plan."""
    require_park(viewer.principal, park_id)
    saved = request.query_params.get("opgeslagen", "")
    return _plan_page(request, db, viewer, lang, park_id, saved=saved, job_id=job_id_of(request))


@router.post("/parken/{park_id}/plan/tekst")
async def save_text(
    request: Request,
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(check_csrf),
    lang: str = Depends(get_lang),
) -> Response:
    """Store a new version of one narrative section (Markdown)."""
    from parkplan.domain.errors import ParkplanError
    from parkplan.services.plan import save_narrative

    require_park(viewer.principal, park_id, can_edit_plan)
    form = await request.form()
    errors: dict[str, str] = {}
    section = form_text(form, "section", errors, lang, max_length=50, required=True)
    text = form_text(form, "markdown", errors, lang, max_length=MAX_TEXT)
    if not errors:
        try:
            save_narrative(db, park_id, section, text, author=viewer.principal.email)
        except ParkplanError as exc:
            errors["_"] = exc.message(lang)  # type: ignore[arg-type]
        else:
            return RedirectResponse(
                f"/parken/{park_id}/plan?opgeslagen={section}#tekst-{section}", status_code=303
            )
    return _plan_page(request, db, viewer, lang, park_id, errors=errors, status_code=422)


@router.post("/parken/{park_id}/plan/voorbereiden")
def prepare_plan(
    request: Request,
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(check_csrf),
) -> Response:
    """Run and store the park's simulation for the plan in the background (with progress)."""
    from parkplan.services.views import park_header
    from parkplan.store.db import session_scope

    require_park(viewer.principal, park_id, can_edit_plan)
    park_header(db, park_id)  # 404 for an unknown park
    url = request.app.state.database_url

    def work(phase: Any) -> int:
        from parkplan.services.plan import prepare

        phase("simulating")
        with session_scope(url) as session:
            result_id = prepare(session, park_id)
            phase("saving")
        return result_id

    job = submit_job(request, viewer, park_id, "Plan voorbereiden", work)
    return job_redirect(f"/parken/{park_id}/plan", job)


@router.get("/parken/{park_id}/plan.{fmt}")
def download_plan(
    request: Request,
    park_id: str,
    fmt: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> Response:
    """The plan as a file, built from the stored results (``?soort=plan-van-aanpak``)."""
    from parkplan.domain.errors import NotFoundError
    from parkplan.services import plan as plan_service

    require_park(viewer.principal, park_id, can_view_company_list)
    if fmt not in MEDIA:
        raise NotFoundError(
            f"Onbekend formaat '{fmt}'; kies pdf, docx, html of md.",
            f"Unknown format '{fmt}'; choose pdf, docx, html or md.",
        )
    kind = request.query_params.get("soort", "uitvoeringsplan")
    if kind not in KIND_LABELS:
        kind = "uitvoeringsplan"
    document = plan_service.build_document(db, park_id, kind, lang=lang)
    with tempfile.TemporaryDirectory(prefix="parkplan-plan-") as tmp:
        path = plan_service.render(document, fmt, Path(tmp) / f"{kind}.{fmt}")
        content = path.read_bytes()
    name = f"{kind}-{park_id}.{fmt}"
    return Response(
        content,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
