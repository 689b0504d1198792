"""Batteries behind a connection: dispatch strategies in a compiled kernel.

One numba kernel walks every unit (company, or a group in an energy hub) through the year,
interval by interval, and accumulates every flow of :mod:`parkplan.energy.flows` separately.
It is compiled once and cached on disk (``cache=True``); :func:`warm_up` compiles it on a tiny
case and reports how long that took, so benchmarks can report compilation separately.

Strategies
----------
``self_consumption``
    Charge from surplus PV; discharge whenever there is demand that PV does not cover.
``peak_shaving``
    Keep offtake under a limit (``target_import_kw``, and the connection's import limit
    per interval when there is one): charge from surplus PV first and from the grid only
    while offtake stays below the limit; discharge only the part of demand above the limit.
``none``
    No battery (or an idle one).

Round-trip efficiency is split evenly: ``eta_charge = eta_discharge = sqrt(rte)``. Power
limits apply on the AC side to charging and discharging; the energy stored stays between
``soc_min_fraction`` and ``soc_max_fraction`` of the capacity.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numba import njit
from numpy.typing import NDArray

from parkplan.domain.errors import ParkplanError
from parkplan.energy.flows import Flows

N_MONTHS = 12
EXCEED_INTERVALS, EXCEED_KWH, EXCEED_MAX_KWH = range(3)


class Strategy(StrEnum):
    """Battery dispatch strategy."""

    NONE = "none"
    SELF_CONSUMPTION = "self_consumption"
    PEAK_SHAVING = "peak_shaving"


_STRATEGY_CODE = {Strategy.NONE: 0, Strategy.SELF_CONSUMPTION: 1, Strategy.PEAK_SHAVING: 2}

BATTERY_DEFAULT_KEYS: tuple[str, ...] = (
    "battery.round_trip_efficiency",
    "battery.soc_min_fraction",
    "battery.soc_max_fraction",
    "battery.soc_initial_fraction",
    "battery.c_rate_per_h",
)
"""Reference-data keys of the battery defaults (``refdata/battery.csv``)."""


@dataclass(frozen=True)
class Battery:
    """A stationary battery.

    Attributes
    ----------
    energy_kwh : float
        Usable nameplate capacity. [kWh]
    power_kw : float
        Maximum charging and discharging power (AC). [kW]
    strategy : Strategy
        Dispatch strategy.
    round_trip_efficiency : float
        AC-to-AC round-trip efficiency, split as sqrt between charging and discharging. [-]
    soc_min_fraction, soc_max_fraction : float
        Bounds of the state of charge as a share of ``energy_kwh``. [-]
    soc_initial_fraction : float
        State of charge before the first interval, as a share of ``energy_kwh``. [-]
    target_import_kw : float or None
        Offtake limit for peak shaving; ``None`` uses the connection's import limit. [kW]
    """

    energy_kwh: float
    power_kw: float
    strategy: Strategy
    round_trip_efficiency: float
    soc_min_fraction: float
    soc_max_fraction: float
    soc_initial_fraction: float
    target_import_kw: float | None = None

    def __post_init__(self) -> None:
        checks = [
            (self.energy_kwh >= 0, "energy_kwh", "≥ 0"),
            (self.power_kw >= 0, "power_kw", "≥ 0"),
            (0 < self.round_trip_efficiency <= 1, "round_trip_efficiency", "in (0, 1]"),
            (0 <= self.soc_min_fraction <= self.soc_max_fraction <= 1, "soc bounds", "0≤min≤max≤1"),
            (
                self.soc_min_fraction <= self.soc_initial_fraction <= self.soc_max_fraction,
                "soc_initial_fraction",
                "between soc_min_fraction and soc_max_fraction",
            ),
        ]
        for ok, name, expected in checks:
            if not ok:
                raise ParkplanError(
                    f"Batterij: ongeldige waarde voor {name}; verwacht {expected}.",
                    f"Battery: invalid value for {name}; expected {expected}.",
                )

    @property
    def eta_charge(self) -> float:
        """Charging efficiency sqrt(rte). [-]"""
        return math.sqrt(self.round_trip_efficiency)

    @property
    def eta_discharge(self) -> float:
        """Discharging efficiency sqrt(rte). [-]"""
        return math.sqrt(self.round_trip_efficiency)


def battery_from_defaults(
    energy_kwh: float,
    defaults: Mapping[str, float],
    *,
    power_kw: float | None = None,
    strategy: Strategy | str = Strategy.SELF_CONSUMPTION,
    target_import_kw: float | None = None,
) -> Battery:
    """A battery whose unspecified properties come from reference data.

    Parameters
    ----------
    energy_kwh : float
        Capacity. [kWh]
    defaults : mapping
        Values for :data:`BATTERY_DEFAULT_KEYS` (from ``refdata/battery.csv``).
    power_kw : float, optional
        Power; defaults to ``energy_kwh * battery.c_rate_per_h``. [kW]
    strategy : Strategy or str
        Dispatch strategy.
    target_import_kw : float, optional
        Peak-shaving limit. [kW]
    """
    c_rate = float(defaults["battery.c_rate_per_h"])
    return Battery(
        energy_kwh=float(energy_kwh),
        power_kw=float(power_kw) if power_kw is not None else float(energy_kwh) * c_rate,
        strategy=Strategy(strategy),
        round_trip_efficiency=float(defaults["battery.round_trip_efficiency"]),
        soc_min_fraction=float(defaults["battery.soc_min_fraction"]),
        soc_max_fraction=float(defaults["battery.soc_max_fraction"]),
        soc_initial_fraction=float(defaults["battery.soc_initial_fraction"]),
        target_import_kw=target_import_kw,
    )


# --------------------------------------------------------------------------------------------
# The compiled kernel
# --------------------------------------------------------------------------------------------


@njit(cache=True, error_model="numpy")
def _dispatch_kernel(  # noqa: PLR0917
    load,
    pv_prof,
    pv_ptr,
    pv_idx,
    pv_w,
    soc_lo,
    soc_hi,
    soc0,
    p_ch,
    p_dis,
    eta_c,
    eta_d,
    strategy,
    shave,
    export_lim,
    lim_rows,
    lim_row,
    lim_scale,
    lim_const,
    seg_start,
    seg_month,
    group_of,
    store_flows,
    net,
    flows,
    soc_out,
    totals,
    month_imp,
    month_exp,
    exceed,
    residual,
    group_imp,
    group_exp,
    park_imp,
    park_exp,
    load_sum,
):  # pragma: no cover - compiled
    n = load.shape[0]
    n_seg = len(seg_month)
    tol = 1e-9
    for i in range(n):
        g = group_of[i]
        max_res = 0.0
        s = soc0[i]
        lo = soc_lo[i]
        hi = soc_hi[i]
        ec = eta_c[i]
        ed = eta_d[i]
        inv_ec = 1.0 / ec
        inv_ed = 1.0 / ed
        lscale = lim_scale[i]
        shave_i = shave[i]
        pc = p_ch[i]
        pd = p_dis[i]
        strat = strategy[i]
        has_bat = strat != 0 and hi > lo and (pc > 0.0 or pd > 0.0)
        row = lim_row[i]
        # a schedule that does not vary is read once: limit = lscale * lim_rows[row, 0]
        fixed_limit = lim_const[i]
        varies = row >= 0 and math.isnan(fixed_limit)
        xlim = export_lim[i]
        a = pv_ptr[i]
        b = pv_ptr[i + 1]
        single = b - a == 1
        w0 = pv_w[a] if single else 0.0
        o0 = pv_idx[a] if single else 0
        t_pv_load = 0.0
        t_pv_bat = 0.0
        t_pv_grid = 0.0
        t_curt = 0.0
        t_grid_load = 0.0
        t_grid_bat = 0.0
        t_bat_load = 0.0
        t_load = 0.0
        ex_n = 0.0
        ex_kwh = 0.0
        ex_max = 0.0
        for seg in range(n_seg):  # runs of one calendar month
            m_imp = 0.0
            m_exp = 0.0
            for t in range(seg_start[seg], seg_start[seg + 1]):
                ld = load[i, t]
                if single:
                    pv = w0 * pv_prof[o0, t]
                else:
                    pv = 0.0
                    for k in range(a, b):
                        pv += pv_w[k] * pv_prof[pv_idx[k], t]
                s_old = s
                pv_load = min(ld, pv)
                surplus = pv - pv_load
                deficit = ld - pv_load
                pv_bat = 0.0
                pv_grid = 0.0
                curt = 0.0
                grid_load = 0.0
                grid_bat = 0.0
                bat_load = 0.0
                limit = lscale * lim_rows[row, t] if varies else fixed_limit
                if surplus > 0.0:
                    if has_bat:
                        room = (hi - s) * inv_ec
                        if room > 0.0:
                            pv_bat = min(surplus, pc, room)
                            s += pv_bat * ec
                    pv_grid = min(surplus - pv_bat, xlim)
                    curt = surplus - pv_bat - pv_grid
                else:
                    target = min(shave_i, limit)
                    if has_bat:
                        avail = (s - lo) * ed
                        if avail > 0.0:
                            if strat == 1:
                                bat_load = min(deficit, pd, avail)
                            elif strat == 2 and deficit > target:
                                bat_load = min(deficit - target, pd, avail)
                            s -= bat_load * inv_ed
                    grid_load = deficit - bat_load
                    if has_bat and strat == 2 and target < np.inf:
                        headroom = target - grid_load
                        room = (hi - s) * inv_ec
                        if headroom > 0.0 and room > 0.0:
                            grid_bat = min(headroom, pc, room)
                            s += grid_bat * ec
                imp = grid_load + grid_bat
                exp_ = pv_grid
                # balances
                r1 = abs(ld - pv_load - bat_load - grid_load)
                r2 = abs(pv - pv_load - pv_bat - pv_grid - curt)
                r3 = abs(s - s_old - ec * (pv_bat + grid_bat) + bat_load * inv_ed)
                r = max(r1, r2, r3)
                max_res = max(max_res, r)
                net[i, t] = imp - exp_
                # summed offtake and feed-in of the unit's group, or of the units outside a
                # group (never both > 0); the park's sums follow after the kernel
                if g >= 0:
                    group_imp[g, t] += imp
                    group_exp[g, t] += exp_
                else:
                    park_imp[t] += imp
                    park_exp[t] += exp_
                if store_flows:
                    flows[0, i, t] = pv_load
                    flows[1, i, t] = pv_bat
                    flows[2, i, t] = pv_grid
                    flows[3, i, t] = curt
                    flows[4, i, t] = grid_load
                    flows[5, i, t] = grid_bat
                    flows[6, i, t] = bat_load
                    flows[7, i, t] = 0.0
                    soc_out[i, t] = s
                t_pv_load += pv_load
                t_pv_bat += pv_bat
                t_pv_grid += pv_grid
                t_curt += curt
                t_grid_load += grid_load
                t_grid_bat += grid_bat
                t_bat_load += bat_load
                t_load += ld
                m_imp = max(m_imp, imp)
                m_exp = max(m_exp, exp_)
                if row >= 0:
                    over = imp - limit
                    if over > tol:
                        ex_n += 1.0
                        ex_kwh += over
                        ex_max = max(ex_max, over)
            m = seg_month[seg]
            month_imp[i, m] = max(month_imp[i, m], m_imp)
            month_exp[i, m] = max(month_exp[i, m], m_exp)
        totals[i, 0] = t_pv_load
        totals[i, 1] = t_pv_bat
        totals[i, 2] = t_pv_grid
        totals[i, 3] = t_curt
        totals[i, 4] = t_grid_load
        totals[i, 5] = t_grid_bat
        totals[i, 6] = t_bat_load
        totals[i, 7] = 0.0
        exceed[i, 0] = ex_n
        exceed[i, 1] = ex_kwh
        exceed[i, 2] = ex_max
        residual[i] = max_res
        load_sum[i] = t_load


# --------------------------------------------------------------------------------------------
# Python wrappers
# --------------------------------------------------------------------------------------------


@dataclass
class PvSource:
    """PV production per unit as a sparse mix of a few normalised profiles.

    ``pv_kwh[i, t] = sum_k weight[k] * profiles[index[k], t]`` for ``k`` in
    ``ptr[i]:ptr[i+1]``: one profile per distinct roof orientation (kWh per kWp per interval)
    and weights in kWp, so PV is computed once per orientation and scaled.
    """

    profiles: NDArray[np.float64]
    ptr: NDArray[np.int64]
    index: NDArray[np.int64]
    weight: NDArray[np.float64]

    @classmethod
    def from_matrix(cls, pv_kwh: NDArray[np.float64]) -> PvSource:
        """One profile per unit, weight 1 (for measured or precomputed PV). [kWh]"""
        pv = np.ascontiguousarray(pv_kwh, dtype=np.float64)
        if pv.ndim == 1:
            pv = pv.reshape(1, -1)
        n = pv.shape[0]
        return cls(pv, np.arange(n + 1, dtype=np.int64), np.arange(n, dtype=np.int64), np.ones(n))

    @classmethod
    def from_weights(
        cls, profiles: NDArray[np.float64], weights: Sequence[Mapping[int, float]]
    ) -> PvSource:
        """Profiles (k x T) and, per unit, a mapping profile index -> kWp."""
        ptr = [0]
        index: list[int] = []
        weight: list[float] = []
        for w in weights:
            for k, v in w.items():
                if v != 0.0:
                    index.append(int(k))
                    weight.append(float(v))
            ptr.append(len(index))
        return cls(
            np.ascontiguousarray(profiles, dtype=np.float64),
            np.asarray(ptr, dtype=np.int64),
            np.asarray(index, dtype=np.int64),
            np.asarray(weight, dtype=np.float64),
        )

    @property
    def n_units(self) -> int:
        """Number of units."""
        return len(self.ptr) - 1

    def scaled(self, factors: NDArray[np.float64]) -> PvSource:
        """A copy with every unit's weights multiplied by ``factors[i]``."""
        counts = np.diff(self.ptr)
        return PvSource(
            self.profiles, self.ptr, self.index, self.weight * np.repeat(factors, counts)
        )

    def matrix(self) -> NDArray[np.float64]:
        """The dense (n x T) PV matrix. [kWh]"""
        out = np.zeros((self.n_units, self.profiles.shape[1]))
        for i in range(self.n_units):
            for k in range(self.ptr[i], self.ptr[i + 1]):
                out[i] += self.weight[k] * self.profiles[self.index[k]]
        return out

    def annual_kwh(self) -> NDArray[np.float64]:
        """PV production per unit over all intervals. [kWh]"""
        prof_sum = self.profiles.sum(axis=1)
        out = np.zeros(self.n_units)
        np.add.at(
            out,
            np.repeat(np.arange(self.n_units), np.diff(self.ptr)),
            self.weight * prof_sum[self.index],
        )
        return out


@dataclass
class DispatchResult:
    """Output of :func:`dispatch` for ``n`` units over ``T`` intervals.

    Attributes
    ----------
    net_kwh : ndarray (n, T)
        Offtake minus feed-in per interval (never both in one interval). [kWh]
    flows : Flows or None
        Every flow per interval, when ``store_flows`` was set.
    totals_kwh : ndarray (n, 8)
        Every flow summed over the year, in the order of ``FLOW_NAMES``. [kWh]
    month_peak_import_kwh, month_peak_export_kwh : ndarray (n, 12)
        Highest offtake / feed-in in one interval per calendar month. [kWh per interval]
    exceed : ndarray (n, 3)
        Intervals above the import limit, energy above it [kWh], largest excess in one
        interval [kWh].
    group_import_kwh, group_export_kwh : ndarray (G, T)
        Summed offtake and feed-in of the members of each group. [kWh]
    park_import_kwh, park_export_kwh : ndarray (T,)
        Summed offtake and feed-in of all units. [kWh]
    max_residual_kwh : float
        Largest residual of any balance in any interval. [kWh]
    load_total_kwh : ndarray (n,)
        Demand of each unit summed over the intervals (in the same pass). [kWh]
    """

    net_kwh: NDArray[np.float64]
    flows: Flows | None
    totals_kwh: NDArray[np.float64]
    month_peak_import_kwh: NDArray[np.float64]
    month_peak_export_kwh: NDArray[np.float64]
    exceed: NDArray[np.float64]
    group_import_kwh: NDArray[np.float64]
    group_export_kwh: NDArray[np.float64]
    park_import_kwh: NDArray[np.float64]
    park_export_kwh: NDArray[np.float64]
    max_residual_kwh: float
    load_total_kwh: NDArray[np.float64] | None = None

    @property
    def import_kwh(self) -> NDArray[np.float64]:
        """Offtake per interval. [kWh]"""
        return np.maximum(self.net_kwh, 0.0)

    @property
    def export_kwh(self) -> NDArray[np.float64]:
        """Feed-in per interval. [kWh]"""
        return np.maximum(-self.net_kwh, 0.0)


def battery_arrays(
    batteries: Sequence[Battery | None], interval_h: float
) -> dict[str, NDArray[np.float64] | NDArray[np.int64]]:
    """Per-unit parameter arrays of the kernel (energies per interval). [kWh]"""
    n = len(batteries)
    out: dict[str, NDArray] = {
        name: np.zeros(n) for name in ("soc_lo", "soc_hi", "soc0", "p_ch", "p_dis", "shave")
    }
    out["eta_c"] = np.ones(n)
    out["eta_d"] = np.ones(n)
    out["strategy"] = np.zeros(n, dtype=np.int64)
    out["shave"][:] = np.inf
    for i, bat in enumerate(batteries):
        if bat is None or bat.energy_kwh <= 0:
            continue
        out["soc_lo"][i] = bat.soc_min_fraction * bat.energy_kwh
        out["soc_hi"][i] = bat.soc_max_fraction * bat.energy_kwh
        out["soc0"][i] = bat.soc_initial_fraction * bat.energy_kwh
        out["p_ch"][i] = bat.power_kw * interval_h
        out["p_dis"][i] = bat.power_kw * interval_h
        out["eta_c"][i] = bat.eta_charge
        out["eta_d"][i] = bat.eta_discharge
        out["strategy"][i] = _STRATEGY_CODE[bat.strategy]
        if bat.target_import_kw is not None:
            out["shave"][i] = bat.target_import_kw * interval_h
    return out


def dispatch(
    load_kwh: NDArray[np.float64],
    pv: PvSource | NDArray[np.float64],
    batteries: Sequence[Battery | None],
    *,
    interval_h: float,
    month: NDArray[np.int64] | None = None,
    export_limit_kw: Sequence[float | None] | NDArray[np.float64] | None = None,
    import_limit_kwh: NDArray[np.float64] | None = None,
    import_limit_row: Sequence[int] | NDArray[np.int64] | None = None,
    import_limit_scale: Sequence[float] | NDArray[np.float64] | None = None,
    group_of: Sequence[int] | NDArray[np.int64] | None = None,
    n_groups: int = 0,
    store_flows: bool = False,
    out: NDArray[np.float64] | None = None,
) -> DispatchResult:
    """Run every unit through the year with its battery and limits.

    Parameters
    ----------
    load_kwh : ndarray (n, T)
        Demand on site per interval. [kWh]
    pv : PvSource or ndarray (n, T)
        PV production per interval. [kWh]
    batteries : sequence of Battery or None, length n
        The battery of each unit (``None``: none).
    interval_h : float
        Length of one interval. [h]
    month : ndarray (T,), optional
        Calendar month (0-11, local time) of each interval; all 0 when omitted.
    export_limit_kw : sequence, optional
        Feed-in limit per unit (``None``/inf: none); above it PV is curtailed. [kW]
    import_limit_kwh : ndarray (r, T), optional
        Import-limit schedules (contracted capacity, or non-firm / time-block rights),
        one row per distinct schedule. [kWh per interval]
    import_limit_row : sequence of int, optional
        The schedule row of each unit, -1 for none.
    import_limit_scale : sequence of float, optional
        Factor on the schedule row per unit (e.g. a row of ones scaled by each unit's
        contracted kWh per interval, so constant limits share one row); default 1.
    group_of : sequence of int, optional
        The group (energy hub) of each unit, -1 for none.
    n_groups : int
        Number of groups.
    store_flows : bool
        Keep every flow per interval (memory: 9 x n x T float64).
    out : ndarray (n, T), optional
        Array for ``net_kwh`` (C-contiguous float64); it may be ``load_kwh`` itself, which
        is then overwritten interval by interval after it was read (saves one matrix).

    Returns
    -------
    DispatchResult
    """
    load = np.ascontiguousarray(load_kwh, dtype=np.float64)
    if load.ndim == 1:
        load = load.reshape(1, -1)
    n, n_t = load.shape
    src = pv if isinstance(pv, PvSource) else PvSource.from_matrix(np.asarray(pv))
    if src.n_units != n or src.profiles.shape[1] != n_t or len(batteries) != n:
        raise ParkplanError(
            "Vraag, PV en batterijen hebben niet dezelfde vorm.",
            "Demand, PV and batteries do not have the same shape.",
        )
    par = battery_arrays(batteries, interval_h)
    month_arr = (
        np.zeros(n_t, dtype=np.int64) if month is None else np.asarray(month, dtype=np.int64)
    )
    xlim = np.full(n, np.inf)
    if export_limit_kw is not None:
        for i, v in enumerate(export_limit_kw):
            if v is not None and np.isfinite(v):
                xlim[i] = float(v) * interval_h
    if import_limit_kwh is None:
        lim_rows = np.zeros((1, n_t))
        lim_row = np.full(n, -1, dtype=np.int64)
    else:
        lim_rows = np.ascontiguousarray(np.atleast_2d(import_limit_kwh), dtype=np.float64)
        lim_row = (
            np.zeros(n, dtype=np.int64)
            if import_limit_row is None
            else np.asarray(import_limit_row, dtype=np.int64)
        )
    lim_scale = (
        np.ones(n) if import_limit_scale is None else np.asarray(import_limit_scale, np.float64)
    )
    # units on a schedule row that does not vary get their (scaled) limit as a number
    flat_rows = (lim_rows == lim_rows[:, :1]).all(axis=1) if n_t else np.ones(len(lim_rows), bool)
    lim_const = np.full(n, np.nan)
    for i in range(n):
        r = int(lim_row[i])
        if r < 0:
            lim_const[i] = np.inf
        elif flat_rows[r] and n_t:
            lim_const[i] = lim_scale[i] * lim_rows[r, 0]
    # runs of one calendar month
    starts = np.flatnonzero(np.diff(month_arr)) + 1 if n_t else np.zeros(0, dtype=np.int64)
    seg_start = (
        np.concatenate(([0], starts, [n_t])).astype(np.int64) if n_t else np.zeros(1, np.int64)
    )
    seg_month = month_arr[seg_start[:-1]] if n_t else np.zeros(0, dtype=np.int64)
    grp = np.full(n, -1, dtype=np.int64) if group_of is None else np.asarray(group_of, np.int64)
    if out is None:
        net = np.empty((n, n_t))
    elif out.shape != (n, n_t) or out.dtype != np.float64 or not out.flags.c_contiguous:
        raise ParkplanError(
            "Uitvoerarray heeft niet de vorm (eenheden x intervallen), float64, C-volgorde.",
            "Output array is not (units x intervals), float64, C order.",
        )
    else:
        net = out
    if store_flows:
        flows = np.empty((8, n, n_t))
        soc = np.empty((n, n_t))
    else:
        flows = np.empty((8, 1, 1))
        soc = np.empty((1, 1))
    totals = np.zeros((n, 8))
    month_imp = np.zeros((n, N_MONTHS))
    month_exp = np.zeros((n, N_MONTHS))
    exceed = np.zeros((n, 3))
    group_imp = np.zeros((max(n_groups, 1), n_t))
    group_exp = np.zeros((max(n_groups, 1), n_t))
    park_imp = np.zeros(n_t)
    park_exp = np.zeros(n_t)
    residual = np.zeros(n)
    load_sum = np.zeros(n)
    _dispatch_kernel(
        load,
        src.profiles,
        src.ptr,
        src.index,
        src.weight,
        par["soc_lo"],
        par["soc_hi"],
        par["soc0"],
        par["p_ch"],
        par["p_dis"],
        par["eta_c"],
        par["eta_d"],
        par["strategy"],
        par["shave"],
        xlim,
        lim_rows,
        lim_row,
        lim_scale,
        lim_const,
        seg_start,
        seg_month,
        grp,
        store_flows,
        net,
        flows,
        soc,
        totals,
        month_imp,
        month_exp,
        exceed,
        residual,
        group_imp,
        group_exp,
        park_imp,
        park_exp,
        load_sum,
    )
    max_res = float(residual.max()) if n else 0.0
    # the park: units outside a group (summed in the kernel) plus every group
    for g in range(n_groups):
        park_imp += group_imp[g]
        park_exp += group_exp[g]
    return DispatchResult(
        net_kwh=net,
        flows=Flows(flows, soc) if store_flows else None,
        totals_kwh=totals,
        month_peak_import_kwh=month_imp,
        month_peak_export_kwh=month_exp,
        exceed=exceed,
        group_import_kwh=group_imp[:n_groups],
        group_export_kwh=group_exp[:n_groups],
        park_import_kwh=park_imp,
        park_export_kwh=park_exp,
        max_residual_kwh=float(max_res),
        load_total_kwh=load_sum,
    )


def warm_up() -> float:
    """Compile (or load from the on-disk cache) the kernel on a tiny case. [s]"""
    start = time.perf_counter()
    for store in (False, True):
        dispatch(
            np.ones((1, 4)),
            np.ones((1, 4)),
            [None],
            interval_h=0.25,
            store_flows=store,
            import_limit_kwh=np.ones((1, 4)),
        )
    return time.perf_counter() - start
