import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from parkplan.cli import main

EXAMPLE = Path(__file__).parents[1] / "data" / "parkfile-v1.example.yaml"


def test_baseline_json_of_the_example_park():
    result = CliRunner().invoke(main, ["baseline", str(EXAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    park = data["park"]["totals"]
    assert park["electricity_offtake_kwh"]["value"] == 310_000 + 820_000 + 42_000
    # c02: 820,000 offtake + 300,000 produced - 95,000 fed in
    c02 = next(c for c in data["companies"] if c["id"] == "c02")
    assert c02["electricity_demand_kwh"]["value"] == 1_025_000
    used = {v["key"]: v["value"] for v in data["refdata_used"]}
    expected = (
        1_172_000 * used["co2.electricity_kg_per_kwh"] + 66_200 * used["co2.natural_gas_kg_per_m3"]
    )
    assert data["park"]["co2_kg"] == pytest.approx(expected)
    assert data["refdata_version"]


def test_baseline_table_in_dutch_and_english():
    nl = CliRunner().invoke(main, ["baseline", str(EXAMPLE)])
    assert nl.exit_code == 0, nl.output
    assert "Totaal park" in nl.output and "1.172" in nl.output
    en = CliRunner().invoke(main, ["--lang", "en", "baseline", str(EXAMPLE)])
    assert "Park total" in en.output and "1,172" in en.output


def test_baseline_of_unknown_park_is_a_clear_error(tmp_database_url):
    result = CliRunner().invoke(main, ["baseline", "bestaat-niet"])
    assert result.exit_code == 1
    assert "bestaat-niet" in result.output
