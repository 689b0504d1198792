""" "Wat levert het mij op?": the business case of a scenario per company and its share of
the energy hub's benefit (Shapley), read from the STORED results (``business_case`` and
``share``, made by ``parkplan plan ... --scenario``, by
:func:`parkplan.services.plan.store_business_case` or from the park's business case page).

The park's business case page (``/parken/{park}/opbrengst``) lets who may analyse
(:func:`parkplan.domain.access.can_analyse`) compute it for a stored scenario as a background
job: the same service as ``parkplan business-case`` and ``parkplan share --method shapley``
(:func:`parkplan.services.plan.store_business_case`). Who sees the company list sees every
company; an entrepreneur sees only the own company and the park's aggregates; a programme
lead the aggregates and the companies that consented (each such read is audited).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from parkplan.domain.access import (
    Principal,
    can_analyse,
    can_view_company,
    can_view_company_list,
)
from parkplan.domain.errors import NotFoundError, ValidationError
from parkplan.services import views
from parkplan.services.parks import audit_access
from parkplan.web.deps import Viewer, check_csrf, get_db, get_lang, require_viewer
from parkplan.web.forms import form_number, posted_values
from parkplan.web.routes.common import (
    analyst_dependency,
    job_id_of,
    job_redirect,
    require_park,
    submit_job,
)
from parkplan.web.routes.pages import render

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["api"])

YEAR = 2026
"""Tariff year: the default of ``parkplan business-case --year``."""
SHARE_METHOD = "shapley"


def _latest(db: Session, park_id: str, kind: str) -> Any:
    from parkplan.store.repository import list_results

    rows = list_results(db, park_id, kind)
    return rows[-1] if rows else None


def company_gain(db: Session, park_id: str, company_id: str) -> dict[str, Any]:
    """The company's rows of the newest stored business case and hub split (or ``None``)."""
    case_row = _latest(db, park_id, "business_case")
    share_row = _matching_share(db, park_id, case_row)
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
    require_park(viewer.principal, park_id)
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


def _matching_share(db: Session, park_id: str, case_row: Any) -> Any:
    """The hub split stored WITH this business case (same scenario, stored after it); an
    older split of another scenario is not shown beside a newer case."""
    share_row = _latest(db, park_id, "share")
    if share_row is None:
        return None
    if case_row is not None and (share_row.key != case_row.key or share_row.id < case_row.id):
        return None
    return share_row


class BusinessCaseRequest(BaseModel):
    """Which stored scenario and the financial settings (``parkplan business-case``)."""

    model_config = ConfigDict(extra="forbid")

    scenario_result_id: int = Field(
        ..., ge=1, description="Id of a stored scenario (GET /api/parks/{park}/scenarios)."
    )
    discount_rate: float = Field(..., ge=-0.5, le=1.0, description="Fraction per year.")
    horizon_years: int = Field(..., ge=1, le=50, description="Horizon. [yr]")
    price_escalation: float | None = Field(
        None, ge=-0.5, le=1.0, description="Yearly price escalation, fraction."
    )


def scenario_choices(db: Session, park_id: str) -> list[dict[str, Any]]:
    """Stored scenarios that carry their scenario document, newest first (id, name, date)."""
    from parkplan.store.repository import list_results

    return [
        {"id": row.id, "name": row.key or "–", "created_at": row.created_at}
        for row in reversed(list_results(db, park_id, "simulation"))
        if (row.payload or {}).get("scenario_document")
    ]


def _scenario_document(db: Session, park_id: str, result_id: int) -> dict[str, Any]:
    from parkplan.store.tables import ResultRow

    row = db.get(ResultRow, result_id)
    doc = (row.payload or {}).get("scenario_document") if row is not None else None
    if row is None or row.park_id != park_id or row.kind != "simulation" or not doc:
        raise NotFoundError(
            "Dit scenario bestaat niet (of is van voor het opslaan van scenariobestanden).",
            "This scenario does not exist (or predates storing scenario files).",
        )
    return dict(doc)


def run_business_case(
    url: str,
    park_id: str,
    doc: dict[str, Any],
    finance: dict[str, Any],
    *,
    year: int = YEAR,
    phase: Any = None,
) -> int:
    """Compute and store the business case of a scenario document (and the Shapley split of
    its hub) with :func:`parkplan.services.plan.store_business_case`; returns the id of the
    stored business case."""
    import tempfile
    from pathlib import Path

    import yaml

    from parkplan.services.plan import store_business_case
    from parkplan.store.db import session_scope

    if phase is not None:
        phase("business_case")
    with tempfile.TemporaryDirectory(prefix="parkplan-case-") as tmp:
        path = Path(tmp) / "scenario.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
        with session_scope(url) as session:
            ids = store_business_case(
                session, park_id, path, finance=finance, year=year, share_method=SHARE_METHOD
            )
    return ids["business_case"]


def start_business_case(
    request: Request, viewer: Viewer, park_id: str, result_id: int, finance: dict[str, Any]
) -> Any:
    """Check the scenario now, then compute the business case in the background."""
    from parkplan.energy.scenario import parse_scenario
    from parkplan.services.parks import get_park
    from parkplan.store.db import session_scope

    url = request.app.state.database_url
    with session_scope(url) as session:
        doc = _scenario_document(session, park_id, result_id)
        parse_scenario(doc, get_park(session, park_id))  # ValidationError before anything runs

    def work(phase: Any) -> int:
        phase("loading")
        return run_business_case(url, park_id, doc, finance, phase=phase)

    title = f"Businesscase {doc.get('name') or ''}".strip()
    return submit_job(request, viewer, park_id, title, work)


def park_business_case(db: Session, who: Principal, park_id: str) -> dict[str, Any] | None:
    """The newest stored business case as the viewer may see it (``None`` when none).

    ``companies`` holds only the companies the viewer may see (all for who sees the company
    list; else the own company, or those that consented for a programme lead: reads
    audited); ``park`` holds aggregates over all companies (sums, counts, the collective).
    """
    case_row = _latest(db, park_id, "business_case")
    if case_row is None:
        return None
    payload = case_row.payload or {}
    share_row = _matching_share(db, park_id, case_row)
    share = (share_row.payload or {}) if share_row is not None else None
    shares = {c["id"]: c for c in (share or {}).get("companies", [])}
    all_rows = payload.get("companies", [])
    full = can_view_company_list(who, park_id)
    if full:
        visible = list(all_rows)
    else:
        from parkplan.services.parks import get_park

        consent = {
            c.id: bool(c.engagement and c.engagement.consent_share_data)
            for c in get_park(db, park_id).companies
        }
        visible = [
            c
            for c in all_rows
            if can_view_company(
                who, park_id, c.get("id", ""), consented=consent.get(c["id"], False)
            )
        ]
        audit_access(db, who.email, park_id, "company", [c["id"] for c in visible])
    companies = []
    for c in visible:
        s = shares.get(c["id"])
        companies.append({**c, "share": s})

    def total(key: str) -> float | None:
        values = [c.get(key) for c in all_rows]
        known = [float(v) for v in values if v is not None]
        return sum(known) if known and len(known) == len(values) else None

    collective = dict(payload.get("collective") or {})
    collective.pop("measures", None)
    return {
        "result_id": case_row.id,
        "scenario": case_row.key or payload.get("scenario"),
        "created_at": case_row.created_at,
        "year": payload.get("year"),
        "finance": payload.get("finance"),
        "refdata_version": case_row.refdata_version,
        "unknown": payload.get("unknown", []) if full else [],
        "refdata_overridden": [
            v for v in payload.get("refdata_used") or [] if v.get("overridden")
        ],  # reference values (not company data): the park's overrides the case used
        "companies": companies,
        "park": {
            "company_count": len(all_rows),
            "capex_eur": total("capex_eur"),
            "subsidy_eur": total("subsidy_eur"),
            "annual_saving_eur": total("annual_saving_eur"),
            "npv_eur": total("npv_eur"),
            "collective": collective,
            "hub_benefit_eur": (share or {}).get("total_benefit_eur"),
            "hub": (share or {}).get("hub"),
            "share_method": (share or {}).get("method"),
            "stable": (share or {}).get("stable"),
        },
    }


def case_charts(case: dict[str, Any] | None, lang: str) -> list[str]:
    """Bar charts of the visible companies: saving per year and Shapley share. [EUR/yr]"""
    from parkplan.web.charts import bar_chart_svg

    if not case or not case["companies"]:
        return []
    nl = lang == "nl"
    names = [str(c.get("name") or c["id"]) for c in case["companies"]]
    charts = [
        bar_chart_svg(
            "Besparing per jaar" if nl else "Saving per year",
            names,
            [c.get("annual_saving_eur") for c in case["companies"]],
            "EUR",
            lang=lang,
        )
    ]
    if any(c.get("share") for c in case["companies"]):
        charts.append(
            bar_chart_svg(
                "Deel van het voordeel van de energiehub (Shapley)"
                if nl
                else "Share of the energy hub benefit (Shapley)",
                names,
                [(c.get("share") or {}).get("benefit_eur") for c in case["companies"]],
                "EUR",
                lang=lang,
            )
        )
    return charts


def parse_business_case_form(form: Any, lang: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Scenario id and finance (fractions) from the page's form (percent), with errors."""
    errors: dict[str, str] = {}
    raw = str(form.get("bc_scenario") or "")
    if not raw.isdigit() or len(raw) > 11:
        errors["bc_scenario"] = "Kies een scenario." if lang == "nl" else "Choose a scenario."
    rate = form_number(
        form, "bc_discount_pct", errors, lang, minimum=-50, maximum=100, required=True
    )
    horizon = form_number(
        form, "bc_horizon", errors, lang, integer=True, minimum=1, maximum=50, required=True
    )
    escalation = form_number(form, "bc_escalation_pct", errors, lang, minimum=-50, maximum=100)
    options = {
        "scenario_result_id": int(raw) if not errors.get("bc_scenario") else 0,
        "finance": {
            "discount_rate": None if rate is None else float(rate) / 100,
            "horizon_years": horizon,
            "price_escalation": None if escalation is None else float(escalation) / 100,
        },
    }
    return options, errors


def _business_case_page(
    request: Request,
    db: Session,
    viewer: Viewer,
    lang: str,
    park_id: str,
    *,
    job_id: str = "",
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    who = viewer.principal
    may_run = can_analyse(who, park_id)
    park = views.park_header(db, park_id)
    case = park_business_case(db, who, park_id)
    return render(
        request,
        "business_case.html",
        viewer,
        lang,
        park=park,
        case=case,
        charts=case_charts(case, lang),
        full=can_view_company_list(who, park_id),
        own_company=who.company_id,
        may_run=may_run,
        choices=scenario_choices(db, park_id) if may_run else [],
        job_id=job_id,
        form=form or {},
        errors=errors or {},
        status_code=status_code,
    )


@router.get("/parken/{park_id}/opbrengst")
def business_case_page(
    request: Request,
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> Response:
    """The park's business case: per company (as far as the viewer may see) and aggregates."""
    require_park(viewer.principal, park_id)
    return _business_case_page(request, db, viewer, lang, park_id, job_id=job_id_of(request))


@router.post("/parken/{park_id}/opbrengst")
async def business_case_form(
    request: Request,
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(check_csrf),
    lang: str = Depends(get_lang),
) -> Response:
    """Check the form and start computing the business case; the page shows its progress."""
    require_park(viewer.principal, park_id, can_analyse)
    views.park_header(db, park_id)  # 404 for an unknown park
    form = await request.form()
    options, errors = parse_business_case_form(form, lang)
    if not errors:
        try:
            job = start_business_case(
                request, viewer, park_id, options["scenario_result_id"], options["finance"]
            )
        except NotFoundError as exc:
            errors["bc_scenario"] = exc.message(lang)  # type: ignore[arg-type]
        except ValidationError as exc:
            errors["bc_scenario"] = exc.render(lang)  # type: ignore[arg-type]
        else:
            return job_redirect(f"/parken/{park_id}/opbrengst", job)
    return _business_case_page(
        request, db, viewer, lang, park_id, form=posted_values(form), errors=errors, status_code=422
    )


_analyst = analyst_dependency(views.park_header)  # 404 for an unknown park
"""Access first (before the body is validated): 403 for who may not analyse the park."""


@api.post("/parks/{park_id}/business-case", status_code=202)
def post_business_case(
    request: Request,
    park_id: str,
    options: BusinessCaseRequest = Body(
        ...,
        examples=[{"scenario_result_id": 1, "discount_rate": 0.06, "horizon_years": 15}],
    ),
    viewer: Viewer = Depends(_analyst),
    lang: str = Depends(get_lang),
) -> Response:
    """Start ``parkplan business-case`` (and ``share --method shapley`` when the scenario has
    an energy hub) for a stored scenario; poll ``/api/jobs/{id}``."""
    finance = {
        "discount_rate": options.discount_rate,
        "horizon_years": options.horizon_years,
        "price_escalation": options.price_escalation,
    }
    job = start_business_case(request, viewer, park_id, options.scenario_result_id, finance)
    return JSONResponse(job.to_dict(lang), status_code=202)


@api.get("/parks/{park_id}/business-case")
def get_business_case(
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
) -> dict[str, Any]:
    """The newest stored business case as the viewer may see it: ``companies`` (EUR, irr as
    a fraction, payback in years, ``share`` = the company's Shapley split of the hub's benefit
    in EUR/yr) and ``park`` aggregates; ``case`` is ``null`` when none was computed."""
    require_park(viewer.principal, park_id)
    views.park_header(db, park_id)  # 404 for an unknown park
    case = park_business_case(db, viewer.principal, park_id)
    if case is not None:
        case["created_at"] = case["created_at"].isoformat()
    return {"park_id": park_id, "case": case}
