"""Checks of Dutch business identifiers: EAN (grid connection), KvK, SBI and postcode.

Pure functions. A ``check_*`` function returns ``None`` when the value is fine, or a
message pair ``(nl, en)`` that says what was found and what was expected. Values that a
spreadsheet turned into numbers are recognised and named as such: an EAN shown as
``8,71234E+17`` (Excel keeps only 15 significant digits, so the EAN is lost), a KvK number
or SBI code that lost its leading zero.

The SBI list (Standaard Bedrijfsindeling 2008, CBS, based on NACE Rev. 2) is read from
``parkplan/refdata/sbi.csv``; see ``docs/parkfile.md`` for its coverage.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

Message = tuple[str, str]
"""A message in Dutch and English."""

EAN_LENGTH = 18
"""Dutch grid connections are identified by an 18-digit EAN (GS1 GSRN)."""
KVK_LENGTH = 8

_EXCEL_NUMBER = re.compile(r"^\s*\d(?:[.,]\d+)?\s*[eE]\s*\+?\s*\d+\s*$")
_DIGITS = re.compile(r"^\d+$")
_POSTCODE = re.compile(r"^([1-9]\d{3})\s?([A-Za-z]{2})$")
_POSTCODE_EXCLUDED_LETTERS = frozenset({"SA", "SD", "SS"})
"""Letter combinations PostNL does not issue."""


def is_excel_number(value: object) -> bool:
    """True when ``value`` looks like a number that a spreadsheet wrote in E-notation or as
    a float, e.g. ``'8,71234E+17'``, ``'8.71234567890001E+17'`` or ``8.71e17``."""
    if isinstance(value, float):
        return True
    return isinstance(value, str) and bool(_EXCEL_NUMBER.match(value))


def _as_text(value: object) -> str:
    """An identifier as text: integers without sign, strings stripped of blanks."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip().replace(" ", "")


# --------------------------------------------------------------------------------------- EAN


def ean_check_digit(body: str) -> int:
    """GS1 mod-10 check digit of the digits ``body`` (the identifier without its last digit).

    Weights 3 and 1 alternate from the right, starting with 3 next to the check digit.
    """
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def normalize_ean(value: object) -> str:
    """An EAN as text: blanks removed; an exact integer written out in full."""
    return _as_text(value)


def check_ean(value: object) -> Message | None:
    """``None`` when ``value`` is a valid 18-digit EAN with a correct GS1 check digit."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ("EAN ontbreekt; verwacht 18 cijfers.", "EAN is missing; expected 18 digits.")
    if is_excel_number(value):
        return (
            "EAN is door Excel omgezet in een getal (wetenschappelijke notatie) en daardoor "
            "onherstelbaar afgerond; zet de kolom op 'Tekst' en vul de 18 cijfers opnieuw in.",
            "EAN was turned into a number by Excel (scientific notation) and rounded beyond "
            "repair; format the column as 'Text' and enter the 18 digits again.",
        )
    text = normalize_ean(value)
    if not _DIGITS.match(text):
        return (
            "EAN mag alleen cijfers bevatten; verwacht 18 cijfers.",
            "EAN may contain digits only; expected 18 digits.",
        )
    if len(text) != EAN_LENGTH:
        hint_nl = hint_en = ""
        if len(text) < EAN_LENGTH and isinstance(value, int):
            hint_nl = " (voorloopnullen verloren doordat het als getal is opgeslagen?)"
            hint_en = " (leading zeros lost because it was stored as a number?)"
        return (
            f"EAN heeft {len(text)} cijfers; verwacht 18{hint_nl}.",
            f"EAN has {len(text)} digits; expected 18{hint_en}.",
        )
    expected = ean_check_digit(text[:-1])
    if int(text[-1]) != expected:
        return (
            f"EAN heeft een onjuist controlecijfer: {text[-1]}, verwacht {expected} (GS1 "
            "modulo 10); controleer op een tikfout.",
            f"EAN has a wrong check digit: {text[-1]}, expected {expected} (GS1 modulo 10); "
            "check for a typing error.",
        )
    return None


# --------------------------------------------------------------------------------------- KvK


def normalize_kvk(value: object) -> str:
    """A KvK number as text (blanks removed)."""
    return _as_text(value)


def check_kvk(value: object) -> Message | None:
    """``None`` when ``value`` is a KvK number: exactly 8 digits, as text.

    KvK numbers have no check digit. A 7-digit value probably lost its leading zero in a
    spreadsheet; that is named.
    """
    if is_excel_number(value) and not isinstance(value, float):
        return (
            "KvK-nummer is door Excel omgezet in een getal (wetenschappelijke notatie); "
            "verwacht 8 cijfers als tekst.",
            "KvK number was turned into a number by Excel (scientific notation); expected "
            "8 digits as text.",
        )
    text = normalize_kvk(value)
    if not _DIGITS.match(text):
        return (
            "KvK-nummer mag alleen cijfers bevatten; verwacht 8 cijfers.",
            "KvK number may contain digits only; expected 8 digits.",
        )
    if len(text) == KVK_LENGTH - 1:
        return (
            f"KvK-nummer heeft 7 cijfers; waarschijnlijk is de voorloopnul weggevallen "
            f"(Excel maakte er een getal van): bedoeld is vermoedelijk '0{text}'. Verwacht 8 "
            "cijfers als tekst.",
            f"KvK number has 7 digits; probably its leading zero was lost (Excel turned it "
            f"into a number): '0{text}' was probably meant. Expected 8 digits as text.",
        )
    if len(text) != KVK_LENGTH:
        return (
            f"KvK-nummer heeft {len(text)} cijfers; verwacht 8 (een vestigingsnummer heeft er 12).",
            f"KvK number has {len(text)} digits; expected 8 (a branch number has 12).",
        )
    return None


# --------------------------------------------------------------------------------------- SBI


@dataclass(frozen=True)
class SbiCode:
    """One entry of the SBI 2008 list."""

    code: str
    description_nl: str
    description_en: str
    section: str


@lru_cache(maxsize=1)
def sbi_table() -> dict[str, SbiCode]:
    """The SBI 2008 list from ``refdata/sbi.csv``, keyed by code (digits, no dots)."""
    text = resources.files("parkplan.refdata").joinpath("sbi.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    table: dict[str, SbiCode] = {}
    for row in csv.DictReader(lines):
        code = row["code"].strip()
        table[code] = SbiCode(
            code=code,
            description_nl=row["description_nl"].strip(),
            description_en=row["description_en"].strip(),
            section=row["section"].strip(),
        )
    return table


def normalize_sbi(value: object) -> str:
    """An SBI code as digits only: ``'49.41'`` and ``'4941'`` both become ``'4941'``."""
    return _as_text(value).replace(".", "")


@lru_cache(maxsize=1)
def _sbi_groups() -> frozenset[str]:
    """3-digit groups: every prefix of a 4-digit class (each group has at least one class)."""
    return frozenset(code[:3] for code in sbi_table() if len(code) == 4)


def is_known_sbi(code: str) -> bool:
    """True for a listed division (2 digits) or class (4 digits), a group derived from the
    classes (3 digits), or a Dutch subclass (5 digits) of a listed class."""
    table = sbi_table()
    if len(code) in (2, 4):
        return code in table
    if len(code) == 3:
        return code in _sbi_groups()
    if len(code) == 5:
        return code[:4] in table
    return False


def check_sbi(value: object) -> Message | None:
    """``None`` when ``value`` is a known SBI 2008 code (2, 3, 4 or 5 digits, as text).

    The list is complete at the 4-digit level (all NACE Rev. 2 classes); a 5-digit Dutch
    subclass is accepted when its 4-digit class exists.
    """
    text = normalize_sbi(value)
    if is_excel_number(value) and not isinstance(value, float):
        return (
            "SBI-code is door Excel omgezet in een getal; verwacht een SBI-code als tekst.",
            "SBI code was turned into a number by Excel; expected an SBI code as text.",
        )
    if not _DIGITS.match(text):
        return (
            "SBI-code mag alleen cijfers bevatten; verwacht een code uit de SBI 2008, "
            "bijvoorbeeld '4941'.",
            "SBI code may contain digits only; expected a code of SBI 2008, e.g. '4941'.",
        )
    if is_known_sbi(text):
        return None
    padded = "0" + text
    if is_known_sbi(padded):
        nl_desc = sbi_description(padded, "nl")
        en_desc = sbi_description(padded, "en")
        return (
            f"SBI-code '{text}' bestaat niet; waarschijnlijk is de voorloopnul weggevallen "
            f"(Excel maakte er een getal van): bedoeld is vermoedelijk '{padded}' "
            f"({nl_desc}). Vul SBI-codes in als tekst.",
            f"SBI code '{text}' does not exist; probably its leading zero was lost (Excel "
            f"turned it into a number): '{padded}' was probably meant ({en_desc}). Enter SBI "
            "codes as text.",
        )
    return (
        f"Onbekende SBI-code '{text}'; verwacht een code uit de SBI 2008 (CBS), op 2-, 3-, "
        "4- of 5-cijferig niveau.",
        f"Unknown SBI code '{text}'; expected a code of SBI 2008 (CBS), at the 2-, 3-, 4- or "
        "5-digit level.",
    )


def sbi_description(code: str, lang: Literal["nl", "en"] = "nl") -> str | None:
    """Description of an SBI code, or of its nearest known parent; ``None`` when unknown."""
    entry = _sbi_entry(code)
    if entry is None:
        return None
    return entry.description_nl if lang == "nl" else entry.description_en


def sbi_section(code: str) -> str | None:
    """The SBI section letter (A-U) of a code; ``None`` when the code is unknown."""
    entry = _sbi_entry(code)
    return entry.section if entry else None


def sbi_division(code: str) -> str | None:
    """The 2-digit division of a known code (``'4941'`` -> ``'49'``); ``None`` if unknown."""
    entry = _sbi_entry(code)
    return entry.code[:2] if entry else None


def _sbi_entry(code: str) -> SbiCode | None:
    text = normalize_sbi(code)
    if not _DIGITS.match(text) or not is_known_sbi(text):
        return None
    table = sbi_table()
    for n in range(len(text), 1, -1):
        if text[:n] in table:
            return table[text[:n]]
    return None


# ---------------------------------------------------------------------------------- postcode


def normalize_postcode(value: object) -> str:
    """A Dutch postcode in its standard form ``'1234 AB'`` (unchanged when not a postcode)."""
    text = str(value).strip()
    m = _POSTCODE.match(text)
    if not m:
        return text
    return f"{m.group(1)} {m.group(2).upper()}"


def check_postcode(value: object) -> Message | None:
    """``None`` when ``value`` is a Dutch postcode: four digits (not starting with 0) and
    two letters, e.g. ``'7903 AB'`` (``'7903ab'`` is accepted and normalised)."""
    text = str(value).strip()
    m = _POSTCODE.match(text)
    if not m or m.group(2).upper() in _POSTCODE_EXCLUDED_LETTERS:
        return (
            "Ongeldige postcode; verwacht vier cijfers en twee letters, bijvoorbeeld '7903 AB'.",
            "Invalid postcode; expected four digits and two letters, e.g. '7903 AB'.",
        )
    return None
