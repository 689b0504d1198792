"""Proposals from the sample files: what changes, from which source, with which origin;
conflicts with reported values; per-record problems; applying to a copy."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from shapely.geometry import Polygon

from parkplan.domain.model import Company, Connection, ElectricityUse, Origin, Park, Roof
from parkplan.enrich.propose import EnrichSettings, Sources, apply_changes, propose
from parkplan.enrich.records import BagBuilding, BagData, BagUnit, ConsumptionRange, make_address
from parkplan.io.parkfile import park_to_document, read_park_file, validate_document
from parkplan.refdata import load_refdata
from parkplan.services.enrich import read_sources

DATA = Path(__file__).parents[1] / "data" / "opendata"
SETTINGS = EnrichSettings(
    max_distance_m=25.0,
    flat_min_footprint_m2=500.0,
    usable_fraction_flat=0.5,
    usable_fraction_pitched=0.4,
    tilt_flat_deg=10.0,
    tilt_pitched_deg=35.0,
    azimuth_deg=180.0,
)


@pytest.fixture(scope="module")
def sample_sources() -> Sources:
    return read_sources(
        bag=DATA / "bag.gpkg",
        labels=DATA / "eponline.csv",
        kvk=DATA / "kvk.csv",
        ibis=DATA / "ibis.geojson",
        consumption=DATA / "Liander_kleinverbruiksgegevens_01012024.csv",
    )


@pytest.fixture
def park() -> Park:
    return read_park_file(DATA / "park.yaml")[0]


def _find(proposal, entity_id, field):
    hits = [c for c in proposal.changes if c.entity_id == entity_id and c.field == field]
    assert len(hits) == 1, (entity_id, field, hits)
    return hits[0]


def test_settings_come_from_refdata():
    assert EnrichSettings.from_refdata(load_refdata()) == SETTINGS


def test_sample_proposal(park, sample_sources):
    p = propose(park, sample_sources, SETTINGS)
    # park from IBIS (the record whose name is in the park's name)
    area = _find(p, "industrieweg", "area_ha")
    assert (area.new_value, area.origin, area.source, area.source_file) == (
        19.3,
        Origin.OPEN_DATA,
        "IBIS",
        "ibis.geojson",
    )
    assert p.net_area_ha == 15.1
    outline = _find(p, "industrieweg", "outline_geojson").new_value
    assert outline["type"] == "Polygon" and len(outline["coordinates"][0]) == 5
    location = _find(p, "industrieweg", "location").new_value
    assert 52.73 < location.lat < 52.74 and 6.54 < location.lon < 6.55
    # c01: reported employees differ from KvK -> a conflict, not a plain change
    employees = _find(p, "c01", "employees")
    assert (employees.old_value, employees.new_value, employees.conflict) == (35, 38, True)
    assert employees.old_origin == Origin.REPORTED
    # c01 roof from the footprint of its building, estimates marked estimated
    roof = _find(p, "c01/0118100000123456", "area_m2")
    assert (roof.new_value, roof.origin, roof.action, roof.conflict) == (
        4200.0,
        Origin.OPEN_DATA,
        "add",
        False,
    )
    usable = _find(p, "c01/0118100000123456", "usable_fraction")
    assert (usable.new_value, usable.origin) == (0.5, Origin.ESTIMATED)
    # c02 (small building: pitched roof, area = footprint / cos 35 deg)
    small = _find(p, "c02/0118100000678901", "area_m2")
    assert small.new_value == round(120.0 / math.cos(math.radians(35.0)), 2) == 146.49
    assert _find(p, "c02/0118100000678901", "tilt_deg").new_value == 35.0
    # c02 matched to its KvK record by address: kvk number proposed
    assert _find(p, "c02", "kvk").new_value == "33445566"
    # c02 kleinverbruik without consumption: mean of its postcode range, estimated
    kwh = _find(p, "c02", "annual_kwh")
    assert (kwh.entity, kwh.new_value, kwh.origin) == ("electricity", 18450.0, Origin.ESTIMATED)
    # c03 reported two roof faces without BAG id: replacing them is a conflict
    replace = _find(p, "c03/0118100000234567", "roofs")
    assert (replace.action, replace.old_value, replace.new_value, replace.conflict) == (
        "replace",
        6500.0,
        7500.0,
        True,
    )
    # new companies from KvK, with their fields
    added = [c.entity_id for c in p.changes if c.action == "add" and c.entity == "company"]
    assert added == [
        "kvk-11223344",
        "kvk-22334455",
        "kvk-44556677",
        "kvk-55667788",
        "kvk-77889900",
    ]
    assert _find(p, "kvk-55667788", "sbi").new_value == "0161"
    # location matches: inside a building, and nearest within 25 m
    matches = {m.company_id: m for m in p.matches}
    assert (matches["kvk-44556677"].method, matches["kvk-44556677"].pand_ids) == (
        "location",
        ("0118100000789012",),
    )
    assert matches["kvk-55667788"].method == "nearest"
    assert matches["kvk-55667788"].distance_m == pytest.approx(10.0)
    # energy labels are shown
    assert {(x.company_id, x.label_class) for x in p.labels} == {
        ("c01", "C"),
        ("c02", "B"),
        ("c03", "A"),
    }


def test_sample_problems_per_record(park, sample_sources):
    p = propose(park, sample_sources, SETTINGS)
    codes = [(q.code, q.file) for q in p.problems]
    # from the readers
    assert ("broken_geometry", "bag.gpkg") in codes
    assert ("bad_label", "eponline.csv") in codes
    assert ("lost_leading_zeros", "kvk.csv") in codes
    assert ("wrong_projection", "kvk.csv") in codes
    assert ("bad_postcode", "Liander_kleinverbruiksgegevens_01012024.csv") in codes
    # from matching, one per company
    by_code = {q.code: q for q in p.problems if q.severity == "warning"}
    assert "0118100000345678, 0118100000456789" in by_code["several_buildings"].nl
    assert by_code["several_buildings"].path.startswith("kvk-11223344")
    assert by_code["broken_geometry"].path.startswith("kvk-22334455")
    assert by_code["no_match"].path.startswith("kvk-77889900")
    assert "Adviesbureau Ver Weg" in by_code["outside_park"].nl
    # no roof for the ambiguous or broken ones
    roof_owners = {c.company_id for c in p.changes if c.entity == "roof"}
    assert "kvk-11223344" not in roof_owners and "kvk-22334455" not in roof_owners


def test_apply_keeps_reported_values_unless_asked(park, sample_sources):
    p = propose(park, sample_sources, SETTINGS)
    before = park_to_document(park)
    new = apply_changes(park, p.changes)
    assert park_to_document(park) == before  # the input is not changed
    c01 = new.company("c01")
    assert c01.employees == 35 and c01.origin_of("employees") == Origin.REPORTED
    assert c01.floor_area_m2 == 5000.0
    [roof] = c01.roofs
    assert roof.area_m2 == 4200.0 and roof.bag_pand_id == "0118100000123456"
    assert roof.origin_of("area_m2") == Origin.OPEN_DATA
    assert roof.origin_of("usable_fraction") == Origin.ESTIMATED
    assert roof.origin_of("bag_pand_id") == Origin.OPEN_DATA
    c03 = new.company("c03")
    assert [r.area_m2 for r in c03.roofs] == [3250.0, 3250.0]  # conflict held back
    assert c03.sbi == "2562" and c03.origin_of("sbi") == Origin.OPEN_DATA
    c02 = new.company("c02")
    assert c02.electricity is not None and c02.electricity.annual_kwh == 18450.0
    assert c02.electricity.origin_of("annual_kwh") == Origin.ESTIMATED
    assert new.area_ha == 19.3 and new.origin_of("area_ha") == Origin.OPEN_DATA
    assert len(new.companies) == 8
    assert new.company("kvk-44556677").origin_of("name") == Origin.OPEN_DATA
    # the enriched park is a valid park file
    assert [q for q in validate_document(park_to_document(new)) if q.severity == "error"] == []
    forced = apply_changes(park, p.changes, overwrite_reported=True)
    assert forced.company("c01").employees == 38
    assert forced.company("c01").origin_of("employees") == Origin.OPEN_DATA
    [bag_roof] = forced.company("c03").roofs
    assert (bag_roof.area_m2, bag_roof.bag_pand_id) == (7500.0, "0118100000234567")


def test_second_run_proposes_nothing_new(park, sample_sources):
    first = propose(park, sample_sources, SETTINGS)
    new = apply_changes(park, first.changes, overwrite_reported=True)
    second = propose(new, sample_sources, SETTINGS)
    assert second.changes == []


def _one_building_park(roof: Roof | None = None, electricity=None) -> tuple[Park, Sources]:
    company = Company(
        id="c1",
        name="Hal BV",
        address="Dok 2",
        postcode="1234 AB",
        roofs=[roof] if roof else [],
        electricity=electricity,
        connections=[Connection(ean="871234567890001018", kind="kleinverbruik", fuse="3x25A")],
    )
    park = Park(id="p", name="P", companies=[company])
    hall = Polygon([(0, 0), (40, 0), (40, 25), (0, 25)])
    sources = Sources(
        bag=BagData(
            buildings=[BagBuilding("0000100000000001", hall, record="pand 1")],
            units=[BagUnit("v1", ("0000100000000001",), make_address("1234AB", 2))],
        ),
        consumption=[
            ConsumptionRange(None, "1234 AA", "1234 AZ", None, None, "ELK", 20, 9000.0, "kWh")
        ],
        files={"BAG": "bag.gpkg"},
    )
    return park, sources


def test_open_data_updates_an_estimate_but_an_estimate_never_replaces_a_value():
    roof = Roof(
        area_m2=900.0,
        bag_pand_id="0000100000000001",
        origins={"area_m2": Origin.ESTIMATED},
    )
    park, sources = _one_building_park(roof)
    p = propose(park, sources, SETTINGS)
    area = _find(p, "c1/0000100000000001", "area_m2")
    assert (area.old_value, area.new_value, area.conflict) == (900.0, 1000.0, False)
    new = apply_changes(park, p.changes)
    assert new.company("c1").roofs[0].area_m2 == 1000.0
    # measured electricity is never replaced by the postcode mean
    park2, sources2 = _one_building_park(
        electricity=ElectricityUse(annual_kwh=5000.0, origins={"annual_kwh": Origin.MEASURED})
    )
    p2 = propose(park2, sources2, SETTINGS)
    assert not [c for c in p2.changes if c.entity == "electricity"]


def test_measured_roof_area_of_the_same_building_is_a_conflict():
    roof = Roof(area_m2=950.0, bag_pand_id="0000100000000001", origins={"area_m2": Origin.MEASURED})
    park, sources = _one_building_park(roof)
    p = propose(park, sources, SETTINGS)
    area = _find(p, "c1/0000100000000001", "area_m2")
    assert area.conflict and area.old_origin == Origin.MEASURED
    assert apply_changes(park, p.changes).company("c1").roofs[0].area_m2 == 950.0


def test_shared_building_gets_no_roof():
    park, sources = _one_building_park()
    other = Company(id="c2", name="Buur BV", address="Dok 2", postcode="1234 AB")
    park.companies.append(other)
    p = propose(park, sources, SETTINGS)
    assert not [c for c in p.changes if c.entity == "roof"]
    shared = [q for q in p.problems if q.code == "shared_building"]
    assert [q.path.split(" ")[0] for q in shared] == ["c1", "c2"]


def test_several_ibis_records_need_an_id(park, sample_sources):
    park.name = "Iets anders"
    p = propose(park, sample_sources, SETTINGS)
    assert [q.code for q in p.problems if q.path == "park"] == ["no_park_match"]
    assert not [c for c in p.changes if c.entity == "park"]
    chosen = propose(park, sample_sources, SETTINGS, ibis_id="0118-013")
    assert _find(chosen, "industrieweg", "area_ha").new_value == 45.0


def test_duplicate_establishment_of_one_kvk_number(park):
    from parkplan.enrich.records import KvkRecord

    sources = Sources(
        kvk=[
            KvkRecord("01234567", "Transport Bakker BV", record="r1"),
            KvkRecord("01234567", "Transport Bakker BV filiaal", branch_number="2", record="r2"),
        ],
        files={"KvK": "kvk.csv"},
    )
    p = propose(park, sources, SETTINGS)
    assert [q.code for q in p.problems] == ["duplicate_kvk"]


def test_proposal_to_dict_is_json_ready(park, sample_sources):
    import json

    p = propose(park, sample_sources, SETTINGS)
    doc = p.to_dict("en")
    json.dumps(doc)
    assert doc["conflicts"] == len(p.conflicts) == 7
    assert doc["changes"][0]["source"] == "IBIS"
    assert {"entity", "field", "old_value", "new_value", "source_file", "origin"} <= set(
        doc["changes"][0]
    )


def _scalars(obj) -> dict[str, object]:
    import dataclasses

    return {
        f.name: getattr(obj, f.name)
        for f in dataclasses.fields(obj)
        if f.name != "origins"
        and not isinstance(getattr(obj, f.name), list | dict)
        and not dataclasses.is_dataclass(getattr(obj, f.name))
    }


def test_property_reported_and_measured_values_survive_and_new_values_carry_their_source(
    park, sample_sources
):
    """Without --overwrite-reported no reported or measured value changes; every value that
    changes gets origin open_data or estimated."""
    p = propose(park, sample_sources, SETTINGS)
    new = apply_changes(park, p.changes)
    pairs = [(park, new)]
    for old_c in park.companies:
        new_c = new.company(old_c.id)
        pairs.append((old_c, new_c))
        for part in ("electricity", "gas"):
            if getattr(old_c, part) is not None:
                pairs.append((getattr(old_c, part), getattr(new_c, part)))
    checked = 0
    for old, now in pairs:
        before, after = _scalars(old), _scalars(now)
        for name, value in before.items():
            if name not in after:
                continue  # became an object (a location); objects carry no origin
            if value is not None and old.origin_of(name) in (Origin.REPORTED, Origin.MEASURED):
                assert after[name] == value, (type(old).__name__, name)
                checked += 1
            if after[name] != value:
                assert now.origin_of(name) in (Origin.OPEN_DATA, Origin.ESTIMATED), name
    assert checked >= 10
    # every roof that open data added remembers its source
    for company in new.companies:
        for roof in company.roofs:
            if roof.bag_pand_id:
                assert roof.origin_of("area_m2") == Origin.OPEN_DATA
                assert roof.origin_of("usable_fraction") == Origin.ESTIMATED


def test_a_newer_postcode_mean_updates_an_earlier_estimate():
    park, sources = _one_building_park(
        electricity=ElectricityUse(annual_kwh=8000.0, origins={"annual_kwh": Origin.ESTIMATED})
    )
    p = propose(park, sources, SETTINGS)
    kwh = _find(p, "c1", "annual_kwh")
    assert (kwh.old_value, kwh.new_value, kwh.conflict) == (8000.0, 9000.0, False)
    new = apply_changes(park, p.changes)
    assert new.company("c1").electricity.annual_kwh == 9000.0
    assert new.company("c1").electricity.origin_of("annual_kwh") == Origin.ESTIMATED
