"""KNMI hourly station files: units (J/cm2 -> W/m2, 0.1 degC, 0.1 m/s) and UT hour-ending
stamps, on a small hand-made file with exact expected values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from parkplan.domain.errors import ParkplanError
from parkplan.io.knmi import read_knmi_hourly

SAMPLE = Path(__file__).parents[1] / "data" / "weather" / "knmi_uurgeg_279_sample.txt"
COMMENTED = SAMPLE.with_name("knmi_uurgeg_279_commented_sample.txt")


@pytest.fixture(scope="module")
def knmi():
    return read_knmi_hourly(SAMPLE)


def test_index_is_utc_interval_start(knmi):
    data, _ = knmi
    assert str(data.index.tz) == "UTC"
    assert len(data) == 48
    # HH=1 of 21 June covers 00:00-01:00 UT: labelled 00:00 UTC
    assert data.index[0] == pd.Timestamp("2021-06-21 00:00", tz="UTC")
    # HH=24 of 21 June covers 23:00-24:00 UT: labelled 23:00 UTC on the same date
    assert data.index[23] == pd.Timestamp("2021-06-21 23:00", tz="UTC")
    assert data.index[24] == pd.Timestamp("2021-06-22 00:00", tz="UTC")
    assert (data.index.to_series().diff().dropna() == pd.Timedelta(hours=1)).all()


def test_units_exact(knmi):
    data, _ = knmi
    # HH=13 on 21 June: Q = 230 J/cm2 in 12:00-13:00 UT -> 230 * 10000 / 3600 W/m2
    row = data.loc[pd.Timestamp("2021-06-21 12:00", tz="UTC")]
    assert row["ghi_w_m2"] == pytest.approx(230 * 10000 / 3600, rel=1e-12)
    assert row["ghi_w_m2"] == pytest.approx(638.888888888889, rel=1e-12)
    # T is observed at 12:00 (HH=12, 21.4) and 13:00 UT (HH=13, 22.1): midpoint 12:30
    assert row["temp_air_c"] == pytest.approx(21.75, abs=1e-12)
    assert row["wind_speed_m_s"] == pytest.approx(7.0)
    # HH=5: Q = 14 J/cm2 during 04:00-05:00 UT = 38.89 W/m2 mean = 38.89 Wh/m2
    assert data.loc[pd.Timestamp("2021-06-21 04:00", tz="UTC"), "ghi_w_m2"] == pytest.approx(
        14 * 2.7777777777777777, rel=1e-12
    )
    # daily sum of Q [J/cm2] -> [Wh/m2] by x 2.778
    day = data.loc["2021-06-21", "ghi_w_m2"].sum()
    assert day == pytest.approx(2086 * 10000 / 3600, rel=1e-12)
    assert np.isnan(data.loc[pd.Timestamp("2021-06-22 02:00", tz="UTC"), "ghi_w_m2"])
    assert data["dni_w_m2"].isna().all()
    assert data["dhi_w_m2"].isna().all()


def test_temperature_is_interpolated_to_the_interval_midpoint(knmi):
    data, meta = knmi
    temp = data["temp_air_c"]
    # T is an observation at the end of hour HH, not a mean over it: the interval
    # 04:00-05:00 UT gets the mean of T at 04:00 (HH=4, 9.9) and 05:00 UT (HH=5, 10.4)
    assert temp[pd.Timestamp("2021-06-21 04:00", tz="UTC")] == pytest.approx(10.15, abs=1e-12)
    # 23:00-24:00 UT (HH=23, 13.4; HH=24, 12.6)
    assert temp[pd.Timestamp("2021-06-21 23:00", tz="UTC")] == pytest.approx(13.0, abs=1e-12)
    # across the date: HH=24 of 21 June (12.6) and HH=1 of 22 June (12.0)
    assert temp[pd.Timestamp("2021-06-22 00:00", tz="UTC")] == pytest.approx(12.3, abs=1e-12)
    # the first hour of the file has no observation at its start: T at HH=1 alone
    assert temp.iloc[0] == pytest.approx(11.2, abs=1e-12)
    assert temp.iloc[-1] == pytest.approx((12.5 + 12.2) / 2, abs=1e-12)
    assert not temp.isna().any()
    assert "midpoint" in meta["temperature_convention"]
    assert "end of the hour" in meta["temperature_convention"]


def test_missing_temperature_observation_is_not_filled(tmp_path):
    path = tmp_path / "uurgeg.txt"
    path.write_text(
        "# STN,YYYYMMDD,   HH,   FH,    T,    Q\n"
        "  279,20210621,    1,   20,  100,    0\n"
        "  279,20210621,    2,   20,     ,    0\n"
        "  279,20210621,    3,   20,  120,    0\n"
        "  279,20210621,    4,   20,  130,    0\n",
        encoding="latin-1",
    )
    data, _ = read_knmi_hourly(path)
    # the observation at 02:00 UT is missing: both intervals that touch it are NaN
    np.testing.assert_allclose(data["temp_air_c"], [10.0, np.nan, np.nan, 12.5], atol=1e-12)


def test_metadata(knmi):
    _, meta = knmi
    assert meta["station"] == 279
    assert meta["station_name"] == "Hoogeveen"
    assert meta["lat_deg"] == pytest.approx(52.75)
    assert meta["lon_deg"] == pytest.approx(6.574)
    assert "UT" in meta["original_time_convention"]
    assert "hour-ending" in meta["original_time_convention"]


def test_station_block_in_commented_header_style():
    # uurgeg_279_*.txt and the KNMI script output prefix the header lines with '#'
    data, meta = read_knmi_hourly(COMMENTED)
    assert len(data) == 24
    assert meta["station"] == 279
    assert meta["station_name"] == "Hoogeveen"
    assert meta["lat_deg"] == 52.75
    assert meta["lon_deg"] == 6.574
    assert meta["altitude_m"] == 15.8


def test_station_block_without_colon_and_with_a_two_word_name(tmp_path):
    path = tmp_path / "uurgeg_260.txt"
    path.write_text(
        "# STN         LON(east)   LAT(north)     ALT(m)  NAME\n"
        "# 260          5.180       52.100       1.90  De Bilt\n"
        "# \n"
        "# STN,YYYYMMDD,   HH,   FH,    T,    Q\n"
        "  260,20210621,    1,   20,  112,    0\n",
        encoding="latin-1",
    )
    _, meta = read_knmi_hourly(path)
    assert meta["station_name"] == "De Bilt"
    assert (meta["lat_deg"], meta["lon_deg"], meta["altitude_m"]) == (52.1, 5.18, 1.9)


def test_not_a_knmi_file(tmp_path):
    bad = tmp_path / "x.txt"
    bad.write_text("a,b,c\n1,2,3\n", encoding="latin-1")
    with pytest.raises(ParkplanError, match="not a KNMI hourly file"):
        read_knmi_hourly(bad)


def test_missing_column(tmp_path):
    bad = tmp_path / "x.txt"
    bad.write_text("# STN,YYYYMMDD,   HH,    T\n  279,20210101,    1,   12\n", encoding="latin-1")
    with pytest.raises(ParkplanError, match="columns missing: Q, FH"):
        read_knmi_hourly(bad)
