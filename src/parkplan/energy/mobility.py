"""EV charging of company fleets at the depot.

Energy: ``vehicles x km per vehicle x kWh/km (mobility.ev_kwh_per_km.<kind>) /
charging efficiency (mobility.charging_efficiency)``.

Profile: one charging session per working day (Monday-Friday, not a Dutch public holiday)
in a window of local clock time:

- ``evening``: from ``mobility.window.evening.start_h`` (18:00) to ``end_h`` (07:00) the next
  morning: vehicles return to the depot and leave in the morning (vans, trucks);
- ``daytime``: from ``mobility.window.daytime.start_h`` (09:00) to ``end_h`` (16:00): cars
  parked at the company during office hours.

Every session gets the same energy. Two strategies: ``spread`` (smart charging: the session's
energy spread evenly over the window, the lowest possible peak) and ``immediate`` (plug in and
charge at full power ``vehicles x charger_kw`` from the window start until done: the
unmanaged peak).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from parkplan.domain.errors import ParkplanError, Problem, warning
from parkplan.domain.model import Vehicle
from parkplan.energy.demand import nl_holiday_days
from parkplan.energy.heat import _p

TZ = "Europe/Amsterdam"
Window = Literal["evening", "daytime"]
Strategy = Literal["spread", "immediate"]


def ev_annual_kwh(
    vehicles: int, annual_km: float, kwh_per_km: float, charging_efficiency: float
) -> float:
    """Grid electricity to charge a group of vehicles for a year.

    Parameters
    ----------
    vehicles
        Number of vehicles.
    annual_km
        Distance per vehicle per year. [km]
    kwh_per_km
        Energy use at the battery. [kWh/km]
    charging_efficiency
        Grid-to-battery efficiency. [-]

    Returns
    -------
    float
        Electricity from the grid. [kWh]
    """
    return float(vehicles * annual_km * kwh_per_km / charging_efficiency)


def _sessions(
    index: pd.DatetimeIndex, window: Window, parameters: Mapping[str, float] | None
) -> np.ndarray:
    """Session number of each interval (-1: no charging), sessions numbered by start date."""
    if window not in ("evening", "daytime"):
        raise ParkplanError(
            f"Onbekend laadvenster '{window}'; kies evening of daytime.",
            f"Unknown charging window '{window}'; choose evening or daytime.",
        )
    start_h = _p(parameters, f"mobility.window.{window}.start_h")
    end_h = _p(parameters, f"mobility.window.{window}.end_h")
    local = index.tz_convert(TZ).tz_localize(None).as_unit("ns")
    hour = np.asarray(local.hour + local.minute / 60.0)
    day = np.asarray(local.normalize().asi8 // (86_400 * 10**9))
    if start_h < end_h:
        inside = (hour >= start_h) & (hour < end_h)
        session_day = day
    else:  # over midnight: the morning part belongs to the previous day's session
        inside = (hour >= start_h) | (hour < end_h)
        session_day = np.where(hour < end_h, day - 1, day)
    dates = pd.DatetimeIndex(session_day.astype("datetime64[D]"))
    nl = nl_holiday_days(int(dates.year.min()), int(dates.year.max()))
    working = (np.asarray(dates.day_of_week) < 5) & ~np.isin(session_day, nl)
    ok = inside & working
    out = np.full(len(index), -1, dtype=np.int64)
    _, out[ok] = np.unique(session_day[ok], return_inverse=True)
    return out


def charging_profile(
    index: pd.DatetimeIndex,
    *,
    window: Window = "evening",
    parameters: Mapping[str, float] | None = None,
) -> np.ndarray:
    """Shares of the annual charging energy per interval (``spread`` strategy).

    Each working-day session gets the same energy, evenly over its intervals.

    Returns
    -------
    numpy.ndarray
        Shares summing to 1. [-]
    """
    session = _sessions(index, window, parameters)
    n_sessions = session.max() + 1
    if n_sessions <= 0:
        raise ParkplanError(
            "Geen enkele werkdag met een laadvenster in de tijdas.",
            "No working day with a charging window in the time axis.",
        )
    per_session = np.bincount(session[session >= 0], minlength=n_sessions)
    shares = np.zeros(len(index))
    mask = session >= 0
    shares[mask] = 1.0 / n_sessions / per_session[session[mask]]
    return shares


def ev_charging_kwh(
    index: pd.DatetimeIndex,
    annual_kwh: float,
    *,
    window: Window = "evening",
    strategy: Strategy = "spread",
    vehicles: int = 1,
    charger_kw: float | None = None,
    parameters: Mapping[str, float] | None = None,
) -> tuple[np.ndarray, list[Problem]]:
    """Charging demand per interval.

    Parameters
    ----------
    index
        Interval starts (tz-aware, constant step).
    annual_kwh
        Grid electricity over the index. [kWh]
    window
        ``evening`` (18:00-07:00) or ``daytime`` (09:00-16:00) on working days.
    strategy
        ``spread`` (even over the window) or ``immediate`` (full power from the start).
    vehicles
        Vehicles charging at the same time.
    charger_kw
        Power per charger; needed for ``immediate``. With ``spread`` a warning is given
        when the even spread needs more than the chargers can deliver. [kW]

    Returns
    -------
    kwh, problems
        Charging per interval, summing to ``annual_kwh`` [kWh] (``immediate``: less when a
        session needs more than the chargers deliver in the window, with a warning).
    """
    shares = charging_profile(index, window=window, parameters=parameters)
    step_h = (index[1] - index[0]) / pd.Timedelta(hours=1) if len(index) > 1 else 0.25
    problems: list[Problem] = []
    kwh = annual_kwh * shares
    if strategy == "spread":
        if charger_kw is not None and kwh.max() > vehicles * charger_kw * step_h * (1 + 1e-9):
            problems.append(_too_small(kwh.max() / step_h, vehicles * charger_kw))
        return kwh, problems
    if strategy != "immediate":
        raise ParkplanError(
            f"Onbekende laadstrategie '{strategy}'; kies spread of immediate.",
            f"Unknown charging strategy '{strategy}'; choose spread or immediate.",
        )
    if charger_kw is None or charger_kw <= 0:
        raise ParkplanError(
            "Direct laden vraagt een laadvermogen (charger_kw).",
            "Immediate charging needs a charger power (charger_kw).",
        )
    session = _sessions(index, window, parameters)
    mask = session >= 0
    energy = np.bincount(session[mask], weights=kwh[mask])  # per session
    cap = vehicles * charger_kw * step_h
    # position of each interval inside its session (intervals are in time order)
    pos = np.zeros(len(index))
    order = np.flatnonzero(mask)
    first = np.r_[0, np.flatnonzero(np.diff(session[order]) != 0) + 1]
    counts = np.diff(np.r_[first, len(order)])
    pos[order] = np.arange(len(order)) - np.repeat(first, counts)
    out = np.zeros(len(index))
    need = energy[session[order]]
    out[order] = np.clip(need - pos[order] * cap, 0.0, cap)
    delivered = np.bincount(session[mask], weights=out[mask], minlength=len(energy))
    short = energy - delivered
    if short.max() > 1e-9 * max(annual_kwh, 1.0):
        # the energy that does not fit in the window is not charged (and reported)
        worst = int(np.argmax(short))
        problems.append(_too_small(float(energy[worst] / (counts[worst] * step_h)), cap / step_h))
    return out, problems


def _too_small(need_kw: float, have_kw: float) -> Problem:
    return warning(
        "vehicles",
        f"Het laadvermogen ({have_kw:.1f} kW) is te klein: het laadvenster vraagt "
        f"{need_kw:.1f} kW; een deel van de ritten kan niet worden geladen.",
        f"The charging power ({have_kw:.1f} kW) is too small: the charging window needs "
        f"{need_kw:.1f} kW; part of the trips cannot be charged.",
        value=round(need_kw, 3),
        code="charger_too_small",
    )


def fleet_charging_kwh(
    index: pd.DatetimeIndex,
    vehicles: Sequence[Vehicle],
    *,
    window: Window = "evening",
    parameters: Mapping[str, float] | None = None,
) -> tuple[np.ndarray, list[Problem]]:
    """Charging demand of a company's fleet when it drives electric (spread strategy).

    Every vehicle group with ``annual_km`` counts; groups without a known
    ``mobility.ev_kwh_per_km.<kind>`` or without ``annual_km`` are reported and skipped.

    Returns
    -------
    kwh, problems
        Charging per interval [kWh] and warnings.
    """
    problems: list[Problem] = []
    total = 0.0
    params = parameters
    for i, v in enumerate(vehicles):
        key = f"mobility.ev_kwh_per_km.{v.kind}"
        try:
            per_km = _p(params, key)
        except ParkplanError:
            problems.append(
                warning(
                    f"vehicles[{i}].kind",
                    f"Geen stroomverbruik per km bekend voor voertuigsoort '{v.kind}' "
                    "(verwacht car, van of truck); deze groep telt niet mee.",
                    f"No energy use per km known for vehicle kind '{v.kind}' (expected car, "
                    "van or truck); this group is left out.",
                    value=v.kind,
                    code="unknown_kind",
                )
            )
            continue
        if v.annual_km is None:
            problems.append(
                warning(
                    f"vehicles[{i}].annual_km",
                    "Kilometers per jaar ontbreken; deze groep telt niet mee.",
                    "Annual distance is missing; this group is left out.",
                    code="missing",
                )
            )
            continue
        total += ev_annual_kwh(
            v.count, v.annual_km, per_km, _p(params, "mobility.charging_efficiency")
        )
    if total == 0:
        return np.zeros(len(index)), problems
    kwh, more = ev_charging_kwh(index, total, window=window, parameters=params)
    return kwh, problems + more
