"""Reviewer's reference cases for heat demand and heat-pump COP."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parkplan.energy import heat


def _temps(values, tz="Europe/Amsterdam"):
    idx = pd.date_range("2026-01-05", periods=len(values), freq="6h", tz=tz)
    return pd.Series(np.asarray(values, dtype=float), index=idx)


def test_degree_days_split_by_hand():
    # day 1 mean 8 degC (HDD 10), day 2 mean 13 degC (HDD 5), base 18
    t = _temps([6, 8, 10, 8, 13, 13, 13, 13])
    space, base = heat.heat_demand_kwh(t, 1500.0, base_temperature_c=18.0, hot_water_share=0.2)
    np.testing.assert_allclose(base, np.full(8, 300.0 / 8))
    # 1200 kWh of space heat: 800 on day 1, 400 on day 2; within a day by degree-hours
    np.testing.assert_allclose(space[:4], 800 * np.array([12, 10, 8, 10]) / 40)
    np.testing.assert_allclose(space[4:], np.full(4, 100.0))
    assert space.sum() + base.sum() == pytest.approx(1500.0)


def test_days_are_local_also_for_a_utc_series():
    local = _temps([6, 8, 10, 8, 13, 13, 13, 13])
    utc = pd.Series(local.to_numpy(), index=local.index.tz_convert("UTC"))
    a, _ = heat.heat_demand_kwh(local, 1000.0, base_temperature_c=18.0, hot_water_share=0.0)
    b, _ = heat.heat_demand_kwh(utc, 1000.0, base_temperature_c=18.0, hot_water_share=0.0)
    np.testing.assert_allclose(a, b)


def test_cop_staffell_ruhnau_by_hand():
    # air source, radiators at 0 degC: sink 40, dT 40: 0.85 x (6.08 - 3.6 + 0.8) = 2.788
    assert heat.heat_pump_cop(np.array([0.0]))[0] == pytest.approx(
        0.85 * (6.08 - 0.09 * 40 + 0.0005 * 1600)
    )
    # dT below the 15 K floor is held at 15 K (floor heating at 20 degC: 30 - 10 - 20 = 0)
    cop = heat.heat_pump_cop(np.array([20.0]), sink="floor")[0]
    assert cop == pytest.approx(0.85 * (6.08 - 0.09 * 15 + 0.0005 * 225))
    # gas -> heat: 1000 m3 x 8.79 kWh/m3 x 0.9
    assert heat.gas_to_heat_kwh(
        1000, calorific_value_kwh_per_m3=8.79, boiler_efficiency=0.9
    ) == pytest.approx(7911.0)


def test_scop_of_a_heat_pump_that_replaces_nothing_is_refused_not_nan():
    t = _temps([5, 5, 5, 5])
    res = heat.heat_pump(t, 0.0)
    assert res.electricity_kwh.sum() == 0.0
    with pytest.raises(heat.ParkplanError):
        _ = res.scop
