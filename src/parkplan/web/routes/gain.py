""" "Wat levert het mij op?": one company's business case and its share of the energy hub's
benefit, read from the STORED results (``business_case`` and ``share``, made by
``parkplan plan ... --scenario`` or :func:`parkplan.services.plan.store_business_case`).

Only who may see the company's confidential data sees this page (the read is audited).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from parkplan.domain.access import can_view_park
from parkplan.services import views
from parkplan.web.deps import ForbiddenError, Viewer, get_db, get_lang, require_viewer
from parkplan.web.routes.pages import render

router = APIRouter(include_in_schema=False)


def _latest(db: Session, park_id: str, kind: str) -> Any:
    from parkplan.store.repository import list_results

    rows = list_results(db, park_id, kind)
    return rows[-1] if rows else None


def company_gain(db: Session, park_id: str, company_id: str) -> dict[str, Any]:
    """The company's rows of the newest stored business case and hub split (or ``None``)."""
    case_row = _latest(db, park_id, "business_case")
    share_row = _latest(db, park_id, "share")
    case = None
    if case_row is not None:
        case = next(
            (c for c in (case_row.payload or {}).get("companies", []) if c.get("id") == company_id),
            None,
        )
    share = None
    if share_row is not None:
        payload = share_row.payload or {}
        share = next((c for c in payload.get("companies", []) if c.get("id") == company_id), None)
        if share is not None:
            share = {**share, "hub": payload.get("hub"), "method": payload.get("method")}
    return {
        "case": case,
        "share": share,
        "scenario": (case_row.key if case_row is not None else None) or None,
        "created_at": case_row.created_at if case_row is not None else None,
        "refdata_version": case_row.refdata_version if case_row is not None else None,
    }


@router.get("/parken/{park_id}/bedrijven/{company_id}/opbrengst")
def gain_page(
    request: Request,
    park_id: str,
    company_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> Response:
    """What the company gains: investment, yearly saving, payback, its hub share."""
    if not can_view_park(viewer.principal, park_id):
        raise ForbiddenError()
    company = views.read_one_company(db, viewer.principal, park_id, company_id)
    return render(
        request,
        "gain.html",
        viewer,
        lang,
        park=views.park_header(db, park_id),
        company=company,
        **company_gain(db, park_id, company_id),
    )
