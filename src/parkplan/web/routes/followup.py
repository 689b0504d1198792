"""Follow-up pages: roadmap actions with status, KPI progress per year, park news."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from parkplan.domain.access import can_edit_park
from parkplan.domain.errors import ParkplanError
from parkplan.services import followup
from parkplan.services.views import park_header
from parkplan.web.deps import Viewer, check_csrf, get_db, get_lang, require_viewer
from parkplan.web.forms import form_number, form_text
from parkplan.web.routes.common import require_park
from parkplan.web.routes.pages import render

router = APIRouter(include_in_schema=False)


def _page(
    request: Request, db: Session, viewer: Viewer, lang: str, park_id: str, **ctx: Any
) -> Response:
    who = viewer.principal
    status = ctx.pop("status_code", 200)
    return render(
        request,
        "followup.html",
        viewer,
        lang,
        park=park_header(db, park_id),
        actions=followup.list_actions(db, who, park_id),
        kpis=followup.kpi_table(db, who, park_id),
        news=followup.list_news(db, who, park_id),
        phases=followup.PHASE_LABELS,
        statuses=followup.STATUS_LABELS,
        may_edit=can_edit_park(who, park_id),
        errors=ctx.pop("errors", {}),
        this_year=date.today().year,
        status_code=status,
        **ctx,
    )


@router.get("/parken/{park_id}/voortgang")
def followup_page(
    request: Request,
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> Response:
    """Roadmap actions, KPIs per year against the plan and news (every park member)."""
    require_park(viewer.principal, park_id)
    return _page(request, db, viewer, lang, park_id)


def _due(text: str, errors: dict[str, str], lang: str) -> date | None:
    if not text:
        return None
    try:
        return datetime.strptime(text, "%d-%m-%Y").date()
    except ValueError:
        try:
            return date.fromisoformat(text)
        except ValueError:
            errors["due"] = (
                f"Datum niet herkend; verwacht dd-mm-jjjj (gevonden: '{text}')."
                if lang == "nl"
                else f"Date not recognised; expected dd-mm-yyyy (found: '{text}')."
            )
            return None


@router.post("/parken/{park_id}/voortgang/{what}")
async def followup_change(
    request: Request,
    park_id: str,
    what: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(check_csrf),
    lang: str = Depends(get_lang),
) -> Response:
    """Add an action (``actie``), change a status (``status``), record a KPI (``kpi``) or
    publish news (``nieuws``); on any error nothing is saved and the page says why."""
    who = viewer.principal
    require_park(who, park_id, can_edit_park)
    form = await request.form()
    errors: dict[str, str] = {}
    try:
        if what == "actie":
            title = form_text(form, "title", errors, lang, required=True)
            owner = form_text(form, "owner", errors, lang, max_length=100) or None
            due = _due(form_text(form, "due", errors, lang, max_length=20), errors, lang)
            phase = str(form.get("phase", ""))
            if not errors:
                followup.add_action(
                    db, who, park_id, title=title, phase=phase, owner=owner, due=due
                )
        elif what == "status":
            action_id = form_number(form, "action_id", errors, lang, integer=True, required=True)
            if not errors:
                followup.set_action_status(
                    db, who, park_id, int(action_id or 0), str(form.get("status", ""))
                )
        elif what == "kpi":
            year = form_number(form, "year", errors, lang, integer=True, required=True)
            value = form_number(form, "value", errors, lang, minimum=None, maximum=1e12)
            target = form_number(form, "target", errors, lang, minimum=None, maximum=1e12)
            source = form_text(form, "source", errors, lang) or None
            if not errors:
                followup.record_kpi(
                    db,
                    who,
                    park_id,
                    str(form.get("kpi", "")),
                    int(year or 0),
                    value=value,
                    target=target,
                    source=source,
                )
        elif what == "nieuws":
            title = form_text(form, "title", errors, lang, required=True)
            body = form_text(form, "body", errors, lang, max_length=10_000, required=True)
            if not errors:
                followup.post_news(db, who, park_id, title, body)
        else:
            errors["_"] = "Onbekende handeling." if lang == "nl" else "Unknown action."
    except ParkplanError as exc:
        errors["_"] = exc.message(lang)  # type: ignore[arg-type]
    if errors:
        db.rollback()
        return _page(request, db, viewer, lang, park_id, errors=errors, status_code=422)
    return RedirectResponse(f"/parken/{park_id}/voortgang?opgeslagen=1", status_code=303)
