"""Battery dispatch: exact small cases and properties on random small cases."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parkplan.domain.errors import ParkplanError
from parkplan.energy.battery import (
    Battery,
    PvSource,
    Strategy,
    battery_arrays,
    battery_from_defaults,
    dispatch,
)
from parkplan.energy.flows import FLOW_NAMES, balance_residuals


def bat(energy, power, strategy="self_consumption", rte=1.0, lo=0.0, hi=1.0, init=0.0, target=None):
    return Battery(energy, power, Strategy(strategy), rte, lo, hi, init, target)


def test_self_consumption_stores_surplus_and_serves_the_evening():
    load = np.array([[1.0, 1.0, 1.0, 1.0]])
    pv = np.array([[3.0, 0.0, 0.0, 0.0]])
    r = dispatch(load, pv, [bat(2, 10)], interval_h=1.0, store_flows=True)
    f = r.flows
    assert f.pv_to_load.tolist() == [[1, 0, 0, 0]]
    assert f.pv_to_battery.tolist() == [[2, 0, 0, 0]]
    assert f.battery_to_load.tolist() == [[0, 1, 1, 0]]
    assert f.grid_to_load.tolist() == [[0, 0, 0, 1]]
    assert f.soc_kwh.tolist() == [[2, 1, 0, 0]]
    assert r.net_kwh.tolist() == [[0, -0, -0, 1]] or r.net_kwh.tolist() == [[0, 0, 0, 1]]


def test_round_trip_efficiency_is_split_evenly():
    load = np.array([[0.0, 5.0]])
    pv = np.array([[1.0, 0.0]])
    r = dispatch(load, pv, [bat(10, 10, rte=0.81)], interval_h=1.0, store_flows=True)
    f = r.flows
    assert f.soc_kwh[0, 0] == pytest.approx(0.9)
    assert f.battery_to_load[0, 1] == pytest.approx(0.81)
    assert f.grid_to_load[0, 1] == pytest.approx(5 - 0.81)
    assert f.soc_kwh[0, 1] == pytest.approx(0.0, abs=1e-12)


def test_power_limit_and_soc_bounds():
    load = np.array([[0.0, 0.0, 10.0, 10.0]])
    pv = np.array([[10.0, 10.0, 0.0, 0.0]])
    b = bat(10, 3, lo=0.1, hi=0.9, init=0.1)
    r = dispatch(load, pv, [b], interval_h=1.0, store_flows=True)
    f = r.flows
    assert f.pv_to_battery[0].tolist() == pytest.approx([3, 3, 0, 0])
    assert f.soc_kwh[0].tolist() == pytest.approx([4, 7, 4, 1])
    assert f.battery_to_load[0].tolist() == pytest.approx([0, 0, 3, 3])
    # the upper bound stops charging
    r2 = dispatch(np.zeros((1, 3)), np.full((1, 3), 10.0), [b], interval_h=1.0, store_flows=True)
    assert r2.flows.soc_kwh[0].tolist() == pytest.approx([4, 7, 9])


def test_peak_shaving_keeps_import_under_the_limit_and_recharges_from_the_grid():
    load = np.array([[5.0, 1.0, 5.0, 1.0]])
    pv = np.zeros((1, 4))
    b = bat(4, 10, "peak_shaving", init=1.0, target=3.0)
    r = dispatch(load, pv, [b], interval_h=1.0, store_flows=True)
    f = r.flows
    assert f.battery_to_load[0].tolist() == pytest.approx([2, 0, 2, 0])
    assert f.grid_to_load[0].tolist() == pytest.approx([3, 1, 3, 1])
    assert f.grid_to_battery[0].tolist() == pytest.approx([0, 2, 0, 2])
    assert r.import_kwh.max() == pytest.approx(3.0)


def test_peak_shaving_charges_from_surplus_pv_first():
    load = np.array([[1.0, 6.0]])
    pv = np.array([[4.0, 0.0]])
    b = bat(10, 10, "peak_shaving", target=4.0)
    r = dispatch(load, pv, [b], interval_h=1.0, store_flows=True)
    assert r.flows.pv_to_battery[0, 0] == pytest.approx(3.0)
    assert r.flows.grid_to_battery[0, 0] == 0.0
    assert r.flows.battery_to_load[0, 1] == pytest.approx(2.0)


def test_peak_shaving_uses_the_connection_schedule_without_a_target():
    load = np.array([[5.0, 1.0]])
    b = bat(4, 10, "peak_shaving", init=1.0)
    r = dispatch(
        load,
        np.zeros((1, 2)),
        [b],
        interval_h=1.0,
        import_limit_kwh=np.array([[4.0, 4.0]]),
        import_limit_row=[0],
        store_flows=True,
    )
    assert r.flows.grid_to_load[0, 0] == pytest.approx(4.0)
    assert r.exceed[0, 0] == 0


def test_feed_in_limit_curtails_the_rest():
    r = dispatch(
        np.array([[1.0]]),
        np.array([[5.0]]),
        [None],
        interval_h=0.5,
        export_limit_kw=[2.0],
        store_flows=True,
    )
    assert r.flows.pv_to_grid[0, 0] == pytest.approx(1.0)
    assert r.flows.curtailed[0, 0] == pytest.approx(3.0)


def test_exceedance_counts_intervals_energy_and_largest_excess():
    load = np.array([[1.0, 3.0, 5.0, 2.0]])
    r = dispatch(
        load,
        np.zeros((1, 4)),
        [None],
        interval_h=0.25,
        import_limit_kwh=np.ones((1, 4)),
        import_limit_row=[0],
        import_limit_scale=[2.0],
    )
    assert r.exceed[0].tolist() == pytest.approx([2, 1 + 3, 3])


def test_monthly_peaks_groups_and_park_totals():
    load = np.array([[1.0, 2.0, 3.0], [2.0, 0.0, 1.0]])
    pv = np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    r = dispatch(
        load,
        pv,
        [None, None],
        interval_h=1.0,
        month=np.array([0, 0, 1]),
        group_of=[0, 0],
        n_groups=1,
    )
    assert r.month_peak_import_kwh[:, :2].tolist() == [[2, 3], [2, 1]]
    assert r.month_peak_export_kwh[1, 0] == 1
    assert r.group_import_kwh[0].tolist() == [3, 2, 4]
    assert r.group_export_kwh[0].tolist() == [0, 1, 0]
    assert r.park_import_kwh.tolist() == [3, 2, 4]


def test_pv_source_weights_match_the_dense_matrix():
    prof = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0]])
    src = PvSource.from_weights(prof, [{0: 2.0}, {0: 1.0, 1: 10.0}, {}])
    assert src.matrix().tolist() == [[2, 4, 0], [1, 12, 30], [0, 0, 0]]
    assert src.annual_kwh().tolist() == [6, 43, 0]
    load = np.ones((3, 3))
    a = dispatch(load, src, [None] * 3, interval_h=1.0)
    b = dispatch(load, src.matrix(), [None] * 3, interval_h=1.0)
    assert np.array_equal(a.net_kwh, b.net_kwh)


def test_battery_from_defaults_uses_c_rate_and_rejects_bad_values():
    d = {
        "battery.round_trip_efficiency": 0.85,
        "battery.soc_min_fraction": 0.05,
        "battery.soc_max_fraction": 0.95,
        "battery.soc_initial_fraction": 0.5,
        "battery.c_rate_per_h": 0.5,
    }
    b = battery_from_defaults(200, d, strategy="peak_shaving")
    assert b.power_kw == 100
    assert b.eta_charge * b.eta_discharge == pytest.approx(0.85)
    with pytest.raises(ParkplanError):
        bat(10, 1, rte=1.2)
    with pytest.raises(ParkplanError):
        bat(10, 1, lo=0.5, hi=0.4)


def test_shape_mismatch_is_an_error():
    with pytest.raises(ParkplanError):
        dispatch(np.ones((2, 3)), np.ones((1, 3)), [None, None], interval_h=1.0)


@st.composite
def cases(draw):
    n = draw(st.integers(1, 3))
    t = draw(st.integers(1, 40))
    vals = st.floats(0, 10, allow_nan=False, allow_infinity=False)
    load = np.array(draw(st.lists(vals, min_size=n * t, max_size=n * t))).reshape(n, t)
    pv = np.array(draw(st.lists(vals, min_size=n * t, max_size=n * t))).reshape(n, t)
    bats = []
    for _ in range(n):
        if draw(st.booleans()):
            lo = draw(st.floats(0, 0.5))
            hi = draw(st.floats(lo, 1))
            init = draw(st.floats(lo, hi))
            bats.append(
                Battery(
                    draw(st.floats(0, 20)),
                    draw(st.floats(0, 10)),
                    Strategy(draw(st.sampled_from(["self_consumption", "peak_shaving", "none"]))),
                    draw(st.floats(0.5, 1)),
                    lo,
                    hi,
                    min(max(init, lo), hi),
                    draw(st.one_of(st.none(), st.floats(0, 10))),
                )
            )
        else:
            bats.append(None)
    xlim = draw(st.lists(st.one_of(st.none(), st.floats(0, 10)), min_size=n, max_size=n))
    dt = draw(st.sampled_from([0.25, 1.0]))
    return load, pv, bats, xlim, dt


@settings(max_examples=150, deadline=None)
@given(cases())
def test_balances_close_and_soc_stays_in_bounds(case):
    load, pv, bats, xlim, dt = case
    n, t = load.shape
    r = dispatch(
        load,
        pv,
        bats,
        interval_h=dt,
        export_limit_kw=xlim,
        import_limit_kwh=np.full((1, t), 3.0),
        import_limit_row=[0] * n,
        store_flows=True,
    )
    par = battery_arrays(bats, dt)
    res = balance_residuals(
        r.flows,
        load,
        pv,
        eta_charge=par["eta_c"],
        eta_discharge=par["eta_d"],
        soc_initial_kwh=par["soc0"],
    )
    for v in res.values():
        assert np.abs(v).max() <= 1e-6
    assert r.max_residual_kwh <= 1e-6
    soc = r.flows.soc_kwh
    assert np.all(soc >= par["soc_lo"][:, None] - 1e-9)
    assert np.all(soc <= np.maximum(par["soc_hi"], par["soc0"])[:, None] + 1e-9)
    assert np.all(r.flows.data >= -1e-12)
    imp, exp_ = r.flows.import_kwh, r.flows.export_kwh
    assert not np.any((imp > 1e-12) & (exp_ > 1e-12))
    for i, x in enumerate(xlim):
        if x is not None:
            assert np.all(exp_[i] <= x * dt + 1e-9)
    # the totals agree with the per-interval flows
    for k, name in enumerate(FLOW_NAMES):
        assert np.allclose(r.totals_kwh[:, k], r.flows.data[k].sum(axis=1), atol=1e-9), name
    assert np.allclose(r.net_kwh, imp - exp_, atol=1e-12)


def test_net_written_over_the_demand_matrix_equals_a_fresh_array():
    rng = np.random.default_rng(7)
    load = rng.uniform(0, 3, (3, 200))
    pv = rng.uniform(0, 4, (3, 200)) * (np.arange(200) % 8 < 4)
    batteries = [bat(5, 2, rte=0.9), bat(4, 1, "peak_shaving", target=1.5), None]
    kwargs = {"interval_h": 0.25, "group_of": [0, 0, -1], "n_groups": 1}
    fresh = dispatch(load, pv, batteries, **kwargs)
    work = load.copy()
    in_place = dispatch(work, pv, batteries, out=work, **kwargs)
    assert in_place.net_kwh is work
    assert np.array_equal(work, fresh.net_kwh)
    assert np.array_equal(in_place.totals_kwh, fresh.totals_kwh)
    assert np.array_equal(in_place.group_import_kwh, fresh.group_import_kwh)
    with pytest.raises(ParkplanError):
        dispatch(load, pv, batteries, out=np.empty((3, 10)), **kwargs)
