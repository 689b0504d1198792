"""Weather of a simulation: KNMI and PVGIS files prepared onto the calendar year, the
default reference year, and what the provenance records."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from parkplan.domain.errors import ParkplanError
from parkplan.energy.weather import one_reference_year
from parkplan.services.weather import default_weather, load_weather, weather_label


def _hourly(year: int) -> pd.DataFrame:
    """Hourly weather in UTC from the default reference year (realistic values)."""
    w, _ = default_weather(year, 60)
    return w.tz_convert("UTC")


def write_knmi(path, years=(2023, 2024)):
    """A KNMI hourly file (layout of uurgeg_279_*.txt) covering the local years."""
    w = pd.concat([_hourly(y) for y in years])
    lines = [
        "BRON: KONINKLIJK NEDERLANDS METEOROLOGISCH INSTITUUT (KNMI)",
        "Testbestand voor parkplan (afgeleid van het DWD-testreferentiejaar, geen metingen)",
        "",
        "STN         LON(east)   LAT(north)     ALT(m)  NAME",
        "279:         6.574       52.750      15.80  Hoogeveen",
        "",
        "# STN,YYYYMMDD,   HH,   DD,   FH,    T,    Q",
    ]
    for ts, row in w.iterrows():
        lines.append(
            f"  279,{ts:%Y%m%d}, {ts.hour + 1:4d},  230, {round(row.wind_speed_m_s * 10):4d},"
            f" {round(row.temp_air_c * 10):4d}, {round(row.ghi_w_m2 * 0.36):4d}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="latin-1")
    return path


def write_pvgis_csv(path, year=2019):
    """A PVGIS TMY CSV (8,760 rows, all months from one year here)."""
    w = _hourly(year)
    lines = ["Latitude (decimal degrees):\t52.729", "Longitude (decimal degrees):\t6.490"]
    lines += ["Elevation (m):\t12.0", "month,year", *(f"{m},{year}" for m in range(1, 13))]
    lines.append("time(UTC),T2m,RH,G(h),Gb(n),Gd(h),IR(h),WS10m,WD10m,SP")
    for ts, r in w.iterrows():
        lines.append(
            f"{ts:%Y%m%d:%H%M},{r.temp_air_c:.2f},80.0,{r.ghi_w_m2:.2f},{r.dni_w_m2:.2f},"
            f"{r.dhi_w_m2:.2f},300.0,{r.wind_speed_m_s:.2f},230.0,101300.0"
        )
    lines += ["", "T2m: 2-m air temperature (degree Celsius)"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_knmi_file_takes_its_latest_complete_year(tmp_path):
    path = write_knmi(tmp_path / "uurgeg_279_2023-2024.txt")
    weather, meta = load_weather(path, year=2025)
    assert len(weather) == 35040 and str(weather.index.tz) == "Europe/Amsterdam"
    assert not weather.isna().any().any()
    # 2024 lacks its last UTC hour (the local year ends at 23:00 UTC): 2023 is taken
    assert meta["year_selection"] == "year 2023 of 2022-2024 (UTC)"
    assert meta["format"] == "knmi" and meta["station"] == 279
    assert meta["file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "Hoogeveen" in meta["note"]
    # irradiance is conserved by the resampling: the energy of the year taken
    raw = pd.read_csv(path, skiprows=7, header=None, skipinitialspace=True)
    q_2023 = raw[raw[1] // 10000 == 2023][6].sum() / 0.36 / 1000  # kWh/m2
    assert weather["ghi_w_m2"].sum() * 0.25 / 1000 == pytest.approx(q_2023, rel=0.01)
    assert "sha256" in weather_label(meta) and weather_label(meta).startswith("Weer: KNMI")


def test_pvgis_file_and_its_format_option(tmp_path):
    path = write_pvgis_csv(tmp_path / "tmy.csv")
    weather, meta = load_weather(path, fmt="pvgis-csv", year=2025, resolution_minutes=60)
    assert len(weather) == 8760 and meta["format"] == "pvgis-csv"
    assert "year_selection" not in meta
    again, _ = load_weather(path, year=2025, resolution_minutes=60)
    pd.testing.assert_frame_equal(weather, again)


def test_default_weather_is_the_dwd_reference_year():
    weather, meta = default_weather(2025, 15)
    assert len(weather) == 35040
    assert meta["format"] == "dwd-try" and meta["file_name"] == "TRY2010_05_Jahr.dat"
    assert meta["note"].startswith("Reference year, not measured Hoogeveen weather")
    # the old import path still works (the reading moved to services)
    from parkplan.energy.weather import default_weather as old

    np.testing.assert_array_equal(old(2025, 15)[0].to_numpy(), weather.to_numpy())


def test_incomplete_or_missing_files_are_errors(tmp_path):
    path = write_knmi(tmp_path / "kort.txt", years=(2024,))
    text = path.read_text(encoding="latin-1").splitlines()
    (tmp_path / "kort.txt").write_text("\n".join(text[:5000]) + "\n", encoding="latin-1")
    with pytest.raises(ParkplanError, match=r"Weather file kort.txt \(knmi\)"):
        load_weather(tmp_path / "kort.txt", year=2025)
    with pytest.raises(ParkplanError, match="does not exist"):
        load_weather(tmp_path / "weg.txt")


def test_one_reference_year_without_a_complete_year():
    idx = pd.date_range("2023-06-01", periods=24 * 400, freq="h", tz="UTC")
    w = pd.DataFrame({"ghi_w_m2": 1.0}, index=idx)
    short = w.iloc[:8000]  # less than a year, each time of year once: returned as it is
    same, note = one_reference_year(short, 2025)
    assert same is short and note is None
    with pytest.raises(ParkplanError, match="no complete year"):
        one_reference_year(w, 2025)
