"""The baseline (*nulmeting*): energy and CO2 per company, per sector and for the park.

Each figure carries its data quality: ``measured``, ``reported``, ``open_data`` or
``estimated`` (from sector norms). A figure that is missing and cannot be estimated is left
out and listed, never guessed. For every quantity the park total says which share of it
rests on estimates.

Electricity CO2 is counted on the offtake from the grid (what the company takes), so it
agrees with the energy engine's ``import_kwh``; feed-in is reported, not netted. Fleet CO2
comes from fuel litres (given, or km x consumption per km); electric vehicles are counted in
the electricity offtake.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from parkplan.domain.model import Company, Origin, Park

QUALITY_RANK: dict[Origin, int] = {
    Origin.MEASURED: 0,
    Origin.REPORTED: 1,
    Origin.OPEN_DATA: 2,
    Origin.ESTIMATED: 3,
}
"""Lower is better; a derived figure takes the worst quality of its inputs."""

SECTOR_GROUPS: dict[str, tuple[str, str]] = {
    "agriculture": ("Landbouw", "Agriculture"),
    "manufacturing": ("Industrie", "Manufacturing"),
    "utilities": ("Energie, water en afval", "Utilities and waste"),
    "construction": ("Bouw", "Construction"),
    "car_companies": ("Autobedrijven", "Car trade and repair"),
    "wholesale": ("Groothandel", "Wholesale"),
    "retail": ("Detailhandel", "Retail"),
    "transport_logistics": ("Transport en logistiek", "Transport and logistics"),
    "hospitality": ("Horeca", "Hospitality"),
    "offices": ("Kantoren en zakelijke diensten", "Offices and business services"),
    "care_education": ("Zorg en onderwijs", "Care and education"),
    "other": ("Overig", "Other"),
}
"""Sector groups (code -> Dutch, English label) used for baselines and norms."""

_DIVISION_GROUPS: tuple[tuple[range, str], ...] = (
    (range(1, 4), "agriculture"),
    (range(5, 34), "manufacturing"),
    (range(35, 40), "utilities"),
    (range(41, 44), "construction"),
    (range(45, 46), "car_companies"),
    (range(46, 47), "wholesale"),
    (range(47, 48), "retail"),
    (range(49, 54), "transport_logistics"),
    (range(55, 57), "hospitality"),
    (range(58, 84), "offices"),
    (range(84, 85), "offices"),
    (range(85, 89), "care_education"),
)


def sector_group(sbi: str | None) -> str:
    """The sector group of an SBI code, by its two-digit division (SBI 2008)."""
    if not sbi or len(sbi) < 2 or not sbi[:2].isdigit():
        return "other"
    division = int(sbi[:2])
    for divisions, group in _DIVISION_GROUPS:
        if division in divisions:
            return group
    return "other"


def worst(qualities: Iterable[Origin]) -> Origin:
    """The worst data quality among the inputs of a derived figure."""
    return max(qualities, key=QUALITY_RANK.__getitem__, default=Origin.REPORTED)


@dataclass(frozen=True)
class Figure:
    """A number with its unit and data quality."""

    value: float
    unit: str
    quality: Origin
    note: str = ""


@dataclass(frozen=True)
class BaselineFactors:
    """Reference figures the baseline needs (the services layer takes them from refdata)."""

    co2_electricity_kg_per_kwh: float
    co2_gas_kg_per_m3: float
    co2_fuel_kg_per_l: Mapping[str, float]
    """Per fuel: ``diesel``, ``petrol``. [kg/l]"""
    fuel_l_per_km: Mapping[tuple[str, str], float] = field(default_factory=dict)
    """Per (vehicle kind, fuel). [l/km]"""
    electricity_kwh_per_m2: Mapping[str, float] = field(default_factory=dict)
    """Sector norm per sector group, to estimate a missing figure. [kWh/m2/yr]"""
    gas_m3_per_m2: Mapping[str, float] = field(default_factory=dict)
    """Sector norm per sector group, to estimate a missing figure. [m3/m2/yr]"""


@dataclass(frozen=True)
class CompanyBaseline:
    """One company's baseline."""

    company_id: str
    name: str
    sector: str
    electricity_offtake_kwh: Figure | None
    electricity_feed_in_kwh: Figure | None
    electricity_produced_kwh: Figure | None
    electricity_demand_kwh: Figure | None
    gas_m3: Figure | None
    fleet_fuel_l: Mapping[str, Figure]
    co2_electricity_kg: Figure | None
    co2_gas_kg: Figure | None
    co2_fleet_kg: Figure | None
    missing: tuple[str, ...]
    """Quantities neither given nor estimable (e.g. ``electricity`` without floor area)."""

    @property
    def co2_kg(self) -> Figure:
        """Total CO2 of the figures known. [kg/yr]"""
        parts = [f for f in (self.co2_electricity_kg, self.co2_gas_kg, self.co2_fleet_kg) if f]
        return Figure(
            sum(f.value for f in parts),
            "kg",
            worst(f.quality for f in parts) if parts else Origin.ESTIMATED,
        )


@dataclass(frozen=True)
class Total:
    """A sum over companies, with the share of it that rests on estimates."""

    value: float
    unit: str
    estimated_share: float
    """Share of ``value`` that comes from estimated figures (0-1)."""
    measured_share: float
    """Share of ``value`` that comes from measured figures (0-1)."""
    companies_missing: int = 0
    """Companies for which this quantity is unknown (not included)."""


def _total(figures: Iterable[Figure | None], unit: str) -> Total:
    known = list(figures)
    present = [f for f in known if f is not None]
    value = sum(f.value for f in present)
    est = sum(f.value for f in present if f.quality is Origin.ESTIMATED)
    meas = sum(f.value for f in present if f.quality is Origin.MEASURED)
    return Total(
        value=value,
        unit=unit,
        estimated_share=est / value if value else 0.0,
        measured_share=meas / value if value else 0.0,
        companies_missing=len(known) - len(present),
    )


QUANTITIES: tuple[tuple[str, str], ...] = (
    ("electricity_offtake_kwh", "kWh"),
    ("electricity_feed_in_kwh", "kWh"),
    ("electricity_produced_kwh", "kWh"),
    ("electricity_demand_kwh", "kWh"),
    ("gas_m3", "m3"),
    ("co2_electricity_kg", "kg"),
    ("co2_gas_kg", "kg"),
    ("co2_fleet_kg", "kg"),
)


@dataclass(frozen=True)
class GroupBaseline:
    """Totals of a group of companies (a sector, or the park)."""

    key: str
    companies: int
    totals: Mapping[str, Total]

    @property
    def co2_kg(self) -> float:
        """Total CO2 of the group. [kg/yr]"""
        return sum(
            self.totals[k].value for k in ("co2_electricity_kg", "co2_gas_kg", "co2_fleet_kg")
        )


@dataclass(frozen=True)
class ParkBaseline:
    """The park's baseline: per company, per sector group and for the park."""

    park_id: str
    companies: tuple[CompanyBaseline, ...]
    sectors: tuple[GroupBaseline, ...]
    park: GroupBaseline


def _fleet(company: Company, factors: BaselineFactors) -> tuple[dict[str, Figure], list[str]]:
    litres: dict[str, list[Figure]] = {}
    missing: list[str] = []
    for vehicle in company.vehicles:
        fuel = vehicle.fuel
        if fuel == "electric":
            continue
        if vehicle.annual_fuel_l is not None:
            fig = Figure(vehicle.annual_fuel_l, "l", vehicle.origin_of("annual_fuel_l"))
        elif vehicle.annual_km is not None and (vehicle.kind, fuel) in factors.fuel_l_per_km:
            l_per_km = factors.fuel_l_per_km[(vehicle.kind, fuel)]
            fig = Figure(
                vehicle.count * vehicle.annual_km * l_per_km,
                "l",
                Origin.ESTIMATED,
                f"{vehicle.count} x {vehicle.annual_km:g} km x {l_per_km:g} l/km",
            )
        else:
            missing.append(f"fleet:{vehicle.kind}:{fuel}")
            continue
        litres.setdefault(fuel, []).append(fig)
    out = {
        fuel: Figure(sum(f.value for f in figs), "l", worst(f.quality for f in figs))
        for fuel, figs in litres.items()
    }
    return out, missing


def company_baseline(company: Company, factors: BaselineFactors) -> CompanyBaseline:
    """The baseline of one company from its annual figures."""
    group = sector_group(company.sbi)
    missing: list[str] = []
    use = company.electricity
    if use is not None:
        offtake = Figure(use.annual_kwh, "kWh", use.origin_of("annual_kwh"))
        feed_in = Figure(use.annual_feed_in_kwh, "kWh", use.origin_of("annual_feed_in_kwh"))
        produced = (
            Figure(use.annual_produced_kwh, "kWh", use.origin_of("annual_produced_kwh"))
            if use.annual_produced_kwh is not None
            else None
        )
        demand = Figure(
            use.demand_on_site_kwh,
            "kWh",
            worst(f.quality for f in (offtake, feed_in, produced) if f is not None),
            "offtake + production - feed-in",
        )
    elif company.floor_area_m2 and group in factors.electricity_kwh_per_m2:
        norm = factors.electricity_kwh_per_m2[group]
        offtake = Figure(
            company.floor_area_m2 * norm,
            "kWh",
            Origin.ESTIMATED,
            f"{company.floor_area_m2:g} m2 x {norm:g} kWh/m2 (sector norm)",
        )
        feed_in, produced, demand = None, None, offtake
    else:
        offtake = feed_in = produced = demand = None
        missing.append("electricity")

    if company.gas is not None:
        gas: Figure | None = Figure(company.gas.annual_m3, "m3", company.gas.origin_of("annual_m3"))
    elif company.floor_area_m2 and group in factors.gas_m3_per_m2:
        norm = factors.gas_m3_per_m2[group]
        gas = Figure(
            company.floor_area_m2 * norm,
            "m3",
            Origin.ESTIMATED,
            f"{company.floor_area_m2:g} m2 x {norm:g} m3/m2 (sector norm)",
        )
    else:
        gas = None
        missing.append("gas")

    fleet, fleet_missing = _fleet(company, factors)
    missing.extend(fleet_missing)

    def scaled(fig: Figure | None, factor: float) -> Figure | None:
        return None if fig is None else Figure(fig.value * factor, "kg", fig.quality)

    fleet_co2 = None
    if fleet:
        unknown_fuels = [f for f in fleet if f not in factors.co2_fuel_kg_per_l]
        missing.extend(f"co2_factor:{f}" for f in unknown_fuels)
        known = {f: fig for f, fig in fleet.items() if f in factors.co2_fuel_kg_per_l}
        if known:
            fleet_co2 = Figure(
                sum(fig.value * factors.co2_fuel_kg_per_l[f] for f, fig in known.items()),
                "kg",
                worst(fig.quality for fig in known.values()),
            )
    return CompanyBaseline(
        company_id=company.id,
        name=company.name,
        sector=group,
        electricity_offtake_kwh=offtake,
        electricity_feed_in_kwh=feed_in,
        electricity_produced_kwh=produced,
        electricity_demand_kwh=demand,
        gas_m3=gas,
        fleet_fuel_l=fleet,
        co2_electricity_kg=scaled(offtake, factors.co2_electricity_kg_per_kwh),
        co2_gas_kg=scaled(gas, factors.co2_gas_kg_per_m3),
        co2_fleet_kg=fleet_co2,
        missing=tuple(missing),
    )


def _group(key: str, rows: list[CompanyBaseline]) -> GroupBaseline:
    totals = {name: _total((getattr(r, name) for r in rows), unit) for name, unit in QUANTITIES}
    return GroupBaseline(key=key, companies=len(rows), totals=totals)


def park_baseline(park: Park, factors: BaselineFactors) -> ParkBaseline:
    """The baseline of every company, each sector group and the whole park."""
    rows = [company_baseline(c, factors) for c in park.companies]
    by_sector: dict[str, list[CompanyBaseline]] = {}
    for r in rows:
        by_sector.setdefault(r.sector, []).append(r)
    sectors = tuple(_group(k, v) for k, v in sorted(by_sector.items()))
    return ParkBaseline(park.id, tuple(rows), sectors, _group(park.id, rows))
