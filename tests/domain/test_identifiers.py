"""EAN, KvK, SBI and postcode checks."""

from __future__ import annotations

import pytest

from parkplan.domain.identifiers import (
    check_ean,
    check_kvk,
    check_postcode,
    check_sbi,
    ean_check_digit,
    is_excel_number,
    is_known_sbi,
    normalize_postcode,
    normalize_sbi,
    sbi_description,
    sbi_section,
    sbi_table,
)

# ------------------------------------------------------------------------------------ EAN


@pytest.mark.parametrize(
    ("body", "digit"),
    [
        ("87123456789000101", 8),
        ("87123456789000102", 5),
        ("87123456789000103", 2),
        # GS1 worked example (GTIN-13 629104150021 -> 3)
        ("629104150021", 3),
    ],
)
def test_ean_check_digit(body: str, digit: int) -> None:
    assert ean_check_digit(body) == digit


def test_valid_eans() -> None:
    assert check_ean("871234567890001018") is None
    assert check_ean(" 871234567890001025 ") is None
    assert check_ean(871234567890001032) is None  # an exact integer is fine


@pytest.mark.parametrize(
    ("value", "nl_part", "en_part"),
    [
        ("871234567890001019", "controlecijfer: 9, verwacht 8", "check digit: 9, expected 8"),
        ("87123456789000101", "17 cijfers", "17 digits"),
        ("8712345678900010188", "19 cijfers", "19 digits"),
        ("87123456789000101X", "alleen cijfers", "digits only"),
        ("8,71234E+17", "Excel", "Excel"),
        ("8.71234567890001E+17", "Excel", "Excel"),
        (8.71234567890001e17, "Excel", "Excel"),
        ("", "ontbreekt", "missing"),
    ],
)
def test_bad_eans(value: object, nl_part: str, en_part: str) -> None:
    msg = check_ean(value)
    assert msg is not None
    assert nl_part in msg[0]
    assert en_part in msg[1]


def test_excel_number_detection() -> None:
    assert is_excel_number("8,71234E+17")
    assert is_excel_number("8.71234567890001E+17")
    assert is_excel_number("1E+07")
    assert not is_excel_number("871234567890001018")
    assert not is_excel_number("3x35A")


# ------------------------------------------------------------------------------------ KvK


def test_kvk() -> None:
    assert check_kvk("01234567") is None
    assert check_kvk(12345678) is None
    seven = check_kvk("1234567")
    assert seven is not None
    assert "voorloopnul" in seven[0] and "'01234567'" in seven[0]
    assert "leading zero" in seven[1]
    int_seven = check_kvk(1234567)
    assert int_seven is not None and "'01234567'" in int_seven[1]
    twelve = check_kvk("000012345678")
    assert twelve is not None and "12" in twelve[1]
    letters = check_kvk("1234567a")
    assert letters is not None and "digits only" in letters[1]
    mangled = check_kvk("1,23457E+07")
    assert mangled is not None and "Excel" in mangled[1]


# ------------------------------------------------------------------------------------ SBI


def test_sbi_list_is_complete_at_class_level() -> None:
    table = sbi_table()
    classes = [c for c in table if len(c) == 4]
    divisions = [c for c in table if len(c) == 2]
    assert len(classes) == 615  # NACE Rev. 2 classes
    assert len(divisions) == 88  # NACE Rev. 2 divisions
    assert all(c[:2] in table for c in classes)
    assert {e.section for e in table.values()} == set("ABCDEFGHIJKLMNOPQRSTU")
    assert all(e.description_nl and e.description_en for e in table.values())


@pytest.mark.parametrize(
    ("code", "section"),
    [
        ("4941", "H"),
        ("2562", "C"),
        ("6920", "M"),
        ("0111", "A"),
        ("3511", "D"),
        ("4120", "F"),
        ("4690", "G"),
        ("9900", "U"),
        ("01", "A"),
        ("10711", "C"),  # a Dutch subclass of 1071
        ("011", "A"),  # a group
    ],
)
def test_known_sbi_codes(code: str, section: str) -> None:
    assert check_sbi(code) is None
    assert sbi_section(code) == section


def test_sbi_descriptions() -> None:
    assert sbi_description("4941", "en") == "Freight transport by road"
    assert sbi_description("4941") == "Goederenvervoer over de weg (geen verhuizingen)"
    assert sbi_description("10711", "en") == sbi_description("1071", "en")
    assert sbi_description("9999") is None
    assert sbi_section("9999") is None


def test_sbi_lost_leading_zero_is_named() -> None:
    msg = check_sbi("111")
    assert msg is not None
    assert "'0111'" in msg[0] and "voorloopnul" in msg[0]
    assert "leading zero" in msg[1]
    # 1071 given as a number is a real code and fine
    assert check_sbi(1071) is None
    # 1131 given for the subclass 01131
    msg = check_sbi(1131)
    assert msg is not None and "'01131'" in msg[1]


def test_sbi_unknown_and_malformed() -> None:
    unknown = check_sbi("9999")
    assert unknown is not None and "Unknown SBI code '9999'" in unknown[1]
    assert check_sbi("49A1") is not None
    assert check_sbi("123456") is not None
    assert not is_known_sbi("3400")  # division 34 does not exist in NACE Rev. 2


def test_sbi_dotted_form_is_normalised() -> None:
    assert normalize_sbi("49.41") == "4941"
    assert check_sbi("49.41") is None


# ------------------------------------------------------------------------------- postcode


@pytest.mark.parametrize("value", ["7903 AB", "7903AB", "7903ab", " 1234 zz "])
def test_valid_postcodes(value: str) -> None:
    assert check_postcode(value) is None


@pytest.mark.parametrize("value", ["0903 AB", "790 AB", "7903 A", "7903 SS", "ABCD 12", "79031AB"])
def test_bad_postcodes(value: str) -> None:
    msg = check_postcode(value)
    assert msg is not None and "7903 AB" in msg[0] and "7903 AB" in msg[1]


def test_normalize_postcode() -> None:
    assert normalize_postcode("7903ab") == "7903 AB"
    assert normalize_postcode("geen") == "geen"
