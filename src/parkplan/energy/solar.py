"""Rooftop solar with pvlib: AC energy per kWp per interval, per roof face orientation.

Model chain (PVWatts-like, all pvlib functions):

1. solar position at interval midpoints (:func:`parkplan.energy.weather.solar_position`),
   extraterrestrial irradiance and relative air mass (Kasten-Young), once per weather;
2. plane-of-array irradiance with the Perez 1990 sky model
   (:func:`pvlib.irradiance.get_total_irradiance`), ground reflection with ``albedo``;
3. incidence-angle losses on the beam part (:func:`pvlib.iam.physical`, pvlib defaults);
4. cell temperature with SAPM (King et al. 2004) or Faiman (2008)
   (:mod:`pvlib.temperature`);
5. DC power with :func:`pvlib.pvsystem.pvwatts_dc` (temperature coefficient
   ``gamma_pdc_per_k``), times ``1 - losses_fraction`` (system losses);
6. AC power with :func:`pvlib.inverter.pvwatts`: nominal efficiency and clipping at
   ``1 / inverter_ratio`` kW per kWp (the DC/AC ratio).

Default parameters come from ``refdata/solar.csv`` (:func:`solar_parameters`). Feed-in
limits at the connection are applied in the grid code; :func:`clip_to_limit` helps.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pvlib
from numba import njit

from parkplan.domain.errors import ParkplanError
from parkplan.energy.weather import freq_minutes_of, midpoints, pvlib_quiet, solar_position

PARAMETER_KEYS = (
    "module_density_kwp_m2",
    "system_losses_fraction",
    "inverter_dc_ac_ratio",
    "inverter_efficiency_nominal",
    "gamma_pdc_per_k",
    "albedo",
    "sapm_a",
    "sapm_b",
    "sapm_delta_t_k",
    "faiman_u0",
    "faiman_u1",
)
"""Keys of ``refdata/solar.csv`` (without the ``solar.`` prefix)."""

TEMPERATURE_MODELS = ("sapm", "faiman")


def solar_parameters(refdata: Any = None, year: int | None = None) -> dict[str, float]:
    """The solar defaults from reference data, keyed without the ``solar.`` prefix.

    Parameters
    ----------
    refdata : parkplan.refdata.RefData, optional
        Reference data (with a park's overrides); by default :func:`load_refdata`.
    year : int, optional
        Year of the figures.
    """
    if refdata is None:
        from parkplan.refdata import load_refdata

        refdata = load_refdata()
    return {key: float(refdata.value(f"solar.{key}", year)) for key in PARAMETER_KEYS}


def roof_kwp(
    area_m2: float,
    usable_fraction: float,
    module_density_kwp_m2: float,
    existing_pv_kwp: float = 0.0,
) -> float:
    """PV capacity a roof face can hold.

    Parameters
    ----------
    area_m2 : float
        Roof face area. [m2]
    usable_fraction : float
        Share of the area usable for PV. [0-1]
    module_density_kwp_m2 : float
        Capacity per m2 of usable area. [kWp/m2]
    existing_pv_kwp : float
        PV already on the face. [kWp]

    Returns
    -------
    float
        ``area_m2 * usable_fraction * module_density_kwp_m2``, but never less than the
        existing PV (what is there evidently fits). [kWp]
    """
    checks = {
        "area_m2": area_m2 >= 0,
        "usable_fraction": 0 <= usable_fraction <= 1,
        "module_density_kwp_m2": module_density_kwp_m2 >= 0,
        "existing_pv_kwp": existing_pv_kwp >= 0,
    }
    for name, ok in checks.items():
        if not ok:
            value = locals()[name]
            raise ParkplanError(
                f"{name} = {value!r} is ongeldig; verwacht >= 0 (fractie 0-1).",
                f"{name} = {value!r} is invalid; expected >= 0 (fraction 0-1).",
            )
    return max(float(area_m2) * usable_fraction * module_density_kwp_m2, float(existing_pv_kwp))


def _temperature_coefficients(
    temperature_model: str | Mapping[str, float], params: Mapping[str, float]
) -> tuple[str, dict[str, float]]:
    if isinstance(temperature_model, Mapping):
        spec = dict(temperature_model)
        model = str(spec.pop("model", "sapm"))
        return model, {k: float(v) for k, v in spec.items()}
    if temperature_model == "sapm":
        return "sapm", {
            "a": params["sapm_a"],
            "b": params["sapm_b"],
            "deltaT": params["sapm_delta_t_k"],
        }
    if temperature_model == "faiman":
        return "faiman", {"u0": params["faiman_u0"], "u1": params["faiman_u1"]}
    raise ParkplanError(
        f"Temperatuurmodel {temperature_model!r} onbekend; verwacht 'sapm' of 'faiman'.",
        f"Temperature model {temperature_model!r} unknown; expected 'sapm' or 'faiman'.",
    )


def pv_profiles_for_orientations(
    weather: pd.DataFrame,
    lat_deg: float,
    lon_deg: float,
    orientations: Sequence[tuple[float, float]],
    *,
    losses_fraction: float,
    inverter_ratio: float,
    temperature_model: str | Mapping[str, float] = "sapm",
    params: Mapping[str, float] | None = None,
) -> np.ndarray:
    """AC energy per kWp per interval for several orientations, sharing the solar position.

    Parameters
    ----------
    weather : pandas.DataFrame
        Weather frame (``ghi_w_m2``, ``dni_w_m2``, ``dhi_w_m2`` [W/m2], ``temp_air_c``
        [degC], ``wind_speed_m_s`` [m/s]) on a regular tz-aware interval-start index.
    lat_deg, lon_deg : float
        Location of the roofs. [deg]
    orientations : sequence of (tilt_deg, azimuth_deg)
        Tilt from horizontal and azimuth clockwise from north (180 = south). [deg]
    losses_fraction : float
        System losses on DC power. [0-1]
    inverter_ratio : float
        DC/AC size ratio; AC is clipped at ``1 / inverter_ratio`` kW per kWp. [-]
    temperature_model : {"sapm", "faiman"} or mapping
        Cell temperature model; a mapping gives ``model`` and its coefficients.
    params : mapping, optional
        ``gamma_pdc_per_k``, ``albedo``, ``inverter_efficiency_nominal`` and the
        temperature coefficients; default :func:`solar_parameters`.

    Returns
    -------
    numpy.ndarray
        Shape (n_orientations, n_intervals): AC energy per interval per kWp. [kWh/kWp]
    """
    if not 0 <= losses_fraction < 1:
        raise ParkplanError(
            f"losses_fraction = {losses_fraction!r}; verwacht 0 <= x < 1.",
            f"losses_fraction = {losses_fraction!r}; expected 0 <= x < 1.",
        )
    if inverter_ratio <= 0:
        raise ParkplanError(
            f"inverter_ratio = {inverter_ratio!r}; verwacht > 0.",
            f"inverter_ratio = {inverter_ratio!r}; expected > 0.",
        )
    p = dict(solar_parameters() if params is None else params)
    model, coeffs = _temperature_coefficients(temperature_model, p)

    index = weather.index
    freq = freq_minutes_of(index)
    sky = sky_model(weather, lat_deg, lon_deg, freq)
    daytime = sky.daytime

    eta_nom = p["inverter_efficiency_nominal"]
    pac0_kw_per_kwp = 1.0 / inverter_ratio
    hours = freq / 60.0
    out = np.zeros((len(orientations), len(index)))
    if not orientations or sky.n_day == 0:
        return out
    # plane-of-array irradiance of every orientation in one compiled pass per orientation
    # (the sky model is shared), then the temperature, DC and inverter models of pvlib on
    # all orientations at once
    k = len(orientations)
    poa_global = np.empty((k, sky.n_day))
    effective = np.empty((k, sky.n_day))
    iam_n, iam_k, iam_l = _IAM_PHYSICAL_DEFAULTS
    for i, (tilt_deg, azimuth_deg) in enumerate(orientations):
        _poa_kernel(
            float(pvlib.tools.cosd(float(tilt_deg))),
            float(pvlib.tools.sind(float(tilt_deg))),
            pvlib.tools.cosd(sky.azimuth - float(azimuth_deg)),
            sky.cos_app_zenith,
            sky.sin_app_zenith,
            sky.cos_zenith,
            sky.sin_zenith,
            sky.dni,
            sky.dhi,
            sky.ghi,
            sky.f1,
            sky.f2,
            sky.b,
            sky.no_airmass,
            float(p["albedo"]),
            iam_n,
            iam_k,
            iam_l,
            poa_global[i],
            effective[i],
        )
    ac = _ac_from_poa(
        poa_global,
        effective,
        sky.temp_air,
        sky.wind,
        gamma_pdc_per_k=p["gamma_pdc_per_k"],
        losses_fraction=losses_fraction,
        pac0_kw_per_kwp=pac0_kw_per_kwp,
        eta_nom=eta_nom,
        model=model,
        coeffs=coeffs,
    )
    out[:, daytime] = ac * hours
    return out


_PV_COLUMNS = ("ghi_w_m2", "dni_w_m2", "dhi_w_m2", "temp_air_c", "wind_speed_m_s")


def _weather_arrays(weather: pd.DataFrame) -> dict[str, np.ndarray]:
    """The weather columns of the PV chain as float64 arrays, checked for gaps.

    Reads the frame's values directly (selecting columns as Series would deep-copy the
    frame's ``attrs`` each time).
    """
    absent = [c for c in _PV_COLUMNS if c not in weather.columns]
    present = [c for c in _PV_COLUMNS if c in weather.columns]
    values = weather.to_numpy(dtype=float)
    cols = {c: np.ascontiguousarray(values[:, weather.columns.get_loc(c)]) for c in present}
    gaps = [c for c in present if np.isnan(cols[c]).any()]
    if absent or gaps:
        names = ", ".join(absent + gaps)
        raise ParkplanError(
            f"Weer onvolledig voor PV ({names}): gebruik resample_weather of prepare_weather.",
            f"Weather incomplete for PV ({names}): use resample_weather or prepare_weather.",
        )
    return cols


@dataclass(frozen=True)
class SkyModel:
    """The orientation-independent part of the PV chain for one weather year and place.

    Only the daytime intervals (sun above the horizon and GHI > 0) are kept: every model
    of the chain works per interval, so the night stays exactly 0. Angles in degrees,
    irradiance in W/m2; the Perez coefficients ``f1``, ``f2`` and ``b`` are computed with
    the expressions of :func:`pvlib.irradiance.perez` (``allsitescomposite1990``).
    """

    daytime: np.ndarray
    """Mask of the daytime intervals on the weather's index."""
    app_zenith: np.ndarray
    zenith: np.ndarray
    azimuth: np.ndarray
    cos_app_zenith: np.ndarray
    sin_app_zenith: np.ndarray
    cos_zenith: np.ndarray
    sin_zenith: np.ndarray
    ghi: np.ndarray
    dni: np.ndarray
    dhi: np.ndarray
    temp_air: np.ndarray
    wind: np.ndarray
    dni_extra: np.ndarray
    airmass: np.ndarray
    no_airmass: np.ndarray
    f1: np.ndarray
    """Perez circumsolar brightening coefficient (at least 0). [-]"""
    f2: np.ndarray
    """Perez horizon brightening coefficient. [-]"""
    b: np.ndarray
    """max(cos(apparent zenith), cos(85 deg)). [-]"""

    @property
    def n_day(self) -> int:
        """Number of daytime intervals."""
        return len(self.ghi)


def sky_model(
    weather: pd.DataFrame, lat_deg: float, lon_deg: float, freq_minutes: int | None = None
) -> SkyModel:
    """The orientation-independent part of the PV chain, computed once per weather and place.

    Solar position (ephemeris, at interval midpoints; only for the intervals with GHI > 0),
    extraterrestrial irradiance, relative air mass (Kasten-Young) and the Perez sky
    brightness and clearness coefficients.

    Parameters
    ----------
    weather : pandas.DataFrame
        Weather frame on a regular tz-aware interval-start index (see
        :func:`pv_profiles_for_orientations`).
    lat_deg, lon_deg : float
        Location. [deg]
    freq_minutes : int, optional
        Interval length [min]; default from the index.
    """
    cols = _weather_arrays(weather)
    index = weather.index
    freq = freq_minutes_of(index) if freq_minutes is None else freq_minutes
    ghi_all = cols["ghi_w_m2"]
    lit = ghi_all > 0.0
    mid = midpoints(index[lit], freq)
    app_lit, zen_lit, az_lit = solar_position(mid, lat_deg, lon_deg)
    up = app_lit < 90.0
    daytime = np.zeros(len(index), dtype=bool)
    daytime[np.flatnonzero(lit)[up]] = True
    app_zenith = app_lit[up]
    with pvlib_quiet():
        dni_extra = np.asarray(pvlib.irradiance.get_extra_radiation(mid[up]), dtype=float)
        airmass = np.asarray(pvlib.atmosphere.get_relative_airmass(app_zenith), dtype=float)
    dni = cols["dni_w_m2"][daytime]
    dhi = cols["dhi_w_m2"][daytime]
    f1, f2 = _perez_coefficients(dhi, dni, dni_extra, app_zenith, airmass)
    b = np.maximum(pvlib.tools.cosd(app_zenith), pvlib.tools.cosd(85))
    zenith = zen_lit[up]
    return SkyModel(
        daytime=daytime,
        app_zenith=app_zenith,
        zenith=zenith,
        azimuth=az_lit[up],
        cos_app_zenith=pvlib.tools.cosd(app_zenith),
        sin_app_zenith=pvlib.tools.sind(app_zenith),
        cos_zenith=pvlib.tools.cosd(zenith),
        sin_zenith=pvlib.tools.sind(zenith),
        ghi=ghi_all[daytime],
        dni=dni,
        dhi=dhi,
        temp_air=cols["temp_air_c"][daytime],
        wind=cols["wind_speed_m_s"][daytime],
        dni_extra=dni_extra,
        airmass=airmass,
        no_airmass=np.isnan(airmass),
        f1=f1,
        f2=f2,
        b=b,
    )


def _perez_coefficients(
    dhi: np.ndarray,
    dni: np.ndarray,
    dni_extra: np.ndarray,
    solar_zenith: np.ndarray,
    airmass: np.ndarray,
    *,
    model: str = "allsitescomposite1990",
) -> tuple[np.ndarray, np.ndarray]:
    """F1 and F2 of the Perez 1990 model, as :func:`pvlib.irradiance.perez` computes them.

    The same expressions in the same order, so the clearness bins (a step function of
    ``eps``) are those of pvlib. [-]
    """
    kappa = 1.041  # pvlib.irradiance.perez: for solar_zenith in radians
    z = np.radians(solar_zenith)
    delta = dhi * airmass / dni_extra
    with np.errstate(invalid="ignore", divide="ignore"):
        eps = (np.divide(dhi + dni, dhi) + kappa * (z**3)) / (1 + kappa * (z**3))
    ebin = np.array(np.digitize(eps, _PEREZ_EPS_BINS))
    ebin[np.isnan(eps)] = 0
    ebin -= 1
    f1c, f2c = pvlib.irradiance._get_perez_coefficients(model)
    nans = np.array([np.nan, np.nan, np.nan])
    f1c = np.vstack((f1c, nans))
    f2c = np.vstack((f2c, nans))
    f1 = f1c[ebin, 0] + f1c[ebin, 1] * delta + f1c[ebin, 2] * z
    f1 = np.maximum(f1, 0)
    f2 = f2c[ebin, 0] + f2c[ebin, 1] * delta + f2c[ebin, 2] * z
    return f1, f2


_PEREZ_EPS_BINS = (0.0, 1.065, 1.23, 1.5, 1.95, 2.8, 4.5, 6.2)
"""Clearness bins of the Perez model (Perez et al. 1990, as in pvlib.irradiance.perez)."""


def _iam_physical_defaults() -> tuple[float, float, float]:
    """Refractive index, extinction coefficient [1/m] and glazing thickness [m]: the
    defaults of :func:`pvlib.iam.physical` (De Soto et al. 2006)."""
    sig = inspect.signature(pvlib.iam.physical).parameters
    return float(sig["n"].default), float(sig["K"].default), float(sig["L"].default)


_IAM_PHYSICAL_DEFAULTS = _iam_physical_defaults()


@njit(cache=True, error_model="numpy")
def _poa_kernel(  # noqa: PLR0917
    cos_tilt,
    sin_tilt,
    cos_azimuth_difference,
    cos_app_zenith,
    sin_app_zenith,
    cos_zenith,
    sin_zenith,
    dni,
    dhi,
    ghi,
    f1,
    f2,
    b,
    no_airmass,
    albedo,
    n,
    k,
    ell,
    poa_global,
    effective,
):  # pragma: no cover - compiled
    """Plane-of-array global and effective irradiance of one orientation. [W/m2]

    The expressions of :func:`pvlib.irradiance.get_total_irradiance` (Perez sky diffuse,
    ground reflection) and :func:`pvlib.iam.physical` (no anti-reflection coating), per
    interval; the beam and the IAM use the cosine of the angle of incidence directly
    (pvlib goes through the angle and back: equal to about 1e-16).
    ``cos_azimuth_difference`` is cos(solar azimuth - surface azimuth) per interval.
    """
    iso = 1.0 + cos_tilt
    one_minus_cos = 1.0 - cos_tilt
    # physical IAM: transmittance at normal incidence
    rho0 = ((1.0 - n) / (1.0 + n)) ** 2
    tau0 = (1.0 - rho0) * math.exp(-k * ell)
    kl = k * ell
    inv_n = 1.0 / n
    for t in range(len(dni)):
        caz = cos_azimuth_difference[t]
        proj = cos_tilt * cos_app_zenith[t] + sin_tilt * sin_app_zenith[t] * caz
        proj = min(max(proj, -1.0), 1.0)
        a = max(proj, 0.0)
        sky = dhi[t] * (0.5 * (1.0 - f1[t]) * iso + f1[t] * a / b[t] + f2[t] * sin_tilt)
        if sky < 0.0:  # noqa: PLR1730 - keeps nan (as np.maximum does), max() would not
            sky = 0.0
        if no_airmass[t]:
            sky = 0.0
        # a sky diffuse of nan (no clearness bin) makes the whole diffuse part 0, as in
        # the reference (nan_to_num of pvlib's poa_diffuse)
        diffuse = sky + ghi[t] * albedo * one_minus_cos * 0.5
        if math.isnan(diffuse):
            diffuse = 0.0
        direct = max(dni[t] * proj, 0.0)
        if math.isnan(direct):
            direct = 0.0
        # angle of incidence at the true zenith for the incidence-angle modifier
        c = cos_tilt * cos_zenith[t] + sin_tilt * sin_zenith[t] * caz
        c = min(max(c, 0.0), 1.0)
        s1 = math.sqrt(1.0 - c * c) * inv_n
        c2 = math.sqrt(1.0 - s1 * s1)
        nc2 = n * c2
        nc1 = n * c
        rs = ((c - nc2) / (c + nc2)) ** 2
        rp = ((c2 - nc1) / (c2 + nc1)) ** 2
        att = math.exp(-kl / c2)
        iam = ((1.0 - rs) * att + (1.0 - rp) * att) / 2.0 / tau0
        if math.isnan(iam):
            iam = 0.0
        poa_global[t] = direct + diffuse
        effective[t] = direct * iam + diffuse


def _ac_from_poa(
    poa_global: np.ndarray,
    effective: np.ndarray,
    temp_air: np.ndarray,
    wind: np.ndarray,
    *,
    gamma_pdc_per_k: float,
    losses_fraction: float,
    pac0_kw_per_kwp: float,
    eta_nom: float,
    model: str,
    coeffs: dict[str, float],
) -> np.ndarray:
    """Cell temperature, DC (PVWatts, system losses) and AC (PVWatts inverter, clipping)
    per kWp from plane-of-array irradiance; works on (orientations x intervals). [kW/kWp]"""
    with pvlib_quiet():
        if model == "sapm":
            temp_cell = pvlib.temperature.sapm_cell(poa_global, temp_air, wind, **coeffs)
        else:
            temp_cell = pvlib.temperature.faiman(poa_global, temp_air, wind, **coeffs)
        pdc = pvlib.pvsystem.pvwatts_dc(
            effective, temp_cell, pdc0=1.0, gamma_pdc=gamma_pdc_per_k
        ) * (1.0 - losses_fraction)
        pac = pvlib.inverter.pvwatts(pdc, pdc0=pac0_kw_per_kwp / eta_nom, eta_inv_nom=eta_nom)
    return np.clip(np.nan_to_num(np.asarray(pac, dtype=float)), 0.0, None)


def pv_profiles_reference(
    weather: pd.DataFrame,
    lat_deg: float,
    lon_deg: float,
    orientations: Sequence[tuple[float, float]],
    *,
    losses_fraction: float,
    inverter_ratio: float,
    temperature_model: str | Mapping[str, float] = "sapm",
    params: Mapping[str, float] | None = None,
) -> np.ndarray:
    """The readable reference of :func:`pv_profiles_for_orientations`: the pvlib model
    chain called per orientation (:func:`pvlib.irradiance.get_total_irradiance` with
    ``model="perez"``, :func:`pvlib.iam.physical` ...). Same parameters and result
    (equal within about 1e-12 relative; the tests compare them). [kWh/kWp]
    """
    p = dict(solar_parameters() if params is None else params)
    model, coeffs = _temperature_coefficients(temperature_model, p)
    _weather_arrays(weather)
    index = weather.index
    freq = freq_minutes_of(index)
    mid = midpoints(index, freq)
    app_zenith, zenith, azimuth = solar_position(mid, lat_deg, lon_deg)
    ghi = weather["ghi_w_m2"].to_numpy(float)
    daytime = (app_zenith < 90.0) & (ghi > 0.0)
    with pvlib_quiet():
        dni_extra = np.asarray(pvlib.irradiance.get_extra_radiation(mid[daytime]), dtype=float)
        airmass = np.asarray(
            pvlib.atmosphere.get_relative_airmass(app_zenith[daytime]), dtype=float
        )
    sky = {
        "app_zenith": app_zenith[daytime],
        "zenith": zenith[daytime],
        "azimuth": azimuth[daytime],
        "ghi": ghi[daytime],
        "dni": weather["dni_w_m2"].to_numpy(float)[daytime],
        "dhi": weather["dhi_w_m2"].to_numpy(float)[daytime],
        "temp_air": weather["temp_air_c"].to_numpy(float)[daytime],
        "wind": weather["wind_speed_m_s"].to_numpy(float)[daytime],
        "dni_extra": dni_extra,
        "airmass": airmass,
        "day": np.ones(int(daytime.sum()), dtype=bool),
    }
    out = np.zeros((len(orientations), len(index)))
    for i, (tilt_deg, azimuth_deg) in enumerate(orientations):
        out[i, daytime] = _one_orientation(
            float(tilt_deg),
            float(azimuth_deg),
            sky,
            albedo=p["albedo"],
            gamma_pdc_per_k=p["gamma_pdc_per_k"],
            losses_fraction=losses_fraction,
            pac0_kw_per_kwp=1.0 / inverter_ratio,
            eta_nom=p["inverter_efficiency_nominal"],
            model=model,
            coeffs=coeffs,
        ) * (freq / 60.0)
    return out


def _one_orientation(
    tilt_deg: float,
    azimuth_deg: float,
    sky: dict[str, np.ndarray],
    *,
    albedo: float,
    gamma_pdc_per_k: float,
    losses_fraction: float,
    pac0_kw_per_kwp: float,
    eta_nom: float,
    model: str,
    coeffs: dict[str, float],
) -> np.ndarray:
    """AC power per kWp of one orientation. [kW/kWp]"""
    day = sky["day"]
    with pvlib_quiet():
        irr = pvlib.irradiance.get_total_irradiance(
            tilt_deg,
            azimuth_deg,
            sky["app_zenith"],
            sky["azimuth"],
            sky["dni"],
            sky["ghi"],
            sky["dhi"],
            dni_extra=sky["dni_extra"],
            airmass=sky["airmass"],
            albedo=albedo,
            model="perez",
        )
        poa_direct = np.nan_to_num(np.asarray(irr["poa_direct"], dtype=float))
        poa_diffuse = np.nan_to_num(np.asarray(irr["poa_diffuse"], dtype=float))
        aoi = pvlib.irradiance.aoi(tilt_deg, azimuth_deg, sky["zenith"], sky["azimuth"])
        iam = np.nan_to_num(np.asarray(pvlib.iam.physical(aoi), dtype=float))
    poa_global = np.where(day, poa_direct + poa_diffuse, 0.0)
    effective = np.where(day, poa_direct * iam + poa_diffuse, 0.0)
    return _ac_from_poa(
        poa_global,
        effective,
        sky["temp_air"],
        sky["wind"],
        gamma_pdc_per_k=gamma_pdc_per_k,
        losses_fraction=losses_fraction,
        pac0_kw_per_kwp=pac0_kw_per_kwp,
        eta_nom=eta_nom,
        model=model,
        coeffs=coeffs,
    )


def pv_profile_per_kwp(
    weather: pd.DataFrame,
    lat_deg: float,
    lon_deg: float,
    tilt_deg: float,
    azimuth_deg: float,
    *,
    losses_fraction: float,
    inverter_ratio: float,
    temperature_model: str | Mapping[str, float] = "sapm",
    params: Mapping[str, float] | None = None,
) -> np.ndarray:
    """AC energy per interval per kWp of one roof face. [kWh/kWp]

    See :func:`pv_profiles_for_orientations` for the parameters.
    """
    return pv_profiles_for_orientations(
        weather,
        lat_deg,
        lon_deg,
        [(tilt_deg, azimuth_deg)],
        losses_fraction=losses_fraction,
        inverter_ratio=inverter_ratio,
        temperature_model=temperature_model,
        params=params,
    )[0]


def specific_yield_kwh_per_kwp(profile: np.ndarray) -> float | np.ndarray:
    """Specific yield: the sum over the intervals (the last axis). [kWh/kWp]"""
    return np.asarray(profile, dtype=float).sum(axis=-1)


def clip_to_limit(power_kw: np.ndarray, limit_kw: float | np.ndarray) -> np.ndarray:
    """Power capped at a limit, e.g. a feed-in (export) cap. [kW]

    The curtailed part is ``power_kw - clip_to_limit(power_kw, limit_kw)``.
    """
    return np.minimum(np.asarray(power_kw, dtype=float), limit_kw)
