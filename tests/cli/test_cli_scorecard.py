"""parkplan scorecard: JSON with six themes, optional inputs, radar chart, comparison of
parks, stored results for database parks and clear errors for bad inputs."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from parkplan.cli import main

DATA = Path(__file__).parents[1] / "data"
EXAMPLE = DATA / "parkfile-v1.example.yaml"


def test_scorecard_json_inputs_and_chart(tmp_path):
    inputs = tmp_path / "inputs.yaml"
    inputs.write_text(
        "climate: {paved_share: 0.85, green_share: 0.1, water_storage_m3: 12750}\n"
        "circularity: {collective_waste_contract: true}\n",
        encoding="utf-8",
    )
    chart = tmp_path / "radar.svg"
    args = ["scorecard", str(EXAMPLE), "--inputs", str(inputs), "--chart", str(chart), "--json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    themes = {t["theme"]: t for t in data["themes"]}
    assert list(themes) == ["energy", "grid", "climate", "mobility", "circularity", "organisation"]
    # 12,750 m3 over 42.5 ha = 300 m3/ha: half the target of 600
    water = next(
        i for i in themes["climate"]["indicators"] if i["key"] == "water_storage_m3_per_ha"
    )
    assert water["value"] == 300 and water["score"] == 50
    assert themes["climate"]["score"] == 50
    assert themes["mobility"]["score"] is None  # the example park lists no vehicles
    assert data["themes_assessed"] == 5
    assert data["inputs"]["collective_waste_contract"] is True
    assert "scorecard.target.energy_neutral_share" in {v["key"] for v in data["refdata_used"]}
    assert chart.exists() and "Energie" in chart.read_text(encoding="utf-8")


def test_scorecard_bad_inputs_is_a_clear_error(tmp_path):
    inputs = tmp_path / "inputs.yaml"
    inputs.write_text("climate: {paved_share: 1.5}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["scorecard", str(EXAMPLE), "--inputs", str(inputs)])
    assert result.exit_code == 1
    assert "paved_share" in result.output and "tussen 0 en 1" in result.output


def test_scorecard_of_a_database_park_is_stored(tmp_database_url, tmp_path):
    from parkplan.io.parkfile import read_park_file
    from parkplan.store.db import session_scope
    from parkplan.store.repository import add_park, list_results

    small = tmp_path / "klein.yaml"
    small.write_text(SMALL_PARK, encoding="utf-8")
    park, _ = read_park_file(small)
    with session_scope() as s:
        add_park(s, park)
    result = CliRunner().invoke(main, ["--lang", "en", "scorecard", park.id])
    assert result.exit_code == 0, result.output
    assert "Overall" in result.output and "Energy" in result.output
    with session_scope() as s:
        (row,) = list_results(s, park.id, "scorecard")
        # stored in Dutch under key "" (what the plans read), whatever the output language
        assert row.key == "" and row.inputs_hash and row.refdata_version
        assert row.payload["themes"][0]["label"] == "Energie"


SMALL_PARK = """format: parkplan/1
park:
  id: klein
  name: Klein park
companies:
  - id: k1
    name: Werkplaats
    floor_area_m2: 800
    electricity: {annual_kwh: 30000}
    connection: {ean: "871234567890001049", kind: kleinverbruik, fuse: 3x25A}
  - id: k2
    name: Opslag
    electricity: {annual_kwh: 12000}
    engagement: {bond_with_park: 2}
"""


def test_two_parks_are_compared_with_missing_criteria_named(tmp_path):
    small = tmp_path / "klein.yaml"
    small.write_text(SMALL_PARK, encoding="utf-8")
    other = tmp_path / "ander.yaml"
    other.write_text(
        SMALL_PARK.replace("id: klein", "id: ander").replace(
            "name: Klein park", "name: Ander park\n  area_ha: 4.0"
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["scorecard", str(small), str(other), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [p["park_id"] for p in data["parks"]] == ["klein", "ander"]
    comp = data["comparison"]
    assert comp["comparable"] is True
    # no area, no grid figure and no employees: named, not scored 0
    missing = set(comp["not_assessed"]["klein"])
    assert {"energy.co2_t_per_ha", "energy.co2_t_per_job", "grid.grid_headroom_share"} <= missing
    assert comp["scores"]["klein"]["grid"] is None
    assert "energy.co2_t_per_ha" not in comp["not_assessed"]["ander"]
    # 1 of 2 companies answered: 50 %, not weak
    assert comp["weak"]["klein"] == []


def test_scorecard_reads_climate_and_circularity_from_the_park_file(tmp_path):
    park_file = tmp_path / "groen.yaml"
    park_file.write_text(
        SMALL_PARK.replace(
            "name: Klein park",
            "name: Klein park\n"
            "  area_ha: 2.0\n"
            "  climate:\n"
            "    paved_share: 0.85\n"
            "    green_share: 0.1\n"
            "    water_storage_m3: 600\n"
            "    origins: {water_storage_m3: estimated}\n"
            "  circularity: {collective_waste_contract: true}",
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["scorecard", str(park_file), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    themes = {t["theme"]: t for t in data["themes"]}
    climate = {i["key"]: i for i in themes["climate"]["indicators"]}
    # green 0.1 of 0.2, paved 0.85 between 0.9 and 0.8, 300 of 600 m3/ha: 50 each
    assert themes["climate"]["score"] == 50
    assert climate["green_share"]["source"] == "park:climate.green_share"
    assert climate["water_storage_m3_per_ha"]["quality"] == "estimated"
    assert themes["circularity"]["score"] == 100
    assert data["inputs"] == {}
    assert data["inputs_used"]["water_storage_m3"] == {
        "value": 600,
        "source": "park:climate.water_storage_m3",
        "quality": "estimated",
    }

    # an inputs file overrides the park's value and is named as the source
    inputs = tmp_path / "inputs.yaml"
    inputs.write_text("climate: {green_share: 0.2}\n", encoding="utf-8")
    args = ["scorecard", str(park_file), "--inputs", str(inputs), "--json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    climate = {
        i["key"]: i for t in data["themes"] if t["theme"] == "climate" for i in t["indicators"]
    }
    assert climate["green_share"]["value"] == 0.2 and climate["green_share"]["score"] == 100
    assert climate["green_share"]["source"] == "inputs:green_share"
    assert climate["paved_share"]["source"] == "park:climate.paved_share"
    assert data["inputs_used"]["green_share"]["source"] == "inputs:green_share"
