"""Reading Dutch 15-minute meter-data exports ("kwartierwaarden") and checking them.

The usual exports of grid operators, metering companies and energy portals are CSV files:

- separators ``;`` (Dutch, decimal comma, ``1.234,5``) or ``,``/tab (English, decimal point);
- time as ``Datum`` + ``Tijd`` (``01-01-2025`` + ``00:00`` or ``00:00 - 00:15``), as
  ``Van``/``Tot`` (interval start and end) or as one timestamp column; local time
  (Europe/Amsterdam) with daylight-saving time, or ISO stamps with an offset;
- values ``Afname`` (offtake), ``Teruglevering`` (feed-in), ``Levering`` (delivered to the
  customer: offtake; but feed-in when an ``Afname`` column is also present), ``Verbruik``
  (consumption: offtake, possibly net with negative feed-in), tariff registers
  (``Afname normaal`` + ``Afname dal`` are added); English ``Import``/``Export``,
  ``Consumption``, ``Feed-in``; the unit from the header (``(kWh)``, ``[kW]``, ``Wh``) or
  an ``Eenheid``/``Unit`` column.

:func:`read_meter_data` returns a DataFrame with ``offtake_kwh`` and ``feed_in_kwh`` on a
tz-aware index of interval starts, in file order (duplicates are kept so that they can be
reported), plus metadata with the column mapping and the problems found while reading.
:func:`check_meter_data` reports gaps, duplicates, daylight-saving days (92 and 100
intervals are correct; 96 means the export ignored DST), kW where kWh is expected, the wrong
sign of feed-in and a year that does not match. Nothing is repaired silently: gaps are
filled only by :func:`fill_gaps` with an explicit method, and every fill is reported.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from parkplan.domain.errors import ParkplanError, Problem

TZ = "Europe/Amsterdam"
STEP = pd.Timedelta(minutes=15)
COLUMNS = ("offtake_kwh", "feed_in_kwh")
FillMethod = Literal["linear", "same_weekday", "zero"]

_UNIT_FACTOR_TO_KWH = {"kwh": 1.0, "wh": 1e-3, "mwh": 1e3}
"""Energy units and their factor to kWh."""
_POWER_UNITS = {"kw": 1.0, "w": 1e-3, "mw": 1e3}
"""Power units (average over the interval) and their factor to kW."""

_START_WORDS = ("van", "from", "start", "begin", "vanaf")
_END_WORDS = ("tot", "to", "end", "eind", "einde", "tot en met")
_STAMP_WORDS = ("datum/tijd", "datumtijd", "datum tijd", "tijdstip", "timestamp", "datetime")
_DATE_WORDS = ("datum", "date", "dag", "day")
_TIME_WORDS = ("tijd", "time", "kwartier", "tijdvak", "uur", "interval")
_FEED_IN_WORDS = ("teruglever", "terug", "export", "feed-in", "feed in", "feedin", "injectie")
_OFFTAKE_WORDS = ("afname", "verbruik", "import", "offtake", "consumption", "usage", "levering")
_UNIT_COLUMN_WORDS = ("eenheid", "unit")

_MAX_LISTED = 20
"""At most this many problems of one kind are listed one by one; the rest are summed up."""


def _problem(
    severity: Literal["error", "warning"],
    code: str,
    nl: str,
    en: str,
    *,
    file: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: Any = None,
) -> Problem:
    if isinstance(value, np.generic):
        value = value.item()
    return Problem(
        path="meter_data",
        nl=nl,
        en=en,
        value=value,
        severity=severity,
        file=file,
        row=row,
        column=column,
        code=code,
    )


def _nl_time(ts: pd.Timestamp) -> str:
    """``dd-mm-jjjj HH:MM`` in local time."""
    return ts.tz_convert(TZ).strftime("%d-%m-%Y %H:%M")


def _nl_number(x: float, decimals: int = 1) -> str:
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


# --------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------


def _read_lines(path: Path) -> list[str]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding).splitlines()
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1").splitlines()


def _header_parts(name: str) -> tuple[str, str | None]:
    """Lower-case header without its unit, and the unit (``kwh``, ``kw`` ...) if any."""
    text = name.strip().lower().replace("\u00a0", " ")
    unit = None
    m = re.search(r"[\(\[]\s*(k?wh|mwh|k?w|mw)\s*[\)\]]", text)
    if m:
        unit = m.group(1)
        text = (text[: m.start()] + text[m.end() :]).strip()
    else:
        m = re.search(r"(?:^|[\s_])(k?wh|mwh|k?w|mw)$", text)
        if m:
            unit = m.group(1)
            text = text[: m.start()].strip()
    return text.strip(" _-:"), unit


def _role(text: str) -> str | None:
    if text in _STAMP_WORDS:
        return "stamp"
    if text in _START_WORDS or text.startswith(("van ", "from ", "start ")):
        return "start"
    if text in _END_WORDS or text.startswith(("tot ", "to ", "end ", "eind")):
        return "end"
    if any(w in text for w in _UNIT_COLUMN_WORDS):
        return "unit"
    if any(w in text for w in _FEED_IN_WORDS):
        return "feed_in"
    if any(w in text for w in _OFFTAKE_WORDS):
        return "offtake"
    if text in _DATE_WORDS or text.startswith(("datum", "date")):
        return "date"
    if text in _TIME_WORDS or text.startswith(("tijd", "time", "kwartier")):
        return "time"
    return None


def _find_header(lines: Sequence[str]) -> tuple[int, str]:
    """Index of the header line and the field separator."""
    for i, line in enumerate(lines[:50]):
        sep = max((";", "\t", ","), key=line.count)
        if line.count(sep) == 0:
            continue
        roles = {_role(_header_parts(h)[0]) for h in next(csv.reader([line], delimiter=sep))}
        if roles & {"offtake", "feed_in"} and roles & {"stamp", "start", "end", "date"}:
            return i, sep
    raise ParkplanError(
        "Geen kopregel met tijd (Datum/Tijd of Van/Tot) en meetwaarden (Afname, Teruglevering, "
        "Verbruik ...) gevonden in de eerste 50 regels.",
        "No header line with time (Datum/Tijd or Van/Tot) and values (Afname, Teruglevering, "
        "Verbruik ...) found in the first 50 lines.",
    )


_WRITTEN_24 = r"\b24:00(?::00)?$"
"""A stamp written as ``24:00``: the end of a day, so an interval-end stamp."""


_FORMATS = (
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%d-%m-%y %H:%M",
)


def _parse_naive(texts: pd.Series) -> pd.Series:
    """Naive local datetimes; ``24:00`` is midnight of the next day; NaT when unreadable."""
    t = texts.fillna("").astype(str).str.strip()
    is24 = t.str.contains(_WRITTEN_24, regex=True)
    t = t.where(~is24, t.str.replace(_WRITTEN_24, "00:00", regex=True))
    sample = next((s for s in t if s), "")
    out = None
    for fmt in _FORMATS:
        try:
            pd.to_datetime(pd.Series([sample]), format=fmt)
        except ValueError:
            continue
        out = pd.to_datetime(t, format=fmt, errors="coerce")
        break
    if out is None:
        out = pd.to_datetime(t, errors="coerce", dayfirst=True, format="mixed")
    return out + pd.to_timedelta(is24.astype(int), unit="D")


def _stamp_convention(naive: pd.Series, written_24: bool) -> Literal["start", "end"] | None:
    """Whether single timestamps mark interval starts or ends, decided from the whole file.

    Exports cover whole days: start stamps run from 00:00 to 23:45 of each day, end stamps
    from 00:15 to 24:00 (or 00:00 of the next day). So ``24:00`` anywhere means ends; the
    earliest stamp at 00:00 (an end-stamped file has no 00:00 at the start of its first
    day) means starts, unless the latest stamp is at 00:00 too; the latest stamp at 00:00
    (the end of the last day) means ends. Stamps at 00:15 or 23:45 prove nothing: a
    start-stamped file that misses its first quarter also begins at 00:15.

    Returns
    -------
    ``"start"``, ``"end"``, or None when the file does not decide it.
    """
    if written_24:
        return "end"
    valid = naive.dropna()
    if valid.empty:
        return None
    first, last = valid.min(), valid.max()
    starts_at_midnight = first == first.normalize()
    ends_at_midnight = last == last.normalize() and last > first
    if starts_at_midnight and not ends_at_midnight:
        return "start"
    if ends_at_midnight and not starts_at_midnight:
        return "end"
    return None


def _localize(naive: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Localise naive wall-clock times in Europe/Amsterdam.

    Ambiguous times (the repeated hour in October) are taken as summer time at their first
    and winter time at their second occurrence, in file order. Returns UTC times and a mask
    of times that do not exist (the skipped hour in March).
    """
    idx = pd.DatetimeIndex(naive)
    plain = idx.tz_localize(TZ, ambiguous="NaT", nonexistent="NaT")
    missing = plain.isna() & ~idx.isna()
    probe = idx.tz_localize(TZ, ambiguous=np.ones(len(idx), dtype=bool), nonexistent="NaT")
    nonexistent = missing & probe.isna()
    ambiguous = missing & ~nonexistent
    first = np.ones(len(idx), dtype=bool)
    if ambiguous.any():
        occurrence = pd.Series(idx[ambiguous]).groupby(idx[ambiguous]).cumcount().to_numpy()
        first[ambiguous] = occurrence % 2 == 0
    localized = idx.tz_localize(TZ, ambiguous=first, nonexistent="NaT")
    return pd.Series(localized.tz_convert("UTC")), np.asarray(nonexistent)


def _parse_numbers(texts: pd.Series, decimal_comma: bool) -> tuple[np.ndarray, np.ndarray]:
    """Values and a mask of cells that are not numbers (empty cells are NaN, not errors)."""
    t = texts.fillna("").astype(str).str.strip().str.replace("\u00a0", "").str.replace(" ", "")
    if decimal_comma:
        t = t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    values = pd.to_numeric(t.where(t != "", None), errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(values) & (t != "").to_numpy() & ~t.str.lower().isin(["-", "nan"]).to_numpy()
    return values, bad


def read_meter_data(path: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read a Dutch (or English) 15-minute meter-data CSV export.

    Parameters
    ----------
    path
        The CSV file.

    Returns
    -------
    data : pandas.DataFrame
        ``offtake_kwh`` and ``feed_in_kwh`` per interval [kWh] on a tz-aware
        (Europe/Amsterdam) index of interval starts, in file order. Empty cells are NaN;
        rows whose time cannot be placed are left out (and reported). ``data.attrs`` holds
        ``file`` and ``rows`` (the file row of every interval, for messages).
    metadata : dict
        ``file``, ``separator``, ``decimal_comma``, ``columns`` (our name -> file headers),
        ``unit`` per column, ``timestamps`` (``start``/``end``; for a single timestamp
        column decided from the whole file by :func:`_stamp_convention`, and when the file
        does not decide it ``start`` with a ``time_convention_unknown`` warning),
        ``header_row`` and ``problems`` (list of :class:`Problem` found while reading).
    """
    path = Path(path)
    name = path.name
    lines = _read_lines(path)
    h, sep = _find_header(lines)
    records = list(csv.reader(lines[h:], delimiter=sep))
    header = [c.strip() for c in records[0]]
    used = [(h + 2 + i, r) for i, r in enumerate(records[1:]) if "".join(r).strip()]
    body = [r for _, r in used]
    file_rows = [n for n, _ in used]
    width = len(header)
    table = pd.DataFrame([(r + [""] * width)[:width] for r in body], columns=range(width))
    problems: list[Problem] = []

    parts = [_header_parts(c) for c in header]
    roles = [_role(text) for text, _ in parts]
    by_role: dict[str, list[int]] = {}
    for j, role in enumerate(roles):
        if role is not None:
            by_role.setdefault(role, []).append(j)
    # "Levering" is feed-in when the file also has "Afname"
    offtake_cols = by_role.get("offtake", [])
    if any("afname" in parts[j][0] for j in offtake_cols):
        moved = [j for j in offtake_cols if parts[j][0].startswith("levering")]
        by_role["offtake"] = [j for j in offtake_cols if j not in moved]
        by_role.setdefault("feed_in", []).extend(moved)

    # ---- time
    stamp_col = None
    if "start" in by_role:
        stamps, kind = table[by_role["start"][0]], "start"
    elif "stamp" in by_role:
        stamp_col = header[by_role["stamp"][0]]
        stamps, kind = table[by_role["stamp"][0]], "auto"
    elif "date" in by_role and "time" in by_role:
        time_col = table[by_role["time"][0]].astype(str)
        time_text = time_col.str.split("-").str[0].str.strip()
        stamps = table[by_role["date"][0]].astype(str).str.strip() + " " + time_text
        # '00:00 - 00:15' gives the start; a single time is a start or an end stamp
        kind = "start" if time_col.str.contains("-", regex=False).any() else "auto"
        stamp_col = f"{header[by_role['date'][0]]} + {header[by_role['time'][0]]}"
    elif "date" in by_role:
        stamp_col = header[by_role["date"][0]]
        stamps, kind = table[by_role["date"][0]], "auto"
    elif "end" in by_role:
        stamps, kind = table[by_role["end"][0]], "end"
    else:
        raise ParkplanError(
            f"{name}: geen tijdkolom herkend in de kopregel {header}.",
            f"{name}: no time column recognised in the header {header}.",
        )
    has_offset = stamps.astype(str).str.contains(r"(?:[+-]\d{2}:?\d{2}|Z)$", regex=True)
    if has_offset.any():
        utc = pd.Series(pd.to_datetime(stamps, utc=True, errors="coerce", format="ISO8601"))
        nonexistent = np.zeros(len(utc), dtype=bool)
        naive = utc.dt.tz_convert(TZ).dt.tz_localize(None)
    else:
        naive = _parse_naive(stamps)
        utc, nonexistent = _localize(naive)
    if kind == "auto":
        # one timestamp per interval: start or end, decided from the whole file
        written_24 = bool(stamps.astype(str).str.strip().str.contains(_WRITTEN_24).any())
        decided = _stamp_convention(naive, written_24)
        kind = decided or "start"
        if decided is None:
            valid = naive.dropna()
            span = (
                f"{valid.min():%d-%m-%Y %H:%M} - {valid.max():%d-%m-%Y %H:%M}"
                if len(valid)
                else "-"
            )
            problems.append(
                _problem(
                    "warning",
                    "time_convention_unknown",
                    f"Uit de tijden in kolom '{stamp_col}' ({span}) is niet af te leiden of "
                    "ze het begin of het einde van het kwartier aangeven (eindtijden eindigen "
                    "een dag met 24:00 of 00:00; begintijden beginnen de eerste dag met 00:00). "
                    "Aangenomen: begin van het kwartier; zijn het eindtijden, dan staat alles "
                    "een kwartier te laat. Noem de kolom 'Van' (begin) of 'Tot' (einde).",
                    f"The times in column '{stamp_col}' ({span}) do not show whether they mark "
                    "the start or the end of the quarter-hour (end stamps close a day with "
                    "24:00 or 00:00; start stamps begin the first day with 00:00). Assumed: "
                    "the start of the quarter-hour; if they are end stamps, everything is one "
                    "quarter-hour late. Name the column 'Van' (start) or 'Tot' (end).",
                    file=name,
                    row=h + 1,
                    column=stamp_col,
                    value=span,
                )
            )
    if kind == "end":
        utc = utc - STEP

    unreadable = utc.isna().to_numpy() & ~nonexistent
    for i in np.flatnonzero(unreadable)[:_MAX_LISTED]:
        problems.append(
            _problem(
                "error",
                "bad_time",
                f"Tijd '{stamps.iloc[i]}' is niet te lezen; verwacht bijv. 01-01-2025 00:15.",
                f"Time '{stamps.iloc[i]}' cannot be read; expected e.g. 01-01-2025 00:15.",
                file=name,
                row=file_rows[i],
                value=str(stamps.iloc[i]),
            )
        )
    if nonexistent.any():
        days = sorted({naive.iloc[i].strftime("%d-%m-%Y") for i in np.flatnonzero(nonexistent)})
        first = int(np.flatnonzero(nonexistent)[0])
        problems.append(
            _problem(
                "error",
                "dst_ignored",
                f"{int(nonexistent.sum())} tijden bestaan niet in Nederlandse tijd (het uur "
                f"02:00-03:00 wordt overgeslagen bij de zomertijd) op {', '.join(days)}: de "
                "export negeert de zomertijd (96 in plaats van 92 kwartieren); deze regels "
                "zijn weggelaten.",
                f"{int(nonexistent.sum())} times do not exist in Dutch local time (the hour "
                f"02:00-03:00 is skipped when summer time starts) on {', '.join(days)}: the "
                "export ignores daylight-saving time (96 instead of 92 quarter-hours); these "
                "rows were left out.",
                file=name,
                row=file_rows[first],
                value=str(stamps.iloc[first]),
            )
        )

    # ---- values
    # decimal comma when any value has a comma (then dots group thousands: 1.234,5);
    # otherwise the dot is the decimal point, also in ;-separated files (0.250)
    decimal_comma = any(
        table[j].astype(str).str.contains(",", regex=False).any()
        for j in by_role.get("offtake", []) + by_role.get("feed_in", [])
    )
    unit_col = by_role.get("unit", [None])[0]
    column_unit: str | None = None
    if unit_col is not None:
        seen = table[unit_col].astype(str).str.strip().str.lower().replace("", np.nan).dropna()
        column_unit = seen.iloc[0] if len(seen) else None
    out: dict[str, np.ndarray] = {}
    mapping: dict[str, list[str]] = {}
    units: dict[str, str] = {}
    for ours, role in (("offtake_kwh", "offtake"), ("feed_in_kwh", "feed_in")):
        cols = by_role.get(role, [])
        mapping[ours] = [header[j] for j in cols]
        total = np.zeros(len(table))
        all_nan = np.ones(len(table), dtype=bool)
        for j in cols:
            values, bad = _parse_numbers(table[j], decimal_comma)
            for i in np.flatnonzero(bad)[:_MAX_LISTED]:
                problems.append(
                    _problem(
                        "error",
                        "not_a_number",
                        f"'{table[j].iloc[i]}' is geen getal; de waarde telt als ontbrekend.",
                        f"'{table[j].iloc[i]}' is not a number; the value counts as missing.",
                        file=name,
                        row=file_rows[i],
                        column=header[j],
                        value=str(table[j].iloc[i]),
                    )
                )
            unit = parts[j][1] or column_unit or "kwh"
            units[header[j]] = unit
            if unit in _POWER_UNITS:
                values = values * _POWER_UNITS[unit] * (STEP / pd.Timedelta(hours=1))
                problems.append(
                    _problem(
                        "warning",
                        "kw_not_kwh",
                        f"Kolom '{header[j]}' staat in {unit} (vermogen), niet in kWh: "
                        "omgerekend naar kWh per kwartier (gedeeld door 4).",
                        f"Column '{header[j]}' is in {unit} (power), not kWh: converted to "
                        "kWh per quarter-hour (divided by 4).",
                        file=name,
                        row=h + 1,
                        column=header[j],
                        value=unit,
                    )
                )
            elif unit in _UNIT_FACTOR_TO_KWH:
                values = values * _UNIT_FACTOR_TO_KWH[unit]
            all_nan &= np.isnan(values)
            total += np.nan_to_num(values)
        out[ours] = np.where(all_nan & (len(cols) > 0), np.nan, total)
        if not cols:
            out[ours] = np.zeros(len(table))

    keep = ~utc.isna().to_numpy()
    index = pd.DatetimeIndex(utc[keep]).tz_convert(TZ).as_unit("ns")
    index.name = "interval_start"
    data = pd.DataFrame({c: out[c][keep] for c in COLUMNS}, index=index)
    data.attrs["file"] = name
    data.attrs["rows"] = tuple(int(r) for r, k in zip(file_rows, keep, strict=True) if k)
    meta: dict[str, Any] = {
        "file": name,
        "separator": sep,
        "decimal_comma": decimal_comma,
        "header_row": h + 1,
        "columns": mapping,
        "unit": units,
        "timestamps": kind,
        "problems": problems,
    }
    return data, meta


# --------------------------------------------------------------------------------------
# checks
# --------------------------------------------------------------------------------------


def _rows_of(df: pd.DataFrame) -> tuple[int, ...] | None:
    rows = df.attrs.get("rows")
    return tuple(rows) if rows is not None and len(rows) == len(df) else None


def expected_index(year: int) -> pd.DatetimeIndex:
    """All 15-minute interval starts of a calendar year in Europe/Amsterdam."""
    return pd.date_range(
        pd.Timestamp(year=year, month=1, day=1, tz=TZ),
        pd.Timestamp(year=year + 1, month=1, day=1, tz=TZ),
        freq=STEP,
        inclusive="left",
        name="interval_start",
    ).as_unit("ns")


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Start and end (inclusive) positions of the runs of True."""
    if not mask.any():
        return []
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1) - 1, strict=True))


def check_meter_data(
    df: pd.DataFrame,
    year: int,
    *,
    annual_kwh: float | None = None,
    full_year: bool = True,
    file: str | None = None,
) -> list[Problem]:
    """Check 15-minute meter data and report every fault, in Dutch and English.

    Parameters
    ----------
    df
        As returned by :func:`read_meter_data` (``offtake_kwh``, ``feed_in_kwh``, tz-aware
        index of interval starts, duplicates allowed).
    year
        The calendar year the data should cover.
    annual_kwh
        Stated annual offtake (e.g. from the invoice or the park file) to detect kW given
        where kWh is expected (the sum is then about 4 times too large). [kWh]
    full_year
        True: every interval of ``year`` is expected. False: only the span from the first to
        the last interval (for partial exports).
    file
        File name for the messages (default ``df.attrs['file']``).

    Returns
    -------
    list of Problem
        Gaps (``gap``), empty values (``missing_value``), duplicates (``duplicate``),
        daylight-saving days with 96 intervals (``dst_ignored``), other day counts
        (``day_count``), kW instead of kWh (``kw_not_kwh``), negative values
        (``negative_feed_in``, ``feed_in_in_offtake``) and intervals outside the year
        (``wrong_year``). The correct DST day counts (92 in March, 100 in October) are not
        reported.
    """
    name = file or df.attrs.get("file")
    rows = _rows_of(df)
    problems: list[Problem] = []
    if df.index.tz is None:
        raise ParkplanError(
            "Meetdata zonder tijdzone; verwacht Europe/Amsterdam.",
            "Meter data without a time zone; expected Europe/Amsterdam.",
        )
    idx = df.index.tz_convert(TZ).as_unit("ns")

    def row(i: int) -> int | None:
        return rows[i] if rows is not None else None

    # ---- year
    in_year = np.asarray(idx.year == year)
    if len(idx) and not in_year.any():
        years = sorted({int(y) for y in idx.year})
        problems.append(
            _problem(
                "error",
                "wrong_year",
                f"De meetdata gaan over {', '.join(map(str, years))}, niet over {year}.",
                f"The meter data cover {', '.join(map(str, years))}, not {year}.",
                file=name,
                row=row(0),
                value=years[0],
            )
        )
        return problems
    if (~in_year).any():
        outside = np.flatnonzero(~in_year)
        problems.append(
            _problem(
                "warning",
                "wrong_year",
                f"{len(outside)} kwartieren liggen buiten {year} (eerste: "
                f"{_nl_time(idx[outside[0]])}); ze tellen niet mee.",
                f"{len(outside)} intervals lie outside {year} (first: "
                f"{_nl_time(idx[outside[0]])}); they are not used.",
                file=name,
                row=row(int(outside[0])),
                value=len(outside),
            )
        )

    # ---- duplicates
    dup_all = np.asarray(idx.duplicated(keep=False))
    if dup_all.any():
        stamps = idx[dup_all].unique()
        for ts in stamps[:_MAX_LISTED]:
            pos = np.flatnonzero(np.asarray(idx == ts))
            same = df.iloc[pos][list(COLUMNS)].nunique(dropna=False).max() == 1
            where = ", ".join(str(row(int(p))) for p in pos) if rows else ""
            problems.append(
                _problem(
                    "warning" if same else "error",
                    "duplicate",
                    f"Kwartier {_nl_time(ts)} staat {len(pos)} keer in het bestand"
                    + (f" (rijen {where})" if where else "")
                    + ("; met gelijke waarden." if same else "; met verschillende waarden."),
                    f"Interval {_nl_time(ts)} occurs {len(pos)} times in the file"
                    + (f" (rows {where})" if where else "")
                    + ("; with equal values." if same else "; with different values."),
                    file=name,
                    row=row(int(pos[1])),
                    value=_nl_time(ts),
                )
            )
        if len(stamps) > _MAX_LISTED:
            problems.append(_more(name, len(stamps) - _MAX_LISTED, "duplicate"))

    # ---- resolution: 15-minute values expected
    present = idx[in_year].unique()
    if len(present) > 1:
        step = pd.Timedelta(int(np.median(np.diff(np.sort(present.asi8)))), unit="ns")
        if step != STEP:
            minutes = step / pd.Timedelta(minutes=1)
            problems.append(
                _problem(
                    "error",
                    "resolution",
                    f"De meetwaarden liggen {minutes:g} minuten uit elkaar; verwacht "
                    "kwartierwaarden (15 minuten).",
                    f"The values are {minutes:g} minutes apart; expected quarter-hour values "
                    "(15 minutes).",
                    file=name,
                    value=minutes,
                )
            )
            return problems

    # ---- expected intervals, gaps, day counts
    if full_year:
        expected = expected_index(year)
    else:
        expected = pd.date_range(
            present.min(), present.max(), freq=STEP, name="interval_start"
        ).as_unit("ns")
    missing = ~np.asarray(expected.isin(present))
    local_day = expected.tz_localize(None).normalize()
    per_day_expected = pd.Series(1, index=local_day).groupby(level=0).size()
    present_days = pd.Series(1, index=present.tz_localize(None).normalize()).groupby(level=0)
    per_day_present = present_days.size().reindex(per_day_expected.index, fill_value=0)
    dst_days: set[pd.Timestamp] = set()
    for day, n_exp in per_day_expected.items():
        n_got = int(per_day_present[day])
        if n_exp != 96 and n_got == 96 and n_exp > 0:
            dst_days.add(day)
            problems.append(
                _problem(
                    "warning",
                    "dst_ignored",
                    f"{day:%d-%m-%Y} is een zomertijddag met {n_exp} kwartieren, maar de export "
                    "heeft er 96: de export negeert de zomer-/wintertijd (tijden zijn mogelijk "
                    "een uur verschoven).",
                    f"{day:%d-%m-%Y} is a daylight-saving day with {n_exp} quarter-hours, but "
                    "the export has 96: it ignores daylight-saving time (times may be shifted "
                    "by one hour).",
                    file=name,
                    value=96,
                )
            )
    gap_runs = _runs(missing)
    for a, b in gap_runs[:_MAX_LISTED]:
        n = b - a + 1
        before = int(np.searchsorted(np.asarray(idx.asi8), expected.asi8[a])) - 1
        problems.append(
            _problem(
                "warning",
                "gap",
                f"Gat van {n} kwartier(en): {_nl_time(expected[a])} tot en met "
                f"{_nl_time(expected[b])} ontbreekt; vul het alleen met een gekozen methode "
                "(lineair, zelfde weekdag of nul).",
                f"Gap of {n} interval(s): {_nl_time(expected[a])} up to and including "
                f"{_nl_time(expected[b])} is missing; fill it only with a chosen method "
                "(linear, same weekday or zero).",
                file=name,
                row=row(before) if before >= 0 else None,
                value=n,
            )
        )
    if len(gap_runs) > _MAX_LISTED:
        problems.append(_more(name, len(gap_runs) - _MAX_LISTED, "gap"))

    # ---- empty values
    for col in COLUMNS:
        nan = np.asarray(df[col].isna())
        for a, b in _runs(nan)[:_MAX_LISTED]:
            problems.append(
                _problem(
                    "warning",
                    "missing_value",
                    f"{b - a + 1} lege waarde(n) in {col} vanaf {_nl_time(idx[a])}.",
                    f"{b - a + 1} empty value(s) in {col} from {_nl_time(idx[a])}.",
                    file=name,
                    row=row(a),
                    column=col,
                    value=b - a + 1,
                )
            )

    # ---- signs
    off = df["offtake_kwh"].to_numpy(dtype=float)
    fin = df["feed_in_kwh"].to_numpy(dtype=float)
    neg_off = np.flatnonzero(off < 0)
    if neg_off.size:
        problems.append(
            _problem(
                "error",
                "feed_in_in_offtake",
                f"{neg_off.size} negatieve waarden in de afname (eerste "
                f"{_nl_time(idx[neg_off[0]])}, {_nl_number(off[neg_off].sum(), 3)} kWh samen): "
                "teruglevering lijkt als negatieve afname (netto) te zijn geëxporteerd; splits "
                "met fix_signs().",
                f"{neg_off.size} negative values in offtake (first {_nl_time(idx[neg_off[0]])}, "
                f"{off[neg_off].sum():.3f} kWh together): feed-in seems to be exported as "
                "negative offtake (net); split it with fix_signs().",
                file=name,
                row=row(int(neg_off[0])),
                column="offtake_kwh",
                value=float(off[neg_off[0]]),
            )
        )
    neg_fin = np.flatnonzero(fin < 0)
    if neg_fin.size:
        problems.append(
            _problem(
                "error",
                "negative_feed_in",
                f"{neg_fin.size} negatieve waarden in de teruglevering (eerste "
                f"{_nl_time(idx[neg_fin[0]])}): verkeerd teken; teruglevering hoort positief "
                "te zijn. Draai het teken om met fix_signs().",
                f"{neg_fin.size} negative values in feed-in (first {_nl_time(idx[neg_fin[0]])}): "
                "wrong sign; feed-in should be positive. Flip the sign with fix_signs().",
                file=name,
                row=row(int(neg_fin[0])),
                column="feed_in_kwh",
                value=float(fin[neg_fin[0]]),
            )
        )

    # ---- kW where kWh is expected
    if annual_kwh is not None and annual_kwh > 0:
        total = float(np.nansum(off[in_year]))
        coverage = max(1 - missing.sum() / len(expected), 1e-9) if full_year else 1.0
        ratio = total / coverage / annual_kwh
        if 3.6 <= ratio <= 4.4:
            problems.append(
                _problem(
                    "error",
                    "kw_not_kwh",
                    f"De afname telt op tot {_nl_number(total, 0)} kWh, "
                    f"{_nl_number(ratio, 1)} keer het opgegeven jaarverbruik van "
                    f"{_nl_number(annual_kwh, 0)} kWh: de waarden zijn waarschijnlijk kW "
                    "(gemiddeld vermogen) in plaats van kWh per kwartier. Deel door 4.",
                    f"Offtake sums to {total:,.0f} kWh, {ratio:.1f} times the stated annual use "
                    f"of {annual_kwh:,.0f} kWh: the values are probably kW (average power) "
                    "instead of kWh per quarter-hour. Divide by 4.",
                    file=name,
                    column="offtake_kwh",
                    value=round(ratio, 3),
                )
            )
    return problems


def _more(name: str | None, n: int, code: str) -> Problem:
    return _problem(
        "warning",
        code,
        f"... en nog {n} meldingen van dit soort.",
        f"... and {n} more findings of this kind.",
        file=name,
        value=n,
    )


# --------------------------------------------------------------------------------------
# explicit repairs
# --------------------------------------------------------------------------------------


def fix_signs(df: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Negative offtake becomes feed-in and negative feed-in is made positive (reported).

    Returns
    -------
    data, problems
        The repaired copy and one warning per kind of repair.
    """
    out = df.copy()
    problems: list[Problem] = []
    name = df.attrs.get("file")
    fin = out["feed_in_kwh"].to_numpy(dtype=float).copy()
    neg_fin = fin < 0
    if neg_fin.any():
        fin[neg_fin] = -fin[neg_fin]
        problems.append(
            _problem(
                "warning",
                "sign_fixed",
                f"Teken van {int(neg_fin.sum())} negatieve terugleverwaarden omgedraaid.",
                f"Sign of {int(neg_fin.sum())} negative feed-in values flipped.",
                file=name,
                column="feed_in_kwh",
                value=int(neg_fin.sum()),
            )
        )
    off = out["offtake_kwh"].to_numpy(dtype=float).copy()
    neg_off = off < 0
    if neg_off.any():
        fin[neg_off] += -off[neg_off]
        off[neg_off] = 0.0
        problems.append(
            _problem(
                "warning",
                "sign_fixed",
                f"{int(neg_off.sum())} negatieve afnamewaarden als teruglevering geboekt.",
                f"{int(neg_off.sum())} negative offtake values booked as feed-in.",
                file=name,
                column="offtake_kwh",
                value=int(neg_off.sum()),
            )
        )
    out["offtake_kwh"] = off
    out["feed_in_kwh"] = fin
    return out, problems


def drop_duplicates(df: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Keep the first of each repeated interval (reported)."""
    dup = np.asarray(df.index.duplicated(keep="first"))
    out = df[~dup]
    rows = _rows_of(df)
    if rows is not None:
        out.attrs["rows"] = tuple(r for r, d in zip(rows, dup, strict=True) if not d)
    if not dup.any():
        return out, []
    return out, [
        _problem(
            "warning",
            "duplicate_dropped",
            f"{int(dup.sum())} dubbele kwartieren verwijderd (de eerste is bewaard).",
            f"{int(dup.sum())} duplicate intervals removed (the first was kept).",
            file=df.attrs.get("file"),
            value=int(dup.sum()),
        )
    ]


_METHOD_NAMES = {
    "linear": ("lineaire interpolatie", "linear interpolation"),
    "same_weekday": (
        "de waarde van dezelfde weekdag en kloktijd een week eerder (of later)",
        "the value of the same weekday and clock time a week earlier (or later)",
    ),
    "zero": ("nul", "zero"),
}


def fill_gaps(
    df: pd.DataFrame, method: FillMethod, *, year: int | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Fill missing intervals and empty values with an explicit method, and report it.

    Parameters
    ----------
    df
        Meter data without duplicate intervals (see :func:`drop_duplicates`).
    method
        ``linear``: linear interpolation in time (ends: nearest value);
        ``same_weekday``: the value at the same local clock time on the same weekday one
        week earlier, else one week later, up to four weeks away (remaining: linear);
        ``zero``: 0 kWh.
    year
        When given, the whole calendar year is expected; otherwise the span of the data.

    Returns
    -------
    data, problems
        A regular 15-minute series with a boolean column ``filled`` and one warning per
        filled run (code ``filled``).
    """
    if method not in _METHOD_NAMES:
        raise ParkplanError(
            f"Onbekende vulmethode '{method}'; kies linear, same_weekday of zero.",
            f"Unknown fill method '{method}'; choose linear, same_weekday or zero.",
        )
    if df.index.has_duplicates:
        raise ParkplanError(
            "Meetdata bevatten dubbele kwartieren; verwijder die eerst (drop_duplicates).",
            "Meter data contain duplicate intervals; remove them first (drop_duplicates).",
        )
    name = df.attrs.get("file")
    data = df[list(COLUMNS)].sort_index()
    data.index = data.index.tz_convert(TZ).as_unit("ns")
    if year is not None:
        full = expected_index(year)
        data = data[data.index.year == year]
    else:
        full = pd.date_range(
            data.index.min(), data.index.max(), freq=STEP, name="interval_start"
        ).as_unit("ns")
    data = data.reindex(full)
    holes = data.isna().to_numpy()
    filled_any = holes.any(axis=1)
    if method == "zero":
        data = data.fillna(0.0)
    elif method == "linear":
        data = data.interpolate(method="time", limit_direction="both")
    else:
        wall = full.tz_localize(None)
        for col in COLUMNS:
            series = data[col]
            by_wall = pd.Series(series.to_numpy(), index=wall)
            by_wall = by_wall[~by_wall.index.duplicated(keep="first")]
            values = series.to_numpy().copy()
            for weeks in (-1, 1, -2, 2, -3, 3, -4, 4):
                todo = np.isnan(values)
                if not todo.any():
                    break
                shifted = wall[todo] + pd.Timedelta(weeks=weeks)
                values[todo] = by_wall.reindex(shifted).to_numpy()
            data[col] = values
        data = data.interpolate(method="time", limit_direction="both")
    data["filled"] = filled_any
    nl_m, en_m = _METHOD_NAMES[method]
    problems = [
        _problem(
            "warning",
            "filled",
            f"{b - a + 1} kwartier(en) {_nl_time(full[a])} tot en met {_nl_time(full[b])} "
            f"gevuld met {nl_m}.",
            f"{b - a + 1} interval(s) {_nl_time(full[a])} up to and including "
            f"{_nl_time(full[b])} filled with {en_m}.",
            file=name,
            value=method,
        )
        for a, b in _runs(filled_any)
    ]
    data.attrs["file"] = name
    data.attrs["fill_method"] = method
    return data, problems
