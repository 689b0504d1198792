"""``--weather FILE`` on every command that simulates or optimises (not only ``simulate``).

A KNMI hourly station file (uurgeg layout, station 279 Hoogeveen) is written from the default
reference year with the irradiance raised by a stated factor (a "sunnier year"): the
provenance must name it and the figures must move with it. The KNMI samples in
tests/data/weather cover a few days only, so they serve as the file that is refused.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from parkplan.cli import main

from ..helpers import HYPOTHETICAL_RENDO

DATA = Path(__file__).parents[1] / "data"
BC_PARK = str(DATA / "economics" / "park_stedin.yaml")
BC_SCENARIO = str(DATA / "economics" / "scenarios" / "pv_eia_hub.yaml")
SHORT_KNMI = DATA / "weather" / "knmi_uurgeg_279_commented_sample.txt"
GHI_FACTOR = 1.15
"""Irradiance of the test file relative to the default reference year (a test value)."""


@pytest.fixture(scope="module")
def knmi(tmp_path_factory) -> Path:
    """KNMI file of the local years 2023-2024 (complete UTC year 2023), irradiance x1.15."""
    from parkplan.services.weather import default_weather

    w = pd.concat([default_weather(y, 60)[0].tz_convert("UTC") for y in (2023, 2024)])
    lines = ["STN         LON(east)   LAT(north)     ALT(m)  NAME"]
    lines += ["279:         6.574       52.750      15.80  Hoogeveen", ""]
    lines.append("# STN,YYYYMMDD,   HH,   DD,   FH,    T,    Q")
    for ts, r in w.iterrows():
        lines.append(
            f"  279,{ts:%Y%m%d}, {ts.hour + 1:4d},  230, {round(r.wind_speed_m_s * 10):4d},"
            f" {round(r.temp_air_c * 10):4d}, {round(r.ghi_w_m2 * GHI_FACTOR * 0.36):4d}"
        )
    path = tmp_path_factory.mktemp("weather") / "uurgeg_279_2023-2024.txt"
    path.write_text("\n".join(lines) + "\n", encoding="latin-1")
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def _json(*args: str) -> dict:
    res = _run(*args, "--json")
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def test_business_case_uses_and_records_the_weather_file(knmi):
    base = _json("business-case", BC_PARK, "--scenario", BC_SCENARIO)
    data = _json("business-case", BC_PARK, "--scenario", BC_SCENARIO, "--weather", str(knmi))
    assert base["provenance"]["weather"]["format"] == "dwd-try"
    w = data["provenance"]["weather"]
    assert w["format"] == "knmi" and w["file_name"] == knmi.name
    assert w["file_sha256"] == _sha(knmi) and "path" not in w
    assert data["provenance"]["weather_sha256"] != base["provenance"]["weather_sha256"]
    before = {c["id"]: c for c in base["companies"]}
    after = {c["id"]: c for c in data["companies"]}
    # a sunnier year: more PV, so a lower bill after the scenario (c01 adds 100 kWp)
    assert after["c01"]["bill_after_eur"] < before["c01"]["bill_after_eur"]
    text = _run("business-case", BC_PARK, "--scenario", BC_SCENARIO, "--weather", str(knmi))
    assert text.exit_code == 0, text.output
    line = next(x for x in text.output.splitlines() if x.startswith("Weer: "))
    assert line.startswith("Weer: KNMI uurgegevens")
    assert f"{knmi.name}, sha256 {_sha(knmi)[:12]}" in line


def test_share_records_the_weather_file(knmi):
    data = _json("share", BC_PARK, "--scenario", BC_SCENARIO, "--weather", str(knmi))
    assert data["provenance"]["weather"]["file_sha256"] == _sha(knmi)


def test_a_wrong_weather_file_is_a_dutch_error_naming_it(tmp_path):
    res = _run("business-case", BC_PARK, "--scenario", BC_SCENARIO, "--weather", str(SHORT_KNMI))
    assert res.exit_code == 1
    assert f"Weerbestand {SHORT_KNMI.name}" in res.output and "dekt" in res.output
    res = _run("quickscan", BC_PARK, "--weather", BC_PARK, "--no-store")
    assert res.exit_code == 1
    assert "Weerbestand park_stedin.yaml: formaat niet herkend" in res.output
    missing = tmp_path / "uurgeg_279_ontbreekt.txt"
    res = _run("optimize", BC_PARK, "--fast", "--weather", str(missing))
    assert res.exit_code == 1 and f"Weerbestand {missing} bestaat niet" in res.output
    res = _run("scorecard", BC_PARK, "--weather-format", "knmi", "--no-store")
    assert res.exit_code == 1 and "--weather-format zonder --weather" in res.output


def _opt_park(tmp_path: Path) -> Path:
    doc = yaml.safe_load((DATA / "parkfile-v1.example.yaml").read_text(encoding="utf-8"))
    doc["park"].setdefault("refdata_overrides", {}).update(HYPOTHETICAL_RENDO)
    p = tmp_path / "park.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return p


def test_optimize_fast_uses_and_records_the_weather_file(knmi, tmp_path):
    pf = str(_opt_park(tmp_path))
    base = _json("optimize", pf, "--fast")
    data = _json("optimize", pf, "--fast", "--weather", str(knmi), "--weather-format", "knmi")
    assert base["provenance"]["weather"]["format"] == "dwd-try"
    w = data["provenance"]["weather"]
    assert w["format"] == "knmi" and w["file_sha256"] == _sha(knmi) and "path" not in w
    assert w["freq_minutes"] == 60  # the optimiser's resolution
    # a chosen weather is an input of the result
    assert data["provenance"]["inputs_hash"] != base["provenance"]["inputs_hash"]
    assert data["objective_eur"] != pytest.approx(base["objective_eur"], rel=1e-6)
    text = _run("optimize", pf, "--fast", "--weather", str(knmi))
    assert text.exit_code == 0, text.output
    assert "Weer: KNMI uurgegevens" in text.output and knmi.name in text.output


def test_quickscan_and_scorecard_record_the_weather_file(knmi):
    scan = _json("quickscan", BC_PARK, "--weather", str(knmi), "--no-store")
    assert scan["provenance"]["simulation"]["weather"]["file_sha256"] == _sha(knmi)
    md = _run("quickscan", BC_PARK, "--weather", str(knmi), "--no-store", "--md")
    assert md.exit_code == 0, md.output
    line = next(x for x in md.output.splitlines() if x.startswith("_Weer: "))
    assert "KNMI uurgegevens" in line and knmi.name in line
    base = _json("scorecard", BC_PARK, "--no-store")
    card = _json("scorecard", BC_PARK, "--weather", str(knmi), "--no-store")
    assert base["provenance"]["simulation"]["weather"]["format"] == "dwd-try"
    assert card["provenance"]["simulation"]["weather"]["format"] == "knmi"
    assert (
        card["provenance"]["simulation"]["weather_sha256"]
        != base["provenance"]["simulation"]["weather_sha256"]
    )


@pytest.fixture
def stored_park(tmp_database_url: str) -> str:
    from parkplan.services.parks import read_park_from_file, save_park
    from parkplan.store.db import session_scope

    park, _ = read_park_from_file(BC_PARK)
    with session_scope() as session:
        save_park(session, park)
    return park.id


def _stored_simulation(park_id: str) -> dict:
    from parkplan.store.db import session_scope
    from parkplan.store.repository import latest_result

    with session_scope() as s:
        return dict(latest_result(s, park_id, "simulation", "").payload)


def test_plan_prepare_uses_and_records_the_weather_file(stored_park, knmi, tmp_path):
    out = tmp_path / "plan.md"
    first = _json("plan", stored_park, "--out", str(out), "--prepare")
    assert first["weather"]["format"] == "dwd-try"
    default_sim = _stored_simulation(stored_park)
    # the stored simulation used other weather: --prepare with --weather simulates again
    data = _json("plan", stored_park, "--out", str(out), "--prepare", "--weather", str(knmi))
    assert data["weather"]["format"] == "knmi" and data["weather"]["file_sha256"] == _sha(knmi)
    sim = _stored_simulation(stored_park)
    assert sim["provenance"]["weather"]["file_name"] == knmi.name
    # the park's PV is its reported yearly yield (the same on any weather); its timing, and
    # so the offtake from the grid, follows the weather
    assert sim["park"]["pv_kwh"] == pytest.approx(default_sim["park"]["pv_kwh"])
    assert sim["park"]["import_kwh"] != pytest.approx(default_sim["park"]["import_kwh"], rel=1e-6)
    # appendix A names the weather of the simulation
    line = next(x for x in out.read_text(encoding="utf-8").splitlines() if "Weer: KNMI" in x)
    assert knmi.name in line
    # --weather alone would silently do nothing: refused
    res = _run("plan", stored_park, "--out", str(out), "--weather", str(knmi))
    assert res.exit_code == 1 and "--prepare" in res.output


def test_screen_workers_read_the_weather_file_by_path(knmi, tmp_path):
    from parkplan.scale.runner import ScreenSettings, worker_context
    from parkplan.scale.screening import screen_park
    from parkplan.services.parks import load_park

    # the settings carry the path (not the frame); the default keeps its earlier label
    default = ScreenSettings()
    chosen = ScreenSettings(weather_file=str(knmi), weather_sha256=_sha(knmi))
    assert default.key() == (2025, 60, 2026, ())
    assert chosen.label() != default.label() and _sha(knmi) in chosen.label()
    park = load_park(BC_PARK)
    base, sunny = (
        screen_park(park, worker_context(default)),
        screen_park(park, worker_context(chosen)),
    )
    assert sunny["pv_potential_kwh"] > base["pv_potential_kwh"]  # irradiance x1.15
    # one real run on a LocalCluster: the summary names the weather, the rows carry it
    folder = tmp_path / "parks"
    folder.mkdir()
    (folder / "stedin.yaml").write_bytes(Path(BC_PARK).read_bytes())
    out = tmp_path / "res" / "results.parquet"
    args = ["screen", str(folder), "--out", str(out), "--workers", "1", "--weather", str(knmi)]
    data = _json(*args)
    assert data["weather"]["file_sha256"] == _sha(knmi) and data["weather"]["format"] == "knmi"
    rows = pd.read_parquet(out)
    assert (rows["status"] == "ok").all()
    assert rows["settings"].str.contains(_sha(knmi)).all()
    # a weather file that cannot be used stops the run before a cluster starts
    bad = _run("screen", str(folder), "--out", str(out), "--weather", str(SHORT_KNMI))
    assert bad.exit_code == 1 and f"Weerbestand {SHORT_KNMI.name}" in bad.output
