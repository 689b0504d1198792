"""Reference tables with sources: reading, validating, looking up and overriding.

Every ``*.csv`` file in this package directory with the standard columns
``key,value,unit,year,source,indicative,note`` is one reference table. One row is one figure:

- ``key``: dotted name, e.g. ``energy_tax.electricity.2.eur_per_kwh``.
- ``value``: a number (decimal point), ``unknown`` for a figure not yet published for that
  year, or free text when ``unit`` is ``text`` (or ``profile``, ``code``, ``category``).
- ``unit``: always filled in (``kg/kWh``, ``EUR/kWh``, ``fraction``, ``bool`` ...).
- ``year``: the year the figure applies to; empty for timeless values.
- ``source``: always filled in (publication, web address).
- ``indicative``: ``true`` for weakly sourced figures ([check] items), else ``false``.
- ``note``: free text.

An optional eighth column ``carry_forward`` (``true``/``false``, empty = ``true``) says whether
the latest figure may be used for a later year. Year-specific figures (``false``: energy tax,
grid tariffs) are never carried forward: asking for a later year gives *unknown*.

Lookups are recorded so that reports can list which values they used
(:meth:`RefData.used`). Per-park overrides (``Park.refdata_overrides``) replace figures and
are marked ``overridden``.

The module uses only the standard library so that importing it is fast.
"""

from __future__ import annotations

import csv
import hashlib
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from parkplan.domain.errors import ParkplanError, Problem, ValidationError, error

STANDARD_COLUMNS: tuple[str, ...] = (
    "key",
    "value",
    "unit",
    "year",
    "source",
    "indicative",
    "note",
)
OPTIONAL_COLUMNS: tuple[str, ...] = ("carry_forward",)
UNKNOWN = "unknown"
"""The ``value`` of a figure that is not (yet) published for its year."""
TEXT_UNIT = "text"
TEXT_UNITS: frozenset[str] = frozenset({TEXT_UNIT, "profile", "code", "category"})
"""Units whose values are text (names, codes), not numbers."""
BOOL_UNIT = "bool"
FRACTION_UNITS: frozenset[str] = frozenset({"fraction", "share"})
BOUNDS_PREFIX = "bounds."
"""Keys ``bounds.min.<prefix>`` / ``bounds.max.<prefix>`` bound overrides of ``<prefix>*``."""

REFDATA_DIR = Path(__file__).resolve().parent

Status = Literal["ok", "unknown"]
_TRUE = frozenset({"true", "1", "yes", "ja", "waar"})
_FALSE = frozenset({"false", "0", "no", "nee", "onwaar", ""})


@dataclass(frozen=True)
class RefValue:
    """One reference figure with its unit, year and source.

    ``value`` is a float for numbers, a str for ``unit == 'text'`` and ``None`` when the
    figure is unknown for the requested year (``status == 'unknown'``).
    """

    key: str
    value: Any
    unit: str
    year: int | None
    source: str
    indicative: bool
    note: str = ""
    overridden: bool = False
    status: Status = "ok"
    file: str = ""
    row: int | None = None
    carry_forward: bool = True

    @property
    def known(self) -> bool:
        """True when the figure has a value."""
        return self.status == "ok"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (for the report appendix "which values were used")."""
        return {
            "key": self.key,
            "value": self.value,
            "unit": self.unit,
            "year": self.year,
            "source": self.source,
            "indicative": self.indicative,
            "note": self.note,
            "overridden": self.overridden,
            "status": self.status,
        }


class RefDataError(ParkplanError, KeyError):
    """A reference figure does not exist, or has no value for the requested year."""

    def __init__(self, nl: str, en: str, key: str, year: int | None = None) -> None:
        ParkplanError.__init__(self, nl, en)
        self.key = key
        self.year = year

    def __str__(self) -> str:
        return self.en


class UnknownValueError(RefDataError):
    """The figure exists but is not (yet) published for the requested year; never guessed."""


# --------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------


def _parse_bool(text: str) -> bool | None:
    t = text.strip().lower()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    return None


def _parse_number(text: str) -> float | None:
    t = text.strip().replace("_", "")
    try:
        x = float(t)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def read_table(path: Path) -> tuple[list[RefValue], list[Problem]]:
    """Read one reference CSV.

    Parameters
    ----------
    path
        A CSV file with the standard columns.

    Returns
    -------
    (rows, problems)
        The rows that parsed, and every problem found (file and row named). A file that does
        not have the standard columns yields no rows and no problems: it is not a reference
        table.
    """
    name = path.name
    rows: list[RefValue] = []
    problems: list[Problem] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            return rows, problems
        if not set(STANDARD_COLUMNS) <= set(header):
            return rows, problems
        extra = [h for h in header if h not in STANDARD_COLUMNS + OPTIONAL_COLUMNS]
        if extra:
            problems.append(
                error(
                    "header",
                    f"onbekende kolom(men) {extra}; verwacht: {', '.join(STANDARD_COLUMNS)}"
                    f" (en optioneel carry_forward)",
                    f"unknown column(s) {extra}; expected: {', '.join(STANDARD_COLUMNS)}"
                    f" (and optionally carry_forward)",
                    code="bad_header",
                ).located(file=name, row=1)
            )
        col = {h: i for i, h in enumerate(header)}
        for rownum, raw in enumerate(reader, start=2):
            if not raw or all(not c.strip() for c in raw) or raw[0].lstrip().startswith("#"):
                continue
            rec = {h: (raw[i].strip() if i < len(raw) else "") for h, i in col.items()}
            row_problems: list[Problem] = []

            def bad(
                column: str,
                nl: str,
                en: str,
                value: Any,
                code: str,
                _out: list[Problem] = row_problems,
                _row: int = rownum,
            ) -> None:
                _out.append(
                    error(f"{name}:{_row}", nl, en, value=value, code=code).located(
                        file=name, row=_row, column=column
                    )
                )

            key, unit, source = rec["key"], rec["unit"], rec["source"]
            if not key:
                bad("key", "sleutel ontbreekt", "key is missing", None, "missing")
            if not unit:
                bad(
                    "unit",
                    f"eenheid ontbreekt bij {key}",
                    f"unit is missing for {key}",
                    None,
                    "missing",
                )
            if not source:
                bad(
                    "source",
                    f"bron ontbreekt bij {key}",
                    f"source is missing for {key}",
                    None,
                    "missing",
                )
            year: int | None = None
            if rec["year"]:
                try:
                    year = int(rec["year"])
                except ValueError:
                    bad(
                        "year",
                        "jaar is geen geheel getal",
                        "year is not a whole number",
                        rec["year"],
                        "not_a_number",
                    )
            indicative = _parse_bool(rec["indicative"])
            if indicative is None:
                bad(
                    "indicative",
                    "indicative moet true of false zijn",
                    "indicative must be true or false",
                    rec["indicative"],
                    "not_a_bool",
                )
            carry_text = rec.get("carry_forward", "")
            carry_forward = _parse_bool(carry_text) if carry_text else True
            if carry_forward is None:
                bad(
                    "carry_forward",
                    "carry_forward moet true of false zijn",
                    "carry_forward must be true or false",
                    carry_text,
                    "not_a_bool",
                )
            text = rec["value"]
            status: Status = "ok"
            value: Any
            if text.lower() == UNKNOWN:
                value, status = None, "unknown"
            elif unit in TEXT_UNITS:
                value = text
            else:
                value = _parse_number(text)
                if value is None:
                    bad(
                        "value",
                        f"waarde van {key} is geen getal (gebruik een punt als "
                        f"decimaalteken, of 'unknown')",
                        f"value of {key} is not a number (use a decimal point, or 'unknown')",
                        text,
                        "not_a_number",
                    )
                elif unit in FRACTION_UNITS and not 0.0 <= value <= 1.0:
                    bad(
                        "value",
                        f"{key}: een fractie ligt tussen 0 en 1",
                        f"{key}: a fraction lies between 0 and 1",
                        text,
                        "out_of_range",
                    )
                elif unit == BOOL_UNIT and value not in (0.0, 1.0):
                    bad(
                        "value",
                        f"{key}: een ja/nee-waarde is 0 of 1",
                        f"{key}: a yes/no value is 0 or 1",
                        text,
                        "out_of_range",
                    )
            if row_problems:
                problems.extend(row_problems)
                continue
            rows.append(
                RefValue(
                    key=key,
                    value=value,
                    unit=unit,
                    year=year,
                    source=source,
                    indicative=bool(indicative),
                    note=rec["note"],
                    status=status,
                    file=name,
                    row=rownum,
                    carry_forward=bool(carry_forward),
                )
            )
    return rows, problems


def _check_consistency(rows: Iterable[RefValue]) -> list[Problem]:
    """Duplicate key+year, mixed timeless/yearly rows, changing units or carry rules."""
    problems: list[Problem] = []
    seen: dict[tuple[str, int | None], RefValue] = {}
    first: dict[str, RefValue] = {}
    for r in rows:
        where = {"file": r.file, "row": r.row}
        prev = seen.get((r.key, r.year))
        if prev is not None:
            yr = "" if r.year is None else f" {r.year}"
            problems.append(
                error(
                    f"{r.file}:{r.row}",
                    f"dubbele sleutel {r.key}{yr} (al in {prev.file} rij {prev.row})",
                    f"duplicate key {r.key}{yr} (already in {prev.file} row {prev.row})",
                    value=r.key,
                    code="duplicate",
                ).located(column="key", **where)
            )
            continue
        seen[(r.key, r.year)] = r
        f = first.setdefault(r.key, r)
        if f is r:
            continue
        if (f.year is None) != (r.year is None):
            problems.append(
                error(
                    f"{r.file}:{r.row}",
                    f"{r.key} heeft zowel een rij zonder jaar als rijen met jaar",
                    f"{r.key} has both a row without a year and rows with a year",
                    value=r.key,
                    code="mixed_years",
                ).located(column="year", **where)
            )
        if f.unit != r.unit:
            problems.append(
                error(
                    f"{r.file}:{r.row}",
                    f"{r.key}: eenheid {r.unit!r} wijkt af van {f.unit!r} ({f.file} rij {f.row})",
                    f"{r.key}: unit {r.unit!r} differs from {f.unit!r} ({f.file} row {f.row})",
                    value=r.unit,
                    code="unit_mismatch",
                ).located(column="unit", **where)
            )
        if f.carry_forward != r.carry_forward:
            problems.append(
                error(
                    f"{r.file}:{r.row}",
                    f"{r.key}: carry_forward wijkt af van {f.file} rij {f.row}",
                    f"{r.key}: carry_forward differs from {f.file} row {f.row}",
                    value=r.carry_forward,
                    code="carry_mismatch",
                ).located(column="carry_forward", **where)
            )
    return problems


def read_refdata_dir(directory: Path) -> tuple[list[RefValue], list[Problem]]:
    """Read and validate every reference CSV in ``directory`` (sorted by file name)."""
    rows: list[RefValue] = []
    problems: list[Problem] = []
    for path in sorted(directory.glob("*.csv")):
        r, p = read_table(path)
        rows.extend(r)
        problems.extend(p)
    problems.extend(_check_consistency(rows))
    return rows, problems


@lru_cache(maxsize=8)
def _load_dir_cached(directory: str) -> tuple[RefValue, ...]:
    rows, problems = read_refdata_dir(Path(directory))
    if any(p.severity == "error" for p in problems):
        raise ValidationError(problems=problems, source=f"refdata {directory}")
    return tuple(rows)


# --------------------------------------------------------------------------------------
# the lookup object
# --------------------------------------------------------------------------------------


def _index(rows: Iterable[RefValue]) -> dict[str, dict[int | None, RefValue]]:
    out: dict[str, dict[int | None, RefValue]] = {}
    for r in rows:
        out.setdefault(r.key, {})[r.year] = r
    return out


def _fmt_year(year: int | None) -> str:
    return "" if year is None else f" {year}"


@dataclass
class RefData:
    """All reference figures, with per-park overrides and a record of what was looked up."""

    _by_key: dict[str, dict[int | None, RefValue]]
    _used: dict[tuple[str, int | None], RefValue] = field(default_factory=dict, repr=False)

    # ---- basic access ------------------------------------------------------------------

    def keys(self) -> list[str]:
        """All keys, sorted."""
        return sorted(self._by_key)

    def __iter__(self) -> Iterator[str]:
        """Iterate over the keys, sorted."""
        return iter(self.keys())

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def years(self, key: str) -> list[int]:
        """The years for which ``key`` has a row (known or unknown)."""
        self._require_key(key)
        return sorted(y for y in self._by_key[key] if y is not None)

    def _require_key(self, key: str) -> dict[int | None, RefValue]:
        rows = self._by_key.get(key)
        if rows is None:
            near = [k for k in self._by_key if k.split(".", 1)[0] == key.split(".", 1)[0]][:5]
            hint_nl = f"; bestaande sleutels met dit voorvoegsel: {near}" if near else ""
            hint_en = f"; existing keys with this prefix: {near}" if near else ""
            raise RefDataError(
                f"onbekende referentiewaarde {key!r}{hint_nl}",
                f"unknown reference value {key!r}{hint_en}",
                key,
            )
        return rows

    def lookup(self, key: str, year: int | None = None) -> RefValue:
        """The figure for ``key`` in ``year``, or a ``RefValue`` with status ``unknown``.

        Rules: a timeless key (rows without a year) ignores ``year``. Otherwise the row for
        ``year`` is taken; failing that, the latest earlier row when the key may be carried
        forward; for year-specific keys (``carry_forward = false``) a later year is unknown.
        ``year=None`` on a yearly key takes the latest known year (carry-forward keys only).
        Unknown keys raise :class:`RefDataError`. The result is recorded in :meth:`used`.
        """
        rows = self._require_key(key)
        found = self._pick(key, rows, year)
        self._used[(key, year if found.year is not None else None)] = found
        return found

    def _pick(self, key: str, rows: dict[int | None, RefValue], year: int | None) -> RefValue:
        if None in rows:
            return rows[None]
        any_row = next(iter(rows.values()))
        known_years = sorted(y for y, r in rows.items() if y is not None)
        if year is None:
            if not any_row.carry_forward:
                raise RefDataError(
                    f"{key} verschilt per jaar: geef een jaar op (beschikbaar: {known_years})",
                    f"{key} differs per year: give a year (available: {known_years})",
                    key,
                )
            ok = [y for y in known_years if rows[y].known]
            return rows[ok[-1]] if ok else rows[known_years[-1]]
        if year in rows:
            return rows[year]
        earlier = [y for y in known_years if y < year]
        if earlier and any_row.carry_forward:
            r = rows[earlier[-1]]
            return r
        base = rows[earlier[-1]] if earlier else rows[known_years[0]]
        why_en = (
            "not published for this year (year-specific, never carried forward)"
            if earlier
            else f"no value before {known_years[0]}"
        )
        why_nl = (
            "niet gepubliceerd voor dit jaar (jaargebonden, wordt niet doorgetrokken)"
            if earlier
            else f"geen waarde voor {known_years[0]}"
        )
        return replace(
            base,
            value=None,
            year=year,
            status="unknown",
            note=f"{why_nl} / {why_en}",
            file="",
            row=None,
        )

    def get(self, key: str, year: int | None = None) -> RefValue:
        """The figure for ``key`` in ``year``; raises when it is unknown.

        Raises
        ------
        RefDataError
            The key does not exist.
        UnknownValueError
            The figure is not (yet) published for ``year``; it is never guessed.
        """
        r = self.lookup(key, year)
        if not r.known:
            rows = self._by_key.get(key, {})
            known = [y for y in self.years(key) if rows[y].known]
            nl_known = f"bekend voor: {known}" if known else "voor geen enkel jaar bekend"
            en_known = f"known for: {known}" if known else "not known for any year"
            raise UnknownValueError(
                f"referentiewaarde {key} is onbekend voor{_fmt_year(year)} (niet gepubliceerd "
                f"of niet gevonden; {nl_known}). Geef de waarde op via refdata_overrides in "
                f"het parkbestand.",
                f"reference value {key} is unknown for{_fmt_year(year)} (not published or not "
                f"found; {en_known}). Supply it through refdata_overrides in the park file.",
                key,
                year,
            )
        return r

    def value(self, key: str, year: int | None = None) -> float:
        """The number for ``key`` in ``year`` (see :meth:`get`). [unit of the key]"""
        r = self.get(key, year)
        if not isinstance(r.value, float):
            raise RefDataError(
                f"{key} is geen getal maar tekst",
                f"{key} is not a number but text",
                key,
                year,
            )
        return r.value

    def text(self, key: str, year: int | None = None) -> str:
        """The text of a ``unit == 'text'`` figure."""
        return str(self.get(key, year).value)

    def table(self, prefix: str) -> list[RefValue]:
        """All rows whose key starts with ``prefix`` (every year), sorted by key and year."""
        out = [
            r
            for k in sorted(self._by_key)
            if k.startswith(prefix)
            for _, r in sorted(self._by_key[k].items(), key=lambda kv: kv[0] or 0)
        ]
        return out

    def used(self) -> list[RefValue]:
        """The figures looked up so far (including unknown ones), sorted by key and year."""
        return sorted(self._used.values(), key=lambda r: (r.key, r.year or 0))

    def clear_used(self) -> None:
        """Forget the record of lookups."""
        self._used.clear()

    @property
    def version(self) -> str:
        """Short sha256 of the sorted contents of all tables (overrides included)."""
        h = hashlib.sha256()
        for key in sorted(self._by_key):
            for year in sorted(self._by_key[key], key=lambda y: -1 if y is None else y):
                r = self._by_key[key][year]
                h.update(
                    "\x1f".join(
                        [
                            r.key,
                            repr(r.value),
                            r.unit,
                            "" if r.year is None else str(r.year),
                            r.source,
                            str(r.indicative),
                            r.note,
                            str(r.overridden),
                        ]
                    ).encode()
                )
                h.update(b"\x1e")
        return h.hexdigest()[:12]

    # ---- overrides --------------------------------------------------------------------

    def with_overrides(self, overrides: Mapping[str, Any] | None) -> RefData:
        """A copy with per-park overrides applied (the original is unchanged).

        ``overrides`` maps a key to a number (``0.25`` or ``"0,25"``) that replaces the figure
        for every year (including years not yet published), or to a mapping
        ``{value, year?, source?, note?, indicative?}`` that replaces (or adds) one year
        (without ``year``: every year). Overridden figures keep their unit and are marked
        ``overridden``; ``indicative: true`` keeps a placeholder flagged as indicative.

        Raises
        ------
        ValidationError
            Unknown key, a value that is not a number, or a value outside the key's bounds
            (``bounds.min.<prefix>`` / ``bounds.max.<prefix>``; fractions 0-1).
        """
        if not overrides:
            return RefData(dict(self._by_key))
        by_key = {k: dict(v) for k, v in self._by_key.items()}
        problems: list[Problem] = []
        for key, spec in overrides.items():
            path = f"refdata_overrides.{key}"
            if key not in by_key:
                problems.append(
                    error(
                        path,
                        f"onbekende referentiewaarde {key!r}; zie docs/refdata.md voor de sleutels",
                        f"unknown reference value {key!r}; see docs/refdata.md for the keys",
                        value=key,
                        code="unknown_key",
                    )
                )
                continue
            rows = by_key[key]
            template = next(iter(rows.values()))
            year: int | None = None
            source = "override"
            note = ""
            indicative = False
            raw = spec
            if isinstance(spec, Mapping):
                raw = spec.get("value")
                indicative = spec.get("indicative") is True
                source = str(spec.get("source") or source)
                note = str(spec.get("note") or "")
                if spec.get("year") is not None:
                    try:
                        year = int(spec["year"])
                    except (TypeError, ValueError):
                        problems.append(
                            error(
                                path + ".year",
                                "jaar is geen geheel getal",
                                "year is not a whole number",
                                spec["year"],
                                "not_a_number",
                            )
                        )
                        continue
                    if None in rows:
                        year = None
            value: Any
            if template.unit in TEXT_UNITS:
                value = str(raw)
            else:
                value = _override_number(raw)
                if value is None:
                    problems.append(
                        error(
                            path,
                            f"{key}: verwacht een getal in {template.unit}",
                            f"{key}: expected a number in {template.unit}",
                            value=raw,
                            code="not_a_number",
                        )
                    )
                    continue
                lo, hi = self._bounds(key, template.unit)
                if (lo is not None and value < lo) or (hi is not None and value > hi):
                    problems.append(
                        error(
                            path,
                            f"{key}: {value} {template.unit} ligt buiten het toegestane bereik "
                            f"[{_fmt_bound(lo)}, {_fmt_bound(hi)}]",
                            f"{key}: {value} {template.unit} is outside the allowed range "
                            f"[{_fmt_bound(lo)}, {_fmt_bound(hi)}]",
                            value=raw,
                            code="out_of_range",
                        )
                    )
                    continue
            new = replace(
                template,
                value=value,
                source=f"park override ({source})" if source != "override" else "park override",
                note=note or f"vervangt / replaces: {template.source}",
                overridden=True,
                status="ok",
                indicative=indicative,
                file="",
                row=None,
            )
            if year is None:
                # one number for every year (also years not published yet)
                rows.clear()
                rows[None] = replace(new, year=None)
            else:
                rows[year] = replace(new, year=year)
        if problems:
            raise ValidationError(problems=problems, source="refdata_overrides")
        return RefData(by_key)

    def bounds(self, key: str) -> tuple[float | None, float | None]:
        """Allowed range of ``key`` (for overrides and user input): (min, max), ``None`` = open.

        From ``bounds.min.<prefix>`` / ``bounds.max.<prefix>`` rows (longest matching prefix
        wins); fractions and yes/no values are bounded to 0-1.
        """
        rows = self._require_key(key)
        return self._bounds(key, next(iter(rows.values())).unit)

    def _bounds(self, key: str, unit: str) -> tuple[float | None, float | None]:
        lo: float | None = 0.0 if unit in FRACTION_UNITS or unit == BOOL_UNIT else None
        hi: float | None = 1.0 if unit in FRACTION_UNITS or unit == BOOL_UNIT else None
        best_lo = best_hi = -1
        for k, rows in self._by_key.items():
            if not k.startswith(BOUNDS_PREFIX):
                continue
            kind, _, prefix = k[len(BOUNDS_PREFIX) :].partition(".")
            if not key.startswith(prefix):
                continue
            r = rows.get(None) or next(iter(rows.values()))
            if not isinstance(r.value, float):
                continue
            if kind == "min" and len(prefix) > best_lo:
                lo, best_lo = r.value, len(prefix)
            elif kind == "max" and len(prefix) > best_hi:
                hi, best_hi = r.value, len(prefix)
        return lo, hi


def _fmt_bound(x: float | None) -> str:
    return "-" if x is None else f"{x:g}"


def _override_number(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return float(raw)
    if isinstance(raw, int | float):
        x = float(raw)
        return x if math.isfinite(x) else None
    if isinstance(raw, str):
        t = raw.strip().replace(" ", "")
        if "," in t and "." not in t:
            t = t.replace(",", ".")
        return _parse_number(t)
    return None


def load_refdata(
    overrides: Mapping[str, Any] | None = None, directory: str | Path | None = None
) -> RefData:
    """Load and validate all reference tables, then apply per-park ``overrides``.

    Parameters
    ----------
    overrides
        Per-park overrides, e.g. ``Park.refdata_overrides`` (see :meth:`RefData.with_overrides`).
    directory
        Where the CSV files are; defaults to the package's ``refdata`` directory.

    Raises
    ------
    ValidationError
        A table has a row without unit or source, a duplicate key+year, a value that is not a
        number; every problem names file and row.
    """
    d = str(Path(directory).resolve()) if directory is not None else str(REFDATA_DIR)
    rows = _load_dir_cached(d)
    data = RefData(_index(rows))
    return data.with_overrides(overrides) if overrides else data
