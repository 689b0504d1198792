"""Business cases: cash flows per measure, per company and for the collective.

A measure's cash flow (:func:`parkplan.economics.cashflow.measure_cashflows`) takes its
investment and O&M from the reference data (``cost.*``), its yearly saving from the bills
before and after the scenario, and its subsidies from :mod:`parkplan.economics.subsidies`.

- Company: bill before - bill after = the saving of all its measures together in year 1;
  the saving is shared over its measures in proportion to their investment when a single
  figure per measure is needed. NPV, IRR and paybacks come from the summed net cash flow.
- Collective (energy hub): the annual benefit of the GTO game ``v(N)``
  (:mod:`parkplan.economics.games`) plus the shared assets' energy value; the investment in
  the shared battery and shared PV.

A bill with an unknown line (a tariff not published for the year) makes the saving unknown:
the NPV is then ``None`` and ``unknown`` names the refdata keys to supply through
``refdata_overrides``. Nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from parkplan.domain.errors import ParkplanError
from parkplan.economics.cashflow import (
    MeasureCashflowInputs,
    indicators,
    lcoe_eur_per_kwh,
    measure_cashflows,
    npv,
)
from parkplan.economics.subsidies import SubsidyResult, check_rate

if TYPE_CHECKING:
    from parkplan.economics.tariffs import Bill
    from parkplan.refdata.loader import RefData


class BusinessCaseError(ParkplanError):
    """Inputs of a business case are invalid (Dutch and English message)."""


@dataclass(frozen=True)
class Finance:
    """Financial settings of a business case (editable per park or on the command line)."""

    discount_rate: float
    """Discount rate, fraction per year (0.06 = 6 %). [1/yr]"""
    horizon_years: int
    """Years of the cash flow. [yr]"""
    price_escalation: float = 0.0
    """Yearly change of energy prices, fraction. [1/yr]"""
    opex_escalation: float = 0.0

    def __post_init__(self) -> None:
        check_rate("disconteringsvoet / discount rate", self.discount_rate)
        check_rate("prijsstijging / price escalation", self.price_escalation)
        check_rate("kostenstijging / O&M escalation", self.opex_escalation)
        if not 1 <= int(self.horizon_years) <= 50:
            raise BusinessCaseError(
                f"horizon moet 1..50 jaar zijn (gevonden: {self.horizon_years})",
                f"horizon must be 1..50 years (found: {self.horizon_years})",
            )


@dataclass(frozen=True)
class MeasureCost:
    """Investment and O&M of one measure, with the refdata keys behind them."""

    kind: str
    """``pv``, ``battery``, ``heat_pump``, ``charger``, ``shared_pv``, ``shared_battery``."""
    company: str | None
    capex_eur: float | None
    """``None`` when a cost figure is unknown. [EUR]"""
    opex_eur_per_year: float | None
    lifetime_years: int
    size: float
    size_unit: str
    replacements: tuple[tuple[int, float], ...] = ()
    refs: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    degradation_per_year: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "kind": self.kind,
            "company": self.company,
            "capex_eur": self.capex_eur,
            "opex_eur_per_year": self.opex_eur_per_year,
            "lifetime_years": self.lifetime_years,
            "size": self.size,
            "size_unit": self.size_unit,
            "refs": list(self.refs),
            "unknown": list(self.unknown),
        }


def pv_class(kwp: float, refdata: RefData) -> str:
    """Cost class of a PV system: ``small`` (< 15 kWp), ``medium`` (< 1 MWp) or ``large``."""
    if kwp < refdata.value("cost.pv.small.max_kwp"):
        return "small"
    if kwp < refdata.value("cost.pv.medium.max_kwp"):
        return "medium"
    return "large"


def _cost(refdata: RefData, key: str, year: int) -> float:
    return refdata.value(key, year)


def pv_cost(
    kwp: float, *, year: int, refdata: RefData, company: str | None = None, kind: str = "pv"
) -> MeasureCost:
    """Investment, O&M, inverter replacement and degradation of rooftop PV."""
    if not np.isfinite(kwp) or kwp < 0:
        raise BusinessCaseError(
            f"PV-vermogen moet >= 0 kWp zijn (gevonden: {kwp})",
            f"PV power must be >= 0 kWp (found: {kwp})",
        )
    c = pv_class(kwp, refdata)
    capex_key = f"cost.pv.{c}.capex_eur_per_kwp"
    om_key = f"cost.pv.{c}.om_eur_per_kwp_yr"
    life = int(refdata.value("cost.pv.lifetime_years"))
    inv_year = int(refdata.value("cost.pv.inverter_replacement_year"))
    inv_cost = _cost(refdata, "cost.pv.inverter_replacement_eur_per_kwp", year) * kwp
    return MeasureCost(
        kind,
        company,
        _cost(refdata, capex_key, year) * kwp,
        _cost(refdata, om_key, year) * kwp,
        life,
        kwp,
        "kWp",
        ((inv_year, inv_cost),),
        (
            capex_key,
            om_key,
            "cost.pv.lifetime_years",
            "cost.pv.inverter_replacement_eur_per_kwp",
            "cost.pv.inverter_replacement_year",
            "cost.pv.degradation_fraction_per_yr",
        ),
        degradation_per_year=refdata.value("cost.pv.degradation_fraction_per_yr"),
    )


def battery_cost(
    energy_kwh: float,
    power_kw: float,
    *,
    year: int,
    refdata: RefData,
    company: str | None = None,
    kind: str = "battery",
) -> MeasureCost:
    """Investment (per kWh and per kW) and O&M (fraction of capex) of a battery."""
    for name, v in (("energy_kwh", energy_kwh), ("power_kw", power_kw)):
        if not np.isfinite(v) or v < 0:
            raise BusinessCaseError(
                f"batterij {name} moet >= 0 zijn (gevonden: {v})",
                f"battery {name} must be >= 0 (found: {v})",
            )
    capex = energy_kwh * _cost(refdata, "cost.battery.capex_eur_per_kwh", year) + power_kw * _cost(
        refdata, "cost.battery.capex_eur_per_kw", year
    )
    om = capex * _cost(refdata, "cost.battery.om_fraction_of_capex_per_yr", year)
    return MeasureCost(
        kind,
        company,
        capex,
        om,
        int(refdata.value("cost.battery.lifetime_years")),
        energy_kwh,
        "kWh",
        refs=(
            "cost.battery.capex_eur_per_kwh",
            "cost.battery.capex_eur_per_kw",
            "cost.battery.om_fraction_of_capex_per_yr",
            "cost.battery.lifetime_years",
        ),
    )


def charger_cost(
    points: int, charger_kw: float, *, year: int, refdata: RefData, company: str | None = None
) -> MeasureCost:
    """Charge points: AC up to 22 kW, DC 50 kW above that; O&M per point."""
    kind_key = "ac_22kw" if charger_kw <= 22 else "dc_50kw"
    key = f"cost.charger.{kind_key}.capex_eur_per_point"
    return MeasureCost(
        "charger",
        company,
        points * _cost(refdata, key, year),
        points * _cost(refdata, "cost.charger.om_eur_per_point_yr", year),
        int(refdata.value("cost.charger.lifetime_years")),
        float(points),
        "points",
        refs=(key, "cost.charger.om_eur_per_point_yr", "cost.charger.lifetime_years"),
    )


def heat_pump_cost(
    kw_th: float | None,
    *,
    year: int,
    refdata: RefData,
    company: str | None = None,
    source: str = "air_water",
) -> MeasureCost:
    """A heat pump of ``kw_th`` thermal kW; unknown capex when the size is not given."""
    key = f"cost.heat_pump.{source}.capex_eur_per_kw_th"
    life = int(refdata.value("cost.heat_pump.lifetime_years"))
    if kw_th is None:
        return MeasureCost(
            "heat_pump",
            company,
            None,
            None,
            life,
            0.0,
            "kW_th",
            refs=(key,),
            unknown=("heat_pump.kw_th (geef 'kw_th' op in het scenario / give 'kw_th')",),
        )
    capex = kw_th * _cost(refdata, key, year)
    return MeasureCost(
        "heat_pump",
        company,
        capex,
        capex * _cost(refdata, "cost.heat_pump.om_fraction_of_capex_per_yr", year),
        life,
        kw_th,
        "kW_th",
        refs=(key, "cost.heat_pump.om_fraction_of_capex_per_yr", "cost.heat_pump.lifetime_years"),
    )


@dataclass
class CaseResult:
    """The business case of a company or the collective."""

    id: str
    capex_eur: float | None
    subsidy_eur: float
    annual_saving_eur: float | None
    """Saving in year 1 (bill before - bill after, or the collective benefit). [EUR/yr]"""
    opex_eur_per_year: float | None
    npv_eur: float | None
    irr: float | None
    payback_years: float | None
    discounted_payback_years: float | None
    cashflow_eur: list[float] = field(default_factory=list)
    measures: list[MeasureCost] = field(default_factory=list)
    subsidies: list[SubsidyResult] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    lcoe_eur_per_kwh: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "capex_eur": self.capex_eur,
            "subsidy_eur": self.subsidy_eur,
            "annual_saving_eur": self.annual_saving_eur,
            "opex_eur_per_year": self.opex_eur_per_year,
            "npv_eur": self.npv_eur,
            "irr": self.irr,
            "payback_years": self.payback_years,
            "discounted_payback_years": self.discounted_payback_years,
            "cashflow_eur": self.cashflow_eur,
            "measures": [m.to_dict() for m in self.measures],
            "subsidies": [s.to_dict() for s in self.subsidies],
            "unknown": self.unknown,
            "lcoe_eur_per_kwh": self.lcoe_eur_per_kwh,
        }


def case_cashflow(
    case_id: str,
    measures: Sequence[MeasureCost],
    annual_saving_eur: float | None,
    finance: Finance,
    *,
    subsidies: Sequence[SubsidyResult] = (),
    unknown: Sequence[str] = (),
    annual_kwh: float | None = None,
) -> CaseResult:
    """Cash flow and indicators of a set of measures with one yearly saving.

    Each measure contributes its capex, O&M, replacements and residual value
    (:func:`measure_cashflows` with its own lifetime); the saving escalates with
    ``finance.price_escalation`` and, for PV-only cases, degrades like the PV; subsidies
    enter in year 0 (investment schemes) or yearly (SDE++).

    Parameters
    ----------
    annual_kwh
        Yearly production (PV) for the LCOE; ``None`` skips it. [kWh/yr]
    """
    missing = list(unknown)
    for m in measures:
        missing.extend(m.unknown)
    capex = (
        None
        if any(m.capex_eur is None for m in measures)
        else sum(float(m.capex_eur or 0.0) for m in measures)
    )
    opex = (
        None
        if any(m.opex_eur_per_year is None for m in measures)
        else sum(float(m.opex_eur_per_year or 0.0) for m in measures)
    )
    sub0 = float(sum(s.amount_eur for s in subsidies))
    if capex is None or opex is None or annual_saving_eur is None:
        return CaseResult(
            case_id, capex, sub0, annual_saving_eur, opex, None, None, None, None,
            measures=list(measures), subsidies=list(subsidies), unknown=sorted(set(missing)),
        )  # fmt: skip
    h = finance.horizon_years
    if not measures:
        # no investment: the value is the discounted stream of the saving (e.g. a GTO)
        years = np.arange(h + 1)
        stream = np.where(
            years >= 1, annual_saving_eur * (1 + finance.price_escalation) ** (years - 1), 0.0
        )
        return CaseResult(
            case_id, 0.0, sub0, float(annual_saving_eur), 0.0,
            npv(finance.discount_rate, stream), None, None, None,
            cashflow_eur=[float(x) for x in stream], unknown=sorted(set(missing)),
        )  # fmt: skip
    net = np.zeros(h + 1)
    costs = np.zeros(h + 1)
    degr = max((m.degradation_per_year for m in measures), default=0.0)
    only_pv = bool(measures) and all(m.kind in ("pv", "shared_pv") for m in measures)
    for m in measures:
        lines = measure_cashflows(
            MeasureCashflowInputs(
                capex_eur=float(m.capex_eur or 0.0),
                opex_eur_per_year=float(m.opex_eur_per_year or 0.0),
                savings_eur_per_year=0.0,
                lifetime_years=m.lifetime_years,
                opex_escalation=finance.opex_escalation,
                replacements=m.replacements,
            ),
            h,
        )
        net += lines["net"]
        costs -= lines["capex"] + lines["opex"] + lines["replacement"] + lines["residual"]
    life = max((m.lifetime_years for m in measures), default=h)
    saving = measure_cashflows(
        MeasureCashflowInputs(
            capex_eur=0.0,
            opex_eur_per_year=0.0,
            savings_eur_per_year=float(annual_saving_eur),
            lifetime_years=life,
            subsidy_eur=sub0,
            subsidy_eur_per_year=float(sum(s.amount_eur_per_year for s in subsidies)),
            subsidy_years=max((s.years for s in subsidies), default=0),
            degradation_per_year=degr if only_pv else 0.0,
            price_escalation=finance.price_escalation,
        ),
        h,
    )
    net += saving["net"]
    ind = indicators(net, finance.discount_rate)
    lcoe = None
    if annual_kwh and annual_kwh > 0:
        years = np.arange(h + 1)
        energy = np.where(
            (years >= 1) & (years <= life), annual_kwh * (1 - degr) ** np.maximum(years - 1, 0), 0
        )
        lcoe = lcoe_eur_per_kwh(finance.discount_rate, costs, energy)
    return CaseResult(
        case_id,
        capex,
        sub0,
        float(annual_saving_eur),
        opex,
        ind.npv_eur,
        ind.irr,
        ind.payback_years,
        ind.discounted_payback_years,
        [float(x) for x in net],
        list(measures),
        list(subsidies),
        sorted(set(missing)),
        lcoe,
    )


def bill_saving(before: Bill, after: Bill) -> tuple[float | None, list[str]]:
    """Bill before - bill after, or ``None`` with the refdata keys of the unknown lines."""
    unknown: list[str] = []
    for b in (before, after):
        for ln in b.lines:
            if not ln.known:
                unknown.extend(ln.refs or (ln.code,))
    if unknown:
        return None, sorted(set(unknown))
    return before.total_eur - after.total_eur, []
