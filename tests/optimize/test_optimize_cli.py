"""``parkplan optimize``: refusal of unknown tariffs, JSON keys, scenario file, infeasibility.

The example park's operator (Rendo) has no published tariffs in refdata: the tests give
HYPOTHETICAL values through ``refdata_overrides`` (stated test values, not facts).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from parkplan.cli import main
from parkplan.energy.scenario import parse_scenario
from parkplan.services.parks import load_park

from ..helpers import EXAMPLE_PARK_FILE, example_park_file


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def test_unknown_tariffs_are_refused_naming_the_key(runner):
    res = runner.invoke(main, ["optimize", str(EXAMPLE_PARK_FILE), "--json"])
    assert res.exit_code == 1
    assert "grid_category.rendo" in res.output
    assert "refdata_overrides" in res.output


def test_fast_json_keys_and_saved_scenario(runner, tmp_path):
    pf = example_park_file(tmp_path)
    scen = tmp_path / "optimum"
    res = runner.invoke(
        main, ["optimize", str(pf), "--fast", "--json", "--save-scenario", str(scen)]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    for key in ("objective_eur", "alone_total_eur", "together_total_eur",
                "value_of_cooperation_eur", "hub", "companies", "solver", "explanation",
                "provenance", "scenario_file"):  # fmt: skip
        assert key in data
    assert data["mode"] == "fast"
    assert data["value_of_cooperation_eur"] == pytest.approx(
        data["alone_total_eur"] - data["together_total_eur"], abs=0.02
    )
    assert data["solver"]["name"] == "HiGHS"
    # on this park the hub is cheaper than every company alone
    assert data["value_of_cooperation_eur"] > 0
    assert data["hub"]["members"] == ["c01", "c02"]
    assert data["hub"]["contract_kw"] <= 900 + 1e-6
    c = {x["id"]: x for x in data["companies"]}
    assert c["c03"]["in_hub"] is False  # kleinverbruik stays alone
    doc = yaml.safe_load(Path(data["scenario_file"]).read_text(encoding="utf-8"))
    sc = parse_scenario(doc, load_park(str(pf)))
    assert any(type(m).__name__ == "EnergyHub" for m in sc.measures)


def test_infeasible_park_is_explained_in_words(runner, tmp_path):
    pf = example_park_file(tmp_path, available_import_kw=40)
    res = runner.invoke(main, ["optimize", str(pf), "--fast", "--json"])
    assert res.exit_code == 1
    data = json.loads(res.output)
    assert data["status"] == "infeasible"
    assert data["binding"] == "park"
    assert data["limit_kw"] == 40
    assert data["shortfall_max_kw"] > 0
    assert "niet haalbaar" in data["message"]
    assert "netbeheerder" in data["message"]
    assert "solver" not in data["message"].lower()


def test_result_of_a_database_park_is_stored_with_its_provenance(tmp_database_url, tmp_path):
    from parkplan.services.optimize import optimize
    from parkplan.services.parks import save_park
    from parkplan.store.db import session_scope
    from parkplan.store.repository import latest_result

    park = load_park(str(example_park_file(tmp_path)))
    with session_scope() as s:
        save_park(s, park)
    out = optimize(park.id, fast=True, save_scenario=tmp_path / "optimum")
    assert Path(out["scenario_file"]).name == "optimum.yaml"
    with session_scope() as s:
        row = latest_result(s, park.id, "optimization", key="optimum")
        assert row is not None and row.id == out["result_id"]
        assert row.key == "optimum"
        assert row.inputs_hash == out["provenance"]["inputs_hash"]
        assert row.payload["value_of_cooperation_eur"] == out["value_of_cooperation_eur"]
