"""Cash flows of a measure over its life, and the figures people decide on.

All amounts are nominal EUR per year; year 0 is the investment year. Functions are pure and
work on numpy arrays, so sensitivity analyses can call them many times.

References: the annuity and NPV formulas are textbook (e.g. Brealey, Myers & Allen,
*Principles of Corporate Finance*); LCOE follows the discounted-cost over discounted-energy
definition used by PBL for the SDE++ base amounts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from parkplan.domain.errors import ParkplanError

FloatArray = NDArray[np.float64]


def discount_factors(rate: float, horizon_years: int) -> FloatArray:
    """Discount factors ``1 / (1 + rate)**t`` for t = 0 .. horizon_years.

    Parameters
    ----------
    rate : float
        Discount rate per year, as a fraction (0.06 = 6 %). [1/yr]
    horizon_years : int
        Last year of the cash flow. [yr]
    """
    if rate <= -1:
        raise ParkplanError(
            f"De disconteringsvoet moet groter zijn dan -100 % (gevonden: {rate}).",
            f"The discount rate must be greater than -100 % (found: {rate}).",
        )
    return 1.0 / (1.0 + rate) ** np.arange(horizon_years + 1, dtype=float)


def npv(rate: float, cashflows_eur: ArrayLike) -> float:
    """Net present value of yearly cash flows, year 0 first. [EUR]"""
    cf = np.asarray(cashflows_eur, dtype=float)
    return float(cf @ discount_factors(rate, cf.size - 1))


def irr(cashflows_eur: ArrayLike, *, low: float = -0.99, high: float = 10.0) -> float | None:
    """Internal rate of return: the rate where the NPV is zero. [1/yr, fraction]

    Found by bisection on the bracket [low, high] after locating a sign change of the NPV on
    a grid, so the result is deterministic. Returns ``None`` when the NPV does not change
    sign in the bracket (for instance when a measure never pays back); when it changes sign
    more than once, the smallest rate is returned (the conservative choice).
    """
    cf = np.asarray(cashflows_eur, dtype=float)
    if cf.size < 2 or not (np.any(cf > 0) and np.any(cf < 0)):
        return None
    grid = np.concatenate(
        [np.linspace(low, 0.0, 200, endpoint=False), np.geomspace(1e-6, high, 400)]
    )
    values = np.array([npv(r, cf) for r in grid])
    signs = np.sign(values)
    change = np.nonzero(signs[:-1] * signs[1:] < 0)[0]
    zero = np.nonzero(values == 0)[0]
    if zero.size and (not change.size or zero[0] <= change[0]):
        return float(grid[zero[0]])
    if not change.size:
        return None
    a, b = float(grid[change[0]]), float(grid[change[0] + 1])
    fa = npv(a, cf)
    for _ in range(200):
        m = 0.5 * (a + b)
        fm = npv(m, cf)
        if fm == 0 or (b - a) < 1e-12:
            return m
        if np.sign(fm) == np.sign(fa):
            a, fa = m, fm
        else:
            b = m
    return 0.5 * (a + b)


def payback_years(cashflows_eur: ArrayLike, rate: float = 0.0) -> float | None:
    """Years until the cumulative (discounted, when ``rate`` > 0) cash flow turns positive.

    Interpolates linearly within the year in which it turns; ``None`` when it never does
    within the horizon. With ``rate`` = 0 this is the simple payback time
    (*terugverdientijd*). [yr]
    """
    raw = np.asarray(cashflows_eur, dtype=float)
    cf = raw * discount_factors(rate, raw.size - 1)
    cumulative = np.cumsum(cf)
    if cumulative[0] >= 0:
        return 0.0
    later = np.nonzero(cumulative >= 0)[0]
    if not later.size:
        return None
    t = int(later[0])
    before = cumulative[t - 1]
    return float(t - 1 + (-before) / cf[t])


def annuity_factor(rate: float, lifetime_years: int) -> float:
    """Capital recovery factor: the yearly payment per EUR invested. [1/yr]

    ``rate / (1 - (1 + rate)**-n)``, and ``1/n`` when the rate is zero.
    """
    if lifetime_years <= 0:
        raise ParkplanError(
            f"De levensduur moet positief zijn (gevonden: {lifetime_years}).",
            f"The lifetime must be positive (found: {lifetime_years}).",
        )
    if rate == 0:
        return 1.0 / lifetime_years
    return rate / (1.0 - (1.0 + rate) ** -lifetime_years)


def lcoe_eur_per_kwh(rate: float, costs_eur: ArrayLike, energy_kwh: ArrayLike) -> float:
    """Levelised cost of energy: discounted costs over discounted energy. [EUR/kWh]"""
    c = np.asarray(costs_eur, dtype=float)
    e = np.asarray(energy_kwh, dtype=float)
    if c.shape != e.shape:
        raise ParkplanError(
            "Kosten en energie moeten even veel jaren hebben.",
            "Costs and energy must cover the same number of years.",
        )
    d = discount_factors(rate, c.size - 1)
    energy = float(e @ d)
    if energy <= 0:
        raise ParkplanError(
            "Geen energie over de levensduur: LCOE is niet gedefinieerd.",
            "No energy over the lifetime: LCOE is undefined.",
        )
    return float(c @ d) / energy


@dataclass(frozen=True)
class MeasureCashflowInputs:
    """What a measure costs and earns, for :func:`measure_cashflows`.

    Savings are those of the first operating year (year 1) at year-1 prices; they escalate
    with ``price_escalation`` and, for PV, decline with ``degradation_per_year``.
    """

    capex_eur: float
    """Investment in year 0. [EUR]"""
    opex_eur_per_year: float
    """Operation and maintenance in year 1. [EUR/yr]"""
    savings_eur_per_year: float
    """Saving on the energy bill (incl. feed-in revenue) in year 1. [EUR/yr]"""
    lifetime_years: int
    """Technical lifetime. [yr]"""
    subsidy_eur: float = 0.0
    """Investment subsidy or tax benefit received in year 0 (EIA, ISDE ...). [EUR]"""
    subsidy_eur_per_year: float = 0.0
    """Operating subsidy per year (e.g. SDE++), during ``subsidy_years``. [EUR/yr]"""
    subsidy_years: int = 0
    degradation_per_year: float = 0.0
    """Yearly loss of output, as a fraction (PV about 0.005). [1/yr]"""
    price_escalation: float = 0.0
    """Yearly change of energy prices, as a fraction. [1/yr]"""
    opex_escalation: float = 0.0
    """Yearly change of O&M costs, as a fraction. [1/yr]"""
    replacements: Sequence[tuple[int, float]] = field(default_factory=tuple)
    """(year, cost) of replacements within the horizon, e.g. an inverter in year 12. [EUR]"""


def measure_cashflows(inputs: MeasureCashflowInputs, horizon_years: int) -> dict[str, FloatArray]:
    """Yearly cash-flow lines of one measure, years 0 .. horizon_years. [EUR]

    Lines: ``capex`` (negative), ``subsidy``, ``opex`` (negative), ``savings``,
    ``replacement`` (negative), ``residual`` (the straight-line remaining value when the
    horizon is shorter than the lifetime) and ``net`` (their sum).
    """
    if horizon_years < 1:
        raise ParkplanError(
            f"De horizon moet minstens 1 jaar zijn (gevonden: {horizon_years}).",
            f"The horizon must be at least 1 year (found: {horizon_years}).",
        )
    years = np.arange(horizon_years + 1, dtype=float)
    operating = (years >= 1) & (years <= inputs.lifetime_years)
    n = years.size
    capex = np.zeros(n)
    capex[0] = -inputs.capex_eur
    subsidy = np.zeros(n)
    subsidy[0] = inputs.subsidy_eur
    subsidy_on = (years >= 1) & (years <= inputs.subsidy_years)
    subsidy[subsidy_on] += inputs.subsidy_eur_per_year
    grow = np.where(operating, years - 1, 0)
    savings = np.where(
        operating,
        inputs.savings_eur_per_year
        * (1 + inputs.price_escalation) ** grow
        * (1 - inputs.degradation_per_year) ** grow,
        0.0,
    )
    opex = np.where(
        operating, -inputs.opex_eur_per_year * (1 + inputs.opex_escalation) ** grow, 0.0
    )
    replacement = np.zeros(n)
    for year, cost in inputs.replacements:
        if 0 < year <= horizon_years:
            replacement[year] -= cost
    residual = np.zeros(n)
    if horizon_years < inputs.lifetime_years:
        residual[-1] = inputs.capex_eur * (1 - horizon_years / inputs.lifetime_years)
    net = capex + subsidy + opex + savings + replacement + residual
    return {
        "capex": capex,
        "subsidy": subsidy,
        "opex": opex,
        "savings": savings,
        "replacement": replacement,
        "residual": residual,
        "net": net,
    }


@dataclass(frozen=True)
class Indicators:
    """The figures an entrepreneur decides on."""

    npv_eur: float
    irr: float | None
    """Internal rate of return, fraction per year (0.08 = 8 %); ``None`` when undefined."""
    payback_years: float | None
    discounted_payback_years: float | None


def indicators(net_eur: ArrayLike, rate: float) -> Indicators:
    """NPV, IRR, simple and discounted payback of a net cash flow."""
    return Indicators(
        npv_eur=npv(rate, net_eur),
        irr=irr(net_eur),
        payback_years=payback_years(net_eur),
        discounted_payback_years=payback_years(net_eur, rate),
    )
