"""Sensitivity analysis: one-at-a-time variation of the inputs of a business case (tornado).

:func:`tornado` evaluates a result (usually the NPV) at a low and a high value of every
parameter, the others at their base value, and sorts the parameters by the swing
``|result(high) - result(low)|``. :func:`case_tornado` does this for a business case over
the energy price, the investment, the discount rate and the yield.

The ranges are inputs, not defaults hidden in code: the caller (or the CLI) states them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from parkplan.domain.errors import ParkplanError
from parkplan.economics.business_case import Finance, MeasureCost, case_cashflow
from parkplan.economics.subsidies import SubsidyResult


class SensitivityError(ParkplanError):
    """A sensitivity range is invalid (Dutch and English message)."""


@dataclass(frozen=True)
class TornadoBar:
    """The result at the low and high value of one parameter."""

    parameter: str
    label_nl: str
    label_en: str
    low_value: float
    high_value: float
    result_low: float | None
    result_high: float | None
    base_result: float | None

    @property
    def swing(self) -> float:
        """``|result_high - result_low|`` (0 when unknown)."""
        if self.result_low is None or self.result_high is None:
            return 0.0
        return abs(self.result_high - self.result_low)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "parameter": self.parameter,
            "label_nl": self.label_nl,
            "label_en": self.label_en,
            "low_value": self.low_value,
            "high_value": self.high_value,
            "result_low": self.result_low,
            "result_high": self.result_high,
            "base_result": self.base_result,
            "swing": self.swing,
        }


@dataclass(frozen=True)
class Range:
    """Low and high value of a parameter, with its labels."""

    low: float
    high: float
    label_nl: str
    label_en: str


def tornado(
    evaluate: Callable[[Mapping[str, float]], float | None],
    base: Mapping[str, float],
    ranges: Mapping[str, Range],
) -> list[TornadoBar]:
    """One-at-a-time sensitivity, sorted by swing (largest first).

    Parameters
    ----------
    evaluate
        The result (e.g. NPV [EUR]) for a full set of parameter values.
    base
        Base value of every parameter.
    ranges
        Low and high value per parameter to vary (a subset of ``base``).
    """
    unknown = set(ranges) - set(base)
    if unknown:
        raise SensitivityError(
            f"bereik voor onbekende parameter(s) {sorted(unknown)}",
            f"range for unknown parameter(s) {sorted(unknown)}",
        )
    for name, r in ranges.items():
        if not (np.isfinite(r.low) and np.isfinite(r.high)) or r.low > r.high:
            raise SensitivityError(
                f"{name}: laag ({r.low}) moet eindig zijn en <= hoog ({r.high})",
                f"{name}: low ({r.low}) must be finite and <= high ({r.high})",
            )
    base_result = evaluate(dict(base))
    bars = []
    for name, r in ranges.items():
        results = []
        for v in (r.low, r.high):
            p = dict(base)
            p[name] = v
            results.append(evaluate(p))
        bars.append(
            TornadoBar(name, r.label_nl, r.label_en, r.low, r.high, results[0], results[1],
                       base_result)
        )  # fmt: skip
    return sorted(bars, key=lambda b: b.swing, reverse=True)


def case_tornado(
    measures: Sequence[MeasureCost],
    annual_saving_eur: float,
    finance: Finance,
    *,
    price_factor: tuple[float, float],
    capex_factor: tuple[float, float],
    discount_rate: tuple[float, float],
    yield_factor: tuple[float, float],
    subsidies: Sequence[SubsidyResult] = (),
    saving_at: Callable[[float, float], float] | None = None,
) -> list[TornadoBar]:
    """Tornado of a business case's NPV over price, capex, discount rate and yield.

    Parameters
    ----------
    price_factor, capex_factor, yield_factor
        (low, high) multipliers of the energy prices, the investment and the production.
    discount_rate
        (low, high) discount rate. [fraction per year]
    saving_at
        ``saving_at(price_factor, yield_factor)`` -> yearly saving [EUR/yr]; default
        ``annual_saving_eur x price_factor x yield_factor`` (a linear approximation: the
        service passes a re-billed saving for the price).
    """

    def saving(pf: float, yf: float) -> float:
        if saving_at is not None:
            return saving_at(pf, yf)
        return annual_saving_eur * pf * yf

    def evaluate(p: Mapping[str, float]) -> float | None:
        scaled = [
            MeasureCost(
                m.kind, m.company,
                None if m.capex_eur is None else m.capex_eur * p["capex_factor"],
                m.opex_eur_per_year, m.lifetime_years, m.size, m.size_unit,
                tuple((y, c * p["capex_factor"]) for y, c in m.replacements),
                m.refs, m.unknown, m.degradation_per_year,
            )
            for m in measures
        ]  # fmt: skip
        fin = Finance(p["discount_rate"], finance.horizon_years, finance.price_escalation,
                      finance.opex_escalation)  # fmt: skip
        return case_cashflow(
            "tornado",
            scaled,
            saving(p["price_factor"], p["yield_factor"]),
            fin,
            subsidies=[
                SubsidyResult(
                    s.scheme,
                    s.amount_eur * p["capex_factor"],
                    s.amount_eur_per_year,
                    s.years,
                    s.refs,
                )
                for s in subsidies
            ],
        ).npv_eur

    base = {
        "price_factor": 1.0,
        "capex_factor": 1.0,
        "discount_rate": finance.discount_rate,
        "yield_factor": 1.0,
    }
    ranges = {
        "price_factor": Range(*price_factor, "Energieprijs", "Energy price"),
        "capex_factor": Range(*capex_factor, "Investering", "Investment"),
        "discount_rate": Range(*discount_rate, "Disconteringsvoet", "Discount rate"),
        "yield_factor": Range(*yield_factor, "Opbrengst", "Yield"),
    }
    return tornado(evaluate, base, ranges)
