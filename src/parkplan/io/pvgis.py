"""Reader for PVGIS typical meteorological years (TMY), CSV and JSON output of the PVGIS
5.x ``tmy`` tool (https://re.jrc.ec.europa.eu/pvg_tools/en/#TMY).

Each file holds 8,760 hourly rows in UTC (``time(UTC)`` as ``YYYYMMDD:HHMM``), each month
taken from a different year (``months_selected``). Columns used: ``G(h)`` global
horizontal, ``Gb(n)`` beam normal, ``Gd(h)`` diffuse horizontal irradiance [W/m2],
``T2m`` air temperature at 2 m [degC], ``WS10m`` wind speed at 10 m [m/s]. A row is taken
as the hour that starts at its stamp floored to the hour (as pvlib does); the index keeps
the original (mixed) years, so map it onto a calendar year with
:func:`parkplan.energy.weather.to_year` before resampling.

:func:`get_pvgis_tmy` fetches a TMY online; parkplan never calls it at run time or in
tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from parkplan.domain.errors import ParkplanError

PVGIS_COLUMNS = {
    "G(h)": "ghi_w_m2",
    "Gb(n)": "dni_w_m2",
    "Gd(h)": "dhi_w_m2",
    "T2m": "temp_air_c",
    "WS10m": "wind_speed_m_s",
}
"""PVGIS name -> parkplan name."""

PVGIS_TMY_URL = "https://re.jrc.ec.europa.eu/api/v5_2/tmy"


def _frame(records: pd.DataFrame, path: Path) -> pd.DataFrame:
    missing = [c for c in ("time(UTC)", *PVGIS_COLUMNS) if c not in records.columns]
    if missing:
        raise ParkplanError(
            f"{path}: kolommen ontbreken in de PVGIS-TMY: {', '.join(missing)}.",
            f"{path}: columns missing in the PVGIS TMY: {', '.join(missing)}.",
        )
    stamps = pd.to_datetime(records["time(UTC)"].astype(str).str.strip(), format="%Y%m%d:%H%M")
    index = pd.DatetimeIndex(stamps).floor("h").tz_localize("UTC")
    data = records[list(PVGIS_COLUMNS)].astype(float).rename(columns=PVGIS_COLUMNS)
    data.index = pd.DatetimeIndex(index, name="interval_start_utc")
    # PVGIS writes -0.0 for some night values
    return data + 0.0


def _meta(path: Path, inputs: dict[str, Any], months: list[dict[str, int]]) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "source": "PVGIS TMY (JRC, European Commission)",
        "path": str(path),
        "station": None,
        "lat_deg": inputs.get("latitude"),
        "lon_deg": inputs.get("longitude"),
        "altitude_m": inputs.get("elevation"),
        "months_selected": months,
        "original_time_convention": "time(UTC) YYYYMMDD:HHMM, taken as start of the hour",
        "index_convention": "UTC, interval start",
        "freq_minutes": 60,
    }
    for key in ("radiation_db", "meteo_db", "year_min", "year_max"):
        if key in inputs:
            meta[key] = inputs[key]
    return meta


def _read_csv(path: Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    inputs: dict[str, Any] = {}
    names = {"latitude": "Latitude", "longitude": "Longitude", "elevation": "Elevation"}
    for line in lines[:3]:
        for key, label in names.items():
            if line.startswith(label):
                inputs[key] = float(line.partition(":")[2])
    try:
        head = next(i for i, line in enumerate(lines) if line.startswith("time(UTC)"))
    except StopIteration:
        raise ParkplanError(
            f"{path}: geen PVGIS-TMY (kopregel 'time(UTC),...' ontbreekt).",
            f"{path}: not a PVGIS TMY (header line 'time(UTC),...' missing).",
        ) from None
    months: list[dict[str, int]] = []
    for line in lines[:head]:
        parts = line.split(",")
        if len(parts) == 2 and parts[0].strip().isdigit() and parts[1].strip().isdigit():
            months.append({"month": int(parts[0]), "year": int(parts[1])})
    columns = [c.strip() for c in lines[head].split(",")]
    rows = []
    for line in lines[head + 1 :]:
        parts = line.split(",")
        if len(parts) != len(columns) or not parts[0][:1].isdigit():
            break  # the legend and copyright lines follow the data
        rows.append(parts)
    records = pd.DataFrame(rows, columns=columns)
    return _frame(records, path), _meta(path, inputs, months)


def _read_json(path: Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    try:
        hourly = doc["outputs"]["tmy_hourly"]
    except (KeyError, TypeError):
        raise ParkplanError(
            f"{path}: geen PVGIS-TMY (outputs.tmy_hourly ontbreekt).",
            f"{path}: not a PVGIS TMY (outputs.tmy_hourly missing).",
        ) from None
    inputs = dict(doc.get("inputs", {}).get("location", {}))
    inputs.update(doc.get("inputs", {}).get("meteo_data", {}))
    months = [
        {"month": int(m["month"]), "year": int(m["year"])}
        for m in doc["outputs"].get("months_selected", [])
    ]
    return _frame(pd.DataFrame.from_records(hourly), path), _meta(path, inputs, months)


def read_pvgis_tmy(path: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read a PVGIS TMY file, CSV or JSON (chosen by content).

    Returns
    -------
    data : pandas.DataFrame
        Hourly values, index tz-aware UTC labelled by interval start (original years of
        the selected months), columns ``ghi_w_m2``, ``dni_w_m2``, ``dhi_w_m2`` [W/m2],
        ``temp_air_c`` [degC], ``wind_speed_m_s`` [m/s].
    metadata : dict
        ``source``, ``lat_deg``, ``lon_deg``, ``altitude_m``, ``months_selected``,
        ``original_time_convention``, ``path``.
    """
    path = Path(path)
    first = path.read_text(encoding="utf-8").lstrip()[:1]
    return _read_json(path) if first == "{" else _read_csv(path)


def get_pvgis_tmy(
    lat_deg: float, lon_deg: float, *, timeout_s: float = 30.0
) -> tuple[pd.DataFrame, dict[str, Any]]:  # pragma: no cover - network, never in tests
    """Fetch a PVGIS TMY over the network (JSON) and parse it like :func:`read_pvgis_tmy`.

    Never used by parkplan at run time by default; save the answer and read the file.
    """
    import tempfile
    import urllib.parse
    import urllib.request

    query = urllib.parse.urlencode({"lat": lat_deg, "lon": lon_deg, "outputformat": "json"})
    with urllib.request.urlopen(f"{PVGIS_TMY_URL}?{query}", timeout=timeout_s) as answer:
        body = answer.read().decode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "tmy.json"
        target.write_text(body, encoding="utf-8")
        return read_pvgis_tmy(target)
