"""Weather for the energy engine: decomposition, resampling to 15 minutes and mapping a
reference year onto a calendar year in Europe/Amsterdam.

Conventions
-----------
A weather frame has the columns ``ghi_w_m2``, ``dni_w_m2``, ``dhi_w_m2`` (mean irradiance
over the interval [W/m2]), ``temp_air_c`` [degC] and ``wind_speed_m_s`` (10 m) [m/s]. Its
index is tz-aware, regular, and every timestamp is the START of the interval it describes.
Solar positions are always computed at interval midpoints. Metadata travel in
``DataFrame.attrs`` (``lat_deg``, ``lon_deg`` of the weather station, ``source``, ...).

Resampling (hourly -> 15 minutes), energy conserving
----------------------------------------------------
Irradiance: the hourly clear-sky index (hourly mean / hourly mean of the Haurwitz clear-sky
GHI at the station) is interpolated linearly between hour midpoints, multiplied by the
clear-sky GHI at each quarter's midpoint, and each hour is then rescaled so that its quarters
average exactly to the hourly value. This is done separately for the diffuse (DHI) and the
beam-on-horizontal part (GHI - DHI), so GHI is conserved exactly and the solar-noon peak
falls in the right quarter. DNI follows per quarter as beam / cos(zenith); beam with the sun
lower than 87 deg elevation-equivalent (zenith > 87 deg) is counted as diffuse, as pvlib's
decomposition models do. Temperature: linear interpolation between hour midpoints with an
additive correction per hour (hour means conserved); wind: the same with a multiplicative
correction. Downsampling averages.

Decomposition: when only GHI is known (KNMI), Erbs (1982) via :func:`pvlib.irradiance.erbs`
on the hourly values, before resampling.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import pvlib

from parkplan.domain.errors import ParkplanError

WEATHER_COLUMNS = ("ghi_w_m2", "dni_w_m2", "dhi_w_m2", "temp_air_c", "wind_speed_m_s")
"""The columns of a weather frame, in order."""

MAX_ZENITH_DEG = 87.0
"""Beam with the sun beyond this zenith counts as diffuse (as in pvlib.irradiance.erbs)."""
MIN_COS_ZENITH = 0.065
"""Floor for cos(zenith) when dividing beam-horizontal by it (pvlib.irradiance.erbs)."""
KT_MAX_INTERPOLATION = 1.5
"""Clear-sky indices are clipped to this value before interpolation between hours, so a
dawn hour with a tiny clear-sky reference does not distort its neighbours (the rescaling per
hour keeps the energy exact either way)."""

BASE_FREQ_MINUTES = 15
"""The Dutch metering interval (kwartierwaarden); reference years off the full hour are
resampled to (a divisor of) it before they are mapped onto a calendar year."""

SOLAR_POSITION_METHOD = "ephemeris"
"""pvlib solar position algorithm used for resampling and PV (fast; ~0.01 deg difference
from NREL SPA, irrelevant at 15-minute resolution)."""


# ----------------------------------------------------------------------------- helpers


@contextmanager
def pvlib_quiet() -> Iterator[None]:
    """Silence only pandas' deprecation warnings raised inside pvlib (e.g. ``dayofyear``
    under pandas 3), which would otherwise fail runs with warnings as errors."""
    category = getattr(pd.errors, "Pandas4Warning", FutureWarning)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=category, module=r"pvlib\.")
        warnings.filterwarnings("ignore", category=category, module=r"pandas\.")
        yield


def freq_minutes_of(index: pd.DatetimeIndex) -> int:
    """Interval length of a regular index. [min]"""
    if len(index) < 2:
        raise ParkplanError(
            "Weerreeks heeft minder dan twee tijdstippen; interval onbekend.",
            "Weather series has fewer than two timestamps; interval unknown.",
        )
    steps = np.diff(index.asi8)
    if not np.all(steps == steps[0]):
        where = int(np.flatnonzero(steps != steps[0])[0])
        raise ParkplanError(
            f"Weerreeks is niet regelmatig: na {index[where]} volgt {index[where + 1]}; "
            "verwacht vaste intervallen (gebruik eerst to_year voor een TMY met gemengde jaren).",
            f"Weather series is not regular: {index[where]} is followed by "
            f"{index[where + 1]}; expected fixed intervals (use to_year first for a TMY "
            "with mixed years).",
        )
    step = pd.Timedelta(int(steps[0]), unit=index.unit)
    return int(step / pd.Timedelta(minutes=1))


def _require_tz(index: pd.DatetimeIndex) -> None:
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise ParkplanError(
            "Weerreeks heeft geen tijdzone; verwacht een index met tijdzone (begin interval).",
            "Weather series has no time zone; expected a tz-aware index (interval start).",
        )


def solar_position(
    times: pd.DatetimeIndex, lat_deg: float, lon_deg: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Apparent zenith, zenith and azimuth at given instants. [deg]"""
    with pvlib_quiet():
        sp = pvlib.solarposition.get_solarposition(
            times, lat_deg, lon_deg, method=SOLAR_POSITION_METHOD
        )
    return (
        sp["apparent_zenith"].to_numpy(float),
        sp["zenith"].to_numpy(float),
        sp["azimuth"].to_numpy(float),
    )


def midpoints(index: pd.DatetimeIndex, freq_minutes: int) -> pd.DatetimeIndex:
    """Interval midpoints of an interval-start index."""
    return index + pd.Timedelta(minutes=freq_minutes / 2)


def _station(weather: pd.DataFrame, lat_deg: float | None, lon_deg: float | None):
    lat = lat_deg if lat_deg is not None else weather.attrs.get("lat_deg")
    lon = lon_deg if lon_deg is not None else weather.attrs.get("lon_deg")
    if lat is None or lon is None:
        raise ParkplanError(
            "Ligging van het weerstation onbekend: geef lat_deg en lon_deg op.",
            "Weather station location unknown: pass lat_deg and lon_deg.",
        )
    return float(lat), float(lon)


def _beam_split(
    ghi: np.ndarray, dhi: np.ndarray, zenith: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """DNI and DHI from GHI and DHI with the zenith rules of this module. [W/m2]"""
    bhi = np.clip(ghi - dhi, 0.0, None)
    cosz = np.cos(np.radians(zenith))
    low = zenith > MAX_ZENITH_DEG
    dni = np.where(low, 0.0, bhi / np.maximum(cosz, MIN_COS_ZENITH))
    dhi_out = ghi - dni * np.where(low, 0.0, np.maximum(cosz, MIN_COS_ZENITH))
    return dni, dhi_out


# ----------------------------------------------------------------------------- decomposition


def decompose_ghi(
    weather: pd.DataFrame,
    lat_deg: float | None = None,
    lon_deg: float | None = None,
    *,
    model: str = "erbs",
) -> pd.DataFrame:
    """Fill missing DHI (and DNI) from GHI with the Erbs model.

    Parameters
    ----------
    weather : pandas.DataFrame
        Weather frame; rows where ``dhi_w_m2`` is NaN are decomposed.
    lat_deg, lon_deg : float, optional
        Station location [deg]; default from ``weather.attrs``.
    model : {"erbs"}
        Decomposition model (Erbs, Klein & Duffie 1982, via pvlib).

    Returns
    -------
    pandas.DataFrame
        A copy with ``dhi_w_m2`` and ``dni_w_m2`` filled. [W/m2]
    """
    if model != "erbs":
        raise ParkplanError(
            f"Decompositiemodel {model!r} onbekend; verwacht 'erbs'.",
            f"Decomposition model {model!r} unknown; expected 'erbs'.",
        )
    _require_tz(weather.index)
    lat, lon = _station(weather, lat_deg, lon_deg)
    out = weather.copy()
    freq = freq_minutes_of(weather.index)
    mid = midpoints(weather.index, freq)
    _, zenith, _ = solar_position(mid, lat, lon)
    ghi = out["ghi_w_m2"].to_numpy(float)
    missing = out["dhi_w_m2"].isna().to_numpy()
    if missing.any():
        with pvlib_quiet():
            parts = pvlib.irradiance.erbs(ghi, zenith, mid.day_of_year.to_numpy())
        dhi = np.asarray(parts["dhi"], dtype=float)
        out.loc[missing, "dhi_w_m2"] = dhi[missing]
        out.attrs["decomposition"] = "Erbs (pvlib.irradiance.erbs) on hourly values"
    dni, _ = _beam_split(ghi, out["dhi_w_m2"].to_numpy(float), zenith)
    out["dni_w_m2"] = np.where(out["dni_w_m2"].isna(), dni, out["dni_w_m2"])
    return out


# ----------------------------------------------------------------------------- resampling


def _upsample_irradiance(
    hourly: np.ndarray, cs_sub: np.ndarray, n: int, kt_max: float = KT_MAX_INTERPOLATION
) -> np.ndarray:
    """Split interval means into n sub-interval means, following the clear-sky shape.

    ``hourly`` has H values, ``cs_sub`` H*n clear-sky values at sub-interval midpoints.
    The n sub-values of each interval average exactly to the interval value.
    """
    h = len(hourly)
    cs = cs_sub.reshape(h, n)
    cs_mean = cs.mean(axis=1)
    sunny = cs_mean > 0.0
    kt = np.zeros(h)
    kt[sunny] = np.clip(hourly[sunny] / cs_mean[sunny], 0.0, kt_max)
    # interpolate kt between interval midpoints at sub-interval midpoints
    x_hour = np.arange(h) + 0.5
    x_sub = (np.arange(h * n) + 0.5) / n
    kt_sub = np.interp(x_sub, x_hour[sunny], kt[sunny]) if sunny.any() else np.zeros(h * n)
    raw = (kt_sub * cs_sub).reshape(h, n)
    total = raw.sum(axis=1)
    out = np.repeat(hourly[:, None], n, axis=1).astype(float)
    ok = total > 0.0
    out[ok] = raw[ok] * (n * hourly[ok] / total[ok])[:, None]
    return out.ravel()


def _upsample_smooth(values: np.ndarray, n: int, *, multiplicative: bool) -> np.ndarray:
    """Linear interpolation between interval midpoints, corrected to conserve each mean."""
    h = len(values)
    x_hour = np.arange(h) + 0.5
    x_sub = (np.arange(h * n) + 0.5) / n
    raw = np.interp(x_sub, x_hour, values).reshape(h, n)
    mean = raw.mean(axis=1)
    if multiplicative:
        out = np.repeat(values[:, None], n, axis=1).astype(float)
        ok = mean > 0.0
        out[ok] = raw[ok] * (values[ok] / mean[ok])[:, None]
    else:
        out = raw + (values - mean)[:, None]
    return out.ravel()


def resample_weather(
    weather: pd.DataFrame,
    freq_minutes: int,
    *,
    lat_deg: float | None = None,
    lon_deg: float | None = None,
) -> pd.DataFrame:
    """Resample a weather frame to ``freq_minutes``, conserving interval means.

    Parameters
    ----------
    weather : pandas.DataFrame
        Regular, tz-aware, interval-start weather frame (see module docstring). Missing
        DHI is decomposed first (Erbs).
    freq_minutes : int
        Target interval [min]; the source interval must be a multiple of it (upsampling)
        or divide it (downsampling).
    lat_deg, lon_deg : float, optional
        Station location for the clear-sky shape [deg]; default from ``weather.attrs``.

    Returns
    -------
    pandas.DataFrame
        Same columns (``WEATHER_COLUMNS``), interval-start index at the new frequency in
        the same time zone; ``attrs`` copied and extended with ``freq_minutes`` and
        ``resampling``.
    """
    _require_tz(weather.index)
    lat, lon = _station(weather, lat_deg, lon_deg)
    src = freq_minutes_of(weather.index)
    data = weather
    if data["dhi_w_m2"].isna().any():
        data = decompose_ghi(data, lat, lon)
    bad = data[["ghi_w_m2", "dhi_w_m2", "temp_air_c", "wind_speed_m_s"]].isna().any()
    if bad.any():
        cols = ", ".join(bad[bad].index)
        raise ParkplanError(
            f"Weerreeks heeft ontbrekende waarden in {cols}; vul ze eerst (expliciet).",
            f"Weather series has missing values in {cols}; fill them first (explicitly).",
        )
    attrs = dict(weather.attrs)
    if freq_minutes == src:
        out = data[list(WEATHER_COLUMNS)].copy()
        if out["dni_w_m2"].isna().any():
            _, zenith, _ = solar_position(midpoints(out.index, src), lat, lon)
            dni, _ = _beam_split(out["ghi_w_m2"].to_numpy(), out["dhi_w_m2"].to_numpy(), zenith)
            out["dni_w_m2"] = dni
    elif src % freq_minutes == 0:
        n = src // freq_minutes
        step = pd.Timedelta(minutes=freq_minutes)
        index = pd.DatetimeIndex(
            (data.index.repeat(n) + step * np.tile(np.arange(n), len(data))),
            name=data.index.name,
        )
        app_zenith, zenith, _ = solar_position(midpoints(index, freq_minutes), lat, lon)
        with pvlib_quiet():
            cs = pvlib.clearsky.haurwitz(pd.Series(app_zenith))["ghi"].to_numpy(float)
        cs = np.nan_to_num(cs)
        ghi = data["ghi_w_m2"].to_numpy(float)
        dhi = np.minimum(data["dhi_w_m2"].to_numpy(float), ghi)
        dhi_sub = _upsample_irradiance(dhi, cs, n)
        bhi_sub = _upsample_irradiance(ghi - dhi, cs, n)
        ghi_sub = dhi_sub + bhi_sub
        dni_sub, dhi_sub = _beam_split(ghi_sub, dhi_sub, zenith)
        out = pd.DataFrame(
            {
                "ghi_w_m2": ghi_sub,
                "dni_w_m2": dni_sub,
                "dhi_w_m2": dhi_sub,
                "temp_air_c": _upsample_smooth(
                    data["temp_air_c"].to_numpy(float), n, multiplicative=False
                ),
                "wind_speed_m_s": _upsample_smooth(
                    data["wind_speed_m_s"].to_numpy(float), n, multiplicative=True
                ),
            },
            index=index,
        )
        attrs["resampling"] = (
            "clear-sky-index interpolation (Haurwitz), rescaled per interval; "
            "temperature/wind linear with per-interval mean correction"
        )
    elif freq_minutes % src == 0:
        n = freq_minutes // src
        if len(data) % n:
            raise ParkplanError(
                f"{len(data)} intervallen zijn niet te groeperen per {n}.",
                f"{len(data)} intervals cannot be grouped by {n}.",
            )
        values = data[list(WEATHER_COLUMNS)].to_numpy(float)
        means = values.reshape(len(data) // n, n, len(WEATHER_COLUMNS)).mean(axis=1)
        out = pd.DataFrame(means, index=data.index[::n], columns=list(WEATHER_COLUMNS))
        attrs["resampling"] = "mean over sub-intervals"
    else:
        raise ParkplanError(
            f"Kan niet van {src} naar {freq_minutes} minuten herbemonsteren.",
            f"Cannot resample from {src} to {freq_minutes} minutes.",
        )
    attrs["freq_minutes"] = freq_minutes
    out.attrs = attrs
    return out


# ----------------------------------------------------------------------------- calendar year


def _utc_keys(index: pd.DatetimeIndex) -> np.ndarray:
    utc = index.tz_convert("UTC")
    minute = utc.hour.to_numpy() * 60 + utc.minute.to_numpy()
    return (utc.month.to_numpy() * 100 + utc.day.to_numpy()) * 1440 + minute


def year_index(year: int, freq_minutes: int = 15, tz: str = "Europe/Amsterdam"):
    """The interval-start index of a calendar year on the local clock.

    35,040 intervals of 15 minutes in a normal year; the spring DST day has 92, the
    autumn day 100.
    """
    start = pd.Timestamp(year=year, month=1, day=1, tz=tz)
    end = pd.Timestamp(year=year + 1, month=1, day=1, tz=tz)
    return pd.date_range(
        start, end, freq=f"{freq_minutes}min", inclusive="left", name="interval_start", unit="s"
    )


def to_year(weather: pd.DataFrame, year: int, tz: str = "Europe/Amsterdam") -> pd.DataFrame:
    """Map a reference year onto a calendar year, by solar (UTC) time of year.

    Every target interval takes the reference value of the same UTC month, day and time
    of day, so the sun stands where the reference data saw it. 29 February takes the
    values of 28 February when the reference has no leap day; the first local hours of
    1 January (still 31 December in UTC) take the reference's 31 December.

    Parameters
    ----------
    weather : pandas.DataFrame
        Tz-aware interval-start weather frame covering every UTC (month, day, time) of a
        year at its interval (any year or mix of years, e.g. a PVGIS TMY).
    year : int
        Target calendar year.
    tz : str
        Target time zone (local clock).

    Returns
    -------
    pandas.DataFrame
        Index: :func:`year_index` of ``year`` at the source interval, in ``tz``.
    """
    _require_tz(weather.index)
    steps = np.diff(np.sort(weather.index.asi8))
    unit_step = pd.Timedelta(int(steps.min()), unit=weather.index.unit)
    freq = int(unit_step / pd.Timedelta(minutes=1))
    target = year_index(year, freq, tz)
    src_keys = _utc_keys(weather.index)
    if len(np.unique(src_keys)) != len(src_keys):
        raise ParkplanError(
            "Referentiejaar bevat hetzelfde tijdstip van het jaar meer dan eens.",
            "Reference year holds the same time of year more than once.",
        )
    tgt_keys = _utc_keys(target)
    feb29 = (tgt_keys // 1440) == 229
    has_feb29 = bool(np.any((src_keys // 1440) == 229))
    if not has_feb29:
        tgt_keys = np.where(feb29, tgt_keys - 1440, tgt_keys)
    pos = pd.Index(src_keys).get_indexer(tgt_keys)
    if (pos < 0).any():
        first = target[int(np.flatnonzero(pos < 0)[0])]
        raise ParkplanError(
            f"Referentiejaar dekt {first.tz_convert('UTC')} (UTC-tijd van het jaar) niet; "
            "herbemonster eerst naar hetzelfde interval of gebruik een volledig jaar.",
            f"Reference year does not cover {first.tz_convert('UTC')} (UTC time of year); "
            "resample to the same interval first or use a complete year.",
        )
    out = weather.iloc[pos].copy()
    out.index = target
    out.attrs = {**weather.attrs, "year": year, "tz": tz, "freq_minutes": freq}
    return out


def prepare_weather(
    weather: pd.DataFrame,
    year: int,
    freq_minutes: int = 15,
    tz: str = "Europe/Amsterdam",
    *,
    lat_deg: float | None = None,
    lon_deg: float | None = None,
) -> pd.DataFrame:
    """Reader output -> calendar year at ``freq_minutes`` on the local clock.

    Hourly data on the full UTC hour (KNMI, PVGIS) is mapped onto the year first and then
    resampled (continuous across the year boundary, mixed TMY years allowed); data on
    other minutes (the TRY, labelled at half hours) is first resampled to a step that
    fits both grids (15 minutes for the TRY), mapped, then averaged to ``freq_minutes``.
    """
    on_hour = bool(np.all(weather.index.tz_convert("UTC").minute == 0))
    if on_hour:
        return resample_weather(
            to_year(weather, year, tz), freq_minutes, lat_deg=lat_deg, lon_deg=lon_deg
        )
    offsets = weather.index.tz_convert("UTC").minute.to_numpy()
    step = math.gcd(freq_minutes, BASE_FREQ_MINUTES, *(int(m) for m in np.unique(offsets)))
    fine = resample_weather(weather, step, lat_deg=lat_deg, lon_deg=lon_deg)
    mapped = to_year(fine, year, tz)
    if step == freq_minutes:
        return mapped
    return resample_weather(mapped, freq_minutes, lat_deg=lat_deg, lon_deg=lon_deg)


def with_metadata(weather: pd.DataFrame, metadata: Mapping[str, Any]) -> pd.DataFrame:
    """Attach reader metadata (station location etc.) to ``weather.attrs``."""
    out = weather.copy()
    out.attrs = {**weather.attrs, **dict(metadata)}
    return out


def one_reference_year(weather: pd.DataFrame, year: int) -> tuple[pd.DataFrame, str | None]:
    """One year of a weather series, ready for :func:`to_year`.

    A reference year (TRY, TMY) or a single year of observations is returned as it is. A
    multi-year station file (KNMI ``uurgeg_279_2021-2030.txt``) is cut to the UTC calendar
    year ``year`` when the file covers it completely, otherwise to its latest complete
    year.

    Parameters
    ----------
    weather : pandas.DataFrame
        Reader output on a tz-aware interval-start index.
    year : int
        The simulated year.

    Returns
    -------
    weather, selection
        The series and a note on the year taken (``None`` when nothing was cut).

    Raises
    ------
    ParkplanError
        Several years, none of them complete.
    """
    _require_tz(weather.index)
    keys = _utc_keys(weather.index)
    if len(np.unique(keys)) == len(keys):
        return weather, None
    utc_year = np.asarray(weather.index.tz_convert("UTC").year)
    steps = np.diff(np.sort(weather.index.asi8))
    step_min = pd.Timedelta(int(steps.min()), unit=weather.index.unit) / pd.Timedelta(minutes=1)
    per_day = round(24 * 60 / step_min)

    def complete(y: int) -> bool:
        days = 366 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 365
        sel = utc_year == y
        return int(sel.sum()) == days * per_day and not weather[sel].isna().all(axis=1).any()

    years = sorted({int(y) for y in utc_year})
    full = [y for y in years if complete(y)]
    if not full:
        raise ParkplanError(
            f"Het weerbestand beslaat de jaren {years[0]}-{years[-1]} maar geen volledig jaar; "
            "verwacht ten minste één volledig kalenderjaar (UTC).",
            f"The weather file covers {years[0]}-{years[-1]} but no complete year; expected "
            "at least one complete calendar year (UTC).",
        )
    chosen = year if year in full else full[-1]
    note = f"year {chosen} of {years[0]}-{years[-1]} (UTC)"
    out = weather[utc_year == chosen].copy()
    out.attrs = {**weather.attrs, "year_selection": note}
    return out, note


_MOVED_TO_SERVICES = ("default_weather",)


def __getattr__(name: str) -> Any:
    """``default_weather`` moved to :mod:`parkplan.services.weather` (reading the packaged
    file is I/O, which the core does not do); the name stays importable from here."""
    if name in _MOVED_TO_SERVICES:
        from parkplan.services import weather as service

        return getattr(service, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
