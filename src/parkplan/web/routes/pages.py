"""Server-rendered pages: parks overview with map, park dashboard, companies, company edit.

Every page asks :mod:`parkplan.domain.access` what the viewer may see; confidential company
figures never reach a page of someone who may not see them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from parkplan.domain.access import (
    Principal,
    Role,
    can_edit_company,
    can_invite,
    can_view_company,
    can_view_company_list,
    can_view_park,
)
from parkplan.domain.errors import NotFoundError, ParkplanError, ValidationError
from parkplan.reports.maps import MapFeature, map_svg
from parkplan.services import companies as company_service
from parkplan.services import views
from parkplan.services.parks import get_park, list_parks, summarise_companies
from parkplan.web.deps import (
    ForbiddenError,
    Viewer,
    check_csrf,
    drain_read_audit_after,
    get_db,
    get_lang,
    require_viewer,
)
from parkplan.web.forms import building_context, read_building_form
from parkplan.web.routes.common import require_park

router = APIRouter(include_in_schema=False)


def render(request: Request, name: str, viewer: Viewer, lang: str, **context: Any) -> Response:
    """Render a page template with the common context."""
    status = context.pop("status_code", 200)
    return request.app.state.templates.TemplateResponse(
        request,
        name,
        {"viewer": viewer, "lang": lang, "csrf_token": viewer.csrf_token, **context},
        status_code=status,
    )


def visible_park_ids(session: Session, who: Principal) -> list[str]:
    """Ids of the parks the user may see."""
    return [p.id for p in list_parks(session) if can_view_park(who, p.id)]


@router.get("/")
def home() -> Response:
    """The start page is the parks overview."""
    return RedirectResponse("/parken", status_code=303)


@router.get("/parken")
def parks_page(
    request: Request,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> Response:
    """All parks the user may see, on a map and in a table."""
    parks = [p for p in list_parks(db) if can_view_park(viewer.principal, p.id)]
    features = []
    for summary in parks:
        park = get_park(db, summary.id)
        if park.location is not None:
            features.append(
                MapFeature(
                    park.location.lat,
                    park.location.lon,
                    park.name,
                    f"/parken/{park.id}",
                    park.outline_geojson,
                    weight=summary.company_count,  # larger parks place their label first
                )
            )
    title = "Kaart van de parken" if lang == "nl" else "Map of the parks"
    return render(
        request, "parks.html", viewer, lang, parks=parks, map=map_svg(features, title=title)
    )


@router.get("/parken/{park_id}")
def park_dashboard(
    request: Request,
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> Response:
    """Key figures and the baseline of one park (aggregates only)."""
    require_park(viewer.principal, park_id)
    may_list = can_view_company_list(viewer.principal, park_id)
    park, baseline, park_map = views.park_dashboard_parts(db, park_id, lang, named=may_list)
    own = viewer.principal.company_id
    return render(
        request,
        "park.html",
        viewer,
        lang,
        park=park,
        baseline=baseline,
        park_map=park_map,
        may_list=may_list,
        may_invite=any(can_invite(viewer.principal, park_id, r) for r in Role),
        own_company=own if own and views.has_company(db, park_id, own) else None,
        imported=request.query_params.get("geimporteerd") == "1",
    )


@router.get("/parken/{park_id}/kaart.svg")
def park_map_image(
    request: Request,
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> Response:
    """The park dashboard's map as an image of its own (SVG), so the page stays small and
    the browser keeps the map until the park changes (ETag of the park's fingerprint)."""
    require_park(viewer.principal, park_id)
    may_list = can_view_company_list(viewer.principal, park_id)
    svg = views.park_map(db, park_id, lang, named=may_list)
    if svg is None:
        raise NotFoundError("Dit park heeft geen kaart.", "This park has no map.")
    etag = '"' + hashlib.sha256(f"{may_list}{lang}{svg}".encode()).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(svg, media_type="image/svg+xml", headers=headers)


@router.get("/parken/{park_id}/bedrijven")
def companies_page(
    request: Request,
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> Response:
    """The companies of a park with their figures (park manager, advisor, administrator)."""
    require_park(viewer.principal, park_id)
    if not can_view_company_list(viewer.principal, park_id):
        own = viewer.principal.company_id
        if own:
            return RedirectResponse(f"/parken/{park_id}/bedrijven/{own}", status_code=303)
        raise ForbiddenError()
    park = get_park(db, park_id)
    return render(
        request, "companies.html", viewer, lang, park=park, companies=summarise_companies(park)
    )


@router.get("/parken/{park_id}/bedrijven/{company_id}")
def company_page(
    request: Request,
    park_id: str,
    company_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> Response:
    """One company's data (when the viewer may see it; the read is audited)."""
    require_park(viewer.principal, park_id)
    park, company = views.read_company_page(
        db, viewer.principal, park_id, company_id, audit=request.app.state.read_audit
    )
    page = render(
        request,
        "company.html",
        viewer,
        lang,
        park=park,
        company=company,
        may_edit=can_edit_company(viewer.principal, park_id, company_id),
        saved=request.query_params.get("opgeslagen") == "1",
        erased=request.query_params.get("gewist") == "1",
    )
    return drain_read_audit_after(request, page)  # the read's audit entry, after the answer


EDIT_FIELDS: tuple[tuple[str, str, str, str], ...] = (
    # (park-file path, kind, Dutch label, English label)
    ("name", "text", "Naam", "Name"),
    ("employees", "int", "Werknemers", "Employees"),
    ("floor_area_m2", "number", "Vloeroppervlak [m²]", "Floor area [m²]"),
    ("office_area_m2", "number", "Kantooroppervlak [m²]", "Office area [m²]"),
    (
        "electricity.annual_kwh",
        "number",
        "Afname elektriciteit per jaar [kWh]",
        "Electricity offtake per year [kWh]",
    ),
    (
        "electricity.annual_feed_in_kwh",
        "number",
        "Teruglevering per jaar [kWh]",
        "Feed-in per year [kWh]",
    ),
    (
        "electricity.annual_produced_kwh",
        "number",
        "Eigen opwek per jaar [kWh]",
        "Own production per year [kWh]",
    ),
    (
        "electricity.peak_kw",
        "number",
        "Hoogste kwartiervermogen [kW]",
        "Highest 15-minute power [kW]",
    ),
    ("gas.annual_m3", "number", "Aardgas per jaar [m³]", "Natural gas per year [m³]"),
    ("engagement.bond_with_park", "int", "Band met het park (1-5)", "Bond with the park (1-5)"),
    (
        "engagement.bond_with_companies",
        "int",
        "Band met andere ondernemers (1-5)",
        "Bond with other entrepreneurs (1-5)",
    ),
    (
        "engagement.interest.energy_hub",
        "answer",
        "Interesse energiehub",
        "Interest in an energy hub",
    ),
    (
        "engagement.interest.shared_solar",
        "answer",
        "Interesse gedeelde zonnepanelen",
        "Interest in shared solar",
    ),
    (
        "engagement.interest.shared_battery",
        "answer",
        "Interesse gedeelde batterij",
        "Interest in a shared battery",
    ),
    (
        "engagement.consent_share_data",
        "bool",
        "Toestemming om gegevens te delen",
        "Consent to share data",
    ),
)


def render_company_form(
    request: Request,
    db: Session,
    viewer: Viewer,
    lang: str,
    park_id: str,
    company_id: str,
    form: tuple[str, Callable[[Any], dict[str, Any]]],
    status_code: int = 200,
) -> Response:
    """A form about one company (edit form, survey): the company as the viewer may read it,
    its park, and for ``form = (template, context)`` the template with ``context(company)``."""
    template, context = form
    company = company_service.read_company(db, viewer.principal, park_id, company_id)
    park = get_park(db, park_id)
    return render(
        request,
        template,
        viewer,
        lang,
        park=park,
        company=company,
        status_code=status_code,
        **context(company),
    )


def _edit_form(
    lang: str,
    values: dict[str, str] | None = None,
    building: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> tuple[str, Callable[[Any], dict[str, Any]]]:
    """The edit form with the stored values, or with the posted ``values`` and ``errors``."""
    return "company_edit.html", lambda company: {
        "fields": _edit_context(company, values),
        "building": building_context(company, building, lang),
        "errors": errors or {},
    }


def _current(company: Any, path: str) -> Any:
    node: Any = company
    for part in path.split("."):
        if node is None:
            return None
        node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
    return node


def _parse_form_value(kind: str, raw: str) -> Any:
    from parkplan.io.dutch_numbers import is_empty, parse_number

    text = raw.strip()
    if kind == "text":
        return text or None
    if kind == "answer":
        return text if text in ("yes", "maybe", "no") else None
    if kind == "bool":
        return {"ja": True, "nee": False}.get(text)
    if is_empty(text):
        return None
    return parse_number(text, integer=kind == "int")


def _edit_context(company: Any, values: dict[str, str] | None) -> list[dict[str, Any]]:
    from parkplan.web.i18n import format_number

    fields = []
    for path, kind, nl, en in EDIT_FIELDS:
        current = _current(company, path)
        if values is not None:
            shown = values.get(path, "")
        elif current is None:
            shown = ""
        elif kind == "bool":
            shown = "ja" if current else "nee"
        elif kind in ("number", "int"):
            shown = format_number(current, 0 if float(current).is_integer() else 2)
        else:
            shown = str(current)
        fields.append({"path": path, "kind": kind, "nl": nl, "en": en, "value": shown})
    return fields


@router.get("/parken/{park_id}/bedrijven/{company_id}/wijzigen")
def company_edit_form(
    request: Request,
    park_id: str,
    company_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> Response:
    """The edit form of a company (owner, park manager, administrator)."""
    if not can_edit_company(viewer.principal, park_id, company_id):
        raise ForbiddenError()
    page = _edit_form(lang)
    return render_company_form(request, db, viewer, lang, park_id, company_id, page)


@router.post("/parken/{park_id}/bedrijven/{company_id}/wijzigen")
async def company_edit(
    request: Request,
    park_id: str,
    company_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(check_csrf),
    lang: str = Depends(get_lang),
) -> Response:
    """Validate and save the form; on errors show them per field and change nothing."""
    if not can_edit_company(viewer.principal, park_id, company_id):
        raise ForbiddenError()
    form = await request.form()
    values = {path: str(form.get(path, "")) for path, *_ in EDIT_FIELDS}
    current = company_service.find_company(get_park(db, park_id), company_id)
    untouched = {f["path"] for f in _edit_context(current, None) if f["value"] == values[f["path"]]}
    errors: dict[str, str] = {}
    changes, building = read_building_form(form, errors, lang, known_uses=(*current.building_use,))
    for path, kind, *_ in EDIT_FIELDS:
        if path in untouched:
            continue  # as shown: unchanged (keeps its precision and its origin)
        try:
            changes[path] = _parse_form_value(kind, values[path])
        except ParkplanError as exc:
            errors[path] = exc.message(lang)  # type: ignore[arg-type]
        except ValueError as exc:
            message = getattr(exc, "nl" if lang == "nl" else "en", None) or str(exc)
            errors[path] = message
    if not errors:
        try:
            company_service.update_company(db, viewer.principal, park_id, company_id, changes)
        except ValidationError as exc:
            for p in exc.errors:
                field = p.path.split("].", 1)[-1] if "]." in p.path else p.path
                known = field in values or field in building
                errors[field if known else "_"] = p.message(lang)  # type: ignore[arg-type]
        else:
            return RedirectResponse(
                f"/parken/{park_id}/bedrijven/{company_id}?opgeslagen=1", status_code=303
            )
    page = _edit_form(lang, values, building, errors)
    return render_company_form(request, db, viewer, lang, park_id, company_id, page, 422)


def may_view(viewer: Viewer, park_id: str, company: Any) -> bool:
    """Whether the viewer may see this company's figures (for templates and the API)."""
    consented = bool(company.engagement and company.engagement.consent_share_data)
    return can_view_company(viewer.principal, park_id, company.id, consented=consented)
