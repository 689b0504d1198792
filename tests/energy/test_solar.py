"""Solar: roof capacity, the PV chain per orientation, the clear-day noon peak in
Hoogeveen, and the specific yield against an independent hourly pvlib calculation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest
import yaml

from parkplan.domain.errors import ParkplanError
from parkplan.energy.solar import (
    clip_to_limit,
    pv_profile_per_kwp,
    pv_profiles_for_orientations,
    pv_profiles_reference,
    roof_kwp,
    sky_model,
    solar_parameters,
    specific_yield_kwh_per_kwp,
)
from parkplan.energy.weather import default_weather
from parkplan.io.dwd_try import read_dwd_try

# pvlib 0.16 still calls DatetimeIndex.dayofyear, deprecated in pandas 3.1
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*dayofyear is deprecated:pandas.errors.Pandas4Warning"
)

PARK_FILE = Path(__file__).parents[1] / "data" / "parkfile-v1.example.yaml"
HOOGEVEEN = (52.7286, 6.4901)


@pytest.fixture(scope="module")
def params():
    return solar_parameters()


@pytest.fixture(scope="module")
def weather():
    return default_weather(2025)[0]


def _example_roofs():
    doc = yaml.safe_load(PARK_FILE.read_text(encoding="utf-8"))
    loc = doc["park"]["location"]
    roofs = [r for c in doc["companies"] for r in c.get("roofs", [])]
    return (loc["lat"], loc["lon"]), roofs


# ----------------------------------------------------------------------------- capacity


def test_roof_kwp(params):
    assert roof_kwp(4200, 0.55, 0.15) == pytest.approx(346.5)
    # existing PV that is larger than the estimate wins (it evidently fits)
    assert roof_kwp(400, 0.6, 0.15, existing_pv_kwp=50) == 50
    assert roof_kwp(6500, 0.5, params["module_density_kwp_m2"], existing_pv_kwp=180) == (
        pytest.approx(487.5)
    )
    with pytest.raises(ParkplanError, match="usable_fraction"):
        roof_kwp(100, 1.5, 0.15)
    with pytest.raises(ParkplanError, match="area_m2"):
        roof_kwp(-1, 0.5, 0.15)


def test_parameters_come_from_refdata(params):
    assert params["system_losses_fraction"] == pytest.approx(0.14)
    assert params["inverter_dc_ac_ratio"] == pytest.approx(1.2)
    assert params["gamma_pdc_per_k"] < 0


def test_clip_to_limit():
    power = np.array([0.0, 50.0, 120.0, 300.0])
    np.testing.assert_array_equal(clip_to_limit(power, 100.0), [0.0, 50.0, 100.0, 100.0])
    np.testing.assert_array_equal(power - clip_to_limit(power, 100.0), [0, 0, 20, 200])


# ----------------------------------------------------------------------------- clear day


def _clear_june_day(lat, lon):
    index = pd.date_range("2025-06-21 00:00", periods=96, freq="15min", tz="Europe/Amsterdam")
    mid = index + pd.Timedelta(minutes=7.5)
    sp = pvlib.solarposition.get_solarposition(mid, lat, lon)
    cs = pvlib.clearsky.simplified_solis(90 - sp["apparent_zenith"].to_numpy())
    return pd.DataFrame(
        {
            "ghi_w_m2": np.nan_to_num(np.asarray(cs["ghi"], dtype=float)),
            "dni_w_m2": np.nan_to_num(np.asarray(cs["dni"], dtype=float)),
            "dhi_w_m2": np.nan_to_num(np.asarray(cs["dhi"], dtype=float)),
            "temp_air_c": 20.0,
            "wind_speed_m_s": 2.0,
        },
        index=index,
    )


def test_clear_june_day_peaks_at_solar_noon(params):
    """Solar noon in Hoogeveen on 21 June is about 13:35 CEST: the peak of a south roof
    falls in the quarter 13:30-13:45 or a neighbouring one."""
    weather = _clear_june_day(*HOOGEVEEN)
    profile = pv_profile_per_kwp(
        weather,
        *HOOGEVEEN,
        35,
        180,
        losses_fraction=params["system_losses_fraction"],
        inverter_ratio=1.0,  # no clipping, so the peak is a single quarter
        params=params,
    )
    peak = weather.index[int(np.argmax(profile))]
    allowed = {
        pd.Timestamp(f"2025-06-21 {t}", tz="Europe/Amsterdam") for t in ("13:15", "13:30", "13:45")
    }
    assert peak in allowed
    assert peak == pd.Timestamp("2025-06-21 13:30", tz="Europe/Amsterdam")
    # symmetric around noon: 3 h before and after the peak quarter give similar output
    i = int(np.argmax(profile))
    assert profile[i - 12] == pytest.approx(profile[i + 12], rel=0.03)
    # night is zero, energy per quarter never exceeds the AC limit
    assert profile[:12].sum() == 0
    assert profile.max() <= 0.25 + 1e-12


def test_clipping_at_dc_ac_ratio(params):
    weather = _clear_june_day(*HOOGEVEEN)
    kwargs = {"losses_fraction": 0.0, "params": params}
    high = pv_profile_per_kwp(weather, *HOOGEVEEN, 35, 180, inverter_ratio=1.6, **kwargs)
    assert high.max() == pytest.approx(0.25 / 1.6, rel=1e-9)
    low = pv_profile_per_kwp(weather, *HOOGEVEEN, 35, 180, inverter_ratio=1.0, **kwargs)
    clipped = np.isclose(high, high.max())
    assert clipped.sum() >= 4  # a clear June day clips around noon
    # (elsewhere a smaller inverter works at a higher part-load efficiency: no <= check)
    assert high.sum() < low.sum()


def test_reference_year_clearest_june_day_peak(weather, params):
    june = weather[weather.index.month == 6]
    daily = june["ghi_w_m2"].groupby(june.index.date).sum()
    day = weather.index.date == daily.idxmax()
    profile = pv_profile_per_kwp(
        weather[day],
        *HOOGEVEEN,
        35,
        180,
        losses_fraction=params["system_losses_fraction"],
        inverter_ratio=1.0,
        params=params,
    )
    peak = weather.index[day][int(np.argmax(profile))]
    assert (peak.hour, peak.minute) in {(13, 15), (13, 30), (13, 45)}


# ----------------------------------------------------------------------------- yields


def test_orientations_share_one_computation(weather, params):
    orientations = [(35, 180), (15, 90), (15, 270), (10, 180)]
    kwargs = {
        "losses_fraction": params["system_losses_fraction"],
        "inverter_ratio": params["inverter_dc_ac_ratio"],
        "params": params,
    }
    many = pv_profiles_for_orientations(weather, *HOOGEVEEN, orientations, **kwargs)
    assert many.shape == (4, 35040)
    one = pv_profile_per_kwp(weather, *HOOGEVEEN, 15, 90, **kwargs)
    np.testing.assert_array_equal(many[1], one)
    south, east, west, flat = specific_yield_kwh_per_kwp(many)
    assert 780 < south < 950
    assert south > flat > east
    assert east == pytest.approx(west, rel=0.02)
    faiman = pv_profile_per_kwp(
        weather, *HOOGEVEEN, 35, 180, temperature_model="faiman", **kwargs
    ).sum()
    assert faiman == pytest.approx(south, rel=0.02)
    with pytest.raises(ParkplanError, match="Temperature model"):
        pv_profile_per_kwp(weather, *HOOGEVEEN, 35, 180, temperature_model="x", **kwargs)
    with pytest.raises(ParkplanError, match=r"Weather incomplete for PV \(dni_w_m2\)"):
        pv_profile_per_kwp(weather.assign(dni_w_m2=np.nan), *HOOGEVEEN, 35, 180, **kwargs)


def _hourly_reference_yield(raw, station, lat, lon, tilt, azimuth, params):
    """Independent hourly pvlib chain on the reference year as read (no resampling)."""
    mid = raw.index + pd.Timedelta(minutes=30)
    # beam normal from beam horizontal at the station's sun (NREL SPA, not ephemeris)
    sp_station = pvlib.solarposition.get_solarposition(mid, *station)
    cosz = np.cos(np.radians(sp_station["zenith"].to_numpy()))
    bhi = raw["bhi_w_m2"].to_numpy()
    ok = (sp_station["zenith"].to_numpy() <= 87) & (bhi > 0)
    dni = np.where(ok, bhi / np.maximum(cosz, 0.065), 0.0)
    dhi = raw["ghi_w_m2"].to_numpy() - dni * np.where(ok, np.maximum(cosz, 0.065), 0.0)
    sp = pvlib.solarposition.get_solarposition(mid, lat, lon)
    poa = pvlib.irradiance.get_total_irradiance(
        tilt,
        azimuth,
        sp["apparent_zenith"],
        sp["azimuth"],
        pd.Series(dni, index=mid),
        raw["ghi_w_m2"].set_axis(mid),
        pd.Series(dhi, index=mid),
        dni_extra=pvlib.irradiance.get_extra_radiation(mid),
        airmass=pvlib.atmosphere.get_relative_airmass(sp["apparent_zenith"]),
        albedo=params["albedo"],
        model="perez",
    ).fillna(0.0)
    aoi = pvlib.irradiance.aoi(tilt, azimuth, sp["zenith"], sp["azimuth"])
    effective = poa["poa_direct"] * pvlib.iam.physical(aoi).fillna(0) + poa["poa_diffuse"]
    cell = pvlib.temperature.sapm_cell(
        poa["poa_global"],
        raw["temp_air_c"].set_axis(mid),
        raw["wind_speed_m_s"].set_axis(mid),
        params["sapm_a"],
        params["sapm_b"],
        params["sapm_delta_t_k"],
    )
    dc = pvlib.pvsystem.pvwatts_dc(effective, cell, 1.0, params["gamma_pdc_per_k"])
    dc = dc * (1 - params["system_losses_fraction"])
    eta = params["inverter_efficiency_nominal"]
    ac = pvlib.inverter.pvwatts(dc, 1.0 / params["inverter_dc_ac_ratio"] / eta, eta)
    return float(ac.clip(lower=0).fillna(0).sum())  # 1-hour intervals: kW -> kWh


def test_example_roofs_match_an_hourly_pvlib_calculation(weather, params):
    (lat, lon), roofs = _example_roofs()
    raw, meta = read_dwd_try()
    station = (meta["lat_deg"], meta["lon_deg"])
    orientations = sorted({(r["tilt_deg"], r["azimuth_deg"]) for r in roofs})
    assert len(orientations) == 4
    ours = specific_yield_kwh_per_kwp(
        pv_profiles_for_orientations(
            weather,
            lat,
            lon,
            orientations,
            losses_fraction=params["system_losses_fraction"],
            inverter_ratio=params["inverter_dc_ac_ratio"],
            params=params,
        )
    )
    for (tilt, azimuth), got in zip(orientations, ours, strict=True):
        expected = _hourly_reference_yield(raw, station, lat, lon, tilt, azimuth, params)
        assert got == pytest.approx(expected, rel=0.01), (tilt, azimuth)


def test_fast_chain_equals_the_pvlib_reference(weather, params):
    """The shared sky model and the compiled plane-of-array pass against the pvlib chain
    called per orientation (flat, vertical, north and the usual roofs; both temperature
    models)."""
    orientations = [(35, 180), (15, 90), (15, 270), (0, 0), (90, 0), (90, 180), (5, 337.5)]
    kwargs = {
        "losses_fraction": params["system_losses_fraction"],
        "inverter_ratio": params["inverter_dc_ac_ratio"],
        "params": params,
    }
    for model in ("sapm", "faiman"):
        fast = pv_profiles_for_orientations(
            weather, *HOOGEVEEN, orientations, temperature_model=model, **kwargs
        )
        reference = pv_profiles_reference(
            weather, *HOOGEVEEN, orientations, temperature_model=model, **kwargs
        )
        np.testing.assert_allclose(fast, reference, rtol=1e-12, atol=1e-12)
        assert (fast[reference == 0] == 0).all()
    sky = sky_model(weather, *HOOGEVEEN)
    assert sky.daytime.sum() == sky.n_day and 0.4 < sky.n_day / len(weather) < 0.6
