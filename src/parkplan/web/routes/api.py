"""The JSON API (OpenAPI at /api/openapi.json). Same session cookie as the pages; changes
need the session's CSRF token in the ``X-CSRF-Token`` header."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends
from pydantic import BaseModel
from sqlalchemy.orm import Session

from parkplan.domain.access import can_view_company_list, can_view_park
from parkplan.services import companies as company_service
from parkplan.services import views
from parkplan.services.parks import (
    CompanySummary,
    ParkSummary,
    get_park,
    list_parks,
    summarise_companies,
    summarise_park,
)
from parkplan.web.deps import ForbiddenError, Viewer, check_csrf, get_db, get_lang, require_viewer

router = APIRouter(prefix="/api", tags=["api"])


class Me(BaseModel):
    """The logged-in user."""

    email: str
    role: str
    park_ids: list[str]
    company_id: str | None
    csrf_token: str
    """Send this in the X-CSRF-Token header with every change."""


@router.get("/me", response_model=Me)
def me(viewer: Viewer = Depends(require_viewer)) -> Me:
    """Who is logged in, with the CSRF token for changes."""
    p = viewer.principal
    return Me(
        email=p.email,
        role=p.role.value,
        park_ids=sorted(p.park_ids),
        company_id=p.company_id,
        csrf_token=viewer.csrf_token,
    )


@router.get("/parks", response_model=list[ParkSummary])
def parks(
    db: Session = Depends(get_db, scope="function"), viewer: Viewer = Depends(require_viewer)
) -> list[ParkSummary]:
    """The parks the user may see, with aggregates (kWh, m3, kW, m2 in the key names)."""
    return [p for p in list_parks(db) if can_view_park(viewer.principal, p.id)]


def _park(db: Session, viewer: Viewer, park_id: str) -> Any:
    if not can_view_park(viewer.principal, park_id):
        raise ForbiddenError()
    return get_park(db, park_id)


@router.get("/parks/{park_id}", response_model=ParkSummary)
def park(
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
) -> ParkSummary:
    """One park's aggregates."""
    return summarise_park(_park(db, viewer, park_id))


@router.get("/parks/{park_id}/baseline")
def baseline(
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> dict[str, Any]:
    """The baseline (nulmeting); per-company figures only for who may see them all."""
    if not can_view_park(viewer.principal, park_id):
        raise ForbiddenError()
    data = views.stored_baseline(db, park_id, lang)
    if not can_view_company_list(viewer.principal, park_id):
        data.pop("companies", None)
    return data


@router.get("/parks/{park_id}/companies", response_model=list[CompanySummary])
def companies(
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
) -> list[CompanySummary]:
    """The companies with their figures (park manager, advisor, administrator)."""
    p = _park(db, viewer, park_id)
    if not can_view_company_list(viewer.principal, park_id):
        raise ForbiddenError()
    return summarise_companies(p)


@router.get("/parks/{park_id}/companies/{company_id}")
def company(
    park_id: str,
    company_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
) -> dict[str, Any]:
    """One company in park-file form (when the user may see it; the read is audited)."""
    from parkplan.io.parkfile import park_to_document

    if not can_view_park(viewer.principal, park_id):
        raise ForbiddenError()
    c = company_service.read_company(db, viewer.principal, park_id, company_id)
    doc = park_to_document(get_park(db, park_id))
    return next(d for d in doc["companies"] if d["id"] == c.id)


@router.patch("/parks/{park_id}/companies/{company_id}")
def update_company(
    park_id: str,
    company_id: str,
    changes: dict[str, Any] = Body(
        ...,
        examples=[{"electricity.annual_kwh": 125000, "engagement.interest.energy_hub": "yes"}],
    ),
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(check_csrf),
) -> dict[str, Any]:
    """Change fields given as park-file paths; all are validated, then saved or none is."""
    from parkplan.io.parkfile import park_to_document

    if not can_view_park(viewer.principal, park_id):
        raise ForbiddenError()
    company_service.update_company(db, viewer.principal, park_id, company_id, changes)
    doc = park_to_document(get_park(db, park_id))
    return next(d for d in doc["companies"] if d["id"] == company_id)
