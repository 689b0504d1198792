"""Tests of EV charging demand for company fleets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parkplan.domain.errors import ParkplanError
from parkplan.domain.model import Vehicle
from parkplan.energy import mobility as M  # noqa: N812

TZ = "Europe/Amsterdam"


def week(start: str = "2025-06-02") -> pd.DatetimeIndex:
    return pd.date_range(start, periods=7 * 96, freq="15min", tz=TZ)


def test_annual_energy():
    assert M.ev_annual_kwh(3, 20_000.0, 0.27, 0.9) == pytest.approx(18_000.0)


def test_evening_sessions_on_working_days():
    idx = week()  # Monday 02-06-2025 .. Sunday 08-06-2025
    shares = M.charging_profile(idx, window="evening")
    assert shares.sum() == pytest.approx(1.0)
    local = idx.tz_convert(TZ)
    # Monday 00:00-07:00 belongs to Sunday's (non-working) session
    assert shares[:28].sum() == 0
    # five sessions of 13 h (52 quarter-hours) each
    monday = (local >= pd.Timestamp("2025-06-02 18:00", tz=TZ)) & (
        local < pd.Timestamp("2025-06-03 07:00", tz=TZ)
    )
    np.testing.assert_allclose(shares[monday], 0.2 / 52)
    assert monday.sum() == 52
    # Saturday evening and Sunday: nothing
    weekend = local >= pd.Timestamp("2025-06-07 07:00", tz=TZ)
    assert shares[weekend].sum() == 0
    assert np.count_nonzero(shares) == 5 * 52  # Friday 18:00 - Saturday 07:00 included


def test_daytime_window_and_public_holiday():
    idx = week("2025-05-26")  # Ascension Day Thursday 29-05-2025
    shares = M.charging_profile(idx, window="daytime")
    assert shares.sum() == pytest.approx(1.0)
    per_day = shares.reshape(7, 96)
    np.testing.assert_allclose(per_day.sum(axis=1), [0.25, 0.25, 0.25, 0, 0.25, 0, 0])
    assert np.count_nonzero(per_day[0]) == 28  # 09:00-16:00
    assert per_day[0, 36] == pytest.approx(0.25 / 28)  # 09:00


def test_immediate_charging_at_full_power():
    idx = week()
    kwh, problems = M.ev_charging_kwh(
        idx, 5 * 30.25, strategy="immediate", vehicles=2, charger_kw=11.0
    )
    assert problems == []
    assert kwh.sum() == pytest.approx(5 * 30.25)
    start = idx.get_loc(pd.Timestamp("2025-06-02 18:00", tz=TZ))
    np.testing.assert_allclose(kwh[start : start + 7], [5.5, 5.5, 5.5, 5.5, 5.5, 2.75, 0.0])
    assert kwh.max() == pytest.approx(5.5)


def test_spread_has_lower_peak_than_immediate():
    idx = week()
    spread, _ = M.ev_charging_kwh(idx, 500.0)
    immediate, _ = M.ev_charging_kwh(idx, 500.0, strategy="immediate", vehicles=4, charger_kw=22)
    assert spread.sum() == pytest.approx(immediate.sum())
    assert spread.max() < immediate.max()


def test_chargers_too_small_are_reported():
    idx = week()
    kwh, problems = M.ev_charging_kwh(idx, 1000.0, strategy="immediate", charger_kw=1.0)
    assert [p.code for p in problems] == ["charger_too_small"]
    assert kwh.sum() == pytest.approx(5 * 52 * 0.25)  # only what 1 kW delivers in 5 windows
    _, problems = M.ev_charging_kwh(idx, 1000.0, charger_kw=1.0)
    assert [p.code for p in problems] == ["charger_too_small"]
    with pytest.raises(ParkplanError):
        M.ev_charging_kwh(idx, 10.0, strategy="immediate")
    with pytest.raises(ParkplanError):
        M.ev_charging_kwh(idx, 10.0, strategy="asap")  # type: ignore[arg-type]
    with pytest.raises(ParkplanError):
        M.charging_profile(idx, window="night")  # type: ignore[arg-type]


def test_fleet_charging():
    idx = week()
    fleet = [
        Vehicle(kind="van", count=2, annual_km=15_000.0),
        Vehicle(kind="forklift", count=1, annual_km=1_000.0),
        Vehicle(kind="car", count=1),
    ]
    kwh, problems = M.fleet_charging_kwh(idx, fleet)
    assert kwh.sum() == pytest.approx(2 * 15_000 * 0.27 / 0.9)
    assert [p.code for p in problems] == ["unknown_kind", "missing"]
    assert [p.path for p in problems] == ["vehicles[1].kind", "vehicles[2].annual_km"]
    zero, _ = M.fleet_charging_kwh(idx, [])
    assert zero.sum() == 0
