"""``parkplan enrich --apply`` stores the energy label (EP-Online), construction year and
building use (BAG) of each company, with origin open data, in one transaction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from parkplan.cli import main
from parkplan.domain.model import Origin
from parkplan.io.parkfile import load_yaml, read_park_file
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
]
EXPECTED = {
    # company: (energy label, construction year, building use)
    "c01": ("C", 1998, ["industriefunctie"]),
    "c02": ("B", 1960, ["winkelfunctie"]),
    "c03": ("A", 2005, ["industriefunctie", "kantoorfunctie"]),
}
FIELDS = ("energy_label", "construction_year", "building_use")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def stored(tmp_database_url):
    park, _ = read_park_file(PARK)
    with db.session_scope() as session:
        save_park(session, park, actor="test")
    return park.id


def test_the_proposal_names_the_fields_and_their_sources():
    doc = json.loads(run("enrich", str(PARK), *SOURCES, "--json").output)
    found = {
        (c["entity_id"], c["field"]): (c["new_value"], c["source"], c["origin"])
        for c in doc["changes"]
        if c["field"] in FIELDS
    }
    for cid, (label, year, uses) in EXPECTED.items():
        assert found[(cid, "energy_label")] == (label, "EP-Online", "open_data")
        assert found[(cid, "construction_year")] == (year, "BAG", "open_data")
        assert found[(cid, "building_use")] == (uses, "BAG", "open_data")


def test_apply_stores_the_fields_with_origin_open_data(stored):
    result = run("enrich", stored, *SOURCES, "--apply", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["applied"] is True
    with db.session_scope() as session:
        park = get_park(session, stored)
        log = list_changes(session, stored)
    for cid, (label, year, uses) in EXPECTED.items():
        c = park.company(cid)
        assert (c.energy_label, c.construction_year, c.building_use) == (label, year, uses)
        assert {c.origin_of(f) for f in FIELDS} == {Origin.OPEN_DATA}
    logged = {(e.entity_id, e.field) for e in log if e.actor == "cli"}
    assert any(field and "energy_label" in field for _, field in logged), logged
    # a second run with the same files proposes nothing for these fields
    again = json.loads(run("enrich", stored, *SOURCES, "--json").output)
    assert [c for c in again["changes"] if c["field"] in FIELDS] == []


def test_a_reported_label_is_a_conflict_and_kept(tmp_database_url):
    park, _ = read_park_file(PARK)
    park.company("c01").energy_label = "E"  # reported by the company
    with db.session_scope() as session:
        save_park(session, park, actor="test")
    doc = json.loads(run("enrich", park.id, *SOURCES, "--apply", "--json").output)
    (change,) = [
        c for c in doc["changes"] if c["field"] == "energy_label" and c["entity_id"] == "c01"
    ]
    assert change["conflict"] is True and change["old_value"] == "E"
    with db.session_scope() as session:
        c01 = get_park(session, park.id).company("c01")
    assert c01.energy_label == "E" and c01.origin_of("energy_label") == Origin.REPORTED


def test_apply_to_a_park_file_writes_the_fields(tmp_path):
    out = tmp_path / "verrijkt.yaml"
    result = run("enrich", str(PARK), *SOURCES, "--apply", "--out", str(out))
    assert result.exit_code == 0, result.output
    doc = load_yaml(out.read_text(encoding="utf-8"))[0]
    c03 = next(c for c in doc["companies"] if c["id"] == "c03")
    assert (c03["energy_label"], c03["construction_year"]) == ("A", 2005)
    assert c03["building_use"] == ["industriefunctie", "kantoorfunctie"]
    assert {c03["origins"][f] for f in FIELDS} == {"open_data"}
    park, _ = read_park_file(out)
    assert park.company("c03").origin_of("energy_label") is Origin.OPEN_DATA
