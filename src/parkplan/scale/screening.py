"""Screening indicators of one park, computed with the single-park energy engine.

:func:`screen_park` runs exactly the engine of ``parkplan simulate``
(:func:`parkplan.energy.simulate.build_inputs` and :func:`~parkplan.energy.simulate.run_inputs`,
the two stages of :func:`~parkplan.energy.simulate.simulate_park`, with the same weather,
reference values and models as :func:`parkplan.services.simulate.simulate`); only the
provenance hash of the full simulation is left out. On top of the park result it adds:

- **PV potential**: every roof filled (usable area x ``solar.module_density_kwp_m2``, never
  below the existing PV, as the engine's ``fill`` measure), at the annual yield per
  orientation of the engine's PV model at the centre of the park's grid cell
  (``screening.pv_potential_grid_deg``; shared by the parks of a cell, see
  :func:`specific_yields`).
- **Value of an energy hub**: the sum of the companies' own peaks vs the park's coincident
  peak (both from the engine), and for a hub of all grootverbruik connections (a group
  transport agreement, GTO) the capacity-related transport cost on their own vs as a
  group (:func:`parkplan.economics.tariffs.standalone_transport_eur`,
  :func:`~parkplan.economics.tariffs.group_transport_eur`). When a tariff is not published
  in the reference data, the cost and saving are empty and ``transport_unknown`` names the
  keys that are missing: never a guess.
- **CO2** of the park (electricity, gas) and the CO2 the remaining PV potential could avoid
  (upper bound: every extra kWh displaces grid electricity).
- **Grid headroom**: what the operator can carry for the park minus its coincident peak,
  for offtake and feed-in, and the hours the park is above it.

All functions are pure (no files); the weather and the reference data come in through a
:class:`ScreeningContext` that a worker builds once and reuses for every park.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from parkplan.domain.errors import ParkplanError
from parkplan.domain.model import Park

INDICATOR_COLUMNS: dict[str, str] = {
    "park_id": "Park id",
    "name": "Park name",
    "status": "ok or error",
    "error": "The error of a bad park (Dutch | English)",
    "synthetic": "True for synthetic parks",
    "province": "Province (tables input)",
    "operator": "Grid operator",
    "lat": "Latitude [deg]",
    "lon": "Longitude [deg]",
    "area_ha": "Park area [ha]",
    "n_companies": "Companies simulated",
    "demand_kwh": "Electricity demand on site [kWh/yr]",
    "import_kwh": "Grid offtake of the park [kWh/yr]",
    "export_kwh": "Feed-in of the park [kWh/yr]",
    "pv_existing_kwp": "Existing rooftop PV [kWp]",
    "pv_existing_kwh": "Yield of the existing PV [kWh/yr]",
    "pv_potential_kwp": "Rooftop PV with every roof filled [kWp]",
    "pv_potential_kwh": "Yield of the full potential [kWh/yr]",
    "pv_potential_share_of_demand": "Full PV potential / demand [-]",
    "sum_of_individual_peaks_kw": "Sum of every company's own highest offtake [kW]",
    "coincident_peak_kw": "Highest offtake of the park as a whole [kW]",
    "hub_peak_reduction_kw": "Sum of own peaks - coincident peak [kW]",
    "hub_peak_reduction_share": "hub_peak_reduction_kw / sum_of_individual_peaks_kw [-]",
    "gto_members": "Grootverbruik connections in the hub (GTO)",
    "gto_sum_of_member_peaks_kw": "Sum of the members' own highest offtake [kW]",
    "gto_coincident_peak_kw": "Highest coincident offtake of the members [kW]",
    "gto_group_contracted_kw": "Group contract assumed for the GTO [kW]",
    "transport_standalone_eur": "Capacity-related transport cost, members on their own [EUR/yr]",
    "transport_group_eur": "The same as one GTO group [EUR/yr]",
    "transport_saving_eur": "transport_standalone_eur - transport_group_eur [EUR/yr]",
    "transport_tariff_year": "Tariff year of the transport costs",
    "transport_unknown": "Reference keys that are unknown (cost left empty)",
    "co2_kg": "CO2 of the park: electricity, gas (and fleet when known) [kg/yr]",
    "co2_electricity_kg": "CO2 of the grid offtake [kg/yr]",
    "co2_gas_kg": "CO2 of natural gas [kg/yr]",
    "co2_pv_potential_avoided_kg": "CO2 the extra PV could avoid (upper bound) [kg/yr]",
    "available_import_kw": "Offtake capacity the operator can offer the park [kW]",
    "available_export_kw": "Feed-in capacity the operator can offer the park [kW]",
    "grid_import_headroom_kw": "available_import_kw - coincident_peak_kw [kW]",
    "grid_export_headroom_kw": "available_export_kw - coincident export peak [kW]",
    "exceeded_import_hours": "Hours above available_import_kw [h/yr]",
    "exceeded_export_hours": "Hours above available_export_kw [h/yr]",
    "estimated": "True when a result rests on a standard profile",
    "resolution_minutes": "Simulation interval [min]",
    "year": "Simulated (weather) year",
    "seconds": "Wall time of this park on its worker [s]",
    "cpu_seconds": "CPU time of this park on its worker [s]",
}
"""Columns of the screening results, with their meaning and unit (see docs/screening.md)."""


@dataclass
class ScreeningContext:
    """Everything shared by all parks of a screening: built once per worker process."""

    year: int
    resolution_minutes: int
    tariff_year: int
    weather: pd.DataFrame
    parameters: dict[str, float]
    co2_factors: dict[str, float]
    refdata: Any
    pv_builder: Any
    demand_builder: Any
    overrides: dict[str, Any] = field(default_factory=dict)
    _per_override: dict[str, tuple[Any, dict[str, float], Any]] = field(default_factory=dict)
    yield_cache: dict[tuple[tuple[float, float], tuple[float, float]], float] = field(
        default_factory=dict
    )
    """Annual yield per kWp by (grid cell, orientation) for the PV potential. [kWh/kWp]"""

    def for_park(self, park: Park) -> tuple[Any, dict[str, float], dict[str, float], Any]:
        """(refdata, parameters, co2 factors, demand builder) for a park (its own overrides
        of the reference data win, as in ``parkplan simulate``)."""
        if not park.refdata_overrides:
            return self.refdata, self.parameters, self.co2_factors, self.demand_builder
        from parkplan.energy.simulate import default_demand_builder
        from parkplan.refdata import load_refdata
        from parkplan.services.simulate import co2_factors, simulation_parameters

        key = repr(sorted(park.refdata_overrides.items()))
        if key not in self._per_override:
            rd = load_refdata({**self.overrides, **park.refdata_overrides})
            params = simulation_parameters(rd, self.year)
            self._per_override[key] = (rd, params, default_demand_builder(rd))
        rd, params, builder = self._per_override[key]
        return rd, params, co2_factors(params), builder


def screening_context(
    *,
    year: int = 2025,
    resolution_minutes: int = 60,
    tariff_year: int = 2026,
    overrides: Mapping[str, Any] | None = None,
    weather: pd.DataFrame | None = None,
) -> ScreeningContext:
    """Build the shared context: weather (default reference year), reference values, models.

    Parameters
    ----------
    year : int
        Simulated calendar year.
    resolution_minutes : int
        15 or 60.
    tariff_year : int
        Year of the transport tariffs.
    overrides : mapping, optional
        Reference-data overrides for this run (``key -> value``), e.g. a tariff that is not
        yet published; they are labelled as overridden in ``refdata.used()``.
    weather : DataFrame, optional
        Weather on a tz-aware index; default :func:`parkplan.services.weather.default_weather`.
    """
    from parkplan.energy.simulate import (
        check_weather,
        default_demand_builder,
        default_pv_builder,
    )
    from parkplan.refdata import load_refdata
    from parkplan.services.simulate import co2_factors, simulation_parameters

    rd = load_refdata(dict(overrides) if overrides else None)
    params = simulation_parameters(rd, year)
    if weather is None:
        from parkplan.services.weather import default_weather

        weather, _meta = default_weather(year, resolution_minutes)
    w = check_weather(weather, year=year, resolution_minutes=resolution_minutes)
    return ScreeningContext(
        year=year,
        resolution_minutes=resolution_minutes,
        tariff_year=tariff_year,
        weather=w,
        parameters=params,
        co2_factors=co2_factors(params),
        refdata=rd,
        pv_builder=default_pv_builder(),
        demand_builder=default_demand_builder(rd),
        overrides=dict(overrides or {}),
    )


def specific_yields(
    ctx: ScreeningContext,
    lat: float,
    lon: float,
    orientations: Sequence[tuple[float, float]],
    parameters: Mapping[str, float],
) -> dict[tuple[float, float], float]:
    """Annual AC yield per kWp of each orientation at the centre of the park's grid cell.
    [kWh/kWp]

    The cell is ``screening.pv_potential_grid_deg`` wide; yields are computed with the
    engine's PV builder at the cell centre and cached in the context, so every park of a
    cell (and of a worker) shares them and the result does not depend on the order in
    which parks are screened. The simulation itself uses the park's exact location.
    """
    cell = cell_of(lat, lon, float(ctx.refdata.value("screening.pv_potential_grid_deg")))
    missing = [o for o in orientations if (cell, o) not in ctx.yield_cache]
    if missing:
        ctx.yield_cache.update(cell_yields(ctx, cell, missing, parameters))
    return {o: ctx.yield_cache[(cell, o)] for o in orientations}


def cell_of(lat: float, lon: float, step_deg: float) -> tuple[float, float]:
    """Centre of the grid cell of ``step_deg`` that holds (lat, lon). [deg]"""
    return (
        round((math.floor(lat / step_deg) + 0.5) * step_deg, 6),
        round((math.floor(lon / step_deg) + 0.5) * step_deg, 6),
    )


def cell_yields(
    ctx: ScreeningContext,
    cell: tuple[float, float],
    orientations: Sequence[tuple[float, float]],
    parameters: Mapping[str, float] | None = None,
) -> dict[tuple[tuple[float, float], tuple[float, float]], float]:
    """Annual yield per kWp of ``orientations`` at the cell centre, keyed (cell,
    orientation), with the engine's PV builder. [kWh/kWp]"""
    params = parameters if parameters is not None else {**ctx.parameters, **ctx.co2_factors}
    orients = list(orientations)
    profiles = np.asarray(ctx.pv_builder(ctx.weather, cell[0], cell[1], orients, params))
    return {(cell, o): float(row.sum()) for o, row in zip(orients, profiles, strict=True)}


def _orientation(tilt: float, azimuth: float) -> tuple[float, float]:
    from parkplan.energy.simulate import _orientation_key

    return _orientation_key(tilt, azimuth)


def _nan_if_none(x: float | None) -> float:
    return float("nan") if x is None else float(x)


def transport_indicators(
    offtake_kwh: NDArray[np.float64],
    feed_in_kwh: NDArray[np.float64],
    index: pd.DatetimeIndex,
    contracted_kw: Sequence[float],
    grid_levels: Sequence[str | None],
    *,
    operator: str | None,
    tariff_year: int,
    refdata: Any,
    step_kw: float,
    contract_margin: float,
) -> dict[str, Any]:
    """Transport cost of the members on their own and as one GTO group.

    Parameters
    ----------
    offtake_kwh, feed_in_kwh : ndarray (members x intervals)
        Each member's exchange with the grid from the engine. [kWh]
    index : DatetimeIndex
        The simulation's intervals.
    contracted_kw : sequence of float
        Each member's contracted capacity. [kW]
    grid_levels : sequence of str or None
        Each member's grid level.
    operator : str or None
        The park's grid operator.
    tariff_year : int
        Year of the tariffs.
    refdata : RefData
        Reference data (the tariffs).
    step_kw : float
        Contracts are rounded up to this step. [kW]
    contract_margin : float
        Group contract = highest coincident monthly peak x this. [-]

    Returns
    -------
    dict
        ``gto_*``, ``transport_*`` columns of :data:`INDICATOR_COLUMNS`; unknown tariffs
        leave the costs NaN and are named in ``transport_unknown``.
    """
    from parkplan.economics.tariffs import (
        group_transport_eur,
        monthly_max_kw,
        standalone_transport_eur,
    )
    from parkplan.refdata.loader import UnknownValueError

    m = offtake_kwh.shape[0]
    out: dict[str, Any] = {
        "gto_members": m,
        "gto_sum_of_member_peaks_kw": float("nan"),
        "gto_coincident_peak_kw": float("nan"),
        "gto_group_contracted_kw": float("nan"),
        "transport_standalone_eur": float("nan"),
        "transport_group_eur": float("nan"),
        "transport_saving_eur": float("nan"),
        "transport_tariff_year": tariff_year,
        "transport_unknown": "",
    }
    if m < 2:
        out["transport_unknown"] = "minder dan 2 grootverbruikers | fewer than 2 large connections"
        return out
    h = float((index[1] - index[0]) / pd.Timedelta(hours=1))
    own_peaks = monthly_max_kw(offtake_kwh, index, h).max(axis=1)
    net = np.maximum(offtake_kwh.sum(axis=0) - feed_in_kwh.sum(axis=0), 0.0)
    group_peak = float(monthly_max_kw(net, index, h).max())
    group_kw = math.ceil(group_peak * contract_margin / step_kw) * step_kw
    out["gto_sum_of_member_peaks_kw"] = float(own_peaks.sum())
    out["gto_coincident_peak_kw"] = group_peak
    out["gto_group_contracted_kw"] = float(group_kw)
    if not operator:
        out["transport_unknown"] = "netbeheerder onbekend | grid operator unknown"
        return out
    unknown: list[str] = []
    standalone = 0.0
    try:
        for i in range(m):
            standalone += standalone_transport_eur(
                offtake_kwh[i],
                index,
                float(contracted_kw[i]),
                operator=operator,
                year=tariff_year,
                refdata=refdata,
                grid_level=grid_levels[i],
                interval_h=h,
            )
        group = group_transport_eur(
            offtake_kwh,
            index,
            np.asarray(contracted_kw, dtype=float),
            float(group_kw),
            operator=operator,
            year=tariff_year,
            refdata=refdata,
            member_feed_in_kwh=feed_in_kwh,
            member_grid_levels=list(grid_levels),
            interval_h=h,
        )
    except UnknownValueError as exc:
        unknown.append(str(getattr(exc, "key", "") or exc.message("en")))
    except ParkplanError as exc:
        unknown.append(str(getattr(exc, "key", "") or exc.message("en").split(";")[0]))
    else:
        if group.complete:
            out["transport_standalone_eur"] = standalone
            out["transport_group_eur"] = group.total_eur
            out["transport_saving_eur"] = standalone - group.total_eur
        else:
            unknown.extend(group.refs)
    out["transport_unknown"] = ", ".join(unknown)
    return out


def screen_park(park: Park, ctx: ScreeningContext) -> dict[str, Any]:
    """Screening indicators of one park (one row; see :data:`INDICATOR_COLUMNS`).

    Parameters
    ----------
    park : Park
        The park.
    ctx : ScreeningContext
        Shared weather, reference values and models.

    Returns
    -------
    dict
        Column -> value; ``status`` is ``ok``.

    Raises
    ------
    ParkplanError
        The park cannot be simulated (the caller records the error).
    """
    from parkplan.energy.simulate import build_inputs, run_inputs

    t0 = time.perf_counter()
    c0 = time.process_time()
    refdata, params, co2, demand_builder = ctx.for_park(park)
    density = params.get("solar.module_density_kwp_m2")
    roofs = [(c, r) for c in park.companies for r in c.roofs]
    orientations = sorted({_orientation(r.tilt_deg, r.azimuth_deg) for _, r in roofs})
    full = {**params, **co2}
    inp = build_inputs(
        park,
        ctx.weather,
        scenario=None,
        parameters=full,
        pv_builder=ctx.pv_builder,
        demand_builder=demand_builder,
    )
    result, res = run_inputs(inp, park=park, co2_factors=co2)
    p = result.park

    # ---- PV potential: every roof filled, at the yields of the park's grid cell
    yields = (
        specific_yields(ctx, park.location.lat, park.location.lon, orientations, full)
        if park.location is not None and orientations
        else {}
    )
    pot_kwp = 0.0
    pot_kwh = 0.0
    for _c, r in roofs:
        kwp = max(float(r.existing_pv_kwp or 0.0), r.area_m2 * r.usable_fraction * (density or 0.0))
        pot_kwp += kwp
        pot_kwh += kwp * yields.get(_orientation(r.tilt_deg, r.azimuth_deg), 0.0)
    existing_kwp = float(sum(c.pv_kwp for c in result.companies))
    f_el = float(co2["co2.electricity_kg_per_kwh"])

    # ---- hub of all grootverbruik connections (GTO)
    members = [
        i
        for i, c in enumerate(park.companies)
        if c.main_connection is not None
        and c.main_connection.kind == "grootverbruik"
        and c.main_connection.contracted_kw
    ]
    net = res.net_kwh[members] if members else np.zeros((0, len(inp.index)))
    conns = [park.companies[i].main_connection for i in members]
    transport = transport_indicators(
        np.maximum(net, 0.0),
        np.maximum(-net, 0.0),
        inp.index,
        [float(c.contracted_kw or 0.0) for c in conns if c is not None],
        [c.grid_level for c in conns if c is not None],
        operator=park.grid.operator,
        tariff_year=ctx.tariff_year,
        refdata=refdata,
        step_kw=float(refdata.value("demo.connection.contract_step_kw")),
        contract_margin=float(refdata.value("screening.group_contract_margin")),
    )

    reduction = p.sum_of_individual_peaks_kw - p.coincident_peak_kw
    avail_imp, avail_exp = p.available_import_kw, p.available_export_kw
    return {
        "park_id": park.id,
        "name": park.name,
        "status": "ok",
        "error": "",
        "synthetic": bool(park.illustrative),
        "operator": park.grid.operator or "",
        "lat": park.location.lat if park.location else float("nan"),
        "lon": park.location.lon if park.location else float("nan"),
        "area_ha": _nan_if_none(park.area_ha),
        "n_companies": len(park.companies),
        "demand_kwh": p.demand_kwh,
        "import_kwh": p.import_kwh,
        "export_kwh": p.export_kwh,
        "pv_existing_kwp": existing_kwp,
        "pv_existing_kwh": p.pv_kwh,
        "pv_potential_kwp": pot_kwp,
        "pv_potential_kwh": pot_kwh,
        "pv_potential_share_of_demand": pot_kwh / p.demand_kwh
        if p.demand_kwh > 0
        else float("nan"),
        "sum_of_individual_peaks_kw": p.sum_of_individual_peaks_kw,
        "coincident_peak_kw": p.coincident_peak_kw,
        "hub_peak_reduction_kw": reduction,
        "hub_peak_reduction_share": reduction / p.sum_of_individual_peaks_kw
        if p.sum_of_individual_peaks_kw > 0
        else float("nan"),
        **transport,
        "co2_kg": p.co2_kg,
        "co2_electricity_kg": p.co2_by_source_kg["electricity"],
        "co2_gas_kg": p.co2_by_source_kg["gas"],
        "co2_pv_potential_avoided_kg": max(pot_kwh - p.pv_kwh, 0.0) * f_el,
        "available_import_kw": _nan_if_none(avail_imp),
        "available_export_kw": _nan_if_none(avail_exp),
        "grid_import_headroom_kw": avail_imp - p.coincident_peak_kw
        if avail_imp is not None
        else float("nan"),
        "grid_export_headroom_kw": avail_exp - p.coincident_export_peak_kw
        if avail_exp is not None
        else float("nan"),
        "exceeded_import_hours": p.exceeded_import_hours,
        "exceeded_export_hours": p.exceeded_export_hours,
        "estimated": p.estimated,
        "resolution_minutes": ctx.resolution_minutes,
        "year": ctx.year,
        "seconds": time.perf_counter() - t0,
        "cpu_seconds": time.process_time() - c0,
    }


def error_row(park_id: str, exc: BaseException, ctx_year: int, resolution: int) -> dict[str, Any]:
    """The result row of a park that failed: ``status`` error, the message in both languages."""
    if isinstance(exc, ParkplanError):
        text = f"{exc.message('nl')} | {exc.message('en')}"
        render = getattr(exc, "render", None)
        if render is not None and getattr(exc, "problems", None):
            text = f"{render('nl')} | {render('en')}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return {
        "park_id": park_id,
        "name": "",
        "status": "error",
        "error": " ".join(text.split())[:2000],
        "year": ctx_year,
        "resolution_minutes": resolution,
    }


def results_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows as a table with every column of :data:`INDICATOR_COLUMNS`, in that order."""
    df = pd.DataFrame(list(rows))
    for col in INDICATOR_COLUMNS:
        if col not in df.columns:
            df[col] = (
                np.nan
                if col
                not in ("name", "status", "error", "operator", "province", "transport_unknown")
                else ""
            )
    for col in ("name", "status", "error", "operator", "province", "transport_unknown"):
        df[col] = df[col].fillna("").astype(str)
    for col in ("synthetic", "estimated"):
        df[col] = df[col].astype("boolean")
    return df[list(INDICATOR_COLUMNS) + [c for c in df.columns if c not in INDICATOR_COLUMNS]]
