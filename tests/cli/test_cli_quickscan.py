"""parkplan quickscan: JSON equals the committed findings, Markdown report, database parks
store their result with provenance, unknown parks are a clear error."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from parkplan.cli import main

DATA = Path(__file__).parents[1] / "data"
EXAMPLE = DATA / "parkfile-v1.example.yaml"
EXPECTED = DATA / "expected" / "quickscan_voorbeeldpark.json"


def test_quickscan_json_and_markdown():
    result = CliRunner().invoke(main, ["quickscan", str(EXAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    for key in ("findings", "recommendations", "not_assessed"):
        assert data[key] == expected[key]
    assert data["company_names"]["c01"] == "Transport Bakker BV"
    prov = data["provenance"]
    assert prov["refdata_version"] and prov["code_version"] and len(prov["inputs_sha256"]) == 64
    used = {v["key"] for v in data["refdata_used"]}
    assert "obligation.energy_saving.min_gas_m3_equivalent" in used


def test_quickscan_stores_database_result(tmp_database_url):
    from parkplan.io.parkfile import read_park_file
    from parkplan.store.db import session_scope
    from parkplan.store.repository import add_park, list_results

    park, _ = read_park_file(EXAMPLE)
    with session_scope() as s:
        add_park(s, park)
    result = CliRunner().invoke(main, ["quickscan", park.id, "--md"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Voorlopige conclusies en aanbevelingen")
    assert "| 1 | Erkende maatregelen nemen en melden (verplicht) | c01, c02 |" in result.output
    with session_scope() as s:
        rows = list_results(s, park.id, "quickscan")
        assert len(rows) == 1
        assert rows[0].refdata_version and rows[0].inputs_hash
        assert rows[0].payload["findings"][0]["rule"] == "energy_saving_obligation"


def test_quickscan_of_unknown_park_is_a_clear_error(tmp_database_url):
    result = CliRunner().invoke(main, ["quickscan", "bestaat-niet", "--json"])
    assert result.exit_code == 1
    assert "bestaat-niet" in result.output
