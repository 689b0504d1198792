"""Row generation in the sizing LP: the peak, state-of-charge-cap and battery-power rows are
added only where they bind, and the result is the optimum of the whole LP."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parkplan.optimize.lp import (
    LAZY_MIN_INTERVALS,
    BatteryOption,
    ImportClass,
    PvOption,
    SiteProblem,
    build_matrix,
    full_year_axes,
    solve_site,
)


def hub_site(n_days: int = 60, seed: int = 3) -> SiteProblem:
    """A site with PV, a battery, a monthly kWmax tariff and a contract decision: demand with
    a daily shape and seeded noise, two months of 30 days."""
    rng = np.random.default_rng(seed)
    n = 24 * n_days
    hour = np.arange(n) % 24
    demand = 40.0 + 30.0 * ((hour >= 8) & (hour < 18)) + rng.uniform(0.0, 25.0, n)
    sun = np.clip(np.sin((hour - 6) / 12 * np.pi), 0.0, None) * rng.uniform(0.3, 1.0, n)
    month = np.arange(n) // (24 * 30)
    pairs, n_months, prev = full_year_axes(month)
    price = 0.12 + 0.08 * ((hour >= 7) & (hour < 21))
    return SiteProblem(
        name="hub",
        interval_h=1.0,
        weights=np.ones(n),
        peak_pairs=pairs,
        n_months=n_months,
        prev=prev,
        classes=[
            ImportClass("a", demand * 0.7, price, 0.05, host=False),
            ImportClass("b", demand * 0.3, price, 0.02, host=True),
        ],
        profiles=sun[None, :] * 0.9,
        pv=[PvOption("roof", 0, 150.0, 0.0, 60.0 * n_days / 365)],
        battery=BatteryOption(0.4, 0.3, 0.95, 0.95, 0.9),
        contract_eur_per_kw_month=2.0,
        kw_max_eur_per_kw_month=3.0,
        contract_kw=None,
        contract_max_kw=150.0,
        contract_months=n_months,
        export_cap_kw=60.0,
        feed_in_eur_per_kwh=0.04,
    )


def row_activity_ok(p: SiteProblem, s) -> bool:
    """The solution satisfies every row of the whole LP (within 1e-6 relative)."""
    lp, cols, _ = build_matrix(p)
    n_t = len(p.weights)
    x = np.zeros(lp.num_col_)
    x[cols.pv : cols.pv + cols.n_pv] = s.pv_kwp
    x[cols.e], x[cols.b] = s.battery_kwh, s.battery_kw
    x[cols.c] = s.contract_kw
    x[cols.m : cols.m + p.n_months] = s.monthly_max_kw
    x[cols.imp : cols.imp + cols.n_cls * n_t] = s.import_kwh.reshape(-1)
    x[cols.exp : cols.exp + n_t] = s.export_kwh
    x[cols.ch : cols.ch + n_t] = s.charge_kwh
    x[cols.dis : cols.dis + n_t] = s.discharge_kwh
    x[cols.soc : cols.soc + n_t] = s.soc_kwh
    import scipy.sparse as sp

    a = sp.csc_matrix(
        (lp.a_matrix_.value_, lp.a_matrix_.index_, lp.a_matrix_.start_),
        shape=(lp.num_row_, lp.num_col_),
    )
    act = a @ x
    lo, hi = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
    tol = 1e-6 * (1.0 + np.maximum(np.abs(np.where(np.isfinite(hi), hi, 0.0)), 1.0))
    return bool(np.all(act <= hi + tol) and np.all(act >= lo - tol))


def test_row_generation_reaches_the_optimum_of_the_whole_lp():
    p = hub_site()
    whole = solve_site(p, lazy=False)
    lazy = solve_site(p, lazy=True)
    assert whole.status == lazy.status == "optimal"
    assert whole.rounds == 1
    assert whole.rows_solved == whole.size.rows
    # fewer rows were solved, and HiGHS ran again after adding the violated ones
    assert lazy.rows_solved < lazy.size.rows
    assert lazy.rounds >= 2
    assert lazy.size == whole.size
    assert lazy.objective_eur == pytest.approx(whole.objective_eur, rel=1e-7)
    assert lazy.battery_kwh > 1.0  # the battery is built: its rows matter
    assert row_activity_ok(p, lazy)


def test_row_generation_is_on_by_default_for_long_horizons_only():
    p = hub_site(n_days=LAZY_MIN_INTERVALS // 24 + 1)
    s = solve_site(p)
    assert s.rows_solved < s.size.rows
    short = solve_site(hub_site(n_days=10))
    assert short.rows_solved == short.size.rows
    assert short.rounds == 1


def test_known_optimum_is_kept_with_row_generation():
    # the hand-derived battery case of test_optimize_lp, forced through row generation:
    # buy x = 10 / 0.81 at 0.1, store 0.9 x, power x
    n = 2
    p = SiteProblem(
        name="t",
        interval_h=1.0,
        weights=np.ones(n),
        peak_pairs=(np.arange(n), np.zeros(n, dtype=np.int64)),
        n_months=1,
        prev=np.roll(np.arange(n), 1),
        classes=[ImportClass("a", np.array([0.0, 10.0]), np.array([0.1, 0.5]), 0.0)],
        profiles=np.zeros((1, n)),
        battery=BatteryOption(0.1, 0.05, 0.9, 0.9, 1.0),
        contract_months=1,
    )
    s = solve_site(p, lazy=True)
    x = 10 / 0.81
    assert s.objective_eur == pytest.approx(0.1 * x + 0.1 * 0.9 * x + 0.05 * x, rel=1e-6)
    assert s.battery_kw == pytest.approx(x, rel=1e-6)


def test_row_generation_reports_an_infeasible_site():
    # demand above the contract in one hour and no battery or PV to help: infeasible
    p = hub_site(n_days=5)
    p.battery = None
    p.pv = []
    p.contract_kw = 50.0
    s = solve_site(p, lazy=True)
    assert s.status == "infeasible"
    assert np.isnan(s.objective_eur)


def test_row_generation_with_typical_day_weights_and_several_months_per_interval():
    # two typical days, each standing for days of two months: peak pairs repeat intervals
    p = hub_site(n_days=2)
    n = len(p.weights)
    p.weights = np.repeat([20.0, 40.0], n // 2)
    pt = np.concatenate([np.arange(24), np.arange(24), np.arange(24, 48), np.arange(24, 48)])
    pm = np.repeat([0, 1, 0, 1], 24)
    p.peak_pairs = (pt, pm)
    p.n_months = p.contract_months = 2
    local = np.arange(n) % 24
    prev = np.arange(n) - 1
    prev[local == 0] += 24
    p.prev = prev
    whole = solve_site(p, lazy=False)
    lazy = solve_site(p, lazy=True)
    assert whole.status == lazy.status == "optimal"
    assert lazy.objective_eur == pytest.approx(whole.objective_eur, rel=1e-7)
    assert row_activity_ok(p, lazy)


def test_lp_size_of_the_whole_lp_is_reported_with_row_generation():
    p = hub_site(n_days=20)
    lp, _, _ = build_matrix(p)
    s = solve_site(p, lazy=True)
    assert (s.size.rows, s.size.cols, s.size.nnz) == (
        lp.num_row_,
        lp.num_col_,
        len(lp.a_matrix_.value_),
    )


def test_ward_clustering_matches_tsam_partition():
    from parkplan.optimize.aggregation import typical_days
    from parkplan.optimize.sizing import MemberInput, ParkSizingInputs

    rng = np.random.default_rng(11)
    idx = pd.date_range("2025-01-01", periods=24 * 60, freq="h", tz="Europe/Amsterdam")
    hour = np.arange(idx.size) % 24
    season = 1.0 + 0.3 * np.cos(np.arange(idx.size) / idx.size * 2 * np.pi)
    members = [
        MemberInput(
            id=f"m{i}",
            demand_kwh=(20.0 + 15.0 * ((hour >= 8) & (hour < 17)) * rng.uniform(0.5, 1.5))
            * season
            * rng.uniform(0.8, 1.2, idx.size),
            contracted_kw=80.0,
            grid_level="MS",
        )
        for i in range(4)
    ]
    sun = np.clip(np.sin((hour - 6) / 12 * np.pi), 0.0, None) * rng.uniform(0.2, 1.0, idx.size)
    inputs = ParkSizingInputs(
        park_id="p",
        index=idx,
        interval_h=1.0,
        profiles=sun[None, :],
        members=members,
        operator="stedin",
        year=2025,
        costs=None,
    )
    ward = typical_days(inputs, 6)
    ref = typical_days(inputs, 6, method="tsam")
    assert ward.counts.sum() == 60
    # same partition (labels may differ) and the same representatives
    pairs = set(zip(ward.assignment.tolist(), ref.assignment.tolist(), strict=True))
    assert len(pairs) == len(set(ward.assignment.tolist())) == len(set(ref.assignment.tolist()))
    assert sorted(ward.representative.tolist()) == sorted(ref.representative.tolist())
    peak_day = int(np.argmax(np.sum([m.demand_kwh for m in members], axis=0)) // 24)
    assert peak_day in ward.representative.tolist()
