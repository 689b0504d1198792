"""Collective revenue models (*verdienmodellen*) as first-class objects.

Each model says who invests, who owns, and who pays whom for what, per year:

- :func:`energy_hub_gto` — an energy hub with a group transport agreement (GTO). The hub
  entity (a cooperative or BV of the members) holds the group contract and pays the grid
  operator the group's capacity charges; each member pays the hub its own stand-alone
  capacity cost minus its share of the benefit. A GTO pools capacity only: kWh, energy tax
  and supply stay per connection (``gto.kwh_tariffs_per_connection``); an energy management
  system is required (``gto.requires_energy_management_system``). Under congestion the group
  can also grow within its capacity instead of waiting (``capacity_room_kw``).
- :func:`shared_battery` — a battery owned by the hub (or a third party) that shaves the
  group peak; users pay a fee out of their benefit.
- :func:`shared_solar` — PV on a large roof supplying neighbours. Not behind the meter of
  the neighbours: it needs a legal route (:data:`SOLAR_ROUTES`): energy sharing through a
  supplier or energy community, cable pooling on one connection, or a private network; each
  route has its own costs, which the user supplies (never guessed).
- :func:`joint_procurement` — buying installations or a supply contract together.
- :func:`owner_tenant` — the split incentive where the building owner is not the user: who
  invests in rooftop PV and how the user pays for it (PPA price per kWh, a rent surcharge,
  or the tenant invests).

Amounts are EUR per year unless named otherwise; a flow whose amount is not known is
``None`` and the model lists the missing input in ``unknown``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from parkplan.domain.errors import ParkplanError

SOLAR_ROUTES: tuple[str, ...] = ("energy_sharing", "cable_pooling", "private_network")
HUB = "hub"
GRID = "netbeheerder"
SUPPLIER = "leverancier"


class RevenueModelError(ParkplanError):
    """A revenue model is set up with impossible inputs (Dutch and English message)."""


@dataclass(frozen=True)
class Flow:
    """One payment per year: ``payer`` pays ``payee`` ``amount_eur_per_year`` for ``what``."""

    payer: str
    payee: str
    what_nl: str
    what_en: str
    amount_eur_per_year: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "payer": self.payer,
            "payee": self.payee,
            "what_nl": self.what_nl,
            "what_en": self.what_en,
            "amount_eur_per_year": self.amount_eur_per_year,
        }


@dataclass
class RevenueModel:
    """A collective revenue model: investor, owner, flows, conditions."""

    kind: str
    name: str
    investor: str
    owner: str
    capex_eur: float | None
    flows: list[Flow] = field(default_factory=list)
    route: str | None = None
    conditions_nl: list[str] = field(default_factory=list)
    conditions_en: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def net_eur_per_year(self) -> dict[str, float | None]:
        """Net yearly receipts per party (received minus paid); ``None`` if a flow is unknown."""
        out: dict[str, float | None] = {}
        for f in self.flows:
            for party, sign in ((f.payee, 1.0), (f.payer, -1.0)):
                cur = out.get(party, 0.0)
                out[party] = (
                    None if cur is None or f.amount_eur_per_year is None
                    else cur + sign * f.amount_eur_per_year
                )  # fmt: skip
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "kind": self.kind,
            "name": self.name,
            "investor": self.investor,
            "owner": self.owner,
            "capex_eur": self.capex_eur,
            "route": self.route,
            "flows": [f.to_dict() for f in self.flows],
            "net_eur_per_year": self.net_eur_per_year(),
            "conditions_nl": self.conditions_nl,
            "conditions_en": self.conditions_en,
            "refs": self.refs,
            "unknown": self.unknown,
            **self.extra,
        }


def _amount(name: str, value: float | None, *, allow_none: bool = True) -> float | None:
    if value is None:
        if allow_none:
            return None
        raise RevenueModelError(f"{name} ontbreekt", f"{name} is missing")
    v = float(value)
    if not np.isfinite(v) or v < 0:
        raise RevenueModelError(
            f"{name} moet een eindig bedrag >= 0 zijn (gevonden: {value})",
            f"{name} must be a finite amount >= 0 (found: {value})",
        )
    return v


def energy_hub_gto(
    name: str,
    standalone_eur: Mapping[str, float],
    benefit_eur: Mapping[str, float],
    *,
    ems_cost_eur_per_year: float | None,
    contracted_kw: Mapping[str, float] | None = None,
    group_capacity_kw: float | None = None,
) -> RevenueModel:
    """An energy hub with a GTO: members pay the hub, the hub pays the grid operator.

    Parameters
    ----------
    standalone_eur
        Each member's capacity-related transport cost alone. [EUR/yr]
    benefit_eur
        Each member's share of the GTO benefit (from a split). [EUR/yr]
    ems_cost_eur_per_year
        Cost of the energy management system and the hub's administration, shared in
        proportion to the benefit; ``None`` when not known. [EUR/yr]
    contracted_kw, group_capacity_kw
        Members' own contracts and the group contract: their difference is the capacity
        room the group gains (to grow under congestion instead of waiting). [kW]
    """
    if set(standalone_eur) != set(benefit_eur):
        raise RevenueModelError(
            "kosten alleen en voordeel moeten dezelfde leden noemen",
            "stand-alone costs and benefits must name the same members",
        )
    if len(standalone_eur) < 2:
        raise RevenueModelError(
            "een GTO heeft minstens twee leden", "a GTO needs at least two members"
        )
    ems = _amount("ems_cost_eur_per_year", ems_cost_eur_per_year)
    total_benefit = float(sum(benefit_eur.values()))
    group_cost = float(sum(standalone_eur.values())) - total_benefit
    flows = [
        Flow(
            m,
            HUB,
            "eigen capaciteitskosten min aandeel in het voordeel",
            "own capacity cost minus share of the benefit",
            float(standalone_eur[m]) - float(benefit_eur[m]),
        )
        for m in standalone_eur
    ]
    flows.append(
        Flow(HUB, GRID, "groepstransport (kW-contract, kWmax)", "group transport", group_cost)
    )
    unknown: list[str] = []
    if ems is None:
        unknown.append("ems_cost_eur_per_year")
    for m in standalone_eur:
        share = float(benefit_eur[m]) / total_benefit if total_benefit else 0.0
        flows.append(
            Flow(
                m,
                HUB,
                "energiemanagementsysteem en beheer (naar rato van het voordeel)",
                "energy management system and administration (pro rata benefit)",
                None if ems is None else ems * share,
            )
        )
    extra: dict[str, Any] = {"group_cost_eur": group_cost, "total_benefit_eur": total_benefit}
    if contracted_kw is not None and group_capacity_kw is not None:
        extra["capacity_room_kw"] = float(sum(contracted_kw.values())) - float(group_capacity_kw)
    return RevenueModel(
        "energy_hub_gto",
        name,
        investor=HUB,
        owner=HUB,
        capex_eur=None,
        flows=flows,
        conditions_nl=[
            "ieder bedrijf houdt zijn eigen aansluiting; kWh, energiebelasting en levering "
            "blijven per aansluiting",
            "de groep verdeelt haar capaciteit zelf: een energiemanagementsysteem is verplicht",
            "groepscategorie = hoogste netvlak onder de leden; MS/LS-toeslag bij menging",
        ],
        conditions_en=[
            "every company keeps its own connection; kWh, energy tax and supply stay per "
            "connection",
            "the group divides its capacity itself: an energy management system is required",
            "group category = highest grid level among members; MS/LS surcharge when mixed",
        ],
        refs=[
            "gto.kwh_tariffs_per_connection",
            "gto.requires_energy_management_system",
            "gto.group_category_highest_grid_level",
            "gto.msls_surcharge",
        ],
        unknown=unknown,
        extra=extra,
    )


def shared_battery(
    name: str,
    capex_eur: float,
    opex_eur_per_year: float,
    benefit_eur: Mapping[str, float],
    *,
    owner: str = HUB,
    fee_fraction: float = 1.0,
) -> RevenueModel:
    """A shared battery: the owner invests; users pay a fee of ``fee_fraction`` x benefit.

    ``fee_fraction`` (0..1) is the part of each user's benefit paid to the owner; the rest
    stays with the user as its incentive to take part.
    """
    capex = _amount("capex_eur", capex_eur, allow_none=False)
    opex = _amount("opex_eur_per_year", opex_eur_per_year, allow_none=False)
    if not 0 <= fee_fraction <= 1:
        raise RevenueModelError(
            f"fee_fraction ligt tussen 0 en 1 (gevonden: {fee_fraction})",
            f"fee_fraction lies between 0 and 1 (found: {fee_fraction})",
        )
    flows = [
        Flow(
            u,
            owner,
            "gebruiksvergoeding batterij (deel van het voordeel)",
            "battery use fee (part of the benefit)",
            fee_fraction * float(b),
        )
        for u, b in benefit_eur.items()
    ]
    flows.append(Flow(owner, "onderhoud", "onderhoud en beheer", "O&M", opex))
    return RevenueModel(
        "shared_battery",
        name,
        investor=owner,
        owner=owner,
        capex_eur=capex,
        flows=flows,
        conditions_nl=["de batterij staat achter de groepsmeting van de hub (GTO)"],
        conditions_en=["the battery sits behind the hub's group arrangement (GTO)"],
        refs=["cost.battery.capex_eur_per_kwh", "cost.battery.capex_eur_per_kw"],
    )


def shared_solar(
    name: str,
    *,
    host: str,
    roof_owner: str,
    investor: str,
    route: str,
    capex_eur: float,
    opex_eur_per_year: float,
    delivered_kwh: Mapping[str, float],
    price_eur_per_kwh: float,
    route_cost_eur_per_year: float | None,
    route_capex_eur: float | None = None,
    roof_rent_eur_per_year: float = 0.0,
    offtakers_on_one_connection: bool | None = None,
) -> RevenueModel:
    """Shared solar on a large roof supplying neighbours through a legal route.

    Parameters
    ----------
    host, roof_owner, investor
        The company using the building, the owner of the roof, and who invests (often a
        hub cooperative or the roof owner).
    route
        ``energy_sharing`` (through a supplier or energy community; the shared kWh cross the
        public grid, so energy tax and kWh transport stay at the offtaker's connection),
        ``cable_pooling`` (production and offtake behind one connection: state
        ``offtakers_on_one_connection: true``) or ``private_network`` (own cables; give
        ``route_capex_eur``).
    delivered_kwh
        kWh per offtaker per year. [kWh/yr]
    price_eur_per_kwh
        Price the offtakers pay the investor. [EUR/kWh]
    route_cost_eur_per_year
        Yearly cost of the route (supplier or community fee, metering, administration);
        ``None`` when not known: the model says so. [EUR/yr]
    """
    if route not in SOLAR_ROUTES:
        raise RevenueModelError(
            f"onbekende route {route!r} voor gedeelde zon; mogelijk: {', '.join(SOLAR_ROUTES)}. "
            "Achter de meter van de buren leveren kan niet",
            f"unknown route {route!r} for shared solar; possible: {', '.join(SOLAR_ROUTES)}. "
            "Supplying behind the neighbours' meter is not possible",
        )
    if route == "cable_pooling" and not offtakers_on_one_connection:
        raise RevenueModelError(
            "kabelpooling vraagt dat productie en afnemers achter één aansluiting zitten "
            "(offtakers_on_one_connection: true)",
            "cable pooling requires production and offtakers behind one connection "
            "(offtakers_on_one_connection: true)",
        )
    unknown: list[str] = []
    if route == "private_network" and route_capex_eur is None:
        unknown.append("route_capex_eur")
    capex = _amount("capex_eur", capex_eur, allow_none=False)
    assert capex is not None  # allow_none=False refuses a missing amount
    route_capex = _amount("route_capex_eur", route_capex_eur)
    route_cost = _amount("route_cost_eur_per_year", route_cost_eur_per_year)
    if route_cost is None:
        unknown.append("route_cost_eur_per_year")
    price = _amount("price_eur_per_kwh", price_eur_per_kwh, allow_none=False)
    assert price is not None  # allow_none=False refuses a missing price
    if price > 10:
        raise RevenueModelError(
            f"prijs {price} EUR/kWh is onmogelijk hoog", f"price {price} EUR/kWh is impossible"
        )
    flows = [
        Flow(o, investor, "geleverde zonnestroom", "solar power delivered", float(k) * price)
        for o, k in delivered_kwh.items()
    ]
    flows.append(Flow(investor, "onderhoud", "onderhoud", "O&M", opex_eur_per_year))
    flows.append(
        Flow(investor, SUPPLIER if route == "energy_sharing" else "beheer",
             f"kosten route {route}", f"cost of route {route}", route_cost)
    )  # fmt: skip
    if roof_rent_eur_per_year and roof_owner != investor:
        flows.append(
            Flow(investor, roof_owner, "dakhuur", "roof rent", float(roof_rent_eur_per_year))
        )
    total_capex = None if route_capex is None and route == "private_network" else (
        capex + (route_capex or 0.0)
    )  # fmt: skip
    return RevenueModel(
        "shared_solar",
        name,
        investor=investor,
        owner=investor,
        capex_eur=total_capex,
        flows=flows,
        route=route,
        conditions_nl=[f"dak van {roof_owner}, gebruikt door {host}; route: {route}"],
        conditions_en=[f"roof of {roof_owner}, used by {host}; route: {route}"],
        refs=["cost.pv.medium.capex_eur_per_kwp"],
        unknown=unknown,
    )


def joint_procurement(
    name: str,
    capex_eur: Mapping[str, float],
    *,
    discount_fraction: float,
    coordinator_fee_eur: float = 0.0,
) -> RevenueModel:
    """Buying installations together: each member invests and owns its own; the discount
    ``discount_fraction`` (from a quote, never assumed) is the gain, minus a coordinator fee
    shared pro rata."""
    if not 0 <= discount_fraction < 1:
        raise RevenueModelError(
            f"korting ligt tussen 0 en 1 (gevonden: {discount_fraction})",
            f"discount lies between 0 and 1 (found: {discount_fraction})",
        )
    total = float(sum(capex_eur.values()))
    if total <= 0:
        raise RevenueModelError("geen investeringen om samen in te kopen", "nothing to buy")
    flows = [
        Flow(m, "coördinator", "coördinatie inkoop (naar rato)", "procurement coordination",
             coordinator_fee_eur * float(c) / total)
        for m, c in capex_eur.items()
    ]  # fmt: skip
    return RevenueModel(
        "joint_procurement",
        name,
        investor="ieder lid / each member",
        owner="ieder lid / each member",
        capex_eur=total * (1 - discount_fraction),
        flows=flows,
        extra={
            "saving_eur": {m: float(c) * discount_fraction for m, c in capex_eur.items()},
            "discount_fraction": discount_fraction,
        },
    )


def owner_tenant(
    company: str,
    owner: str,
    *,
    arrangement: str,
    annual_saving_eur: float,
    pv_kwh: float,
    ppa_price_eur_per_kwh: float | None = None,
    rent_surcharge_eur_per_year: float | None = None,
) -> RevenueModel:
    """Rooftop PV where the building owner is not the user (split incentive).

    ``arrangement``: ``ppa`` (owner invests, tenant buys the kWh at ``ppa_price_eur_per_kwh``),
    ``rent_surcharge`` (owner invests, tenant pays a fixed surcharge on the rent) or
    ``tenant_invests`` (the tenant invests with the owner's consent; no flow between them).
    """
    arrangements = ("ppa", "rent_surcharge", "tenant_invests")
    if arrangement not in arrangements:
        raise RevenueModelError(
            f"onbekende afspraak {arrangement!r}; mogelijk: {arrangements}",
            f"unknown arrangement {arrangement!r}; possible: {arrangements}",
        )
    flows: list[Flow] = []
    unknown: list[str] = []
    investor = owner
    if arrangement == "ppa":
        p = _amount("ppa_price_eur_per_kwh", ppa_price_eur_per_kwh)
        if p is None:
            unknown.append("ppa_price_eur_per_kwh")
        flows.append(
            Flow(company, owner, "zonnestroom (PPA)", "solar power (PPA)",
                 None if p is None else p * pv_kwh)
        )  # fmt: skip
    elif arrangement == "rent_surcharge":
        r = _amount("rent_surcharge_eur_per_year", rent_surcharge_eur_per_year)
        if r is None:
            unknown.append("rent_surcharge_eur_per_year")
        flows.append(Flow(company, owner, "huuropslag", "rent surcharge", r))
    else:
        investor = company
    model = RevenueModel(
        "owner_tenant",
        f"{owner} / {company}",
        investor=investor,
        owner=investor,
        capex_eur=None,
        flows=flows,
        route=arrangement,
        unknown=unknown,
        extra={"tenant_bill_saving_eur": float(annual_saving_eur)},
    )
    return model


def models_summary(models: Sequence[RevenueModel]) -> list[dict[str, Any]]:
    """JSON-ready list of models."""
    return [m.to_dict() for m in models]
