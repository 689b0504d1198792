"""``parkplan enrich``: proposal shown, nothing saved without --apply, one transaction with
--apply (audit log), reported values kept unless --overwrite-reported, problems per record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from parkplan.cli import main
from parkplan.domain.model import Origin
from parkplan.io.parkfile import read_park_file
from parkplan.services.parks import get_park, list_changes, save_park
from parkplan.store import db

DATA = Path(__file__).parents[1] / "data" / "opendata"
PARK = DATA / "park.yaml"
SOURCES = [
    "--bag",
    str(DATA / "bag.gpkg"),
    "--labels",
    str(DATA / "eponline.csv"),
    "--kvk",
    str(DATA / "kvk.csv"),
    "--ibis",
    str(DATA / "ibis.geojson"),
    "--consumption",
    str(DATA / "Liander_kleinverbruiksgegevens_01012024.csv"),
]


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def stored(tmp_database_url):
    park, _ = read_park_file(PARK)
    with db.session_scope() as session:
        save_park(session, park, actor="test")
    return park.id


def test_proposal_for_a_park_file_in_dutch():
    result = run("enrich", str(PARK), *SOURCES)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Voorgestelde wijzigingen" in out
    assert "CONFLICT" in out and "geschat" in out and "open data" in out
    assert "Er is niets opgeslagen" in out
    # per record: broken geometry, wrong projection, several buildings, no match
    assert "kapotte geometrie" in out
    assert "verkeerde projectie" in out
    assert "meerdere BAG-panden" in out
    assert "geen BAG-pand gevonden" in out
    assert "Energielabels" in out


def test_proposal_in_english():
    result = run("--lang", "en", "enrich", str(PARK), *SOURCES)
    assert result.exit_code == 0
    assert "Proposed changes" in result.output
    assert "wrong projection" in result.output and "broken geometry" in result.output
    assert "Nothing was saved" in result.output


def test_json_output():
    result = run("enrich", str(PARK), *SOURCES, "--json")
    doc = json.loads(result.output)
    assert doc["applied"] is False and doc["applied_changes"] == 0
    assert doc["conflicts"] == 7 and doc["held_back_conflicts"] == 7
    change = next(c for c in doc["changes"] if c["field"] == "area_m2")
    assert change["source"] == "BAG" and change["source_file"] == "bag.gpkg"
    assert change["origin"] == "open_data"
    assert {p["code"] for p in doc["problems"]} >= {
        "broken_geometry",
        "wrong_projection",
        "several_buildings",
        "no_match",
    }


def test_nothing_is_saved_without_apply(stored):
    result = run("enrich", stored, *SOURCES)
    assert result.exit_code == 0
    with db.session_scope() as session:
        park = get_park(session, stored)
    assert len(park.companies) == 3 and park.area_ha is None


def test_apply_in_the_database_keeps_reported_values(stored):
    result = run("enrich", stored, *SOURCES, "--apply", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["applied"] is True
    assert doc["applied_changes"] == len(doc["changes"]) - 7
    with db.session_scope() as session:
        park = get_park(session, stored)
        log = list_changes(session, stored)
    assert len(park.companies) == 8
    assert park.area_ha == 19.3 and park.origin_of("area_ha") == Origin.OPEN_DATA
    c01 = park.company("c01")
    assert c01.employees == 35 and c01.origin_of("employees") == Origin.REPORTED
    assert c01.roofs[0].area_m2 == 4200.0
    assert c01.roofs[0].origin_of("usable_fraction") == Origin.ESTIMATED
    assert park.company("c02").electricity.origin_of("annual_kwh") == Origin.ESTIMATED
    assert any(e.actor == "cli" and e.action == "replace" for e in log)
    # overwrite the reported values explicitly
    forced = run("enrich", stored, *SOURCES, "--apply", "--overwrite-reported")
    assert forced.exit_code == 0
    assert "toegepast" in forced.output
    with db.session_scope() as session:
        park = get_park(session, stored)
    assert park.company("c01").employees == 38
    assert [r.area_m2 for r in park.company("c03").roofs] == [7500.0]


def test_apply_to_a_park_file_needs_out(tmp_path):
    result = CliRunner().invoke(main, ["enrich", str(PARK), *SOURCES, "--apply"])
    assert result.exit_code == 1
    assert "--out" in result.output
    out = tmp_path / "verrijkt.yaml"
    written = run("enrich", str(PARK), *SOURCES, "--apply", "--out", str(out))
    assert written.exit_code == 0, written.output
    park, _warnings = read_park_file(out)
    assert len(park.companies) == 8
    assert park.company("c01").roofs[0].bag_pand_id == "0118100000123456"
    assert park.origins["outline_geojson"] == Origin.OPEN_DATA


def test_without_sources_is_an_error():
    result = CliRunner().invoke(main, ["enrich", str(PARK)])
    assert result.exit_code == 1
    assert "minstens één open-databestand" in result.output


def test_bag_in_wrong_projection_proposes_no_roofs(tmp_path):
    doc = json.loads((DATA / "bag.geojson").read_text(encoding="utf-8"))
    del doc["crs"]
    bad = tmp_path / "bag.geojson"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    result = run("enrich", str(PARK), "--bag", str(bad), "--json")
    out = json.loads(result.output)
    assert not [c for c in out["changes"] if c["entity"] == "roof"]
    wrong = [p for p in out["problems"] if p["code"] == "wrong_projection"]
    assert len(wrong) >= 8
    assert out["applied"] is False


def test_bbox_limits_the_bag_buildings():
    result = run(
        "enrich",
        str(PARK),
        "--bag",
        str(DATA / "bag.gpkg"),
        "--bbox",
        "232990,527990,233210,528110",
        "--json",
    )
    doc = json.loads(result.output)
    roofs = sorted({c["entity_id"] for c in doc["changes"] if c["entity"] == "roof"})
    assert roofs == ["c01/0118100000123456", "c03/0118100000234567"]
    assert "broken_geometry" not in {p["code"] for p in doc["problems"]}
    # Kapsalon Knip's building lies outside the box: reported as not matched
    knip = next(m for m in doc["matches"] if m["company_id"] == "c02")
    assert knip["status"] == "none"
    bad = CliRunner().invoke(
        main, ["enrich", str(PARK), "--bag", str(DATA / "bag.gpkg"), "--bbox", "1,2,3"]
    )
    assert bad.exit_code == 1 and "--bbox" in bad.output


def test_ibis_outline_limits_the_bag_buildings(tmp_path):
    # an IBIS outline around buildings A and B only
    doc = json.loads((DATA / "ibis.geojson").read_text(encoding="utf-8"))
    doc["features"] = doc["features"][:1]
    doc["features"][0]["geometry"]["coordinates"] = [
        [[232990, 527990], [233210, 527990], [233210, 528110], [232990, 528110], [232990, 527990]]
    ]
    ibis = tmp_path / "ibis.geojson"
    ibis.write_text(json.dumps(doc), encoding="utf-8")
    result = run(
        "enrich", str(PARK), "--bag", str(DATA / "bag.gpkg"), "--ibis", str(ibis), "--json"
    )
    out = json.loads(result.output)
    roofs = sorted({c["entity_id"] for c in out["changes"] if c["entity"] == "roof"})
    assert roofs == ["c01/0118100000123456", "c03/0118100000234567"]
