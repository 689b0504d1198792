"""A park-year at 15-minute resolution: demand, rooftop PV, batteries, connections and hubs.

:func:`simulate_park` is the one entry point. It works in two stages:

1. :func:`build_inputs` turns the park (plus a scenario) into arrays on one shared index:
   a companies x intervals demand matrix (float64, kWh), PV as a few normalised profiles
   (one per distinct roof orientation, kWh per kWp) with kWp weights per company, batteries,
   import/export limits and hub membership.
2. :func:`run_inputs` walks every company through the year in the compiled battery kernel
   (:mod:`parkplan.energy.battery`), then every energy hub as one unit (shared PV, shared
   battery, group capacity), and summarises per company, per hub and for the park.

Metered data wins over models: demand on site follows ``annual_kwh + annual_produced_kwh -
annual_feed_in_kwh``; when production is metered, simulated PV is scaled to it (the factor
is reported); results that rest on a standard profile are marked ``estimated``.

Parameters that are figures (emission factors, battery defaults, fuel use per km, module
density ...) come in through ``parameters`` (reference-data keys), never as literals here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from parkplan import __version__
from parkplan.domain.errors import ParkplanError, Problem, warning
from parkplan.domain.model import Company, Park
from parkplan.energy import grid as gridmod
from parkplan.energy.battery import (
    Battery,
    DispatchResult,
    PvSource,
    Strategy,
    battery_from_defaults,
    dispatch,
)
from parkplan.energy.flows import FLOW_NAMES, Flows
from parkplan.energy.scenario import (
    BatteryMeasure,
    EnergyHub,
    EvCharging,
    HeatPump,
    RooftopPv,
    Scenario,
    TransportRight,
    check_against_park,
)

CO2_KEYS = {
    "electricity": "co2.electricity_kg_per_kwh",
    "gas": "co2.natural_gas_kg_per_m3",
    "diesel": "co2.diesel_kg_per_l",
    "petrol": "co2.petrol_kg_per_l",
}
"""Reference-data keys of the emission factors used."""


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass
class CompanyResult:
    """One company over the simulated year (behind its own meter). Energies in kWh."""

    id: str
    name: str
    demand_kwh: float
    pv_kwh: float
    pv_kwp: float
    self_consumed_kwh: float
    """PV used on site, directly or through the battery."""
    import_kwh: float
    export_kwh: float
    curtailed_kwh: float
    battery_charge_kwh: float
    battery_discharge_kwh: float
    self_consumption: float | None
    """Share of PV used on site. [-]"""
    self_sufficiency: float | None
    """1 - offtake / demand, at least 0 (grid energy stored in the battery, and its losses,
    count as offtake). [-]"""
    peak_import_kw: float
    peak_export_kw: float
    monthly_peak_kw: list[float]
    """kWmax per calendar month. [kW]"""
    contracted_kw: float | None
    exceeded_hours: float
    exceeded_kwh: float
    exceeded_max_kw: float
    """Largest excess over the import limit. [kW]"""
    co2_kg: float
    co2_by_source_kg: dict[str, float]
    estimated: bool
    estimate_reasons: list[str]
    flows_kwh: dict[str, float]
    heat_pump_kwh: float = 0.0
    ev_kwh: float = 0.0
    pv_scale_factor: float | None = None
    """Metered / simulated production of the existing PV. [-]"""
    feed_in_ratio: float | None = None
    """Fit after calibration to offtake: simulated / metered feed-in (no battery). [-]"""
    hub: str | None = None
    group_peak_contribution_kw: list[float] | None = None
    """Net load in the hub's peak interval per month. [kW]"""


@dataclass
class HubResult:
    """An energy hub with a group transport agreement."""

    name: str
    members: list[str]
    group_capacity_kw: float | None
    group_feed_in_kw: float | None
    import_kwh: float
    export_kwh: float
    shared_kwh: float
    """Members' feed-in (and shared PV) used by other members at the same time. [kWh]"""
    curtailed_kwh: float
    shared_pv_kwh: float
    shared_battery_kwh: float
    peak_kw: float
    monthly_peak_kw: list[float]
    sum_of_member_peaks_kw: float
    exceeded_hours: float
    exceeded_kwh: float
    contributions_kw: dict[str, list[float]]
    """Each member's net load in the group's peak interval of every month. [kW]"""
    peak_intervals: list[str | None] = field(default_factory=list)
    """Start (ISO, local time) of the group's peak interval per month."""


@dataclass
class PooledConnectionResult:
    """Cable pooling: several companies' installations behind one connection (one EAN)."""

    ean: str
    companies: list[str]
    import_kwh: float
    export_kwh: float
    peak_import_kw: float
    peak_export_kw: float
    import_limit_kw: float | None
    export_limit_kw: float | None
    exceeded_hours: float
    exceeded_kwh: float
    exceeded_export_hours: float
    """Time the pooled feed-in is above the connection's feed-in limit. [h]"""


@dataclass
class ParkResult:
    """The park as a whole.

    Energies (``import_kwh``, ``export_kwh``, electricity CO2) count companies outside a hub
    behind their own meters and every energy hub as one unit (its members netted, with its
    shared PV and battery); ``metered_*`` sum every company's own meter. Peaks
    (``coincident_peak_kw``) and the exceedance of ``available_import_kw`` use the summed
    net exchange of all connections per interval, as the substation sees it.
    """

    demand_kwh: float
    pv_kwh: float
    self_consumed_kwh: float
    import_kwh: float
    export_kwh: float
    curtailed_kwh: float
    metered_import_kwh: float
    """Sum of the companies' own offtake (behind their meters, before hub netting)."""
    metered_export_kwh: float
    coincident_peak_kw: float
    sum_of_individual_peaks_kw: float
    coincident_export_peak_kw: float
    available_import_kw: float | None
    available_export_kw: float | None
    exceeded_import_hours: float
    exceeded_import_kwh: float
    exceeded_export_hours: float
    exceeded_export_kwh: float
    self_sufficiency: float | None
    co2_kg: float
    co2_by_source_kg: dict[str, float]
    estimated: bool


@dataclass
class SimulationResult:
    """Everything a park simulation yields; the series are optional (``keep_series``)."""

    park: ParkResult
    companies: list[CompanyResult]
    hubs: list[HubResult]
    provenance: dict[str, Any]
    problems: list[Problem]
    index: pd.DatetimeIndex
    interval_h: float
    pooled_connections: list[PooledConnectionResult] = field(default_factory=list)
    demand_kwh: NDArray[np.float64] | None = None
    """Demand matrix (companies x intervals). [kWh]"""
    pv_kwh: NDArray[np.float64] | None = None
    """PV matrix (companies x intervals). [kWh]"""
    net_kwh: NDArray[np.float64] | None = None
    """Net exchange matrix (companies x intervals). [kWh]"""
    flows: Flows | None = None
    park_net_kwh: NDArray[np.float64] | None = None
    """Net exchange of the park at its boundary per interval. [kWh]"""
    company_ids: list[str] = field(default_factory=list)
    max_residual_kwh: float = 0.0

    def to_dict(self, lang: str = "nl") -> dict[str, Any]:
        """JSON-ready summary (no series)."""
        return {
            "park": dataclasses.asdict(self.park),
            "companies": [dataclasses.asdict(c) for c in self.companies],
            "hubs": [dataclasses.asdict(h) for h in self.hubs],
            "pooled_connections": [dataclasses.asdict(c) for c in self.pooled_connections],
            "provenance": self.provenance,
            "problems": [p.to_dict("en" if lang == "en" else "nl") for p in self.problems],
            "interval_minutes": round(self.interval_h * 60),
            "intervals": len(self.index),
            "max_balance_residual_kwh": self.max_residual_kwh,
        }

    def timeseries(self) -> pd.DataFrame:
        """Long table: interval start, company, every flow, demand, PV, import, export. [kWh]"""
        if self.flows is None or self.demand_kwh is None or self.pv_kwh is None:
            raise ParkplanError(
                "De tijdreeksen zijn niet bewaard (simuleer met keep_series=True).",
                "The series were not kept (simulate with keep_series=True).",
            )
        n, t = self.demand_kwh.shape
        cols: dict[str, Any] = {
            "interval_start": np.tile(self.index.tz_convert(None).to_numpy(), n),
            "company": np.repeat(np.asarray(self.company_ids, dtype=object), t),
            "demand_kwh": self.demand_kwh.ravel(),
            "pv_kwh": self.pv_kwh.ravel(),
        }
        for k, name in enumerate(FLOW_NAMES):
            cols[f"{name}_kwh"] = self.flows.data[k].ravel()
        cols["import_kwh"] = self.flows.import_kwh.ravel()
        cols["export_kwh"] = self.flows.export_kwh.ravel()
        cols["soc_kwh"] = self.flows.soc_kwh.ravel()
        df = pd.DataFrame(cols)
        df["interval_start"] = (
            pd.DatetimeIndex(df["interval_start"]).tz_localize("UTC").tz_convert(self.index.tz)
        )
        return df


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


@dataclass
class ParkInputs:
    """Arrays of one park on one index, ready for the kernel."""

    index: pd.DatetimeIndex
    interval_h: float
    month: NDArray[np.int64]
    company_ids: list[str]
    company_names: list[str]
    demand_kwh: NDArray[np.float64]
    pv: PvSource
    pv_kwp: NDArray[np.float64]
    batteries: list[Battery | None]
    import_limit_kw: list[float | None]
    export_limit_kw: list[float | None]
    connection_ean: list[str | None]
    limit_rows_kwh: NDArray[np.float64]
    limit_row: NDArray[np.int64]
    limit_scale: NDArray[np.float64]
    hubs: list[EnergyHub]
    group_of: NDArray[np.int64]
    hub_shared_pv_kwh: list[NDArray[np.float64] | None]
    hub_battery: list[Battery | None]
    estimated: list[list[str]]
    heat_pump_kwh: NDArray[np.float64]
    ev_kwh: NDArray[np.float64]
    pv_scale_factor: list[float | None]
    feed_in_fit: list[float | None]
    gas_m3: NDArray[np.float64]
    fleet_co2_kg: NDArray[np.float64]
    problems: list[Problem]


DemandBuilder = Callable[
    [pd.DatetimeIndex, Sequence[Company], NDArray[np.float64], Mapping[str, float]],
    tuple[NDArray[np.float64], Sequence[bool | Sequence[str]], list[Problem]],
]
"""``(index, companies, annual_kwh, parameters) -> (demand kWh, estimated, problems)``;
``estimated`` per company is a flag (True: rests on a standard profile) or the list of
estimate reasons."""

PvBuilder = Callable[
    [pd.DataFrame, float, float, Sequence[tuple[float, float]], Mapping[str, float]],
    NDArray[np.float64],
]
"""``(weather, lat, lon, orientations, parameters) -> kWh per kWp per interval (k x T)``."""


def interval_hours(index: pd.DatetimeIndex) -> float:
    """Interval length of a regular index. [h]"""
    if len(index) < 2:
        raise ParkplanError("De tijdas heeft te weinig intervallen.", "The time axis is too short.")
    return float((index[1] - index[0]) / pd.Timedelta(hours=1))


def _orientation_key(tilt: float, azimuth: float) -> tuple[float, float]:
    return (round(float(tilt), 1), round(float(azimuth), 1) % 360.0)


def _param(parameters: Mapping[str, float], key: str) -> float:
    try:
        return float(parameters[key])
    except KeyError:
        raise ParkplanError(
            f"Referentiewaarde '{key}' ontbreekt voor de simulatie.",
            f"Reference value '{key}' is missing for the simulation.",
        ) from None


def company_pv_kwp(
    company: Company,
    measures: Sequence[RooftopPv],
    module_density_kwp_m2: float | None,
) -> list[tuple[float, float, float]]:
    """PV per roof face after the scenario: (tilt, azimuth, kWp) per roof.

    ``fill`` sets a roof to its usable area x module density (never below its existing PV);
    ``kwp`` adds peak power to the named roof (or, without a roof, spreads it over the roofs
    by usable area).
    """
    kwp = [float(r.existing_pv_kwp or 0.0) for r in company.roofs]
    for m in measures:
        if m.roof is None:
            targets = list(range(len(company.roofs)))
        elif isinstance(m.roof, int):
            targets = [m.roof]
        else:
            targets = [k for k, r in enumerate(company.roofs) if r.id == m.roof]
        if not targets:
            continue
        if m.fill:
            if module_density_kwp_m2 is None:
                raise ParkplanError(
                    "Modulevermogen per m2 ontbreekt om een dak te vullen.",
                    "Module density per m2 is missing to fill a roof.",
                )
            from parkplan.energy.solar import roof_kwp

            for k in targets:
                r = company.roofs[k]
                kwp[k] = roof_kwp(r.area_m2, r.usable_fraction, module_density_kwp_m2, kwp[k])
        elif m.kwp:
            usable = np.array(
                [company.roofs[k].area_m2 * company.roofs[k].usable_fraction for k in targets]
            )
            share = (
                usable / usable.sum()
                if usable.sum() > 0
                else np.full(len(targets), 1 / len(targets))
            )
            for k, s in zip(targets, share, strict=True):
                kwp[k] += m.kwp * float(s)
    return [(float(r.tilt_deg), float(r.azimuth_deg), kwp[k]) for k, r in enumerate(company.roofs)]


def build_inputs(
    park: Park,
    weather: pd.DataFrame,
    *,
    scenario: Scenario | None,
    parameters: Mapping[str, float],
    pv_builder: PvBuilder,
    demand_builder: DemandBuilder,
    heat_builder: Callable[..., NDArray[np.float64]] | None = None,
    ev_builder: Callable[..., Any] | None = None,
    meter_data: Mapping[str, pd.DataFrame] | None = None,
    demand_out: NDArray[np.float64] | None = None,
) -> ParkInputs:
    """Turn a park (plus scenario) into arrays on the weather's index.

    Parameters
    ----------
    park : Park
        The park.
    weather : DataFrame
        Weather on a tz-aware regular index (the simulation's intervals).
    scenario : Scenario, optional
        Measures to add.
    parameters : mapping
        Reference values by key (battery defaults, module density, fuel per km ...).
    pv_builder, demand_builder, heat_builder, ev_builder : callables
        The solar, demand, heat-pump and EV models (see :data:`PvBuilder`,
        :data:`DemandBuilder`).
    meter_data : mapping, optional
        Company id -> 15-minute meter data (``offtake_kwh``, ``feed_in_kwh`` on a tz-aware
        index, without duplicates or gaps); these companies' demand comes from the meter.
    demand_out : ndarray (companies x intervals), optional
        Array for the demand matrix, used when the demand builder accepts it (attribute
        ``accepts_out``); saves allocating (and the kernel zeroing) a new matrix.
    """
    index = weather.index
    interval_h = interval_hours(index)
    n_t = len(index)
    month = gridmod.month_index(index)
    companies = list(park.companies)
    n = len(companies)
    ids = [c.id for c in companies]
    pos = {cid: i for i, cid in enumerate(ids)}
    problems: list[Problem] = []
    sc = scenario or Scenario(name="basis")
    check_against_park(sc, park)

    # ---- PV: one profile per distinct orientation, weights in kWp (existing and added)
    pv_measures: dict[str, list[RooftopPv]] = {}
    for m in sc.of_type(RooftopPv):
        pv_measures.setdefault(m.company, []).append(m)
    density = parameters.get("solar.module_density_kwp_m2")
    orient_of: dict[tuple[float, float], int] = {}
    existing_w: list[dict[int, float]] = []
    added_w: list[dict[int, float]] = []
    for c in companies:
        ew: dict[int, float] = {}
        aw: dict[int, float] = {}
        after = company_pv_kwp(c, pv_measures.get(c.id, []), density)
        for roof, (tilt, az, kwp) in zip(c.roofs, after, strict=True):
            if kwp <= 0:
                continue
            o = orient_of.setdefault(_orientation_key(tilt, az), len(orient_of))
            before = float(roof.existing_pv_kwp or 0.0)
            if before > 0:
                ew[o] = ew.get(o, 0.0) + before
            if kwp > before:
                aw[o] = aw.get(o, 0.0) + (kwp - before)
        existing_w.append(ew)
        added_w.append(aw)
    hubs = sc.hubs
    for hub in hubs:
        if hub.shared_pv is not None and hub.shared_pv.kwp > 0:
            orient_of.setdefault(
                _orientation_key(hub.shared_pv.tilt_deg, hub.shared_pv.azimuth_deg), len(orient_of)
            )
    lat = park.location.lat if park.location else None
    lon = park.location.lon if park.location else None
    if orient_of:
        if lat is None or lon is None:
            raise ParkplanError(
                "Het park heeft geen locatie (lat/lon); die is nodig voor zonnestroom.",
                "The park has no location (lat/lon); it is needed for solar power.",
            )
        profiles = np.ascontiguousarray(pv_builder(weather, lat, lon, list(orient_of), parameters))
    else:
        profiles = np.zeros((1, n_t))
    prof_sum = profiles.sum(axis=1)
    existing_annual = np.array([sum(v * prof_sum[o] for o, v in w.items()) for w in existing_w])

    # ---- metered PV: scale the existing PV's simulated production to it
    scale = np.ones(n)
    pv_scale: list[float | None] = [None] * n
    for i, c in enumerate(companies):
        e = c.electricity
        if e is not None and e.annual_produced_kwh is not None and existing_annual[i] > 0:
            from parkplan.energy.demand import pv_scale_factor, pv_scale_problems

            f = pv_scale_factor(float(existing_annual[i]), float(e.annual_produced_kwh))
            scale[i] = f
            pv_scale[i] = f
            lo = parameters.get("demand.calibration.pv_scale_low")
            hi = parameters.get("demand.calibration.pv_scale_high")
            if lo is not None and hi is not None:
                path = f"companies[{i}].electricity.annual_produced_kwh"
                problems.extend(pv_scale_problems(f, path=path, low=lo, high=hi))
    weights = []
    for i in range(n):
        w = {o: v * scale[i] for o, v in existing_w[i].items()}
        for o, v in added_w[i].items():
            w[o] = w.get(o, 0.0) + v
        weights.append(w)
    pv = PvSource.from_weights(profiles, weights)
    pv_kwp = np.array(
        [sum(existing_w[i].values()) + sum(added_w[i].values()) for i in range(n)], dtype=float
    )

    feed_in_fit: list[float | None] = [None] * n
    # ---- demand on site: the metered identity, shaped by a profile; calibrated to the
    # metered offtake when production is not metered but PV feeds in
    annual = np.zeros(n)
    calibrate: list[int] = []
    for i, c in enumerate(companies):
        e = c.electricity
        if e is None:
            continue
        if e.annual_produced_kwh is None and existing_annual[i] > 0:
            # a first guess by the identity; the calibration below sets the scale
            guess = e.annual_kwh + float(existing_annual[i]) - e.annual_feed_in_kwh
            annual[i] = max(guess, e.annual_kwh)
            calibrate.append(i)
            if e.annual_feed_in_kwh > existing_annual[i]:
                problems.append(
                    warning(
                        f"companies[{i}].electricity.annual_feed_in_kwh",
                        f"{c.id}: gemeten teruglevering ({e.annual_feed_in_kwh:.0f} kWh) is"
                        f" groter dan de gesimuleerde opwek ({existing_annual[i]:.0f} kWh);"
                        " controleer kWp en oriëntatie van de bestaande panelen.",
                        f"{c.id}: metered feed-in ({e.annual_feed_in_kwh:.0f} kWh) exceeds"
                        f" the simulated production ({existing_annual[i]:.0f} kWh); check kWp"
                        " and orientation of the existing panels.",
                        value=e.annual_feed_in_kwh,
                        code="feed_in_exceeds_pv",
                    )
                )
        else:
            annual[i] = e.demand_on_site_kwh
    if demand_out is not None and getattr(demand_builder, "accepts_out", False):
        demand, estimated_flags, demand_problems = cast(Any, demand_builder)(
            index, companies, annual, parameters, out=demand_out
        )
    else:
        demand, estimated_flags, demand_problems = demand_builder(
            index, companies, annual, parameters
        )
    demand = np.ascontiguousarray(demand, dtype=np.float64)
    problems.extend(demand_problems)
    estimated = [
        list(flag) if isinstance(flag, list | tuple) else ["standaardprofiel"] if flag else []
        for flag in estimated_flags
    ]
    for cid, data in (meter_data or {}).items():
        i = pos[cid]
        existing_pv = np.zeros(n_t)
        for o, v in existing_w[i].items():
            existing_pv += v * scale[i] * profiles[o]
        demand[i], metered = _demand_from_meter(data, index, existing_pv)
        problems.extend(p.located(path=f"companies[{i}].{p.path}") for p in metered)
        e = companies[i].electricity
        produced_metered = e is not None and e.annual_produced_kwh is not None
        estimated[i] = [] if produced_metered or not existing_w[i] else ["opwek gesimuleerd"]
        if i in calibrate:
            calibrate.remove(i)
    if calibrate:
        from parkplan.energy.demand import calibrate_demand_to_offtake, offtake_fit

        for i in calibrate:
            e = companies[i].electricity
            assert e is not None
            existing_pv = np.zeros(n_t)
            for o, v in existing_w[i].items():
                existing_pv += v * profiles[o]
            if demand[i].sum() > 0:
                demand[i] = calibrate_demand_to_offtake(demand[i], existing_pv, e.annual_kwh)
                estimated[i].append("gekalibreerd op afname")
                if e.annual_feed_in_kwh > 0:
                    fit = offtake_fit(demand[i], existing_pv, e.annual_feed_in_kwh)
                    feed_in_fit[i] = float(fit.feed_in_ratio)

    # ---- electrification: heat pumps and EV charging add demand
    heat_pump_kwh = np.zeros(n)
    gas = np.array([c.gas.annual_m3 if c.gas else 0.0 for c in companies], dtype=float)
    for m in sc.of_type(HeatPump):
        i = pos[m.company]
        replaced = gas[i] * m.share_of_gas
        if replaced <= 0:
            continue
        if heat_builder is None:
            raise ParkplanError(
                "Geen warmtepompmodel beschikbaar.", "No heat-pump model available."
            )
        added = heat_builder(weather, replaced, parameters)
        demand[i] += added
        heat_pump_kwh[i] += float(added.sum())
        gas[i] -= replaced
        estimated[i].append("warmtepomp")
    fleet, fleet_problems = _fleet_co2(companies, parameters)
    problems.extend(fleet_problems)
    ev_kwh = np.zeros(n)
    for m in sc.of_type(EvCharging):
        i = pos[m.company]
        if ev_builder is None:
            raise ParkplanError("Geen laadmodel beschikbaar.", "No EV-charging model available.")
        added, avoided_co2, ev_problems = ev_builder(index, companies[i], m, parameters)
        problems.extend(ev_problems)
        demand[i] += added
        ev_kwh[i] += float(added.sum())
        fleet[i] = max(0.0, fleet[i] - avoided_co2)
        estimated[i].append("laadprofiel")

    # ---- batteries
    battery_defaults = {k: v for k, v in parameters.items() if k.startswith("battery.")}
    batteries: list[Battery | None] = [None] * n
    for m in sc.of_type(BatteryMeasure):
        batteries[pos[m.company]] = battery_from_defaults(
            m.energy_kwh,
            battery_defaults,
            power_kw=m.power_kw,
            strategy=m.strategy,
            target_import_kw=m.target_import_kw,
        )

    # ---- limits: contracted capacity (a shared row of ones, scaled) or time blocks
    imp_lim = [gridmod.import_limit_kw(c.main_connection) for c in companies]
    exp_lim = [gridmod.export_limit_kw(c.main_connection) for c in companies]
    for i, c in enumerate(companies):
        conns = c.electricity_connections
        if len(conns) > 1:
            lims = [gridmod.import_limit_kw(x) for x in conns]
            if all(v is not None for v in lims):
                imp_lim[i] = float(sum(v for v in lims if v is not None))
    rows = [np.ones(n_t)]
    row = np.full(n, -1, dtype=np.int64)
    lscale = np.zeros(n)
    for i, lim in enumerate(imp_lim):
        if lim is not None:
            row[i] = 0
            lscale[i] = lim * interval_h
    # time-block rights: the park's (park file, grid.transport_rights), then the scenario's
    for m in [*park.grid.transport_rights, *sc.of_type(TransportRight)]:
        i = pos[m.company]
        rows.append(gridmod.time_block_schedule(index, m.blocks, m.default_kw) * interval_h)
        row[i] = len(rows) - 1
        lscale[i] = 1.0
        imp_lim[i] = m.default_kw
    for i, b in enumerate(batteries):
        if (
            b is not None
            and b.strategy == Strategy.PEAK_SHAVING
            and b.target_import_kw is None
            and imp_lim[i] is None
        ):
            raise ParkplanError(
                f"Batterij van {ids[i]}: piekscheren vraagt target_import_kw of een"
                f" gecontracteerd vermogen.",
                f"Battery of {ids[i]}: peak shaving needs target_import_kw or a contracted"
                f" capacity.",
            )

    # ---- hubs
    group_of = np.full(n, -1, dtype=np.int64)
    hub_pv: list[NDArray[np.float64] | None] = []
    hub_bat: list[Battery | None] = []
    for g, hub in enumerate(hubs):
        for cid in hub.members:
            if group_of[pos[cid]] >= 0:
                raise ParkplanError(
                    f"Bedrijf '{cid}' zit in meer dan één energiehub.",
                    f"Company '{cid}' is in more than one energy hub.",
                )
            group_of[pos[cid]] = g
        if hub.shared_pv is not None and hub.shared_pv.kwp > 0:
            o = orient_of[_orientation_key(hub.shared_pv.tilt_deg, hub.shared_pv.azimuth_deg)]
            hub_pv.append(profiles[o] * hub.shared_pv.kwp)
        else:
            hub_pv.append(None)
        if hub.shared_battery is not None and hub.shared_battery.energy_kwh > 0:
            target = hub.shared_battery.target_import_kw or hub.group_capacity_kw
            hub_bat.append(
                battery_from_defaults(
                    hub.shared_battery.energy_kwh,
                    battery_defaults,
                    power_kw=hub.shared_battery.power_kw,
                    strategy=Strategy.PEAK_SHAVING if target else Strategy.SELF_CONSUMPTION,
                    target_import_kw=target,
                )
            )
        else:
            hub_bat.append(None)

    return ParkInputs(
        index=index,
        interval_h=interval_h,
        month=month,
        company_ids=ids,
        company_names=[c.name for c in companies],
        demand_kwh=demand,
        pv=pv,
        pv_kwp=pv_kwp,
        batteries=batteries,
        import_limit_kw=imp_lim,
        export_limit_kw=exp_lim,
        connection_ean=[c.main_connection.ean if c.main_connection else None for c in companies],
        limit_rows_kwh=np.vstack(rows),
        limit_row=row,
        limit_scale=lscale,
        hubs=list(hubs),
        group_of=group_of,
        hub_shared_pv_kwh=hub_pv,
        hub_battery=hub_bat,
        estimated=estimated,
        heat_pump_kwh=heat_pump_kwh,
        ev_kwh=ev_kwh,
        pv_scale_factor=pv_scale,
        feed_in_fit=feed_in_fit,
        gas_m3=gas,
        fleet_co2_kg=fleet,
        problems=problems,
    )


def _demand_from_meter(
    data: pd.DataFrame, index: pd.DatetimeIndex, produced_kwh: NDArray[np.float64]
) -> tuple[NDArray[np.float64], list[Problem]]:
    """Demand on site per interval from meter data: offtake + production - feed-in. [kWh]"""
    from parkplan.energy.demand import demand_from_meter_kwh, meter_series_on_index

    step_min = interval_hours(index) * 60
    if step_min > 15 + 1e-9:
        # hourly simulation: sum the quarter hours of each hour first
        data = (
            data[["offtake_kwh", "feed_in_kwh"]]
            .resample(f"{round(step_min)}min", label="left", closed="left")
            .sum()
        )
    offtake, feed_in, problems = meter_series_on_index(data, index)
    demand, more = demand_from_meter_kwh(offtake, feed_in, produced_kwh)
    return np.asarray(demand, dtype=np.float64), [*problems, *more]


def _fleet_co2(
    companies: Sequence[Company], parameters: Mapping[str, float]
) -> tuple[NDArray[np.float64], list[Problem]]:
    """CO2 of each company's fleet from fuel (or km x fuel per km), well-to-wheel factors.

    Returns the CO2 per company [kg] and a warning per vehicle group that cannot be counted.
    """
    out = np.zeros(len(companies))
    problems: list[Problem] = []
    for i, c in enumerate(companies):
        for j, v in enumerate(c.vehicles):
            if v.fuel == "electric":
                continue
            factor = parameters.get(f"co2.{v.fuel}_kg_per_l")
            litres = v.annual_fuel_l
            if litres is None and v.annual_km is not None:
                per_km = parameters.get(f"fleet.fuel_l_per_km.{v.kind}.{v.fuel}")
                if per_km is not None:
                    litres = v.annual_km * v.count * per_km
            if factor is None or litres is None:
                problems.append(
                    warning(
                        f"companies[{i}].vehicles[{j}]",
                        f"{c.id}: CO2 van voertuiggroep '{v.kind}' ({v.fuel}) niet te bepalen"
                        " (geen liters, km of emissiefactor); telt niet mee.",
                        f"{c.id}: CO2 of vehicle group '{v.kind}' ({v.fuel}) cannot be"
                        " determined (no litres, km or emission factor); left out.",
                        value=v.fuel,
                        code="fleet_unknown",
                    )
                )
                continue
            out[i] += litres * factor
    return out, problems


# --------------------------------------------------------------------------------------------
# Run
# --------------------------------------------------------------------------------------------


def run_inputs(
    inp: ParkInputs,
    *,
    park: Park,
    co2_factors: Mapping[str, float],
    keep_series: bool = False,
    reuse_demand: bool = False,
) -> tuple[SimulationResult, DispatchResult]:
    """Run the kernel on prepared inputs and summarise (provenance left empty).

    With ``reuse_demand`` (and without ``keep_series``) the kernel writes the net exchange
    over ``inp.demand_kwh`` (one matrix less); ``inp`` is spent afterwards.
    """
    n = len(inp.company_ids)
    dt = inp.interval_h
    res = dispatch(
        inp.demand_kwh,
        inp.pv,
        inp.batteries,
        interval_h=dt,
        month=inp.month,
        export_limit_kw=inp.export_limit_kw,
        import_limit_kwh=inp.limit_rows_kwh,
        import_limit_row=inp.limit_row,
        import_limit_scale=inp.limit_scale,
        group_of=inp.group_of,
        n_groups=len(inp.hubs),
        store_flows=keep_series,
        out=inp.demand_kwh if reuse_demand and not keep_series else None,
    )
    demand_kwh = res.load_total_kwh  # summed in the kernel's pass
    assert demand_kwh is not None
    tot = res.totals_kwh
    pv_kwh = tot[:, 0] + tot[:, 1] + tot[:, 2] + tot[:, 3]
    imp_kwh = tot[:, 4] + tot[:, 5]
    exp_kwh = tot[:, 2] + tot[:, 7]
    monthly = res.month_peak_import_kwh / dt
    peak_imp = monthly.max(axis=1) if n else np.zeros(0)
    peak_exp = (res.month_peak_export_kwh / dt).max(axis=1) if n else np.zeros(0)
    f_el = _factor(co2_factors, "electricity")
    f_gas = _factor(co2_factors, "gas")

    # ---- hubs
    park_net = res.park_import_kwh - res.park_export_kwh
    hub_results: list[HubResult] = []
    hub_of: dict[int, str] = {}
    contributions: dict[int, list[float]] = {}
    for g, hub in enumerate(inp.hubs):
        members = np.flatnonzero(inp.group_of == g)
        out = gridmod.simulate_group(
            res.group_import_kwh[g],
            res.group_export_kwh[g],
            month=inp.month,
            interval_h=dt,
            capacity_import_kw=hub.group_capacity_kw,
            capacity_export_kw=hub.group_feed_in_kw,
            shared_pv_kwh=inp.hub_shared_pv_kwh[g],
            shared_battery=inp.hub_battery[g],
        )
        park_net = park_net - (res.group_import_kwh[g] - res.group_export_kwh[g])
        park_net = park_net + out.import_kwh - out.export_kwh
        contrib = gridmod.peak_contributions_kw(res.net_kwh, out.peak_interval, dt, members=members)
        for k, member in enumerate(members.tolist()):
            hub_of[member] = hub.name
            contributions[member] = [float(x) for x in contrib[k]]
        gt = out.dispatch.totals_kwh[0]
        shared_pv = inp.hub_shared_pv_kwh[g]
        hub_results.append(
            HubResult(
                name=hub.name,
                members=[inp.company_ids[i] for i in members],
                group_capacity_kw=hub.group_capacity_kw,
                group_feed_in_kw=hub.group_feed_in_kw,
                import_kwh=float(out.import_kwh.sum()),
                export_kwh=float(out.export_kwh.sum()),
                shared_kwh=out.shared_kwh,
                curtailed_kwh=out.curtailed_kwh,
                shared_pv_kwh=float(shared_pv.sum()) if shared_pv is not None else 0.0,
                shared_battery_kwh=float(gt[6] + gt[7]),
                peak_kw=float(out.monthly_peak_kw.max()),
                monthly_peak_kw=[float(x) for x in out.monthly_peak_kw],
                sum_of_member_peaks_kw=float(peak_imp[members].sum()),
                exceeded_hours=out.exceedance.hours if out.exceedance else 0.0,
                exceeded_kwh=out.exceedance.energy_kwh if out.exceedance else 0.0,
                contributions_kw={inp.company_ids[i]: contributions[int(i)] for i in members},
                peak_intervals=[
                    inp.index[k].isoformat() if k >= 0 else None for k in out.peak_interval
                ],
            )
        )

    # ---- companies
    companies: list[CompanyResult] = []
    for i in range(n):
        co2_el = float(imp_kwh[i]) * f_el
        co2_gas = float(inp.gas_m3[i]) * f_gas
        co2_fleet = float(inp.fleet_co2_kg[i])
        self_used = float(tot[i, 0] + tot[i, 1])
        companies.append(
            CompanyResult(
                id=inp.company_ids[i],
                name=inp.company_names[i],
                demand_kwh=float(demand_kwh[i]),
                pv_kwh=float(pv_kwh[i]),
                pv_kwp=float(inp.pv_kwp[i]),
                self_consumed_kwh=self_used,
                import_kwh=float(imp_kwh[i]),
                export_kwh=float(exp_kwh[i]),
                curtailed_kwh=float(tot[i, 3]),
                battery_charge_kwh=float(tot[i, 1] + tot[i, 5]),
                battery_discharge_kwh=float(tot[i, 6] + tot[i, 7]),
                self_consumption=self_used / float(pv_kwh[i]) if pv_kwh[i] > 0 else None,
                self_sufficiency=max(0.0, 1.0 - float(imp_kwh[i]) / float(demand_kwh[i]))
                if demand_kwh[i] > 0
                else None,
                peak_import_kw=float(peak_imp[i]),
                peak_export_kw=float(peak_exp[i]),
                monthly_peak_kw=[float(x) for x in monthly[i]],
                contracted_kw=inp.import_limit_kw[i],
                exceeded_hours=float(res.exceed[i, 0] * dt),
                exceeded_kwh=float(res.exceed[i, 1]),
                exceeded_max_kw=float(res.exceed[i, 2] / dt),
                co2_kg=co2_el + co2_gas + co2_fleet,
                co2_by_source_kg={"electricity": co2_el, "gas": co2_gas, "fleet": co2_fleet},
                estimated=bool(inp.estimated[i]),
                estimate_reasons=list(inp.estimated[i]),
                flows_kwh={name: float(tot[i, k]) for k, name in enumerate(FLOW_NAMES)},
                heat_pump_kwh=float(inp.heat_pump_kwh[i]),
                ev_kwh=float(inp.ev_kwh[i]),
                pv_scale_factor=inp.pv_scale_factor[i],
                feed_in_ratio=inp.feed_in_fit[i],
                hub=hub_of.get(i),
                group_peak_contribution_kw=contributions.get(i),
            )
        )

    # ---- cable pooling: companies behind one connection (the same EAN)
    pooled: list[PooledConnectionResult] = []
    by_ean: dict[str, list[int]] = {}
    for i, ean in enumerate(inp.connection_ean):
        if ean:
            by_ean.setdefault(ean, []).append(i)
    for ean, rows in by_ean.items():
        if len(rows) < 2:
            continue
        net = res.net_kwh[rows].sum(axis=0)
        imp = np.maximum(net, 0.0)
        exp_ = np.maximum(-net, 0.0)
        lim_imp = inp.import_limit_kw[rows[0]]
        lim_exp = inp.export_limit_kw[rows[0]]
        exc = gridmod.exceedance(imp, lim_imp, dt) if lim_imp is not None else None
        exc_x = gridmod.exceedance(exp_, lim_exp, dt) if lim_exp is not None else None
        pooled.append(
            PooledConnectionResult(
                ean=ean,
                companies=[inp.company_ids[i] for i in rows],
                import_kwh=float(imp.sum()),
                export_kwh=float(exp_.sum()),
                peak_import_kw=float(imp.max() / dt),
                peak_export_kw=float(exp_.max() / dt),
                import_limit_kw=lim_imp,
                export_limit_kw=lim_exp,
                exceeded_hours=exc.hours if exc else 0.0,
                exceeded_kwh=exc.energy_kwh if exc else 0.0,
                exceeded_export_hours=exc_x.hours if exc_x else 0.0,
            )
        )

    # ---- park
    grid = park.grid
    pk = gridmod.park_peaks(
        park_net, peak_imp, dt, grid.available_import_kw, grid.available_export_kw
    )
    # energy: companies outside a hub behind their own meters, each hub as one unit
    alone = inp.group_of < 0
    park_imp = float(imp_kwh[alone].sum()) + sum(h.import_kwh for h in hub_results)
    park_exp = float(exp_kwh[alone].sum()) + sum(h.export_kwh for h in hub_results)
    hub_curtailed = sum(h.curtailed_kwh for h in hub_results)
    co2_el_park = park_imp * f_el
    co2_gas_park = float(inp.gas_m3.sum()) * f_gas
    co2_fleet_park = float(inp.fleet_co2_kg.sum())
    total_demand = float(demand_kwh.sum())
    park_result = ParkResult(
        demand_kwh=total_demand,
        pv_kwh=float(pv_kwh.sum()) + sum(h.shared_pv_kwh for h in hub_results),
        self_consumed_kwh=float((tot[:, 0] + tot[:, 1]).sum()),
        import_kwh=park_imp,
        export_kwh=park_exp,
        curtailed_kwh=float(tot[:, 3].sum()) + hub_curtailed,
        metered_import_kwh=float(imp_kwh.sum()),
        metered_export_kwh=float(exp_kwh.sum()),
        coincident_peak_kw=pk.coincident_peak_kw,
        sum_of_individual_peaks_kw=pk.sum_of_individual_peaks_kw,
        coincident_export_peak_kw=pk.coincident_export_peak_kw,
        available_import_kw=grid.available_import_kw,
        available_export_kw=grid.available_export_kw,
        exceeded_import_hours=pk.exceeded_import_hours,
        exceeded_import_kwh=pk.exceeded_import_kwh,
        exceeded_export_hours=pk.exceeded_export_hours,
        exceeded_export_kwh=pk.exceeded_export_kwh,
        self_sufficiency=max(0.0, 1.0 - park_imp / total_demand) if total_demand > 0 else None,
        co2_kg=co2_el_park + co2_gas_park + co2_fleet_park,
        co2_by_source_kg={
            "electricity": co2_el_park,
            "gas": co2_gas_park,
            "fleet": co2_fleet_park,
        },
        estimated=any(c.estimated for c in companies),
    )
    result = SimulationResult(
        park=park_result,
        companies=companies,
        hubs=hub_results,
        provenance={},
        problems=list(inp.problems),
        index=inp.index,
        interval_h=dt,
        demand_kwh=inp.demand_kwh if keep_series else None,
        pv_kwh=inp.pv.matrix() if keep_series else None,
        net_kwh=res.net_kwh if keep_series else None,
        flows=res.flows,
        park_net_kwh=park_net,
        company_ids=list(inp.company_ids),
        max_residual_kwh=res.max_residual_kwh,
        pooled_connections=pooled,
    )
    return result, res


def _factor(co2_factors: Mapping[str, float], kind: str) -> float:
    for key in (kind, CO2_KEYS[kind]):
        if key in co2_factors:
            return float(co2_factors[key])
    raise ParkplanError(
        f"CO2-factor '{CO2_KEYS[kind]}' ontbreekt.", f"CO2 factor '{CO2_KEYS[kind]}' is missing."
    )


# --------------------------------------------------------------------------------------------
# Provenance
# --------------------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    return value


WEATHER_FILE_KEYS = ("format", "file_name", "file_sha256")
"""Weather metadata about the file read: in the provenance, not in the inputs hash."""


def weather_identity(weather: pd.DataFrame, meta: Mapping[str, Any] | None = None) -> str:
    """sha256 of the weather values, index and (JSON-able) metadata."""
    h = hashlib.sha256()
    h.update(np.ascontiguousarray(weather.to_numpy(dtype=np.float64)).tobytes())
    h.update(np.asarray(weather.index.asi8).tobytes())
    h.update(str(weather.index.tz).encode())
    h.update(",".join(map(str, weather.columns)).encode())
    if meta:
        h.update(json.dumps(_jsonable(dict(meta)), sort_keys=True, default=str).encode())
    return h.hexdigest()


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _canonical_default(value: Any) -> Any:
    cls = type(value)
    names = _FIELD_NAMES.get(cls)
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        # every field of a (non-slots) dataclass instance is in its __dict__; with nothing
        # else there, the __dict__ is the field mapping (the encoder sorts the keys)
        attrs = getattr(value, "__dict__", None)
        if attrs is not None and len(attrs) == len(names):
            return attrs
        return {name: getattr(value, name) for name in names}
    return str(value)


def inputs_hash(
    park: Park, scenario: Scenario | None, weather_id: str, extra: Mapping[str, Any] | None = None
) -> str:
    """sha256 of the canonical inputs: park document, scenario and weather identity.

    The park is serialised as sorted JSON of its dataclass fields (the encoder walks the
    lists and dicts itself; non-finite floats appear as ``Infinity``/``NaN``).
    """
    doc = {
        "park": park,
        "scenario": scenario.identity() if scenario else None,
        "weather": weather_id,
        "extra": dict(extra or {}),
    }
    text = json.dumps(doc, sort_keys=True, default=_canonical_default)
    return hashlib.sha256(text.encode()).hexdigest()


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def simulate_park(
    park: Park,
    weather: pd.DataFrame,
    *,
    scenario: Scenario | None = None,
    co2_factors: Mapping[str, float],
    year: int = 2025,
    resolution_minutes: int = 15,
    parameters: Mapping[str, float] | None = None,
    pv_builder: PvBuilder | None = None,
    demand_builder: DemandBuilder | None = None,
    heat_builder: Callable[..., NDArray[np.float64]] | None = None,
    ev_builder: Callable[..., Any] | None = None,
    weather_meta: Mapping[str, Any] | None = None,
    meter_data: Mapping[str, pd.DataFrame] | None = None,
    refdata_version: str | None = None,
    code_version: str | None = None,
    keep_series: bool = False,
) -> SimulationResult:
    """Simulate a park for one year.

    Parameters
    ----------
    park : Park
        The park.
    weather : DataFrame
        ``ghi_w_m2, dni_w_m2, dhi_w_m2, temp_air_c, wind_speed_m_s`` on a tz-aware index;
        resampled (mean) to ``resolution_minutes`` when it is finer.
    scenario : Scenario, optional
        Measures to add.
    co2_factors : mapping
        Emission factors by reference-data key (``co2.electricity_kg_per_kwh`` [kg/kWh],
        ``co2.natural_gas_kg_per_m3`` [kg/m3], ``co2.diesel_kg_per_l`` [kg/l] ...).
    year : int
        The simulated year (the weather's index must lie in it).
    resolution_minutes : int
        15 or 60.
    parameters : mapping, optional
        Other reference values by key (battery defaults, module density, fuel per km ...).
    pv_builder, demand_builder, heat_builder, ev_builder : callable, optional
        Models; default the park's solar, demand, heat and mobility modules.
    weather_meta : mapping, optional
        Metadata of the weather (source, station ...), part of the provenance.
    meter_data : mapping, optional
        Company id -> cleaned 15-minute meter data (read at the edge); metered data win.
    refdata_version, code_version : str, optional
        For the provenance; ``code_version`` defaults to ``parkplan.__version__``.
    keep_series : bool
        Keep every series (for ``--timeseries`` and charts).

    Returns
    -------
    SimulationResult
    """
    params = dict(parameters or {})
    params.update({k: v for k, v in co2_factors.items() if k.startswith("co2.")})
    w = check_weather(weather, year=year, resolution_minutes=resolution_minutes)
    # without kept series the demand matrix (overwritten by the net exchange) is scratch
    # space: it comes from, and goes back to, the process's workspace
    scratch = None if keep_series else WORKSPACE.take((len(park.companies), len(w)))
    inp = build_inputs(
        park,
        w,
        scenario=scenario,
        parameters=params,
        pv_builder=pv_builder or default_pv_builder(),
        demand_builder=demand_builder or default_demand_builder(),
        heat_builder=heat_builder or heat_pump_demand,
        ev_builder=ev_builder or ev_charging_demand,
        meter_data=meter_data,
        demand_out=scratch,
    )
    result, dispatched = run_inputs(
        inp, park=park, co2_factors=co2_factors, keep_series=keep_series, reuse_demand=True
    )
    del inp, dispatched  # the only references to the scratch matrix besides `scratch`
    if scratch is not None:
        WORKSPACE.give(scratch)
    # machine-specific metadata (file paths) stays out of the identity and the provenance;
    # the file's name, format and hash are in the provenance but not in the identity (the
    # weather values themselves are hashed)
    meta = {k: v for k, v in (weather_meta or {}).items() if k != "path"}
    wid = weather_identity(w, {k: v for k, v in meta.items() if k not in WEATHER_FILE_KEYS})
    result.provenance = {
        "inputs_sha256": inputs_hash(
            park,
            scenario,
            wid,
            {
                "year": year,
                "resolution_minutes": resolution_minutes,
                "parameters": params,
                "meter_data": {
                    cid: weather_identity(df[["offtake_kwh", "feed_in_kwh"]])
                    for cid, df in sorted((meter_data or {}).items())
                },
            },
        ),
        "weather_sha256": wid,
        "scenario": scenario.name if scenario else None,
        "refdata_version": refdata_version,
        "code_version": code_version or __version__,
        "year": year,
        "resolution_minutes": resolution_minutes,
        "weather": _jsonable(meta) if meta else None,
        "models": model_names(pv_builder, demand_builder),
    }
    return result


# --------------------------------------------------------------------------------------------
# Models: the solar, demand, heat and mobility modules of the package
# --------------------------------------------------------------------------------------------

WEATHER_COLUMNS = ("ghi_w_m2", "dni_w_m2", "dhi_w_m2", "temp_air_c", "wind_speed_m_s")


def check_weather(weather: pd.DataFrame, *, year: int, resolution_minutes: int) -> pd.DataFrame:
    """Check the weather and bring it to ``resolution_minutes`` (mean of finer intervals).

    Raises
    ------
    ParkplanError
        Not tz-aware, irregular, coarser than asked, or not in ``year``.
    """
    idx = weather.index
    if not isinstance(idx, pd.DatetimeIndex) or idx.tz is None:
        raise ParkplanError(
            "Het weer heeft geen tijdzone-bewuste tijdas.",
            "The weather has no timezone-aware time axis.",
        )
    if resolution_minutes not in (15, 60):
        raise ParkplanError(
            f"Resolutie {resolution_minutes} min niet ondersteund; verwacht 15 of 60.",
            f"Resolution {resolution_minutes} min not supported; expected 15 or 60.",
        )
    step = interval_hours(idx) * 60
    local_years = set(np.unique(idx.tz_convert("Europe/Amsterdam").year))
    if local_years != {year}:
        raise ParkplanError(
            f"Het weer beslaat jaar/jaren {sorted(local_years)}, verwacht {year}.",
            f"The weather covers year(s) {sorted(local_years)}, expected {year}.",
        )
    if abs(step - resolution_minutes) < 1e-9:
        return weather
    if step > resolution_minutes:
        raise ParkplanError(
            f"Het weer heeft intervallen van {step:g} min; voor {resolution_minutes} min is"
            f" weer met die resolutie nodig.",
            f"The weather has {step:g}-minute intervals; {resolution_minutes} minutes needs"
            f" weather at that resolution.",
        )
    return weather.resample(f"{resolution_minutes}min", label="left", closed="left").mean()


def default_pv_builder(reference: bool = False) -> PvBuilder:
    """PV from :func:`parkplan.energy.solar.pv_profiles_for_orientations`; the solar
    parameters come from ``parameters`` (keys ``solar.*``). ``reference=True``: the readable
    pvlib chain per orientation (:func:`parkplan.energy.solar.pv_profiles_reference`),
    slower, equal within about 1e-12 (for tests)."""
    from parkplan.energy.solar import (
        PARAMETER_KEYS,
        pv_profiles_for_orientations,
        pv_profiles_reference,
    )

    model = pv_profiles_reference if reference else pv_profiles_for_orientations

    def build(
        weather: pd.DataFrame,
        lat: float,
        lon: float,
        orientations: Sequence[tuple[float, float]],
        parameters: Mapping[str, float],
    ) -> NDArray[np.float64]:
        params = {k: _param(parameters, f"solar.{k}") for k in PARAMETER_KEYS}
        return np.asarray(
            model(
                weather,
                lat,
                lon,
                list(orientations),
                losses_fraction=params["system_losses_fraction"],
                inverter_ratio=params["inverter_dc_ac_ratio"],
                params=params,
            ),
            dtype=np.float64,
        )

    build.__qualname__ = f"parkplan.energy.solar.{model.__name__}"
    return build


IMPLIED_PEAK_REASON = "piek geschat uit bedrijfstijdklasse"
"""Estimate reason of a company whose peak follows from its operating-hours class."""


def default_demand_builder(refdata: Any = None, reference: bool = False) -> DemandBuilder:
    """Demand from :func:`parkplan.energy.demand.profile_for` and ``demand_matrix_info``:
    standard profiles with seeded company variability, calibrated to the peak.

    The peak is the reported ``electricity.peak_kw`` when there is one; otherwise, when the
    company's operating-hours class is known, the peak implied by that class
    (:func:`parkplan.energy.demand.implied_peak_kw`: annual energy / the class's
    representative full-load hours, ``profile.hours_flh.*``), and the result is marked with
    the estimate reason :data:`IMPLIED_PEAK_REASON`. Without either, the standard profile
    with its variability decides the peak. ``reference=True`` draws the noise with NumPy's
    generators outside the kernel (bit for bit the same result; for tests).
    """
    from parkplan.energy.demand import demand_matrix_info, implied_peak_kw, profile_for

    def build(
        index: pd.DatetimeIndex,
        companies: Sequence[Company],
        annual_kwh: NDArray[np.float64],
        parameters: Mapping[str, float],
        out: NDArray[np.float64] | None = None,
    ) -> tuple[NDArray[np.float64], list[bool | list[str]], list[Problem]]:
        chosen: dict[tuple[str | None, str | None], str] = {}
        for c in companies:
            key = (c.sbi, c.operating_hours_class)
            if key not in chosen:
                chosen[key] = profile_for(c.sbi, c.operating_hours_class, refdata)
        profiles = [chosen[(c.sbi, c.operating_hours_class)] for c in companies]
        peaks = np.array(
            [
                c.electricity.peak_kw
                if c.electricity is not None and c.electricity.peak_kw is not None
                else np.nan
                for c in companies
            ],
            dtype=float,
        )
        implied = np.zeros(len(companies), dtype=bool)
        for i, c in enumerate(companies):
            if np.isnan(peaks[i]) and c.operating_hours_class is not None and annual_kwh[i] > 0:
                peaks[i] = implied_peak_kw(float(annual_kwh[i]), c.operating_hours_class, refdata)
                implied[i] = True
        seeds = [_seed(c.id) for c in companies]
        matrix, infos = demand_matrix_info(
            index,
            annual_kwh,
            profiles,
            peaks,
            seeds,
            refdata=refdata,
            compiled_noise=not reference,
            out=out,
        )
        # an implied peak is an estimate, not a reported figure: no warnings about it
        problems = [p for i, info in enumerate(infos) if not implied[i] for p in info.problems]
        estimated: list[bool | list[str]] = [
            ["standaardprofiel", IMPLIED_PEAK_REASON] if implied[i] else info.estimated
            for i, info in enumerate(infos)
        ]
        return matrix, estimated, problems

    build.__qualname__ = "parkplan.energy.demand.demand_matrix_info"
    build.accepts_out = True  # type: ignore[attr-defined]
    return build


class Workspace:
    """Scratch matrices reused between simulations in one process (thread-safe).

    A fresh companies x intervals matrix costs the operating system zeroing its pages on
    first touch (about 10 ms for 300 companies x 35,040 intervals, more when memory is
    fragmented); a simulation without kept series hands its demand matrix back here and
    the next one of the same shape reuses it. At most ``keep`` matrices are held.
    """

    def __init__(self, keep: int = 1) -> None:
        self._lock = threading.Lock()
        self._free: list[NDArray[np.float64]] = []
        self.keep = keep

    def take(self, shape: tuple[int, int]) -> NDArray[np.float64]:
        """A float64 C-order matrix of ``shape`` (contents undefined)."""
        with self._lock:
            for k, a in enumerate(self._free):
                if a.shape == shape:
                    return self._free.pop(k)
        return np.empty(shape)

    def give(self, array: NDArray[np.float64]) -> None:
        """Hand a matrix back (nothing may refer to it afterwards)."""
        with self._lock:
            self._free.append(array)
            del self._free[: -self.keep or None]

    def clear(self) -> None:
        """Release every held matrix."""
        with self._lock:
            self._free.clear()


WORKSPACE = Workspace()
"""The process's scratch matrices for :func:`simulate_park`."""


def model_names(pv_builder: Any = None, demand_builder: Any = None) -> dict[str, str]:
    """Which models a run used (for the provenance)."""
    pv = pv_builder or default_pv_builder()
    dem = demand_builder or default_demand_builder()
    return {
        "pv": getattr(pv, "__qualname__", str(pv)),
        "demand": getattr(dem, "__qualname__", str(dem)),
    }


def _seed(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")


def ev_charging_demand(
    index: pd.DatetimeIndex,
    company: Company,
    measure: EvCharging,
    parameters: Mapping[str, float],
) -> tuple[NDArray[np.float64], float, list[Problem]]:
    """Charging company vehicles on site (:mod:`parkplan.energy.mobility`).

    Energy = vehicles x km per vehicle x ``mobility.ev_kwh_per_km.<kind>`` / charging
    efficiency, in the measure's window (``evening`` or ``daytime``) and strategy. The
    vehicles replace the company's first fossil vehicle group (kind, fuel and km when the
    measure gives none); the avoided fleet CO2 uses ``fleet.fuel_l_per_km.<kind>.<fuel>``
    and ``co2.<fuel>_kg_per_l``.

    Returns
    -------
    kwh, avoided_co2_kg, problems
        Added demand per interval [kWh], avoided fleet CO2 [kg] and warnings.
    """
    from parkplan.energy.mobility import ev_annual_kwh, ev_charging_kwh

    fossil = [v for v in company.vehicles if v.fuel != "electric"]
    kind = measure.kind or (fossil[0].kind if fossil else "van")
    fuel = fossil[0].fuel if fossil else "diesel"
    km = measure.annual_km_per_vehicle
    if km is None and fossil and fossil[0].annual_km:
        km = fossil[0].annual_km
    if km is None:
        raise ParkplanError(
            f"Laadmaatregel bij {company.id}: geef annual_km_per_vehicle.",
            f"Charging measure for {company.id}: give annual_km_per_vehicle.",
        )
    annual = ev_annual_kwh(
        measure.vehicles,
        km,
        _param(parameters, f"mobility.ev_kwh_per_km.{kind}"),
        _param(parameters, "mobility.charging_efficiency"),
    )
    kwh, problems = ev_charging_kwh(
        index,
        annual,
        window=measure.window,  # type: ignore[arg-type]
        strategy=measure.strategy,  # type: ignore[arg-type]
        vehicles=measure.vehicles,
        charger_kw=measure.charger_kw,
        parameters=parameters,
    )
    per_km = parameters.get(f"fleet.fuel_l_per_km.{kind}.{fuel}")
    factor = parameters.get(f"co2.{fuel}_kg_per_l")
    avoided = measure.vehicles * km * per_km * factor if per_km and factor else 0.0
    located = [p.located(path=f"companies[{company.id}].{p.path}") for p in problems]
    return np.asarray(kwh, dtype=np.float64), float(avoided), located


def heat_pump_demand(
    weather: pd.DataFrame, replaced_gas_m3: float, parameters: Mapping[str, float]
) -> NDArray[np.float64]:
    """Heat-pump electricity per interval (:func:`parkplan.energy.heat.heat_pump_demand_kwh`,
    air source on radiators). [kWh]"""
    from parkplan.energy.heat import heat_pump_demand_kwh

    return np.asarray(heat_pump_demand_kwh(weather, replaced_gas_m3, parameters), dtype=float)
