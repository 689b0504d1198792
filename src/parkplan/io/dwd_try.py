"""Reader for the German test reference years (TRY 2010, DWD) shipped inside ``demandlib``.

demandlib ships the DWD test reference years 2010 of all 15 German climate regions
(``demandlib/vdi/resources_weather/TRY2010_NN_Jahr.dat``). demandlib itself parses only
temperature and cloud cover; this reader also takes the solar irradiance (direct and diffuse
on the horizontal plane) and the wind speed.

Time convention
---------------
The header says the hours ``HH`` 1..24 are in MEZ (CET = UTC+1, no daylight saving time),
and the DWD handbook describes the values as belonging to the hour that ends at ``HH``.
The irradiance in the shipped files does not behave that way: it is symmetric around solar
noon in CET (the monthly centroid follows the equation of time) only when the value
stamped ``HH`` is read as the mean over ``HH-0:30 .. HH+0:30`` CET. Read as hour-ending,
mornings would be 70 % above clear sky and afternoons 20 % below it (see
``docs/weather-and-solar.md``). The default ``radiation_label="center"`` therefore labels
every row by the interval ``HH-0:30 .. HH+0:30`` CET, i.e. interval start
``HH - 1:30`` UTC; ``radiation_label="end"`` follows the handbook literally. Temperature and
wind are observations at ``HH`` and are taken as the mean of the same interval.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from parkplan.domain.errors import ParkplanError

TRY_COLUMNS = (
    "RG IS MM DD HH N WR WG t p x RF W B D IK A E IL".split()  # noqa: SIM905
)
"""Column names of the TRY 2010 data block, as in the file."""

RadiationLabel = Literal["center", "end"]


def demandlib_try_path(region: int = 5) -> Path:
    """Path of the TRY 2010 file of a DWD climate region inside the installed demandlib.

    Parameters
    ----------
    region : int
        DWD climate region 1..15; region 5 is "Niederrheinisch-westfälische Bucht und
        Emsland" (station Essen), the nearest to Drenthe.
    """
    if region not in range(1, 16):
        raise ParkplanError(
            f"TRY-regio {region!r} bestaat niet; verwacht 1 t/m 15.",
            f"TRY region {region!r} does not exist; expected 1 to 15.",
        )
    base = resources.files("demandlib") / "vdi" / "resources_weather"
    path = Path(str(base / f"TRY2010_{region:02d}_Jahr.dat"))
    if not path.is_file():
        raise ParkplanError(
            f"Testreferentiejaar niet gevonden in demandlib: {path}",
            f"Test reference year not found in demandlib: {path}",
        )
    return path


def _parse_dms(text: str) -> float:
    """``51°24'`` -> 51.4 [deg]."""
    deg, _, rest = text.partition("°")
    minutes = rest.strip().rstrip("'") or "0"
    return float(deg) + float(minutes) / 60.0


def _header_metadata(lines: list[str]) -> dict[str, Any]:
    meta: dict[str, Any] = {"title": lines[0].strip()}
    for line in lines:
        if line.startswith("Station:"):
            station, _, wmo = line.partition("WMO-Nummer:")
            meta["station"] = station.removeprefix("Station:").strip()
            meta["wmo"] = wmo.strip()
        elif line.startswith("Lage:"):
            # "Lage: 51°24'N <- B.   6°58'O <- L.   152 Meter über NN"
            body = line.removeprefix("Lage:")
            lat_txt, _, rest = body.partition("N")
            lon_txt, _, rest = rest.partition("<- B.")[2].partition("O")
            meta["lat_deg"] = _parse_dms(lat_txt.strip())
            meta["lon_deg"] = _parse_dms(lon_txt.strip())
            alt = rest.partition("<- L.")[2].split()
            if alt:
                meta["altitude_m"] = float(alt[0])
        elif line.startswith("Bezugszeitraum"):
            meta["period"] = line.partition(":")[2].strip()
        elif line.startswith("Art des TRY"):
            meta["kind"] = line.partition(":")[2].strip()
    return meta


def read_dwd_try(
    path: str | Path | None = None,
    *,
    year: int = 2010,
    radiation_label: RadiationLabel = "center",
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read a DWD test reference year 2010 file with irradiance, temperature and wind.

    Parameters
    ----------
    path : str or Path, optional
        The ``.dat`` file; by default region 5 from the installed demandlib.
    year : int
        Calendar year given to the (yearless) reference year; it must not be a leap year.
    radiation_label : {"center", "end"}
        How ``HH`` (CET) is read: mean over ``HH-0:30..HH+0:30`` (default, what the data
        shows) or over ``HH-1..HH`` (the handbook).

    Returns
    -------
    data : pandas.DataFrame
        Hourly values, index tz-aware UTC labelled by interval start, columns
        ``ghi_w_m2`` (= B + D), ``dni_w_m2`` (NaN: derived later from the beam on the
        horizontal plane, which needs the solar position), ``dhi_w_m2`` (= D),
        ``bhi_w_m2`` (= B), ``temp_air_c`` (t, 2 m), ``wind_speed_m_s`` (WG, 10 m).
        Irradiance in [W/m2], temperature [degC], wind [m/s].
    metadata : dict
        ``source``, ``station``, ``lat_deg``, ``lon_deg``, ``altitude_m``,
        ``time_convention``, ``path``, ...
    """
    if path is None:
        path = demandlib_try_path(5)
    path = Path(path)
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.startswith("***")) + 1
    except StopIteration:
        raise ParkplanError(
            f"{path}: geen TRY-bestand (regel '***' voor het gegevensblok ontbreekt).",
            f"{path}: not a TRY file (the '***' line before the data block is missing).",
        ) from None
    rows = [line.split() for line in lines[start:] if line.strip()]
    bad = [i for i, r in enumerate(rows) if len(r) != len(TRY_COLUMNS)]
    if bad:
        row = start + bad[0] + 1
        raise ParkplanError(
            f"{path}, rij {row}: {len(rows[bad[0]])} kolommen, verwacht {len(TRY_COLUMNS)}.",
            f"{path}, row {row}: {len(rows[bad[0]])} columns, expected {len(TRY_COLUMNS)}.",
        )
    raw = pd.DataFrame(np.array(rows, dtype=float), columns=list(TRY_COLUMNS))
    if len(raw) != 8760:
        raise ParkplanError(
            f"{path}: {len(raw)} uurwaarden, verwacht 8760.",
            f"{path}: {len(raw)} hourly values, expected 8760.",
        )
    stamp_cet = pd.to_datetime(
        {
            "year": np.full(len(raw), year),
            "month": raw["MM"].astype(int),
            "day": raw["DD"].astype(int),
        }
    ) + pd.to_timedelta(raw["HH"].astype(int), unit="h")
    # CET is a fixed UTC+1 (Etc/GMT-1 in POSIX sign convention)
    stamp_utc = pd.DatetimeIndex(stamp_cet).tz_localize("Etc/GMT-1").tz_convert("UTC")
    shift = pd.Timedelta(minutes=30 if radiation_label == "center" else 60)
    if radiation_label not in ("center", "end"):
        raise ParkplanError(
            f"radiation_label {radiation_label!r} onbekend; verwacht 'center' of 'end'.",
            f"radiation_label {radiation_label!r} unknown; expected 'center' or 'end'.",
        )
    index = pd.DatetimeIndex(stamp_utc - shift, name="interval_start_utc")
    data = pd.DataFrame(
        {
            "ghi_w_m2": (raw["B"] + raw["D"]).to_numpy(),
            "dni_w_m2": np.nan,
            "dhi_w_m2": raw["D"].to_numpy(),
            "bhi_w_m2": raw["B"].to_numpy(),
            "temp_air_c": raw["t"].to_numpy(),
            "wind_speed_m_s": raw["WG"].to_numpy(),
        },
        index=index,
    )
    meta = _header_metadata(lines[:start])
    meta.update(
        source="DWD Testreferenzjahr 2010 (via demandlib)",
        region=int(raw["RG"].iloc[0]),
        path=str(path),
        original_time_convention=(
            "HH 1..24 in MEZ/CET (UTC+1, no DST); irradiance read as the mean over "
            + (
                "HH-0:30..HH+0:30 CET (centred, what the data shows)"
                if radiation_label == "center"
                else "HH-1..HH CET (hour-ending, as in the handbook)"
            )
        ),
        radiation_label=radiation_label,
        index_convention="UTC, interval start",
        freq_minutes=60,
    )
    return data, meta
