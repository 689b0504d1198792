"""Inventory files: Dutch number and identifier cells, CSV from Dutch Excel, the Excel
template and workbooks written with the real openpyxl."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from parkplan.domain.errors import ValidationError, error
from parkplan.io.dutch_numbers import (
    CellError,
    is_empty,
    normalise_header,
    parse_decimal,
    parse_ean,
    parse_kvk,
    parse_number,
    parse_postcode,
    parse_sbi,
)
from parkplan.io.inventory import (
    COMPANY_COLUMNS,
    decode_text,
    detect_delimiter,
    iter_columns,
    read_inventory,
    read_inventory_file,
    write_template,
)
from parkplan.io.parkfile import park_from_document, read_park_file

DATA = Path(__file__).parents[1] / "data"
INVENTORY = DATA / "inventory"
EXAMPLE = DATA / "parkfile-v1.example.yaml"


def header_of(key: str) -> str:
    return next(c.header for c in COMPANY_COLUMNS if c.key == key)


def errors_of(problems):
    return [p for p in problems if p.severity == "error"]


# ------------------------------------------------------------------------ number cells


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,5", "1234.5"),
        ("1234,5", "1234.5"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234,5", "1234.5"),
        ("1.234.567,25", "1234567.25"),
        ("1.234", "1234"),  # thousands dot in a Dutch file
        ("1,234", "1.234"),  # decimal comma
        ("0.55", "0.55"),  # a decimal point that cannot be a thousands dot
        ("€ 1.200", "1200"),
        ("-3,5", "-3.5"),
        ("(12,5)", "-12.5"),
    ],
)
def test_dutch_numbers_parse_exactly(text, expected):
    assert parse_decimal(text) == Decimal(expected)


def test_english_file_reads_dot_as_decimal_and_comma_as_thousands():
    assert parse_decimal("1,234.5", decimal_sep=".") == Decimal("1234.5")
    assert parse_decimal("1,234", decimal_sep=".") == Decimal("1234")
    assert parse_decimal("12.5", decimal_sep=".") == Decimal("12.5")


def test_floats_are_the_nearest_double_of_the_decimal_text():
    assert parse_number("45.678,9") == 45678.9
    assert parse_number("1.234.567,25") == 1234567.25
    assert parse_number("0,1") == 0.1


@pytest.mark.parametrize("text", ["veel", "1.2.3,4", "12a", "1,2,3", "ja"])
def test_non_numbers_are_refused(text):
    with pytest.raises(CellError) as info:
        parse_number(text)
    assert info.value.code == "not_a_number"
    assert "getal" in info.value.nl
    assert "number" in info.value.en


def test_negative_values_are_refused_by_default():
    with pytest.raises(CellError) as info:
        parse_number("-500")
    assert info.value.code == "negative"
    assert parse_number("-500", minimum=None) == -500.0


def test_percent_fraction_range_integer_and_unit_factor():
    assert parse_number("55%", percent_as_fraction=True) == 0.55
    assert parse_number("1,2345", factor=1000) == 1234.5  # MWh -> kWh, exact
    assert parse_number("12", integer=True) == 12
    with pytest.raises(CellError, match="whole number"):
        parse_number("12,5", integer=True)
    with pytest.raises(CellError) as info:
        parse_number("6", minimum=1, maximum=5)
    assert info.value.code == "out_of_range"


@pytest.mark.parametrize("text", [None, "", "  ", "-", "n.v.t.", "onbekend", "N.B."])
def test_dutch_words_for_unknown_are_empty(text):
    assert is_empty(text)


# -------------------------------------------------------------------- identifier cells


@pytest.mark.parametrize("value", ["8,71234E+17", "8.71234567890001E+17", 8.71234567890001e17])
def test_ean_in_scientific_notation_is_named_as_excel_damage(value):
    with pytest.raises(CellError) as info:
        parse_ean(value)
    assert info.value.code == "excel_scientific"
    assert "wetenschappelijke notatie" in info.value.nl
    assert "Excel" in info.value.en


def test_ean_rounded_to_15_digits_by_excel_is_named():
    with pytest.raises(CellError) as info:
        parse_ean("871234567890001000")  # 871234567890001018 after Excel's rounding
    assert info.value.code == "excel_rounded"
    assert "15 cijfers" in info.value.nl
    assert parse_ean("871234567890008000") == "871234567890008000"  # valid, ends in zeros
    from parkplan.domain.identifiers import check_ean

    assert check_ean("871234567890008000") is None


def test_ean_text_is_kept_as_text():
    assert parse_ean("871234567890001018") == "871234567890001018"
    assert parse_ean(" 8712 3456 7890 0010 18 ") == "871234567890001018"
    with pytest.raises(CellError) as info:
        parse_ean("87123456789000101")
    assert info.value.code == "bad_identifier"


@pytest.mark.parametrize("value", [1234567, 1234567.0, "1234567"])
def test_kvk_without_leading_zero_is_named(value):
    with pytest.raises(CellError) as info:
        parse_kvk(value)
    assert info.value.code == "lost_leading_zeros"
    assert "01234567" in info.value.nl


def test_kvk_and_postcode_good_values():
    assert parse_kvk("01234567") == "01234567"
    assert parse_kvk(12345678) == "12345678"
    assert parse_postcode("7903ab") == "7903 AB"
    assert parse_postcode("7903 AB") == "7903 AB"
    with pytest.raises(CellError):
        parse_postcode("0903 AB")


def test_sbi_number_cell_that_lost_its_zero_is_named():
    with pytest.raises(CellError) as info:
        parse_sbi(111)  # was "0111" in a number column
    assert info.value.code == "lost_leading_zeros"
    assert "0111" in info.value.nl
    with pytest.raises(CellError):
        parse_sbi(1)
    assert parse_sbi(4941) == "4941"
    assert parse_sbi("49.41") == "4941"
    assert parse_sbi("0111") == "0111"


def test_headers_match_without_case_spaces_accents_or_units_format():
    assert normalise_header("Oriëntatie dak [graden]") == normalise_header(
        "orientatie DAK (graden)"
    )
    assert normalise_header("Dakoppervlak [m²]") == normalise_header("dakoppervlak [m2]")


# ------------------------------------------------------------------------- CSV decoding


def test_decoding_tries_strict_utf8_then_windows_1252():
    text = "Café Ruïne – € 5"
    assert decode_text(text.encode("cp1252")) == (text, "cp1252")
    assert decode_text(text.encode("utf-8")) == (text, "utf-8")
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8-sig")
    assert decode_text(text.encode("utf-16")) == (text, "utf-16")


def test_delimiter_detection():
    assert detect_delimiter("Bedrijfsnaam;Jaarverbruik elektriciteit [kWh]") == ";"
    assert detect_delimiter("name,annual_kwh") == ","
    assert detect_delimiter('"Naam, met komma";Gas') == ";"
    assert detect_delimiter("naam\tgas") == "\t"


# ------------------------------------------------------------------------------ CSV files


def test_dutch_windows_1252_csv_reads_exact_numbers_and_accents():
    doc, problems = read_inventory(INVENTORY / "bedrijven-nl-cp1252.csv", park_id="wieken")
    assert problems == []
    assert doc["format"] == "parkplan/1"
    assert doc["park"] == {"id": "wieken", "name": "wieken"}
    cafe, bouw, smederij = doc["companies"]
    assert cafe["name"] == "Café Ruïne"
    assert bouw["name"] == "Bouwbedrijf Pré"
    assert smederij["name"] == 'Smederij "Het Aambeeld" & Zn.'
    assert cafe["floor_area_m2"] == 1234.5
    assert cafe["electricity"]["annual_kwh"] == 45678.9
    assert cafe["electricity"]["annual_feed_in_kwh"] == 1200.0
    assert cafe["gas"]["annual_m3"] == 3456.7
    assert cafe["kvk"] == "01234567"
    assert cafe["postcode"] == "7903 AB"
    assert cafe["connection"] == {
        "ean": "871234567890001018",
        "kind": "kleinverbruik",
        "fuse": "3x35A",
    }
    assert cafe["roofs"] == [{"area_m2": 850.5, "usable_fraction": 0.6, "azimuth_deg": 180.0}]
    assert cafe["engagement"] == {"interest": {"energy_hub": "yes"}}
    assert bouw["electricity"]["annual_kwh"] == 1234567.25
    assert bouw["roofs"][0]["usable_fraction"] == 0.55  # written as 55%
    assert bouw["connection"]["contracted_kw"] == 250.0
    assert bouw["engagement"]["interest"] == {"energy_hub": "maybe"}
    # origins: "gemeten" -> measured for the electricity figures present; "opgegeven" is
    # the default and not written; "geschat" -> estimated
    assert cafe["electricity"]["origins"] == {
        "annual_kwh": "measured",
        "annual_feed_in_kwh": "measured",
    }
    assert "origins" not in bouw["electricity"]
    assert smederij["electricity"]["origins"] == {"annual_kwh": "estimated"}
    assert "gas" not in smederij


def test_dutch_csv_builds_a_valid_park_with_origins():
    from parkplan.domain.model import Origin

    doc, _ = read_inventory(INVENTORY / "bedrijven-nl-cp1252.csv", park_id="wieken")
    park, _warnings = park_from_document(doc)
    cafe = park.company("c01")
    assert cafe.electricity is not None
    assert cafe.electricity.origin_of("annual_kwh") is Origin.MEASURED
    assert cafe.electricity.origin_of("peak_kw") is Origin.REPORTED
    assert cafe.main_connection is not None
    assert cafe.main_connection.ean == "871234567890001018"


def test_utf8_bom_csv_with_other_header_spellings():
    doc, problems = read_inventory(INVENTORY / "bedrijven-utf8-bom.csv", park_id="bom")
    assert errors_of(problems) == []
    first, second = doc["companies"]
    assert first["id"] == "b001"  # no id column: rows are numbered
    assert first["name"] == "Zuivel & Zo – Coöperatie"
    assert second["name"] == "Garage Ëlzinga"
    assert first["electricity"] == {"annual_kwh": 310000.0}
    assert first["gas"] == {"annual_m3": 18000.5}
    assert second["electricity"] == {"annual_kwh": 820000.75}
    assert second["connection"]["kind"] == "grootverbruik"  # "Grootverbruik"
    assert first["roofs"] == [{"azimuth_deg": 90.0, "area_m2": 4200.0}]


def test_comma_separated_csv_with_decimal_points_and_english_headers(tmp_path):
    path = tmp_path / "companies.csv"
    path.write_text(
        "Company id,Name,Annual kWh,Gas use,Roof area,Usable fraction\n"
        'c1,"Acme, Ltd",1234.5,"1,200",500,0.5\n',
        encoding="utf-8",
    )
    doc, problems = read_inventory(path, park_id="p")
    assert errors_of(problems) == []
    (company,) = doc["companies"]
    assert company["name"] == "Acme, Ltd"
    assert company["electricity"]["annual_kwh"] == 1234.5
    assert company["gas"]["annual_m3"] == 1200.0
    assert company["roofs"] == [{"area_m2": 500.0, "usable_fraction": 0.5}]


def test_dutch_excel_booleans_and_answers(tmp_path):
    path = tmp_path / "ja-nee.csv"
    path.write_text(
        "Bedrijfsnaam;Toestemming delen energiedata;Interesse warmtepomp;Interesse laadpalen\n"
        "A;WAAR;Ja;NEE\nB;onwaar;misschien;\nC;soms;ja;ja\n",
        encoding="cp1252",
    )
    doc, problems = read_inventory(path, park_id="p")
    a, b, c = (company.get("engagement") for company in doc["companies"])
    assert a == {"consent_share_data": True, "interest": {"heat_pump": "yes", "ev_charging": "no"}}
    assert b == {"consent_share_data": False, "interest": {"heat_pump": "maybe"}}
    assert c == {"interest": {"heat_pump": "yes", "ev_charging": "yes"}}
    (problem,) = problems
    assert (problem.row, problem.code, problem.value) == (4, "bad_choice", "soms")
    assert "ja, nee" in problem.nl


def test_other_spellings_of_units_in_headers(tmp_path):
    path = tmp_path / "eenheden.csv"
    path.write_text(
        "Bedrijfsnaam;Dakhelling [°];Bestaande zonnepanelen [MWp];Piekvermogen afname (KW)\n"
        "A;12;0,25;118\n",
        encoding="utf-8",
    )
    doc, problems = read_inventory(path, park_id="p")
    assert problems == []
    company = doc["companies"][0]
    assert company["roofs"] == [{"tilt_deg": 12.0, "existing_pv_kwp": 250.0}]
    assert company["electricity"] == {"peak_kw": 118.0}


def test_mwh_header_is_converted_exactly_and_unknown_unit_is_an_error(tmp_path):
    path = tmp_path / "mwh.csv"
    path.write_text(
        "Bedrijfsnaam;Jaarverbruik elektriciteit [MWh];Jaarverbruik gas [liter]\nA;1.234,5678;10\n",
        encoding="utf-8",
    )
    doc, problems = read_inventory(path, park_id="p")
    assert doc["companies"][0]["electricity"]["annual_kwh"] == 1234567.8
    (problem,) = errors_of(problems)
    assert problem.code == "bad_unit"
    assert problem.row == 1
    assert problem.column == "Jaarverbruik gas [liter]"


def test_five_faults_give_five_cell_and_rule_messages():
    path = INVENTORY / "vijf-fouten.csv"
    reading = read_inventory_file(path, park_id="vijf")
    cell = errors_of(reading.problems)
    assert [(p.row, p.column, p.code) for p in cell] == [
        (2, header_of("electricity.annual_kwh"), "not_a_number"),
        (3, header_of("gas.annual_m3"), "negative"),
        (4, header_of("connection.ean"), "excel_scientific"),
        (5, header_of("kvk"), "lost_leading_zeros"),
    ]
    assert cell[0].value == "veel"
    assert cell[2].value == "8,71234E+17"
    assert all(p.file == "vijf-fouten.csv" for p in cell)
    # the fifth fault (a duplicate EAN) is found by the park-file rules and located here
    with pytest.raises(ValidationError) as info:
        park_from_document(reading.document)
    located = [reading.locate(p) for p in info.value.errors]
    duplicate = [p for p in located if p.row == 6]
    assert len(duplicate) == 1
    assert duplicate[0].column == header_of("connection.ean")
    assert duplicate[0].file == "vijf-fouten.csv"
    assert "rij 2" in duplicate[0].nl  # the other row, not a document path
    assert "row 2" in duplicate[0].en


def test_locate_uses_the_longest_known_path_and_both_connection_spellings():
    reading = read_inventory_file(INVENTORY / "bedrijven-nl-cp1252.csv", park_id="w")
    p = reading.locate(error("companies[1].connections[0].ean", "x", "x"))
    assert (p.row, p.column) == (3, header_of("connection.ean"))
    p = reading.locate(error("companies[2].electricity.peak_kw", "x", "x"))
    assert (p.file, p.row, p.column) == ("bedrijven-nl-cp1252.csv", 4, None)
    p = reading.locate(error("park.grid", "x", "x"))
    assert p.file == "bedrijven-nl-cp1252.csv"
    assert p.row is None


def test_missing_name_column_and_empty_mandatory_cell(tmp_path):
    path = tmp_path / "geen-naam.csv"
    path.write_text("Bedrijf-id;KvK-nummer\nc1;01234567\n", encoding="utf-8")
    _, problems = read_inventory(path, park_id="p")
    assert [p.code for p in errors_of(problems)] == ["missing_column"]
    path.write_text("Bedrijf-id;Bedrijfsnaam\nc1;\nc2;B\n", encoding="utf-8")
    _, problems = read_inventory(path, park_id="p")
    (problem,) = errors_of(problems)
    assert (problem.row, problem.column, problem.code) == (2, "Bedrijfsnaam", "missing")


def test_csv_without_park_id_is_an_error():
    _, problems = read_inventory(INVENTORY / "bedrijven-nl-cp1252.csv")
    (problem,) = errors_of(problems)
    assert problem.path == "park.id"
    assert "--park" in problem.nl


# ------------------------------------------------------------------------ bad files


def test_empty_file(tmp_path):
    for name in ("leeg.csv", "leeg.xlsx"):
        path = tmp_path / name
        path.write_bytes(b"")
        _, problems = read_inventory(path, park_id="p")
        assert [(p.code, p.file) for p in problems] == [("empty", name)]


def test_csv_with_only_a_header_has_no_companies(tmp_path):
    path = tmp_path / "kop.csv"
    path.write_text("Bedrijfsnaam;Jaarverbruik elektriciteit [kWh]\n", encoding="cp1252")
    _, problems = read_inventory(path, park_id="p")
    assert [p.code for p in problems] == ["empty"]


def test_file_over_the_size_limit(tmp_path, monkeypatch):
    from parkplan.settings import get_settings

    path = INVENTORY / "bedrijven-nl-cp1252.csv"
    reading = read_inventory_file(path, park_id="p", max_bytes=100)
    (problem,) = reading.problems
    assert problem.code == "too_large"
    assert problem.value == path.stat().st_size
    assert "100 bytes" in problem.nl
    monkeypatch.setenv("PARKPLAN_MAX_UPLOAD_BYTES", "50")
    get_settings.cache_clear()
    try:
        _, problems = read_inventory(path, park_id="p")
    finally:
        monkeypatch.delenv("PARKPLAN_MAX_UPLOAD_BYTES")
        get_settings.cache_clear()
    assert [p.code for p in problems] == ["too_large"]


def test_text_file_renamed_to_xlsx_is_not_a_spreadsheet(tmp_path):
    path = tmp_path / "nep.xlsx"
    path.write_text("Bedrijfsnaam;Gas\nA;1\n", encoding="utf-8")
    _, problems = read_inventory(path, park_id="p")
    (problem,) = problems
    assert problem.code == "not_a_spreadsheet"
    assert problem.file == "nep.xlsx"
    assert "Excel" in problem.nl


def test_old_xls_file_is_named(tmp_path):
    path = tmp_path / "oud.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    _, problems = read_inventory(path, park_id="p")
    assert ".xls" in problems[0].nl


def test_workbook_without_bedrijven_sheet_names_the_sheets_found(tmp_path):
    workbook = Workbook()
    workbook.active.title = "Blad1"
    workbook.create_sheet("Gegevens")
    path = tmp_path / "verkeerd.xlsx"
    workbook.save(path)
    _, problems = read_inventory(path, park_id="p")
    (problem,) = problems
    assert problem.code == "wrong_sheet"
    assert "'Blad1', 'Gegevens'" in problem.nl
    assert "Bedrijven" in problem.nl


# ------------------------------------------------------------------------------- xlsx


def test_template_has_text_identifiers_choice_lists_and_explanations(tmp_path):
    path = write_template(tmp_path / "sjabloon.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Bedrijven", "Daken", "Aansluitingen", "Park", "Toelichting"]
    sheet = workbook["Bedrijven"]
    headers = [c.value for c in sheet[1]]
    assert headers == [c.header for c in COMPANY_COLUMNS]
    assert "Jaarverbruik elektriciteit [kWh]" in headers
    assert "Gecontracteerd vermogen afname [kW]" in headers
    assert "Dakoppervlak [m2]" in headers
    for key in ("connection.ean", "kvk", "sbi", "postcode"):
        index = headers.index(header_of(key)) + 1
        assert sheet.cell(row=2, column=index).number_format == "@"
        assert sheet.cell(row=90, column=index).number_format == "@"
        assert sheet.column_dimensions[get_column_letter(index)].number_format == "@"
    numeric = headers.index(header_of("electricity.annual_kwh")) + 1
    assert sheet.cell(row=2, column=numeric).number_format == "General"
    lists = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert '"kleinverbruik,grootverbruik"' in lists
    assert '"ja,misschien,nee"' in lists
    assert '"gemeten,opgegeven,open data,geschat"' in lists
    explained = {
        (row[0], row[1]) for row in workbook["Toelichting"].iter_rows(min_row=4, values_only=True)
    }
    assert {(s, c.header) for s, c in iter_columns()} <= explained
    help_rows = list(workbook["Toelichting"].iter_rows(min_row=4, values_only=True))
    assert all(row[2] and row[5] for row in help_rows)  # meaning and mandatory filled in
    park_fields = [row[0] for row in workbook["Park"].iter_rows(min_row=2, values_only=True)]
    assert park_fields[:2] == ["Park-id", "Naam"]


def _filled_template(tmp_path: Path) -> Path:
    """The template filled in as an office would, with Excel's number cells."""
    path = write_template(tmp_path / "inventaris.xlsx")
    workbook = load_workbook(path)
    sheet = workbook["Bedrijven"]
    headers = [c.value for c in sheet[1]]

    def put(row: int, key: str, value):
        sheet.cell(row=row, column=headers.index(header_of(key)) + 1).value = value

    put(2, "id", "c01")
    put(2, "name", "Café Ruïne")
    put(2, "kvk", "01234567")
    put(2, "sbi", "4941")
    put(2, "electricity.annual_kwh", 45678.9)  # a real number cell
    put(2, "electricity.origins", "gemeten")
    put(2, "gas.annual_m3", "3.456,7")  # Dutch text in a number cell
    put(2, "connection.ean", "871234567890001018")
    put(2, "connection.kind", "grootverbruik")
    put(2, "connection.contracted_kw", 160)
    put(2, "roofs[0].area_m2", 4200)
    put(2, "engagement.interest.shared_battery", "misschien")
    put(2, "engagement.consent_share_data", "ja")
    put(2, "plans.electrification", "warmtepomp, elektrisch wagenpark")
    put(3, "id", "c02")
    put(3, "name", "Bouwbedrijf Pré")
    put(3, "electricity.annual_kwh", 1234567.25)
    put(3, "connection.ean", "871234567890001025")
    put(3, "connection.kind", "kleinverbruik")
    put(3, "connection.fuse", "3x63A")
    for column, value in enumerate(["c01", 1500, 0.7, 15, 90, 12.5], start=1):
        workbook["Daken"].cell(row=2, column=column).value = value
    for column, value in enumerate(["c01", "gas", "871234567890001032", "kleinverbruik"], 1):
        workbook["Aansluitingen"].cell(row=2, column=column).value = value
    park = workbook["Park"]
    park["B2"] = "de-wieken"
    park["B3"] = "De Wieken (deel)"
    park["B4"] = "Hoogeveen"
    park["B10"] = 900  # Beschikbaar afnamevermogen park [kW]
    workbook.save(path)
    return path


def test_filled_workbook_reads_all_sheets(tmp_path):
    from parkplan.domain.model import Origin

    path = _filled_template(tmp_path)
    reading = read_inventory_file(path)
    assert errors_of(reading.problems) == []
    doc = reading.document
    assert doc["park"]["id"] == "de-wieken"
    assert doc["park"]["name"] == "De Wieken (deel)"
    assert doc["park"]["grid"] == {"available_import_kw": 900.0}
    assert reading.park_fields == {"id", "name", "municipality", "grid"}
    park, _ = park_from_document(doc)
    cafe = park.company("c01")
    assert cafe.name == "Café Ruïne"
    assert cafe.electricity is not None
    assert cafe.electricity.annual_kwh == 45678.9
    assert cafe.electricity.origin_of("annual_kwh") is Origin.MEASURED
    assert cafe.gas is not None
    assert cafe.gas.annual_m3 == 3456.7
    assert [c.ean for c in cafe.connections] == ["871234567890001018", "871234567890001032"]
    assert [c.carrier for c in cafe.connections] == ["electricity", "gas"]
    assert [(r.area_m2, r.existing_pv_kwp) for r in cafe.roofs] == [(4200.0, 0.0), (1500.0, 12.5)]
    assert cafe.roofs[1].azimuth_deg == 90.0
    assert cafe.engagement is not None
    assert cafe.engagement.interest == {"shared_battery": "maybe"}
    assert cafe.engagement.consent_share_data is True
    assert cafe.plans is not None
    assert cafe.plans.electrification == ["heat_pump", "ev_fleet"]
    assert park.company("c02").connections[0].fuse == "3x63A"
    assert park.grid.available_import_kw == 900.0


def test_problems_on_extra_sheets_name_the_sheet(tmp_path):
    path = _filled_template(tmp_path)
    workbook = load_workbook(path)
    daken = workbook["Daken"]
    daken["A3"], daken["B3"] = "c99", 100
    daken["A4"], daken["B4"] = "c02", "groot"
    workbook.save(path)
    reading = read_inventory_file(path)
    problems = errors_of(reading.problems)
    assert [(p.file, p.row, p.column, p.code) for p in problems] == [
        ("inventaris.xlsx (Daken)", 3, "Bedrijf-id", "unknown_company"),
        ("inventaris.xlsx (Daken)", 4, "Dakoppervlak [m2]", "not_a_number"),
    ]


def test_number_cells_in_identifier_columns_are_named(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bedrijven"
    sheet.append(["Bedrijfsnaam", "KvK-nummer", "SBI-code", "EAN elektriciteitsaansluiting"])
    sheet.append(["A", 1234567, 111, 8.71234567890001e17])  # what Excel makes of them
    sheet.append(["B", 12345678, 4941, "871234567890001025"])
    path = tmp_path / "getallen.xlsx"
    workbook.save(path)
    doc, problems = read_inventory(path, park_id="p")
    assert [(p.row, p.column, p.code) for p in problems] == [
        (2, "KvK-nummer", "lost_leading_zeros"),
        (2, "SBI-code", "lost_leading_zeros"),
        (2, "EAN elektriciteitsaansluiting", "excel_scientific"),
    ]
    assert all(p.file == "getallen.xlsx (Bedrijven)" for p in problems)
    assert doc["companies"][1]["kvk"] == "12345678"
    assert doc["companies"][1]["sbi"] == "4941"


def test_header_row_below_a_title_row_is_found(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "bedrijven"  # sheet names match case-insensitively
    sheet.append(["Inventarisatie De Wieken, stand 1-3-2026"])
    sheet.append(["Bedrijfsnaam", "Jaarverbruik elektriciteit [kWh]"])
    sheet.append(["A", "1.500"])
    path = tmp_path / "titel.xlsx"
    workbook.save(path)
    doc, problems = read_inventory(path, park_id="p")
    assert problems == []
    assert doc["companies"][0]["electricity"]["annual_kwh"] == 1500.0


def test_template_filled_with_a_park_round_trips(tmp_path):
    park, _ = read_park_file(EXAMPLE)
    path = write_template(tmp_path / "voorbeeld.xlsx", park)
    reading = read_inventory_file(path)
    assert errors_of(reading.problems) == []
    again, _ = park_from_document(reading.document)
    assert again == park


def test_template_round_trips_origins_and_several_connections(full_park, tmp_path):
    path = write_template(tmp_path / "vol.xlsx", full_park)
    reading = read_inventory_file(path)
    assert errors_of(reading.problems) == []
    again, _ = park_from_document(reading.document)
    from parkplan.domain.model import Origin

    def values(obj):
        return dataclasses.replace(obj, origins={})

    # the inventory holds the values; one "Bron" column per group states one origin for the
    # group's figures, and roof ids, vehicles and meter-data references are not columns
    for before, after in zip(full_park.companies, again.companies, strict=True):
        assert [values(c) for c in after.connections] == [values(c) for c in before.connections]
        assert [values(r) for r in after.roofs] == [
            values(dataclasses.replace(r, id=None)) for r in before.roofs
        ]
        if before.electricity is not None:
            assert values(after.electricity) == values(
                dataclasses.replace(before.electricity, meter_data=None)
            )
            assert after.electricity.origin_of("annual_kwh") is before.electricity.origin_of(
                "annual_kwh"
            )
        assert after.gas == before.gas
    first = again.companies[0]
    assert first.connections[0].origin_of("contracted_kw") is Origin.MEASURED
    assert first.roofs[1].origin_of("area_m2") is Origin.OPEN_DATA


def test_dutch_notation_with_thousands_dots_parses_exactly_for_any_amount():
    from hypothesis import given
    from hypothesis import strategies as st

    @given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
    def check(whole: int, cents: int) -> None:
        dutch = f"{whole:,}".replace(",", ".") + f",{cents:02d}"
        english = f"{whole:,}.{cents:02d}"
        expected = Decimal(f"{whole}.{cents:02d}")
        assert parse_decimal(dutch) == expected
        assert parse_decimal(english, decimal_sep=".") == expected
        assert parse_number(dutch) == float(expected)

    check()
