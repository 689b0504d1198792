"""Weather: the DWD reference year reader, energy-conserving resampling to 15 minutes and
the mapping onto a calendar year in Europe/Amsterdam."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from parkplan.domain.errors import ParkplanError
from parkplan.energy.weather import (
    WEATHER_COLUMNS,
    decompose_ghi,
    default_weather,
    prepare_weather,
    resample_weather,
    to_year,
    with_metadata,
    year_index,
)
from parkplan.io.dwd_try import demandlib_try_path, read_dwd_try
from parkplan.io.knmi import read_knmi_hourly

DATA = Path(__file__).parents[1] / "data" / "weather"

# pvlib 0.16 still calls DatetimeIndex.dayofyear, deprecated in pandas 3.1
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*dayofyear is deprecated:pandas.errors.Pandas4Warning"
)


@pytest.fixture(scope="module")
def try_raw():
    return read_dwd_try()


@pytest.fixture(scope="module")
def weather_2025():
    return default_weather(2025)


# ----------------------------------------------------------------------------- TRY reader


def test_try_reader_values_and_stamps(try_raw):
    data, meta = try_raw
    assert len(data) == 8760
    assert str(data.index.tz) == "UTC"
    # row 1: MM=1 DD=1 HH=1 (CET), B=0 D=0, t=2.1, WG=2.5; value centred on 01:00 CET =
    # 00:00 UTC -> interval 23:30..00:30 UTC
    assert data.index[0] == pd.Timestamp("2009-12-31 23:30", tz="UTC")
    assert data["temp_air_c"].iloc[0] == 2.1
    assert data["wind_speed_m_s"].iloc[0] == 2.5
    # 1 January HH=12: B=15, D=94 -> GHI 109; centred on 12:00 CET = 11:00 UTC
    row = data.loc[pd.Timestamp("2010-01-01 10:30", tz="UTC")]
    assert row["ghi_w_m2"] == 109.0
    assert row["dhi_w_m2"] == 94.0
    assert row["bhi_w_m2"] == 15.0
    assert meta["station"] == "Essen"
    assert meta["lat_deg"] == pytest.approx(51.4)
    assert meta["lon_deg"] == pytest.approx(6 + 58 / 60)
    assert meta["region"] == 5
    assert "CET" in meta["original_time_convention"]
    assert demandlib_try_path(5).name == "TRY2010_05_Jahr.dat"


def test_try_hour_ending_label_is_one_hour_before_the_stamp():
    data, meta = read_dwd_try(radiation_label="end")
    assert data.index[0] == pd.Timestamp("2009-12-31 23:00", tz="UTC")
    assert meta["radiation_label"] == "end"


def test_try_region_checked():
    with pytest.raises(ParkplanError, match="expected 1 to 15"):
        demandlib_try_path(16)


def test_try_radiation_is_centred_on_the_stamp(try_raw):
    """The June mean irradiance peaks at Essen's solar noon only when each value is the
    mean over HH-0:30..HH+0:30 CET; read hour-ending it would come 30 minutes early."""
    _, meta = try_raw
    noon = pvlib.solarposition.sun_rise_set_transit_spa(
        pd.date_range("2010-06-01", "2010-06-30", freq="D", tz="UTC"),
        meta["lat_deg"],
        meta["lon_deg"],
    )["transit"]
    noon_h = float(np.mean(noon.dt.hour + noon.dt.minute / 60 + noon.dt.second / 3600))
    for label, expected_offset_h in (("center", 0.0), ("end", -0.5)):
        raw, _ = read_dwd_try(radiation_label=label)
        june = raw[raw.index.month == 6]
        mid_h = june.index.hour + june.index.minute / 60 + 0.5
        centroid = float((mid_h * june["ghi_w_m2"]).sum() / june["ghi_w_m2"].sum())
        assert centroid - noon_h == pytest.approx(expected_offset_h, abs=0.1)


# ----------------------------------------------------------------------------- default


def test_default_weather_index(weather_2025):
    weather, meta = weather_2025
    assert list(weather.columns) == list(WEATHER_COLUMNS)
    assert len(weather) == 35040
    assert str(weather.index.tz) == "Europe/Amsterdam"
    assert weather.index[0] == pd.Timestamp("2025-01-01 00:00", tz="Europe/Amsterdam")
    assert weather.index[-1] == pd.Timestamp("2025-12-31 23:45", tz="Europe/Amsterdam")
    per_day = weather.groupby(weather.index.date).size()
    assert per_day[pd.Timestamp("2025-03-30").date()] == 92
    assert per_day[pd.Timestamp("2025-10-26").date()] == 100
    assert set(
        per_day.drop([pd.Timestamp("2025-03-30").date(), pd.Timestamp("2025-10-26").date()])
    ) == {96}
    assert not weather.isna().any().any()
    assert (weather[["ghi_w_m2", "dni_w_m2", "dhi_w_m2", "wind_speed_m_s"]] >= 0).all().all()
    assert meta["station"] == "Essen"
    assert meta["year"] == 2025
    assert "Reference year" in meta["note"]


def test_default_weather_conserves_the_year(try_raw, weather_2025):
    raw, _ = try_raw
    weather, _ = weather_2025
    # every UTC time of year is used exactly once in a normal year: sums are conserved
    assert weather["ghi_w_m2"].sum() / 4 == pytest.approx(raw["ghi_w_m2"].sum(), rel=1e-9)
    assert weather["temp_air_c"].mean() == pytest.approx(raw["temp_air_c"].mean(), rel=1e-9)
    assert weather["wind_speed_m_s"].mean() == pytest.approx(raw["wind_speed_m_s"].mean(), rel=1e-9)
    assert weather["dhi_w_m2"].sum() / 4 == pytest.approx(raw["dhi_w_m2"].sum(), rel=2e-3)


def test_closure_ghi_dni_dhi(try_raw):
    raw, meta = try_raw
    weather = resample_weather(with_metadata(raw, meta), 15)
    mid = weather.index + pd.Timedelta(minutes=7.5)
    zen = pvlib.solarposition.get_solarposition(
        mid, meta["lat_deg"], meta["lon_deg"], method="ephemeris"
    )["zenith"].to_numpy()
    cosz = np.maximum(np.cos(np.radians(zen)), 0.065)
    rebuilt = weather["dhi_w_m2"].to_numpy() + weather["dni_w_m2"].to_numpy() * cosz
    np.testing.assert_allclose(rebuilt, weather["ghi_w_m2"].to_numpy(), atol=1e-9)


def test_leap_year_takes_28_february_for_29(try_raw):
    weather, _ = default_weather(2024)
    assert len(weather) == 35136
    feb28 = weather.loc["2024-02-28"].tz_convert("UTC")
    feb29 = weather.loc["2024-02-29"].tz_convert("UTC")
    # compare by UTC clock time (the local days are UTC+1 throughout February)
    np.testing.assert_array_equal(feb28.to_numpy()[4:], feb29.to_numpy()[4:])


def test_hourly_frequency(weather_2025):
    hourly, _ = default_weather(2025, freq_minutes=60)
    quarter, _ = weather_2025
    assert len(hourly) == 8760
    np.testing.assert_allclose(
        hourly["ghi_w_m2"].to_numpy(),
        quarter["ghi_w_m2"].to_numpy().reshape(-1, 4).mean(axis=1),
        rtol=1e-12,
        atol=1e-9,
    )


# ----------------------------------------------------------------------------- resampling


def test_resampling_conserves_every_hour(try_raw):
    raw, meta = try_raw
    weather = with_metadata(raw, meta)
    fine = resample_weather(weather, 15)
    assert len(fine) == 4 * len(raw)
    assert fine.index[0] == raw.index[0]
    assert fine.index[1] - fine.index[0] == pd.Timedelta(minutes=15)
    for column in ("ghi_w_m2", "temp_air_c", "wind_speed_m_s"):
        np.testing.assert_allclose(
            fine[column].to_numpy().reshape(-1, 4).mean(axis=1),
            raw[column].to_numpy(),
            rtol=1e-12,
            atol=1e-9,
        )
    assert fine["ghi_w_m2"].sum() / 4 == pytest.approx(raw["ghi_w_m2"].sum(), rel=1e-9)
    # back to hourly gives the original
    back = resample_weather(fine, 60)
    np.testing.assert_allclose(back["ghi_w_m2"], raw["ghi_w_m2"], rtol=1e-12, atol=1e-9)


def test_resampling_puts_the_noon_peak_in_the_right_quarter():
    """A clear day built at 15 minutes, averaged to hours and resampled back, keeps its
    peak in the quarter of solar noon."""
    lat, lon = 52.7286, 6.4901
    index = pd.date_range("2025-06-21 00:00", periods=96, freq="15min", tz="Europe/Amsterdam")
    mid = index + pd.Timedelta(minutes=7.5)
    sp = pvlib.solarposition.get_solarposition(mid, lat, lon)
    cs = pvlib.clearsky.simplified_solis(90 - sp["apparent_zenith"].to_numpy())
    ghi = np.nan_to_num(np.asarray(cs["ghi"], dtype=float))
    truth = pd.DataFrame(
        {
            "ghi_w_m2": ghi,
            "dni_w_m2": np.nan,
            "dhi_w_m2": np.nan_to_num(np.asarray(cs["dhi"], dtype=float)),
            "temp_air_c": 20.0,
            "wind_speed_m_s": 2.0,
        },
        index=index,
    )
    truth.attrs = {"lat_deg": lat, "lon_deg": lon}
    hourly = resample_weather(truth, 60)
    again = resample_weather(hourly, 15)
    peak = again["ghi_w_m2"].idxmax()
    assert peak == truth["ghi_w_m2"].idxmax()
    assert peak == pd.Timestamp("2025-06-21 13:30", tz="Europe/Amsterdam")
    # the shape is close to the truth (clear sky: within a few W/m2)
    assert np.abs(again["ghi_w_m2"].to_numpy() - ghi).max() < 0.03 * ghi.max()


def test_knmi_decomposition_and_resampling():
    raw, meta = read_knmi_hourly(DATA / "knmi_uurgeg_279_sample.txt")
    day = with_metadata(raw.loc["2021-06-21"], meta)
    full = decompose_ghi(day)
    assert not full["dhi_w_m2"].isna().any()
    assert (full["dhi_w_m2"] <= full["ghi_w_m2"] + 1e-9).all()
    assert "Erbs" in full.attrs["decomposition"]
    fine = resample_weather(day, 15)
    np.testing.assert_allclose(
        fine["ghi_w_m2"].to_numpy().reshape(-1, 4).mean(axis=1),
        day["ghi_w_m2"].to_numpy(),
        rtol=1e-12,
        atol=1e-9,
    )
    assert fine.index[0] == pd.Timestamp("2021-06-21 00:00", tz="UTC")
    # a missing value is reported, never silently filled
    with pytest.raises(ParkplanError, match="missing values in ghi_w_m2"):
        resample_weather(with_metadata(raw, meta), 15)


def test_to_year_needs_aligned_times(try_raw):
    raw, meta = try_raw
    with pytest.raises(ParkplanError, match="does not cover"):
        to_year(with_metadata(raw, meta), 2025)


def test_irregular_index_is_refused():
    index = pd.DatetimeIndex(["2025-01-01 00:00", "2025-01-01 01:00", "2025-01-01 03:00"], tz="UTC")
    weather = pd.DataFrame({c: [0.0, 0.0, 0.0] for c in WEATHER_COLUMNS}, index=index)
    with pytest.raises(ParkplanError, match="not regular"):
        resample_weather(weather, 15, lat_deg=52.7, lon_deg=6.5)


def test_pvgis_tmy_mixed_years_to_year():
    """A TMY with months from different years maps onto one calendar year."""
    hours = year_index(2019, 60, "UTC")
    months = {m: 2005 + m for m in range(1, 13)}
    stamps = pd.DatetimeIndex([t.replace(year=months[t.month]) for t in hours], tz="UTC")
    values = np.arange(len(stamps), dtype=float)
    tmy = pd.DataFrame(
        {
            "ghi_w_m2": values,
            "dni_w_m2": 0.0,
            "dhi_w_m2": values,
            "temp_air_c": values,
            "wind_speed_m_s": 1.0,
        },
        index=stamps,
    )
    mapped = to_year(tmy, 2025)
    assert len(mapped) == 8760
    # local 2025-01-01 00:00 is 2024-12-31 23:00 UTC: the TMY's last December hour
    assert mapped["temp_air_c"].iloc[0] == values[-1]
    # local 2025-07-01 12:00 (CEST) is 10:00 UTC
    ts = pd.Timestamp("2025-07-01 12:00", tz="Europe/Amsterdam")
    src = pd.Timestamp("2012-07-01 10:00", tz="UTC")
    assert mapped.loc[ts, "temp_air_c"] == values[stamps.get_loc(src)]
    quarter = prepare_weather(with_metadata(tmy, {"lat_deg": 52.7, "lon_deg": 6.5}), 2025, 15)
    assert len(quarter) == 35040
