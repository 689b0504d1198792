"""Text output names companies as "Name (id)"; ``--json`` keeps the bare ids (docs/cli.md).

The optimisation uses the example park with HYPOTHETICAL tariffs (``example_park_file``,
stated test values, not facts), in fast mode.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from parkplan.cli import main

from ..helpers import example_park_file

EXAMPLE = Path(__file__).parents[1] / "data" / "parkfile-v1.example.yaml"


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def test_quickscan_text_and_markdown_name_companies_json_keeps_ids(runner):
    text = runner.invoke(main, ["quickscan", str(EXAMPLE), "--no-store"])
    assert text.exit_code == 0, text.output
    assert "Metaalbewerking De Vries (c02) 412 van 350 kW" in text.output  # a finding
    md = runner.invoke(main, ["quickscan", str(EXAMPLE), "--md", "--no-store"])
    assert "| 4 | Piekmanagement bij de piekbepalers | Metaalbewerking De Vries (c02) |" in (
        md.output
    )
    data = json.loads(runner.invoke(main, ["quickscan", str(EXAMPLE), "--json"]).output)
    peak = next(r for r in data["recommendations"] if r["companies"] == ["c02"])
    assert "Metaalbewerking" not in json.dumps(data["findings"]) + json.dumps(peak)


def test_optimize_text_names_companies_json_keeps_ids(runner, tmp_path):
    from parkplan.optimize.report import explain_result

    pf = example_park_file(tmp_path)
    res = runner.invoke(main, ["optimize", str(pf), "--fast", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [c["id"] for c in data["companies"]] == ["c01", "c02", "c03"]
    assert "Transport Bakker BV" not in res.output
    # the stored numbers give back the very sentences of the run, in either language
    assert explain_result(data, "nl") == data["explanation"]
    en = explain_result(data, "en")
    assert en[0].startswith("Every company alone: EUR ") and en != data["explanation"]
    text = runner.invoke(main, ["optimize", str(pf), "--fast"])
    assert text.exit_code == 0, text.output
    for label in ("Transport Bakker BV (c01)", "Metaalbewerking De Vries (c02)"):
        assert label in text.output
    assert data["explanation"][0] in text.output
