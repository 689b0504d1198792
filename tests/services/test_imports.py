"""Importing park files and inventories into the database: validate everything first, then
write all-or-nothing (on SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from openpyxl import load_workbook

from parkplan.domain.errors import ValidationError
from parkplan.domain.model import Origin, Park
from parkplan.io.inventory import write_template
from parkplan.io.parkfile import read_park_file
from parkplan.services.imports import import_file, merge_into, prepare_import
from parkplan.services.parks import ParkExistsError, save_park
from parkplan.store.db import session_scope
from parkplan.store.repository import park_ids, read_park

DATA = Path(__file__).parents[1] / "data"
INVENTORY = DATA / "inventory"
DUTCH_CSV = INVENTORY / "bedrijven-nl-cp1252.csv"
FIVE_FAULTS = INVENTORY / "vijf-fouten.csv"
EXAMPLE = DATA / "parkfile-v1.example.yaml"


def stored(url: str, park_id: str) -> Park | None:
    with session_scope(url) as session:
        return read_park(session, park_id)


def test_dutch_csv_imports_with_exactly_the_right_numbers(db_url):
    with session_scope(db_url) as session:
        report = import_file(session, DUTCH_CSV, park_id="wieken", actor="test")
    assert (report.action, report.kind, report.company_count) == ("created", "csv", 3)
    assert (report.connection_count, report.roof_count) == (3, 2)
    park = stored(db_url, "wieken")
    assert park is not None
    assert park.name == "wieken"
    assert [c.name for c in park.companies] == [
        "Café Ruïne",
        "Bouwbedrijf Pré",
        'Smederij "Het Aambeeld" & Zn.',
    ]
    cafe, bouw, smederij = park.companies
    assert cafe.kvk == "01234567"
    assert cafe.postcode == "7903 AB"
    assert cafe.employees == 12
    assert cafe.floor_area_m2 == 1234.5
    assert cafe.electricity is not None
    assert cafe.electricity.annual_kwh == 45678.9
    assert cafe.electricity.annual_feed_in_kwh == 1200.0
    assert cafe.electricity.origin_of("annual_kwh") is Origin.MEASURED
    assert cafe.gas is not None
    assert cafe.gas.annual_m3 == 3456.7
    assert cafe.roofs[0].area_m2 == 850.5
    assert cafe.roofs[0].usable_fraction == 0.6
    assert cafe.connections[0].ean == "871234567890001018"
    assert cafe.connections[0].fuse == "3x35A"
    assert bouw.electricity is not None
    assert bouw.electricity.annual_kwh == 1234567.25
    assert bouw.electricity.origin_of("annual_kwh") is Origin.REPORTED
    assert bouw.floor_area_m2 == 6200.0
    assert bouw.connections[0].contracted_kw == 250.0
    assert bouw.roofs[0].usable_fraction == 0.55
    assert bouw.engagement is not None
    assert bouw.engagement.interest == {"energy_hub": "maybe"}
    assert smederij.electricity is not None
    assert smederij.electricity.annual_kwh == 98765.4
    assert smederij.electricity.origin_of("annual_kwh") is Origin.ESTIMATED
    assert smederij.gas is None


def test_five_faults_give_five_messages_and_change_nothing(db_url):
    with session_scope(db_url) as session:
        save_park(session, Park(id="vijf", name="Bestaand park"))
    with pytest.raises(ValidationError) as info, session_scope(db_url) as session:
        import_file(session, FIVE_FAULTS, park_id="vijf", replace=True)
    errors = info.value.errors
    assert len(errors) == 5
    assert [(p.row, p.code) for p in errors] == [
        (2, "not_a_number"),
        (3, "negative"),
        (4, "excel_scientific"),
        (5, "lost_leading_zeros"),
        (6, "duplicate"),
    ]
    assert all(p.file == "vijf-fouten.csv" and p.column for p in errors)
    assert "er is niets opgeslagen" in info.value.message("nl")
    park = stored(db_url, "vijf")
    assert park == Park(id="vijf", name="Bestaand park")
    with session_scope(db_url) as session:
        assert park_ids(session) == ["vijf"]


def test_existing_park_is_not_overwritten_without_replace(db_url):
    with session_scope(db_url) as session:
        import_file(session, DUTCH_CSV, park_id="wieken")
    with pytest.raises(ParkExistsError, match="--replace"), session_scope(db_url) as session:
        import_file(session, EXAMPLE, park_id="wieken")
    park = stored(db_url, "wieken")
    assert park is not None
    assert len(park.companies) == 3


def test_inventory_replace_keeps_park_fields_and_replaces_companies(db_url, tmp_path):
    example, _ = read_park_file(EXAMPLE)
    vehicle_owner = example.companies[0]
    from parkplan.domain.model import Vehicle

    example.companies[0] = dataclasses.replace(
        vehicle_owner, id="c01", vehicles=[Vehicle(kind="truck", count=4)]
    )
    with session_scope(db_url) as session:
        save_park(session, example)
    path = tmp_path / "update.csv"
    path.write_text(
        "Bedrijf-id;Bedrijfsnaam;Jaarverbruik elektriciteit [kWh];EAN elektriciteitsaansluiting;"
        "Soort aansluiting;Gecontracteerd vermogen afname [kW]\n"
        "c01;Transport Bakker BV;333.333,3;871234567890001018;grootverbruik;200\n"
        "c09;Nieuw Bedrijf;10.000;871234567890001049;grootverbruik;50\n",
        encoding="cp1252",
    )
    with session_scope(db_url) as session:
        report = import_file(session, path, park_id=example.id, replace=True)
    assert report.action == "replaced"
    assert report.companies_removed == ["c02", "c03"]
    park = stored(db_url, example.id)
    assert park is not None
    assert park.name == example.name  # park fields kept
    assert park.grid == example.grid
    assert park.location == example.location
    assert [c.id for c in park.companies] == ["c01", "c09"]
    c01 = park.company("c01")
    assert c01.electricity is not None
    assert c01.electricity.annual_kwh == 333333.3
    assert c01.connections[0].contracted_kw == 200.0
    assert c01.vehicles == [Vehicle(kind="truck", count=4)]  # not in the inventory: kept


def test_merge_into_takes_only_the_park_fields_the_sheet_gave():
    from parkplan.domain.model import GridAvailability

    existing = Park(
        id="p",
        name="Oud",
        municipality="Emmen",
        grid=GridAvailability(operator="Enexis", available_import_kw=500.0),
    )
    imported = Park(id="p", name="p", grid=GridAvailability(available_import_kw=900.0))
    merged = merge_into(existing, imported, {"id", "grid"})
    assert merged.name == "Oud"
    assert merged.municipality == "Emmen"
    assert merged.grid == GridAvailability(operator="Enexis", available_import_kw=900.0)


def test_dry_run_validates_and_writes_nothing(db_url):
    with session_scope(db_url) as session:
        report = import_file(session, DUTCH_CSV, park_id="proef", dry_run=True)
    assert report.dry_run
    assert report.action == "created"
    assert report.company_count == 3
    assert stored(db_url, "proef") is None


def test_park_file_imports_and_replaces_as_a_whole(db_url):
    with session_scope(db_url) as session:
        report = import_file(session, EXAMPLE)
    assert (report.kind, report.park_id, report.company_count) == ("parkfile", "voorbeeldpark", 3)
    expected, _ = read_park_file(EXAMPLE)
    assert stored(db_url, "voorbeeldpark") == expected
    with session_scope(db_url) as session:
        report = import_file(session, EXAMPLE, park_id="kopie")
    copy = stored(db_url, "kopie")
    assert copy == dataclasses.replace(expected, id="kopie")


def test_xlsx_with_park_sheet_imports(db_url, tmp_path):
    example, _ = read_park_file(EXAMPLE)
    path = write_template(tmp_path / "inventaris.xlsx", example)
    workbook = load_workbook(path)
    workbook["Park"]["B2"] = "nieuw-park"
    workbook.save(path)
    with session_scope(db_url) as session:
        report = import_file(session, path)
    assert (report.kind, report.park_id) == ("xlsx", "nieuw-park")
    park = stored(db_url, "nieuw-park")
    assert park == dataclasses.replace(example, id="nieuw-park")


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("leeg.csv", b"", "empty"),
        ("leeg.yaml", b"", "empty"),
        ("nep.xlsx", b"dit is tekst", "not_a_spreadsheet"),
        ("park.txt.doc", b"x", "unknown_format"),
        ("versie.yaml", b"format: parkplan/9\npark: {id: a, name: b}\n", "unknown_format"),
    ],
)
def test_bad_files_are_refused_before_anything_is_written(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationError) as info:
        prepare_import(path, park_id="p")
    assert [p.code for p in info.value.errors] == [code]
    assert info.value.errors[0].file == name


def test_a_refused_cell_gives_one_message_not_a_second_one_for_the_missing_value(tmp_path):
    path = tmp_path / "eenmaal.csv"
    path.write_text(
        "Bedrijfsnaam;EAN elektriciteitsaansluiting;Soort aansluiting;"
        "Gecontracteerd vermogen afname [kW];Jaarverbruik elektriciteit [kWh]\n"
        "A;871234567890001018;middel;10;1000\n"
        "B;871234567890001025;grootverbruik;veel;1000\n"
        "C;8,71234E+17;kleinverbruik;;1000\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        prepare_import(path, park_id="p")
    assert [(p.row, p.column, p.code) for p in info.value.errors] == [
        (2, "Soort aansluiting", "bad_choice"),
        (3, "Gecontracteerd vermogen afname [kW]", "not_a_number"),
        (4, "EAN elektriciteitsaansluiting", "excel_scientific"),
    ]
    assert "kleinverbruik, grootverbruik" in info.value.errors[0].nl


def test_rule_faults_are_placed_on_their_row_and_column(tmp_path):
    path = tmp_path / "regels.csv"
    path.write_text(
        "Bedrijf-id;Bedrijfsnaam;KvK-nummer;SBI-code;EAN elektriciteitsaansluiting;"
        "Soort aansluiting\n"
        "c1;A;01234567;9999;871234567890001018;kleinverbruik\n"  # unknown SBI
        "c2;B;07654321;4941;871234567890001019;kleinverbruik\n"  # wrong check digit
        "c3;C;01234567;4941;871234567890001032;kleinverbruik\n"  # duplicate KvK
        "c3;D;05555555;4941;871234567890001049;kleinverbruik\n"  # duplicate id
        "c5;E;08765432;4941;871234567890001056;\n",  # kind missing
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        prepare_import(path, park_id="p")
    assert [(p.row, p.column) for p in info.value.errors] == [
        (2, "SBI-code"),
        (3, "EAN elektriciteitsaansluiting"),
        (4, "KvK-nummer"),
        (5, "Bedrijf-id"),
        (6, "Soort aansluiting"),
    ]
    assert all(p.file == "regels.csv" for p in info.value.errors)
    assert "rij 2" in info.value.errors[2].nl  # the other row with this KvK number


def test_an_upload_stored_under_another_name_is_reported_by_its_own_name(tmp_path):
    upload = tmp_path / "tmp4f3a9"
    upload.write_bytes(FIVE_FAULTS.read_bytes())
    with pytest.raises(ValidationError) as info:
        prepare_import(upload, park_id="p", name="inventaris De Wieken.csv")
    assert len(info.value.errors) == 5
    assert {p.file for p in info.value.errors} == {"inventaris De Wieken.csv"}
    bad_yaml = tmp_path / "tmp77"
    bad_yaml.write_bytes(b"format: parkplan/1\npark: {id: a}\n")
    with pytest.raises(ValidationError) as info:
        prepare_import(bad_yaml, name="park.yaml")
    assert {p.file for p in info.value.errors} == {"park.yaml"}
