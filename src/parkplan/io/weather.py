"""Weather files: one entry point for the readers of KNMI, PVGIS and DWD TRY files.

:func:`read_weather` reads a weather file in any of the supported formats (detected from the
content by :func:`detect_weather_format`, or named) and adds what the provenance needs: the
format, the file name and the sha256 of the file's bytes. Without a path it reads the
packaged default, the DWD test reference year 2010 of region 5 shipped inside demandlib.

Formats
-------
``knmi``
    KNMI hourly station file (``uurgeg_279_2021-2030.txt``):
    :func:`parkplan.io.knmi.read_knmi_hourly`.
``pvgis-csv``, ``pvgis-json``
    PVGIS typical meteorological year: :func:`parkplan.io.pvgis.read_pvgis_tmy`.
``dwd-try``
    DWD test reference year 2010 (``TRY2010_05_Jahr.dat``):
    :func:`parkplan.io.dwd_try.read_dwd_try`.

The readers return hourly values on a UTC interval-start index; turning them into a
calendar year at 15 minutes is done by :func:`parkplan.energy.weather.prepare_weather`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd

from parkplan.domain.errors import ParkplanError

WEATHER_FORMATS: tuple[str, ...] = ("knmi", "pvgis-csv", "pvgis-json", "dwd-try")
"""Names accepted by ``--weather-format``."""

DEFAULT_TRY_REGION = 5
"""DWD climate region of the default weather: 5, Niederrheinisch-westfälische Bucht und
Emsland, the nearest to Drenthe (see docs/weather-and-solar.md)."""


def file_sha256(path: str | Path) -> str:
    """sha256 of a file's bytes (hex)."""
    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def detect_weather_format(path: str | Path) -> str:
    """The format of a weather file, from its content.

    Returns
    -------
    str
        One of :data:`WEATHER_FORMATS`.

    Raises
    ------
    ParkplanError
        The file cannot be read or is none of the supported formats.
    """
    p = Path(path)
    try:
        with p.open("rb") as f:
            head = f.read(64 * 1024).decode("latin-1")
    except OSError as exc:
        raise ParkplanError(
            f"Weerbestand {p} niet te lezen: {exc.strerror}.",
            f"Weather file {p} cannot be read: {exc.strerror}.",
        ) from None
    text = head.lstrip("\ufeff \t\r\n")
    if text.startswith("{"):
        if "tmy_hourly" in head or '"outputs"' in head:
            return "pvgis-json"
    elif "G(h)" in head and "time(UTC)" in head:
        return "pvgis-csv"
    elif any(line.lstrip("# ").startswith("STN,") for line in head.splitlines()):
        return "knmi"
    elif head.startswith("TRY") or ("Klimaregion" in head and "***" in head):
        return "dwd-try"
    raise ParkplanError(
        f"Weerbestand {p.name}: formaat niet herkend; verwacht een KNMI-uurbestand, een PVGIS-"
        f"TMY (CSV of JSON) of een DWD-testreferentiejaar (of geef --weather-format "
        f"{'|'.join(WEATHER_FORMATS)}).",
        f"Weather file {p.name}: format not recognised; expected a KNMI hourly file, a PVGIS "
        f"TMY (CSV or JSON) or a DWD test reference year (or give --weather-format "
        f"{'|'.join(WEATHER_FORMATS)}).",
    )


def read_weather(
    path: str | Path | None = None, fmt: str | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read a weather file (or, without a path, the packaged default reference year).

    Parameters
    ----------
    path : str or Path, optional
        The weather file; ``None`` reads the DWD TRY 2010 of region
        :data:`DEFAULT_TRY_REGION` inside demandlib.
    fmt : str, optional
        One of :data:`WEATHER_FORMATS`; default detected from the content.

    Returns
    -------
    data : pandas.DataFrame
        Hourly weather on a UTC interval-start index, as the format's reader returns it
        (``ghi_w_m2``, ``dni_w_m2``, ``dhi_w_m2`` [W/m2], ``temp_air_c`` [degC],
        ``wind_speed_m_s`` [m/s]; DNI/DHI may be NaN, filled later by decomposition).
    metadata : dict
        The reader's metadata plus ``format``, ``file_name``, ``file_sha256`` and ``path``.
    """
    from parkplan.io.dwd_try import demandlib_try_path, read_dwd_try

    p = Path(path) if path is not None else demandlib_try_path(DEFAULT_TRY_REGION)
    if fmt is None:
        fmt = "dwd-try" if path is None else detect_weather_format(p)
    if fmt not in WEATHER_FORMATS:
        raise ParkplanError(
            f"Weerformaat {fmt!r} onbekend; verwacht een van {', '.join(WEATHER_FORMATS)}.",
            f"Weather format {fmt!r} unknown; expected one of {', '.join(WEATHER_FORMATS)}.",
        )
    if not p.is_file():
        raise ParkplanError(f"Weerbestand {p} bestaat niet.", f"Weather file {p} does not exist.")
    if fmt == "knmi":
        from parkplan.io.knmi import read_knmi_hourly

        data, meta = read_knmi_hourly(p)
    elif fmt in ("pvgis-csv", "pvgis-json"):
        from parkplan.io.pvgis import read_pvgis_tmy

        is_json = p.read_text(encoding="utf-8", errors="replace").lstrip()[:1] == "{"
        if is_json != (fmt == "pvgis-json"):
            raise ParkplanError(
                f"Weerbestand {p.name} is geen {fmt} (de inhoud is "
                f"{'JSON' if is_json else 'CSV'}).",
                f"Weather file {p.name} is not {fmt} (the content is "
                f"{'JSON' if is_json else 'CSV'}).",
            )
        try:
            data, meta = read_pvgis_tmy(p)
        except (KeyError, ValueError, json.JSONDecodeError) as exc:
            if isinstance(exc, ParkplanError):
                raise
            raise ParkplanError(
                f"Weerbestand {p.name} is geen leesbare PVGIS-TMY ({exc}).",
                f"Weather file {p.name} is not a readable PVGIS TMY ({exc}).",
            ) from None
    else:
        data, meta = read_dwd_try(p)
    meta = {
        **meta,
        "format": fmt,
        "file_name": p.name,
        "file_sha256": file_sha256(p),
        "path": str(p),
    }
    return data, meta
