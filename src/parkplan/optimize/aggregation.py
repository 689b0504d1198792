"""Fast mode: the sizing LP on typical days (time-series aggregation as in ``tsam``).

The year is cut into days (24 h of consecutive intervals from 1 January; DST days are not
special: a "day" is 24 hours). The days are clustered on every company's net demand and
every PV profile (tsam's hierarchical clustering, done with scipy by default; the day with
the park's highest demand is kept as its own cluster). Each cluster is represented by its
*medoid*, a real day, so demand and sun stay consistent within a day. The LP then runs over
the typical days only:

- energy terms are weighted by the number of days a typical day stands for, and every
  company's demand and every PV profile is rescaled so that the weighted typical days hold
  exactly the year's energy;
- the monthly kWmax of month m is at least the power of every typical day that represents a
  day of month m (peak pairs per month);
- a battery cycles within each typical day (its state of charge at the end of the day equals
  the start).

The error against the full year is measured in ``bench/optimize.py`` and recorded in
docs/performance.md.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from parkplan.optimize.lp import OptimizeError
from parkplan.optimize.sizing import (
    ParkOptimum,
    ParkSizingInputs,
    _months,
    net_demand,
    optimize_park,
)

if TYPE_CHECKING:
    from parkplan.refdata.loader import RefData


@dataclass
class TypicalDays:
    """The clustering of the days of a year."""

    intervals_per_day: int
    assignment: NDArray[np.int64]
    """Cluster of every day of the year."""
    representative: NDArray[np.int64]
    """The day (0-based day of the year) that represents each cluster."""
    counts: NDArray[np.int64]
    """Number of days per cluster."""


def _day_matrix(inputs: ParkSizingInputs) -> tuple[pd.DataFrame, int, int]:
    n_t = len(inputs.index)
    per_day = round(24 / inputs.interval_h)
    if n_t % per_day:
        raise OptimizeError(
            f"de tijdas ({n_t} intervallen) is geen geheel aantal dagen",
            f"the time axis ({n_t} intervals) is not a whole number of days",
        )
    cols: dict[str, np.ndarray] = {}
    for m in inputs.members:
        cols[f"d:{m.id}"] = net_demand(m)
    for k in range(inputs.profiles.shape[0]):
        cols[f"pv:{k}"] = inputs.profiles[k]
    cols["total"] = np.sum([net_demand(m) for m in inputs.members], axis=0)
    naive = pd.date_range("2001-01-01", periods=n_t, freq=f"{round(inputs.interval_h * 60)}min")
    return pd.DataFrame(cols, index=naive), per_day, n_t // per_day


def typical_days(inputs: ParkSizingInputs, n_days: int, *, method: str = "ward") -> TypicalDays:
    """Cluster the days of ``inputs`` into ``n_days`` typical days.

    Parameters
    ----------
    inputs : ParkSizingInputs
        The full-year inputs.
    n_days : int
        Number of typical days (the peak-demand day included).
    method : str
        ``"ward"`` (default): ``tsam``'s hierarchical clustering with the peak day as a new
        cluster, done with ``scipy.cluster.hierarchy`` (:func:`_ward_assignment`; the same
        partition on the bench hub); ``"tsam"``: through ``tsam`` itself. ``ward`` avoids
        importing ``tsam`` and its pipeline (about 1 s), which the speed-up of the fast
        mode needs now that the full year solves in seconds.
    """
    df, per_day, days = _day_matrix(inputs)
    if not 2 <= n_days < days:
        raise OptimizeError(
            f"aantal typische dagen {n_days}: kies 2 tot {days - 1}",
            f"number of typical days {n_days}: choose 2 to {days - 1}",
        )
    # scale columns so that large companies do not dominate the distance
    scale = df.abs().max().replace(0.0, 1.0)
    peak_day = int(np.argmax(df["total"].to_numpy()) // per_day)
    if method == "tsam":
        assign = _tsam_assignment(df / scale, n_days, inputs.interval_h, days)
    elif method == "ward":
        assign = _ward_assignment(df, n_days, per_day, days, peak_day)
    else:
        raise OptimizeError(
            f"onbekende clustermethode {method!r}: kies 'ward' of 'tsam'",
            f"unknown clustering method {method!r}: choose 'ward' or 'tsam'",
        )
    # medoid per cluster on the scaled data: the real day closest to the cluster mean
    x = (df / scale).to_numpy().reshape(days, per_day * df.shape[1])
    labels = np.unique(assign)
    reps = []
    counts = []
    new_assign = np.empty_like(assign)
    for j, lab in enumerate(labels):
        members = np.flatnonzero(assign == lab)
        centre = x[members].mean(axis=0)
        d = ((x[members] - centre) ** 2).sum(axis=1)
        reps.append(int(members[np.argmin(d)]))
        counts.append(members.size)
        new_assign[members] = j
    # keep the peak day itself as the representative of its cluster
    reps[int(new_assign[peak_day])] = peak_day
    return TypicalDays(
        per_day,
        new_assign,
        np.asarray(reps, dtype=np.int64),
        np.asarray(counts, dtype=np.int64),
    )


def _ward_assignment(
    df: pd.DataFrame, n_days: int, per_day: int, days: int, peak_day: int
) -> NDArray[np.int64]:
    """Cluster of every day, as ``tsam`` does it (hierarchical, extreme period as a new
    cluster) without importing it: Ward's method on the min-max-normalised days into
    ``n_days - 1`` clusters; the peak day becomes a cluster of its own, joined by every day
    that is closer to it than to the medoid of its cluster. On the bench hub this gives
    the same partition as ``tsam`` 4.1."""
    from scipy.cluster.hierarchy import fcluster, linkage

    v = df.to_numpy()
    span = v.max(axis=0) - v.min(axis=0)
    norm = (v - v.min(axis=0)) / np.where(span > 0, span, 1.0)
    x = norm.reshape(days, per_day * df.shape[1])
    assign = fcluster(linkage(x, method="ward"), t=n_days - 1, criterion="maxclust")
    assign = assign.astype(np.int64) - 1
    peak_label = int(assign.max()) + 1
    assign[peak_day] = peak_label
    to_peak = ((x - x[peak_day]) ** 2).sum(axis=1)
    for lab in range(peak_label):
        members = np.flatnonzero(assign == lab)
        if members.size == 0:
            continue
        centre = x[members].mean(axis=0)
        medoid = x[members[np.argmin(((x[members] - centre) ** 2).sum(axis=1))]]
        closer = to_peak[members] < ((x[members] - medoid) ** 2).sum(axis=1)
        assign[members[closer]] = peak_label
    return assign


def _tsam_assignment(
    scaled: pd.DataFrame, n_days: int, interval_h: float, days: int
) -> NDArray[np.int64]:
    """Cluster of every day with ``tsam`` (hierarchical, peak day as a new cluster)."""
    import warnings

    import tsam

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = tsam.aggregate(
            scaled,
            n_days - 1,
            period_duration=24,
            temporal_resolution=interval_h,
            cluster=tsam.ClusterConfig(method="hierarchical", representation="medoid"),
            extremes=tsam.ExtremeConfig(method="new_cluster", max_value=["total"]),
            preserve_column_means=False,
        )
    return np.asarray(res.cluster_assignments, dtype=np.int64).reshape(-1)[:days]


def aggregate(inputs: ParkSizingInputs, td: TypicalDays) -> tuple[ParkSizingInputs, dict[str, Any]]:
    """The inputs restricted to the typical days, and the LP axes (weights, peak pairs per
    month, battery cycling within each day)."""
    per = td.intervals_per_day
    sel = (td.representative[:, None] * per + np.arange(per)[None, :]).reshape(-1)
    months_full = _months(inputs.index)
    n_months = int(months_full.max()) + 1
    day_month = months_full[np.arange(td.assignment.size) * per]
    weights = np.repeat(td.counts.astype(float), per)
    pt: list[np.ndarray] = []
    pm: list[np.ndarray] = []
    for j in range(td.representative.size):
        ts = j * per + np.arange(per)
        for m in np.unique(day_month[td.assignment == j]):
            pt.append(ts)
            pm.append(np.full(per, m))
    local = np.arange(sel.size) % per
    prev = np.arange(sel.size) - 1
    prev[local == 0] += per

    def keep_energy(full: np.ndarray) -> np.ndarray:
        # rescale the typical days so that, weighted, they hold the year's energy
        part = np.asarray(full, dtype=float)[sel]
        total = float(np.sum(weights * part))
        return part * (float(np.sum(full)) / total) if total > 0 else part

    members = [
        replace(
            m,
            demand_kwh=keep_energy(m.demand_kwh),
            existing_pv_kwh=None if m.existing_pv_kwh is None else keep_energy(m.existing_pv_kwh),
            import_cap_series_kw=None
            if m.import_cap_series_kw is None
            else m.import_cap_series_kw[sel],
        )
        for m in inputs.members
    ]
    profiles = np.vstack([keep_energy(row) for row in inputs.profiles])

    def cut(v: Any) -> Any:
        return v[sel] if v is not None and np.ndim(v) else v

    reduced = replace(
        inputs,
        index=inputs.index[sel],
        profiles=profiles,
        members=members,
        supply_eur_per_kwh=cut(inputs.supply_eur_per_kwh),
        feed_in_eur_per_kwh=cut(inputs.feed_in_eur_per_kwh),
    )
    axes = {
        "weights": weights,
        "peak_pairs": (np.concatenate(pt), np.concatenate(pm)),
        "n_months": n_months,
        "prev": prev.astype(np.int64),
        "contract_months": n_months,
    }
    return reduced, axes


def optimize_park_fast(
    inputs: ParkSizingInputs,
    refdata: RefData,
    *,
    typical_days: int,
    together: bool = True,
    options: dict[str, Any] | None = None,
    progress: Any = None,
    lang: str = "nl",
) -> ParkOptimum:
    """:func:`parkplan.optimize.sizing.optimize_park` on typical days (``progress`` and
    ``lang``: passed on).

    The result's ``aggregated`` says how many typical days and intervals were used and how
    long clustering took; its series are on the typical days.
    """
    t0 = time.perf_counter()
    td = globals()["typical_days"](inputs, typical_days)
    reduced, axes = aggregate(inputs, td)
    t1 = time.perf_counter()
    opt = optimize_park(reduced, refdata, together=together, axes=axes, options=options,
                        progress=progress, lang=lang)  # fmt: skip
    opt.seconds += t1 - t0
    opt.aggregated = {
        "typical_days": int(td.representative.size),
        "intervals": len(reduced.index),
        "clustering_seconds": round(t1 - t0, 3),
        "representative_days": td.representative.tolist(),
        "days_per_typical_day": td.counts.tolist(),
    }
    return opt
