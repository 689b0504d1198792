"""parkplan meterdata check: faults of meter-data files reported, exit status 1 on errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from parkplan.cli import main

DATA = Path(__file__).parents[1] / "data" / "meterdata"


def _check(*args: str) -> tuple[int, dict]:
    res = CliRunner().invoke(main, ["meterdata", "check", *args, "--json"])
    return res.exit_code, json.loads(res.output)


def test_gaps_duplicates_and_bad_values_are_reported():
    code, data = _check(str(DATA / "gaten_dubbel.csv"), "--partial")
    assert code == 1
    kinds = [p["code"] for p in data["problems"]]
    assert {"gap", "duplicate", "missing_value", "not_a_number"} <= set(kinds)
    assert data["errors"] == sum(p["severity"] == "error" for p in data["problems"]) >= 1
    assert data["year"] == 2025 and data["intervals"] == 95
    gap = next(p for p in data["problems"] if p["code"] == "gap")
    assert gap["file"] == "gaten_dubbel.csv" and gap["row"] == 11


def test_long_autumn_day_is_clean_and_its_energy_summed():
    code, data = _check(str(DATA / "herfst_100.csv"), "--partial")
    assert code == 0 and data["problems"] == []
    assert data["intervals"] == 100
    assert abs(data["offtake_kwh"] - 505.0) < 1e-9


def test_dst_day_without_the_clock_change_is_reported():
    _code, data = _check(str(DATA / "herfst_96_zonder_zomertijd.csv"), "--partial")
    assert "dst_ignored" in {p["code"] for p in data["problems"]}


def test_wrong_sign_kw_and_wrong_year():
    code, data = _check(str(DATA / "teruglevering_negatief.csv"), "--partial")
    assert code == 1 and "negative_feed_in" in {p["code"] for p in data["problems"]}
    code, data = _check(str(DATA / "verbruik_kw_eindtijd.csv"), "--partial")
    assert code == 0 and "kw_not_kwh" in {p["code"] for p in data["problems"]}
    code, data = _check(str(DATA / "herfst_100.csv"), "--year", "2024")
    assert code == 1 and "wrong_year" in {p["code"] for p in data["problems"]}


def test_full_year_expected_by_default_and_dutch_text():
    res = CliRunner().invoke(main, ["meterdata", "check", str(DATA / "herfst_100.csv")])
    assert res.exit_code == 0, res.output
    assert "100 kwartieren" in res.output and "505,0 kWh" in res.output
    assert "gap" in res.output and "waarschuwing" in res.output
