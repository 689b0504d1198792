"""The demo parks are usable end to end: each carries, as ``refdata_overrides``, illustrative
placeholders for exactly the unknown tariffs and tax rates its runs need (optimisation 2025,
business case 2026), copied from the closest sourced refdata row and labelled as such; the
runs report them as overridden (``parkplan optimize --json`` provenance, the business case).

The CLI runs use the smallest demo park (demo-riegmeer, 12 companies) in fast mode at hourly
resolution (a few seconds).
"""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
import yaml
from click.testing import CliRunner

from parkplan.cli import main
from parkplan.demo import generate_demo_parks
from parkplan.demo.placeholders import LABEL, placeholder_overrides, read_placeholder_rules
from parkplan.refdata import load_refdata

SMALL = "demo-riegmeer"
PARKS = {p.id: p for p in generate_demo_parks()}
SOURCE = re.compile(r"^ILLUSTRATIEF demo placeholder: (?P<key>[\w.]+) (?P<year>\d{4}) \(")


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_the_placeholders_are_deterministic_and_part_of_the_pure_generator():
    again = {p.id: p.refdata_overrides for p in generate_demo_parks()}
    assert again == {pid: p.refdata_overrides for pid, p in PARKS.items()}
    for park in PARKS.values():
        assert park.illustrative
        bare = dataclasses.replace(park, refdata_overrides={})
        assert park.refdata_overrides == placeholder_overrides(bare)


@pytest.mark.parametrize("park_id", sorted(PARKS))
def test_every_placeholder_fills_an_unknown_value_from_a_sourced_row(park_id):
    park = PARKS[park_id]
    plain = load_refdata()
    years = sorted(set(read_placeholder_rules()["runs"].values()))
    operator = park.grid.operator.lower()
    assert park.refdata_overrides
    for key, spec in park.refdata_overrides.items():
        assert key.startswith((f"grid_tariff.{operator}.", f"grid_category.{operator}.",
                               "energy_tax.electricity."))  # fmt: skip
        assert spec["source"].startswith(LABEL) and spec["indicative"] is True
        assert "Illustratief" in spec["note"]
        wanted = [spec["year"]] if "year" in spec else years
        assert any(not plain.lookup(key, y).known for y in wanted), (key, "already known")
        found = SOURCE.match(spec["source"])
        if found is None:  # a component no operator has a figure for: left out
            assert spec["value"] == 0.0 and "geen bronrij" in spec["source"]
            assert key.endswith(("kwh_eur_per_kwh", "kv.fixed_eur_per_year"))
            continue
        row = plain.lookup(found["key"], int(found["year"]))
        assert row.known and not row.overridden
        assert spec["value"] == row.value
        assert row.source in spec["source"]
    # loaded as overrides they are marked overridden and stay flagged indicative
    ref = load_refdata(park.refdata_overrides)
    for key, spec in park.refdata_overrides.items():
        value = ref.get(key, spec.get("year", years[-1]))
        assert value.overridden and value.indicative
        assert value.source.startswith(f"park override ({LABEL}")


def test_the_energy_tax_placeholders_take_the_latest_earlier_sourced_year():
    overrides = PARKS["demo-buitenvaart"].refdata_overrides  # a company above 10 GWh
    assert overrides["energy_tax.electricity.b2.eur_per_kwh"]["year"] == 2026
    assert overrides["energy_tax.electricity.b2.eur_per_kwh"]["value"] == load_refdata().value(
        "energy_tax.electricity.b2.eur_per_kwh", 2025
    )
    b4 = overrides["energy_tax.electricity.b4.eur_per_kwh"]  # unknown in 2025 and 2026
    assert "year" not in b4
    assert b4["value"] == load_refdata().value("energy_tax.electricity.b4.eur_per_kwh", 2024)
    assert "energy_tax.electricity.b4.eur_per_kwh" not in PARKS[SMALL].refdata_overrides


def test_optimize_and_business_case_run_on_a_demo_park_and_report_the_placeholders(
    tmp_database_url, tmp_path
):
    assert _run("demo", "--park", SMALL).exit_code == 0
    result = _run("optimize", SMALL, "--fast", "--json", "--no-progress")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["status"] == "optimal" and out["provenance"]["illustrative"] is True
    used_opt = out["provenance"]["refdata_overridden"]
    assert used_opt and all(v["overridden"] and v["indicative"] for v in used_opt)
    assert all(v["source"].startswith(f"park override ({LABEL}") for v in used_opt)

    companies = [c for c in PARKS[SMALL].companies if c.roofs][:2]
    scenario = tmp_path / "zon.yaml"
    scenario.write_text(
        yaml.safe_dump(
            {
                "format": "parkplan-scenario/1",
                "name": "Zon demo",
                "measures": [{"type": "rooftop_pv", "company": c.id, "fill": True}
                             for c in companies],
            }
        ),
        encoding="utf-8",
    )  # fmt: skip
    args = ["business-case", SMALL, "--scenario", str(scenario), "--discount-rate", "0.05",
            "--horizon", "15"]  # fmt: skip
    result = _run(*args, "--json")
    assert result.exit_code == 0, result.output
    case = json.loads(result.output)
    assert case["unknown"] == []
    assert all(c.get("npv_eur") is not None for c in case["companies"] if c["id"] in
               {c.id for c in companies})  # fmt: skip
    used_case = [v for v in case["refdata_used"] if v["overridden"]]
    assert all(v["source"].startswith(f"park override ({LABEL}") for v in used_case)
    text = _run(*args)
    assert "Vervangen referentiewaarden (park override" in text.output
    # exactly the keys its runs need: every placeholder was used by one of the two runs
    used = {v["key"] for v in used_opt} | {v["key"] for v in used_case}
    assert used == set(PARKS[SMALL].refdata_overrides)
