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


SMALL_PARK = """format: parkplan/1
park:
  id: klein
  name: Klein park
companies:
  - id: k1
    name: Werkplaats
    electricity: {annual_kwh: 60000, peak_kw: 23}
    connection: {ean: "871234567890001049", kind: kleinverbruik, fuse: 3x35A}
  - id: k2
    name: Opslag
    electricity: {annual_kwh: 12000}
"""


def test_quickscan_stores_database_result(tmp_database_url, tmp_path):
    from parkplan.io.parkfile import read_park_file
    from parkplan.store.db import session_scope
    from parkplan.store.repository import add_park, list_results

    small = tmp_path / "klein.yaml"
    small.write_text(SMALL_PARK, encoding="utf-8")
    park, _ = read_park_file(small)
    with session_scope() as s:
        add_park(s, park)
    result = CliRunner().invoke(main, ["--lang", "en", "quickscan", park.id, "--md"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Preliminary conclusions and recommendations")
    assert "| 1 | Take and report the recognised measures (obligation) | Werkplaats (k1) |" in (
        result.output
    )
    # metered peak 23 kW of a 3x35A fuse (24.15 kW): near
    assert "Connection near its contract" in result.output
    with session_scope() as s:
        (row,) = list_results(s, park.id, "quickscan")
        # stored in Dutch under key "" (what the plans read), whatever the output language
        assert row.key == "" and row.refdata_version and len(row.inputs_hash) == 64
        assert row.payload["findings"][0]["title"] == "Energiebesparingsplicht"


def test_quickscan_of_unknown_park_is_a_clear_error(tmp_database_url):
    result = CliRunner().invoke(main, ["quickscan", "bestaat-niet", "--json"])
    assert result.exit_code == 1
    assert "bestaat-niet" in result.output
