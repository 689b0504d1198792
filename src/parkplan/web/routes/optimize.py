"""Optimisation from the web: the same use case as ``parkplan optimize``, as a background job.

The job calls :func:`parkplan.services.optimize.optimize` (with ``save_scenario`` into a
temporary folder, exactly as the CLI's ``--save-scenario``), stores the result with its
provenance (:func:`parkplan.services.optimize.store_result`, kind ``optimization``, key =
scenario name), then simulates the optimum as a scenario and stores that simulation (kind
``simulation``) so that it appears in the scenario comparison and the business case form.

Stages shown by the progress bar: loading, optimising (HiGHS), simulating the optimum,
saving. While optimising, the service's progress callback (``progress(fraction, label)`` of
:func:`parkplan.services.optimize.optimize`: each company alone, the hub, every tax-bracket
re-solve) moves the bar from :data:`OPTIMISING_FROM` to :data:`OPTIMISING_TO` of the job,
with the service's label in the job's language (Dutch or English).

The result page names sizes per company and roof, companies by name with their id: only
who sees the company list (:func:`parkplan.domain.access.can_view_company_list`) may open
it (the API's JSON keeps ids); its explanation follows the viewer's language; starting one needs
:func:`parkplan.domain.access.can_analyse`. An infeasible case fails the job with the
service's Dutch explanation (:class:`parkplan.optimize.sizing.InfeasibleError`).
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from parkplan.domain.access import can_analyse, can_view_company_list
from parkplan.domain.errors import NotFoundError
from parkplan.services.parks import get_park
from parkplan.web.charts import bar_chart_svg
from parkplan.web.deps import Viewer, check_csrf, get_db, get_lang, require_viewer
from parkplan.web.forms import form_number, form_text, posted_values
from parkplan.web.routes.common import (
    analyst_dependency,
    job_redirect,
    submit_job,
    visible_park,
)
from parkplan.web.routes.pages import render

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["api"])

KIND = "optimization"
YEAR = 2025
"""Tariff and calendar year: the default of ``parkplan optimize --year``."""
RESOLUTIONS = (60, 15)
MAX_CO2_CAP_T = 1e7
OPTIMISING_FROM = 0.2
"""Job progress when the optimisation starts (the ``optimising`` phase of the job). [-]"""
OPTIMISING_TO = 0.8
"""Job progress when the optimisation is done; simulating the optimum follows. [-]"""


class OptimizeRequest(BaseModel):
    """Options of an optimisation (as ``parkplan optimize``); the result is saved as
    scenario ``name``."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., min_length=1, max_length=80, description="Scenario name.")
    resolution_minutes: Literal[60, 15] = Field(60, description="Interval length. [min]")
    fast: bool = Field(True, description="Typical days instead of every interval.")
    co2_cap_tonnes: float | None = Field(
        None, ge=0, le=MAX_CO2_CAP_T, description="Cap on the park's CO2 from grid offtake. [t/yr]"
    )


def parse_optimize_form(form: Any, lang: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Options for :func:`start_optimization` from the scenarios page's form, with errors."""
    errors: dict[str, str] = {}
    name = form_text(form, "opt_name", errors, lang, max_length=80, required=True)
    raw = str(form.get("opt_resolution") or "60")
    if raw not in ("60", "15"):
        errors["opt_resolution"] = "Kies 60 of 15 minuten." if lang == "nl" else "Choose 60 or 15."
    cap = form_number(form, "opt_co2_cap", errors, lang, maximum=MAX_CO2_CAP_T)
    options = {
        "name": name,
        "resolution_minutes": 15 if raw == "15" else 60,
        "fast": form.get("opt_fast") == "ja",
        "co2_cap_tonnes": None if cap is None else float(cap),
    }
    return options, errors


def run_optimization(
    url: str,
    park_id: str,
    *,
    name: str,
    resolution_minutes: int = 60,
    fast: bool = True,
    co2_cap_tonnes: float | None = None,
    created_by: str | None = None,
    lang: str = "nl",
    phase: Any = None,
) -> int:
    """Optimise the stored park, store the result and the simulated optimum; returns the
    id of the stored optimisation (kind ``optimization``).

    ``phase`` is the job's ``set_phase`` (:meth:`parkplan.web.jobs.Job.report`): called as
    ``phase(name)`` per stage and ``phase("optimising", fraction, label)`` as the optimiser
    goes on. Raises the service's errors (``InfeasibleError``, ``UnknownValueError``)
    unchanged.
    """
    import tempfile
    from pathlib import Path

    import yaml

    from parkplan.energy.scenario import parse_scenario
    from parkplan.services.optimize import optimize, store_result
    from parkplan.services.simulate import simulate
    from parkplan.store.db import session_scope
    from parkplan.store.repository import save_result

    def step(name_: str, fraction: float | None = None, label: str | None = None) -> None:
        if phase is not None:
            if fraction is None:
                phase(name_)
            else:
                phase(name_, fraction, label)

    def optimising(fraction: float, label: str) -> None:
        share = min(1.0, max(0.0, float(fraction)))
        step("optimising", OPTIMISING_FROM + (OPTIMISING_TO - OPTIMISING_FROM) * share, label)

    step("loading")
    with session_scope(url) as session:
        park = get_park(session, park_id)
    step("optimising")
    with tempfile.TemporaryDirectory(prefix="parkplan-optimum-") as tmp:
        out = optimize(
            park,
            year=YEAR,
            resolution_minutes=resolution_minutes,
            co2_cap_tonnes=co2_cap_tonnes,
            fast=fast,
            save_scenario=Path(tmp) / "optimum.yaml",
            lang=lang,
            progress=optimising,
        )
        doc = yaml.safe_load(Path(out.pop("scenario_file")).read_text(encoding="utf-8"))
    doc["name"] = name
    out["scenario_document"] = doc
    out["co2_cap_tonnes"] = co2_cap_tonnes
    out["created_by"] = created_by
    step("simulating", OPTIMISING_TO)
    scenario = parse_scenario(doc, park)
    result = simulate(park, scenario=scenario)
    step("saving")
    payload = result.to_dict("nl")
    payload["scenario"] = scenario.to_dict()
    payload["scenario_document"] = doc
    payload["created_by"] = created_by
    prov = result.provenance
    with session_scope(url) as session:
        opt_id = store_result(out, park_id, name, session)
        payload["optimization_result_id"] = opt_id
        save_result(
            session,
            park_id,
            "simulation",
            payload,
            key=name,
            inputs_hash=prov.get("inputs_sha256"),
            refdata_version=prov.get("refdata_version"),
            code_version=prov.get("code_version"),
        )
    return opt_id


def start_optimization(request: Request, viewer: Viewer, park_id: str, options: dict) -> Any:
    """Start :func:`run_optimization` as a background job; returns the job."""
    url = request.app.state.database_url
    lang = get_lang(request)

    def work(phase: Any) -> int:
        return run_optimization(
            url, park_id, created_by=viewer.principal.email, lang=lang, phase=phase, **options
        )

    return submit_job(request, viewer, park_id, options["name"], work)


def stored_optimizations(db: Session, park_id: str) -> list[dict[str, Any]]:
    """Stored optimisations of a park, newest first: park-level figures only."""
    from parkplan.store.repository import list_results

    out = []
    for row in reversed(list_results(db, park_id, KIND)):
        p = row.payload or {}
        out.append(
            {
                "id": row.id,
                "name": row.key or "–",
                "created_at": row.created_at,
                "mode": p.get("mode"),
                "resolution_minutes": p.get("resolution_minutes"),
                "objective_eur": p.get("objective_eur"),
                "value_of_cooperation_eur": p.get("value_of_cooperation_eur"),
                "co2_cap_tonnes": p.get("co2_cap_tonnes"),
                "refdata_version": row.refdata_version,
                "code_version": row.code_version,
                "inputs_hash": row.inputs_hash,
            }
        )
    return out


def _stored(db: Session, park_id: str, result_id: int) -> Any:
    from parkplan.store.tables import ResultRow

    row = db.get(ResultRow, result_id)
    if row is None or row.park_id != park_id or row.kind != KIND:
        raise NotFoundError("Deze optimalisatie bestaat niet.", "This optimisation does not exist.")
    return row


def result_view(
    payload: dict[str, Any], lang: str, names: dict[str, str] | None = None
) -> dict[str, Any]:
    """Rows, charts and explanation of one stored optimisation for the result page.

    ``names`` (company id -> name; only for who may see the company list) writes each
    company as "Name (id)". The explanation is rebuilt from the stored numbers in the
    viewer's ``lang`` (:func:`parkplan.optimize.report.explain_result`); an older result
    without them keeps its stored lines.
    """
    from parkplan.domain.names import company_label
    from parkplan.optimize.report import explain_result

    nl = lang == "nl"
    hub = payload.get("hub") or None
    hub_members = set((hub or {}).get("members") or [])
    roofs: list[dict[str, Any]] = []
    batteries: list[dict[str, Any]] = []
    for c in payload.get("companies") or []:
        site = hub if c["id"] in hub_members and hub else c["alone"]
        for k, kwp in enumerate((site.get("pv_added_kwp_per_roof") or {}).get(c["id"], [])):
            roofs.append(
                {
                    "company": c["id"],
                    "label": company_label(c["id"], names),
                    "roof": k + 1,
                    "kwp": kwp,
                    "in_hub": c["in_hub"],
                }
            )
        if c["id"] not in hub_members:
            batteries.append(
                {
                    "where": company_label(c["id"], names),
                    "kwh": c["alone"].get("battery_kwh"),
                    "kw": c["alone"].get("battery_kw"),
                }
            )
    if hub:
        shared = "Energiehub (gedeeld)" if nl else "Energy hub (shared)"
        batteries.append(
            {"where": shared, "kwh": hub.get("battery_kwh"), "kw": hub.get("battery_kw")}
        )
    costs = dict((hub or {}).get("costs_eur") or {})
    for c in payload.get("companies") or []:
        if c["id"] not in hub_members:
            for key, value in (c["alone"].get("costs_eur") or {}).items():
                costs[key] = costs.get(key, 0.0) + float(value)
    alone = "Ieder apart" if nl else "Each alone"
    together = "Samen (energiehub)" if nl else "Together (energy hub)"
    charts = [
        bar_chart_svg(
            "Jaarkosten apart en samen" if nl else "Annual cost alone and together",
            [alone, together],
            [payload.get("alone_total_eur"), payload.get("together_total_eur")],
            "EUR",
            lang=lang,
        ),
    ]
    if roofs:
        charts.append(
            bar_chart_svg(
                "Extra zon per dak" if nl else "Added solar per roof",
                [f"{r['label']} · {r['roof']}" for r in roofs],
                [r["kwp"] for r in roofs],
                "kWp",
                lang=lang,
                decimals=1,
            )
        )
    return {
        "hub": hub,
        "roofs": roofs,
        "batteries": batteries,
        "costs": sorted(costs.items()),
        "charts": charts,
        "explanation": explain_result(payload, lang, names),
    }


@router.post("/parken/{park_id}/optimaliseren")
async def optimize_form(
    request: Request,
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(check_csrf),
    lang: str = Depends(get_lang),
) -> Response:
    """Check the form and start the optimisation; the scenarios page shows its progress."""
    from parkplan.web.routes.scenarios import render_scenarios

    park = visible_park(db, viewer.principal, park_id, can_analyse)
    form = await request.form()
    options, errors = parse_optimize_form(form, lang)
    if not errors:
        job = start_optimization(request, viewer, park_id, options)
        return job_redirect(f"/parken/{park_id}/scenarios", job, doel="optimalisatie")
    opt_form = posted_values(form)
    return render_scenarios(
        request, db, viewer, lang, park, opt_form=opt_form, opt_errors=errors, status_code=422
    )


@router.get("/parken/{park_id}/optimalisaties")
def optimizations_page(
    request: Request,
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> Response:
    """Stored optimisations of the park (park-level figures)."""
    park = visible_park(db, viewer.principal, park_id)
    return render(
        request,
        "optimizations.html",
        viewer,
        lang,
        park=park,
        stored=stored_optimizations(db, park_id),
        may_detail=can_view_company_list(viewer.principal, park_id),
        may_run=can_analyse(viewer.principal, park_id),
    )


@router.get("/parken/{park_id}/optimalisaties/{result_id}")
def optimization_page(
    request: Request,
    park_id: str,
    result_id: int,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> Response:
    """One optimisation: sizes per roof, batteries, group capacity, costs, solver."""
    park = visible_park(db, viewer.principal, park_id, can_view_company_list)
    row = _stored(db, park_id, result_id)
    payload = row.payload or {}
    return render(
        request,
        "optimize_result.html",
        viewer,
        lang,
        park=park,
        row=row,
        result=payload,
        view=result_view(payload, lang, {c.id: c.name for c in park.companies}),
    )


_analyst = analyst_dependency(get_park)
"""Access first (before the body is validated): 403 for who may not analyse the park."""


@api.post("/parks/{park_id}/optimizations", status_code=202)
def post_optimization(
    request: Request,
    park_id: str,
    options: OptimizeRequest = Body(
        ..., examples=[{"name": "Optimum", "resolution_minutes": 60, "fast": True}]
    ),
    viewer: Viewer = Depends(_analyst),
    lang: str = Depends(get_lang),
) -> Response:
    """Start ``parkplan optimize`` for the park; poll ``/api/jobs/{id}``: its ``result_id``
    is the stored optimisation (``GET /api/parks/{park}/optimizations/{id}``)."""
    job = start_optimization(request, viewer, park_id, options.model_dump())
    return JSONResponse(job.to_dict(lang), status_code=202)


@api.get("/parks/{park_id}/optimizations")
def list_optimizations(
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
) -> list[dict[str, Any]]:
    """Stored optimisations: objective and value of cooperation (EUR/yr), provenance."""
    visible_park(db, viewer.principal, park_id)
    return [
        {**s, "created_at": s["created_at"].isoformat()} for s in stored_optimizations(db, park_id)
    ]


@api.get("/parks/{park_id}/optimizations/{result_id}")
def get_optimization(
    park_id: str,
    result_id: int,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
) -> dict[str, Any]:
    """One stored optimisation as ``parkplan optimize --json`` gives it (docs/optimize.md),
    with ``scenario_document`` (the optimum as a scenario)."""
    visible_park(db, viewer.principal, park_id, can_view_company_list)
    row = _stored(db, park_id, result_id)
    return {
        **(row.payload or {}),
        "result_id": row.id,
        "name": row.key,
        "created_at": row.created_at.isoformat(),
    }


def register(app: Any) -> None:
    """Add the optimisation pages and API, and the business case API, to the app."""
    from parkplan.web.routes import gain

    app.include_router(router)
    app.include_router(api)
    app.include_router(gain.api)
