"""``parkplan simulate``: JSON keys, Dutch summary, time series and charts."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from parkplan.cli import main

DATA = Path(__file__).parents[1] / "data"
PARK_FILE = str(DATA / "parkfile-v1.example.yaml")


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def test_json_has_the_documented_keys(runner, tmp_path):
    ts = tmp_path / "reeks.parquet"
    res = runner.invoke(
        main,
        [
            "simulate",
            PARK_FILE,
            "--scenario",
            str(DATA / "scenarios" / "zon-en-batterij.yaml"),
            "--json",
            "--timeseries",
            str(ts),
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    for key in (
        "demand_kwh",
        "pv_kwh",
        "import_kwh",
        "export_kwh",
        "coincident_peak_kw",
        "sum_of_individual_peaks_kw",
        "co2_kg",
    ):
        assert isinstance(data["park"][key], float), key
    assert [c["id"] for c in data["companies"]] == ["c01", "c02", "c03"]
    for c in data["companies"]:
        for key in (
            "demand_kwh",
            "pv_kwh",
            "self_consumed_kwh",
            "import_kwh",
            "export_kwh",
            "peak_import_kw",
            "exceeded_hours",
            "co2_kg",
            "estimated",
        ):
            assert key in c, key
    assert len(data["provenance"]["inputs_sha256"]) == 64
    assert data["provenance"]["scenario"] == "Zon en batterijen"
    assert data["files"] == [str(ts)]
    df = pd.read_parquet(ts)
    assert len(df) == 3 * 35040
    assert df.groupby("company")["demand_kwh"].sum()["c01"] == pytest.approx(310000)


def test_dutch_summary_and_charts(runner, tmp_path):
    res = runner.invoke(
        main,
        ["simulate", PARK_FILE, "--resolution", "60", "--charts", str(tmp_path / "g")],
    )
    assert res.exit_code == 0, res.output
    assert "Vraag op locatie" in res.output
    assert "1.377.000" in res.output  # demand with a thousands dot
    assert "Gelijktijdige piek" in res.output
    assert (tmp_path / "g" / "pieken.svg").stat().st_size > 5000
    assert (tmp_path / "g" / "energiebalans-per-maand.png").stat().st_size > 5000


def test_errors_are_clear(runner, tmp_path):
    res = runner.invoke(
        main, ["simulate", PARK_FILE, "--scenario", str(DATA / "scenarios" / "fout-onbekend.yaml")]
    )
    assert res.exit_code == 1
    assert "Onbekend bedrijf 'c99'" in res.output
    res = runner.invoke(main, ["simulate", PARK_FILE, "--timeseries", str(tmp_path / "x.csv")])
    assert res.exit_code == 1
    assert ".parquet" in res.output
    res = runner.invoke(main, ["--lang", "en", "simulate", PARK_FILE, "--year", "2026", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["provenance"]["year"] == 2026


def test_park_from_the_database(runner, tmp_database_url):
    from parkplan.services.parks import read_park_from_file, save_park
    from parkplan.store import db

    park, _ = read_park_from_file(PARK_FILE)
    with db.session_scope() as session:
        save_park(session, park)
    res = runner.invoke(main, ["simulate", "voorbeeldpark", "--resolution", "60", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["park"]["demand_kwh"] == pytest.approx(1377000, rel=1e-9)
    res = runner.invoke(main, ["simulate", "bestaat-niet"])
    assert res.exit_code == 1


def _write_knmi(path):
    """A KNMI hourly file (uurgeg layout) of the local years 2023-2024, values taken from
    the default reference year (so: complete UTC year 2023 only)."""
    from parkplan.services.weather import default_weather

    w = pd.concat([default_weather(y, 60)[0].tz_convert("UTC") for y in (2023, 2024)])
    lines = ["STN         LON(east)   LAT(north)     ALT(m)  NAME"]
    lines += ["279:         6.574       52.750      15.80  Hoogeveen", ""]
    lines.append("# STN,YYYYMMDD,   HH,   DD,   FH,    T,    Q")
    for ts, r in w.iterrows():
        lines.append(
            f"  279,{ts:%Y%m%d}, {ts.hour + 1:4d},  230, {round(r.wind_speed_m_s * 10):4d},"
            f" {round(r.temp_air_c * 10):4d}, {round(r.ghi_w_m2 * 0.36):4d}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="latin-1")
    return path


def test_weather_file_option_is_used_and_recorded(runner, tmp_path):
    import hashlib

    knmi = _write_knmi(tmp_path / "uurgeg_279_2023-2024.txt")
    res = runner.invoke(main, ["simulate", PARK_FILE, "--weather", str(knmi), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    w = data["provenance"]["weather"]
    assert w["format"] == "knmi" and w["file_name"] == knmi.name
    assert w["file_sha256"] == hashlib.sha256(knmi.read_bytes()).hexdigest()
    assert w["year_selection"] == "year 2023 of 2022-2024 (UTC)"
    assert "path" not in w
    default = runner.invoke(main, ["simulate", PARK_FILE, "--json"])
    d = json.loads(default.output)
    assert d["provenance"]["weather"]["format"] == "dwd-try"
    assert d["provenance"]["weather_sha256"] != data["provenance"]["weather_sha256"]
    assert d["provenance"]["inputs_sha256"] != data["provenance"]["inputs_sha256"]
    assert d["park"]["pv_kwh"] != data["park"]["pv_kwh"]
    # the summary says which weather was used
    text = runner.invoke(
        main, ["simulate", PARK_FILE, "--weather", str(knmi), "--weather-format", "knmi"]
    )
    assert text.exit_code == 0, text.output
    assert "Weer: KNMI uurgegevens" in text.output and knmi.name in text.output
    wrong = runner.invoke(
        main, ["simulate", PARK_FILE, "--weather", str(knmi), "--weather-format", "pvgis-json"]
    )
    assert wrong.exit_code == 1 and "pvgis-json" in wrong.output


def test_cli_weather_formats_are_the_readers_formats():
    from parkplan.cli import simulate as cli
    from parkplan.io import weather as io

    assert cli.WEATHER_FORMATS == io.WEATHER_FORMATS
