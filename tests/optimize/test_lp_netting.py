"""Net metering (salderen) in the sizing LP: with flat prices one annual column N holds the
netted kWh; the result equals the per-interval formulation."""

from __future__ import annotations

import numpy as np
import pytest

from parkplan.optimize.lp import (
    BatteryOption,
    ImportClass,
    PvOption,
    SiteProblem,
    build_matrix,
    solve_site,
)


def netting_site(n_days: int = 20, *, netting=0.3, feed_in=0.05, export_cap_kw=None):
    """A small consumer with existing PV, a battery option and net metering."""
    rng = np.random.default_rng(5)
    n = 24 * n_days
    hour = np.arange(n) % 24
    demand = 0.3 + 0.4 * ((hour >= 17) & (hour < 23)) + rng.uniform(0.0, 0.2, n)
    sun = np.clip(np.sin((hour - 6) / 12 * np.pi), 0.0, None) * rng.uniform(0.3, 1.0, n)
    return SiteProblem(
        name="home",
        interval_h=1.0,
        weights=np.ones(n),
        peak_pairs=(np.arange(n), np.zeros(n, dtype=np.int64)),
        n_months=1,
        prev=np.roll(np.arange(n), 1),
        classes=[ImportClass("a", demand, 0.2, 0.1)],
        profiles=sun[None, :] * 0.8,
        pv=[PvOption("roof", 0, 4.0, 4.0, 0.0)],
        battery=BatteryOption(40.0 * n_days / 365, 15.0 * n_days / 365, 0.95, 0.95, 0.9),
        contract_kw=10.0,
        import_cap_kw=10.0,
        export_cap_kw=export_cap_kw,
        feed_in_eur_per_kwh=feed_in,
        netting_eur_per_kwh=netting,
    )


def test_netting_known_optimum():
    # hour 0: demand 10 kWh, no sun; hour 1: no demand, 20 kWh PV (existing, fixed).
    # Import 10 at 0.3; feed-in 20, of which 10 netted (the annual offtake) at 0.3 and 10
    # at 0.05: operating cost 3.0 - 3.0 - 0.5 = -0.5 EUR.
    p = SiteProblem(
        name="t",
        interval_h=1.0,
        weights=np.ones(2),
        peak_pairs=(np.arange(2), np.zeros(2, dtype=np.int64)),
        n_months=1,
        prev=np.array([1, 0]),
        classes=[ImportClass("a", np.array([10.0, 0.0]), 0.3, 0.0)],
        profiles=np.array([[0.0, 1.0]]),
        pv=[PvOption("roof", 0, 20.0, 20.0, 0.0)],
        contract_kw=50.0,
        export_cap_kw=30.0,
        feed_in_eur_per_kwh=0.05,
        netting_eur_per_kwh=0.3,
    )
    _, cols, _ = build_matrix(p)
    assert cols.netting_folded
    s = solve_site(p)
    assert s.objective_eur == pytest.approx(-0.5, abs=1e-7)
    assert s.netted_export_kwh.sum() == pytest.approx(10.0, abs=1e-6)
    assert s.export_kwh.sum() == pytest.approx(10.0, abs=1e-6)
    assert s.costs_eur["feed_in.netted"] == pytest.approx(-3.0, abs=1e-6)
    assert s.costs_eur["feed_in"] == pytest.approx(-0.5, abs=1e-6)


def test_folded_netting_equals_the_per_interval_formulation():
    folded = netting_site()
    n = len(folded.weights)
    per_interval = netting_site(netting=np.full(n, 0.3) + np.arange(n) * 1e-12)
    _, c1, _ = build_matrix(folded)
    _, c2, _ = build_matrix(per_interval)
    assert c1.netting_folded
    assert not c2.netting_folded
    assert c1.n == c2.n - n + 1  # one column for the year instead of one per interval
    a = solve_site(folded, lazy=False)
    b = solve_site(per_interval, lazy=False)
    assert a.status == b.status == "optimal"
    assert a.objective_eur == pytest.approx(b.objective_eur, rel=1e-6)
    assert a.battery_kwh == pytest.approx(b.battery_kwh, abs=1e-3)
    # the netted part never exceeds the annual offtake, and the split closes the balance
    assert a.netted_export_kwh.sum() <= a.import_kwh.sum() + 1e-6
    assert np.all(a.netted_export_kwh >= 0.0) and np.all(a.export_kwh >= 0.0)
    lhs = a.pv_kwh + a.import_kwh.sum(axis=0) + a.discharge_kwh
    rhs = (
        folded.classes[0].demand_kwh
        + a.export_kwh
        + a.netted_export_kwh
        + a.charge_kwh
        + a.curtailed_kwh
    )
    assert lhs == pytest.approx(rhs, abs=1e-6)


def test_folded_netting_caps_the_total_feed_in():
    # with an export cap the netted and the other feed-in together stay under the cap
    p = netting_site(export_cap_kw=1.0)
    s = solve_site(p)
    assert s.status == "optimal"
    assert np.all(s.export_kwh + s.netted_export_kwh <= 1.0 + 1e-6)


@pytest.mark.parametrize("lazy", [False, True])
def test_battery_screen_keeps_the_optimum_when_the_battery_does_not_pay(lazy):
    # net metering at the import price: storing PV for the evening is worth less than the
    # battery costs, so the LP without the battery is the optimum of the whole LP
    p = netting_site(netting=0.3)
    screened = solve_site(p, lazy=lazy)
    whole = solve_site(p, lazy=lazy, screen_battery=False)
    assert screened.status == whole.status == "optimal"
    assert screened.battery_kwh == 0.0
    assert whole.battery_kwh == pytest.approx(0.0, abs=1e-6)
    assert screened.objective_eur == pytest.approx(whole.objective_eur, rel=1e-9)
    assert screened.costs_eur["battery"] == 0.0
    assert screened.size == whole.size  # the whole LP's size is reported
    assert screened.rounds >= 2  # the LP without the battery, then the pricing LP


@pytest.mark.parametrize("lazy", [False, True])
def test_battery_screen_falls_back_when_the_battery_pays(lazy):
    # a cheap battery and a day/night price spread without net metering: it pays, so the
    # screen must not stop at the solution without it
    n_days = 20
    p = netting_site(n_days)
    n = len(p.weights)
    hour = np.arange(n) % 24
    p.classes[0].supply_eur_per_kwh = np.where((hour >= 17) & (hour < 23), 0.6, 0.1)
    p.netting_eur_per_kwh = None
    p.battery = BatteryOption(5.0 * n_days / 365, 2.0 * n_days / 365, 0.95, 0.95, 0.9)
    screened = solve_site(p, lazy=lazy)
    whole = solve_site(p, lazy=lazy, screen_battery=False)
    assert whole.battery_kwh > 0.5
    assert screened.battery_kwh == pytest.approx(whole.battery_kwh, rel=1e-4)
    assert screened.objective_eur == pytest.approx(whole.objective_eur, rel=1e-9)


def test_per_interval_netting_also_caps_the_total_feed_in():
    # prices that vary per interval keep a netted column per interval; the cap still holds
    # for both parts together, and the result equals the folded formulation
    folded = netting_site(export_cap_kw=1.0)
    n = len(folded.weights)
    per_interval = netting_site(netting=np.full(n, 0.3) + np.arange(n) * 1e-12, export_cap_kw=1.0)
    _, cols, blocks = build_matrix(per_interval)
    assert not cols.netting_folded
    assert blocks["export_cap"].stop - blocks["export_cap"].start == n
    a = solve_site(folded, screen_battery=False)
    b = solve_site(per_interval, screen_battery=False)
    assert np.all(b.export_kwh + b.netted_export_kwh <= 1.0 + 1e-6)
    assert b.objective_eur == pytest.approx(a.objective_eur, rel=1e-6)
