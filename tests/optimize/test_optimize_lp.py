"""The sizing LP on small instances whose optimum is derived by hand."""

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


def site(demand, price, **kw) -> SiteProblem:
    n = len(demand)
    defaults = {
        "name": "t",
        "interval_h": 1.0,
        "weights": np.ones(n),
        "peak_pairs": (np.arange(n), np.zeros(n, dtype=np.int64)),
        "n_months": 1,
        "prev": np.roll(np.arange(n), 1),
        "classes": [ImportClass("a", np.asarray(demand, float), np.asarray(price, float), 0.0)],
        "profiles": np.zeros((1, n)),
        "contract_months": 1,
    }
    defaults.update(kw)
    return SiteProblem(**defaults)


@pytest.mark.parametrize("chain", [True, False])
def test_battery_shifts_energy_from_the_cheap_to_the_expensive_interval(chain):
    # demand 0 then 10 kWh; price 0.1 then 0.5 EUR/kWh; eta 0.9 each way, full window.
    # Buying x at t0: 0.9 * 0.9 * x = 10 -> x = 12.3457; stored 0.9 x = 11.111 kWh;
    # power: ch + dis <= B -> B = 12.3457 (ch at t0). Cost 0.1 x + 0.1 E + 0.05 B
    # = 1.23457 + 1.11111 + 0.61728 = 2.96296 < 5 (buying at t1).
    p = site([0.0, 10.0], [0.1, 0.5], battery=BatteryOption(0.1, 0.05, 0.9, 0.9, 1.0))
    s = solve_site(p, chain=chain)
    assert s.status == "optimal"
    x = 10 / 0.81
    assert s.objective_eur == pytest.approx(0.1 * x + 0.1 * 0.9 * x + 0.05 * x, rel=1e-6)
    assert s.battery_kwh == pytest.approx(0.9 * x, rel=1e-6)
    assert s.battery_kw == pytest.approx(x, rel=1e-6)
    assert s.import_kwh[0] == pytest.approx([x, 0.0], abs=1e-5)
    # state of charge in bounds and balances closed
    assert np.all(s.soc_kwh <= s.battery_kwh + 1e-6)


def test_battery_is_not_built_when_storage_costs_more_than_the_price_spread():
    p = site([0.0, 10.0], [0.1, 0.5], battery=BatteryOption(1.0, 1.0, 0.9, 0.9, 1.0))
    s = solve_site(p)
    assert s.battery_kwh == pytest.approx(0.0, abs=1e-6)
    assert s.objective_eur == pytest.approx(5.0, rel=1e-7)


@pytest.mark.parametrize(("annual", "expected_kwp"), [(0.45, 10.0), (0.2, 20.0), (0.7, 0.0)])
def test_pv_size_where_the_marginal_annuity_equals_the_marginal_saving(annual, expected_kwp):
    # demand 10 kWh in each of 4 hours; profile 0, 0.5, 1, 0.5 kWh/kWp; import 0.3 EUR/kWh.
    # Marginal saving per kWp: 0.3 x 2.0 = 0.6 below 10 kWp (no interval saturated),
    # 0.3 x 1.0 = 0.3 between 10 and 20 kWp (the noon hour saturated), 0 above 20 kWp.
    prof = np.array([[0.0, 0.5, 1.0, 0.5]])
    pv = [PvOption("roof", 0, 100.0, 0.0, annual)]
    s = solve_site(site([10.0] * 4, [0.3] * 4, profiles=prof, pv=pv))
    assert s.pv_kwp[0] == pytest.approx(expected_kwp, abs=1e-5)
    pv_kwh = np.minimum(prof[0] * expected_kwp, 10.0)
    assert s.objective_eur == pytest.approx(
        annual * expected_kwp + 0.3 * (40.0 - pv_kwh.sum()), rel=1e-7
    )


def test_curtailment_is_a_choice_under_an_export_cap():
    # no demand, PV 100 kWp with 1 kWh/kWp in one hour, export cap 30 kW, feed-in 0.05:
    # revenue 30 x 0.05 = 1.5 per year; 10 kWp costs 0.02 each -> size where 1 kWp more
    # brings 0.05 until 30 kWp, then nothing: 30 kWp, the rest would be curtailed.
    prof = np.array([[1.0]])
    p = site(
        [0.0],
        [0.3],
        profiles=prof,
        pv=[PvOption("roof", 0, 100.0, 0.0, 0.02)],
        export_cap_kw=30.0,
        feed_in_eur_per_kwh=0.05,
    )
    s = solve_site(p)
    assert s.pv_kwp[0] == pytest.approx(30.0, abs=1e-5)
    assert s.export_kwh[0] == pytest.approx(30.0, abs=1e-5)
    # existing oversized PV is curtailed, not exported above the cap
    p2 = site([0.0], [0.3], profiles=prof, pv=[PvOption("roof", 0, 100.0, 50.0, 0.02)],
              export_cap_kw=30.0, feed_in_eur_per_kwh=0.05)  # fmt: skip
    s2 = solve_site(p2)
    assert s2.export_kwh[0] == pytest.approx(30.0, abs=1e-5)
    assert s2.curtailed_kwh[0] == pytest.approx(20.0, abs=1e-5)


def test_monthly_kw_max_is_linearised_exactly():
    # two months of two hours; demand 2, 10 | 4, 6 kWh; kWmax 3 EUR/kW per month, 0.2 EUR/kWh
    p = site(
        [2.0, 10.0, 4.0, 6.0],
        [0.2] * 4,
        peak_pairs=(np.arange(4), np.array([0, 0, 1, 1])),
        n_months=2,
        kw_max_eur_per_kw_month=3.0,
        contract_kw=20.0,
        contract_eur_per_kw_month=1.0,
        contract_months=2,
    )
    s = solve_site(p)
    assert s.monthly_max_kw == pytest.approx([10.0, 6.0], abs=1e-6)
    assert s.costs_eur["transport.kw_max"] == pytest.approx(48.0)
    assert s.costs_eur["transport.kw_contract"] == pytest.approx(40.0)
    assert s.objective_eur == pytest.approx(48.0 + 40.0 + 0.2 * 22.0, rel=1e-7)


def test_a_battery_shaves_the_monthly_peak_when_that_pays():
    # demand 0 and 10 kWh, flat price; kWmax 5 EUR/kW; battery 0.1 EUR/kWh, 0.1 EUR/kW, eta 1.
    # Spread 10 kWh over two hours: peak 5 kW saves 25 EUR; battery 5 kWh, 5 kW costs 1 EUR.
    p = site([0.0, 10.0], [0.2, 0.2], kw_max_eur_per_kw_month=5.0, contract_kw=50.0,
             battery=BatteryOption(0.1, 0.1, 1.0, 1.0, 1.0))  # fmt: skip
    s = solve_site(p)
    assert s.monthly_max_kw[0] == pytest.approx(5.0, abs=1e-5)
    assert s.battery_kwh == pytest.approx(5.0, abs=1e-5)
    assert s.objective_eur == pytest.approx(0.2 * 10 + 25.0 + 0.5 + 0.5, rel=1e-6)


def test_contract_is_a_decision_for_a_group_and_capped_by_the_operator():
    p = site([3.0, 8.0], [0.1, 0.1], contract_kw=None, contract_max_kw=100.0,
             import_cap_kw=9.0, contract_eur_per_kw_month=2.0)  # fmt: skip
    s = solve_site(p)
    assert s.contract_kw == pytest.approx(8.0, abs=1e-6)
    infeasible = solve_site(site([3.0, 12.0], [0.1, 0.1], contract_kw=None, contract_max_kw=100.0,
                                 import_cap_kw=9.0))  # fmt: skip
    assert infeasible.status == "infeasible"


def test_time_block_rows_only_where_the_right_is_lower_and_co2_cap():
    p = site([5.0, 5.0, 5.0], [0.1] * 3, contract_kw=10.0,
             import_cap_series_kw=np.array([10.0, 4.0, 10.0]),
             battery=BatteryOption(0.01, 0.01, 1.0, 1.0, 1.0))  # fmt: skip
    _lp, _, blocks = build_matrix(p)
    assert blocks["time_block"].stop - blocks["time_block"].start == 1
    s = solve_site(p)
    assert s.import_kwh[0][1] <= 4.0 + 1e-6
    assert s.status == "optimal"
    capped = solve_site(site([5.0, 5.0], [0.1, 0.1], co2_kg_per_kwh=0.5, co2_cap_kg=4.0,
                             profiles=np.array([[1.0, 1.0]]),
                             pv=[PvOption("r", 0, 100.0, 0.0, 10.0)]))  # fmt: skip
    # without the cap no PV (10 EUR/kWp); with it 10 kWh may be imported: 0.5 x 8 = 4 kg
    assert capped.co2_kg == pytest.approx(4.0, abs=1e-5)
    assert capped.pv_kwp[0] == pytest.approx(1.0, abs=1e-5)


def test_lp_size_is_reported_and_matches_the_matrix():
    p = site([1.0] * 24, [0.1] * 24, battery=BatteryOption(0.1, 0.1, 0.9, 0.9, 0.9))
    lp, _cols, _ = build_matrix(p, chain=False)
    s = solve_site(p, chain=False)
    assert (s.size.rows, s.size.cols) == (lp.num_row_, lp.num_col_)
    # balance, peak, soc, soc cap, power rows per interval
    assert s.size.rows == 5 * 24 + 1  # and one contract row (the contract is a decision)


def test_only_the_host_class_imports_more_than_its_own_demand():
    # two import classes of 5 kWh each: 0.1 and 0.3 EUR/kWh. A class that does not host the
    # battery imports at most its demand; the host may import more (for the pool).
    def solve(host_cheap: bool) -> float:
        classes = [
            ImportClass("cheap", np.array([5.0]), 0.1, 0.0, host=host_cheap),
            ImportClass("dear", np.array([5.0]), 0.3, 0.0, host=not host_cheap),
        ]
        return solve_site(site([0.0], [0.0], classes=classes)).objective_eur

    assert solve(host_cheap=False) == pytest.approx(0.5 + 1.5, rel=1e-7)
    assert solve(host_cheap=True) == pytest.approx(1.0, rel=1e-7)
