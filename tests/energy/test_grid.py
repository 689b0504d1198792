"""Grid connections, transport rights, cable pooling and energy hubs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parkplan.domain.errors import ParkplanError
from parkplan.domain.model import Connection
from parkplan.energy import grid
from parkplan.energy.battery import Battery, Strategy


def test_fuse_capacity():
    assert grid.fuse_capacity_kw("3x35A") == pytest.approx(3 * 35 * 230 / 1000)
    assert grid.fuse_capacity_kw("1 x 40") == pytest.approx(9.2)
    with pytest.raises(ParkplanError):
        grid.fuse_capacity_kw("groot")


def test_limits_of_a_connection():
    gv = Connection(
        ean="1" * 18, kind="grootverbruik", contracted_kw=160, contracted_feed_in_kw=100
    )
    kv = Connection(ean="2" * 18, kind="kleinverbruik", fuse="3x25A")
    assert grid.import_limit_kw(gv) == 160
    assert grid.export_limit_kw(gv) == 100
    assert grid.import_limit_kw(kv) == pytest.approx(17.25)
    assert grid.export_limit_kw(kv) == pytest.approx(17.25)
    assert grid.import_limit_kw(None) is None


def test_month_index_is_local_time():
    idx = pd.DatetimeIndex(["2025-01-31 23:30", "2025-02-01 00:00"], tz="UTC")
    # 23:30 UTC on 31 January is 00:30 on 1 February in Amsterdam
    assert grid.month_index(idx).tolist() == [1, 1]


def test_monthly_peaks_and_exceedance():
    series = np.array([1.0, 4.0, 2.0, 6.0])
    month = np.array([0, 0, 1, 1])
    assert grid.monthly_peaks_kw(series, month, 0.25)[:2].tolist() == [16, 24]
    e = grid.exceedance(series, 10.0, 0.25)  # 10 kW = 2.5 kWh per interval
    assert e.hours == 0.5
    assert e.energy_kwh == pytest.approx(1.5 + 3.5)
    assert e.max_kw == pytest.approx(14.0)
    assert e.highest_kw == pytest.approx(24.0)


def test_curtail_export():
    fed, cut = grid.curtail_export(np.array([1.0, 5.0]), 8.0, 0.25)
    assert fed.tolist() == [1, 2]
    assert cut.tolist() == [0, 3]


def test_time_block_schedule():
    idx = pd.date_range("2025-06-02", periods=96, freq="15min", tz="Europe/Amsterdam")
    lim = grid.time_block_schedule(idx, [{"from": "16:00", "to": "20:00", "kw": 50}], 200)
    assert lim[idx.hour == 17].tolist() == [50] * 4
    assert lim[idx.hour == 20].tolist() == [200] * 4
    wrap = grid.time_block_schedule(idx, [{"from": "22:00", "to": "06:00", "kw": 0}], 10)
    assert wrap[(idx.hour >= 22) | (idx.hour < 6)].max() == 0
    assert wrap[idx.hour == 12].min() == 10


def test_cable_pooling_nets_installations_behind_one_connection():
    net = np.array([[2.0, -1.0], [-3.0, 1.0], [1.0, 1.0]])
    pooled = grid.pool_connections(net, [0, 0, 1], 2)
    assert pooled.tolist() == [[-1, 0], [1, 1]]


def test_group_nets_members_and_shared_battery_shaves_the_peak():
    # member A takes 10 kWh, member B feeds in 4 at t0; at t1 A takes 2
    imp = np.array([10.0, 2.0, 2.0])
    exp_ = np.array([4.0, 0.0, 0.0])
    month = np.zeros(3, dtype=np.int64)
    plain = grid.simulate_group(imp, exp_, month=month, interval_h=1.0)
    assert plain.import_kwh.tolist() == [6, 2, 2]
    assert plain.shared_kwh == 4
    assert plain.peak_interval[0] == 0
    b = Battery(10, 10, Strategy.PEAK_SHAVING, 1.0, 0.0, 1.0, 0.5, target_import_kw=4.0)
    out = grid.simulate_group(
        imp, exp_, month=month, interval_h=1.0, capacity_import_kw=4.0, shared_battery=b
    )
    assert out.import_kwh.max() == pytest.approx(4.0)
    assert out.exceedance.hours == 0
    assert out.monthly_peak_kw[0] == pytest.approx(4.0)


def test_group_feed_in_capacity_curtails_and_shared_pv_counts():
    imp = np.array([0.0, 1.0])
    exp_ = np.array([3.0, 0.0])
    out = grid.simulate_group(
        imp,
        exp_,
        month=np.zeros(2, dtype=np.int64),
        interval_h=1.0,
        capacity_export_kw=2.0,
        shared_pv_kwh=np.array([1.0, 0.5]),
    )
    assert out.export_kwh.tolist() == [2, 0]
    assert out.curtailed_kwh == pytest.approx(2.0)
    assert out.import_kwh.tolist() == [0, 0.5]
    assert out.shared_kwh == pytest.approx(0.5)


def test_peak_contributions():
    net = np.array([[1.0, 5.0], [2.0, -1.0]])
    pk = np.full(12, -1)
    pk[0] = 1
    c = grid.peak_contributions_kw(net, pk, 0.25)
    assert c[:, 0].tolist() == [20, -4]
    assert c[:, 1].tolist() == [0, 0]


def test_park_peaks():
    net = np.array([5.0, -2.0, 8.0])
    p = grid.park_peaks(
        net, np.array([20.0, 12.0]), 0.5, available_import_kw=12.0, available_export_kw=2.0
    )
    assert p.coincident_peak_kw == 16
    assert p.sum_of_individual_peaks_kw == 32
    assert p.coincident_export_peak_kw == 4
    assert p.exceeded_import_hours == 0.5
    assert p.exceeded_import_kwh == pytest.approx(2.0)
    assert p.exceeded_export_kwh == pytest.approx(1.0)
