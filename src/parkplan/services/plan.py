"""Use cases of the plans: prepare the analyses, build the uitvoeringsplan or the plan van
aanpak from stored results, store narrative text, export to PDF, Word, HTML or Markdown.

The plan reads the newest stored result of each analysis (``simulation`` with key ``""``,
``quickscan``, ``business_case``, ``share``, ``optimization``); an analysis without a stored
result appears in the plan as "not run yet". The baseline is computed on the spot (it is
fast and gives the reference values used). :func:`prepare` runs and stores the simulation
(with the compact series the charts need) so a plan can be regenerated in seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import numpy as np

from parkplan.domain.errors import ParkplanError
from parkplan.domain.model import Park
from parkplan.plan.implementation_plan import PHASES, PlanFactors, PlanInputs
from parkplan.plan.model import Chart, Document, Narrative
from parkplan.plan.narrative import KIND as NARRATIVE_KIND
from parkplan.plan.narrative import section_keys

PlanKind = Literal["uitvoeringsplan", "plan-van-aanpak"]
PLAN_KINDS: tuple[str, ...] = ("uitvoeringsplan", "plan-van-aanpak")
FORMATS: tuple[str, ...] = ("pdf", "docx", "html", "md")
ANALYSES: dict[str, tuple[str, ...]] = {
    "simulation": ("simulation",),
    "quickscan": ("quickscan",),
    "scorecard": ("scorecard",),
    "business_case": ("business_case",),
    "share": ("share",),
    "optimization": ("optimization", "optimize"),
}
"""Plan input -> result kinds read (first found wins)."""
LOAD_DURATION_POINTS = 500
"""Points of the sampled load-duration curve stored for the plan chart."""


def plan_factors(refdata: Any) -> PlanFactors:
    """The plan's reference values, looked up (and so recorded) in ``refdata``."""
    v = refdata.value
    return PlanFactors(
        energy_neutral_year=int(v("plan.ambition.energy_neutral_year")),
        co2_reduction_2030=v("plan.ambition.co2_reduction_2030"),
        climate_neutral_year=int(v("plan.ambition.climate_neutral_year")),
        phase_months={p: int(v(f"plan.phase.{p}.months")) for p in PHASES},
        small_park_companies=int(v("plan.organisation.small_park_companies")),
        strong_bond=v("plan.organisation.strong_bond"),
        low_response_share=v("plan.organisation.low_response_share"),
        biz_min_turnout=v("plan.organisation.biz_min_turnout"),
        biz_min_approval=v("plan.organisation.biz_min_approval"),
        biz_max_years=int(v("plan.organisation.biz_max_years")),
    )


def plan_series(result: Any) -> dict[str, Any]:
    """Compact series of a simulation for the plan's charts (kept series needed).

    ``monthly_kwh``: demand, pv, import, export per month [kWh]; ``load_duration_kw``: the
    park's net offtake sorted high to low, sampled at :data:`LOAD_DURATION_POINTS` points
    [kW]; ``load_duration_step_h``: hours each point stands for.
    """
    from parkplan.reports.charts import _monthly

    idx, dt = result.index, result.interval_h
    net = np.asarray(result.park_net_kwh, dtype=float)
    demand = result.demand_kwh.sum(axis=0)
    pv = result.pv_kwh.sum(axis=0)
    sorted_kw = np.sort(net / dt)[::-1]
    k = min(LOAD_DURATION_POINTS, len(sorted_kw))
    pick = np.linspace(0, len(sorted_kw) - 1, k).round().astype(int)
    return {
        "monthly_kwh": {
            "demand": _monthly(idx, demand).tolist(),
            "pv": _monthly(idx, pv).tolist(),
            "import": _monthly(idx, np.maximum(net, 0.0)).tolist(),
            "export": _monthly(idx, np.maximum(-net, 0.0)).tolist(),
        },
        "load_duration_kw": sorted_kw[pick].tolist(),
        "load_duration_step_h": len(sorted_kw) * dt / k,
    }


def _weather(weather_file: str | Path | None, weather_format: str | None, year: int,
             resolution_minutes: int) -> Any:  # fmt: skip
    """The weather of ``weather_file`` for one year (``None``: the simulation's default)."""
    if weather_file is None:
        return None
    from parkplan.services.weather import load_weather

    return load_weather(
        weather_file, fmt=weather_format, year=year, resolution_minutes=resolution_minutes
    )[0]


def prepare(
    session: Any,
    park_id: str,
    *,
    year: int = 2025,
    weather: Any = None,
    weather_file: str | Path | None = None,
    weather_format: str | None = None,
) -> int:
    """Simulate the park (no scenario) and store it for the plan; returns the result id.

    ``weather`` (a prepared frame) or ``weather_file`` (KNMI, PVGIS or DWD TRY file, read
    with :func:`parkplan.services.weather.load_weather`) chooses the weather; default the
    reference year."""
    from parkplan.refdata import load_refdata
    from parkplan.services.parks import get_park
    from parkplan.services.simulate import simulate, simulation_parameters
    from parkplan.store.repository import save_result

    park = get_park(session, park_id)
    if weather is None:
        weather = _weather(weather_file, weather_format, year, 15)
    result = simulate(park, year=year, keep_series=True, weather=weather)
    payload = result.to_dict("nl")
    payload["plan_series"] = plan_series(result)
    refdata = load_refdata(park.refdata_overrides or None)
    simulation_parameters(refdata, year)
    payload["refdata_used"] = [v.to_dict() for v in refdata.used()]
    prov = result.provenance
    row = save_result(
        session,
        park_id,
        "simulation",
        payload,
        key="",
        inputs_hash=prov.get("inputs_sha256"),
        refdata_version=prov.get("refdata_version"),
        code_version=prov.get("code_version"),
    )
    _store_quickscan(session, park, result)
    for lang in ("nl", "en"):
        store_simulation_charts(session, park_id, int(row.id), payload, lang)
    return int(row.id)


CHARTS_KIND = "plan_charts"
"""Result kind of the simulation charts drawn once for a stored simulation (per language)."""


def store_simulation_charts(
    session: Any, park_id: str, simulation_id: int, payload: Mapping[str, Any], lang: str
) -> None:
    """Draw the simulation charts of a stored simulation once and store them as PNG, so a
    plan is regenerated without redrawing them (key ``<simulation id>:<lang>``)."""
    import base64

    from parkplan.reports.plan_charts import simulation_charts
    from parkplan.store.repository import save_result

    charts = simulation_charts(payload, lang)
    data = {
        k: {"title": c.title, "caption": c.caption, "png": base64.b64encode(c.png).decode()}
        for k, c in charts.items()
    }
    save_result(session, park_id, CHARTS_KIND, data, key=f"{simulation_id}:{lang}")


def _stored_simulation_charts(
    session: Any, park_id: str, simulation_id: int, lang: str
) -> dict[str, Chart] | None:
    import base64

    from parkplan.store.repository import latest_result

    row = latest_result(session, park_id, CHARTS_KIND, f"{simulation_id}:{lang}")
    if row is None:
        return None
    return {
        k: Chart(k, v["title"], base64.b64decode(v["png"]), None, v.get("caption", ""))
        for k, v in (row.payload or {}).items()
    }


def _store_quickscan(session: Any, park: Park, simulation: Any) -> None:
    """Run the quick scan and the scorecard on the simulation just made and store them."""
    from parkplan.services import assess

    scan, _base, refdata, sim = assess.compute_quickscan(park, simulation=simulation)
    payload = assess.quickscan_to_dict(scan, park, refdata, sim, "nl")
    assess.store_assessment(session, park.id, "quickscan", payload)
    # the same scan with English texts, for plans in English (key "en")
    payload_en = assess.quickscan_to_dict(scan, park, refdata, sim, "en")
    assess.store_assessment(session, park.id, "quickscan", payload_en, key="en")
    card, card_refdata, _ = assess.compute_scorecard(park, simulation=simulation)
    for lang in ("nl", "en"):
        data = assess.scorecard_to_dict(card, park, card_refdata, sim=simulation, lang=lang)
        assess.store_assessment(
            session, park.id, "scorecard", data, key="en" if lang == "en" else ""
        )


def store_business_case(
    session: Any,
    park_id: str,
    scenario: str | Path,
    *,
    finance: Mapping[str, Any] | None = None,
    year: int | None = None,
    share_method: str = "shapley",
    weather_file: str | Path | None = None,
    weather_format: str | None = None,
) -> dict[str, int]:
    """Run the business case of a scenario (and the split of its hub's benefit, when it has
    a hub) and store them as ``business_case`` and ``share``; returns the result ids.
    ``weather_file``: see :func:`prepare`."""
    from parkplan.services.business_case import business_case, share
    from parkplan.services.parks import get_park
    from parkplan.services.simulate import code_version
    from parkplan.store.repository import save_result

    park = get_park(session, park_id)
    kw: dict[str, Any] = {} if year is None else {"year": year}
    if weather_file is not None:  # on the business case's (tariff) year
        bc_year = kw.get("year", business_case.__kwdefaults__["year"])
        kw["weather"] = _weather(weather_file, weather_format, bc_year, 15)
    bc = business_case(park, scenario=scenario, finance=finance, **kw)
    key = str(bc.get("scenario") or "")
    ids = {
        "business_case": int(
            save_result(session, park_id, "business_case", bc, key=key,
                        refdata_version=bc.get("refdata_version"),
                        code_version=code_version()).id
        )
    }  # fmt: skip
    if bc.get("collective", {}).get("hubs"):
        sh = share(park, scenario=scenario, method=share_method, **kw)
        ids["share"] = int(
            save_result(session, park_id, "share", sh, key=key,
                        refdata_version=sh.get("refdata_version"),
                        code_version=code_version()).id
        )  # fmt: skip
    return ids


def store_optimization(
    session: Any,
    park_id: str,
    *,
    year: int = 2026,
    fast: bool = True,
    lang: str = "nl",
    progress: Any = None,
    weather_file: str | Path | None = None,
    weather_format: str | None = None,
) -> int:
    """Run the optimal configuration (alone vs together) and store it as ``optimization``;
    returns the result id. ``fast`` uses typical days (see docs/optimize.md); ``progress``:
    see :func:`parkplan.services.optimize.optimize`; ``weather_file``: see :func:`prepare`."""
    from parkplan.services.optimize import optimize
    from parkplan.services.parks import get_park
    from parkplan.store.repository import save_result

    park = get_park(session, park_id)
    weather = _weather(weather_file, weather_format, year, 60)  # optimize's resolution
    result = optimize(park, year=year, fast=fast, lang=lang, progress=progress, weather=weather)
    prov = result.get("provenance") or {}
    row = save_result(
        session,
        park_id,
        "optimization",
        result,
        inputs_hash=prov.get("inputs_hash"),
        refdata_version=prov.get("refdata_version"),
        code_version=prov.get("code_version"),
    )
    return int(row.id)


def stored_inputs(session: Any, park_id: str, lang: str = "nl") -> dict[str, Any]:
    """The newest stored result per plan input: name -> row (or absent).

    The simulation is the one without scenario (key ``""``); a quick scan stored in the
    plan's language (key ``"en"`` for English) wins over the newest one."""
    from parkplan.store.repository import latest_result, list_results

    out: dict[str, Any] = {}
    for name, kinds in ANALYSES.items():
        for kind in kinds:
            row = latest_result(session, park_id, kind, "") if kind == "simulation" else None
            if kind in ("quickscan", "scorecard"):
                row = latest_result(session, park_id, kind, lang if lang == "en" else "")
            if row is None and kind != "simulation":
                skip = "en" if kind in ("quickscan", "scorecard") and lang != "en" else None
                rows = [r for r in list_results(session, park_id, kind) if r.key != skip]
                row = rows[-1] if rows else None
            if row is not None:
                out[name] = row
                break
    return out


def narratives(session: Any, park_id: str) -> dict[str, Narrative]:
    """The stored narrative sections of a park (newest per section)."""
    from parkplan.store.repository import list_results

    out: dict[str, Narrative] = {}
    for row in list_results(session, park_id, NARRATIVE_KIND):
        payload = row.payload or {}
        out[row.key] = Narrative(
            key=row.key,
            markdown=str(payload.get("markdown") or ""),
            stored=True,
            updated=row.created_at.isoformat() if row.created_at else None,
            author=payload.get("author"),
        )
    return out


def save_narrative(
    session: Any, park_id: str, section: str, markdown: str, *, author: str = "cli"
) -> int:
    """Store a narrative section (a new version; the newest is used). Returns the id."""
    from parkplan.services.parks import get_park
    from parkplan.store.repository import save_result

    if section not in section_keys():
        raise ParkplanError(
            f"Onbekende sectie '{section}'; verwacht een van: {', '.join(section_keys())}.",
            f"Unknown section '{section}'; expected one of: {', '.join(section_keys())}.",
        )
    if "\x00" in markdown:
        raise ParkplanError("De tekst bevat een NUL-teken.", "The text contains a NUL character.")
    get_park(session, park_id)  # NotFoundError when the park does not exist
    row = save_result(
        session, park_id, NARRATIVE_KIND, {"markdown": markdown, "author": author}, key=section
    )
    return int(row.id)


def _describe(name: str, row: Any, lang: str) -> str:
    created = row.created_at.strftime("%d-%m-%Y %H:%M") if row.created_at else "-"
    what = {"nl": "opgeslagen resultaat", "en": "stored result"}["en" if lang == "en" else "nl"]
    return f"{name} #{row.id} ({what}, {created})"


def _charts(
    inputs: PlanInputs, plan: Any, lang: str, stored: Mapping[str, Chart] | None = None
) -> dict[str, Chart]:
    from parkplan.reports import plan_charts

    charts: dict[str, Chart] = {}
    m = plan_charts.park_map(inputs.park, lang)
    if m is not None:
        charts["map"] = m
    if plan.baseline is not None and plan.baseline.sectors:
        charts["co2_sectors"] = plan_charts.co2_sector_chart(plan.baseline.sectors, lang)
    if stored is not None:
        charts |= stored
    elif inputs.simulation:
        charts |= plan_charts.simulation_charts(inputs.simulation, lang)
    if inputs.scorecard and inputs.scorecard.get("themes"):
        charts["radar"] = plan_charts.scorecard_radar(inputs.scorecard, inputs.park.name, lang)
    charts["gantt"] = plan_charts.gantt_chart(plan.phases, lang)
    return charts


def build_document(
    session: Any,
    park_id: str,
    kind: str = "uitvoeringsplan",
    *,
    lang: str = "nl",
    issued: date | None = None,
    park: Park | None = None,
) -> Document:
    """Build the uitvoeringsplan or plan van aanpak of a stored park from stored results."""
    from parkplan.plan.document import implementation_plan_document, plan_of_action_document
    from parkplan.plan.plan_of_action import build_plan_of_action
    from parkplan.services.assess import compute_baseline
    from parkplan.services.parks import get_park

    if kind not in PLAN_KINDS:
        raise ParkplanError(
            f"Onbekend soort plan '{kind}'; verwacht: {', '.join(PLAN_KINDS)}.",
            f"Unknown plan kind '{kind}'; expected: {', '.join(PLAN_KINDS)}.",
        )
    park = park or get_park(session, park_id)
    issued = issued or datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    baseline, refdata = compute_baseline(park)
    factors = plan_factors(refdata)
    rows = stored_inputs(session, park_id, lang)
    payloads = {k: r.payload for k, r in rows.items()}
    sim_weather = ((payloads.get("simulation") or {}).get("provenance") or {}).get("weather")
    if sim_weather:  # the appendix names the weather (weather_source)
        from parkplan.services.weather import weather_label

        sim = dict(payloads["simulation"])
        prov = dict(sim.get("provenance") or {})
        prov["weather_source"] = weather_label(sim_weather, lang)
        payloads["simulation"] = {**sim, "provenance": prov}
    sources = {k: _describe(k, r, lang) for k, r in rows.items()}
    inputs = PlanInputs(
        park=park,
        baseline=baseline,
        factors=factors,
        start=issued,
        lang=lang,
        sources=sources,
        **payloads,
    )
    used = {v.key + "|" + str(v.year): v.to_dict() for v in refdata.used()}
    for p in payloads.values():
        for v in p.get("refdata_used") or []:
            used.setdefault(f"{v.get('key')}|{v.get('year')}", v)
    provenance = {
        "refdata_version": refdata.version,
        "weather": sim_weather,
        "results": [
            {
                "analysis": k,
                "what": sources[k],
                "created": r.created_at.isoformat(timespec="seconds") if r.created_at else None,
                "refdata_version": r.refdata_version,
                "code_version": r.code_version,
                "id": r.id,
            }
            for k, r in rows.items()
        ],
    }
    from parkplan import __version__

    provenance["results"].insert(
        0,
        {
            "analysis": "baseline",
            "what": "nulmeting (berekend bij het maken van dit plan)"
            if lang == "nl"
            else "baseline (computed when this plan was made)",
            "created": issued.isoformat(),
            "refdata_version": refdata.version,
            "code_version": __version__,
            "id": None,
        },
    )
    stored = narratives(session, park_id)
    sim_charts = (
        _stored_simulation_charts(session, park_id, int(rows["simulation"].id), lang)
        if "simulation" in rows
        else None
    )
    if kind == "uitvoeringsplan":
        from parkplan.plan.implementation_plan import build_implementation_plan

        plan = build_implementation_plan(inputs)
        return implementation_plan_document(
            plan, inputs, charts=_charts(inputs, plan, lang, sim_charts), narratives=stored,
            provenance=provenance, refdata_used=list(used.values()), issued=issued,
        )  # fmt: skip
    poa, plan = build_plan_of_action(inputs)
    return plan_of_action_document(
        poa, plan, inputs, charts=_charts(inputs, plan, lang, sim_charts), narratives=stored,
        provenance=provenance, refdata_used=list(used.values()), issued=issued,
    )  # fmt: skip


def render(document: Document, fmt: str, out: str | Path) -> Path:
    """Write a document as PDF, Word, HTML or Markdown."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "pdf":
        from parkplan.reports.pdf import write_pdf

        return write_pdf(document, out)
    if fmt == "docx":
        from parkplan.reports.docx import write_docx

        return write_docx(document, out)
    if fmt == "html":
        from parkplan.reports.html import render_html

        out.write_text(render_html(document, standalone=True), encoding="utf-8")
        return out
    if fmt == "md":
        from parkplan.reports.markdown import write_markdown

        return write_markdown(document, out)
    raise ParkplanError(
        f"Onbekend formaat '{fmt}'; verwacht: {', '.join(FORMATS)}.",
        f"Unknown format '{fmt}'; expected: {', '.join(FORMATS)}.",
    )


def export_plan(
    park_id: str,
    kind: str,
    fmt: str,
    out: str | Path,
    *,
    lang: str = "nl",
    prepare_missing: bool = False,
    session: Any = None,
    issued: date | None = None,
    scenario: str | Path | None = None,
    finance: Mapping[str, Any] | None = None,
    optimize: bool = False,
    progress: Any = None,
    weather_file: str | Path | None = None,
    weather_format: str | None = None,
) -> tuple[Path, Document]:
    """Build and write a plan and return the file and the document.

    With ``prepare_missing`` run the simulation, quick scan and scorecard when any of them is
    not stored (or when ``weather_file`` is given and the stored simulation used other
    weather); with ``scenario`` run and store its business case first. ``progress``: an
    optional ``progress(fraction, label)`` callback (see
    :func:`parkplan.services.optimize.optimize`) told of each stage. ``weather_file`` and
    ``weather_format``: the weather of every analysis run here (see :func:`prepare`)."""
    if session is None:
        from parkplan.store.db import session_scope

        with session_scope() as s:
            return export_plan(park_id, kind, fmt, out, lang=lang,
                               prepare_missing=prepare_missing, session=s, issued=issued,
                               scenario=scenario, finance=finance,
                               optimize=optimize, progress=progress,
                               weather_file=weather_file,
                               weather_format=weather_format)  # fmt: skip
    from parkplan.services.optimize import sub_progress

    def say(fraction: float, nl: str, en: str) -> None:
        if progress is not None:
            progress(fraction, en if lang == "en" else nl)

    needed = {"simulation", "quickscan", "scorecard"}
    w = {"weather_file": weather_file, "weather_format": weather_format}
    stored = stored_inputs(session, park_id) if prepare_missing else {}
    if prepare_missing and (
        not needed <= set(stored) or _other_weather(stored.get("simulation"), weather_file)
    ):
        say(0.0, "Simulatie, quick scan en scorekaart voorbereiden",
            "Preparing the simulation, quick scan and scorecard")  # fmt: skip
        prepare(session, park_id, **w)
    if scenario is not None:
        say(
            0.2, "Businesscase van het scenario doorrekenen", "Running the scenario's business case"
        )
        store_business_case(session, park_id, scenario, finance=finance, **w)
    if optimize:
        store_optimization(session, park_id, lang=lang, progress=sub_progress(progress, 0.3, 0.9),
                           **w)  # fmt: skip
    say(0.9, "Plan opbouwen en schrijven", "Building and writing the plan")
    document = build_document(session, park_id, kind, lang=lang, issued=issued)
    path = render(document, fmt, out)
    say(1.0, "Klaar", "Done")
    return path, document


def _other_weather(row: Any, weather_file: str | Path | None) -> bool:
    """Whether a stored simulation used other weather than ``weather_file`` (by sha256)."""
    if row is None or weather_file is None:
        return False
    if not Path(weather_file).is_file():
        return True  # prepare() then says, in Dutch, that the file does not exist
    from parkplan.io.weather import file_sha256

    used = ((row.payload or {}).get("provenance") or {}).get("weather") or {}
    return used.get("file_sha256") != file_sha256(weather_file)


def summary(document: Document) -> Mapping[str, Any]:
    """JSON-ready summary of a generated plan (for the CLI)."""
    return {
        "park_id": document.park_id,
        "kind": document.kind,
        "lang": document.lang,
        "illustrative": document.illustrative,
        "issued": document.issued.isoformat(),
        "chapters": [c.title for c in document.chapters],
        "results": document.provenance.get("results", []),
    }
