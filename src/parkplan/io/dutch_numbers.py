"""Reading numbers and identifiers the way Dutch spreadsheets write them.

Dutch Excel writes ``1.234,5`` for one thousand two hundred thirty-four and a half: a
decimal comma and a dot to group thousands. CSV files saved by Dutch Excel use ``;`` as the
field separator. Identifier columns (EAN, KvK, SBI, postcode) must stay text: Excel turns
an 18-digit EAN in a number column into ``8,71234E+17`` and drops the leading zeros of a
KvK number or SBI code. The functions here parse such text exactly (via :mod:`decimal`, so
``"1.234,5"`` gives exactly ``1234.5``) and recognise the mangled forms so that the user is
told what happened instead of silently getting a wrong number.

Every parser returns the parsed value or raises :class:`CellError` with a Dutch and an
English message; the caller adds file, row and column.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

EMPTY_WORDS = frozenset({"", "-", "--", "n.v.t.", "nvt", "n.b.", "nb", "onbekend", "?", "n/a"})
"""Cell texts that mean "no value" in Dutch inventories."""

_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_THOUSANDS_SPACE = re.compile(r"^[+-]?\d{1,3}( \d{3})+([.,]\d*)?$")
_PLAIN = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_SCIENTIFIC = re.compile(r"^[+-]?\d+([.,]\d+)?[eE][+-]?\d+$")
_POSTCODE = re.compile(r"^([1-9]\d{3})\s?([A-Za-z]{2})$")


class CellError(ValueError):
    """A cell value that cannot be used, with the reason in Dutch and English."""

    def __init__(self, nl: str, en: str, code: str = "invalid") -> None:
        super().__init__(en)
        self.nl = nl
        self.en = en
        self.code = code


def is_empty(value: object) -> bool:
    """True for ``None``, blank text and the Dutch words for "unknown" (``n.v.t.``, ``-``)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and clean_text(value).lower() in EMPTY_WORDS


def clean_text(value: str) -> str:
    """Text with non-breaking spaces made plain and the ends stripped."""
    return value.replace("\u00a0", " ").replace("\u202f", " ").strip()


def parse_decimal(value: object, *, decimal_sep: str = ",") -> Decimal:
    """A number from a cell: an Excel number, or text in Dutch or English notation.

    Parameters
    ----------
    value
        ``int``/``float`` from a spreadsheet cell, or text such as ``"1.234,5"``,
        ``"1234,5"``, ``"1 234,5"``, ``"0.55"`` or ``"€ 1.200"``.
    decimal_sep
        The decimal separator of the file: ``","`` for Dutch files (``;``-separated CSV,
        the default), ``"."`` for English ones. It only decides the ambiguous case of one
        separator followed by exactly three digits (``"1.234"`` is 1234 in a Dutch file).

    Returns
    -------
    Decimal
        The exact value (``float(result)`` is the nearest double).
    """
    if isinstance(value, bool):
        raise CellError("verwacht een getal, geen ja/nee", "expected a number, not yes/no")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError("verwacht een eindig getal", "expected a finite number")
        return Decimal(repr(value))
    if not isinstance(value, str):
        raise CellError("verwacht een getal", "expected a number", code="not_a_number")
    text = clean_text(value)
    for sign in ("€", "EUR", "eur"):
        text = text.replace(sign, "")
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):  # accounting notation for negatives
        text = "-" + text[1:-1].strip()
    normalised = _normalise(text, decimal_sep)
    if normalised is None:
        raise CellError(
            "verwacht een getal, bijvoorbeeld 1.234,5 of 1234,5",
            "expected a number, e.g. 1.234,5 or 1234.5",
            code="not_a_number",
        )
    try:
        return Decimal(normalised)
    except InvalidOperation:  # pragma: no cover - the patterns above only let numbers through
        raise CellError("verwacht een getal", "expected a number", code="not_a_number") from None


def _normalise(text: str, decimal_sep: str) -> str | None:
    """Text in Python notation (``1234.5``), or ``None`` when it is not a number."""
    if _SCIENTIFIC.match(text):
        return text.replace(",", ".")
    if _THOUSANDS_SPACE.match(text):
        text = text.replace(" ", "")
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        if _THOUSANDS_DOT.match(text):
            return text.replace(".", "").replace(",", ".")
        if _THOUSANDS_COMMA.match(text):
            return text.replace(",", "")
        return None
    if has_dot and text.count(".") > 1:
        return text.replace(".", "") if _THOUSANDS_DOT.match(text) else None
    if has_comma and text.count(",") > 1:
        return text.replace(",", "") if _THOUSANDS_COMMA.match(text) else None
    if not _PLAIN.match(text):
        return None
    if has_dot and decimal_sep == "," and _THOUSANDS_DOT.match(text):
        return text.replace(".", "")  # "1.234" in a Dutch file: one thousand two hundred ...
    if has_comma and decimal_sep == "." and _THOUSANDS_COMMA.match(text):
        return text.replace(",", "")  # "1,234" in an English file
    return text.replace(",", ".")


def parse_number(
    value: object,
    *,
    decimal_sep: str = ",",
    integer: bool = False,
    minimum: float | None = 0.0,
    maximum: float | None = None,
    percent_as_fraction: bool = False,
    factor: Decimal | int = 1,
) -> float | int:
    """A non-negative number from a cell, as ``float`` (or ``int`` with ``integer=True``).

    Parameters
    ----------
    value
        The cell value (see :func:`parse_decimal`).
    decimal_sep
        Decimal separator of the file, ``","`` or ``"."``.
    integer
        Require a whole number and return ``int``.
    minimum
        Smallest allowed value; ``None`` for no bound. Default 0: no negative values.
    maximum
        Largest allowed value; ``None`` for no bound.
    percent_as_fraction
        Accept ``"55%"`` and return 0.55 (for fractions such as the usable roof share).
    factor
        Multiply by this exact factor first, e.g. 1000 for a column in MWh read as kWh.
    """
    percent = False
    if isinstance(value, str) and percent_as_fraction and clean_text(value).endswith("%"):
        percent = True
        value = clean_text(value)[:-1]
    number = parse_decimal(value, decimal_sep=decimal_sep) * Decimal(factor)
    if percent:
        number = number / Decimal(100)
    if minimum is not None and number < Decimal(str(minimum)):
        if minimum == 0:
            raise CellError("mag niet negatief zijn", "must not be negative", code="negative")
        raise CellError(
            f"moet minstens {format_dutch(minimum)} zijn",
            f"must be at least {minimum}",
            code="out_of_range",
        )
    if maximum is not None and number > Decimal(str(maximum)):
        raise CellError(
            f"mag hoogstens {format_dutch(maximum)} zijn",
            f"must be at most {maximum}",
            code="out_of_range",
        )
    if integer:
        if number != number.to_integral_value():
            raise CellError("verwacht een geheel getal", "expected a whole number")
        return int(number)
    return float(number)


def format_dutch(value: float | int) -> str:
    """A number in Dutch notation: ``1234.5`` -> ``"1.234,5"``."""
    if isinstance(value, int) or float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.10f}".rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _digits_from_number(value: float | int) -> str:
    """The digits of a whole number stored in a numeric cell (``1234567.0`` -> ``"1234567"``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_identifier(
    value: object,
    *,
    name_nl: str,
    name_en: str,
    lengths: tuple[int, ...],
    leading_zero_hint: bool = True,
) -> str:
    """A numeric identifier (EAN, KvK, SBI, BAG id) as text, refusing what Excel mangled.

    Parameters
    ----------
    value
        The cell value: text from a text column, or an ``int``/``float`` when the column was
        numeric in Excel.
    name_nl, name_en
        The identifier's name for messages, e.g. ``"KvK-nummer"`` / ``"KvK number"``.
    lengths
        The allowed numbers of digits, e.g. ``(8,)`` for KvK, ``(2, 3, 4, 5)`` for SBI.
    leading_zero_hint
        Say that leading zeros were probably lost when the value is too short.

    Raises
    ------
    CellError
        With code ``excel_scientific`` for ``8,71234E+17``, ``lost_leading_zeros`` when a
        number cell (or a too short text) lost its leading zeros, ``bad_identifier`` for
        other text.
    """
    numeric_cell = isinstance(value, int | float) and not isinstance(value, bool)
    if numeric_cell:
        assert isinstance(value, int | float)
        if isinstance(value, float) and (abs(value) >= 1e15 or not value.is_integer()):
            raise _scientific(name_nl, name_en)
        text = _digits_from_number(value)
    else:
        text = clean_text(str(value)).replace(" ", "").replace(".", "") if value else ""
        raw = clean_text(str(value))
        if _SCIENTIFIC.match(raw):
            raise _scientific(name_nl, name_en)
        if raw.endswith((".0", ",0")) and raw[:-2].isdigit():
            text = raw[:-2]  # a number cell exported as "1234567.0"
    if not text.isdigit():
        raise CellError(
            f"{name_nl} mag alleen cijfers bevatten ({_lengths_nl(lengths)})",
            f"{name_en} must contain digits only ({_lengths_en(lengths)})",
            code="bad_identifier",
        )
    if len(text) in lengths:
        return text
    if leading_zero_hint and len(text) < max(lengths):
        fixed = text.zfill(min(n for n in lengths if n > len(text)))
        raise CellError(
            f"{name_nl} heeft te weinig cijfers: de voorloopnullen zijn waarschijnlijk "
            f"weggevallen omdat de kolom in Excel als getal stond (bedoeld: {fixed}?). "
            f"Zet de kolom op 'Tekst' en vul de waarde opnieuw in",
            f"{name_en} has too few digits: the leading zeros were probably dropped because "
            f"the column was numeric in Excel (meant: {fixed}?). Format the column as text "
            f"and enter the value again",
            code="lost_leading_zeros",
        )
    raise CellError(
        f"{name_nl} moet {_lengths_nl(lengths)} hebben, gevonden {len(text)} cijfers",
        f"{name_en} must have {_lengths_en(lengths)}, found {len(text)} digits",
        code="bad_identifier",
    )


def _scientific(name_nl: str, name_en: str) -> CellError:
    return CellError(
        f"{name_nl} staat in wetenschappelijke notatie (zoals 8,71234E+17): Excel heeft de "
        f"kolom als getal opgeslagen en daarbij cijfers weggegooid. Zet de kolom op 'Tekst' "
        f"en vul de volledige waarde opnieuw in",
        f"{name_en} is in scientific notation (like 8.71234E+17): Excel stored the column "
        f"as a number and dropped digits. Format the column as text and enter the full value "
        f"again",
        code="excel_scientific",
    )


def _lengths_nl(lengths: tuple[int, ...]) -> str:
    if len(lengths) == 1:
        return f"{lengths[0]} cijfers"
    return f"{', '.join(map(str, lengths[:-1]))} of {lengths[-1]} cijfers"


def _lengths_en(lengths: tuple[int, ...]) -> str:
    if len(lengths) == 1:
        return f"{lengths[0]} digits"
    return f"{', '.join(map(str, lengths[:-1]))} or {lengths[-1]} digits"


def parse_ean(value: object) -> str:
    """An 18-digit EAN code as text (the GS1 check digit is checked by the park-file rules)."""
    text = parse_identifier(
        value, name_nl="EAN-code", name_en="EAN code", lengths=(18,), leading_zero_hint=False
    )
    if text.endswith("000") and not _ean_check_digit_ok(text):
        raise CellError(
            "EAN-code eindigt op nullen en het controlecijfer klopt niet: Excel bewaart "
            "getallen met 15 cijfers en heeft de laatste cijfers door nullen vervangen. Zet de "
            "kolom op 'Tekst' en vul de volledige waarde opnieuw in",
            "EAN code ends in zeros and its check digit is wrong: Excel keeps numbers to 15 "
            "digits and replaced the last digits by zeros. Format the column as text and "
            "enter the full value again",
            code="excel_rounded",
        )
    return text


def _ean_check_digit_ok(text: str) -> bool:
    """True when the last digit is the GS1 mod-10 check digit of the others."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(text[:-1])))
    return int(text[-1]) == (10 - total % 10) % 10


def parse_kvk(value: object) -> str:
    """A KvK number: 8 digits as text."""
    return parse_identifier(value, name_nl="KvK-nummer", name_en="KvK number", lengths=(8,))


def parse_bag_id(value: object) -> str:
    """A BAG pand id: 16 digits as text."""
    return parse_identifier(value, name_nl="BAG pand-id", name_en="BAG building id", lengths=(16,))


def parse_sbi(value: object) -> str:
    """An SBI code (2 to 5 digits) as text, refusing one that lost its leading zero.

    SBI codes of agriculture, forestry and fishing start with ``0`` (``0111``); a number
    column in Excel turns that into ``111``. A one-digit code, or a number cell whose code
    is unknown while the same code with a leading ``0`` is known, has lost its zero. (Text
    codes are checked against the SBI list by the park-file rules.)
    """
    numeric_cell = isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(value, str):
        value = clean_text(value).replace(".", "")  # "49.41" is written for 4941
    text = parse_identifier(value, name_nl="SBI-code", name_en="SBI code", lengths=(1, 2, 3, 4, 5))
    if len(text) == 1 or (numeric_cell and _lost_sbi_zero(text)):
        raise CellError(
            f"SBI-code zonder voorloopnul: de kolom stond in Excel als getal "
            f"(bedoeld: 0{text}?). Zet de kolom op 'Tekst' en vul de code opnieuw in",
            f"SBI code without its leading zero: the column was numeric in Excel "
            f"(meant: 0{text}?). Format the column as text and enter the code again",
            code="lost_leading_zeros",
        )
    return text


def _lost_sbi_zero(text: str) -> bool:
    """True when ``text`` is no SBI code but ``"0" + text`` is one."""
    if len(text) >= 5:
        return False
    try:
        from parkplan.domain.identifiers import sbi_table

        table = sbi_table()
    except (ImportError, OSError):  # the SBI list is not available: judge by length
        return len(text) == 3
    return text not in table and "0" + text in table


def parse_postcode(value: object) -> str:
    """A Dutch postcode, normalised to ``"1234 AB"`` (with or without a space in the cell)."""
    text = clean_text(str(value)) if not isinstance(value, float) else str(int(value))
    match = _POSTCODE.match(text)
    if not match:
        raise CellError(
            "verwacht een Nederlandse postcode: 4 cijfers en 2 letters, zoals 7903 AB",
            "expected a Dutch postcode: 4 digits and 2 letters, like 7903 AB",
            code="bad_postcode",
        )
    return f"{match.group(1)} {match.group(2).upper()}"


def normalise_header(text: str) -> str:
    """A header for matching: lower case, no accents, only letters and digits."""
    decomposed = unicodedata.normalize("NFKD", clean_text(text).lower())
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_text = ascii_text.replace("²", "2").replace("³", "3")
    return re.sub(r"[^a-z0-9]+", "", ascii_text)
