"""The sizing linear programme of one site, built as a sparse matrix and solved with HiGHS.

A *site* is what shares one energy balance: one company alone, or the pool of an energy hub
(GTO) whose members' flows collapse into import classes (see :mod:`parkplan.optimize.sizing`).

Variables (all continuous, energy per interval in kWh, sizes in kW / kWh / kWp):

- ``P_k``      PV size of option k (a roof, or a group of roofs of one orientation) [kWp]
- ``E``, ``B`` battery capacity [kWh] and power [kW]
- ``C``        contracted capacity [kW] (a decision for a GTO group; otherwise fixed)
- ``M_m``      highest interval power of billing month m [kW]
- ``imp_c(t)`` offtake of import class c (members with the same marginal price) [kWh]
- ``exp(t)``   feed-in [kWh]; ``expn(t)`` the net-metered part (kleinverbruik until 2027) or,
  when the netting and feed-in prices differ by the same amount in every interval (flat
  prices), one column ``N``: the netted kWh of the year, ``N <= sum w exp``, valued at that
  difference (no parallel column per interval: the simplex was 20x slower with them)
- ``ch(t)``, ``dis(t)``, ``soc(t)`` battery charge, discharge, stored energy [kWh]

Rows, per interval t (weights ``w(t)`` count how many real intervals t stands for):

- balance  ``sum_k prof_k(t) P_k + sum_c imp_c(t) - exp(t) + dis(t) - ch(t) >= D(t)``
  (the surplus is curtailed PV: curtailment is a choice)
- peak     ``sum_c imp_c(t) - exp(t) - h M_m <= 0`` for each (t, m) pair: M_m is the monthly
  kWmax, exact because M_m has a positive price (or a cap) and the LP minimises
- battery  ``soc(t) - soc(prev t) - eta_c ch(t) + dis(t) / eta_d = 0``, ``soc(t) <= window E``,
  ``ch(t) + dis(t) <= h B``
- caps     ``M_m <= C`` (contract), ``M_m <= cap`` (operator), time-block rows where a
  non-firm right is lower, ``exp(t) <= h export cap`` (a bound), CO2 cap (one row)

The peak, state-of-charge-cap and battery-power rows are generated: see :func:`solve_site`.

Objective: annual costs of PV and battery (annuity + O&M), ``kc x months x C``,
``km x sum_m M_m``, ``sum w (price_c + CO2 price) imp_c`` - ``sum w feed-in exp`` + constants.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from parkplan.domain.errors import ParkplanError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

DEFAULT_HIGHS_OPTIONS: dict[str, Any] = {
    "solver": "simplex",
    "simplex_strategy": 1,
    "simplex_dual_edge_weight_strategy": 1,
    "presolve": "on",
    "output_flag": False,
    "threads": 1,
}
"""HiGHS options used by default: dual simplex with Devex pricing, one thread. On the
year-long sizing LP of the bench hub it needed 4.8 - 6 s CPU against 8 - 9 s for the primal
simplex, 8.5 s for the dual simplex with its default (dual steepest edge) pricing and 9.7 s
for the interior point (IPX, no crossover); and after rows are added (see
:func:`solve_site`) the dual simplex continues from the optimal basis. It gives a vertex
(exact zeros for sizes not built); see docs/performance.md. The bench passes the same
options to PyPSA."""

LAZY_MIN_INTERVALS = 1000
"""From this many intervals on, :func:`solve_site` adds the peak, state-of-charge-cap and
battery-power rows only where they bind (row generation); smaller LPs are solved whole."""
LAZY_PEAK_SHARE = 0.1
"""Share of the intervals of each billing month (those with the highest demand) whose peak
row is in the first solve. [-]"""
LAZY_STEP_H = 24.0
"""Spacing of the state-of-charge-cap and battery-power rows in the first solve. [h]"""
LAZY_MAX_ROUNDS = 20
"""After this many solves every remaining row is added (the whole LP)."""


class OptimizeError(ParkplanError):
    """The sizing problem cannot be built or solved (Dutch and English message)."""


@dataclass
class ImportClass:
    """Offtake of members that share one marginal price per kWh."""

    name: str
    demand_kwh: FloatArray
    """Demand on site of the class per interval. [kWh]"""
    supply_eur_per_kwh: FloatArray | float
    """Supply price (flat or per interval). [EUR/kWh]"""
    tax_eur_per_kwh: float
    """Marginal energy-tax rate (the bracket fixed for this solve). [EUR/kWh]"""
    transport_eur_per_kwh: float = 0.0
    """Usage-dependent transport tariff. [EUR/kWh]"""
    members: tuple[str, ...] = ()
    host: bool = True
    """The class may import more than its own demand (it hosts the battery's grid charging).
    Other classes import at most their demand: kWh, tax and supply stay per connection, so
    one class cannot buy for another at its lower rate."""

    def price(self, n: int) -> FloatArray:
        """Marginal cost of one kWh of offtake per interval. [EUR/kWh]"""
        return (
            np.broadcast_to(np.asarray(self.supply_eur_per_kwh, dtype=float), (n,))
            + self.tax_eur_per_kwh
            + self.transport_eur_per_kwh
        )


@dataclass
class PvOption:
    """PV that may be built: one roof or a group of roofs with one profile and one price."""

    name: str
    profile: int
    """Row of the profile matrix (kWh per kWp per interval)."""
    max_kwp: float
    """Usable area x module density (at least the existing PV). [kWp]"""
    existing_kwp: float
    annual_eur_per_kwp: float
    """Annuity of the investment plus O&M per year. [EUR/kWp/yr]"""
    roofs: tuple[tuple[str, int, float, float], ...] = ()
    """The roofs behind the option: (company id, roof index, max kWp, existing kWp)."""


@dataclass
class BatteryOption:
    """A battery that may be built (sizes are decisions)."""

    annual_eur_per_kwh: float
    annual_eur_per_kw: float
    eta_charge: float
    eta_discharge: float
    soc_window_fraction: float
    """Usable share of the nameplate capacity (soc_max - soc_min). [-]"""
    max_kwh: float = float("inf")


@dataclass
class SiteProblem:
    """Everything one sizing LP needs, as arrays on one time axis."""

    name: str
    interval_h: float
    weights: FloatArray
    """How many real intervals each interval stands for (1 for a full year). [-]"""
    peak_pairs: tuple[IntArray, IntArray]
    """(interval, billing month) pairs: M_m >= power of the interval."""
    n_months: int
    prev: IntArray
    """Previous interval for the battery balance (cyclic)."""
    classes: list[ImportClass]
    profiles: FloatArray
    """PV profiles, profiles x intervals. [kWh/kWp]"""
    pv: list[PvOption] = field(default_factory=list)
    battery: BatteryOption | None = None
    contract_eur_per_kw_month: float = 0.0
    kw_max_eur_per_kw_month: float = 0.0
    contract_kw: float | None = None
    """Fixed contracted capacity; ``None`` makes it a decision up to ``contract_max_kw``."""
    contract_max_kw: float | None = None
    contract_months: int = 12
    import_cap_kw: float | None = None
    import_cap_label: str = ""
    import_cap_series_kw: FloatArray | None = None
    export_cap_kw: float | None = None
    feed_in_eur_per_kwh: FloatArray | float = 0.0
    netting_eur_per_kwh: FloatArray | float | None = None
    """Value of net-metered feed-in (supply + tax); ``None``: no net metering."""
    co2_kg_per_kwh: float = 0.0
    co2_cap_kg: float | None = None
    co2_eur_per_kg: float = 0.0
    constant_eur: dict[str, float] = field(default_factory=dict)
    """Costs no decision changes (e.g. energy-tax offsets), by cost line. [EUR/yr]"""
    volume_rows: list[tuple[list[tuple[int, FloatArray]], float, float]] = field(
        default_factory=list
    )
    """Extra rows ``lo <= sum_c sum_t coef_c(t) imp_c(t) <= hi`` (e.g. keep one connection's
    annual offtake inside its energy-tax bracket): (class index, coefficients) pairs."""


@dataclass
class LpSize:
    """Size of a linear programme."""

    rows: int
    cols: int
    nnz: int

    def to_dict(self) -> dict[str, int]:
        """JSON-ready form."""
        return {"rows": self.rows, "cols": self.cols, "nnz": self.nnz}


@dataclass
class SiteSolution:
    """The optimum of one site."""

    name: str
    status: str
    objective_eur: float
    costs_eur: dict[str, float]
    pv_kwp: FloatArray
    battery_kwh: float
    battery_kw: float
    contract_kw: float
    monthly_max_kw: FloatArray
    import_kwh: FloatArray
    """Offtake per class and interval. [kWh]"""
    export_kwh: FloatArray
    netted_export_kwh: FloatArray
    charge_kwh: FloatArray
    discharge_kwh: FloatArray
    soc_kwh: FloatArray
    pv_kwh: FloatArray
    curtailed_kwh: FloatArray
    co2_kg: float
    seconds: dict[str, float]
    size: LpSize
    shortfall_kwh: FloatArray | None = None
    rows_solved: int = 0
    """Rows in the last solve (fewer than ``size.rows`` with row generation)."""
    rounds: int = 1
    """Number of HiGHS runs (row generation adds violated rows and runs again)."""


@dataclass
class _Cols:
    n_pv: int
    has_bat: bool
    has_c: bool
    n_m: int
    n_cls: int
    n_t: int
    netting: bool
    elastic: bool
    chain: bool = False
    netting_folded: bool = False
    """Net metering as one annual column N (see :func:`_assemble`), not one per interval."""

    def __post_init__(self) -> None:
        o = 0
        self.pv = o
        o += self.n_pv
        self.e = o if self.has_bat else -1
        self.b = o + 1 if self.has_bat else -1
        o += 2 if self.has_bat else 0
        self.c = o if self.has_c else -1
        o += 1 if self.has_c else 0
        self.m = o
        o += self.n_m
        self.imp = o
        o += self.n_cls * self.n_t
        self.exp = o
        o += self.n_t
        self.expn = o if self.netting else -1
        o += (1 if self.netting_folded else self.n_t) if self.netting else 0
        self.ch = o if self.has_bat else -1
        self.dis = o + self.n_t if self.has_bat else -1
        self.soc = o + 2 * self.n_t if self.has_bat else -1
        o += 3 * self.n_t if self.has_bat else 0
        self.slack = o if self.elastic else -1
        o += self.n_t if self.elastic else 0
        # chained copies of the size variables: keep every column sparse (interior point)
        self.pvc = o if self.chain else -1
        o += self.n_pv * self.n_t if self.chain else 0
        self.ec = o if self.chain and self.has_bat else -1
        self.bc = o + self.n_t if self.chain and self.has_bat else -1
        o += 2 * self.n_t if self.chain and self.has_bat else 0
        self.n = o


def _validate(p: SiteProblem) -> None:
    n_t = len(p.weights)
    for c in p.classes:
        if c.demand_kwh.shape != (n_t,):
            raise OptimizeError(
                f"{p.name}: vraag van klasse {c.name} heeft {c.demand_kwh.shape} waarden,"
                f" verwacht {n_t}",
                f"{p.name}: demand of class {c.name} has shape {c.demand_kwh.shape},"
                f" expected {n_t}",
            )
    if not p.classes:
        raise OptimizeError(f"{p.name}: geen afnemers", f"{p.name}: no consumers")
    for o in p.pv:
        if o.max_kwp < o.existing_kwp - 1e-9:
            raise OptimizeError(
                f"{p.name}: dak {o.name} heeft al {o.existing_kwp:g} kWp, meer dan de"
                f" {o.max_kwp:g} kWp die erop past",
                f"{p.name}: roof {o.name} already has {o.existing_kwp:g} kWp, more than the"
                f" {o.max_kwp:g} kWp that fit",
            )


@dataclass
class _Parts:
    """The arrays of a site LP before they go to HiGHS."""

    cost: FloatArray
    lo: FloatArray
    hi: FloatArray
    a: sp.csc_matrix
    row_lo: FloatArray
    row_hi: FloatArray
    cols: _Cols
    blocks: dict[str, slice]


def _highs_lp(parts: _Parts, rows: IntArray | None = None) -> Any:
    """A ``HighsLp`` (column-wise matrix) of all rows or of the given rows."""
    import highspy

    a = parts.a if rows is None else parts.a[rows]
    a = sp.csc_matrix(a)
    lp = highspy.HighsLp()
    lp.num_col_ = a.shape[1]
    lp.num_row_ = a.shape[0]
    lp.col_cost_ = parts.cost
    lp.col_lower_ = parts.lo
    lp.col_upper_ = parts.hi
    lp.row_lower_ = parts.row_lo if rows is None else parts.row_lo[rows]
    lp.row_upper_ = parts.row_hi if rows is None else parts.row_hi[rows]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data
    return lp


def build_matrix(
    p: SiteProblem,
    *,
    elastic: bool = False,
    shortfall_eur_per_kwh: float = 0.0,
    chain: bool = False,
) -> tuple[Any, _Cols, dict[str, slice]]:
    """The HiGHS LP of a site (all rows) and its column layout.

    Parameters: see :func:`_assemble`.
    """
    parts = _assemble(p, elastic=elastic, shortfall_eur_per_kwh=shortfall_eur_per_kwh, chain=chain)
    return _highs_lp(parts), parts.cols, parts.blocks


def _assemble(
    p: SiteProblem,
    *,
    elastic: bool = False,
    shortfall_eur_per_kwh: float = 0.0,
    chain: bool = False,
) -> _Parts:
    """The arrays of the LP of a site and its column layout.

    Parameters
    ----------
    p : SiteProblem
        The site.
    elastic : bool
        Add a shortfall column per interval (unserved demand) priced at
        ``shortfall_eur_per_kwh``: used to explain an infeasible problem.
    chain : bool
        Replace each size variable (PV kWp, battery kWh and kW) where it appears in every
        interval by a chain of copies ``x(t) = x(t-1)``, ``x(0) = X``: no dense columns, but
        twice the rows. Off by default: HiGHS' interior point handles the few dense columns
        itself and was not faster with the chain (docs/performance.md).
    """
    _validate(p)
    n_t = len(p.weights)
    h = p.interval_h
    w = np.asarray(p.weights, dtype=float)
    n_cls = len(p.classes)
    netting = p.netting_eur_per_kwh is not None
    fin = np.broadcast_to(np.asarray(p.feed_in_eur_per_kwh, dtype=float), (n_t,))
    if netting:
        net_v = np.broadcast_to(np.asarray(p.netting_eur_per_kwh, dtype=float), (n_t,))
        folded = bool(n_t) and float(np.ptp(net_v - fin)) < 1e-12
    else:
        net_v, folded = fin, False
    has_c = p.contract_kw is None
    cols = _Cols(
        len(p.pv), p.battery is not None, has_c, p.n_months, n_cls, n_t, netting, elastic, chain,
        netting_folded=folded,
    )  # fmt: skip
    n = cols.n
    t_idx = np.arange(n_t)

    cost = np.zeros(n)
    lo = np.zeros(n)
    hi = np.full(n, np.inf)
    # PV sizes
    for k, o in enumerate(p.pv):
        cost[cols.pv + k] = o.annual_eur_per_kwp
        lo[cols.pv + k] = o.existing_kwp
        hi[cols.pv + k] = o.max_kwp
    if p.battery is not None:
        cost[cols.e] = p.battery.annual_eur_per_kwh
        cost[cols.b] = p.battery.annual_eur_per_kw
        hi[cols.e] = p.battery.max_kwh
    # contract and monthly maxima
    caps = [v for v in (p.import_cap_kw, p.contract_kw) if v is not None]
    m_hi = min(caps) if caps else np.inf
    if has_c:
        cost[cols.c] = p.contract_eur_per_kw_month * p.contract_months
        c_hi = [v for v in (p.contract_max_kw, p.import_cap_kw) if v is not None]
        hi[cols.c] = min(c_hi) if c_hi else np.inf
    cost[cols.m : cols.m + p.n_months] = p.kw_max_eur_per_kw_month
    hi[cols.m : cols.m + p.n_months] = m_hi
    # dispatch
    for c, cl in enumerate(p.classes):
        s = cols.imp + c * n_t
        cost[s : s + n_t] = w * (cl.price(n_t) + p.co2_eur_per_kg * p.co2_kg_per_kwh)
        if not cl.host:
            hi[s : s + n_t] = np.maximum(cl.demand_kwh, 0.0)
    cost[cols.exp : cols.exp + n_t] = -w * fin
    if p.export_cap_kw is not None:
        hi[cols.exp : cols.exp + n_t] = p.export_cap_kw * h
    if folded:
        # N: netted kWh per year, worth (netting - feed-in price) on top of the feed-in price
        cost[cols.expn] = -float(net_v[0] - fin[0])
    elif netting:
        cost[cols.expn : cols.expn + n_t] = -w * net_v
        if p.export_cap_kw is not None:
            hi[cols.expn : cols.expn + n_t] = p.export_cap_kw * h
    if elastic:
        cost[cols.slack : cols.slack + n_t] = w * shortfall_eur_per_kwh

    rows_i: list[IntArray] = []
    cols_j: list[IntArray] = []
    vals: list[FloatArray] = []
    rlo: list[FloatArray] = []
    rhi: list[FloatArray] = []
    r0 = 0
    blocks: dict[str, slice] = {}

    def add(r: IntArray, c: IntArray, v: FloatArray | float) -> None:
        rows_i.append(np.asarray(r, dtype=np.int64))
        cols_j.append(np.asarray(c, dtype=np.int64))
        vals.append(np.broadcast_to(np.asarray(v, dtype=float), np.shape(r)).copy())

    # balance rows
    demand = np.sum([cl.demand_kwh for cl in p.classes], axis=0)
    for k, o in enumerate(p.pv):
        prof = p.profiles[o.profile]
        nz = np.flatnonzero(prof)
        pcol = cols.pvc + k * n_t + nz if chain else np.full(nz.size, cols.pv + k)
        add(r0 + nz, pcol, prof[nz])
    for c in range(n_cls):
        add(r0 + t_idx, cols.imp + c * n_t + t_idx, 1.0)
    add(r0 + t_idx, cols.exp + t_idx, -1.0)
    if netting and not folded:
        add(r0 + t_idx, cols.expn + t_idx, -1.0)
    if p.battery is not None:
        add(r0 + t_idx, cols.dis + t_idx, 1.0)
        add(r0 + t_idx, cols.ch + t_idx, -1.0)
    if elastic:
        add(r0 + t_idx, cols.slack + t_idx, 1.0)
    rlo.append(demand)
    rhi.append(np.full(n_t, np.inf))
    blocks["balance"] = slice(r0, r0 + n_t)
    r0 += n_t

    # peak rows: net power of interval t <= M_m
    pt, pm = (np.asarray(a, dtype=np.int64) for a in p.peak_pairs)
    npairs = pt.size
    rr = r0 + np.arange(npairs)
    for c in range(n_cls):
        add(rr, cols.imp + c * n_t + pt, 1.0)
    add(rr, cols.exp + pt, -1.0)
    if netting and not folded:
        add(rr, cols.expn + pt, -1.0)
    add(rr, cols.m + pm, -h)
    rlo.append(np.full(npairs, -np.inf))
    rhi.append(np.zeros(npairs))
    blocks["peak"] = slice(r0, r0 + npairs)
    r0 += npairs

    if netting and not folded and p.export_cap_kw is not None:
        # feed-in and its net-metered part together under the export cap (folded: exp is all)
        rr = r0 + t_idx
        add(rr, cols.exp + t_idx, 1.0)
        add(rr, cols.expn + t_idx, 1.0)
        rlo.append(np.full(n_t, -np.inf))
        rhi.append(np.full(n_t, p.export_cap_kw * h))
        blocks["export_cap"] = slice(r0, r0 + n_t)
        r0 += n_t

    # time-block caps (non-firm transport rights) where lower than the static cap
    if p.import_cap_series_kw is not None:
        cap = np.asarray(p.import_cap_series_kw, dtype=float)
        tb = np.flatnonzero(cap < m_hi - 1e-9)
        rr = r0 + np.arange(tb.size)
        for c in range(n_cls):
            add(rr, cols.imp + c * n_t + tb, 1.0)
        add(rr, cols.exp + tb, -1.0)
        rlo.append(np.full(tb.size, -np.inf))
        rhi.append(cap[tb] * h)
        blocks["time_block"] = slice(r0, r0 + tb.size)
        r0 += tb.size

    if has_c:
        rr = r0 + np.arange(p.n_months)
        add(rr, cols.m + np.arange(p.n_months), 1.0)
        add(rr, np.full(p.n_months, cols.c), -1.0)
        rlo.append(np.full(p.n_months, -np.inf))
        rhi.append(np.zeros(p.n_months))
        blocks["contract"] = slice(r0, r0 + p.n_months)
        r0 += p.n_months

    if p.battery is not None:
        b = p.battery
        prev = np.asarray(p.prev, dtype=np.int64)
        add(r0 + t_idx, cols.soc + t_idx, 1.0)
        add(r0 + t_idx, cols.soc + prev, -1.0)
        add(r0 + t_idx, cols.ch + t_idx, -b.eta_charge)
        add(r0 + t_idx, cols.dis + t_idx, 1.0 / b.eta_discharge)
        rlo.append(np.zeros(n_t))
        rhi.append(np.zeros(n_t))
        blocks["soc"] = slice(r0, r0 + n_t)
        r0 += n_t
        add(r0 + t_idx, cols.soc + t_idx, 1.0)
        add(r0 + t_idx, cols.ec + t_idx if chain else np.full(n_t, cols.e), -b.soc_window_fraction)
        rlo.append(np.full(n_t, -np.inf))
        rhi.append(np.zeros(n_t))
        blocks["soc_cap"] = slice(r0, r0 + n_t)
        r0 += n_t
        add(r0 + t_idx, cols.ch + t_idx, 1.0)
        add(r0 + t_idx, cols.dis + t_idx, 1.0)
        add(r0 + t_idx, cols.bc + t_idx if chain else np.full(n_t, cols.b), -h)
        rlo.append(np.full(n_t, -np.inf))
        rhi.append(np.zeros(n_t))
        blocks["power"] = slice(r0, r0 + n_t)
        r0 += n_t

    if chain:
        heads = [(cols.pv + k, cols.pvc + k * n_t) for k in range(len(p.pv))]
        if p.battery is not None:
            heads += [(cols.e, cols.ec), (cols.b, cols.bc)]
        for head, first in heads:
            # x(0) - X = 0 ; x(t) - x(t-1) = 0
            add(r0 + t_idx, first + t_idx, 1.0)
            add(np.array([r0]), np.array([head]), -1.0)
            add(r0 + t_idx[1:], first + t_idx[:-1], -1.0)
            rlo.append(np.zeros(n_t))
            rhi.append(np.zeros(n_t))
            r0 += n_t
        lo_hi_copy = [(first, head) for head, first in heads]
        for first, head in lo_hi_copy:
            lo[first : first + n_t] = lo[head]
            hi[first : first + n_t] = hi[head]

    if p.co2_cap_kg is not None:
        for c in range(n_cls):
            add(np.full(n_t, r0), cols.imp + c * n_t + t_idx, w * p.co2_kg_per_kwh)
        rlo.append(np.array([-np.inf]))
        rhi.append(np.array([p.co2_cap_kg]))
        blocks["co2"] = slice(r0, r0 + 1)
        r0 += 1

    if folded:
        # N <= feed-in over the year (exp is then all feed-in, N the netted part of it)
        add(np.full(n_t, r0), cols.exp + t_idx, -w)
        add(np.array([r0]), np.array([cols.expn]), 1.0)
        rlo.append(np.array([-np.inf]))
        rhi.append(np.array([0.0]))
        blocks["netting_feed_in"] = slice(r0, r0 + 1)
        r0 += 1
    if netting:
        # netted feed-in over the year <= offtake over the year
        if folded:
            add(np.array([r0]), np.array([cols.expn]), 1.0)
        else:
            add(np.full(n_t, r0), cols.expn + t_idx, w)
        for c in range(n_cls):
            add(np.full(n_t, r0), cols.imp + c * n_t + t_idx, -w)
        rlo.append(np.array([-np.inf]))
        rhi.append(np.array([0.0]))
        blocks["netting"] = slice(r0, r0 + 1)
        r0 += 1

    for terms, vlo, vhi in p.volume_rows:
        for c, coef_in in terms:
            coef = np.asarray(coef_in, dtype=float)
            nz = np.flatnonzero(coef)
            add(np.full(nz.size, r0), cols.imp + c * n_t + nz, coef[nz])
        rlo.append(np.array([vlo]))
        rhi.append(np.array([vhi]))
        r0 += 1

    a = sp.csc_matrix(
        (np.concatenate(vals), (np.concatenate(rows_i), np.concatenate(cols_j))), shape=(r0, n)
    )
    a.sum_duplicates()
    return _Parts(cost, lo, hi, a, np.concatenate(rlo), np.concatenate(rhi), cols, blocks)


def solve_site(
    p: SiteProblem,
    options: dict[str, Any] | None = None,
    *,
    elastic: bool = False,
    shortfall_eur_per_kwh: float = 0.0,
    chain: bool = False,
    lazy: bool | None = None,
    screen_battery: bool | None = None,
) -> SiteSolution:
    """Build and solve the sizing LP of one site.

    Parameters
    ----------
    p : SiteProblem
        The site.
    options : dict, optional
        HiGHS options; default :data:`DEFAULT_HIGHS_OPTIONS`.
    elastic, shortfall_eur_per_kwh, chain
        See :func:`build_matrix`.
    lazy : bool, optional
        Row generation: the first solve has the monthly-peak rows only for the intervals
        with the highest demand of each month (:data:`LAZY_PEAK_SHARE`) and the
        state-of-charge-cap and battery-power rows once a day (:data:`LAZY_STEP_H`); every
        row the solution violates is then added and HiGHS continues from the optimal basis,
        until no row of the whole LP is violated. The result is the optimum of the whole LP
        (a relaxation whose optimum satisfies every row). Default: on from
        :data:`LAZY_MIN_INTERVALS` intervals.
    screen_battery : bool, optional
        First solve without the battery and price the battery against that solution's
        duals; if no battery has a negative reduced cost, that solution is the optimum of
        the whole LP (battery 0) and the whole LP is not solved. Default: on when the site
        has no kW tariffs to shave (kWmax price 0, fixed contract) and is not elastic; the
        degenerate LPs of small consumers whose battery does not pay then solve several
        times faster.

    Returns
    -------
    SiteSolution
        Status ``optimal`` or ``infeasible`` (sizes then NaN), with build and solve seconds;
        ``size`` is the whole LP, ``rows_solved`` the rows of the last solve.
    """
    import highspy

    t0 = time.perf_counter()
    use_lazy = len(p.weights) >= LAZY_MIN_INTERVALS if lazy is None else lazy
    if screen_battery is None:
        screen_battery = (
            p.kw_max_eur_per_kw_month == 0.0 and p.contract_kw is not None and not elastic
        )
    if screen_battery and p.battery is not None and not chain:
        sol = _without_battery(
            p,
            options,
            use_lazy,
            elastic=elastic,
            shortfall_eur_per_kwh=shortfall_eur_per_kwh,
            t0=t0,
        )
        if sol is not None:
            return sol
    parts = _assemble(p, elastic=elastic, shortfall_eur_per_kwh=shortfall_eur_per_kwh, chain=chain)
    t1 = time.perf_counter()
    hs, status, keep, rounds = _run(p, parts, options, use_lazy)
    t2 = time.perf_counter()
    size = LpSize(parts.a.shape[0], parts.a.shape[1], int(parts.a.nnz))
    ok = status == highspy.HighsModelStatus.kOptimal
    if not ok:
        name = hs.modelStatusToString(status).lower()
        st = "infeasible" if "infeasible" in name else name
        nan = np.full(0, np.nan)
        return SiteSolution(
            p.name, st, float("nan"), {}, np.full(len(p.pv), np.nan), np.nan, np.nan, np.nan,
            nan, nan, nan, nan, nan, nan, nan, nan, nan, float("nan"),
            {"build": t1 - t0, "solve": t2 - t1, "results": 0.0}, size,
            rows_solved=int(keep.sum()), rounds=rounds,
        )  # fmt: skip
    x = np.asarray(hs.getSolution().col_value)
    sol = _extract(p, parts.cols, x, float(hs.getInfo().objective_function_value))
    t3 = time.perf_counter()
    sol.seconds = {"build": t1 - t0, "solve": t2 - t1, "results": t3 - t2}
    sol.size = size
    sol.rows_solved = int(keep.sum())
    sol.rounds = rounds
    return sol


def _run(
    p: SiteProblem, parts: _Parts, options: dict[str, Any] | None, use_lazy: bool
) -> tuple[Any, Any, NDArray[np.bool_], int]:
    """Solve the LP of ``parts`` with HiGHS, with row generation if ``use_lazy``.

    Returns the Highs object, the model status, the mask of the rows in the model and the
    number of runs. The model's first rows are the first solve's rows in index order (so the
    balance rows, always kept, are its first ``n_t`` rows); added rows follow."""
    import highspy

    keep = _first_rows(p, parts) if use_lazy else np.ones(parts.a.shape[0], dtype=bool)
    lp = _highs_lp(parts, np.flatnonzero(keep) if use_lazy else None)
    a_rows = parts.a.tocsr() if use_lazy else None
    hs = new_highs()
    for k, v in (options or DEFAULT_HIGHS_OPTIONS).items():
        hs.setOptionValue(k, v)
    hs.passModel(lp)
    rounds = 0
    while True:
        hs.run()
        rounds += 1
        status = hs.getModelStatus()
        if keep.all() or status == highspy.HighsModelStatus.kInfeasible:
            break  # the whole LP, or a relaxation of it that is already infeasible
        if status == highspy.HighsModelStatus.kOptimal:
            x = np.asarray(hs.getSolution().col_value)
            add = _violated(a_rows, parts, x, keep)
            if add.size == 0:
                break
            if rounds >= LAZY_MAX_ROUNDS:
                add = np.flatnonzero(~keep)
        else:  # unbounded without the omitted rows, or another status: solve the whole LP
            add = np.flatnonzero(~keep)
        keep[add] = True
        sub = a_rows[add]
        hs.addRows(
            add.size, parts.row_lo[add], parts.row_hi[add], sub.nnz,
            sub.indptr.astype(np.int32), sub.indices.astype(np.int32), sub.data,
        )  # fmt: skip
    return hs, status, keep, rounds


def _without_battery(
    p: SiteProblem,
    options: dict[str, Any] | None,
    use_lazy: bool,
    *,
    elastic: bool,
    shortfall_eur_per_kwh: float,
    t0: float,
) -> SiteSolution | None:
    """The optimum with the battery not built, if that is the optimum of the whole LP.

    Solves the LP without the battery, then prices the battery against its dual: the
    battery's columns (E, B, ch, dis, soc) with their rows form a cone, so either some
    battery improves the objective (:func:`_battery_pays`) or the solution without it is
    optimal for the whole LP (its dual, with zero duals for the battery rows extended as
    the pricing LP's dual, is feasible). ``None``: the battery may pay (or the LP without
    it is not optimal); solve the whole LP.
    """
    import dataclasses

    import highspy

    nb = dataclasses.replace(p, battery=None)
    parts = _assemble(nb, elastic=elastic, shortfall_eur_per_kwh=shortfall_eur_per_kwh)
    t1 = time.perf_counter()
    hs, status, keep, rounds = _run(nb, parts, options, use_lazy)
    if status != highspy.HighsModelStatus.kOptimal:
        return None
    n_t = len(p.weights)
    # the balance rows are always in the model and come first
    balance_dual = np.asarray(hs.getSolution().row_dual)[:n_t]
    if _battery_pays(p, balance_dual, options):
        return None
    t2 = time.perf_counter()
    x = np.asarray(hs.getSolution().col_value)
    sol = _extract(nb, parts.cols, x, float(hs.getInfo().objective_function_value))
    sol.costs_eur["battery"] = 0.0
    whole = _assemble(p, elastic=elastic, shortfall_eur_per_kwh=shortfall_eur_per_kwh)
    t3 = time.perf_counter()
    sol.seconds = {"build": t1 - t0, "solve": t2 - t1, "results": t3 - t2}
    sol.size = LpSize(whole.a.shape[0], whole.a.shape[1], int(whole.a.nnz))
    sol.rows_solved = int(keep.sum())
    sol.rounds = rounds + 1
    return sol


def _battery_pays(p: SiteProblem, balance_dual: FloatArray, options: dict[str, Any] | None) -> bool:
    """Whether some battery has a negative reduced cost against the balance rows' duals.

    The pricing LP: minimise ``sum_t y(t) (ch(t) - dis(t)) + cE E + cB B`` over the battery
    rows (state of charge, its cap, the power row) with ``E, B <= 1`` (the rows are a cone,
    so the scale does not matter). ``y(t)`` is the dual of the balance row (HiGHS: reduced
    cost = cost - A^T y; ``ch`` is in the balance with -1, ``dis`` with +1)."""
    import highspy

    b = p.battery
    assert b is not None
    n = len(p.weights)
    t = np.arange(n)
    prev = np.asarray(p.prev, dtype=np.int64)
    y = np.asarray(balance_dual, dtype=float)
    # columns: ch 0..n-1, dis n..2n-1, soc 2n..3n-1, E 3n, B 3n+1
    e_col, b_col = 3 * n, 3 * n + 1
    rows = [t, t, t, t, n + t, n + t, 2 * n + t, 2 * n + t, 2 * n + t]
    cols = [2 * n + t, 2 * n + prev, t, n + t, 2 * n + t, np.full(n, e_col), t, n + t,
            np.full(n, b_col)]  # fmt: skip
    vals = [1.0, -1.0, -b.eta_charge, 1.0 / b.eta_discharge, 1.0, -b.soc_window_fraction, 1.0,
            1.0, -p.interval_h]  # fmt: skip
    a = sp.csc_matrix(
        (
            np.concatenate([np.full(n, v) for v in vals]),
            (np.concatenate(rows), np.concatenate(cols)),
        ),
        shape=(3 * n, 3 * n + 2),
    )
    a.sum_duplicates()
    cost = np.concatenate([y, -y, np.zeros(n), [b.annual_eur_per_kwh, b.annual_eur_per_kw]])
    hi = np.full(3 * n + 2, np.inf)
    hi[e_col] = min(1.0, b.max_kwh)
    hi[b_col] = 1.0
    parts = _Parts(
        cost, np.zeros(3 * n + 2), hi, a,
        np.concatenate([np.zeros(n), np.full(2 * n, -np.inf)]), np.zeros(3 * n),
        _Cols(0, False, False, 0, 0, 0, False, False), {},
    )  # fmt: skip
    hs = new_highs()
    for k, v in (options or DEFAULT_HIGHS_OPTIONS).items():
        hs.setOptionValue(k, v)
    hs.passModel(_highs_lp(parts))
    hs.run()
    if hs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return True
    return float(hs.getInfo().objective_function_value) < -1e-7


def _first_rows(p: SiteProblem, parts: _Parts) -> NDArray[np.bool_]:
    """Rows of the first solve with row generation (see :func:`solve_site`)."""
    keep = np.ones(parts.a.shape[0], dtype=bool)
    step = max(1, round(LAZY_STEP_H / p.interval_h))
    for name in ("soc_cap", "power"):
        blk = parts.blocks.get(name)
        if blk is not None:
            keep[blk] = False
            keep[np.arange(blk.start, blk.stop, step)] = True
    blk = parts.blocks.get("peak")
    if blk is not None and blk.stop > blk.start:
        keep[blk] = False
        pt, pm = (np.asarray(a, dtype=np.int64) for a in p.peak_pairs)
        demand = np.sum([cl.demand_kwh for cl in p.classes], axis=0)[pt]
        for m in np.unique(pm):
            idx = np.flatnonzero(pm == m)
            high = demand[idx] >= np.quantile(demand[idx], 1.0 - LAZY_PEAK_SHARE)
            keep[blk.start + idx[high]] = True
    return keep


def _violated(
    a_rows: sp.csr_matrix, parts: _Parts, x: FloatArray, keep: NDArray[np.bool_]
) -> IntArray:
    """Omitted rows that ``x`` violates (by more than 1e-6, relative to the bound)."""
    act = a_rows @ x
    lo, hi = parts.row_lo, parts.row_hi
    with np.errstate(invalid="ignore"):
        over = act - hi > 1e-6 * (1.0 + np.abs(hi))
        under = lo - act > 1e-6 * (1.0 + np.abs(lo))
    return np.flatnonzero(~keep & (over | under))


def _extract(p: SiteProblem, cols: _Cols, x: FloatArray, lp_objective: float) -> SiteSolution:
    n_t = len(p.weights)
    w = p.weights
    pv_kwp = x[cols.pv : cols.pv + cols.n_pv].copy()
    imp = x[cols.imp : cols.imp + cols.n_cls * n_t].reshape(cols.n_cls, n_t).clip(min=0.0)
    exp = x[cols.exp : cols.exp + n_t].clip(min=0.0)
    if cols.netting_folded:
        # split the netted kWh per year over the intervals in proportion to the feed-in
        fed = float(np.sum(w * exp))
        share = min(max(float(x[cols.expn]), 0.0) / fed, 1.0) if fed > 0 else 0.0
        expn = exp * share
        exp = exp - expn
    elif cols.netting:
        expn = x[cols.expn : cols.expn + n_t].clip(min=0.0)
    else:
        expn = np.zeros(n_t)
    if p.battery is not None:
        e_kwh, b_kw = float(x[cols.e]), float(x[cols.b])
        ch = x[cols.ch : cols.ch + n_t].clip(min=0.0)
        dis = x[cols.dis : cols.dis + n_t].clip(min=0.0)
        soc = x[cols.soc : cols.soc + n_t].clip(min=0.0)
    else:
        e_kwh = b_kw = 0.0
        ch = dis = soc = np.zeros(n_t)
    m_kw = x[cols.m : cols.m + p.n_months].copy()
    contract = float(x[cols.c]) if cols.has_c else float(p.contract_kw or 0.0)
    pv = np.zeros(n_t)
    for k, o in enumerate(p.pv):
        pv += pv_kwp[k] * p.profiles[o.profile]
    shortfall = x[cols.slack : cols.slack + n_t].clip(min=0.0) if cols.elastic else None
    demand = np.sum([cl.demand_kwh for cl in p.classes], axis=0)
    curtailed = (pv + imp.sum(axis=0) - exp - expn + dis - ch - demand).clip(min=0.0)
    if shortfall is not None:
        curtailed = (curtailed + shortfall).clip(min=0.0)
    # costs by line
    costs: dict[str, float] = {}
    add_pv = pv_kwp - np.array([o.existing_kwp for o in p.pv])
    costs["pv"] = float(np.dot(add_pv, [o.annual_eur_per_kwp for o in p.pv])) if p.pv else 0.0
    if p.battery is not None:
        costs["battery"] = e_kwh * p.battery.annual_eur_per_kwh + b_kw * p.battery.annual_eur_per_kw
    supply = tax = tkwh = 0.0
    for c, cl in enumerate(p.classes):
        wi = w * imp[c]
        supply += float(np.sum(wi * np.broadcast_to(cl.supply_eur_per_kwh, (n_t,))))
        tax += float(wi.sum()) * cl.tax_eur_per_kwh
        tkwh += float(wi.sum()) * cl.transport_eur_per_kwh
    costs["supply"] = supply
    costs["energy_tax"] = tax
    costs["transport.kwh"] = tkwh
    costs["transport.kw_contract"] = contract * p.contract_eur_per_kw_month * p.contract_months
    costs["transport.kw_max"] = float(m_kw.sum()) * p.kw_max_eur_per_kw_month
    fin = np.broadcast_to(np.asarray(p.feed_in_eur_per_kwh, dtype=float), (n_t,))
    costs["feed_in"] = -float(np.sum(w * exp * fin))
    if cols.netting:
        nv = np.broadcast_to(np.asarray(p.netting_eur_per_kwh, dtype=float), (n_t,))
        costs["feed_in.netted"] = -float(np.sum(w * expn * nv))
    co2 = float(np.sum(w * imp.sum(axis=0))) * p.co2_kg_per_kwh
    if p.co2_eur_per_kg:
        costs["co2"] = co2 * p.co2_eur_per_kg
    for k, v in p.constant_eur.items():
        costs[k] = costs.get(k, 0.0) + v
    existing_const = -float(
        np.dot([o.existing_kwp for o in p.pv], [o.annual_eur_per_kwp for o in p.pv])
    )
    if cols.elastic and shortfall is not None:
        costs["shortfall"] = lp_objective + existing_const - sum(costs.values())
    objective = float(sum(costs.values()))
    return SiteSolution(
        name=p.name,
        status="optimal",
        objective_eur=objective,
        costs_eur=costs,
        pv_kwp=pv_kwp,
        battery_kwh=e_kwh,
        battery_kw=b_kw,
        contract_kw=contract,
        monthly_max_kw=m_kw,
        import_kwh=imp,
        export_kwh=exp,
        netted_export_kwh=expn,
        charge_kwh=ch,
        discharge_kwh=dis,
        soc_kwh=soc,
        pv_kwh=pv,
        curtailed_kwh=curtailed,
        co2_kg=co2,
        seconds={},
        size=LpSize(0, 0, 0),
        shortfall_kwh=shortfall,
    )


_BANNER_SHOWN = False


def new_highs() -> Any:
    """A ``highspy.Highs`` object; the banner HiGHS prints on first use is kept off stdout
    (it would corrupt ``--json`` output)."""
    import os
    import sys

    import highspy

    global _BANNER_SHOWN  # noqa: PLW0603 - once per process
    if _BANNER_SHOWN:
        return highspy.Highs()
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:  # noqa: PTH123
            os.dup2(null.fileno(), 1)
            hs = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    _BANNER_SHOWN = True
    return hs


def full_year_axes(month_of_interval: IntArray) -> tuple[tuple[IntArray, IntArray], int, IntArray]:
    """Peak pairs, number of months and cyclic predecessor for a full year of intervals.

    Parameters
    ----------
    month_of_interval : array of int
        Billing month of every interval, numbered 0.. in time order.
    """
    m = np.asarray(month_of_interval, dtype=np.int64)
    n_t = m.size
    t = np.arange(n_t, dtype=np.int64)
    prev = np.roll(t, 1)
    return (t, m), int(m.max()) + 1 if n_t else 0, prev
