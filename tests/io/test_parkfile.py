"""Park file format parkplan/1: reading, validation, round trip, schema."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from parkplan.domain.errors import ValidationError
from parkplan.domain.model import Origin, Park
from parkplan.io.parkfile import (
    FORMAT,
    build_json_schema,
    company_from_document,
    dump_park,
    fuse_capacity_kw,
    line_index,
    load_yaml,
    park_from_document,
    park_to_document,
    read_park_file,
    schema_path,
    validate_document,
    validate_file,
    with_lines,
)
from parkplan.settings import get_settings

DATA = Path(__file__).resolve().parents[1] / "data"
EXAMPLE = DATA / "parkfile-v1.example.yaml"
BAD = DATA / "parkfile"


def example_doc() -> dict[str, Any]:
    doc, dups = load_yaml(EXAMPLE.read_text(encoding="utf-8"))
    assert dups == []
    return doc


def full_doc() -> dict[str, Any]:
    """A park that uses every optional field of the format."""
    doc = example_doc()
    park = doc["park"]
    park["illustrative"] = True
    park["description"] = "Deel van het park met alle velden"
    park["outline"] = {
        "type": "Polygon",
        "coordinates": [[[6.48, 52.72], [6.50, 52.72], [6.50, 52.74], [6.48, 52.72]]],
    }
    park["organisation"] = {
        "business_association": True,
        "park_management": False,
        "biz": "yes",
        "sustainability_group": True,
        "origins": {"biz": "open_data"},
    }
    park["climate"] = {
        "paved_share": 0.7,
        "green_share": 0.2,
        "water_storage_m3": 1500,
        "origins": {"green_share": "estimated"},
    }
    park["circularity"] = {
        "collective_waste_contract": "ja",
        "circular_company_share": 0.25,
        "origins": {"circular_company_share": "estimated"},
    }
    park["refdata_overrides"] = {"co2.natural_gas_kg_per_m3": 2.0}
    park["origins"] = {"area_ha": "open_data"}
    park["grid"]["origins"] = {"available_import_kw": "estimated"}
    park["grid"]["transport_rights"] = [
        {
            "company": "c01",
            "default_kw": 160,
            "blocks": [{"from": "16:00", "to": "20:00", "kw": 60}],
        }
    ]
    c = doc["companies"][0]
    c.update(
        {
            "office_area_m2": 400,
            "operating_hours_class": "3000-5000",
            "address": "Industrieweg 1",
            "postcode": "7903ab",
            "building_owner": "tenant",
            "energy_label": "C",
            "construction_year": 1998,
            "building_use": ["industriefunctie", "kantoorfunctie"],
            "vehicles": [
                {"kind": "truck", "count": 12, "fuel": "diesel", "annual_km": 90000},
                {"kind": "van", "count": 3, "fuel": "electric", "annual_fuel_l": 0},
            ],
            "plans": {
                "electrification": ["ev_fleet", "heat_pump"],
                "expansion": "nieuwe hal in 2027",
                "notes": "wil laadpleinen delen",
            },
            "contact": {"name": "J. Bakker", "email": "j.bakker@example.nl", "phone": "0528123456"},
            "origins": {"employees": "open_data", "floor_area_m2": "estimated"},
        }
    )
    c["electricity"].update(
        {
            "annual_produced_kwh": 20000,
            "annual_feed_in_kwh": 5000,
            "meter_data": "meters/c01.csv",
            "origins": {"annual_kwh": "measured"},
        }
    )
    c["vehicles"][0]["origins"] = {"annual_km": "estimated"}
    c["plans"]["origins"] = {"expansion": "reported"}
    c["contact"]["origins"] = {"email": "reported"}
    c["gas"]["origins"] = {"annual_m3": "measured"}
    del c["connection"]
    c["connections"] = [
        {
            "ean": "871234567890001018",
            "kind": "grootverbruik",
            "contracted_kw": 160,
            "contracted_feed_in_kw": 160,
            "physical_kva": 173,
            "grid_level": "LS",
            "origins": {"contracted_kw": "measured"},
        },
        {"ean": "871234567890001049", "kind": "kleinverbruik", "carrier": "gas"},
    ]
    c["roofs"][0].update({"id": "c01-hal", "bag_pand_id": "0118100000212345"})
    c["roofs"].append({"area_m2": 300, "id": "c01-kantoor", "origins": {"area_m2": "open_data"}})
    c["engagement"].update(
        {
            "bond_with_companies": 3,
            "consent_share_data": True,
            "origins": {"bond_with_park": "reported"},
        }
    )
    return doc


# ------------------------------------------------------------------------------ the example


def test_example_reads_exactly_as_it_stands() -> None:
    park, warnings = read_park_file(EXAMPLE)
    assert warnings == []
    assert park.id == "voorbeeldpark"
    assert park.grid.available_import_kw == 900
    assert [c.id for c in park.companies] == ["c01", "c02", "c03"]
    c01, c02, c03 = park.companies
    assert c01.kvk == "01234567" and c01.sbi == "4941"
    assert c01.connections[0].ean == "871234567890001018"
    assert c01.connections[0].contracted_kw == 160
    assert c01.electricity is not None and c01.electricity.peak_kw == 118
    assert c02.electricity is not None and c02.electricity.demand_on_site_kwh == 1_025_000
    assert len(c02.roofs) == 2 and c02.roofs[1].azimuth_deg == 270
    assert c03.connections[0].fuse == "3x35A" and c03.connections[0].kind == "kleinverbruik"
    assert c01.engagement is not None
    assert c01.engagement.interest == {
        "energy_hub": "yes",
        "shared_solar": "maybe",
        "shared_battery": "yes",
    }
    assert c03.engagement is not None and c03.engagement.bond_with_park == 2


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_example_round_trip(fmt: str) -> None:
    park, _ = read_park_file(EXAMPLE)
    text = dump_park(park, fmt)  # type: ignore[arg-type]
    doc = json.loads(text) if fmt == "json" else load_yaml(text)[0]
    again, warnings = park_from_document(doc)
    assert again == park
    assert warnings == []


def test_full_doc_uses_every_key_of_the_format() -> None:
    from parkplan.io.parkfile import ENTITIES

    used: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            used.update(node)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(full_doc())
    all_keys = {s.key for specs in ENTITIES.values() for s in specs}
    assert all_keys - used == set()


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_full_round_trip_every_optional_field(fmt: str, tmp_path: Path) -> None:
    park, _ = park_from_document(full_doc())
    c = park.companies[0]
    assert park.illustrative is True
    assert park.organisation is not None and park.organisation.biz is True
    assert park.organisation.origin_of("biz") is Origin.OPEN_DATA
    assert park.outline_geojson is not None and park.outline_geojson["type"] == "Polygon"
    assert park.refdata_overrides == {"co2.natural_gas_kg_per_m3": 2.0}
    assert park.climate is not None and park.climate.paved_share == 0.7
    assert park.climate.water_storage_m3 == 1500
    assert park.climate.origin_of("green_share") is Origin.ESTIMATED
    assert park.climate.origin_of("paved_share") is Origin.REPORTED
    assert park.circularity is not None and park.circularity.collective_waste_contract is True
    assert park.circularity.origin_of("circular_company_share") is Origin.ESTIMATED
    assert c.postcode == "7903 AB"
    assert len(c.connections) == 2 and c.connections[1].carrier == "gas"
    assert c.electricity is not None and c.electricity.origin_of("annual_kwh") is Origin.MEASURED
    assert c.origin_of("name") is Origin.REPORTED
    assert c.vehicles[0].count == 12 and c.vehicles[1].fuel == "electric"
    assert c.plans is not None and c.plans.electrification == ["ev_fleet", "heat_pump"]
    assert c.contact is not None and c.contact.phone == "0528123456"
    # an omitted roof field takes the model default and is marked estimated
    assert c.roofs[1].usable_fraction == 0.5
    assert c.roofs[1].origin_of("usable_fraction") is Origin.ESTIMATED
    assert c.roofs[0].origin_of("usable_fraction") is Origin.REPORTED

    out = tmp_path / f"park.{fmt}"
    out.write_text(dump_park(park, fmt), encoding="utf-8")  # type: ignore[arg-type]
    again, _ = read_park_file(out)
    assert again == park
    assert park_to_document(again) == park_to_document(park)


def test_illustrative_park_says_so_in_yaml() -> None:
    park, _ = park_from_document(full_doc())
    assert "ILLUSTRATIEF" in dump_park(park, "yaml")
    assert json.loads(dump_park(park, "json"))["park"]["illustrative"] is True


# ------------------------------------------------------------------- YAML booleans/answers


def test_unquoted_yes_no_stay_answers_and_are_written_quoted() -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace('"yes"', "yes").replace('"no"', "no")
    text = text.replace('"maybe"', "maybe")
    doc, _ = load_yaml(text)
    park, _ = park_from_document(doc)
    assert park.companies[0].engagement is not None
    assert park.companies[0].engagement.interest["energy_hub"] == "yes"
    assert park.companies[1].engagement is not None
    assert park.companies[1].engagement.interest["shared_solar"] == "no"
    dumped = dump_park(park, "yaml")
    assert 'energy_hub: "yes"' in dumped
    assert 'shared_solar: "no"' in dumped
    assert 'shared_solar: "maybe"' in dumped
    # a YAML 1.1 reader (plain yaml.safe_load) also keeps them as text
    assert yaml.safe_load(dumped)["companies"][0]["engagement"]["interest"]["energy_hub"] == "yes"


def test_booleans_from_other_yaml_readers_are_accepted_as_answers() -> None:
    doc = example_doc()
    doc["companies"][0]["engagement"]["interest"] = {"energy_hub": True, "shared_solar": False}
    park, _ = park_from_document(doc)
    assert park.companies[0].engagement is not None
    assert park.companies[0].engagement.interest == {"energy_hub": "yes", "shared_solar": "no"}


def test_leading_zero_numbers_stay_text() -> None:
    doc, _ = load_yaml("kvk: 01234567\nn: 12\nflag: yes\nok: true\nwhen: 2024-01-01\n")
    assert doc == {"kvk": "01234567", "n": 12, "flag": "yes", "ok": True, "when": "2024-01-01"}


def test_safe_loading_only() -> None:
    with pytest.raises(yaml.YAMLError):
        load_yaml("!!python/object/apply:os.system ['echo hi']")


# ------------------------------------------------------------------------------ errors


def errors_of(doc: Any) -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in validate_document(doc) if p.severity == "error"]


def test_every_error_is_reported_in_one_pass() -> None:
    doc = example_doc()
    doc["companies"][0]["electricity"]["annual_kwh"] = -5
    doc["companies"][1]["connection"]["contracted_kw"] = "veel"
    doc["companies"][2]["kvk"] = "1234567"
    doc["companies"][1]["roofs"][0]["usable_fraction"] = 1.5
    doc["companies"][2]["connection"]["ean"] = "871234567890001033"
    with pytest.raises(ValidationError) as info:
        park_from_document(doc, source="park.yaml")
    errs = info.value.errors
    assert [(p.path, p.code) for p in errs] == [
        ("companies[0].electricity.annual_kwh", "negative"),
        ("companies[1].connection.contracted_kw", "not_a_number"),
        ("companies[1].roofs[0].usable_fraction", "out_of_range"),
        ("companies[2].kvk", "bad_kvk"),
        ("companies[2].connection.ean", "bad_ean"),
    ]
    assert all(p.file == "park.yaml" for p in errs)
    kvk = errs[3]
    assert "voorloopnul" in kvk.nl and "leading zero" in kvk.en
    assert kvk.value == "1234567"
    assert "fout" in info.value.render("nl") and "error" in info.value.render("en")


def test_missing_mandatory_fields() -> None:
    doc = example_doc()
    del doc["park"]["id"]
    del doc["companies"][0]["name"]
    del doc["companies"][1]["id"]
    del doc["companies"][2]["connection"]["kind"]
    del doc["companies"][0]["connection"]["contracted_kw"]
    assert sorted(errors_of(doc)) == [
        ("companies[0].connection.contracted_kw", "missing"),
        ("companies[0].name", "missing"),
        ("companies[1].id", "missing"),
        ("companies[2].connection.kind", "missing"),
        ("park.id", "missing"),
    ]


def test_unknown_key_suggests_the_nearest() -> None:
    doc = example_doc()
    doc["companies"][0]["electricity"]["anual_kwh"] = doc["companies"][0]["electricity"].pop(
        "annual_kwh"
    )
    doc["companies"][1]["floor_area"] = 10
    probs = [p for p in validate_document(doc) if p.code == "unknown_key"]
    assert {p.path for p in probs} == {
        "companies[0].electricity.anual_kwh",
        "companies[1].floor_area",
    }
    assert any("bedoelde u 'annual_kwh'" in p.nl for p in probs)
    assert any("did you mean 'floor_area_m2'" in p.en for p in probs)
    # and the missing mandatory field is reported too
    assert ("companies[0].electricity.annual_kwh", "missing") in errors_of(doc)


def test_duplicates_within_park() -> None:
    doc = example_doc()
    doc["companies"][1]["id"] = "c01"
    doc["companies"][2]["kvk"] = "01234567"
    doc["companies"][2]["connection"]["ean"] = "871234567890001018"
    doc["companies"][0]["roofs"][0]["id"] = "dak"
    doc["companies"][1]["roofs"][1]["id"] = "dak"
    dups = [(p.path, p.value) for p in validate_document(doc) if p.code == "duplicate"]
    assert dups == [
        ("companies[1].id", "c01"),
        ("companies[1].roofs[1].id", "dak"),
        ("companies[2].kvk", "01234567"),
        ("companies[2].connection.ean", "871234567890001018"),
    ]


@pytest.mark.parametrize(
    ("where", "value", "code"),
    [
        (("companies", 0, "roofs", 0, "tilt_deg"), 95, "out_of_range"),
        (("companies", 0, "roofs", 0, "azimuth_deg"), -1, "out_of_range"),
        (("companies", 0, "engagement", "bond_with_park"), 6, "out_of_range"),
        (("companies", 0, "engagement", "bond_with_park"), 2.5, "not_an_integer"),
        (("companies", 0, "employees"), "35", "not_a_number"),
        (("companies", 0, "floor_area_m2"), float("nan"), "not_a_number"),
        (("companies", 0, "floor_area_m2"), True, "not_a_number"),
        (("companies", 0, "sbi"), "9999", "bad_sbi"),
        (("companies", 0, "sbi"), "111", "bad_sbi"),
        (("companies", 0, "postcode"), "123 AB", "bad_postcode"),
        (("companies", 0, "connection", "ean"), "8,71234E+17", "bad_ean"),
        (("companies", 0, "connection", "ean"), 8.71234567890001e17, "bad_ean"),
        (("companies", 2, "connection", "fuse"), "3x100A", "out_of_range"),
        (("companies", 2, "connection", "fuse"), "drie keer 35", "bad_fuse"),
        (("companies", 0, "connection", "kind"), "groot", "bad_choice"),
        (("companies", 0, "engagement", "interest", "energy_hub"), "misschien", "bad_answer"),
        (("companies", 0, "engagement", "interest", "energyhub"), "yes", "unknown_key"),
        (("companies", 0, "origins"), {"name": "guessed"}, "bad_origin"),
        (("companies", 0, "origins"), {"nam": "measured"}, "unknown_key"),
        (("park", "location", "lat"), 100, "out_of_range"),
        (("park", "outline"), {"type": "Point", "coordinates": [6, 52]}, "bad_geometry"),
        (("park", "refdata_overrides"), {"no.such.key": 1}, "unknown_key"),
        (("park", "id"), "mijn park", "bad_id"),
        (("format",), "parkplan/2", "unknown_format"),
    ],
)
def test_single_faults(where: tuple[Any, ...], value: Any, code: str) -> None:
    doc = example_doc()
    target = doc
    for k in where[:-1]:
        target = target[k]
    target[where[-1]] = value
    errs = [p for p in validate_document(doc) if p.severity == "error"]
    assert [p.code for p in errs] == [code], errs
    assert errs[0].nl and errs[0].en and errs[0].nl != errs[0].en


def test_sbi_that_lost_its_leading_zero_is_named() -> None:
    doc = example_doc()
    doc["companies"][0]["sbi"] = 111
    (p,) = [p for p in validate_document(doc) if p.severity == "error"]
    assert "'0111'" in p.nl and "leading zero" in p.en


def test_gas_connection_needs_no_capacity_and_no_fuse() -> None:
    doc = example_doc()
    conn = doc["companies"][2].pop("connection")
    doc["companies"][2]["connections"] = [
        conn,
        {"ean": "871234567890001049", "kind": "grootverbruik", "carrier": "gas"},
    ]
    park, _ = park_from_document(doc)
    assert [c.carrier for c in park.companies[2].connections] == ["electricity", "gas"]
    assert park.companies[2].main_connection is not None
    doc["companies"][2]["connections"][1]["fuse"] = "3x25A"
    assert errors_of(doc) == [("companies[2].connections[1].fuse", "invalid")]


def test_connection_and_connections_together_is_an_error() -> None:
    doc = example_doc()
    doc["companies"][2]["connections"] = [
        {"ean": "871234567890001049", "kind": "kleinverbruik", "carrier": "gas"}
    ]
    assert ("companies[2].connections", "invalid") in errors_of(doc)


def test_demand_on_site_negative_is_an_error() -> None:
    doc = example_doc()
    # 50,000 + 20,000 - 95,000 = -25,000 kWh
    doc["companies"][1]["electricity"]["annual_kwh"] = 50_000
    doc["companies"][1]["electricity"]["annual_produced_kwh"] = 20_000
    errs = errors_of(doc)
    assert errs == [("companies[1].electricity", "negative")]


# ------------------------------------------------------------------------------ warnings


def warnings_of(doc: Any) -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in validate_document(doc) if p.severity == "warning"]


def test_mwh_mistake_for_an_office_gives_a_warning() -> None:
    doc = example_doc()
    # 42,000 kWh entered as 42,000,000 (e.g. Wh): 64,615 kWh/m2 against 50-91 for offices
    doc["companies"][2]["electricity"]["annual_kwh"] = 42_000_000
    park, warnings = park_from_document(doc)
    assert park.companies[2].electricity is not None
    (w,) = [w for w in warnings if w.path == "companies[2].electricity.annual_kwh"]
    assert w.severity == "warning"
    assert "64.615 kWh/m2" in w.nl and "CBS 83374" in w.nl
    assert "64,615 kWh/m2" in w.en


def test_value_in_mwh_gives_a_low_warning() -> None:
    doc = example_doc()
    doc["companies"][2]["electricity"]["annual_kwh"] = 42  # MWh entered as kWh
    assert ("companies[2].electricity.annual_kwh", "implausible") in warnings_of(doc)


def test_normal_values_give_no_intensity_warning() -> None:
    doc = example_doc()
    doc["companies"][2]["electricity"]["annual_kwh"] = 65 * 650  # 65 kWh/m2
    assert warnings_of(doc) == []


def test_peak_above_contract_and_capacity_warns() -> None:
    doc = example_doc()
    doc["companies"][0]["electricity"]["peak_kw"] = 180  # > 160 kW contracted, > 173 kVA
    assert warnings_of(doc) == [
        ("companies[0].electricity.peak_kw", "implausible"),
        ("companies[0].electricity.peak_kw", "implausible"),
    ]
    doc["companies"][0]["electricity"]["peak_kw"] = 20  # below the mean of 35.4 kW
    assert warnings_of(doc) == [("companies[0].electricity.peak_kw", "implausible")]


def test_peak_above_fuse_capacity_warns() -> None:
    doc = example_doc()
    # 3x35A at 230 V is 24.15 kW
    assert fuse_capacity_kw("3x35A", 230) == pytest.approx(24.15)
    doc["companies"][2]["electricity"]["peak_kw"] = 30
    assert warnings_of(doc) == [("companies[2].electricity.peak_kw", "implausible")]


def test_feed_in_above_production_warns() -> None:
    doc = example_doc()
    doc["companies"][1]["electricity"]["annual_feed_in_kwh"] = 350_000
    assert warnings_of(doc) == [("companies[1].electricity.annual_feed_in_kwh", "implausible")]


def test_warnings_do_not_stop_reading() -> None:
    doc = example_doc()
    doc["companies"][1]["electricity"]["annual_feed_in_kwh"] = 350_000
    park, warnings = park_from_document(doc)
    assert isinstance(park, Park) and len(warnings) == 1


# ------------------------------------------------------------------------------ files


def test_file_level_errors(tmp_path: Path) -> None:
    empty = tmp_path / "leeg.yaml"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_park_file(empty)
    assert info.value.problems[0].code == "empty" and info.value.problems[0].file == "leeg.yaml"

    garbage = tmp_path / "kapot.json"
    garbage.write_text("{format: ", encoding="utf-8")
    assert [p.code for p in validate_file(garbage)] == ["not_parseable"]

    binary = tmp_path / "plaatje.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    assert [p.code for p in validate_file(binary)] == ["not_text"]

    v2 = tmp_path / "v2.yaml"
    v2.write_text("format: parkplan/2\npark: {id: x, name: X}\n", encoding="utf-8")
    (p,) = validate_file(v2)
    assert p.code == "unknown_format" and p.file == "v2.yaml" and "parkplan/2" in p.nl

    listing = tmp_path / "lijst.yaml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    assert [p.code for p in validate_file(listing)] == ["not_a_park_file"]

    dup = tmp_path / "dubbel.yaml"
    dup.write_text(f"format: {FORMAT}\npark: {{id: x, name: X}}\npark: {{id: y}}\n")
    (p,) = validate_file(dup)
    assert p.code == "duplicate" and p.row == 3

    assert [p.code for p in validate_file(tmp_path / "nergens.yaml")] == ["not_found"]

    sheet = tmp_path / "inventaris.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    (p,) = validate_file(sheet)
    assert p.code == "wrong_format" and "parkplan import" in p.nl


def test_problems_carry_the_line_of_their_path() -> None:
    problems = validate_file(BAD / "five-faults.yaml")
    lines = (BAD / "five-faults.yaml").read_text(encoding="utf-8").splitlines()
    for p in problems:
        assert p.row is not None
        key = p.path.rsplit(".", 1)[-1]
        assert lines[p.row - 1].strip().startswith(key), (p.path, lines[p.row - 1])
    # a missing key points at its object
    text = EXAMPLE.read_text(encoding="utf-8").replace("    name: Metaalbewerking De Vries\n", "")
    (p,) = [q for q in validate_document(load_yaml(text)[0]) if q.severity == "error"]
    index = line_index(text)
    assert p.path == "companies[1].name"
    assert with_lines([p], index)[0].row == index["companies[1]"]


def test_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARKPLAN_MAX_UPLOAD_BYTES", "100")
    get_settings.cache_clear()
    try:
        with pytest.raises(ValidationError) as info:
            read_park_file(EXAMPLE)
        (p,) = info.value.problems
        assert p.code == "too_large" and "PARKPLAN_MAX_UPLOAD_BYTES" in p.nl
    finally:
        get_settings.cache_clear()


def test_bad_fixture_files_fail() -> None:
    files = sorted(BAD.glob("*.yaml")) + sorted(BAD.glob("*.json"))
    assert files
    for f in files:
        problems = validate_file(f)
        assert any(p.severity == "error" for p in problems), f


def test_company_from_document_for_imports() -> None:
    doc = example_doc()["companies"][0]
    company, problems = company_from_document(doc, path="rij 2")
    assert company is not None and problems == []
    bad = copy.deepcopy(doc)
    bad["employees"] = -1
    company, problems = company_from_document(bad, path="rij 3", source="inventaris.xlsx")
    assert company is None
    assert [(p.path, p.code, p.file) for p in problems] == [
        ("rij 3.employees", "negative", "inventaris.xlsx")
    ]


# ------------------------------------------------------------------------------ schema


def test_published_schema_is_generated_from_the_specs() -> None:
    published = json.loads(schema_path().read_text(encoding="utf-8"))
    assert published == build_json_schema()


def test_schema_accepts_the_example_and_the_full_park() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(example_doc())) == []
    assert list(validator.iter_errors(full_doc())) == []
    park, _ = park_from_document(full_doc())
    assert list(validator.iter_errors(json.loads(dump_park(park, "json")))) == []


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["companies"][0]["electricity"].__setitem__("annual_kwh", -1),
        lambda d: d["companies"][0].__setitem__("flor_area_m2", 10),
        lambda d: d["companies"][0]["roofs"][0].__setitem__("tilt_deg", 91),
        lambda d: d["companies"][0]["connection"].pop("contracted_kw"),
        lambda d: d["companies"][0]["connection"].__setitem__("ean", "87123"),
        lambda d: d["companies"][0].__setitem__("kvk", "1234"),
        lambda d: d["companies"][0]["engagement"].__setitem__("bond_with_park", 0),
        lambda d: d["companies"][0]["engagement"]["interest"].__setitem__("energy_hub", "ja"),
        lambda d: d["park"].pop("name"),
        lambda d: d.__setitem__("format", "parkplan/2"),
        lambda d: d["companies"][2]["connection"].__setitem__("fuse", "35A"),
        lambda d: d["companies"][0].__setitem__("origins", {"name": "guessed"}),
    ],
)
def test_schema_and_validator_agree_on_bad_documents(mutate: Any) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    doc = example_doc()
    mutate(doc)
    schema_errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
    ours = [p for p in validate_document(doc) if p.severity == "error"]
    assert schema_errors, "schema accepted a bad document"
    assert ours, "validator accepted a bad document"


# ------------------------------------------------------------ climate and circularity


def test_park_without_climate_or_circularity_reads_as_unknown() -> None:
    park, _ = read_park_file(EXAMPLE)
    assert park.climate is None and park.circularity is None
    doc = park_to_document(park)
    assert "climate" not in doc["park"] and "circularity" not in doc["park"]


@pytest.mark.parametrize(
    ("section", "key", "value", "code"),
    [
        ("climate", "paved_share", 1.2, "out_of_range"),
        ("climate", "green_share", -0.1, "out_of_range"),
        ("climate", "water_storage_m3", -5, "negative"),
        ("climate", "water_storage_m3", "veel", "not_a_number"),
        ("circularity", "circular_company_share", 1.5, "out_of_range"),
        ("circularity", "collective_waste_contract", "misschien", "not_a_bool"),
    ],
)
def test_climate_and_circularity_values_are_checked(
    section: str, key: str, value: Any, code: str
) -> None:
    doc = example_doc()
    doc["park"][section] = {key: value}
    errors = [p for p in validate_document(doc) if p.severity == "error"]
    assert [(p.path, p.code) for p in errors] == [(f"park.{section}.{key}", code)]
    assert errors[0].value == value


def test_paved_and_green_share_together_at_most_one() -> None:
    doc = example_doc()
    doc["park"]["climate"] = {"paved_share": 0.75, "green_share": 0.35}
    with pytest.raises(ValidationError) as exc:
        park_from_document(doc)
    (problem,) = exc.value.problems
    assert problem.path == "park.climate.green_share"
    assert problem.value == 0.35 and problem.code == "out_of_range"
    assert "0,75" in problem.nl and "0,35" in problem.nl and "1,10" in problem.nl
    assert "0.75" in problem.en and "0.35" in problem.en
    # exactly 1 together is fine (no water or bare soil)
    doc["park"]["climate"] = {"paved_share": 0.75, "green_share": 0.25}
    park, _ = park_from_document(doc)
    assert park.climate is not None and park.climate.green_share == 0.25


def test_unknown_climate_key_is_named() -> None:
    doc = example_doc()
    doc["park"]["climate"] = {"green_shar": 0.3}
    errors = [p for p in validate_document(doc) if p.severity == "error"]
    assert [p.path for p in errors] == ["park.climate.green_shar"]
    assert "green_share" in errors[0].en


def test_docs_describe_every_field() -> None:
    from parkplan.io.parkfile import ENTITIES

    docs = (Path(__file__).resolve().parents[2] / "docs" / "parkfile.md").read_text("utf-8")
    missing = [
        f"{entity}.{spec.key}"
        for entity, specs in ENTITIES.items()
        for spec in specs
        if f"| `{spec.key}` |" not in docs
    ]
    assert missing == []


@pytest.mark.parametrize("hours", ["<=2000", "2000-3000", "3000-5000", ">5000"])
def test_operating_hours_classes_round_trip(hours: str) -> None:
    doc = full_doc()
    doc["companies"][0]["operating_hours_class"] = hours
    park, _ = park_from_document(doc)
    again, _ = park_from_document(load_yaml(dump_park(park, "yaml"))[0])
    assert again.companies[0].operating_hours_class == hours
    assert again == park


def test_outline_coordinates_are_written_on_one_line() -> None:
    park, _ = park_from_document(full_doc())
    text = dump_park(park, "yaml")
    assert "coordinates: [[[6.48, 52.72], [6.5, 52.72], [6.5, 52.74], [6.48, 52.72]]]" in text
