"""Use cases of the assessment: the baseline (nulmeting) of a park."""

from __future__ import annotations

from typing import Any

from parkplan.assess.baseline import (
    SECTOR_GROUPS,
    BaselineFactors,
    Figure,
    ParkBaseline,
    park_baseline,
)
from parkplan.domain.model import Park
from parkplan.refdata import RefData, load_refdata


def park_refdata(park: Park) -> RefData:
    """Reference data with the park's own overrides applied (a fresh record of use)."""
    return load_refdata(park.refdata_overrides or None)


def baseline_factors(refdata: RefData, year: int | None = None) -> BaselineFactors:
    """The reference figures of the baseline, looked up (and so recorded) in ``refdata``."""
    fuel_l_per_km: dict[tuple[str, str], float] = {}
    for row in refdata.table("fleet.fuel_l_per_km."):
        kind, fuel = row.key.split(".")[-2:]
        fuel_l_per_km[(kind, fuel)] = refdata.value(row.key, year)

    def norms(prefix: str) -> dict[str, float]:
        return {r.key.rsplit(".", 1)[-1]: refdata.value(r.key, year) for r in refdata.table(prefix)}

    return BaselineFactors(
        co2_electricity_kg_per_kwh=refdata.value("co2.electricity_kg_per_kwh", year),
        co2_gas_kg_per_m3=refdata.value("co2.natural_gas_kg_per_m3", year),
        co2_fuel_kg_per_l={
            "diesel": refdata.value("co2.diesel_kg_per_l", year),
            "petrol": refdata.value("co2.petrol_kg_per_l", year),
        },
        fuel_l_per_km=fuel_l_per_km,
        electricity_kwh_per_m2=norms("sector_norm.electricity_kwh_per_m2."),
        gas_m3_per_m2=norms("sector_norm.gas_m3_per_m2."),
    )


def compute_baseline(park: Park, *, year: int | None = None) -> tuple[ParkBaseline, RefData]:
    """The baseline of a park and the reference data used (``.used()`` lists the values)."""
    refdata = park_refdata(park)
    return park_baseline(park, baseline_factors(refdata, year)), refdata


def _figure(f: Figure | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {"value": f.value, "unit": f.unit, "quality": f.quality.value}


def baseline_to_dict(
    base: ParkBaseline, park: Park, refdata: RefData, lang: str = "nl"
) -> dict[str, Any]:
    """JSON-ready baseline: companies, sectors, park totals, values used, provenance."""
    names = {c.id: c.name for c in park.companies}

    def group(g: Any) -> dict[str, Any]:
        return {
            "companies": g.companies,
            "co2_kg": g.co2_kg,
            "totals": {
                k: {
                    "value": t.value,
                    "unit": t.unit,
                    "estimated_share": t.estimated_share,
                    "measured_share": t.measured_share,
                    "companies_missing": t.companies_missing,
                }
                for k, t in g.totals.items()
            },
        }

    label = 1 if lang == "en" else 0
    return {
        "park_id": park.id,
        "illustrative": park.illustrative,
        "park": group(base.park),
        "sectors": [
            {"sector": s.key, "label": SECTOR_GROUPS[s.key][label], **group(s)}
            for s in base.sectors
        ],
        "companies": [
            {
                "id": c.company_id,
                "name": names[c.company_id],
                "sector": c.sector,
                "electricity_offtake_kwh": _figure(c.electricity_offtake_kwh),
                "electricity_feed_in_kwh": _figure(c.electricity_feed_in_kwh),
                "electricity_produced_kwh": _figure(c.electricity_produced_kwh),
                "electricity_demand_kwh": _figure(c.electricity_demand_kwh),
                "gas_m3": _figure(c.gas_m3),
                "fleet_fuel_l": {k: _figure(v) for k, v in c.fleet_fuel_l.items()},
                "co2_electricity_kg": _figure(c.co2_electricity_kg),
                "co2_gas_kg": _figure(c.co2_gas_kg),
                "co2_fleet_kg": _figure(c.co2_fleet_kg),
                "co2_kg": _figure(c.co2_kg),
                "missing": list(c.missing),
            }
            for c in base.companies
        ],
        "refdata_used": [v.to_dict() for v in refdata.used()],
        "refdata_version": refdata.version,
    }


# --------------------------------------------------------------------------------------------
# Quick scan (voorlopige conclusies en aanbevelingen)
# --------------------------------------------------------------------------------------------

QUICKSCAN_KEYS: dict[str, str] = {
    "saving_min_electricity_kwh": "obligation.energy_saving.min_electricity_kwh",
    "saving_min_gas_m3": "obligation.energy_saving.min_gas_m3_equivalent",
    "research_min_electricity_kwh": "obligation.research.min_electricity_kwh",
    "research_min_gas_m3": "obligation.research.min_gas_m3_equivalent",
    "label_c_min_office_m2": "obligation.office_label_c.min_area_m2",
    "label_c_min_office_share": "obligation.office_label_c.min_office_share",
    "label_c_max_primary_kwh_per_m2": "obligation.office_label_c.max_primary_fossil_kwh_per_m2",
    "label_c_from_year": "obligation.office_label_c.from_year",
    "pv_min_kwp": "cost.pv.small.max_kwp",
    "module_density_kwp_m2": "solar.module_density_kwp_m2",
    "pv_yield_kwh_per_kwp": "quickscan.pv.yield_kwh_per_kwp",
    "connection_near_share": "quickscan.connection.near_share",
    "connection_underused_share": "quickscan.connection.underused_share",
    "heat_pump_min_gas_m3": "quickscan.heat_pump.min_gas_m3",
    "heat_pump_max_gas_m3_per_m2": "quickscan.heat_pump.max_gas_m3_per_m2",
    "gas_lower_kwh_per_m3": "gas.lower_calorific_value_kwh_per_m3",
    "boiler_efficiency": "heat.boiler_efficiency",
    "heat_pump_scop": "heat.heat_pump_scop",
    "hub_min_matched_share": "quickscan.hub.min_matched_share",
    "hub_min_diversity_share": "quickscan.hub.min_diversity_share",
    "peak_driver_share": "quickscan.peak.driver_share",
    "peak_shave_quantile": "quickscan.peak.shave_quantile",
    "co2_electricity_kg_per_kwh": "co2.electricity_kg_per_kwh",
    "co2_gas_kg_per_m3": "co2.natural_gas_kg_per_m3",
    "electricity_eur_per_kwh": "supply.electricity.eur_per_kwh",
    "feed_in_eur_per_kwh": "supply.electricity.feed_in_eur_per_kwh",
    "gas_eur_per_m3": "supply.gas.eur_per_m3",
    "pv_capex_eur_per_kwp": "cost.pv.medium.capex_eur_per_kwp",
}
"""Quick-scan factor -> reference-data key."""


def quickscan_factors(refdata: RefData, year: int | None = None) -> Any:
    """The thresholds and figures of the quick scan, looked up (and recorded) in ``refdata``."""
    from parkplan.assess.quickscan import EFFORTS, QuickscanFactors

    values = {name: refdata.value(key, year) for name, key in QUICKSCAN_KEYS.items()}
    effort = {e: refdata.value(f"quickscan.effort.{e}", year) for e in EFFORTS}
    return QuickscanFactors(**values, effort_weight=effort, keys=dict(QUICKSCAN_KEYS))


def _is_database_park(park_or_file: Any) -> bool:
    from pathlib import Path

    return isinstance(park_or_file, str) and not Path(park_or_file).is_file()


def _inputs_hash(park: Park, extra: dict[str, Any]) -> str:
    import hashlib
    import json

    from parkplan.energy.simulate import _jsonable

    doc = {"park": _jsonable(park), "extra": extra}
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


def store_assessment(
    session: Any, park_id: str, kind: str, payload: dict[str, Any], *, key: str = ""
) -> Any:
    """Save a quick-scan or scorecard payload with its provenance (flushed, not committed)."""
    from parkplan.store.repository import save_result

    prov = payload.get("provenance", {})
    return save_result(
        session,
        park_id=park_id,
        kind=kind,
        key=key,
        payload=payload,
        inputs_hash=prov.get("inputs_sha256"),
        refdata_version=prov.get("refdata_version"),
        code_version=prov.get("code_version"),
    )


def compute_quickscan(
    park: Park,
    *,
    year: int | None = None,
    simulation: Any = None,
    simulate_profiles: bool = True,
    weather: Any = None,
) -> tuple[Any, ParkBaseline, RefData, Any]:
    """The quick scan of a park.

    Parameters
    ----------
    park : Park
        The park.
    year : int, optional
        Year of the reference values (default: the latest).
    simulation : SimulationResult, optional
        A simulation of the park kept with ``keep_series=True``; by default the park is
        simulated on the reference weather year (needs a location when there are roofs).
    simulate_profiles : bool
        ``False`` skips the simulation: the profile rules are then not assessed.
    weather : DataFrame, optional
        Weather of the simulation (:func:`parkplan.services.weather.load_weather`); default
        the reference year.

    Returns
    -------
    (QuickScan, ParkBaseline, RefData, SimulationResult or None)
    """
    from parkplan.assess.quickscan import profiles_from_simulation, quickscan

    refdata = park_refdata(park)
    base = park_baseline(park, baseline_factors(refdata, year))
    factors = quickscan_factors(refdata, year)
    sim = simulation
    missing: tuple[str, str] | None = None
    if sim is None and simulate_profiles and park.companies:
        sim, missing = _simulate_or_reason(park, year, keep_series=True, weather=weather)
    profiles = profiles_from_simulation(sim) if sim is not None else None
    scan = quickscan(park, base, factors, profiles, profiles_missing=missing)
    return scan, base, refdata, sim


def _simulate_or_reason(
    park: Park, year: int | None, *, keep_series: bool, weather: Any = None
) -> tuple[Any, tuple[str, str] | None]:
    """Simulate the park; a domain error (e.g. no location for PV) becomes the reason why
    the rules that need the simulation are not assessed, instead of stopping the scan."""
    from parkplan.domain.errors import ParkplanError
    from parkplan.services.simulate import simulate

    try:
        options: dict[str, Any] = {"year": year} if year else {}
        return simulate(park, keep_series=keep_series, weather=weather, **options), None
    except ParkplanError as exc:
        return None, (
            f"Simulatie niet mogelijk: {exc.message('nl')}",
            f"Simulation not possible: {exc.message('en')}",
        )


def _r(value: Any, digits: int) -> Any:
    if isinstance(value, float):
        return round(value, digits)
    return value


def _evidence_dict(e: Any) -> dict[str, Any]:
    digits = 4 if e.unit in ("fraction", "-") else 2
    return {
        "company": e.company,
        "key": e.key,
        "value": _r(e.value, digits),
        "unit": e.unit,
        "source": e.source,
        "quality": e.quality.value,
    }


def quickscan_findings_dict(scan: Any, lang: str = "nl") -> dict[str, Any]:
    """Findings, recommendations and rules not assessed as JSON-ready data (rounded:
    energies 0.01 kWh, shares 0.0001, scores 1e-6)."""
    k = 1 if lang == "en" else 0
    from parkplan.assess.quickscan import EFFORT_LABELS

    return {
        "findings": [
            {
                "rule": f.rule,
                "status": f.status,
                "title": f.title[k],
                "text": f.text[k],
                "companies": list(f.companies),
                "quality": f.quality.value,
                "evidence": [_evidence_dict(e) for e in f.evidence],
            }
            for f in scan.findings
        ],
        "recommendations": [
            {
                "rank": r.rank,
                "id": r.id,
                "title": r.title[k],
                "text": r.text[k],
                "companies": list(r.companies),
                "based_on": list(r.based_on),
                "obligation": r.obligation,
                "impact": {
                    "co2_kg": _r(r.impact.co2_kg, 1),
                    "eur": _r(r.impact.eur, 0),
                    "kw": _r(r.impact.kw, 2),
                },
                "effort": r.effort,
                "effort_label": EFFORT_LABELS[r.effort][k],
                "score": r.score,
                "formula": list(r.formula),
                "interest": {a: list(ids) for a, ids in r.interest.items()},
            }
            for r in scan.recommendations
        ],
        "not_assessed": [
            {"rule": n.rule, "reason": n.reason[k], "companies": list(n.companies)}
            for n in scan.not_assessed
        ],
    }


def quickscan_to_dict(
    scan: Any, park: Park, refdata: RefData, sim: Any = None, lang: str = "nl"
) -> dict[str, Any]:
    """JSON-ready quick scan with the values used and the provenance."""
    from parkplan.services.simulate import code_version

    sim_prov = getattr(sim, "provenance", None) or {}
    return {
        "park_id": park.id,
        "park_name": park.name,
        "illustrative": park.illustrative,
        "lang": lang,
        "company_names": {c.id: c.name for c in park.companies},
        **quickscan_findings_dict(scan, lang),
        "refdata_used": [v.to_dict() for v in refdata.used()],
        "provenance": {
            "inputs_sha256": _inputs_hash(
                park, {"kind": "quickscan", "simulation": sim_prov.get("inputs_sha256")}
            ),
            "refdata_version": refdata.version,
            "code_version": code_version(),
            "simulation": {
                k: sim_prov.get(k)
                for k in ("inputs_sha256", "weather_sha256", "year", "models", "weather")
            }
            if sim_prov
            else None,
        },
    }


def quickscan_to_markdown(
    data: dict[str, Any], lang: str = "nl", names: dict[str, str] | None = None
) -> str:
    """The quick scan as a Markdown report ("Voorlopige conclusies en aanbevelingen").

    ``names`` (company id -> name, e.g. ``data["company_names"]``; only for who may see the
    company list) writes companies as "Name (id)"; without it the report keeps the ids.
    """
    from parkplan.assess.quickscan import QUALITY_LABELS, fmt
    from parkplan.domain.names import companies_text, with_company_names

    def who(ids: list[str]) -> str:
        return companies_text(ids, names, lang) if names else ", ".join(ids)

    nl = lang != "en"
    heading = (
        "Voorlopige conclusies en aanbevelingen"
        if nl
        else "Preliminary conclusions and recommendations"
    )
    lines = [
        f"# {heading} — {data['park_name']}",
        "",
    ]
    if data.get("illustrative"):
        lines += [
            "_Illustratief: synthetische gegevens._" if nl else "_Illustrative: synthetic data._",
            "",
        ]
    lines += ["## Conclusies" if nl else "## Conclusions", ""]
    if not data["findings"]:
        lines.append("Geen bevindingen." if nl else "No findings.")
    for f in data["findings"]:
        label = QUALITY_LABELS[f["quality"]][0 if nl else 1]
        q = f" _({'datakwaliteit' if nl else 'data quality'}: {label})_"
        lines.append(f"- **{f['title']}**: {with_company_names(f['text'], names)}{q}")
    lines += ["", "## Aanbevelingen" if nl else "## Recommendations", ""]
    head = (
        "| # | Aanbeveling | Bedrijven | CO2 [t/jr] | EUR/jr | kW | Inspanning |"
        if nl
        else "| # | Recommendation | Companies | CO2 [t/yr] | EUR/yr | kW | Effort |"
    )
    lines += [head, "|---|---|---|---:|---:|---:|---|"]
    for r in data["recommendations"]:
        imp = r["impact"]
        title = r["title"] + (" (verplicht)" if nl else " (obligation)") * r["obligation"]
        co2 = fmt(imp["co2_kg"] / 1000, 1, lang) if imp["co2_kg"] is not None else "–"
        lines.append(
            f"| {r['rank']} | {title} | {who(r['companies'])} | {co2} |"
            f" {fmt(imp['eur'], 0, lang)} | {fmt(imp['kw'], 0, lang)} | {r['effort_label']} |"
        )
    lines.append("")
    for r in data["recommendations"]:
        lines.append(f"{r['rank']}. **{r['title']}** — {with_company_names(r['text'], names)}")
    if data["not_assessed"]:
        lines += ["", "## Niet beoordeeld" if nl else "## Not assessed", ""]
        for n in data["not_assessed"]:
            ids = f" ({who(n['companies'])})" if n["companies"] else ""
            lines.append(f"- {n['rule']}{ids}: {with_company_names(n['reason'], names)}")
    prov = data["provenance"]
    if prov.get("simulation"):
        from parkplan.services.weather import weather_label

        lines += ["", f"_{weather_label(prov['simulation'].get('weather'), lang)}_"]
    lines += [
        "",
        (
            f"_Referentiegegevens versie {prov['refdata_version']}, code {prov['code_version']};"
            " bronnen en gebruikte waarden: zie --json._"
            if nl
            else f"_Reference data version {prov['refdata_version']}, code"
            f" {prov['code_version']}; sources and values used: see --json._"
        ),
    ]
    return "\n".join(lines) + "\n"


def run_quickscan(
    park_or_file: str | Park,
    *,
    year: int | None = None,
    lang: str = "nl",
    session: Any = None,
    store: bool = True,
    simulation: Any = None,
    weather: Any = None,
) -> dict[str, Any]:
    """Load a park (database id or file), run the quick scan and, for a database park, store
    the result (kind ``quickscan``, key ``""``, in Dutch) with its provenance. ``weather``:
    see :func:`compute_quickscan`."""
    from parkplan.services.parks import load_park

    park = park_or_file if isinstance(park_or_file, Park) else load_park(park_or_file, session)
    scan, _base, refdata, sim = compute_quickscan(
        park, year=year, simulation=simulation, weather=weather
    )
    data = quickscan_to_dict(scan, park, refdata, sim, lang)
    if store and _is_database_park(park_or_file):
        # stored in Dutch under key "" (what the plans read), whatever the output language
        stored = data if lang == "nl" else quickscan_to_dict(scan, park, refdata, sim, "nl")
        _store(park.id, "quickscan", stored, "", session)
    return data


def _store(park_id: str, kind: str, data: dict[str, Any], key: str, session: Any) -> None:
    if session is not None:
        store_assessment(session, park_id, kind, data, key=key)
        return
    from parkplan.store.db import session_scope

    with session_scope() as s:
        store_assessment(s, park_id, kind, data, key=key)


# --------------------------------------------------------------------------------------------
# Future-proof scorecard
# --------------------------------------------------------------------------------------------

SCORECARD_KEYS: dict[str, str] = {
    "energy_neutral_share": "scorecard.target.energy_neutral_share",
    "self_sufficiency": "scorecard.target.self_sufficiency",
    "pv_roof_share": "scorecard.target.pv_roof_share",
    "co2_t_per_ha_reference": "scorecard.reference.co2_t_per_ha",
    "co2_t_per_job_reference": "scorecard.reference.co2_t_per_job",
    "grid_headroom_share": "scorecard.target.grid_headroom_share",
    "green_share": "scorecard.target.green_share",
    "paved_share_reference": "scorecard.reference.paved_share",
    "water_storage_m3_per_ha": "scorecard.target.water_storage_m3_per_ha",
    "electric_fleet_share": "scorecard.target.electric_fleet_share",
    "collective_waste_contract": "scorecard.target.collective_waste_contract",
    "circular_company_share": "scorecard.target.circular_company_share",
    "organisation_forms": "scorecard.target.organisation_forms",
    "bond_score": "scorecard.target.bond_score",
    "collective_interest_share": "scorecard.target.collective_interest_share",
    "min_response_rate": "survey.min_response_rate",
    "gas_kwh_per_m3": "gas.lower_calorific_value_kwh_per_m3",
    "pv_min_kwp": "cost.pv.small.max_kwp",
    "module_density_kwp_m2": "solar.module_density_kwp_m2",
}
"""Scorecard target -> reference-data key."""


def scorecard_targets(refdata: RefData, year: int | None = None) -> Any:
    """The targets and references of the scorecard, looked up (and recorded) in ``refdata``."""
    from parkplan.assess.scorecard import ScorecardTargets

    values = {name: refdata.value(key, year) for name, key in SCORECARD_KEYS.items()}
    return ScorecardTargets(**values, keys=dict(SCORECARD_KEYS))


def read_scorecard_inputs(path: str | Any) -> Any:
    """Read the optional scorecard inputs (YAML: ``climate:``, ``circularity:`` sections).

    Each value given overrides the park's own ``park.climate`` / ``park.circularity``.

    Raises
    ------
    ValidationError
        The file cannot be read or holds invalid values (all problems listed, with the file).
    """
    from pathlib import Path

    import yaml

    from parkplan.assess.scorecard import parse_inputs
    from parkplan.domain.errors import ValidationError, error, raise_if_errors

    p = Path(path)
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise_if_errors(
            [
                error(
                    "",
                    f"Invoerbestand van de scorekaart is niet te lezen: {exc}.",
                    f"Scorecard input file cannot be read: {exc}.",
                    str(p),
                    code="unreadable",
                ).located(file=str(p))
            ]
        )
        raise  # pragma: no cover
    try:
        return parse_inputs(doc if isinstance(doc, dict) else {})
    except ValidationError as exc:
        raise_if_errors([pr.located(file=str(p)) for pr in exc.problems], source=str(p))
        raise  # pragma: no cover


def compute_scorecard(
    park: Park,
    *,
    year: int | None = None,
    simulation: Any = None,
    simulate_energy: bool = True,
    inputs: Any = None,
    weather: Any = None,
) -> tuple[Any, RefData, Any]:
    """The scorecard of a park: (Scorecard, RefData used, SimulationResult or None).

    ``weather``: the weather of the simulation (default the reference year).

    Without a simulation (``simulate_energy=False`` or a park without companies)
    self-sufficiency and grid headroom are not assessed.
    """
    from parkplan.assess.scorecard import EnergyFigures, scorecard

    refdata = park_refdata(park)
    base = park_baseline(park, baseline_factors(refdata, year))
    targets = scorecard_targets(refdata, year)
    sim = simulation
    reason: tuple[str, str] | None = None
    if sim is None and simulate_energy and park.companies:
        sim, reason = _simulate_or_reason(park, year, keep_series=False, weather=weather)
    energy = (
        EnergyFigures(
            demand_kwh=sim.park.demand_kwh,
            pv_kwh=sim.park.pv_kwh,
            import_kwh=sim.park.import_kwh,
            coincident_peak_kw=sim.park.coincident_peak_kw,
        )
        if sim is not None
        else None
    )
    card = scorecard(park, base, targets, energy=energy, inputs=inputs, energy_missing=reason)
    return card, refdata, sim


def scorecard_to_dict(
    card: Any,
    park: Park,
    refdata: RefData,
    *,
    sim: Any = None,
    inputs: Any = None,
    lang: str = "nl",
) -> dict[str, Any]:
    """JSON-ready scorecard: themes with indicators, overall score, values used, provenance."""
    import dataclasses

    from parkplan.assess.scorecard import THEMES, resolve_inputs
    from parkplan.services.simulate import code_version

    k = 1 if lang == "en" else 0

    def r(x: Any, digits: int = 4) -> Any:
        return round(x, digits) if isinstance(x, float) else x

    themes = []
    for t in card.themes:
        themes.append(
            {
                "theme": t.key,
                "label": THEMES[t.key][k],
                "score": r(t.score, 1),
                "weak": t.weak,
                "not_assessed": t.not_assessed,
                "notes": [n[k] for n in t.notes],
                "indicators": [
                    {
                        "key": i.key,
                        "label": i.label[k],
                        "value": r(i.value),
                        "unit": i.unit,
                        "direction": i.direction,
                        "target": i.target,
                        "reference": i.reference,
                        "score": r(i.score, 1),
                        "source": i.source,
                        "target_source": i.target_source,
                        "quality": i.quality.value,
                        "note": i.note[k] if i.note else None,
                    }
                    for i in t.indicators
                ],
            }
        )
    sim_prov = getattr(sim, "provenance", None) or {}
    inputs_doc = dataclasses.asdict(inputs) if inputs is not None else {}
    return {
        "park_id": park.id,
        "park_name": park.name,
        "illustrative": park.illustrative,
        "score": r(card.score, 1),
        "themes_assessed": card.themes_assessed,
        "themes_total": len(card.themes),
        "themes": themes,
        "inputs": inputs_doc,
        "inputs_used": {
            name: {"value": value, "source": source, "quality": origin.value}
            for name, (value, source, origin) in resolve_inputs(park, inputs).items()
        },
        "refdata_used": [v.to_dict() for v in refdata.used()],
        "provenance": {
            "inputs_sha256": _inputs_hash(
                park,
                {
                    "kind": "scorecard",
                    "inputs": inputs_doc,
                    "simulation": sim_prov.get("inputs_sha256"),
                },
            ),
            "refdata_version": refdata.version,
            "code_version": code_version(),
            "simulation": {
                key: sim_prov.get(key)
                for key in ("inputs_sha256", "weather_sha256", "year", "weather")
            }
            if sim_prov
            else None,
        },
    }


def compare_scorecards(cards: list[dict[str, Any]], lang: str = "nl") -> dict[str, Any]:
    """Theme scores side by side and, per park, the criteria that were missing.

    Missing criteria are not scored (never 0): a theme score rests on the indicators that
    were assessed, and the overall score on the themes that were.
    """
    versions = sorted({c["provenance"]["refdata_version"] for c in cards})
    return {
        "scores": {
            c["park_id"]: {"overall": c["score"], **{t["theme"]: t["score"] for t in c["themes"]}}
            for c in cards
        },
        "not_assessed": {
            c["park_id"]: [f"{t['theme']}.{k}" for t in c["themes"] for k in t["not_assessed"]]
            for c in cards
        },
        "weak": {c["park_id"]: [t["theme"] for t in c["themes"] if t["weak"]] for c in cards},
        "refdata_versions": versions,
        "comparable": len(versions) == 1,
        "note": (
            "Ontbrekende criteria tellen niet mee (geen 0): een thema middelt de beoordeelde"
            " indicatoren, de totaalscore de beoordeelde thema's."
            if lang != "en"
            else "Missing criteria are left out (never 0): a theme averages its assessed"
            " indicators, the overall score the assessed themes."
        ),
    }


def run_scorecards(
    parks_or_files: list[str] | list[Park],
    *,
    year: int | None = None,
    lang: str = "nl",
    inputs_file: str | None = None,
    chart: str | None = None,
    session: Any = None,
    store: bool = True,
    weather: Any = None,
) -> list[dict[str, Any]]:
    """Scorecards of one or more parks (comparable: same targets), an optional radar chart;
    database parks get their result stored (kind ``scorecard``, key ``""``, in Dutch).
    ``weather``: the weather of the simulations (default the reference year)."""
    from parkplan.assess.scorecard import THEMES
    from parkplan.services.parks import load_park

    inputs = read_scorecard_inputs(inputs_file) if inputs_file else None
    out: list[dict[str, Any]] = []
    for item in parks_or_files:
        park = item if isinstance(item, Park) else load_park(item, session)
        card, refdata, sim = compute_scorecard(park, year=year, inputs=inputs, weather=weather)
        data = scorecard_to_dict(card, park, refdata, sim=sim, inputs=inputs, lang=lang)
        if store and _is_database_park(item):
            stored = (
                data
                if lang == "nl"
                else scorecard_to_dict(card, park, refdata, sim=sim, inputs=inputs, lang="nl")
            )
            _store(park.id, "scorecard", stored, "", session)
        out.append(data)
    if chart:
        from parkplan.reports.radar import plot_scorecard_radar

        k = 1 if lang == "en" else 0
        plot_scorecard_radar(
            [(key, labels[k]) for key, labels in THEMES.items()],
            {d["park_name"]: {t["theme"]: t["score"] for t in d["themes"]} for d in out},
            chart,
            title="Toekomstbestendigheid (0-100)" if k == 0 else "Future-proof scorecard (0-100)",
            lang=lang,
        )
    return out
