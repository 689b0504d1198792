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

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pvlib

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

    columns = ["ghi_w_m2", "dni_w_m2", "dhi_w_m2", "temp_air_c", "wind_speed_m_s"]
    absent = [c for c in columns if c not in weather.columns]
    gaps = [c for c in columns if c in weather.columns and weather[c].isna().any()]
    if absent or gaps:
        names = ", ".join(absent + gaps)
        raise ParkplanError(
            f"Weer onvolledig voor PV ({names}): gebruik resample_weather of prepare_weather.",
            f"Weather incomplete for PV ({names}): use resample_weather or prepare_weather.",
        )
    index = weather.index
    freq = freq_minutes_of(index)
    mid = midpoints(index, freq)
    app_zenith, zenith, azimuth = solar_position(mid, lat_deg, lon_deg)
    ghi = weather["ghi_w_m2"].to_numpy(float)
    # AC power is zero at night: every model below works per interval, so only the daytime
    # intervals are computed (about half) and the night stays 0
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

    eta_nom = p["inverter_efficiency_nominal"]
    pac0_kw_per_kwp = 1.0 / inverter_ratio
    hours = freq / 60.0
    out = np.zeros((len(orientations), len(index)))
    for i, (tilt_deg, azimuth_deg) in enumerate(orientations):
        out[i, daytime] = (
            _one_orientation(
                float(tilt_deg),
                float(azimuth_deg),
                sky,
                albedo=p["albedo"],
                gamma_pdc_per_k=p["gamma_pdc_per_k"],
                losses_fraction=losses_fraction,
                pac0_kw_per_kwp=pac0_kw_per_kwp,
                eta_nom=eta_nom,
                model=model,
                coeffs=coeffs,
            )
            * hours
        )
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
        if model == "sapm":
            temp_cell = pvlib.temperature.sapm_cell(
                poa_global, sky["temp_air"], sky["wind"], **coeffs
            )
        else:
            temp_cell = pvlib.temperature.faiman(poa_global, sky["temp_air"], sky["wind"], **coeffs)
        pdc = pvlib.pvsystem.pvwatts_dc(
            effective, temp_cell, pdc0=1.0, gamma_pdc=gamma_pdc_per_k
        ) * (1.0 - losses_fraction)
        pac = pvlib.inverter.pvwatts(pdc, pdc0=pac0_kw_per_kwp / eta_nom, eta_inv_nom=eta_nom)
    return np.clip(np.nan_to_num(np.asarray(pac, dtype=float)), 0.0, None)


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
