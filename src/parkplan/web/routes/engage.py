"""Entrepreneurs and people: the engagement survey, invitations by link, privacy (AVG),
and the park selection page."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from parkplan.domain.access import (
    ROLE_LABELS,
    Role,
    can_compare_parks,
    can_edit_company,
    can_invite,
    can_view_park,
)
from parkplan.domain.errors import ParkplanError, ValidationError
from parkplan.services import companies as company_service
from parkplan.services.parks import get_park, list_parks
from parkplan.web.deps import ForbiddenError, Viewer, check_csrf, get_db, get_lang, require_viewer
from parkplan.web.forms import form_number, form_text, posted_values
from parkplan.web.routes.pages import render, render_company_form

router = APIRouter(include_in_schema=False)

MEASURES: tuple[tuple[str, str, str], ...] = (
    # park-file key, Dutch, English (docs/parkfile.md: engagement.interest)
    ("energy_hub", "Energiehub (samen netcapaciteit delen)", "Energy hub (sharing grid capacity)"),
    ("shared_solar", "Gedeelde zonnepanelen", "Shared solar panels"),
    ("shared_battery", "Gedeelde batterij", "Shared battery"),
    ("rooftop_pv", "Zonnepanelen op eigen dak", "Solar panels on own roof"),
    ("battery", "Eigen batterij", "Own battery"),
    ("heat_pump", "Warmtepomp", "Heat pump"),
    ("ev_charging", "Elektrisch laden van wagenpark", "Charging an electric fleet"),
    ("joint_procurement", "Gezamenlijke inkoop", "Joint procurement"),
    ("greening", "Vergroening van het terrein", "Greening the park"),
    ("water_storage", "Waterberging", "Water storage"),
)
ANSWERS = (("yes", "ja", "yes"), ("maybe", "misschien", "maybe"), ("no", "nee", "no"))


# ------------------------------------------------------------------------------ survey


def _survey_values(company: Any) -> dict[str, str]:
    e = company.engagement
    if e is None:
        return {}
    values = {
        "bond_with_park": "" if e.bond_with_park is None else str(e.bond_with_park),
        "bond_with_companies": "" if e.bond_with_companies is None else str(e.bond_with_companies),
        "consent": {True: "ja", False: "nee"}.get(e.consent_share_data, ""),
    }
    values.update({f"interest.{k}": v for k, v in (e.interest or {}).items()})
    return values


@router.get("/parken/{park_id}/bedrijven/{company_id}/enquete")
def survey_form(
    request: Request,
    park_id: str,
    company_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> Response:
    """The engagement survey of one company (its entrepreneur, park manager, administrator)."""
    if not can_edit_company(viewer.principal, park_id, company_id):
        raise ForbiddenError()
    saved = request.query_params.get("opgeslagen") == "1"
    page = _survey_form(saved=saved)
    return render_company_form(request, db, viewer, lang, park_id, company_id, page)


def _survey_form(
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    saved: bool = False,
) -> tuple[str, Callable[[Any], dict[str, Any]]]:
    """The survey with the stored answers, or with the posted ``values`` and ``errors``."""
    return "survey.html", lambda company: {
        "values": _survey_values(company) if values is None else values,
        "measures": MEASURES,
        "answers": ANSWERS,
        "errors": errors or {},
        "saved": saved,
    }


@router.post("/parken/{park_id}/bedrijven/{company_id}/enquete")
async def survey_save(
    request: Request,
    park_id: str,
    company_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(check_csrf),
    lang: str = Depends(get_lang),
) -> Response:
    """Save the survey answers (all validated; on any error nothing is saved)."""
    if not can_edit_company(viewer.principal, park_id, company_id):
        raise ForbiddenError()
    form = await request.form()
    errors: dict[str, str] = {}
    changes: dict[str, Any] = {}
    for key in ("bond_with_park", "bond_with_companies"):
        changes[f"engagement.{key}"] = form_number(
            form, key, errors, lang, integer=True, minimum=1, maximum=5
        )
    interest = {}
    for key, *_ in MEASURES:
        answer = str(form.get(f"interest.{key}", ""))
        if answer in ("yes", "maybe", "no"):
            interest[key] = answer
        elif answer:
            errors[f"interest.{key}"] = (
                "Kies ja, misschien of nee." if lang == "nl" else "Choose yes, maybe or no."
            )
    changes["engagement.interest"] = interest or None
    consent = str(form.get("consent", ""))
    if consent not in ("", "ja", "nee"):
        errors["consent"] = "Kies ja of nee." if lang == "nl" else "Choose yes or no."
    changes["engagement.consent_share_data"] = {"ja": True, "nee": False}.get(consent)
    if not errors:
        try:
            company_service.update_company(db, viewer.principal, park_id, company_id, changes)
        except ValidationError as exc:
            errors["_"] = exc.render(lang)  # type: ignore[arg-type]
        else:
            return RedirectResponse(
                f"/parken/{park_id}/bedrijven/{company_id}/enquete?opgeslagen=1", status_code=303
            )
    page = _survey_form(posted_values(form), errors)
    return render_company_form(request, db, viewer, lang, park_id, company_id, page, 422)


# ----------------------------------------------------------------------------- privacy


@router.get("/privacy")
def privacy_page(
    request: Request, viewer: Viewer = Depends(require_viewer), lang: str = Depends(get_lang)
) -> Response:
    """What personal data parkplan keeps, why, how long, and how to export or erase it."""
    from parkplan.services.privacy import RETENTION_EN, RETENTION_NL

    return render(
        request,
        "privacy.html",
        viewer,
        lang,
        retention=RETENTION_NL if lang == "nl" else RETENTION_EN,
    )


@router.get("/parken/{park_id}/bedrijven/{company_id}/contactpersoon.json")
def contact_export(
    park_id: str,
    company_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
) -> Response:
    """Download the contact person's personal data as JSON (audited)."""
    from parkplan.services.privacy import export_contact

    data = export_contact(db, viewer.principal, park_id, company_id)
    return JSONResponse(
        data,
        headers={
            "Content-Disposition": f'attachment; filename="contactpersoon-{company_id}.json"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/parken/{park_id}/bedrijven/{company_id}/contactpersoon/wissen")
def contact_erase(
    park_id: str,
    company_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(check_csrf),
) -> Response:
    """Erase the contact person's personal data (audited; earlier audit values blanked)."""
    from parkplan.services.privacy import erase_contact

    erase_contact(db, viewer.principal, park_id, company_id)
    return RedirectResponse(f"/parken/{park_id}/bedrijven/{company_id}?gewist=1", status_code=303)


# ------------------------------------------------------------------------- invitations


def _invite_roles(viewer: Viewer, park_id: str) -> list[Role]:
    """The roles the viewer may invite to the park; 403 when none (or not a park member)."""
    roles = [
        r for r in Role if r is not Role.ADMINISTRATOR and can_invite(viewer.principal, park_id, r)
    ]
    if not can_view_park(viewer.principal, park_id) or not roles:
        raise ForbiddenError()
    return roles


@router.get("/parken/{park_id}/uitnodigen")
def invite_form(
    request: Request,
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> Response:
    """Invite someone to the park by link (park managers invite their entrepreneurs)."""
    roles = _invite_roles(viewer, park_id)
    return _invite_page(request, db, viewer, lang, park_id, roles)


def _invite_page(
    request: Request,
    db: Session,
    viewer: Viewer,
    lang: str,
    park_id: str,
    roles: list[Role],
    status: int = 200,
    **ctx: Any,
) -> Response:
    park = get_park(db, park_id)
    labels = [(r.value, ROLE_LABELS[r][0 if lang == "nl" else 1]) for r in roles]
    base: dict[str, Any] = {"link": None, "errors": {}, "values": {}}
    base.update(ctx)
    return render(
        request, "invite.html", viewer, lang, park=park, roles=labels, status_code=status, **base
    )


@router.post("/parken/{park_id}/uitnodigen")
async def invite_send(
    request: Request,
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(check_csrf),
    lang: str = Depends(get_lang),
) -> Response:
    """Create the invitation and show its link once."""
    from parkplan.services.users import invite

    roles = _invite_roles(viewer, park_id)
    form = await request.form()
    errors: dict[str, str] = {}
    email = form_text(form, "email", errors, lang, max_length=254, required=True)
    role = str(form.get("role", ""))
    company_id = str(form.get("company_id", "")).strip()[:100] or None
    values = {"email": email, "role": role, "company_id": company_id or ""}
    if role not in {r.value for r in roles}:
        errors["role"] = (
            "Kies een rol uit de lijst." if lang == "nl" else "Choose a role from the list."
        )
    if not errors:
        if Role(role) is not Role.ENTREPRENEUR:
            company_id = None
        try:
            token = invite(
                db,
                email,
                role,
                park_id=park_id,
                company_id=company_id,
                created_by=viewer.principal.user_id,
            )
        except ParkplanError as exc:
            errors["_"] = exc.message(lang)  # type: ignore[arg-type]
        else:
            link = f"{str(request.base_url).rstrip('/')}/uitnodiging/{token}"
            return _invite_page(request, db, viewer, lang, park_id, roles, link=link)
    return _invite_page(
        request, db, viewer, lang, park_id, roles, status=422, errors=errors, values=values
    )


# --------------------------------------------------------------------------- selection


def _selection(db: Session, viewer: Viewer, settings: Any, lang: str) -> dict[str, Any] | None:
    from parkplan.assess.selection import select
    from parkplan.services.selection import criteria_for_parks, selection_to_dict

    ids = [p.id for p in list_parks(db) if can_view_park(viewer.principal, p.id)]
    if len(ids) < 2:
        return None
    parks = [get_park(db, i) for i in ids]
    candidates = criteria_for_parks(parks)
    # criteria that no park has a value for are left out (and said so), not an error
    unknown = [
        k
        for k, w in settings.weights.items()
        if w > 0 and all(math.isnan(c.values.get(k, math.nan)) for c in candidates)
    ]
    weights = {k: (0.0 if k in unknown else w) for k, w in settings.weights.items()}
    total = sum(weights.values())
    if total <= 0:
        return None
    weights = {k: w / total for k, w in weights.items()}  # the form's weights are relative
    data = selection_to_dict(
        select(candidates, replace(settings, weights=weights)), candidates, lang
    )
    labels = {c["key"]: c["label"] for c in _criteria(lang)}
    for k in unknown:
        text = (
            f"{labels.get(k, k)} is voor geen enkel park bekend en telt niet mee."
            if lang == "nl"
            else f"{labels.get(k, k)} is known for no park and does not count."
        )
        data["notes"].append({"message": text})
    return data


def _criteria(lang: str) -> list[dict[str, Any]]:
    from parkplan.assess.selection import CRITERIA

    return [
        {"key": c.key, "label": c.nl if lang == "nl" else c.en, "unit": c.unit, "weight": c.weight}
        for c in CRITERIA
    ]


@router.get("/selectie")
def selection_page(
    request: Request,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> Response:
    """Compare the parks the user may see: weights form, ranking, stability, explanations.

    Weights come from the query string (``w_<criterion>``, Dutch numbers) so that a ranking
    can be bookmarked; changing weights changes nothing stored.
    """
    from parkplan.assess.selection import CRITERIA, default_settings

    if not can_compare_parks(viewer.principal):
        raise ForbiddenError()
    q = request.query_params
    method = q.get("methode", "topsis")
    errors: dict[str, str] = {}
    if method not in ("topsis", "wsm"):
        errors["methode"] = "Kies TOPSIS of WSM." if lang == "nl" else "Choose TOPSIS or WSM."
        method = "topsis"
    settings = default_settings(method)  # type: ignore[arg-type]
    weights = dict(settings.weights)
    for c in CRITERIA:
        value = form_number(q, f"w_{c.key}", errors, lang, maximum=100)
        if value is not None:
            weights[c.key] = float(value)
    if sum(weights.values()) <= 0:
        errors["_"] = (
            "Geef minstens één criterium een gewicht groter dan nul."
            if lang == "nl"
            else "Give at least one criterion a weight above zero."
        )
        weights = dict(settings.weights)
    settings = replace(settings, weights=weights, n_samples=500)
    result = None
    try:
        result = _selection(db, viewer, settings, lang)
    except ParkplanError as exc:
        errors["_"] = exc.message(lang)  # type: ignore[arg-type]
    crit = [
        {
            "key": c.key,
            "label": c.nl if lang == "nl" else c.en,
            "unit": c.unit,
            "weight": weights[c.key],
        }
        for c in CRITERIA
    ]
    return render(
        request,
        "selection.html",
        viewer,
        lang,
        result=result,
        criteria=crit,
        method=method,
        errors=errors,
        status_code=422 if errors else 200,
    )
