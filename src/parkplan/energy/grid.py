"""Grid connections, transport rights and energy hubs (group transport agreements, GTO).

All series are kWh per interval on one shared index; a power in kW is the energy of one
interval divided by its length (``interval_h``), i.e. the 15-minute average the grid operator
bills as kWmax. Months are calendar months in local time (Europe/Amsterdam).

Conventions
-----------
- *net* exchange = offtake - feed-in; a connection never takes and feeds in within one
  interval in these simulations, so offtake = max(net, 0) and feed-in = max(-net, 0).
- In an energy hub with a GTO the members keep their own connections; the group's
  capacity applies to the summed net exchange of the members (simultaneous feed-in of one
  member covers offtake of another), see :func:`simulate_group`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from parkplan.domain.errors import ParkplanError
from parkplan.domain.model import Connection
from parkplan.energy.battery import Battery, DispatchResult, PvSource, dispatch

NOMINAL_PHASE_VOLTAGE_V = 230.0
"""Nominal phase voltage of the low-voltage grid, NEN-EN 50160 / IEC 60038. [V]"""

_FUSE = re.compile(r"^\s*(\d)\s*[xX×]\s*(\d+(?:[.,]\d+)?)\s*A?\s*$")


def fuse_capacity_kw(fuse: str, phase_voltage_v: float = NOMINAL_PHASE_VOLTAGE_V) -> float:
    """Capacity of a kleinverbruik connection from its fuse, e.g. ``3x35A`` -> 24.15 kW.

    Parameters
    ----------
    fuse : str
        Phases x current, e.g. ``1x40A`` or ``3x80A``.
    phase_voltage_v : float
        Phase voltage. [V]

    Returns
    -------
    float
        phases x current x voltage / 1000 (power factor 1). [kW]
    """
    m = _FUSE.match(fuse or "")
    if not m:
        raise ParkplanError(
            f"Zekering '{fuse}' niet herkend; verwacht bijvoorbeeld '3x35A'.",
            f"Fuse '{fuse}' not recognised; expected for example '3x35A'.",
        )
    phases = int(m.group(1))
    amps = float(m.group(2).replace(",", "."))
    return phases * amps * phase_voltage_v / 1000.0


def import_limit_kw(connection: Connection | None) -> float | None:
    """The offtake limit of a connection: contracted capacity, else the fuse. [kW]"""
    if connection is None:
        return None
    if connection.contracted_kw is not None:
        return float(connection.contracted_kw)
    if connection.fuse:
        return fuse_capacity_kw(connection.fuse)
    if connection.physical_kva is not None:
        return float(connection.physical_kva)
    return None


def export_limit_kw(connection: Connection | None) -> float | None:
    """The feed-in limit of a connection: contracted feed-in capacity, else the fuse. [kW]"""
    if connection is None:
        return None
    if connection.contracted_feed_in_kw is not None:
        return float(connection.contracted_feed_in_kw)
    if connection.kind == "kleinverbruik" and connection.fuse:
        return fuse_capacity_kw(connection.fuse)
    return None


def month_index(index: pd.DatetimeIndex) -> NDArray[np.int64]:
    """Calendar month (0-11) of each interval start in local time."""
    local = index.tz_convert("Europe/Amsterdam") if index.tz is not None else index
    return np.asarray(local.month, dtype=np.int64) - 1


def monthly_peaks_kw(
    series_kwh: NDArray[np.float64], month: NDArray[np.int64], interval_h: float
) -> NDArray[np.float64]:
    """kWmax: highest interval average per calendar month.

    Parameters
    ----------
    series_kwh : ndarray (T,) or (n, T)
        Energy per interval (offtake or feed-in). [kWh]
    month : ndarray (T,)
        Month 0-11 of each interval.
    interval_h : float
        Interval length. [h]

    Returns
    -------
    ndarray (12,) or (n, 12)
        Peak per month, 0 for months without intervals. [kW]
    """
    s = np.atleast_2d(series_kwh)
    out = np.zeros((s.shape[0], 12))
    for m in range(12):
        sel = month == m
        if sel.any():
            out[:, m] = s[:, sel].max(axis=1)
    out /= interval_h
    return out[0] if np.ndim(series_kwh) == 1 else out


@dataclass(frozen=True)
class Exceedance:
    """Exceedance of an import limit over a year."""

    hours: float
    """Time above the limit. [h]"""
    energy_kwh: float
    """Energy above the limit. [kWh]"""
    max_kw: float
    """Largest excess over the limit in one interval (average power). [kW]"""
    highest_kw: float
    """Highest interval average offtake. [kW]"""


def exceedance(
    import_kwh: NDArray[np.float64], limit_kw: float | NDArray[np.float64], interval_h: float
) -> Exceedance:
    """Exceedance of a contracted capacity (constant or a schedule per interval).

    Parameters
    ----------
    import_kwh : ndarray (T,)
        Offtake per interval. [kWh]
    limit_kw : float or ndarray (T,)
        Import limit. [kW]
    interval_h : float
        Interval length. [h]
    """
    over = np.asarray(import_kwh) - np.asarray(limit_kw) * interval_h
    mask = over > 1e-9
    return Exceedance(
        hours=float(mask.sum() * interval_h),
        energy_kwh=float(over[mask].sum()),
        max_kw=float(over[mask].max() / interval_h) if mask.any() else 0.0,
        highest_kw=float(np.max(import_kwh) / interval_h) if len(import_kwh) else 0.0,
    )


def curtail_export(
    export_kwh: NDArray[np.float64], limit_kw: float | NDArray[np.float64], interval_h: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Feed-in cut at the feed-in limit: (feed-in, curtailed), both per interval. [kWh]"""
    cap = np.asarray(limit_kw, dtype=float) * interval_h
    fed = np.minimum(export_kwh, cap)
    return fed, np.asarray(export_kwh) - fed


def time_block_schedule(
    index: pd.DatetimeIndex,
    blocks: Sequence[Mapping[str, object]],
    default_kw: float,
) -> NDArray[np.float64]:
    """Import limit per interval from time blocks (non-firm / time-bound transport rights).

    Parameters
    ----------
    index : DatetimeIndex
        Interval starts (tz-aware).
    blocks : sequence of mappings
        Each with ``from`` and ``to`` (``"HH:MM"`` local time, ``to`` exclusive, may wrap
        past midnight), ``kw`` and optionally ``months`` (1-12) and ``weekdays`` (0=Monday).
        Later blocks override earlier ones.
    default_kw : float
        Limit outside every block. [kW]

    Returns
    -------
    ndarray (T,)
        Import limit per interval. [kW]
    """
    local = index.tz_convert("Europe/Amsterdam") if index.tz is not None else index
    minutes = np.asarray(local.hour * 60 + local.minute)
    months = np.asarray(local.month)
    weekdays = np.asarray(local.day_of_week)
    out = np.full(len(index), float(default_kw))
    for b in blocks:
        start = _hhmm(str(b["from"]))
        end = _hhmm(str(b["to"]))
        sel = (
            (minutes >= start) & (minutes < end)
            if start < end
            else (minutes >= start) | (minutes < end)
        )
        if b.get("months"):
            sel &= np.isin(months, list(b["months"]))  # type: ignore[call-overload]
        if b.get("weekdays"):
            sel &= np.isin(weekdays, list(b["weekdays"]))  # type: ignore[call-overload]
        out[sel] = float(b["kw"])  # type: ignore[arg-type]
    return out


def _hhmm(text: str) -> int:
    h, _, m = text.partition(":")
    return int(h) * 60 + int(m or 0)


def pool_connections(
    net_kwh: NDArray[np.float64],
    connection_of: Sequence[int] | NDArray[np.int64],
    n_connections: int,
) -> NDArray[np.float64]:
    """Cable pooling: net exchange per connection of several installations behind it.

    Parameters
    ----------
    net_kwh : ndarray (n, T)
        Net exchange (offtake - feed-in) of each installation. [kWh]
    connection_of : sequence of int
        The connection each installation is behind.
    n_connections : int
        Number of connections.

    Returns
    -------
    ndarray (n_connections, T)
        Net exchange per connection; feed-in of one installation covers offtake of another
        behind the same connection. [kWh]
    """
    out = np.zeros((n_connections, net_kwh.shape[1]))
    np.add.at(out, np.asarray(connection_of), net_kwh)
    return out


@dataclass
class GroupOutcome:
    """An energy hub with a group transport agreement over one year.

    Attributes
    ----------
    import_kwh, export_kwh : ndarray (T,)
        The group's offtake and feed-in after sharing, shared PV and the shared battery. [kWh]
    shared_kwh : float
        Feed-in of members (and shared PV) used by other members at the same time. [kWh]
    curtailed_kwh : float
        Energy curtailed at the group's feed-in capacity. [kWh]
    dispatch : DispatchResult
        Flows of the group seen as one unit (load = members' offtake, PV = members'
        feed-in + shared PV).
    monthly_peak_kw : ndarray (12,)
        The group's kWmax per month. [kW]
    peak_interval : ndarray (12,)
        Index of the group's peak interval per month (-1 for empty months).
    """

    import_kwh: NDArray[np.float64]
    export_kwh: NDArray[np.float64]
    shared_kwh: float
    curtailed_kwh: float
    dispatch: DispatchResult
    monthly_peak_kw: NDArray[np.float64]
    peak_interval: NDArray[np.int64]
    exceedance: Exceedance | None


def simulate_group(
    member_import_kwh: NDArray[np.float64],
    member_export_kwh: NDArray[np.float64],
    *,
    month: NDArray[np.int64],
    interval_h: float,
    capacity_import_kw: float | NDArray[np.float64] | None = None,
    capacity_export_kw: float | None = None,
    shared_pv_kwh: NDArray[np.float64] | None = None,
    shared_battery: Battery | None = None,
    store_flows: bool = False,
) -> GroupOutcome:
    """The group of an energy hub: pooling, shared PV and a shared battery under one GTO.

    The group is run through the battery kernel as one unit whose demand is the summed
    offtake of its members and whose production is their summed feed-in plus shared PV;
    the shared battery peak-shaves the group's net load to the group capacity (its own
    ``target_import_kw`` when set), charging from surplus first.

    Parameters
    ----------
    member_import_kwh, member_export_kwh : ndarray (T,)
        Summed offtake and feed-in of the members behind their own meters. [kWh]
    month : ndarray (T,)
        Month 0-11 per interval.
    interval_h : float
        Interval length. [h]
    capacity_import_kw : float or ndarray (T,), optional
        Group transport capacity for offtake (a schedule for time-block rights). [kW]
    capacity_export_kw : float, optional
        Group transport capacity for feed-in; above it the group curtails. [kW]
    shared_pv_kwh : ndarray (T,), optional
        Production of shared PV behind the group. [kWh]
    shared_battery : Battery, optional
        The shared battery.
    store_flows : bool
        Keep the group's flows per interval.
    """
    n_t = member_import_kwh.shape[0]
    supply = member_export_kwh + (shared_pv_kwh if shared_pv_kwh is not None else 0.0)
    limit = None
    if capacity_import_kw is not None:
        limit = np.broadcast_to(np.asarray(capacity_import_kw, float) * interval_h, (n_t,))
        limit = np.ascontiguousarray(limit).reshape(1, -1)
    res = dispatch(
        member_import_kwh.reshape(1, -1),
        PvSource.from_matrix(supply.reshape(1, -1)),
        [shared_battery],
        interval_h=interval_h,
        month=month,
        export_limit_kw=[capacity_export_kw],
        import_limit_kwh=limit,
        import_limit_row=[0] if limit is not None else None,
        store_flows=store_flows,
    )
    imp = np.maximum(res.net_kwh[0], 0.0)
    exp_ = np.maximum(-res.net_kwh[0], 0.0)
    peaks = res.month_peak_import_kwh[0] / interval_h
    peak_idx = np.full(12, -1, dtype=np.int64)
    for m in range(12):
        sel = np.flatnonzero(month == m)
        if len(sel):
            peak_idx[m] = sel[np.argmax(imp[sel])]
    exc = None
    if capacity_import_kw is not None:
        exc = exceedance(imp, np.asarray(capacity_import_kw, float), interval_h)
    return GroupOutcome(
        import_kwh=imp,
        export_kwh=exp_,
        shared_kwh=float(res.totals_kwh[0, 0]),
        curtailed_kwh=float(res.totals_kwh[0, 3]),
        dispatch=res,
        monthly_peak_kw=peaks,
        peak_interval=peak_idx,
        exceedance=exc,
    )


def peak_contributions_kw(
    member_net_kwh: NDArray[np.float64],
    peak_interval: NDArray[np.int64],
    interval_h: float,
    *,
    members: NDArray[np.int64] | None = None,
) -> NDArray[np.float64]:
    """Each member's contribution to the group peak: its net load at the group's monthly peak.

    Parameters
    ----------
    member_net_kwh : ndarray (n, T)
        Net exchange of each member. [kWh]
    peak_interval : ndarray (12,)
        The group's peak interval per month (-1: none).
    interval_h : float
        Interval length. [h]
    members : ndarray of int, optional
        Rows of ``member_net_kwh`` that are members (default: all rows); only the peak
        columns are read, so a park-wide matrix is not copied.

    Returns
    -------
    ndarray (n_members, 12)
        Net load of each member in the group's peak interval, per month (negative when the
        member fed in then, i.e. it lowered the peak). [kW]
    """
    rows = np.arange(member_net_kwh.shape[0]) if members is None else np.asarray(members)
    out = np.zeros((len(rows), 12))
    ok = peak_interval >= 0
    out[:, ok] = member_net_kwh[np.ix_(rows, peak_interval[ok])] / interval_h
    return out


@dataclass(frozen=True)
class ParkPeaks:
    """Coincident vs individual peaks of a park."""

    coincident_peak_kw: float
    """Highest interval average of the park's summed net offtake. [kW]"""
    sum_of_individual_peaks_kw: float
    """Sum of every company's own highest offtake. [kW]"""
    coincident_export_peak_kw: float
    """Highest interval average of the park's summed net feed-in. [kW]"""
    exceeded_import_hours: float
    """Hours the park's net offtake is above ``available_import_kw``. [h]"""
    exceeded_import_kwh: float
    """Energy above ``available_import_kw``. [kWh]"""
    exceeded_export_hours: float
    """Hours the park's net feed-in is above ``available_export_kw``. [h]"""
    exceeded_export_kwh: float
    """Energy above ``available_export_kw``. [kWh]"""


def park_peaks(
    park_net_kwh: NDArray[np.float64],
    individual_peaks_kw: NDArray[np.float64],
    interval_h: float,
    available_import_kw: float | None = None,
    available_export_kw: float | None = None,
) -> ParkPeaks:
    """Peaks of the park as the grid operator sees it (summed net exchange).

    Parameters
    ----------
    park_net_kwh : ndarray (T,)
        Summed net exchange (offtake - feed-in) of all connections. [kWh]
    individual_peaks_kw : ndarray (n,)
        Each company's highest offtake. [kW]
    interval_h : float
        Interval length. [h]
    available_import_kw, available_export_kw : float, optional
        What the operator can carry for the park as a whole. [kW]
    """
    imp = np.maximum(park_net_kwh, 0.0)
    exp_ = np.maximum(-park_net_kwh, 0.0)
    ei = exceedance(imp, available_import_kw, interval_h) if available_import_kw else None
    ee = exceedance(exp_, available_export_kw, interval_h) if available_export_kw else None
    return ParkPeaks(
        coincident_peak_kw=float(imp.max() / interval_h) if len(imp) else 0.0,
        sum_of_individual_peaks_kw=float(np.sum(individual_peaks_kw)),
        coincident_export_peak_kw=float(exp_.max() / interval_h) if len(exp_) else 0.0,
        exceeded_import_hours=ei.hours if ei else 0.0,
        exceeded_import_kwh=ei.energy_kwh if ei else 0.0,
        exceeded_export_hours=ee.hours if ee else 0.0,
        exceeded_export_kwh=ee.energy_kwh if ee else 0.0,
    )
