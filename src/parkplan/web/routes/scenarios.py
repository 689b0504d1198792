"""Scenarios: compose measures, simulate in the background with progress, compare.

The simulation runs in :mod:`parkplan.web.jobs` and its result is stored with provenance
(:func:`parkplan.store.repository.save_result`, kind ``simulation``, key = scenario name).
Pages show park-level figures only, so every member of the park may compare scenarios;
running one needs :func:`parkplan.domain.access.can_analyse`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from parkplan.domain.access import can_analyse, can_view_company_list
from parkplan.domain.errors import NotFoundError, ValidationError
from parkplan.domain.model import Park
from parkplan.services.parks import get_park
from parkplan.web.charts import bar_chart_svg
from parkplan.web.deps import Viewer, check_csrf, get_db, get_lang, require_viewer
from parkplan.web.forms import form_number, form_text, posted_values
from parkplan.web.routes.common import (
    job_id_of,
    job_redirect,
    require_park,
    submit_job,
    visible_park,
)
from parkplan.web.routes.pages import render

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["api"])

KIND = "simulation"
MAX_COMPARE = 4

METRICS: tuple[tuple[str, str, str, float, str, int], ...] = (
    # (payload key, Dutch, English, factor, unit, decimals)
    ("demand_kwh", "Vraag", "Demand", 1e-3, "MWh", 0),
    ("pv_kwh", "Zonnestroom", "Solar power", 1e-3, "MWh", 0),
    ("import_kwh", "Afname van het net", "Import from the grid", 1e-3, "MWh", 0),
    ("export_kwh", "Teruglevering", "Feed-in", 1e-3, "MWh", 0),
    ("self_sufficiency", "Zelfvoorzienendheid", "Self-sufficiency", 100.0, "%", 0),
    ("coincident_peak_kw", "Gelijktijdige piek", "Coincident peak", 1.0, "kW", 0),
    ("exceeded_import_hours", "Uren boven netcapaciteit", "Hours above grid capacity", 1.0, "h", 1),
    ("co2_kg", "CO₂-uitstoot", "CO₂ emissions", 1e-3, "ton", 0),
)


def build_scenario_document(
    park: Park, form: Any, lang: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """The scenario document (``parkplan-scenario/1``) from the page's form, with errors."""
    errors: dict[str, str] = {}
    name = form_text(form, "name", errors, lang, max_length=80, required=True)
    measures: list[dict[str, Any]] = []
    if form.get("pv_fill") == "ja":
        measures += [
            {"type": "rooftop_pv", "company": c.id, "fill": True} for c in park.companies if c.roofs
        ]
    share = form_number(form, "heat_pump_pct", errors, lang, maximum=100)
    if share:
        measures += [
            {"type": "heat_pump", "company": c.id, "share_of_gas": share / 100}
            for c in park.companies
            if c.gas is not None and (c.gas.annual_m3 or 0) > 0
        ]
    battery = form_number(form, "battery_kwh", errors, lang, maximum=1e6)
    if battery:
        measures += [
            {"type": "battery", "company": c.id, "energy_kwh": battery, "strategy": "peak_shaving"}
            for c in park.companies
        ]
    if form.get("hub") == "ja":
        hub: dict[str, Any] = {"type": "energy_hub", "members": "all"}
        cap = form_number(form, "hub_capacity_kw", errors, lang, maximum=1e6)
        if cap:
            hub["group_capacity_kw"] = cap
        shared = form_number(form, "hub_battery_kwh", errors, lang, maximum=1e7)
        if shared:
            hub["shared_battery"] = {"energy_kwh": shared}
        kwp = form_number(form, "hub_pv_kwp", errors, lang, maximum=1e6)
        if kwp:
            hub["shared_pv"] = {"kwp": kwp}
        measures.append(hub)
    doc = {"format": "parkplan-scenario/1", "name": name, "measures": measures}
    return doc, errors


def start_simulation(request: Request, viewer: Viewer, park_id: str, doc: dict[str, Any]) -> Any:
    """Check the scenario now (all problems at once), then simulate it in the background."""
    from parkplan.energy.scenario import parse_scenario
    from parkplan.store.db import session_scope

    url = request.app.state.database_url
    with session_scope(url) as session:
        park = get_park(session, park_id)
    scenario = parse_scenario(doc, park)  # ValidationError before anything runs

    def work(phase: Any) -> int:
        from parkplan.services.simulate import simulate
        from parkplan.store.repository import save_result

        phase("loading")
        with session_scope(url) as session:
            current = get_park(session, park_id)
        phase("simulating")
        result = simulate(current, scenario=scenario)
        phase("saving")
        payload = result.to_dict("nl")
        payload["scenario"] = scenario.to_dict()
        payload["scenario_document"] = dict(doc)  # as written, for parkplan plan --scenario
        payload["created_by"] = viewer.principal.email
        prov = result.provenance
        with session_scope(url) as session:
            row = save_result(
                session,
                park_id,
                KIND,
                payload,
                key=scenario.name,
                inputs_hash=prov.get("inputs_sha256"),
                refdata_version=prov.get("refdata_version"),
                code_version=prov.get("code_version"),
            )
            return int(row.id)

    return submit_job(request, viewer, park_id, scenario.name, work)


def stored_scenarios(db: Session, park_id: str) -> list[dict[str, Any]]:
    """Stored simulations of a park, newest first, park-level figures only."""
    from parkplan.store.repository import list_results

    out = []
    for row in reversed(list_results(db, park_id, KIND)):
        payload = row.payload or {}
        scenario = payload.get("scenario") or {}
        out.append(
            {
                "id": row.id,
                "name": row.key or scenario.get("name") or "–",
                "created_at": row.created_at,
                "measures": len(scenario.get("measures") or []),
                "park": payload.get("park") or {},
                "inputs_hash": row.inputs_hash,
                "refdata_version": row.refdata_version,
                "code_version": row.code_version,
            }
        )
    return out


def comparison(chosen: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Table rows and charts of the chosen scenarios, side by side."""
    rows, charts = [], []
    names = [s["name"] for s in chosen]
    for key, nl, en, factor, unit, decimals in METRICS:
        values = [
            None if s["park"].get(key) is None else float(s["park"][key]) * factor for s in chosen
        ]
        label = nl if lang == "nl" else en
        rows.append({"label": label, "unit": unit, "values": values, "decimals": decimals})
        charts.append(bar_chart_svg(label, names, values, unit, lang=lang, decimals=decimals))
    return {"names": names, "rows": rows, "charts": charts}


def render_scenarios(
    request: Request,
    db: Session,
    viewer: Viewer,
    lang: str,
    park: Park,
    *,
    stored: list[dict[str, Any]] | None = None,
    compare: dict[str, Any] | None = None,
    chosen_ids: list[int] | None = None,
    job_id: str = "",
    **context: Any,
) -> Response:
    """The scenarios page: stored scenarios (read when not given), the comparison, a running
    job and the forms; ``context`` holds the forms' values and errors (``form``/``errors`` of
    the scenario form, ``opt_form``/``opt_errors`` of the optimisation form) and the status."""
    who = viewer.principal
    return render(
        request,
        "scenarios.html",
        viewer,
        lang,
        park=park,
        stored=stored_scenarios(db, park.id) if stored is None else stored,
        compare=compare,
        chosen_ids=chosen_ids or [],
        may_run=can_analyse(who, park.id),
        may_files=can_view_company_list(who, park.id),
        job_id=job_id,
        **{"form": {}, "errors": {}, **context},
    )


def _chosen_ids(request: Request) -> list[int]:
    ids = []
    for raw in request.query_params.getlist("vergelijk")[:MAX_COMPARE]:
        if raw.isdigit() and len(raw) < 12:
            ids.append(int(raw))
    return ids


@router.get("/parken/{park_id}/scenarios")
def scenarios_page(
    request: Request,
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> Response:
    """Stored scenarios, the form to compose one, a running job and the comparison."""
    park = visible_park(db, viewer.principal, park_id)
    stored = stored_scenarios(db, park_id)
    ids = _chosen_ids(request)
    chosen = [s for i in ids for s in stored if s["id"] == i]
    return render_scenarios(
        request,
        db,
        viewer,
        lang,
        park,
        stored=stored,
        compare=comparison(chosen, lang) if chosen else None,
        chosen_ids=ids,
        job_id=job_id_of(request),
    )


@router.post("/parken/{park_id}/scenarios")
async def run_scenario(
    request: Request,
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(check_csrf),
    lang: str = Depends(get_lang),
) -> Response:
    """Check the form and start the simulation; the page then shows its progress."""
    park = visible_park(db, viewer.principal, park_id, can_analyse)
    form = await request.form()
    doc, errors = build_scenario_document(park, form, lang)
    if not errors:
        try:
            job = start_simulation(request, viewer, park_id, doc)
        except ValidationError as exc:
            errors["_"] = exc.render(lang)  # type: ignore[arg-type]
        else:
            return job_redirect(f"/parken/{park_id}/scenarios", job)
    return render_scenarios(
        request, db, viewer, lang, park, form=posted_values(form), errors=errors, status_code=422
    )


@api.get("/jobs/{job_id}")
def job_status(
    request: Request,
    job_id: str,
    viewer: Viewer = Depends(require_viewer),
    lang: str = Depends(get_lang),
) -> dict[str, Any]:
    """Status of a background job (only for who started it): state, progress 0..1, result."""
    job = request.app.state.jobs.get(job_id)
    if job is None or job.owner_user_id != viewer.principal.user_id:
        raise NotFoundError("Deze taak bestaat niet (meer).", "This job does not exist (any more).")
    return job.to_dict(lang)


@api.get("/parks/{park_id}/scenarios")
def list_scenarios(
    park_id: str,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
) -> list[dict[str, Any]]:
    """Stored scenario simulations with provenance (park-level figures; kWh, kW, kg)."""
    visible_park(db, viewer.principal, park_id)
    return [{**s, "created_at": s["created_at"].isoformat()} for s in stored_scenarios(db, park_id)]


@api.post("/parks/{park_id}/scenarios", status_code=202)
def post_scenario(
    request: Request,
    park_id: str,
    scenario: dict[str, Any] = Body(
        ...,
        examples=[
            {
                "format": "parkplan-scenario/1",
                "name": "Energiehub",
                "measures": [{"type": "energy_hub", "members": "all"}],
            }
        ],
    ),
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(check_csrf),
    lang: str = Depends(get_lang),
) -> Response:
    """Start simulating a scenario document; poll ``/api/jobs/{id}`` for progress."""
    visible_park(db, viewer.principal, park_id, can_analyse)
    job = start_simulation(request, viewer, park_id, scenario)
    return JSONResponse(job.to_dict(lang), status_code=202)


@router.get("/parken/{park_id}/scenarios/{result_id}.yaml")
def scenario_file(
    park_id: str,
    result_id: int,
    db: Session = Depends(get_db, scope="function"),
    viewer: Viewer = Depends(require_viewer),
) -> Response:
    """A stored scenario as a scenario file (``parkplan simulate``/``plan --scenario``).

    It names companies and their measures, so only who sees the company list may have it.
    """
    import yaml

    from parkplan.store.tables import ResultRow

    require_park(viewer.principal, park_id, can_view_company_list)
    row = db.get(ResultRow, result_id)
    doc = (row.payload or {}).get("scenario_document") if row is not None else None
    if row is None or row.park_id != park_id or row.kind != KIND or not doc:
        raise NotFoundError(
            "Dit scenario bestaat niet (of is van voor het opslaan van scenariobestanden).",
            "This scenario does not exist (or predates storing scenario files).",
        )
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    return Response(
        text,
        media_type="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="scenario-{result_id}.yaml"'},
    )
