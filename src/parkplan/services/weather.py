"""Use case: the weather of a simulation, read at the edge and prepared by the core.

:func:`load_weather` reads a weather file (KNMI hourly station file, PVGIS TMY as CSV or
JSON, DWD test reference year; :func:`parkplan.io.weather.read_weather`), keeps one year of
a multi-year file (:func:`parkplan.energy.weather.one_reference_year`) and maps it onto the
simulated calendar year at 15 or 60 minutes on the Europe/Amsterdam clock
(:func:`parkplan.energy.weather.prepare_weather`). Without a file it gives the default, the
DWD test reference year 2010 of region 5 (:func:`default_weather`).

The metadata travel into the provenance of every result: ``source``, ``format``,
``file_name``, ``file_sha256``, station and location, time conventions and a ``note``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pandas as pd

from parkplan.domain.errors import ParkplanError

DEFAULT_WEATHER_NOTE = (
    "Reference year, not measured Hoogeveen weather: DWD TRY 2010 region 5 "
    "(station Essen, 1988-2007), mapped onto the calendar year by UTC time of year."
)
"""What the default weather is (shown in the provenance and reports)."""


@functools.lru_cache(maxsize=8)
def _prepared(
    path: str | None, stamp: tuple[int, int] | None, fmt: str | None, year: int, freq: int
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read and prepare once per file version (``stamp``: mtime and size), year and step."""
    from parkplan.energy.weather import one_reference_year, prepare_weather, with_metadata
    from parkplan.io.weather import read_weather

    raw, meta = read_weather(path, fmt)
    try:
        raw, selection = one_reference_year(raw, year)
        weather = prepare_weather(with_metadata(raw, meta), year, freq)
    except ParkplanError as exc:
        raise ParkplanError(
            f"Weerbestand {meta['file_name']} ({meta['format']}): {exc.nl}",
            f"Weather file {meta['file_name']} ({meta['format']}): {exc.en}",
        ) from None
    if path is None:
        note = DEFAULT_WEATHER_NOTE
    else:
        where = meta.get("station_name") or meta.get("station")
        note = (
            f"{meta.get('source', meta['format'])}"
            + (f", station {where}" if where else "")
            + (f", {selection}" if selection else "")
            + ", mapped onto the calendar year by UTC time of year."
        )
    meta = {
        **meta,
        "year": year,
        "tz": "Europe/Amsterdam",
        "freq_minutes": freq,
        "index_convention": "Europe/Amsterdam local clock, interval start",
        "resampling": weather.attrs.get("resampling", "none"),
        "note": note,
    }
    if selection:
        meta["year_selection"] = selection
    weather.attrs = dict(meta)
    return weather, meta


def load_weather(
    path: str | Path | None = None,
    *,
    fmt: str | None = None,
    year: int = 2025,
    resolution_minutes: int = 15,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The weather of a simulation: a weather file, or the default reference year.

    Parameters
    ----------
    path : str or Path, optional
        KNMI hourly station file, PVGIS TMY (CSV or JSON) or DWD TRY file; ``None``: the
        default (:func:`default_weather`).
    fmt : str, optional
        ``knmi``, ``pvgis-csv``, ``pvgis-json`` or ``dwd-try``; default detected from the
        content.
    year : int
        Calendar year of the index.
    resolution_minutes : int
        Interval length [min].

    Returns
    -------
    weather : pandas.DataFrame
        ``ghi_w_m2, dni_w_m2, dhi_w_m2`` [W/m2], ``temp_air_c`` [degC], ``wind_speed_m_s``
        [m/s] on the Europe/Amsterdam interval-start index of ``year``.
    metadata : dict
        ``source``, ``format``, ``file_name``, ``file_sha256``, station, location, time
        conventions, ``note`` and ``path`` (the path stays out of the inputs hash).

    Raises
    ------
    ParkplanError
        The file cannot be read, its format is not recognised, or it does not cover a
        whole year.
    """
    if path is None:
        key: tuple[str | None, tuple[int, int] | None] = (None, None)
    else:
        p = Path(path).resolve()
        try:
            st = p.stat()
        except OSError:
            raise ParkplanError(
                f"Weerbestand {path} bestaat niet.", f"Weather file {path} does not exist."
            ) from None
        key = (str(p), (st.st_mtime_ns, st.st_size))
    weather, meta = _prepared(key[0], key[1], fmt, int(year), int(resolution_minutes))
    out = weather.copy()
    out.attrs = dict(meta)
    return out, dict(meta)


def default_weather(year: int = 2025, freq_minutes: int = 15) -> tuple[pd.DataFrame, dict]:
    """The default weather: DWD test reference year 2010, region 5, from demandlib.

    Parameters
    ----------
    year : int
        Calendar year of the index.
    freq_minutes : int
        Interval length [min].

    Returns
    -------
    weather : pandas.DataFrame
        ``WEATHER_COLUMNS`` on the Europe/Amsterdam interval-start index of ``year``.
    metadata : dict
        Source, station (Essen), location, time conventions, method notes, the file's
        name and sha256.
    """
    return load_weather(None, year=year, resolution_minutes=freq_minutes)


def weather_label(meta: Any, lang: str = "nl") -> str:
    """One line saying which weather a result used (for reports and summaries)."""
    if not meta:
        return "Weer: onbekend" if lang == "nl" else "Weather: unknown"
    source = meta.get("source") or meta.get("format") or "?"
    parts = [str(source)]
    if meta.get("file_name"):
        parts.append(str(meta["file_name"]))
    if meta.get("file_sha256"):
        parts.append(f"sha256 {str(meta['file_sha256'])[:12]}")
    if meta.get("year_selection"):
        parts.append(str(meta["year_selection"]))
    return ("Weer: " if lang == "nl" else "Weather: ") + ", ".join(parts)
