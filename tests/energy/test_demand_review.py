"""Reviewer's reference cases for demand calibration and meter data on the index."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parkplan.energy import demand as dem


def _year(year: int) -> pd.DatetimeIndex:
    return pd.date_range(
        f"{year}-01-01", f"{year + 1}-01-01", freq="15min", tz="Europe/Amsterdam", inclusive="left"
    )


def test_meter_data_of_the_same_year_are_taken_exactly_incl_repeated_hour():
    idx = _year(2026)
    values = np.random.default_rng(1).random(len(idx))
    data = pd.DataFrame({"offtake_kwh": values, "feed_in_kwh": values[::-1].copy()}, index=idx)
    off, fin, problems = dem.meter_series_on_index(data, idx)
    # both 02:00-03:00 hours of 25-10-2026 keep their own values: energy is conserved
    np.testing.assert_array_equal(off, values)
    np.testing.assert_array_equal(fin, values[::-1])
    assert problems == []


def test_meter_data_shifted_year_fill_the_repeated_hour_from_its_first_occurrence():
    src = _year(2026)
    data = pd.DataFrame({"offtake_kwh": np.arange(len(src), dtype=float), "feed_in_kwh": 0.0}, src)
    idx = _year(2027)  # 31-10-2027 - 52 weeks = 01-11-2026, a day without a repeated hour
    off, _, problems = dem.meter_series_on_index(data, idx)
    assert [p.code for p in problems] == ["meter_shifted"]
    local = idx.tz_convert("Europe/Amsterdam")
    rep = np.flatnonzero(local.tz_localize(None).duplicated(keep=False))
    assert len(rep) == 8  # 02:00-02:45 twice on 31-10-2027
    np.testing.assert_array_equal(off[rep[:4]], off[rep[4:]])
    first = src.get_loc(pd.Timestamp("2026-11-01 02:00", tz="Europe/Amsterdam"))
    np.testing.assert_array_equal(off[rep[:4]], np.arange(first, first + 4))


def test_meter_data_shifted_onto_the_same_dst_sunday_keep_both_hours():
    src = _year(2025)  # 25-10-2026 - 52 weeks = 26-10-2025: both are DST Sundays
    data = pd.DataFrame({"offtake_kwh": np.arange(len(src), dtype=float), "feed_in_kwh": 0.0}, src)
    off, _, _ = dem.meter_series_on_index(data, _year(2026))
    rep = np.flatnonzero(_year(2026).tz_localize(None).duplicated(keep=False))
    assert np.all(np.diff(off[rep]) == 1.0)  # eight distinct consecutive source quarters


def test_calibration_to_offtake_by_hand():
    d = np.array([1.0, 2.0, 3.0, 0.0])
    p = np.array([2.0, 1.0, 0.0, 5.0])
    # O(k) = max(k-2,0) + max(2k-1,0) + 3k; target 7.5 -> k = 1.5 (0 + 2 + 4.5 + 0 ... ) check
    k = 1.5
    target = max(k - 2, 0) + max(2 * k - 1, 0) + 3 * k
    out = dem.calibrate_demand_to_offtake(d, p, target)
    np.testing.assert_allclose(out, d * k)
    assert np.clip(out - p, 0, None).sum() == pytest.approx(target)


def test_demand_on_site_identity():
    assert dem.demand_on_site_kwh(100_000.0, 30_000.0, 12_000.0) == pytest.approx(118_000.0)
    assert dem.demand_on_site_kwh(100_000.0, None, 0.0) == pytest.approx(100_000.0)
