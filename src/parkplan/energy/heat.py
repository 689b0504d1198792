"""Heat demand from gas use, and heat pumps replacing gas boilers.

Model
-----
1. Useful heat from gas: ``heat = m3 x lower calorific value x boiler efficiency``
   (``gas.lower_calorific_value_kwh_per_m3``, ``heat.boiler_efficiency``).
2. Split: a constant share ``heat.hot_water_share`` (hot water, process heat) as a flat base
   load; the rest is space heating, distributed over the days by heating degree-days
   (``max(T_base - daily mean temperature, 0)``, ``T_base = heat.heating_base_temperature_c``,
   18 degC, the Dutch convention) and within a day by degree-hours of each interval
   (``max(T_base - T, 0)``). Days are local (Europe/Amsterdam) calendar days.
3. Heat pump: ``COP = correction x (a0 + a1 dT + a2 dT^2)`` with ``dT = T_sink - T_source``
   (at least ``heat.cop.min_delta_t_k``), the fits of Staffell et al. (2012) for air- and
   ground-source heat pumps and the real-world correction and heating curves of Ruhnau et al.
   (2019): radiators ``T_sink = 40 - 1.0 T_out``, floor heating ``30 - 0.5 T_out``, hot
   water 50 degC. Electricity = heat / COP, per interval.

The metered gas year and the weather year may differ; the model keeps the annual heat of the
gas use and only takes the shape from the weather.

All parameters come from reference data (``refdata/heat.csv``) as a flat mapping of keys
(``parameters``), so that a park can override them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from parkplan.domain.errors import ParkplanError

TZ = "Europe/Amsterdam"
Source = Literal["air", "ground"]
Sink = Literal["radiator", "floor", "water"]


def default_parameters() -> dict[str, float]:
    """All numeric ``heat.*``, ``gas.*`` and ``mobility.*`` reference values (for tests and
    callers without a park)."""
    return dict(_default_parameters())


@functools.cache
def _default_parameters() -> dict[str, float]:
    from parkplan.refdata import load_refdata

    rd = load_refdata()
    out: dict[str, float] = {}
    for key in rd.keys():  # noqa: SIM118 - RefData is not a dict
        if key.startswith(("heat.", "gas.", "mobility.")):
            value = rd.lookup(key).value
            if isinstance(value, float):
                out[key] = value
    return out


def _p(parameters: Mapping[str, float] | None, key: str) -> float:
    params = _default_parameters() if parameters is None else parameters
    try:
        return float(params[key])
    except KeyError:
        raise ParkplanError(
            f"Referentiewaarde '{key}' ontbreekt (refdata/heat.csv).",
            f"Reference value '{key}' is missing (refdata/heat.csv).",
        ) from None


def _temperature(weather: pd.DataFrame | pd.Series) -> pd.Series:
    series = weather["temp_air_c"] if isinstance(weather, pd.DataFrame) else weather
    if not isinstance(series.index, pd.DatetimeIndex) or series.index.tz is None:
        raise ParkplanError(
            "Temperatuurreeks heeft geen tijdzone-bewuste tijdindex.",
            "The temperature series has no tz-aware time index.",
        )
    if series.isna().any():
        raise ParkplanError(
            "Temperatuurreeks bevat lege waarden.", "The temperature series has missing values."
        )
    return series.astype(float)


def gas_to_heat_kwh(
    gas_m3: float, *, calorific_value_kwh_per_m3: float, boiler_efficiency: float
) -> float:
    """Useful heat delivered by a gas boiler.

    Parameters
    ----------
    gas_m3
        Gas use. [m3]
    calorific_value_kwh_per_m3
        Lower calorific value. [kWh/m3]
    boiler_efficiency
        Seasonal boiler efficiency on the lower calorific value. [-]

    Returns
    -------
    float
        Heat. [kWh]
    """
    return float(gas_m3 * calorific_value_kwh_per_m3 * boiler_efficiency)


def heating_degree_days(weather: pd.DataFrame | pd.Series, base_temperature_c: float) -> pd.Series:
    """Heating degree-days per local calendar day.

    Parameters
    ----------
    weather
        ``temp_air_c`` on a tz-aware index (or the series itself). [degC]
    base_temperature_c
        Base temperature. [degC]

    Returns
    -------
    pandas.Series
        ``max(base - daily mean temperature, 0)`` per local date. [K day]
    """
    t = _temperature(weather)
    day = t.index.tz_convert(TZ).tz_localize(None).normalize()
    mean = t.groupby(day).mean()
    return (base_temperature_c - mean).clip(lower=0.0)


def heat_demand_kwh(
    weather: pd.DataFrame | pd.Series,
    annual_heat_kwh: float,
    *,
    base_temperature_c: float,
    hot_water_share: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Heat demand per interval: space heating by degree-days plus a constant base load.

    Parameters
    ----------
    weather
        ``temp_air_c`` on a tz-aware index. [degC]
    annual_heat_kwh
        Heat over the whole index. [kWh]
    base_temperature_c
        Base temperature of the degree-days. [degC]
    hot_water_share
        Share of the heat that is a constant base load (hot water, process). [-]

    Returns
    -------
    space_kwh, base_kwh : numpy.ndarray
        Space heating and base-load heat per interval; together they sum to
        ``annual_heat_kwh``. [kWh]
    """
    if not 0.0 <= hot_water_share <= 1.0:
        raise ParkplanError(
            f"Aandeel warm water {hot_water_share} ligt niet tussen 0 en 1.",
            f"Hot-water share {hot_water_share} is not between 0 and 1.",
        )
    t = _temperature(weather)
    n = len(t)
    base = np.full(n, annual_heat_kwh * hot_water_share / n)
    space_total = annual_heat_kwh * (1.0 - hot_water_share)
    day = t.index.tz_convert(TZ).tz_localize(None).normalize()
    codes, days = pd.factorize(day)
    temps = t.to_numpy()
    dd = np.clip(base_temperature_c - np.bincount(codes, temps) / np.bincount(codes), 0, None)
    if dd.sum() <= 0:
        return np.full(n, space_total / n), base
    hours = np.clip(base_temperature_c - temps, 0.0, None)
    hours_per_day = np.bincount(codes, hours, minlength=len(days))
    count_per_day = np.bincount(codes, minlength=len(days))
    within = np.where(
        hours_per_day[codes] > 0,
        hours / np.where(hours_per_day[codes] > 0, hours_per_day[codes], 1.0),
        1.0 / count_per_day[codes],
    )
    space = space_total * dd[codes] / dd.sum() * within
    return space, base


def sink_temperature_c(
    temp_air_c: np.ndarray, sink: Sink, parameters: Mapping[str, float] | None = None
) -> np.ndarray:
    """Supply temperature of the heating system (heating curve). [degC]"""
    t = np.asarray(temp_air_c, dtype=float)
    if sink == "water":
        return np.full(t.shape, _p(parameters, "heat.sink.hot_water_c"))
    if sink not in ("radiator", "floor"):
        raise ParkplanError(
            f"Onbekend afgiftesysteem '{sink}'; kies radiator, floor of water.",
            f"Unknown heat sink '{sink}'; choose radiator, floor or water.",
        )
    return (
        _p(parameters, f"heat.sink.{sink}.intercept_c")
        + _p(parameters, f"heat.sink.{sink}.slope") * t
    )


def heat_pump_cop(
    temp_air_c: np.ndarray,
    *,
    source: Source = "air",
    sink: Sink = "radiator",
    parameters: Mapping[str, float] | None = None,
) -> np.ndarray:
    """Coefficient of performance per interval.

    ``COP = correction x (a0 + a1 dT + a2 dT^2)``, ``dT = max(T_sink - T_source, dT_min)``
    (Staffell et al. 2012; Ruhnau et al. 2019).

    Parameters
    ----------
    temp_air_c
        Outdoor temperature. [degC]
    source
        ``air`` (source = outdoor air) or ``ground`` (``heat.ground_temperature_c``).
    sink
        ``radiator``, ``floor`` or ``water`` (hot water).

    Returns
    -------
    numpy.ndarray
        COP. [-]
    """
    if source not in ("air", "ground"):
        raise ParkplanError(
            f"Onbekende warmtebron '{source}'; kies air of ground.",
            f"Unknown heat source '{source}'; choose air or ground.",
        )
    t = np.asarray(temp_air_c, dtype=float)
    t_source = (
        t if source == "air" else np.full(t.shape, _p(parameters, "heat.ground_temperature_c"))
    )
    dt = np.maximum(
        sink_temperature_c(t, sink, parameters) - t_source, _p(parameters, "heat.cop.min_delta_t_k")
    )
    a0 = _p(parameters, f"heat.cop.{source}.a0")
    a1 = _p(parameters, f"heat.cop.{source}.a1")
    a2 = _p(parameters, f"heat.cop.{source}.a2")
    return _p(parameters, "heat.cop.correction") * (a0 + a1 * dt + a2 * dt * dt)


@dataclass
class HeatPumpResult:
    """A heat pump replacing (part of) a gas boiler."""

    electricity_kwh: np.ndarray
    """Electricity of the heat pump per interval. [kWh]"""
    heat_kwh: np.ndarray
    """Heat delivered per interval. [kWh]"""
    cop: np.ndarray
    """COP of space heating per interval. [-]"""
    gas_replaced_m3: float
    """Gas no longer burnt. [m3]"""

    @property
    def scop(self) -> float:
        """Seasonal COP: heat / electricity over the period. [-]

        Raises :class:`ParkplanError` when the heat pump uses no electricity (no gas
        replaced): the ratio is then undefined, not NaN.
        """
        electricity = float(self.electricity_kwh.sum())
        if not electricity > 0:
            raise ParkplanError(
                "De warmtepomp gebruikt geen stroom (geen gas vervangen): SCOP is niet "
                "gedefinieerd.",
                "The heat pump uses no electricity (no gas replaced): SCOP is undefined.",
            )
        return float(self.heat_kwh.sum()) / electricity


def heat_pump(
    weather: pd.DataFrame | pd.Series,
    gas_m3: float,
    *,
    share: float = 1.0,
    source: Source = "air",
    sink: Sink = "radiator",
    parameters: Mapping[str, float] | None = None,
) -> HeatPumpResult:
    """Electricity of a heat pump that takes over ``share`` of a company's gas use.

    Parameters
    ----------
    weather
        ``temp_air_c`` on a tz-aware index (the simulation index). [degC]
    gas_m3
        Annual gas use of the company (over the index). [m3]
    share
        Share of the gas use (space heating and hot water alike) the heat pump replaces. [-]
    source, sink
        Heat source and heating system, see :func:`heat_pump_cop`.
    parameters
        Reference values (keys ``heat.*``, ``gas.lower_calorific_value_kwh_per_m3``);
        ``None`` loads the defaults.

    Returns
    -------
    HeatPumpResult
        Electricity and heat per interval [kWh], COP, replaced gas [m3].
    """
    if not 0.0 <= share <= 1.0:
        raise ParkplanError(
            f"Aandeel {share} van het gas ligt niet tussen 0 en 1.",
            f"Share {share} of the gas is not between 0 and 1.",
        )
    params = default_parameters() if parameters is None else parameters
    replaced = gas_m3 * share
    heat = gas_to_heat_kwh(
        replaced,
        calorific_value_kwh_per_m3=_p(params, "gas.lower_calorific_value_kwh_per_m3"),
        boiler_efficiency=_p(params, "heat.boiler_efficiency"),
    )
    space, base = heat_demand_kwh(
        weather,
        heat,
        base_temperature_c=_p(params, "heat.heating_base_temperature_c"),
        hot_water_share=_p(params, "heat.hot_water_share"),
    )
    t = _temperature(weather).to_numpy()
    cop_space = heat_pump_cop(t, source=source, sink=sink, parameters=params)
    cop_water = heat_pump_cop(t, source=source, sink="water", parameters=params)
    electricity = space / cop_space + base / cop_water
    return HeatPumpResult(
        electricity_kwh=electricity,
        heat_kwh=space + base,
        cop=cop_space,
        gas_replaced_m3=float(replaced),
    )


def heat_pump_demand_kwh(
    weather: pd.DataFrame, replaced_gas_m3: float, parameters: Mapping[str, float]
) -> np.ndarray:
    """Heat-pump electricity per interval for ``replaced_gas_m3`` of gas (air source,
    radiators); the signature of the simulation's ``heat_builder``. [kWh]"""
    return heat_pump(weather, replaced_gas_m3, parameters=parameters).electricity_kwh
