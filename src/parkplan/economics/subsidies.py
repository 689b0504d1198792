"""Subsidies and tax schemes for a measure, with their eligibility rules.

Schemes (figures and rules from ``refdata/subsidies.csv``, keys ``subsidy.*`` and
``tax.profit.*``):

- **EIA** (Energie-investeringsaftrek): an extra deduction from taxable profit of
  ``subsidy.eia.deduction_fraction`` x the investment; its cash value is that deduction x the
  company's profit-tax rate, in year 0. Only for assets on the Energielijst and investments
  of at least ``subsidy.eia.min_investment_eur``; not together with MIA or SDE++ (nor ISDE)
  on the same asset.
- **MIA / Vamil** (Milieu-investeringsaftrek, willekeurige afschrijving): MIA is a deduction
  of 27, 36 or 45 % (Milieulijst category) x the investment; Vamil lets 75 % be written off
  at will, a timing benefit: the present value of the earlier tax shield.
- **SDE++**: an operating subsidy per kWh for PV of at least ``subsidy.sde.pv_min_kwp`` on a
  grootverbruik connection, for ``subsidy.sde.subsidy_years``. Its amount per kWh depends on
  the round, the base amount and the yearly correction; it is not in the reference data and
  must be given by the user (never guessed).
- **ISDE**: a fixed amount per device for heat pumps and solar water heaters; the amounts
  per device (``subsidy.isde.heat_pump_eur_per_device``) are set yearly by RVO.

Whether an asset is on the Energie- or Milieulijst is a fact about the product that the
reference data cannot decide: the caller states it (``on_energielijst``, ``on_milieulijst``);
when it is not stated the scheme is refused, with a message saying what to check.

All functions raise :class:`SubsidyError` (Dutch and English) when a scheme is applied where
it is not allowed, and :class:`parkplan.refdata.loader.UnknownValueError` when a figure is
not known for the year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from parkplan.domain.errors import ParkplanError

if TYPE_CHECKING:
    from parkplan.refdata.loader import RefData

Scheme = Literal["eia", "mia", "vamil", "sde", "isde"]
SCHEMES: tuple[str, ...] = ("eia", "mia", "vamil", "sde", "isde")
MIA_CATEGORIES: tuple[str, ...] = ("low", "mid", "high")
SCHEMES_BY_MEASURE: dict[str, tuple[str, ...]] = {
    "pv": ("eia", "sde", "mia", "vamil"),
    "battery": ("eia", "mia", "vamil"),
    "heat_pump": ("eia", "isde", "mia", "vamil"),
    "charger": ("mia", "vamil"),
}
"""Schemes that can apply at all to a measure type (subject to the eligibility checks)."""


class SubsidyError(ParkplanError):
    """A subsidy is applied where it is not allowed (Dutch and English message)."""


@dataclass(frozen=True)
class SubsidyResult:
    """What a scheme is worth for one measure."""

    scheme: str
    amount_eur: float
    """Cash value received in year 0 (investment schemes). [EUR]"""
    amount_eur_per_year: float = 0.0
    """Operating subsidy per year (SDE++). [EUR/yr]"""
    years: int = 0
    """Years the operating subsidy is paid. [yr]"""
    refs: tuple[str, ...] = ()
    basis_nl: str = ""
    basis_en: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "scheme": self.scheme,
            "amount_eur": self.amount_eur,
            "amount_eur_per_year": self.amount_eur_per_year,
            "years": self.years,
            "refs": list(self.refs),
            "basis_nl": self.basis_nl,
            "basis_en": self.basis_en,
        }


def _positive(name: str, value: float) -> float:
    v = float(value)
    if not np.isfinite(v) or v < 0:
        raise SubsidyError(
            f"{name} moet een eindig getal >= 0 zijn (gevonden: {value})",
            f"{name} must be a finite number >= 0 (found: {value})",
        )
    return v


def profit_tax_rate(
    year: int,
    refdata: RefData,
    rate: float | None = None,
    *,
    taxable_profit_eur: float | None = None,
) -> tuple[float, tuple[str, ...]]:
    """The marginal profit-tax rate that values a deduction. [fraction]

    ``rate`` wins when given (e.g. income tax for a sole trader); else the vennootschaps-
    belasting rate: low below ``tax.profit.bracket_eur`` of taxable profit, high above it
    (the high rate when the profit is not given).
    """
    if rate is not None:
        r = float(rate)
        if not np.isfinite(r) or not 0 <= r < 1:
            raise SubsidyError(
                f"belastingtarief moet tussen 0 en 1 liggen (gevonden: {rate})",
                f"tax rate must lie between 0 and 1 (found: {rate})",
            )
        return r, ()
    if taxable_profit_eur is not None and taxable_profit_eur <= refdata.value(
        "tax.profit.bracket_eur", year
    ):
        return refdata.value("tax.profit.rate_low", year), (
            "tax.profit.rate_low",
            "tax.profit.bracket_eur",
        )
    return refdata.value("tax.profit.rate_high", year), ("tax.profit.rate_high",)


def check_combination(schemes: Sequence[str], year: int, refdata: RefData) -> None:
    """Refuse combinations the rules exclude on one asset (EIA+MIA, EIA+SDE++, EIA+ISDE)."""
    s = set(schemes)
    unknown = s - set(SCHEMES)
    if unknown:
        raise SubsidyError(
            f"onbekende regeling(en) {sorted(unknown)}; bekend: {', '.join(SCHEMES)}",
            f"unknown scheme(s) {sorted(unknown)}; known: {', '.join(SCHEMES)}",
        )
    rules = (
        ("mia", "subsidy.eia.combinable_with_mia"),
        ("sde", "subsidy.sde.combinable_with_eia"),
        ("isde", "subsidy.isde.combinable_with_eia"),
    )
    for other, key in rules:
        if "eia" in s and other in s and refdata.value(key, year) == 0.0:
            raise SubsidyError(
                f"EIA en {other.upper()} mogen niet samen op dezelfde investering ({key})",
                f"EIA and {other.upper()} cannot be combined on the same investment ({key})",
            )
    if "vamil" in s and "mia" not in s and "eia" in s:
        raise SubsidyError(
            "Vamil gaat samen met MIA, niet met EIA op dezelfde investering",
            "Vamil goes with MIA, not with EIA on the same investment",
        )


def eia(
    investment_eur: float,
    *,
    year: int,
    refdata: RefData,
    on_energielijst: bool | None,
    tax_rate: float | None = None,
    other_schemes: Sequence[str] = (),
) -> SubsidyResult:
    """Energie-investeringsaftrek: deduction fraction x investment x profit-tax rate. [EUR]

    Refuses when the asset is not (stated to be) on the Energielijst, when the investment is
    below the minimum or above the yearly maximum, or when combined with MIA / SDE++ / ISDE.
    """
    inv = _positive("investering (EUR)", investment_eur)
    check_combination(["eia", *other_schemes], year, refdata)
    if not on_energielijst:
        raise SubsidyError(
            "EIA alleen voor bedrijfsmiddelen op de Energielijst: controleer de code op "
            "rvo.nl en zet on_energielijst: true",
            "EIA only for assets on the Energielijst: check the code on rvo.nl and set "
            "on_energielijst: true",
        )
    lo = refdata.value("subsidy.eia.min_investment_eur", year)
    hi = refdata.value("subsidy.eia.max_investment_eur", year)
    if inv < lo:
        raise SubsidyError(
            f"EIA vraagt minstens EUR {lo:,.0f} investering per bedrijfsmiddel (gevonden: "
            f"EUR {inv:,.0f})",
            f"EIA needs at least EUR {lo:,.0f} investment per asset (found: EUR {inv:,.0f})",
        )
    eligible = min(inv, hi)
    frac = refdata.value("subsidy.eia.deduction_fraction", year)
    rate, rate_refs = profit_tax_rate(year, refdata, tax_rate)
    amount = eligible * frac * rate
    return SubsidyResult(
        "eia",
        amount,
        refs=(
            "subsidy.eia.deduction_fraction",
            "subsidy.eia.min_investment_eur",
            "subsidy.eia.max_investment_eur",
            *rate_refs,
        ),
        basis_nl=f"{frac:.0%} x EUR {eligible:,.0f} aftrek x {rate:.1%} belasting",
        basis_en=f"{frac:.0%} x EUR {eligible:,.0f} deduction x {rate:.1%} tax",
    )


def mia(
    investment_eur: float,
    *,
    category: str,
    year: int,
    refdata: RefData,
    on_milieulijst: bool | None,
    tax_rate: float | None = None,
    other_schemes: Sequence[str] = (),
) -> SubsidyResult:
    """Milieu-investeringsaftrek: category fraction x investment x profit-tax rate. [EUR]"""
    inv = _positive("investering (EUR)", investment_eur)
    check_combination(["mia", *other_schemes], year, refdata)
    if category not in MIA_CATEGORIES:
        raise SubsidyError(
            f"MIA-categorie {category!r} onbekend; verwacht een van {MIA_CATEGORIES}",
            f"MIA category {category!r} unknown; expected one of {MIA_CATEGORIES}",
        )
    _require_milieulijst(on_milieulijst, "MIA")
    lo = refdata.value("subsidy.mia.min_investment_eur", year)
    if inv < lo:
        raise SubsidyError(
            f"MIA vraagt minstens EUR {lo:,.0f} investering (gevonden: EUR {inv:,.0f})",
            f"MIA needs at least EUR {lo:,.0f} investment (found: EUR {inv:,.0f})",
        )
    key = f"subsidy.mia.deduction_fraction_{category}"
    frac = refdata.value(key, year)
    rate, rate_refs = profit_tax_rate(year, refdata, tax_rate)
    return SubsidyResult(
        "mia",
        inv * frac * rate,
        refs=(key, "subsidy.mia.min_investment_eur", *rate_refs),
        basis_nl=f"{frac:.0%} x EUR {inv:,.0f} aftrek x {rate:.1%} belasting",
        basis_en=f"{frac:.0%} x EUR {inv:,.0f} deduction x {rate:.1%} tax",
    )


def _require_milieulijst(on_milieulijst: bool | None, scheme: str) -> None:
    if not on_milieulijst:
        raise SubsidyError(
            f"{scheme} alleen voor bedrijfsmiddelen op de Milieulijst: controleer de code op "
            "rvo.nl en zet on_milieulijst: true",
            f"{scheme} only for assets on the Milieulijst: check the code on rvo.nl and set "
            "on_milieulijst: true",
        )


def vamil(
    investment_eur: float,
    *,
    year: int,
    refdata: RefData,
    on_milieulijst: bool | None,
    lifetime_years: int,
    discount_rate: float,
    tax_rate: float | None = None,
    other_schemes: Sequence[str] = (),
) -> SubsidyResult:
    """Vamil: the present value of writing 75 % off at once instead of straight-line. [EUR]

    ``t x I x [f + (1 - f) x A - A]`` with ``A = sum_{y=1..L} (1/L) / (1 + r)**y`` the present
    value of straight-line depreciation per EUR and ``f`` the free-depreciation fraction
    (written off in year 0).
    """
    inv = _positive("investering (EUR)", investment_eur)
    check_combination(["vamil", *other_schemes], year, refdata)
    _require_milieulijst(on_milieulijst, "Vamil")
    if lifetime_years < 1:
        raise SubsidyError(
            f"levensduur moet >= 1 jaar zijn (gevonden: {lifetime_years})",
            f"lifetime must be >= 1 year (found: {lifetime_years})",
        )
    check_rate("disconteringsvoet / discount rate", discount_rate)
    f = refdata.value("subsidy.vamil.free_depreciation_fraction", year)
    rate, rate_refs = profit_tax_rate(year, refdata, tax_rate)
    years = np.arange(1, lifetime_years + 1)
    a = float(np.sum((1.0 / lifetime_years) / (1.0 + discount_rate) ** years))
    amount = rate * inv * (f + (1 - f) * a - a)
    return SubsidyResult(
        "vamil",
        amount,
        refs=("subsidy.vamil.free_depreciation_fraction", *rate_refs),
        basis_nl=f"{f:.0%} vrij afschrijven, rentevoordeel bij {discount_rate:.1%}",
        basis_en=f"{f:.0%} free depreciation, timing benefit at {discount_rate:.1%}",
    )


def check_rate(name: str, rate: float) -> float:
    """Refuse a discount or escalation rate outside (-50 %, 100 %). [fraction per year]"""
    r = float(rate)
    if not np.isfinite(r) or not -0.5 < r < 1.0:
        raise SubsidyError(
            f"{name} {rate} ligt buiten het bereik -0,5..1 (een fractie per jaar: 0,06 = 6 %)",
            f"{name} {rate} is out of range -0.5..1 (a fraction per year: 0.06 = 6 %)",
        )
    return r


def sde_pv(
    kwp: float,
    annual_kwh: float,
    *,
    connection_kind: str,
    year: int,
    refdata: RefData,
    eur_per_kwh: float | None,
    other_schemes: Sequence[str] = (),
) -> SubsidyResult:
    """SDE++ for rooftop PV: ``eur_per_kwh`` x the yearly production, for the subsidy period.

    Parameters
    ----------
    kwp
        Peak power of the installation. [kWp]
    annual_kwh
        Production in the first year. [kWh/yr]
    connection_kind
        ``grootverbruik`` is required.
    eur_per_kwh
        The net subsidy per kWh (base amount minus correction amount, the user's figure from
        the SDE++ round); ``None`` is refused: it is never guessed. [EUR/kWh]
    """
    p = _positive("vermogen (kWp)", kwp)
    e = _positive("opbrengst (kWh)", annual_kwh)
    check_combination(["sde", *other_schemes], year, refdata)
    min_kwp = refdata.value("subsidy.sde.pv_min_kwp", year)
    if p < min_kwp:
        raise SubsidyError(
            f"SDE++ voor zon-PV vanaf {min_kwp:g} kWp (gevonden: {p:g} kWp)",
            f"SDE++ for PV from {min_kwp:g} kWp (found: {p:g} kWp)",
        )
    if refdata.value("subsidy.sde.pv_requires_grootverbruik", year) == 1.0 and (
        connection_kind != "grootverbruik"
    ):
        raise SubsidyError(
            f"SDE++ voor zon-PV alleen op een grootverbruikaansluiting (> 3x80 A); gevonden: "
            f"{connection_kind}",
            f"SDE++ for PV only on a grootverbruik connection (> 3x80 A); found: {connection_kind}",
        )
    if eur_per_kwh is None:
        raise SubsidyError(
            "SDE++-bedrag per kWh ontbreekt: geef het netto bedrag (basisbedrag min "
            "correctiebedrag) uit de openstellingsronde op; parkplan raadt het niet",
            "SDE++ amount per kWh missing: give the net amount (base amount minus correction "
            "amount) of the round; parkplan does not guess it",
        )
    rate = float(eur_per_kwh)
    if not np.isfinite(rate) or not 0 <= rate <= 1:
        raise SubsidyError(
            f"SDE++-bedrag {rate} EUR/kWh buiten bereik 0..1",
            f"SDE++ amount {rate} EUR/kWh out of range 0..1",
        )
    years = int(refdata.value("subsidy.sde.subsidy_years", year))
    return SubsidyResult(
        "sde",
        0.0,
        amount_eur_per_year=rate * e,
        years=years,
        refs=(
            "subsidy.sde.pv_min_kwp",
            "subsidy.sde.pv_requires_grootverbruik",
            "subsidy.sde.subsidy_years",
        ),
        basis_nl=f"EUR {rate:.4f}/kWh x {e:,.0f} kWh gedurende {years} jaar",
        basis_en=f"EUR {rate:.4f}/kWh x {e:,.0f} kWh for {years} years",
    )


def isde_heat_pump(
    devices: int,
    *,
    year: int,
    refdata: RefData,
    other_schemes: Sequence[str] = (),
) -> SubsidyResult:
    """ISDE for heat pumps: devices x ``subsidy.isde.heat_pump_eur_per_device``. [EUR]

    Raises UnknownValueError when the amount is not known for the year (override it).
    """
    if devices < 1:
        raise SubsidyError(
            f"ISDE vraagt minstens één apparaat (gevonden: {devices})",
            f"ISDE needs at least one device (found: {devices})",
        )
    check_combination(["isde", *other_schemes], year, refdata)
    if refdata.value("subsidy.isde.business_eligible", year) != 1.0:
        raise SubsidyError(
            "ISDE staat dit jaar niet open voor bedrijven",
            "ISDE is not open to businesses this year",
        )
    per = refdata.value("subsidy.isde.heat_pump_eur_per_device", year)
    return SubsidyResult(
        "isde",
        devices * per,
        refs=("subsidy.isde.business_eligible", "subsidy.isde.heat_pump_eur_per_device"),
        basis_nl=f"{devices} x EUR {per:,.0f}",
        basis_en=f"{devices} x EUR {per:,.0f}",
    )


def apply_subsidies(
    measure: str,
    schemes: Sequence[str],
    *,
    investment_eur: float,
    year: int,
    refdata: RefData,
    kwp: float = 0.0,
    annual_kwh: float = 0.0,
    connection_kind: str = "grootverbruik",
    on_energielijst: bool | None = None,
    on_milieulijst: bool | None = None,
    mia_category: str = "low",
    sde_eur_per_kwh: float | None = None,
    devices: int = 1,
    lifetime_years: int = 15,
    discount_rate: float = 0.06,
    tax_rate: float | None = None,
) -> list[SubsidyResult]:
    """Apply the requested schemes to one measure; refuse any that is not allowed.

    ``measure`` is one of :data:`SCHEMES_BY_MEASURE` (``pv``, ``battery``, ``heat_pump``,
    ``charger``).
    """
    if measure not in SCHEMES_BY_MEASURE:
        raise SubsidyError(
            f"onbekende maatregel {measure!r}; verwacht een van {list(SCHEMES_BY_MEASURE)}",
            f"unknown measure {measure!r}; expected one of {list(SCHEMES_BY_MEASURE)}",
        )
    if len(set(schemes)) != len(schemes):
        raise SubsidyError(
            f"een regeling staat dubbel in {list(schemes)}",
            f"a scheme is listed twice in {list(schemes)}",
        )
    check_combination(schemes, year, refdata)
    allowed = SCHEMES_BY_MEASURE[measure]
    for s in schemes:
        if s not in allowed:
            raise SubsidyError(
                f"{s.upper()} is niet van toepassing op {measure}; mogelijk: "
                f"{', '.join(a.upper() for a in allowed)}",
                f"{s.upper()} does not apply to {measure}; possible: "
                f"{', '.join(a.upper() for a in allowed)}",
            )
    out: list[SubsidyResult] = []
    for s in schemes:
        others = [o for o in schemes if o != s]
        if s == "eia":
            out.append(
                eia(
                    investment_eur,
                    year=year,
                    refdata=refdata,
                    on_energielijst=on_energielijst,
                    tax_rate=tax_rate,
                    other_schemes=others,
                )
            )
        elif s == "mia":
            out.append(
                mia(
                    investment_eur,
                    category=mia_category,
                    year=year,
                    refdata=refdata,
                    on_milieulijst=on_milieulijst,
                    tax_rate=tax_rate,
                    other_schemes=others,
                )
            )
        elif s == "vamil":
            out.append(
                vamil(
                    investment_eur,
                    year=year,
                    refdata=refdata,
                    on_milieulijst=on_milieulijst,
                    lifetime_years=lifetime_years,
                    discount_rate=discount_rate,
                    tax_rate=tax_rate,
                    other_schemes=others,
                )
            )
        elif s == "sde":
            out.append(
                sde_pv(
                    kwp,
                    annual_kwh,
                    connection_kind=connection_kind,
                    year=year,
                    refdata=refdata,
                    eur_per_kwh=sde_eur_per_kwh,
                    other_schemes=others,
                )
            )
        else:
            out.append(isde_heat_pump(devices, year=year, refdata=refdata, other_schemes=others))
    return out
