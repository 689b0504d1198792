"""Reader for KNMI hourly station files (``uurgeg_279_2021-2030.txt`` and the like).

Format (KNMI "uurgegevens"): a free-text header, a station block
``STN LON(east) LAT(north) ALT(m) NAME``, one line per variable, then the comma separated
data with the header line ``# STN,YYYYMMDD,   HH,   DD,   FH, ...``. Empty fields are
missing values.

Units and time, as KNMI documents them:

- ``HH`` 1..24 in UT; "uurvak 05 loopt van 04.00 UT tot 5.00 UT": the hour ending at HH.
  We label each row by its interval start, ``YYYYMMDD + (HH - 1) h`` UTC.
- ``Q`` global radiation per hourly division [J/cm2]; 1 J/cm2 per hour is
  10 000 J/m2 / 3 600 s = 2.778 W/m2 (mean irradiance), equal to 2.778 Wh/m2.
- ``T`` temperature at 1.50 m at the time of observation [0.1 degC]: an observation at the
  END of the hour (HH), not an hourly mean. ``temp_air_c`` of the hour is interpolated to
  its midpoint, the mean of the observations at its start (HH - 1) and end (HH); see
  :func:`_temperature_at_midpoint`. Q and FH are hourly values and are kept as they are.
- ``FH`` hourly mean wind speed (10 m) [0.1 m/s].

KNMI gives only global radiation: ``dni_w_m2`` and ``dhi_w_m2`` are NaN here and are
filled by :func:`parkplan.energy.weather.decompose_ghi` (Erbs) during resampling.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from parkplan.domain.errors import ParkplanError

J_PER_CM2_TO_J_PER_M2 = 1.0e4
"""Unit conversion cm-2 -> m-2."""
SECONDS_PER_HOUR = 3600.0


_STATION_LINE = re.compile(
    r"^(\d+):?\s+(-?\d+(?:\.\d*)?)\s+(-?\d+(?:\.\d*)?)\s+(-?\d+(?:\.\d*)?)\s*(.*)$"
)
"""``279:  6.574  52.750  15.80  Hoogeveen`` (the colon is optional)."""


def _uncomment(line: str) -> str:
    """The line without a leading ``#`` (script output and ``uurgeg_*`` files use it)."""
    text = line.strip()
    return text[1:].strip() if text.startswith("#") else text


def _station_block(lines: list[str]) -> dict[str, Any]:
    """Station locations from the block under ``STN LON(east) LAT(north) ALT(m) NAME``.

    Both header styles are read: plain lines and lines prefixed with ``#``.
    """
    meta: dict[str, Any] = {}
    for i, line in enumerate(lines):
        text = _uncomment(line)
        if text.startswith("STN") and "LON" in text and "LAT" in text:
            for entry in lines[i + 1 :]:
                match = _STATION_LINE.match(_uncomment(entry))
                if match is None:
                    break
                code, lon, lat, alt, name = match.groups()
                meta.setdefault("stations", {})[code] = {
                    "lon_deg": float(lon),
                    "lat_deg": float(lat),
                    "altitude_m": float(alt),
                    "name": name.strip(),
                }
            break
    return meta


def _temperature_at_midpoint(t_end_c: pd.Series) -> pd.Series:
    """Hourly temperature at the interval midpoint from observations at the interval end.

    Parameters
    ----------
    t_end_c : pandas.Series
        Observed temperature at the END of each hour, on a sorted index of interval starts
        (hourly, UTC). [degC]

    Returns
    -------
    pandas.Series
        Per interval the mean of the observations at its start (the end of the previous
        hour) and at its end. [degC] The first hour of the file has no observation at its
        start and takes the one at its end; where an observation is missing (or its hour is
        absent from the file) the intervals that need it are NaN, never filled.
    """
    t_start_c = t_end_c.shift(1, freq="h").reindex(t_end_c.index)
    t_start_c.iloc[0] = t_end_c.iloc[0]
    return (t_start_c + t_end_c) / 2.0


def read_knmi_hourly(
    path: str | Path, *, station: int | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read a KNMI hourly station file.

    Parameters
    ----------
    path : str or Path
        The text file as downloaded from KNMI.
    station : int, optional
        Station number to keep when the file holds several (e.g. 279 Hoogeveen).

    Returns
    -------
    data : pandas.DataFrame
        Hourly values, index tz-aware UTC labelled by interval start. Columns ``ghi_w_m2``
        (from Q) [W/m2], ``dni_w_m2`` and ``dhi_w_m2`` (NaN), ``temp_air_c`` (from T,
        interpolated to the interval midpoint: mean of the observations at the start and
        the end of the hour) [degC], ``wind_speed_m_s`` (from FH) [m/s].
    metadata : dict
        ``source``, ``station``, ``station_name``, ``lat_deg``, ``lon_deg``,
        ``altitude_m``, ``original_time_convention``, ``temperature_convention``,
        ``path``.
    """
    path = Path(path)
    text = path.read_text(encoding="latin-1")
    lines = text.splitlines()
    try:
        head = next(i for i, line in enumerate(lines) if line.lstrip("# ").startswith("STN,"))
    except StopIteration:
        raise ParkplanError(
            f"{path}: geen KNMI-uurbestand (kopregel '# STN,YYYYMMDD,HH,...' ontbreekt).",
            f"{path}: not a KNMI hourly file (header line '# STN,YYYYMMDD,HH,...' missing).",
        ) from None
    columns = [c.strip() for c in lines[head].lstrip("# ").split(",")]
    missing = [c for c in ("STN", "YYYYMMDD", "HH", "Q", "T", "FH") if c not in columns]
    if missing:
        raise ParkplanError(
            f"{path}, rij {head + 1}: kolommen ontbreken: {', '.join(missing)}.",
            f"{path}, row {head + 1}: columns missing: {', '.join(missing)}.",
        )
    body = "\n".join(line for line in lines[head + 1 :] if line.strip())
    raw = pd.read_csv(
        io.StringIO(body),
        header=None,
        names=columns,
        skipinitialspace=True,
        na_values=[""],
        dtype=float,
    )
    if station is not None:
        raw = raw[raw["STN"] == station]
    stations = sorted({int(s) for s in raw["STN"].dropna()})
    if len(stations) != 1:
        raise ParkplanError(
            f"{path}: {len(stations)} stations gevonden ({stations}); kies er een met station=.",
            f"{path}: {len(stations)} stations found ({stations}); choose one with station=.",
        )
    hh = raw["HH"].astype(int).to_numpy()
    if hh.min() < 1 or hh.max() > 24:
        raise ParkplanError(
            f"{path}: uur HH buiten 1..24 (gevonden {hh.min()}..{hh.max()}).",
            f"{path}: hour HH outside 1..24 (found {hh.min()}..{hh.max()}).",
        )
    day = pd.to_datetime(raw["YYYYMMDD"].astype(int).astype(str), format="%Y%m%d")
    start = pd.DatetimeIndex(day + pd.to_timedelta(hh - 1, unit="h")).tz_localize("UTC")
    index = pd.DatetimeIndex(start, name="interval_start_utc")
    if index.has_duplicates:
        dup = index[index.duplicated()][0]
        raise ParkplanError(
            f"{path}: uur {dup} komt meer dan eens voor.",
            f"{path}: hour {dup} occurs more than once.",
        )
    q_j_cm2 = raw["Q"].to_numpy()
    data = pd.DataFrame(
        {
            "ghi_w_m2": q_j_cm2 * J_PER_CM2_TO_J_PER_M2 / SECONDS_PER_HOUR,
            "dni_w_m2": np.nan,
            "dhi_w_m2": np.nan,
            "temp_air_c": raw["T"].to_numpy() / 10.0,
            "wind_speed_m_s": raw["FH"].to_numpy() / 10.0,
        },
        index=index,
    ).sort_index()
    data["temp_air_c"] = _temperature_at_midpoint(data["temp_air_c"])
    meta: dict[str, Any] = {
        "source": "KNMI uurgegevens (hourly station data)",
        "station": stations[0],
        "path": str(path),
        "original_time_convention": (
            "HH 1..24 in UT, hour-ending (uurvak 05 = 04:00-05:00 UT); "
            "Q in J/cm2 per hour, T in 0.1 degC at observation, FH in 0.1 m/s hourly mean"
        ),
        "temperature_convention": (
            "T is observed at the end of the hour (HH), not an hourly mean: temp_air_c is "
            "interpolated to the interval midpoint, (T at HH-1 + T at HH) / 2; the first "
            "hour of the file takes T at HH; NaN where an observation is missing"
        ),
        "index_convention": "UTC, interval start",
        "freq_minutes": 60,
    }
    info = _station_block(lines[:head]).get("stations", {}).get(str(stations[0]))
    if info:
        meta.update(
            station_name=info["name"],
            lat_deg=info["lat_deg"],
            lon_deg=info["lon_deg"],
            altitude_m=info["altitude_m"],
        )
    return data, meta
