"""Optimal configuration of a park: PV per roof, batteries and the group capacity of a GTO,
for every company alone and for the energy hub together (linear programme, HiGHS).

The programme of one *site* is in :mod:`parkplan.optimize.lp`; this module turns a park's
arrays and tariffs into sites, fixes the energy-tax brackets, verifies them and solves again
when one changed, and compares alone with together.

Modelling choices (docs/optimize.md explains them in words):

- **Alone**: each company is one site with its own roofs, an optional own battery, its own
  contracted capacity (fixed: under congestion it cannot grow) and its own tariff category.
- **Together** (an energy hub with a GTO): the grootverbruik members form one site. Their PV
  and one shared battery form a pool; a member's offtake is what the pool does not deliver.
  Members with the same marginal price per kWh (same energy-tax bracket, supply price and
  kWh tariff) collapse into one *import class*: the LP needs no per-member variables, and
  because prices are linear per class this loses nothing. Group capacity is a decision up to
  min(sum of the members' contracts, the operator's available capacity); transport is
  charged in the group's category (highest member level, ACM GTO code decision).
- **Energy tax** is concave in volume (cheaper brackets as use grows). Each connection's
  marginal bracket is fixed from its baseline offtake, the LP is solved, the brackets are
  recomputed from the optimised offtake and, when one changed, the LP is solved again
  (reported in ``bracket_iterations``). The constant per connection
  ``tax(base) - rate x base`` makes the LP's tax equal the bill's as long as the bracket holds.
- Lines that no decision changes and that are equal alone and together are left out of the
  objective: fixed transport charges and the energy-tax reduction per connection.
- Kleinverbruik connections (and members without a contracted capacity) stay alone in both
  cases; until net metering ends their feed-in is netted against offtake.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from parkplan.economics.cashflow import annuity_factor
from parkplan.economics.tariffs import (
    energy_tax_brackets,
    grid_tariff,
    group_category,
    tariff_category,
)
from parkplan.optimize.lp import (
    BatteryOption,
    ImportClass,
    LpSize,
    OptimizeError,
    PvOption,
    SiteProblem,
    SiteSolution,
    full_year_axes,
    solve_site,
)
from parkplan.refdata.loader import UnknownValueError

if TYPE_CHECKING:
    from parkplan.refdata.loader import RefData

FloatArray = NDArray[np.float64]

MAX_BRACKET_ITERATIONS = 4
"""Solve again at most this many times when energy-tax brackets change."""

Progress = Callable[[float, str], None]
"""``progress(fraction, label)``: ``fraction`` of the work done (0-1, never decreasing),
``label`` the stage in words (Dutch, English with ``lang="en"``)."""


def _say(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


class InfeasibleError(OptimizeError):
    """No configuration meets the limits; ``details`` says which limit binds and by how much."""

    def __init__(self, nl: str, en: str, details: dict[str, Any]) -> None:
        super().__init__(nl, en)
        self.details = details


# --------------------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------------------


@dataclass
class RoofInput:
    """A roof face that may carry PV."""

    index: int
    """Position of the roof in the company's list."""
    profile: int
    """Row of the profile matrix for its orientation."""
    max_kwp: float
    """Usable area x module density, at least the existing PV. [kWp]"""
    existing_kwp: float = 0.0
    label: str = ""


@dataclass
class MemberInput:
    """One company: its demand, connection and roofs."""

    id: str
    demand_kwh: FloatArray
    """Demand on site per interval. [kWh]"""
    kind: str = "grootverbruik"
    contracted_kw: float | None = None
    contracted_feed_in_kw: float | None = None
    import_limit_kw: float | None = None
    """Offtake limit: contract, else the fuse. [kW]"""
    export_limit_kw: float | None = None
    grid_level: str | None = None
    roofs: list[RoofInput] = field(default_factory=list)
    existing_pv_kwh: FloatArray | None = None
    """Production of the PV already installed, per interval. [kWh]"""
    import_cap_series_kw: FloatArray | None = None
    """Time-block (non-firm) import limit per interval, when the company has one. [kW]"""


@dataclass
class CostInputs:
    """Investment and O&M figures (from refdata) and the discount rate."""

    discount_rate: float
    pv_classes: list[tuple[float, float, float]]
    """(upper bound of the system size [kWp], capex [EUR/kWp], O&M [EUR/kWp/yr]), ascending."""
    pv_lifetime_years: int
    battery_capex_eur_per_kwh: float
    battery_capex_eur_per_kw: float
    battery_om_fraction: float
    battery_lifetime_years: int
    battery_round_trip_efficiency: float
    battery_soc_min_fraction: float
    battery_soc_max_fraction: float

    def pv_annual_eur_per_kwp(self, system_kwp: float) -> float:
        """Annuity plus O&M of PV for a system of this size. [EUR/kWp/yr]"""
        for upper, capex, om in self.pv_classes:
            if system_kwp <= upper:
                return capex * annuity_factor(self.discount_rate, self.pv_lifetime_years) + om
        upper, capex, om = self.pv_classes[-1]
        return capex * annuity_factor(self.discount_rate, self.pv_lifetime_years) + om

    def battery_option(self) -> BatteryOption:
        """The battery as an LP option (annual cost per kWh and per kW)."""
        f = annuity_factor(self.discount_rate, self.battery_lifetime_years)
        k = f + self.battery_om_fraction
        eta = math.sqrt(self.battery_round_trip_efficiency)
        return BatteryOption(
            annual_eur_per_kwh=self.battery_capex_eur_per_kwh * k,
            annual_eur_per_kw=self.battery_capex_eur_per_kw * k,
            eta_charge=eta,
            eta_discharge=eta,
            soc_window_fraction=self.battery_soc_max_fraction - self.battery_soc_min_fraction,
        )


@dataclass
class ParkSizingInputs:
    """A park as arrays, ready for :func:`optimize_park`."""

    park_id: str
    index: pd.DatetimeIndex
    interval_h: float
    profiles: FloatArray
    """PV per kWp per orientation, orientations x intervals. [kWh/kWp]"""
    members: list[MemberInput]
    operator: str
    year: int
    costs: CostInputs
    available_import_kw: float | None = None
    available_export_kw: float | None = None
    group_feed_in_kw: float | None = None
    supply_eur_per_kwh: FloatArray | float | None = None
    """Supply price; ``None`` takes ``supply.electricity.eur_per_kwh`` from refdata."""
    feed_in_eur_per_kwh: FloatArray | float | None = None
    co2_kg_per_kwh: float = 0.0
    co2_cap_kg: float | None = None
    """CO2 cap for the park's grid offtake (alone: shared by the companies in proportion to
    their baseline offtake). [kg/yr]"""
    co2_eur_per_kg: float = 0.0
    batteries: bool = True
    hub_members: Sequence[str] | None = None
    """Companies in the hub; ``None``: every grootverbruik company with a contract."""
    fallback_operator: str | None = None


# --------------------------------------------------------------------------------------
# tariffs per connection
# --------------------------------------------------------------------------------------


@dataclass
class MemberTariff:
    """The linear tariff of one connection with its energy-tax bracket fixed."""

    kind: str
    category: str
    bracket: int
    """1-based energy-tax bracket whose rate is the marginal rate."""
    tax_eur_per_kwh: float
    tax_offset_eur: float
    """tax(base) - rate x base: makes the linear tax exact inside the bracket. [EUR/yr]"""
    transport_eur_per_kwh: float
    kw_contract_eur_per_kw_month: float
    kw_max_eur_per_kw_month: float
    netting: bool


def _require(value: float | None, key: str, year: int) -> float:
    if value is None:
        raise UnknownValueError(
            f"de optimalisatie heeft '{key}' nodig voor {year}, maar die waarde is onbekend"
            f" (niet gepubliceerd). Geef haar op via refdata_overrides van het park.",
            f"the optimisation needs '{key}' for {year}, but it is unknown (not published)."
            f" Supply it through the park's refdata_overrides.",
            key=key,
            year=year,
        )
    return float(value)


def bracket_of(annual_kwh: float, uppers: Sequence[float]) -> int:
    """1-based bracket whose range holds the marginal kWh of ``annual_kwh``."""
    for i, up in enumerate(uppers, start=1):
        if annual_kwh < up:
            return i
    return len(uppers)


def fixed_bracket_tax(
    base_kwh: float, bracket: int, year: int, refdata: RefData
) -> tuple[float, float]:
    """Marginal rate of ``bracket`` and the offset that makes ``rate x use + offset`` the
    exact tax for any use in that bracket. [EUR/kWh], [EUR/yr]

    Raises :class:`UnknownValueError` naming the first needed rate that is unknown.
    """
    brackets = energy_tax_brackets("electricity", year, refdata)
    lower = 0.0
    offset = 0.0
    for i, br in enumerate(brackets, start=1):
        if i == bracket:
            rate = _require(br.rate, br.key, year)
            return rate, offset - rate * lower
        rate_i = _require(br.rate, br.key, year)
        offset += (br.upper - lower) * rate_i
        lower = br.upper
    raise OptimizeError(f"schijf {bracket} bestaat niet", f"bracket {bracket} does not exist")


def member_tariff(
    member: MemberInput,
    taxable_kwh: float,
    *,
    operator: str,
    year: int,
    refdata: RefData,
    bracket: int | None = None,
    fallback_operator: str | None = None,
) -> MemberTariff:
    """The linear tariff of a connection, its bracket taken from ``taxable_kwh``.

    Raises :class:`UnknownValueError` naming the key when a figure the LP needs is unknown.
    """
    uppers = [b.upper for b in energy_tax_brackets("electricity", year, refdata)]
    br = bracket if bracket is not None else bracket_of(taxable_kwh, uppers)
    rate, offset = fixed_bracket_tax(taxable_kwh, br, year, refdata)
    if member.kind == "kleinverbruik":
        netting = year <= int(refdata.value("net_metering.last_year"))
        return MemberTariff("kleinverbruik", "kv", br, rate, offset, 0.0, 0.0, 0.0, netting)
    if member.contracted_kw is None:
        raise OptimizeError(
            f"{member.id}: grootverbruik zonder gecontracteerd vermogen (contracted_kw)",
            f"{member.id}: grootverbruik without contracted capacity (contracted_kw)",
        )
    cat = tariff_category(
        member.contracted_kw,
        operator,
        year,
        refdata,
        member.grid_level,
        fallback_operator=fallback_operator,
    )
    vals = {}
    for comp in ("kwh_eur_per_kwh", "kw_contract_eur_per_kw_month", "kw_max_eur_per_kw_month"):
        tv = grid_tariff(operator, cat, comp, year, refdata, fallback_operator=fallback_operator)
        vals[comp] = _require(tv.value, tv.key, year)
    return MemberTariff(
        "grootverbruik",
        cat,
        br,
        rate,
        offset,
        vals["kwh_eur_per_kwh"],
        vals["kw_contract_eur_per_kw_month"],
        vals["kw_max_eur_per_kw_month"],
        False,
    )


# --------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------


@dataclass
class SiteResult:
    """One solved site (a company alone, or the hub) with its decisions per roof."""

    name: str
    members: list[str]
    solution: SiteSolution
    pv_added_kwp: dict[str, list[float]]
    """Added PV per company, per roof (in the company's roof order). [kWp]"""
    member_import_kwh: dict[str, FloatArray]
    member_export_kwh: dict[str, FloatArray]
    tariffs: dict[str, MemberTariff]
    category: str
    iterations: int
    bracket_changes: list[dict[str, Any]]

    @property
    def objective_eur(self) -> float:
        """Annual cost at the optimum. [EUR/yr]"""
        return self.solution.objective_eur

    @property
    def operating_eur(self) -> float:
        """The bill part of the objective (no investment, no CO2 price). [EUR/yr]"""
        return self.solution.objective_eur - sum(
            self.solution.costs_eur.get(k, 0.0) for k in ("pv", "battery", "co2")
        )


@dataclass
class ParkOptimum:
    """Alone vs together for a park."""

    alone: dict[str, SiteResult]
    hub: SiteResult | None
    outside_hub: list[str]
    seconds: float
    resolution_minutes: int
    aggregated: dict[str, Any] | None = None

    @property
    def alone_total_eur(self) -> float:
        """Sum of every company's optimal annual cost on its own. [EUR/yr]"""
        return float(sum(r.objective_eur for r in self.alone.values()))

    @property
    def together_total_eur(self) -> float:
        """The hub's optimal annual cost plus the companies outside it alone. [EUR/yr]"""
        if self.hub is None:
            return self.alone_total_eur
        return self.hub.objective_eur + float(
            sum(self.alone[c].objective_eur for c in self.outside_hub)
        )

    @property
    def value_of_cooperation_eur(self) -> float:
        """What the hub saves per year compared with every member optimising alone. [EUR/yr]"""
        return self.alone_total_eur - self.together_total_eur


# --------------------------------------------------------------------------------------
# building sites
# --------------------------------------------------------------------------------------


def _prices(inputs: ParkSizingInputs, refdata: RefData) -> tuple[Any, Any]:
    n = len(inputs.index)
    sp = inputs.supply_eur_per_kwh
    fp = inputs.feed_in_eur_per_kwh
    if sp is None:
        sp = refdata.value("supply.electricity.eur_per_kwh", inputs.year)
    if fp is None:
        fp = refdata.value("supply.electricity.feed_in_eur_per_kwh", inputs.year)
    for name, v in (("supply", sp), ("feed_in", fp)):
        arr = np.asarray(v, dtype=float)
        if arr.ndim and arr.shape != (n,):
            raise OptimizeError(
                f"prijsreeks {name} heeft {arr.shape} waarden, verwacht {n}",
                f"price series {name} has shape {arr.shape}, expected {n}",
            )
    return sp, fp


def net_demand(member: MemberInput) -> FloatArray:
    """Demand minus the production of existing PV per interval (may be negative). [kWh]"""
    d = np.asarray(member.demand_kwh, dtype=float)
    if member.existing_pv_kwh is not None:
        d = d - member.existing_pv_kwh
    return d


def baseline_offtake_kwh(
    member: MemberInput, weights: FloatArray | None = None
) -> tuple[float, float]:
    """(offtake, feed-in) over the year with today's PV and no battery. [kWh]

    ``weights``: how many real intervals each interval stands for (typical days).
    """
    nd = net_demand(member)
    w = np.ones(nd.size) if weights is None else np.asarray(weights, dtype=float)
    return float(np.sum(w * nd.clip(min=0))), float(np.sum(w * (-nd).clip(min=0)))


def _pv_options(members: Sequence[MemberInput], costs: CostInputs, prefix: str) -> list[PvOption]:
    """PV options: roofs with the same orientation and price per kWp collapse into one."""
    groups: dict[tuple[int, float], list[tuple[str, int, float, float]]] = {}
    for m in members:
        system_kwp = sum(r.max_kwp for r in m.roofs)
        price = costs.pv_annual_eur_per_kwp(system_kwp)
        for r in m.roofs:
            head = max(r.max_kwp - r.existing_kwp, 0.0)
            if head <= 0:
                continue
            groups.setdefault((r.profile, round(price, 9)), []).append((m.id, r.index, head, 0.0))
    out = []
    for (prof, price), roofs in groups.items():
        out.append(
            PvOption(
                name=f"{prefix}:o{prof}",
                profile=prof,
                max_kwp=float(sum(r[2] for r in roofs)),
                existing_kwp=0.0,
                annual_eur_per_kwp=price,
                roofs=tuple(roofs),
            )
        )
    return out


def _months(index: pd.DatetimeIndex) -> NDArray[np.int64]:
    local = index.tz_convert("Europe/Amsterdam") if index.tz is not None else index
    codes = np.asarray(local.year, dtype=np.int64) * 12 + np.asarray(local.month) - 1
    _, inv = np.unique(codes, return_inverse=True)
    return inv.astype(np.int64)


def _axes(inputs: ParkSizingInputs) -> dict[str, Any]:
    months = _months(inputs.index)
    pairs, n_months, prev = full_year_axes(months)
    return {
        "weights": np.ones(len(inputs.index)),
        "peak_pairs": pairs,
        "n_months": n_months,
        "prev": prev,
        "contract_months": n_months,
    }


def alone_problem(
    member: MemberInput,
    tariff: MemberTariff,
    inputs: ParkSizingInputs,
    refdata: RefData,
    *,
    axes: dict[str, Any] | None = None,
    co2_cap_kg: float | None = None,
) -> SiteProblem:
    """The sizing LP of one company on its own."""
    sp, fp = _prices(inputs, refdata)
    ax = axes or _axes(inputs)
    cls = ImportClass(
        member.id,
        net_demand(member),
        sp,
        tariff.tax_eur_per_kwh,
        tariff.transport_eur_per_kwh,
        (member.id,),
    )
    contract = member.contracted_kw if tariff.kind == "grootverbruik" else None
    netting = None
    if tariff.netting:
        netting = np.asarray(sp, dtype=float) + tariff.tax_eur_per_kwh
    return SiteProblem(
        name=member.id,
        interval_h=inputs.interval_h,
        weights=ax["weights"],
        peak_pairs=ax["peak_pairs"],
        n_months=ax["n_months"],
        prev=ax["prev"],
        classes=[cls],
        profiles=inputs.profiles,
        pv=_pv_options([member], inputs.costs, member.id),
        battery=inputs.costs.battery_option() if inputs.batteries else None,
        contract_eur_per_kw_month=tariff.kw_contract_eur_per_kw_month,
        kw_max_eur_per_kw_month=tariff.kw_max_eur_per_kw_month,
        contract_kw=contract if contract is not None else member.import_limit_kw or 0.0,
        contract_months=ax["contract_months"],
        import_cap_kw=member.import_limit_kw,
        import_cap_label="contract" if tariff.kind == "grootverbruik" else "fuse",
        import_cap_series_kw=member.import_cap_series_kw,
        export_cap_kw=member.export_limit_kw,
        feed_in_eur_per_kwh=fp,
        netting_eur_per_kwh=netting,
        co2_kg_per_kwh=inputs.co2_kg_per_kwh,
        co2_cap_kg=co2_cap_kg,
        co2_eur_per_kg=inputs.co2_eur_per_kg,
        constant_eur={"energy_tax": tariff.tax_offset_eur},
    )


def hub_time_blocks_kw(members: Sequence[MemberInput], n_t: int) -> FloatArray | None:
    """The hub's import limit per interval when a member has a time-block transport right:
    the sum over the members of their limit (the right's schedule, else the contract), so
    that pooling never lets the group import more than its members' rights together in a
    block; ``None`` when no member has one. [kW]"""
    if all(m.import_cap_series_kw is None for m in members):
        return None
    total = np.zeros(n_t)
    for m in members:
        if m.import_cap_series_kw is not None:
            total += np.asarray(m.import_cap_series_kw, dtype=float)
        else:
            total += float(m.contracted_kw or m.import_limit_kw or 0.0)
    return total


def hub_problem(
    members: Sequence[MemberInput],
    tariffs: dict[str, MemberTariff],
    inputs: ParkSizingInputs,
    refdata: RefData,
    *,
    axes: dict[str, Any] | None = None,
    co2_cap_kg: float | None = None,
) -> tuple[SiteProblem, str]:
    """The sizing LP of an energy hub (GTO) and the group's tariff category."""
    sp, fp = _prices(inputs, refdata)
    ax = axes or _axes(inputs)
    year = inputs.year
    # import classes: members with the same marginal price collapse
    groups: dict[tuple[float, float], list[MemberInput]] = {}
    for m in members:
        t = tariffs[m.id]
        groups.setdefault(
            (round(t.tax_eur_per_kwh, 9), round(t.transport_eur_per_kwh, 9)), []
        ).append(m)
    # members import at most their own demand (kWh, tax and supply stay per connection);
    # grid energy for the shared battery is metered at the member with the highest marginal
    # price, so that no class can buy for another at a lower rate
    classes = [
        ImportClass(
            f"class{k}",
            np.sum([net_demand(m) for m in ms], axis=0),
            sp,
            key[0],
            key[1],
            tuple(m.id for m in ms),
            host=False,
        )
        for k, (key, ms) in enumerate(sorted(groups.items()))
    ]
    if inputs.batteries:
        host = max(
            members,
            key=lambda m: (
                tariffs[m.id].tax_eur_per_kwh + tariffs[m.id].transport_eur_per_kwh,
                float(np.sum(m.demand_kwh)),
            ),
        )
        t_h = tariffs[host.id]
        classes.append(
            ImportClass(
                "battery",
                np.zeros(len(inputs.index)),
                sp,
                t_h.tax_eur_per_kwh,
                t_h.transport_eur_per_kwh,
                (host.id,),
                host=True,
            )
        )
    cats = [tariffs[m.id].category for m in members]
    gcat = group_category(cats)
    factor = refdata.value("gto.correction_factor", year)
    fb = inputs.fallback_operator
    kc = grid_tariff(inputs.operator, gcat, "kw_contract_eur_per_kw_month", year, refdata,
                     fallback_operator=fb)  # fmt: skip
    km = grid_tariff(inputs.operator, gcat, "kw_max_eur_per_kw_month", year, refdata,
                     fallback_operator=fb)  # fmt: skip
    kc_v = _require(kc.value, kc.key, year)
    km_v = _require(km.value, km.key, year)
    constants = {"energy_tax": float(sum(tariffs[m.id].tax_offset_eur for m in members))}
    # MS/LS surcharge (art. 3.7.19): from the members' baseline peaks (a constant here)
    a3 = [m for m in members if tariffs[m.id].category == "MS/LS"]
    if a3 and gcat == "MS" and refdata.value("gto.msls_surcharge", year) == 1.0:
        kc_a3 = grid_tariff(inputs.operator, "MS/LS", "kw_contract_eur_per_kw_month", year,
                            refdata, fallback_operator=fb)  # fmt: skip
        kc_a3_v = _require(kc_a3.value, kc_a3.key, year)
        pt, pm = (np.asarray(a) for a in ax["peak_pairs"])
        peaks = np.zeros((len(a3), ax["n_months"]))
        for r, m in enumerate(a3):
            np.maximum.at(peaks[r], pm, net_demand(m).clip(min=0)[pt] / inputs.interval_h)
        constants["transport.msls_surcharge"] = (kc_a3_v - kc_v) * float(peaks.sum())
    contracts = [float(m.contracted_kw or 0.0) for m in members]
    exp_caps = [m.export_limit_kw for m in members]
    group_fin = inputs.group_feed_in_kw
    if group_fin is None and all(v is not None for v in exp_caps):
        group_fin = float(sum(v for v in exp_caps if v is not None))
    caps = [v for v in (group_fin, inputs.available_export_kw) if v is not None]
    problem = SiteProblem(
        name="hub",
        interval_h=inputs.interval_h,
        weights=ax["weights"],
        peak_pairs=ax["peak_pairs"],
        n_months=ax["n_months"],
        prev=ax["prev"],
        classes=classes,
        profiles=inputs.profiles,
        pv=_pv_options(members, inputs.costs, "hub"),
        battery=inputs.costs.battery_option() if inputs.batteries else None,
        contract_eur_per_kw_month=factor * kc_v,
        kw_max_eur_per_kw_month=factor * km_v,
        contract_kw=None,
        contract_max_kw=float(sum(contracts)),
        contract_months=ax["contract_months"],
        import_cap_kw=inputs.available_import_kw,
        import_cap_label="park",
        import_cap_series_kw=hub_time_blocks_kw(members, len(inputs.index)),
        export_cap_kw=min(caps) if caps else None,
        feed_in_eur_per_kwh=fp,
        co2_kg_per_kwh=inputs.co2_kg_per_kwh,
        co2_cap_kg=co2_cap_kg,
        co2_eur_per_kg=inputs.co2_eur_per_kg,
        constant_eur=constants,
    )
    return problem, gcat


# --------------------------------------------------------------------------------------
# solving with bracket verification
# --------------------------------------------------------------------------------------


def _allocate(
    sol: SiteSolution, problem: SiteProblem, members: Sequence[MemberInput]
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """Split a site's class offtake and feed-in over its members.

    Offtake of a class goes to its members in proportion to their positive net demand (any
    split has the same cost: prices are equal within a class); feed-in in proportion to
    each member's PV (existing and added), else evenly.
    """
    imp: dict[str, FloatArray] = {}
    for c, (mids, share) in enumerate(_class_shares(problem, members)):
        for j, i in enumerate(mids):
            imp[i] = imp.get(i, 0.0) + sol.import_kwh[c] * share[j]
    pv_w = np.zeros(len(members))
    for j, m in enumerate(members):
        pv_w[j] = float(m.existing_pv_kwh.sum()) if m.existing_pv_kwh is not None else 0.0
    for k, o in enumerate(problem.pv):
        head = sum(r[2] for r in o.roofs)
        if head <= 0:
            continue
        prof_sum = float(problem.profiles[o.profile].sum())
        for cid, _, h_kwp, _ in o.roofs:
            j = next(jj for jj, m in enumerate(members) if m.id == cid)
            pv_w[j] += sol.pv_kwp[k] * h_kwp / head * prof_sum
    share = pv_w / pv_w.sum() if pv_w.sum() > 0 else np.full(len(members), 1 / len(members))
    exp_total = sol.export_kwh + sol.netted_export_kwh
    exp = {m.id: exp_total * share[j] for j, m in enumerate(members)}
    return imp, exp


def _pv_per_roof(sol: SiteSolution, problem: SiteProblem, members: Sequence[MemberInput]):
    out = {m.id: [0.0] * len(m.roofs) for m in members}
    pos = {m.id: {r.index: k for k, r in enumerate(m.roofs)} for m in members}
    for k, o in enumerate(problem.pv):
        head = sum(r[2] for r in o.roofs)
        if head <= 0:
            continue
        for cid, ridx, h_kwp, _ in o.roofs:
            out[cid][pos[cid][ridx]] = float(sol.pv_kwp[k]) * h_kwp / head
    return out


def _taxable(
    member: MemberInput, tariff: MemberTariff, imp: FloatArray, exp: FloatArray, w: FloatArray
) -> float:
    off = float(np.sum(w * imp))
    if tariff.netting:
        return max(off - float(np.sum(w * exp)), 0.0)
    return off


def solve_with_brackets(
    members: Sequence[MemberInput],
    inputs: ParkSizingInputs,
    refdata: RefData,
    *,
    hub: bool,
    axes: dict[str, Any] | None = None,
    co2_cap_kg: float | None = None,
    options: dict[str, Any] | None = None,
    on_step: Callable[[str], None] | None = None,
    lang: str = "nl",
) -> SiteResult:
    """Solve a site, verify each connection's energy-tax bracket afterwards and solve again
    (at most :data:`MAX_BRACKET_ITERATIONS` times) while one changed.

    ``on_step(label)``, when given, is called before each re-solve (label in words).

    Raises
    ------
    InfeasibleError
        No configuration meets the limits (the message says which and by how much).
    UnknownValueError
        A figure the LP needs is unknown for the year (the key is named).
    """
    ax = axes or _axes(inputs)
    kw = {"operator": inputs.operator, "year": inputs.year, "refdata": refdata,
          "fallback_operator": inputs.fallback_operator}  # fmt: skip
    tariffs = {}
    for m in members:
        off, fin = baseline_offtake_kwh(m, ax["weights"])
        t0 = member_tariff(m, off, **kw)
        if t0.netting:
            t0 = member_tariff(m, max(off - fin, 0.0), **kw)
        tariffs[m.id] = t0
    uppers = [b.upper for b in energy_tax_brackets("electricity", inputs.year, refdata)]

    def once(tar: dict[str, MemberTariff], rows: list | None = None, strict: bool = True):
        if hub:
            problem, cat = hub_problem(members, tar, inputs, refdata, axes=ax,
                                       co2_cap_kg=co2_cap_kg)  # fmt: skip
        else:
            (m,) = members
            problem = alone_problem(m, tar[m.id], inputs, refdata, axes=ax,
                                    co2_cap_kg=co2_cap_kg)  # fmt: skip
            cat = tar[m.id].category
        if rows:
            problem.volume_rows = rows(problem)
        sol = solve_site(problem, options)
        if sol.status != "optimal":
            if not strict:
                return None
            raise explain_infeasible(problem, sol, options)
        _untie(sol, problem)
        imp, exp = _allocate(sol, problem, members)
        changed = []
        for m in members:
            t = tar[m.id]
            taxable = _taxable(m, t, imp[m.id], exp[m.id], problem.weights)
            new = bracket_of(taxable, uppers)
            if new != t.bracket:
                changed.append({"company": m.id, "from": t.bracket, "to": new,
                                "offtake_kwh": taxable})  # fmt: skip
        return problem, cat, sol, imp, exp, changed

    base = dict(tariffs)
    problem, cat, sol, imp, exp, changed = once(tariffs)
    changes: list[dict[str, Any]] = []
    it = 1
    first = changed
    site_name = "hub" if hub else members[0].id
    while changed and it < MAX_BRACKET_ITERATIONS:
        if on_step is not None:
            moved = ", ".join(f"{c['company']} {c['from']}→{c['to']}" for c in changed)
            on_step(_say(lang, f"{site_name}: schijf energiebelasting veranderd ({moved}),"
                               f" opnieuw oplossen (ronde {it + 1})",
                         f"{site_name}: energy-tax bracket changed ({moved}), solving again"
                         f" (round {it + 1})"))  # fmt: skip
        for c in changed:
            c["iteration"] = it
            tariffs[c["company"]] = member_tariff(
                next(m for m in members if m.id == c["company"]), c["offtake_kwh"],
                bracket=c["to"], **kw,
            )  # fmt: skip
        changes.extend(changed)
        it += 1
        problem, cat, sol, imp, exp, changed = once(tariffs)
    if first:
        # energy tax is concave: the other candidate keeps the companies whose bracket
        # changed inside their baseline bracket; the cheaper consistent solution wins
        ids = [c["company"] for c in first if not base[c["company"]].netting]
        if on_step is not None:
            on_step(_say(lang, f"{site_name}: tweede kandidaat, de oude schijven vasthouden",
                         f"{site_name}: second candidate, keeping the old brackets"))  # fmt: skip
        stay = once(base, lambda pr: _stay_rows(pr, members, base, ids, uppers), strict=False)
        if stay is not None and not stay[5] and (changed or stay[2].objective_eur
                                                  < sol.objective_eur - 1e-6):  # fmt: skip
            problem, cat, sol, imp, exp, _ = stay
            tariffs = base
            changes.append({"company": ",".join(ids), "kept_baseline_brackets": True,
                            "iteration": it + 1})  # fmt: skip
            it += 1
    return SiteResult(
        name=problem.name,
        members=[m.id for m in members],
        solution=sol,
        pv_added_kwp=_pv_per_roof(sol, problem, members),
        member_import_kwh=imp,
        member_export_kwh=exp,
        tariffs=tariffs,
        category=cat,
        iterations=it,
        bracket_changes=changes,
    )


def _untie(sol: SiteSolution, problem: SiteProblem) -> None:
    """Move offtake that the LP booked on the battery's class to member classes with the same
    price, up to their own demand: cost-neutral (equal prices) and it makes each member's
    offtake, and so its energy-tax bracket, what it really consumed."""
    n_t = len(problem.weights)
    for b, cb in enumerate(problem.classes):
        if not (cb.host and not cb.demand_kwh.any()):
            continue
        pb = cb.price(n_t)
        for c, cc in enumerate(problem.classes):
            if c == b or cc.host or not np.allclose(cc.price(n_t), pb, rtol=0, atol=1e-12):
                continue
            room = (np.maximum(cc.demand_kwh, 0.0) - sol.import_kwh[c]).clip(min=0.0)
            move = np.minimum(sol.import_kwh[b], room)
            sol.import_kwh[c] += move
            sol.import_kwh[b] -= move


def _class_shares(
    problem: SiteProblem, members: Sequence[MemberInput]
) -> list[tuple[tuple[str, ...], FloatArray]]:
    """Per class: its member ids and each member's share of the class offtake per interval
    (in proportion to positive net demand; a battery class: all to its host)."""
    by_id = {m.id: m for m in members}
    out = []
    for cl in problem.classes:
        pos = np.vstack([net_demand(by_id[i]).clip(min=0) for i in cl.members])
        if cl.host and not cl.demand_kwh.any():
            pos = np.ones_like(pos)  # the battery's grid energy: metered at its host
        tot = pos.sum(axis=0)
        share = np.where(tot > 0, pos / np.where(tot > 0, tot, 1.0), 1.0 / len(cl.members))
        out.append((cl.members, share))
    return out


def _stay_rows(
    problem: SiteProblem,
    members: Sequence[MemberInput],
    tariffs: dict[str, MemberTariff],
    ids: Sequence[str],
    uppers: Sequence[float],
) -> list[tuple[list[tuple[int, FloatArray]], float, float]]:
    """Rows that keep each company in ``ids`` inside its energy-tax bracket."""
    shares = _class_shares(problem, members)
    rows = []
    for cid in ids:
        b = tariffs[cid].bracket
        lo = 0.0 if b == 1 else float(uppers[b - 2])
        hi = float(uppers[b - 1])
        terms = [
            (c, problem.weights * share[list(mids).index(cid)])
            for c, (mids, share) in enumerate(shares)
            if cid in mids
        ]
        rows.append((terms, lo, hi if np.isfinite(hi) else np.inf))
    return rows


def explain_infeasible(
    problem: SiteProblem, sol: SiteSolution, options: dict[str, Any] | None = None
) -> InfeasibleError:
    """Why a site is infeasible, in words: solve again with unserved demand at a penalty and
    report which limit binds, how often and by how much."""
    n_t = len(problem.weights)
    h = problem.interval_h
    if problem.co2_cap_kg is not None:
        relaxed = replace(problem, co2_cap_kg=None)
        probe = solve_site(relaxed, options)
        if probe.status == "optimal":
            t = problem.co2_cap_kg / 1000.0
            return InfeasibleError(
                f"{problem.name}: het CO2-plafond van {t:.1f} ton per jaar is niet haalbaar met"
                f" de toegestane maatregelen (zonder plafond: {probe.co2_kg / 1000:.1f} ton).",
                f"{problem.name}: the CO2 cap of {t:.1f} tonnes per year cannot be met with the"
                f" allowed measures (without the cap: {probe.co2_kg / 1000:.1f} tonnes).",
                {"site": problem.name, "binding": "co2_cap", "cap_t": t,
                 "without_cap_t": probe.co2_kg / 1000.0},
            )  # fmt: skip
    max_price = max(float(np.max(cl.price(n_t))) for cl in problem.classes)
    penalty = 1000.0 * max(max_price, 1.0)
    el = solve_site(problem, options, elastic=True, shortfall_eur_per_kwh=penalty)
    short = el.shortfall_kwh if el.shortfall_kwh is not None else np.zeros(n_t)
    kw_short = short / h
    hours = float(np.sum(problem.weights * (short > 1e-6))) * h
    kwh = float(np.sum(problem.weights * short))
    worst = float(kw_short.max()) if kw_short.size else 0.0
    cap = problem.import_cap_kw
    limit_nl, limit_en = {
        "contract": ("het gecontracteerd vermogen", "the contracted capacity"),
        "fuse": ("de aansluitwaarde (zekering)", "the connection's fuse"),
        "park": ("de capaciteit die de netbeheerder het park kan bieden",
                 "the capacity the grid operator can offer the park"),
    }.get(problem.import_cap_label, ("de importgrens", "the import limit"))  # fmt: skip
    if problem.import_cap_series_kw is not None:
        limit_nl += " en het tijdblok-transportrecht"
        limit_en += " and the time-block transport right"
    cap_txt = f"{cap:,.0f} kW".replace(",", ".") if cap is not None else "?"
    details = {
        "site": problem.name,
        "binding": problem.import_cap_label or "import",
        "limit_kw": cap,
        "shortfall_max_kw": worst,
        "shortfall_hours": hours,
        "shortfall_kwh": kwh,
        "status": sol.status,
    }
    nl = (
        f"{problem.name}: niet haalbaar. De vraag past niet onder {limit_nl} ({cap_txt}),"
        f" ook niet met opslag en zon: in {hours:,.0f} uur ontbreekt tot {worst:,.0f} kW"
        f" ({kwh:,.0f} kWh per jaar)."
    ).replace(",", ".")
    en = (
        f"{problem.name}: infeasible. Demand does not fit under {limit_en} ({cap} kW), not even"
        f" with storage and solar: in {hours:,.0f} hours up to {worst:,.0f} kW is missing"
        f" ({kwh:,.0f} kWh per year)."
    )
    return InfeasibleError(nl, en, details)


def hub_member_ids(inputs: ParkSizingInputs) -> list[str]:
    """Companies that can join the hub: grootverbruik with a contracted capacity."""
    allowed = set(inputs.hub_members) if inputs.hub_members is not None else None
    return [
        m.id
        for m in inputs.members
        if m.kind == "grootverbruik"
        and m.contracted_kw is not None
        and (allowed is None or m.id in allowed)
    ]


def _co2_share(
    inputs: ParkSizingInputs, ids: Sequence[str], weights: FloatArray | None = None
) -> float | None:
    if inputs.co2_cap_kg is None:
        return None
    base = {m.id: baseline_offtake_kwh(m, weights)[0] for m in inputs.members}
    total = sum(base.values())
    return inputs.co2_cap_kg * (sum(base[i] for i in ids) / total if total else 0.0)


def optimize_park(
    inputs: ParkSizingInputs,
    refdata: RefData,
    *,
    together: bool = True,
    axes: dict[str, Any] | None = None,
    options: dict[str, Any] | None = None,
    progress: Progress | None = None,
    lang: str = "nl",
) -> ParkOptimum:
    """Size PV, batteries and the group capacity for every company alone and for the hub.

    Parameters
    ----------
    inputs : ParkSizingInputs
        The park as arrays.
    refdata : RefData
        Reference data with the park's overrides (tariffs, taxes, GTO rules).
    together : bool
        Also solve the hub (when at least two companies can join).
    axes : dict, optional
        Weights, peak pairs and battery predecessors (typical periods); default a full year.
    options : dict, optional
        HiGHS options.
    progress : callable, optional
        ``progress(fraction, label)`` (see :data:`Progress`): called before each LP (the
        baseline brackets, each company alone, the hub) and before each bracket re-solve,
        and with 1.0 at the end. Each LP counts as one step, the hub as two.
    lang : str
        Language of the progress labels.

    Returns
    -------
    ParkOptimum
        Per company alone, the hub, and the value of cooperation.
    """
    t0 = time.perf_counter()
    w = None if axes is None else axes["weights"]
    ids = hub_member_ids(inputs)
    with_hub = together and len(ids) >= 2
    n_steps = len(inputs.members) + (2 if with_hub else 0)
    done = [0.0]

    def report(label: str) -> None:
        if progress is not None:
            progress(min(done[0] / n_steps, 1.0) if n_steps else 0.0, label)

    report(_say(lang, "Basis: schijven energiebelasting uit de huidige afname",
                "Baseline: energy-tax brackets from today's offtake"))  # fmt: skip
    alone: dict[str, SiteResult] = {}
    for k, m in enumerate(inputs.members, start=1):
        report(_say(lang, f"Bedrijf {m.id} apart ({k}/{len(inputs.members)})",
                    f"Company {m.id} alone ({k}/{len(inputs.members)})"))  # fmt: skip
        alone[m.id] = solve_with_brackets(
            [m], inputs, refdata, hub=False, axes=axes, co2_cap_kg=_co2_share(inputs, [m.id], w),
            options=options, on_step=report, lang=lang,
        )  # fmt: skip
        done[0] += 1.0
    hub = None
    outside = [m.id for m in inputs.members if m.id not in ids]
    if with_hub:
        members = [m for m in inputs.members if m.id in ids]
        report(_say(lang, f"Energiehub samen ({len(members)} leden)",
                    f"Energy hub together ({len(members)} members)"))  # fmt: skip
        hub = solve_with_brackets(
            members, inputs, refdata, hub=True, axes=axes, co2_cap_kg=_co2_share(inputs, ids, w),
            options=options, on_step=report, lang=lang,
        )  # fmt: skip
        done[0] += 2.0
    else:
        outside = [m.id for m in inputs.members]
    report(_say(lang, "Optimalisatie klaar", "Optimisation done"))
    minutes = round(inputs.interval_h * 60)
    return ParkOptimum(alone, hub, outside, time.perf_counter() - t0, minutes)


def coalition_cost_eur(
    inputs: ParkSizingInputs,
    refdata: RefData,
    coalition: Sequence[str],
    options: dict[str, Any] | None = None,
) -> float:
    """Optimal annual cost of ``coalition`` as one hub (a single member: alone). [EUR/yr]

    ``value(S) = sum of alone costs - coalition_cost(S)`` is the game of
    :mod:`parkplan.economics.allocation`; each value is one LP.
    """
    members = [m for m in inputs.members if m.id in set(coalition)]
    if not members:
        return 0.0
    return solve_with_brackets(
        members, inputs, refdata, hub=len(members) > 1, options=options
    ).objective_eur


def lp_size_total(opt: ParkOptimum) -> LpSize:
    """Total rows, columns and non-zeros of every LP solved last."""
    sites = [*opt.alone.values(), *([opt.hub] if opt.hub else [])]
    return LpSize(
        sum(s.solution.size.rows for s in sites),
        sum(s.solution.size.cols for s in sites),
        sum(s.solution.size.nnz for s in sites),
    )
