"""Tests of gas -> heat, degree-day heat profiles and heat-pump COP/electricity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parkplan.domain.errors import ParkplanError
from parkplan.energy import heat as H  # noqa: N812

TZ = "Europe/Amsterdam"


def temps(values_per_day: list[list[float]] | list[float], start: str = "2025-01-06") -> pd.Series:
    """15-minute temperatures; a number per day (constant) or 96 values per day."""
    days = [np.full(96, v) if np.isscalar(v) else np.asarray(v, float) for v in values_per_day]
    idx = pd.date_range(start, periods=96 * len(days), freq="15min", tz=TZ)
    return pd.Series(np.concatenate(days), index=idx, name="temp_air_c")


def test_gas_to_heat():
    p = H.default_parameters()
    heat = H.gas_to_heat_kwh(
        1000.0,
        calorific_value_kwh_per_m3=p["gas.lower_calorific_value_kwh_per_m3"],
        boiler_efficiency=p["heat.boiler_efficiency"],
    )
    assert heat == pytest.approx(1000 * 8.79 * 0.9)


def test_degree_days_per_local_day():
    dd = H.heating_degree_days(temps([8.0, 18.0, 20.0]).to_frame(), 18.0)
    np.testing.assert_allclose(dd.to_numpy(), [10.0, 0.0, 0.0])
    assert dd.index[0] == pd.Timestamp("2025-01-06")


def test_heat_profile_by_degree_days_with_base_load():
    space, base = H.heat_demand_kwh(
        temps([8.0, 13.0]), 1500.0, base_temperature_c=18.0, hot_water_share=0.2
    )
    np.testing.assert_allclose(base, 300.0 / 192)
    np.testing.assert_allclose(space[:96], 800.0 / 96)  # 10 of 15 degree-days
    np.testing.assert_allclose(space[96:], 400.0 / 96)
    assert (space + base).sum() == pytest.approx(1500.0)


def test_heat_within_day_follows_degree_hours():
    day = [10.0] * 48 + [16.0] * 48  # mean 13: 5 degree-days; degree-hours 8 and 2
    space, base = H.heat_demand_kwh(temps([day]), 100.0, base_temperature_c=18.0, hot_water_share=0)
    np.testing.assert_allclose(space[:48], 80.0 / 48)
    np.testing.assert_allclose(space[48:], 20.0 / 48)
    assert base.sum() == 0


def test_warm_period_spreads_space_heat_evenly():
    space, _ = H.heat_demand_kwh(
        temps([20.0, 22.0]), 96.0, base_temperature_c=18.0, hot_water_share=0
    )
    np.testing.assert_allclose(space, 0.5)


@pytest.mark.parametrize(
    ("t", "source", "sink", "expected"),
    [
        (7.0, "air", "radiator", 0.85 * (6.08 - 0.09 * 26 + 0.0005 * 26**2)),  # 3.46630
        (-10.0, "air", "radiator", 0.85 * (6.08 - 0.09 * 60 + 0.0005 * 60**2)),  # 2.108
        (0.0, "ground", "floor", 0.85 * (10.29 - 0.21 * 20 + 0.0012 * 20**2)),  # 5.5845
        (20.0, "air", "radiator", 0.85 * (6.08 - 0.09 * 15 + 0.0005 * 15**2)),  # lift clipped
        (7.0, "air", "water", 0.85 * (6.08 - 0.09 * 43 + 0.0005 * 43**2)),
    ],
)
def test_cop_curve(t, source, sink, expected):
    cop = H.heat_pump_cop(np.array([t]), source=source, sink=sink)
    assert cop[0] == pytest.approx(expected, rel=1e-12)


def test_cop_falls_with_cold():
    cop = H.heat_pump_cop(np.linspace(-15, 10, 26))  # above 12.5 degC the lift is clipped
    assert np.all(np.diff(cop) > 0)


def test_heat_pump_at_constant_temperature():
    t = temps([7.0] * 7)
    res = H.heat_pump(t, 1000.0)
    heat = 1000 * 8.79 * 0.9
    assert res.heat_kwh.sum() == pytest.approx(heat)
    cop_space = 0.85 * (6.08 - 0.09 * 26 + 0.0005 * 26**2)
    cop_water = 0.85 * (6.08 - 0.09 * 43 + 0.0005 * 43**2)
    expected = heat * 0.9 / cop_space + heat * 0.1 / cop_water
    assert res.electricity_kwh.sum() == pytest.approx(expected, rel=1e-12)
    assert res.gas_replaced_m3 == 1000.0
    assert 2.0 < res.scop < 4.0


def test_heat_pump_share_and_adapter():
    t = temps([2.0, 5.0, 9.0, 12.0])
    full = H.heat_pump(t, 2000.0)
    half = H.heat_pump(t, 2000.0, share=0.5)
    np.testing.assert_allclose(half.electricity_kwh, full.electricity_kwh / 2)
    params = H.default_parameters()
    adapter = H.heat_pump_demand_kwh(t.to_frame(), 1000.0, params)
    np.testing.assert_allclose(adapter, half.electricity_kwh)
    assert (adapter >= 0).all()
    # colder days take more electricity per unit of heat
    per_day = (full.electricity_kwh / full.heat_kwh).reshape(4, 96).mean(axis=1)
    assert np.all(np.diff(per_day) < 0)


def test_ground_source_uses_less_electricity_than_air_in_winter():
    t = temps([-5.0, 0.0])
    air = H.heat_pump(t, 500.0, source="air")
    ground = H.heat_pump(t, 500.0, source="ground")
    assert ground.electricity_kwh.sum() < air.electricity_kwh.sum()


def test_bad_input():
    t = temps([5.0])
    with pytest.raises(ParkplanError):
        H.heat_pump(t, 100.0, share=1.5)
    with pytest.raises(ParkplanError):
        H.heat_pump_cop(np.array([1.0]), source="water")  # type: ignore[arg-type]
    with pytest.raises(ParkplanError):
        H.heat_pump_cop(np.array([1.0]), sink="stove")  # type: ignore[arg-type]
    with pytest.raises(ParkplanError, match="tz-aware"):
        H.heating_degree_days(pd.Series([1.0], index=pd.DatetimeIndex(["2025-01-01"])), 18)
    with pytest.raises(ParkplanError, match="missing"):
        H.heat_pump(t, 100.0, parameters={"heat.boiler_efficiency": 0.9})
