"""Use case: the optimal configuration of a park, alone vs together (``parkplan optimize``).

Loads the park (database id or park file), the weather, the reference data with the park's
overrides, builds the demand and PV arrays with the simulation engine
(:func:`parkplan.energy.simulate.build_inputs`), calls
:func:`parkplan.optimize.sizing.optimize_park` and returns a JSON-ready result with
provenance; optionally writes the optimum as a scenario file (``parkplan-scenario/1``) that
``parkplan simulate --scenario`` and the business case read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from parkplan.domain.errors import ParkplanError
from parkplan.domain.model import Park
from parkplan.optimize.sizing import (
    CostInputs,
    MemberInput,
    ParkOptimum,
    ParkSizingInputs,
    Progress,
    RoofInput,
    optimize_park,
)


def cost_inputs(refdata: Any, year: int) -> CostInputs:
    """Investment, O&M and battery figures from the reference data for ``year``."""
    v = refdata.value
    classes = [
        (v("cost.pv.small.max_kwp"), v("cost.pv.small.capex_eur_per_kwp", year),
         v("cost.pv.small.om_eur_per_kwp_yr", year)),
        (v("cost.pv.medium.max_kwp"), v("cost.pv.medium.capex_eur_per_kwp", year),
         v("cost.pv.medium.om_eur_per_kwp_yr", year)),
        (float("inf"), v("cost.pv.large.capex_eur_per_kwp", year),
         v("cost.pv.large.om_eur_per_kwp_yr", year)),
    ]  # fmt: skip
    return CostInputs(
        discount_rate=v("finance.discount_rate_fraction", year),
        pv_classes=classes,
        pv_lifetime_years=int(v("cost.pv.lifetime_years")),
        battery_capex_eur_per_kwh=v("cost.battery.capex_eur_per_kwh", year),
        battery_capex_eur_per_kw=v("cost.battery.capex_eur_per_kw", year),
        battery_om_fraction=v("cost.battery.om_fraction_of_capex_per_yr", year),
        battery_lifetime_years=int(v("cost.battery.lifetime_years")),
        battery_round_trip_efficiency=v("battery.round_trip_efficiency", year),
        battery_soc_min_fraction=v("battery.soc_min_fraction", year),
        battery_soc_max_fraction=v("battery.soc_max_fraction", year),
    )


def sizing_inputs(
    park: Park,
    refdata: Any,
    *,
    year: int = 2025,
    resolution_minutes: int = 60,
    weather: Any = None,
    co2_cap_tonnes: float | None = None,
    scenario: Any = None,
) -> ParkSizingInputs:
    """The park as arrays for the optimiser: demand and existing PV from the simulation
    engine, one PV profile per roof orientation, limits (with time-block transport rights),
    costs and prices.

    Parameters
    ----------
    park : Park
        The park.
    refdata : RefData
        Reference data with the park's overrides.
    year : int
        Tariff year and calendar year of the index.
    resolution_minutes : int
        60 or 15.
    weather : DataFrame, optional
        Weather on the index; default the packaged reference year.
    co2_cap_tonnes : float, optional
        Cap on the park's CO2 from grid offtake. [t/yr]
    scenario : Scenario, optional
        Changes to optimise under: ``heat_pump`` and ``ev_charging`` (more demand) and
        ``transport_right`` (time-block limits); see :func:`check_optimize_scenario`.
    """
    from parkplan.energy.simulate import build_inputs, default_demand_builder, default_pv_builder
    from parkplan.services.simulate import simulation_parameters

    if resolution_minutes not in (15, 60):
        raise ParkplanError(
            f"resolutie {resolution_minutes} min; kies 15 of 60",
            f"resolution {resolution_minutes} min; choose 15 or 60",
        )
    if weather is None:
        from parkplan.services.weather import default_weather

        weather, _ = default_weather(year, resolution_minutes)
    params = simulation_parameters(refdata, year)
    pv_builder = default_pv_builder()
    if scenario is not None:
        check_optimize_scenario(scenario)
    pin = build_inputs(
        park,
        weather,
        scenario=scenario,
        parameters=params,
        pv_builder=pv_builder,
        demand_builder=default_demand_builder(refdata),
    )
    density = refdata.value("solar.module_density_kwp_m2", year)
    orient: dict[tuple[float, float], int] = {}
    for c in park.companies:
        for r in c.roofs:
            orient.setdefault((round(r.tilt_deg, 1), round(r.azimuth_deg, 1) % 360.0), len(orient))
    n_t = len(weather.index)
    if orient:
        if park.location is None:
            raise ParkplanError(
                "Het park heeft geen locatie (lat/lon); die is nodig voor zonnestroom.",
                "The park has no location (lat/lon); it is needed for solar power.",
            )
        profiles = np.asarray(
            pv_builder(weather, park.location.lat, park.location.lon, list(orient), params)
        )
    else:
        profiles = np.zeros((1, n_t))
    existing = pin.pv.matrix()
    members = []
    for i, c in enumerate(park.companies):
        conn = c.main_connection
        roofs = [
            RoofInput(
                index=k,
                profile=orient[(round(r.tilt_deg, 1), round(r.azimuth_deg, 1) % 360.0)],
                max_kwp=max(r.area_m2 * r.usable_fraction * density, r.existing_pv_kwp),
                existing_kwp=r.existing_pv_kwp,
                label=r.id or str(k),
            )
            for k, r in enumerate(c.roofs)
        ]
        series = time_block_series_kw(pin, i)
        members.append(
            MemberInput(
                id=c.id,
                demand_kwh=pin.demand_kwh[i],
                kind=conn.kind if conn is not None else "kleinverbruik",
                contracted_kw=conn.contracted_kw if conn is not None else None,
                contracted_feed_in_kw=conn.contracted_feed_in_kw if conn is not None else None,
                import_limit_kw=pin.import_limit_kw[i],
                export_limit_kw=pin.export_limit_kw[i],
                grid_level=conn.grid_level if conn is not None else None,
                roofs=roofs,
                existing_pv_kwh=existing[i],
                import_cap_series_kw=series,
            )
        )
    operator = park.grid.operator
    if not operator:
        raise ParkplanError(
            "Het park heeft geen netbeheerder (grid.operator); die bepaalt de tarieven.",
            "The park has no grid operator (grid.operator); it decides the tariffs.",
        )
    co2 = refdata.value("co2.electricity_kg_per_kwh", year)
    return ParkSizingInputs(
        park_id=park.id,
        index=weather.index,
        interval_h=resolution_minutes / 60.0,
        profiles=profiles,
        members=members,
        operator=operator,
        year=year,
        costs=cost_inputs(refdata, year),
        available_import_kw=park.grid.available_import_kw,
        available_export_kw=park.grid.available_export_kw,
        co2_kg_per_kwh=co2,
        co2_cap_kg=None if co2_cap_tonnes is None else co2_cap_tonnes * 1000.0,
    )


OPTIMIZE_SCENARIO_MEASURES: tuple[str, ...] = ("heat_pump", "ev_charging", "transport_right")
"""Scenario measures ``parkplan optimize --scenario`` takes: they change demand or limits.
PV, batteries and hubs are what the optimiser decides itself."""


def check_optimize_scenario(scenario: Any) -> None:
    """Refuse a scenario with measures the optimiser decides itself (PV, battery, hub).

    Raises
    ------
    ParkplanError
        Naming the measures (by position and type) and what is allowed.
    """
    from parkplan.energy.scenario import (
        BatteryMeasure,
        EnergyHub,
        EvCharging,
        HeatPump,
        RooftopPv,
        TransportRight,
    )

    names = {RooftopPv: "rooftop_pv", BatteryMeasure: "battery", EnergyHub: "energy_hub",
             HeatPump: "heat_pump", EvCharging: "ev_charging",
             TransportRight: "transport_right"}  # fmt: skip
    bad = [
        f"measures[{k}] ({names.get(type(m), type(m).__name__)})"
        for k, m in enumerate(scenario.measures)
        if names.get(type(m)) not in OPTIMIZE_SCENARIO_MEASURES
    ]
    if bad:
        allowed = ", ".join(OPTIMIZE_SCENARIO_MEASURES)
        raise ParkplanError(
            f"Het scenario bevat maatregelen die de optimalisatie zelf kiest: {', '.join(bad)}."
            f" Neem voor parkplan optimize --scenario alleen {allowed} op (zon, batterijen en"
            f" de hub berekent de optimalisatie).",
            f"The scenario holds measures the optimiser decides itself: {', '.join(bad)}."
            f" For parkplan optimize --scenario give only {allowed} (the optimiser sizes PV,"
            f" batteries and the hub).",
        )


def check_tariffs(park: Park, refdata: Any, year: int) -> None:
    """Check, before the (slow) demand and PV build, that every tariff the optimiser will
    need is known: each company's tariff category and transport tariffs, and the energy-tax
    rates up to the bracket of its reported annual offtake.

    Raises
    ------
    UnknownValueError
        The first unknown value, with its key and year (see :func:`how_to_supply`).
    """
    from parkplan.optimize.sizing import member_tariff

    operator = park.grid.operator
    if not operator:
        return
    for c in park.companies:
        conn = c.main_connection
        m = MemberInput(
            id=c.id,
            demand_kwh=np.zeros(1),
            kind=conn.kind if conn is not None else "kleinverbruik",
            contracted_kw=conn.contracted_kw if conn is not None else None,
            grid_level=conn.grid_level if conn is not None else None,
        )
        if m.kind == "grootverbruik" and m.contracted_kw is None:
            continue  # reported with its own message by the optimiser
        annual = c.electricity.annual_kwh if c.electricity is not None else 0.0
        member_tariff(m, float(annual or 0.0), operator=operator, year=year, refdata=refdata)


def sub_progress(progress: Progress | None, lo: float, hi: float) -> Progress | None:
    """A progress callback that maps a stage's own 0-1 onto ``lo``-``hi`` of ``progress``."""
    if progress is None:
        return None
    outer = progress

    def inner(fraction: float, label: str) -> None:
        outer(lo + (hi - lo) * min(max(float(fraction), 0.0), 1.0), label)

    return inner


def time_block_series_kw(pin: Any, i: int) -> np.ndarray | None:
    """Company ``i``'s import limit per interval when it has a time-block transport right
    (park file ``grid.transport_rights`` or a scenario's ``transport_right``), else ``None``.
    [kW]

    The simulation's inputs hold one limit row per right (row 0 is the contract row).
    """
    row = int(pin.limit_row[i])
    if row <= 0:
        return None
    return np.asarray(pin.limit_rows_kwh[row] * pin.limit_scale[i], dtype=float) / pin.interval_h


def _r(x: float, nd: int = 2) -> float:
    return round(float(x), nd) + 0.0  # no -0.0


def site_to_dict(site: Any, inputs: ParkSizingInputs) -> dict[str, Any]:
    """JSON-ready form of one solved site."""
    s = site.solution
    w = 1.0
    return {
        "members": site.members,
        "category": site.category,
        "objective_eur": _r(s.objective_eur),
        "operating_eur": _r(site.operating_eur),
        "costs_eur": {k: _r(v) for k, v in s.costs_eur.items()},
        "pv_added_kwp": _r(sum(sum(v) for v in site.pv_added_kwp.values()), 1),
        "pv_added_kwp_per_roof": {k: [_r(x, 1) for x in v] for k, v in site.pv_added_kwp.items()},
        "battery_kwh": _r(s.battery_kwh, 1),
        "battery_kw": _r(s.battery_kw, 1),
        "contract_kw": _r(s.contract_kw, 1),
        "monthly_max_kw": [_r(x, 1) for x in s.monthly_max_kw],
        "import_kwh": _r(float(np.sum(s.import_kwh)) * w, 0),
        "export_kwh": _r(float(np.sum(s.export_kwh + s.netted_export_kwh)), 0),
        "curtailed_kwh": _r(float(np.sum(s.curtailed_kwh)), 0),
        "pv_kwh": _r(float(np.sum(s.pv_kwh)), 0),
        "co2_t": _r(s.co2_kg / 1000.0, 2),
        "energy_tax_brackets": {k: t.bracket for k, t in site.tariffs.items()},
        "bracket_iterations": site.iterations,
        "bracket_changes": site.bracket_changes,
        "status": s.status,
        "seconds": {k: round(v, 4) for k, v in s.seconds.items()},
        "lp": s.size.to_dict(),
    }


def optimum_to_dict(opt: ParkOptimum, inputs: ParkSizingInputs, lang: str = "nl") -> dict:
    """JSON-ready result of :func:`optimize_park` (see docs/optimize.md for the keys)."""
    from parkplan.optimize.lp import DEFAULT_HIGHS_OPTIONS
    from parkplan.optimize.report import explain

    sites = [*opt.alone.values(), *([opt.hub] if opt.hub else [])]
    solve_s = sum(s.solution.seconds.get("solve", 0.0) for s in sites)
    build_s = sum(s.solution.seconds.get("build", 0.0) for s in sites)
    rows = sum(s.solution.size.rows for s in sites)
    cols = sum(s.solution.size.cols for s in sites)
    nnz = sum(s.solution.size.nnz for s in sites)
    import highspy

    companies = []
    for m in inputs.members:
        a = opt.alone[m.id]
        companies.append(
            {
                "id": m.id,
                "in_hub": opt.hub is not None and m.id in opt.hub.members,
                "alone": site_to_dict(a, inputs),
            }
        )
    return {
        "park_id": inputs.park_id,
        "year": inputs.year,
        "resolution_minutes": opt.resolution_minutes,
        "status": "optimal",
        "objective_eur": _r(opt.together_total_eur),
        "alone_total_eur": _r(opt.alone_total_eur),
        "together_total_eur": _r(opt.together_total_eur),
        "value_of_cooperation_eur": _r(opt.value_of_cooperation_eur),
        "hub": site_to_dict(opt.hub, inputs) if opt.hub else None,
        "outside_hub": opt.outside_hub,
        "companies": companies,
        "aggregated": opt.aggregated,
        "solver": {
            "name": "HiGHS",
            "version": highspy.Highs().version(),
            "options": DEFAULT_HIGHS_OPTIONS,
            "seconds": round(opt.seconds, 3),
            "build_seconds": round(build_s, 3),
            "solve_seconds": round(solve_s, 3),
            "lp": {"rows": rows, "cols": cols, "nnz": nnz},
            "n_lps": len(sites),
        },
        "explanation": explain(opt, inputs, lang),
    }


def inputs_hash(park: Park, year: int, resolution: int, extra: Mapping[str, Any]) -> str:
    """sha256 over the park's JSON form and the options."""
    from dataclasses import asdict

    doc = {"park": asdict(park), "year": year, "resolution": resolution, **extra}
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


def scenario_document(
    opt: ParkOptimum, inputs: ParkSizingInputs, name: str, base: Any = None
) -> dict[str, Any]:
    """The optimum as a ``parkplan-scenario/1`` document: PV per roof, the batteries of
    companies outside the hub and the hub with its group capacity and shared battery; the
    measures of ``base`` (the scenario it was optimised under) come first, so that the
    simulation sees the same demand and limits."""
    from parkplan.energy.scenario import SCENARIO_FORMAT

    measures: list[dict[str, Any]] = []
    if base is not None:
        measures.extend(json.loads(json.dumps(list(base.raw.get("measures") or []))))
    hub = opt.hub
    in_hub = set(hub.members) if hub else set()
    for m in inputs.members:
        site = hub if m.id in in_hub else opt.alone[m.id]
        assert site is not None
        for k, kwp in enumerate(site.pv_added_kwp.get(m.id, [])):
            if kwp >= 0.05:
                measures.append(
                    {
                        "type": "rooftop_pv",
                        "company": m.id,
                        "roof": m.roofs[k].index,
                        "kwp": round(kwp, 1),
                    }
                )
        if m.id not in in_hub and site.solution.battery_kwh >= 0.05:
            measures.append(
                {
                    "type": "battery",
                    "company": m.id,
                    "energy_kwh": round(site.solution.battery_kwh, 1),
                    "power_kw": round(max(site.solution.battery_kw, 0.1), 1),
                    "strategy": "peak_shaving",
                }
            )
    if hub is not None:
        h: dict[str, Any] = {
            "type": "energy_hub",
            "members": list(hub.members),
            "group_capacity_kw": round(hub.solution.contract_kw, 1),
        }
        if hub.solution.battery_kwh >= 0.05:
            h["shared_battery"] = {
                "energy_kwh": round(hub.solution.battery_kwh, 1),
                "power_kw": round(max(hub.solution.battery_kw, 0.1), 1),
            }
        measures.append(h)
    return {
        "format": SCENARIO_FORMAT,
        "name": name,
        "description": (
            f"Optimale configuratie (parkplan optimize, {inputs.year}, "
            f"{round(inputs.interval_h * 60)} min): jaarkosten samen "
            f"{opt.together_total_eur:,.0f} EUR, waarde van samenwerking "
            f"{opt.value_of_cooperation_eur:,.0f} EUR per jaar."
        ).replace(",", "."),
        "measures": measures,
    }


def optimize(
    park_or_file: str | Park,
    *,
    year: int = 2025,
    resolution_minutes: int = 60,
    co2_cap_tonnes: float | None = None,
    fast: bool = False,
    typical_days: int | None = None,
    save_scenario: str | Path | None = None,
    lang: str = "nl",
    session: Any = None,
    weather: Any = None,
    scenario: str | Path | Any = None,
    progress: Callable[[float, str], None] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Optimise a park (by id, park file or object): alone vs together.

    Parameters
    ----------
    park_or_file : str or Park
        A park id in the database, a park file path, or a park.
    year : int
        Tariff year and calendar year.
    resolution_minutes : int
        60 or 15.
    co2_cap_tonnes : float, optional
        Cap on the park's CO2 from grid offtake. [t/yr]
    fast : bool
        Typical days (time-series aggregation) instead of every interval.
    typical_days : int, optional
        Number of typical days in fast mode; default from refdata
        (``optimize.fast.typical_days``).
    save_scenario : str or Path, optional
        Write the optimum as a scenario file (``.yaml`` added when missing); for a park from
        the database the result is also stored (``save_result``, kind ``optimization``).
    lang : str
        Language of the explanation.
    session : optional
        Database session for loading a park by id.
    weather : DataFrame, optional
        Weather on the index; default the packaged reference year.
    scenario : path or Scenario, optional
        Changes to optimise under: heat pumps and EV charging (more demand) and time-block
        transport rights; PV, batteries and hubs are refused (the optimiser decides them).
    progress : callable, optional
        ``progress(fraction, label)``, called from the calling thread as the work goes on:
        ``fraction`` is a float from 0.0 to 1.0 that never decreases, ``label`` the stage in
        words (Dutch; English with ``lang="en"``): loading, building demand and PV, the
        baseline brackets, each company alone (``k/n``), the hub, every energy-tax bracket
        re-solve, writing the scenario, and 1.0 at the end. Keep it quick (it runs between
        solves); exceptions it raises stop the optimisation.
    overrides : mapping, optional
        Reference values for this run only (``KEY: value``, e.g. an unknown tariff), on top of
        the park's ``refdata_overrides``; reported in ``provenance.overrides``.

    Raises
    ------
    InfeasibleError
        No configuration meets the grid limits (says which and by how much).
    UnknownValueError
        A tariff or tax the optimiser needs is unknown for the year: the message names the
        key and year and shows how to supply it (park file or ``--override``).
    """
    from parkplan.refdata import UnknownValueError

    try:
        return _optimize(park_or_file, year=year, resolution_minutes=resolution_minutes,
                         co2_cap_tonnes=co2_cap_tonnes, fast=fast, typical_days=typical_days,
                         save_scenario=save_scenario, lang=lang, session=session,
                         weather=weather, scenario=scenario, progress=progress,
                         overrides=overrides)  # fmt: skip
    except UnknownValueError as exc:
        raise how_to_supply(exc) from exc


def how_to_supply(exc: Any) -> Any:
    """The same :class:`UnknownValueError` with the way to supply the value added, in Dutch
    and English: the park file's ``refdata_overrides`` (with an example line) or one run's
    ``--override KEY=VALUE``."""
    from parkplan.refdata import UnknownValueError, load_refdata
    from parkplan.refdata.loader import RefDataError

    key, year = exc.key, exc.year
    try:
        unit = load_refdata().lookup(key, year).unit
    except RefDataError:  # a pseudo key (e.g. a bracket label) has no row
        unit = ""
    y = f", year: {year}" if year is not None else ""
    u_nl = f" (eenheid {unit})" if unit else ""
    u_en = f" (unit {unit})" if unit else ""
    nl = (
        f"{exc.nl.rstrip('.')}. Zo vult u haar in: in het parkbestand onder"
        f" park.refdata_overrides, bijvoorbeeld `{key}: {{value: <getal>{y}, source:"
        f' "<bron>"}}`{u_nl}, of voor één berekening met `--override {key}=<getal>`'
        f" (zie docs/refdata.md)."
    )
    en = (
        f"{exc.en.rstrip('.')}. To supply it: in the park file under park.refdata_overrides,"
        f' e.g. `{key}: {{value: <number>{y}, source: "<source>"}}`{u_en}, or for one run'
        f" with `--override {key}=<number>` (see docs/refdata.md)."
    )
    return UnknownValueError(nl, en, key=key, year=year)


def _optimize(
    park_or_file: str | Park,
    *,
    year: int,
    resolution_minutes: int,
    co2_cap_tonnes: float | None,
    fast: bool,
    typical_days: int | None,
    save_scenario: str | Path | None,
    lang: str,
    session: Any,
    weather: Any,
    scenario: str | Path | Any,
    progress: Callable[[float, str], None] | None,
    overrides: Mapping[str, Any] | None,
) -> dict[str, Any]:
    from parkplan.refdata import load_refdata
    from parkplan.services.simulate import code_version

    def say(fraction: float, nl: str, en: str) -> None:
        if progress is not None:
            progress(fraction, en if lang == "en" else nl)

    say(0.0, "Park en referentiegegevens laden", "Loading the park and reference data")
    from_database = False
    if isinstance(park_or_file, Park):
        park = park_or_file
    else:
        from parkplan.services.parks import load_park

        park = load_park(str(park_or_file), session=session)
        from_database = not Path(str(park_or_file)).is_file()
    refdata = load_refdata({**(park.refdata_overrides or {}), **(overrides or {})} or None)
    check_tariffs(park, refdata, year)
    sc: Any = scenario
    if scenario is not None and not hasattr(scenario, "measures"):
        from parkplan.services.simulate import read_scenario_file

        sc = read_scenario_file(scenario, park)
    weather_given = weather is not None
    if weather is None:  # the default, loaded here so that its metadata reach the provenance
        from parkplan.services.weather import load_weather

        weather, _ = load_weather(None, year=year, resolution_minutes=resolution_minutes)
    weather_meta = {k: v for k, v in (weather.attrs or {}).items() if k != "path"}
    say(0.02, "Vraag en zon per interval opbouwen", "Building demand and solar per interval")
    inputs = sizing_inputs(
        park, refdata, year=year, resolution_minutes=resolution_minutes, weather=weather,
        co2_cap_tonnes=co2_cap_tonnes, scenario=sc,
    )  # fmt: skip
    if fast:
        from parkplan.optimize.aggregation import optimize_park_fast

        say(0.08, "Typische dagen kiezen", "Choosing typical days")
        k = typical_days or int(refdata.value("optimize.fast.typical_days"))
        opt = optimize_park_fast(inputs, refdata, typical_days=k,
                                 progress=sub_progress(progress, 0.1, 0.95), lang=lang)  # fmt: skip
    else:
        opt = optimize_park(inputs, refdata, progress=sub_progress(progress, 0.1, 0.95),
                            lang=lang)  # fmt: skip
    say(0.96, "Resultaat samenstellen", "Assembling the result")
    out = optimum_to_dict(opt, inputs, lang)
    out["mode"] = "fast" if fast else "full"
    extra: dict[str, Any] = {"co2_cap_tonnes": co2_cap_tonnes, "fast": fast}
    if overrides:
        extra["overrides"] = dict(overrides)
    if sc is not None:
        extra["scenario"] = sc.identity()
    from parkplan.energy.simulate import WEATHER_FILE_KEYS, _jsonable, weather_identity

    if weather_given:  # a chosen weather is an input (the default keeps earlier hashes)
        extra["weather_sha256"] = weather_identity(
            weather, {k: v for k, v in weather_meta.items() if k not in WEATHER_FILE_KEYS}
        )
    out["provenance"] = {
        "inputs_hash": inputs_hash(park, year, resolution_minutes, extra),
        "refdata_version": refdata.version,
        "code_version": code_version(),
        "illustrative": park.illustrative,
        "weather": _jsonable(weather_meta) or None,
    }
    if sc is not None:
        out["provenance"]["scenario"] = sc.name
    if overrides:
        out["provenance"]["overrides"] = dict(overrides)
    overridden = [v.to_dict() for v in refdata.used() if v.overridden]
    if overridden:  # the park's refdata_overrides and --override values the run used
        out["provenance"]["refdata_overridden"] = overridden
    if save_scenario is not None:
        say(0.98, "Scenario schrijven", "Writing the scenario")
        path = write_scenario(opt, inputs, save_scenario, base=sc)
        out["scenario_file"] = str(path)
        if from_database:
            out["result_id"] = store_result(out, park.id, path.stem, session)
    say(1.0, "Klaar", "Done")
    return out


def store_result(out: Mapping[str, Any], park_id: str, key: str, session: Any = None) -> int:
    """Store an optimisation result with its provenance (``kind="optimization"``, keyed by
    the scenario name) so that business cases and the plan find it; returns the row id."""
    from parkplan.store.repository import save_result

    prov = out.get("provenance", {})

    def save(s: Any) -> int:
        row = save_result(
            s,
            park_id,
            "optimization",
            dict(out),
            key=key,
            inputs_hash=prov.get("inputs_hash"),
            refdata_version=prov.get("refdata_version"),
            code_version=prov.get("code_version"),
        )
        return int(row.id)

    if session is not None:
        return save(session)
    from parkplan.store.db import session_scope

    with session_scope() as s:
        return save(s)


def write_scenario(
    opt: ParkOptimum, inputs: ParkSizingInputs, name: str | Path, base: Any = None
) -> Path:
    """Write the optimum as a scenario YAML file and return its path (``base``: see
    :func:`scenario_document`)."""
    import yaml

    p = Path(name)
    if p.suffix.lower() not in (".yaml", ".yml"):
        p = p.with_name(p.name + ".yaml")
    doc = scenario_document(opt, inputs, p.stem, base)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return p
