"""The park vocabulary: plain dataclasses with units in the field names.

Canonical units: kW, kWh, m3 (natural gas), kg CO2, EUR, degrees, metres, m2, ha.
Conversion happens at the edges (``parkplan.io``), never here.

Every stored value remembers its origin (:class:`Origin`). Entities carry an ``origins``
mapping from field name to origin; a field that is absent from the mapping was reported by
the company (the default for inventory files and park files).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal


class Origin(StrEnum):
    """Where a value comes from. Metered data wins over models; estimates are labelled."""

    MEASURED = "measured"
    """From a meter or an invoice (e.g. the grid operator's annual figures)."""
    REPORTED = "reported"
    """Reported by the company (survey, inventory, park file)."""
    OPEN_DATA = "open_data"
    """From a public register (BAG, EP-Online, KvK, IBIS, grid operators' open data)."""
    ESTIMATED = "estimated"
    """Estimated by parkplan or an advisor (sector norms, defaults, synthetic demo data)."""


ConnectionKind = Literal["kleinverbruik", "grootverbruik"]
Carrier = Literal["electricity", "gas"]
Answer = Literal["yes", "maybe", "no"]
GridLevel = Literal["LS", "MS/LS", "MS", "HS/MS", "HS"]

CONNECTION_KINDS: tuple[str, ...] = ("kleinverbruik", "grootverbruik")
CARRIERS: tuple[str, ...] = ("electricity", "gas")
ANSWERS: tuple[str, ...] = ("yes", "maybe", "no")
GRID_LEVELS: tuple[str, ...] = ("LS", "MS/LS", "MS", "HS/MS", "HS")
OPERATING_HOURS_CLASSES: tuple[str, ...] = ("<=2000", "2000-3000", "3000-5000", ">5000")
"""Annual operating hours classes, as in the NEDU E3A-E3D profiles [h/yr]."""
MEASURES: tuple[str, ...] = (
    "energy_hub",
    "shared_solar",
    "shared_battery",
    "rooftop_pv",
    "battery",
    "heat_pump",
    "ev_charging",
    "joint_procurement",
    "greening",
    "water_storage",
)
"""Measures a company can express interest in (engagement survey)."""
ENERGY_LABELS: tuple[str, ...] = (
    "A+++++",
    "A++++",
    "A+++",
    "A++",
    "A+",
    "A",
    "B",
    "C",
    "D",
    "E",
    "F",
    "G",
)
"""Energy label classes of buildings (NTA 8800), best first."""
BUILDING_USES: tuple[str, ...] = (
    "woonfunctie",
    "bijeenkomstfunctie",
    "celfunctie",
    "gezondheidszorgfunctie",
    "industriefunctie",
    "kantoorfunctie",
    "logiesfunctie",
    "onderwijsfunctie",
    "sportfunctie",
    "winkelfunctie",
    "overige gebruiksfunctie",
)
"""Uses (gebruiksdoelen) of a BAG verblijfsobject (Bouwbesluit / BAG catalogue)."""


@dataclass
class Sourced:
    """Mixin: per-field origin of the values of an entity."""

    origins: dict[str, Origin] = field(default_factory=dict, kw_only=True)

    def origin_of(self, field_name: str) -> Origin:
        """Origin of one field; fields not listed were reported by the company."""
        return self.origins.get(field_name, Origin.REPORTED)


@dataclass
class Location:
    """A point in WGS84 (EPSG:4326)."""

    lat: float
    lon: float


@dataclass
class GridAvailability(Sourced):
    """What the grid operator can offer the park as a whole.

    ``available_import_kw`` / ``available_export_kw`` are the most the operator can carry for
    all of the park's connections together (existing contracts included) under congestion:
    a cap, not the remaining headroom. ``None`` means unknown / not constrained.
    """

    operator: str | None = None
    substation: str | None = None
    available_import_kw: float | None = None
    available_export_kw: float | None = None
    transport_rights: list[TimeBlockRight] = field(default_factory=list)
    """Non-firm / time-block transport rights of companies (empty: none)."""


@dataclass
class TimeBlockRight:
    """A company's non-firm or time-block transport right (tijdsblokgebonden transportrecht):
    offtake is allowed up to ``default_kw``, and up to ``kw`` of a block inside its hours.

    ``blocks`` are mappings with ``from`` and ``to`` (``"HH:MM"`` local time, ``to``
    exclusive, may wrap past midnight), ``kw`` and optionally ``months`` (1-12) and
    ``weekdays`` (0 = Monday); later blocks override earlier ones
    (:func:`parkplan.energy.grid.time_block_schedule`).
    """

    company: str
    default_kw: float
    """Offtake limit outside every block. [kW]"""
    blocks: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Connection(Sourced):
    """A grid connection (aansluiting) identified by its 18-digit EAN.

    Kleinverbruik connections are described by their fuse (e.g. ``3x35A``); grootverbruik
    connections by their contracted transport capacity for delivery and feed-in and their
    physical capacity.
    """

    ean: str
    kind: ConnectionKind
    carrier: Carrier = "electricity"
    fuse: str | None = None
    contracted_kw: float | None = None
    """Contracted transport capacity for offtake (GTV). [kW]"""
    contracted_feed_in_kw: float | None = None
    """Contracted transport capacity for feed-in. [kW]"""
    physical_kva: float | None = None
    """Physical capacity of the connection. [kVA]"""
    grid_level: GridLevel | None = None
    """The grid level the connection is physically on (not its tariff category)."""


@dataclass
class Roof(Sourced):
    """One roof face."""

    area_m2: float
    usable_fraction: float = 0.5
    """Share of the roof area usable for PV (0-1)."""
    tilt_deg: float = 10.0
    """Tilt from horizontal. [deg]"""
    azimuth_deg: float = 180.0
    """Orientation, clockwise from north: 90 east, 180 south, 270 west. [deg]"""
    existing_pv_kwp: float = 0.0
    """PV already installed on this face. [kWp]"""
    bag_pand_id: str | None = None
    """BAG building (pand) id, 16 digits."""
    id: str | None = None
    """Optional stable id, for scenarios that name a roof."""


@dataclass
class ElectricityUse(Sourced):
    """Annual electricity figures of a company.

    Metered values: offtake from the grid ``annual_kwh``, feed-in to the grid
    ``annual_feed_in_kwh`` and own production ``annual_produced_kwh``, so that
    demand on site = offtake + production - feed-in.
    """

    annual_kwh: float
    """Offtake from the grid per year. [kWh]"""
    annual_feed_in_kwh: float = 0.0
    """Feed-in to the grid per year. [kWh]"""
    annual_produced_kwh: float | None = None
    """Own production per year, when metered. [kWh]"""
    peak_kw: float | None = None
    """Highest 15-minute average offtake of the year, when known. [kW]"""
    meter_data: str | None = None
    """Reference to 15-minute meter data (a file path relative to the park file)."""

    @property
    def demand_on_site_kwh(self) -> float:
        """Annual demand on site = offtake + production - feed-in. [kWh]"""
        return self.annual_kwh + (self.annual_produced_kwh or 0.0) - self.annual_feed_in_kwh


@dataclass
class GasUse(Sourced):
    """Annual natural gas use."""

    annual_m3: float
    """Natural gas per year (Groningen equivalent). [m3]"""


@dataclass
class Vehicle(Sourced):
    """A group of vehicles of one type in the company fleet."""

    kind: str
    """E.g. ``car``, ``van``, ``truck``, ``forklift``."""
    count: int = 1
    fuel: str = "diesel"
    """``diesel``, ``petrol``, ``electric``, ``lpg``, ``cng``, ``hvo`` ..."""
    annual_km: float | None = None
    """Distance per vehicle per year. [km]"""
    annual_fuel_l: float | None = None
    """Fuel for the whole group per year. [l]"""


@dataclass
class Plans(Sourced):
    """A company's plans that change its energy future."""

    electrification: list[str] = field(default_factory=list)
    """Planned electrification, e.g. ``heat_pump``, ``ev_fleet``, ``electric_process``."""
    expansion: str | None = None
    """Planned expansion, free text."""
    notes: str | None = None


@dataclass
class Engagement(Sourced):
    """Answers to the engagement survey."""

    bond_with_park: int | None = None
    """Bond with the park, 1 (none) .. 5 (very strong)."""
    bond_with_companies: int | None = None
    """Bond with the other entrepreneurs, 1 (none) .. 5 (very strong)."""
    interest: dict[str, Answer] = field(default_factory=dict)
    """Interest per measure: ``yes`` / ``maybe`` / ``no``."""
    consent_share_data: bool | None = None
    """Consent to share the company's energy data with the park manager."""


@dataclass
class Contact(Sourced):
    """A contact person: personal data (AVG); exportable and erasable on request."""

    name: str
    email: str | None = None
    phone: str | None = None


@dataclass
class Company(Sourced):
    """A company (vestiging) on the park."""

    id: str
    name: str
    kvk: str | None = None
    """KvK number, 8 digits, text."""
    sbi: str | None = None
    """SBI code (Dutch standard industrial classification), text with leading zeros."""
    employees: int | None = None
    floor_area_m2: float | None = None
    office_area_m2: float | None = None
    operating_hours_class: str | None = None
    """One of :data:`OPERATING_HOURS_CLASSES`; ``None`` derives it from the SBI code."""
    address: str | None = None
    postcode: str | None = None
    electricity: ElectricityUse | None = None
    gas: GasUse | None = None
    connections: list[Connection] = field(default_factory=list)
    roofs: list[Roof] = field(default_factory=list)
    vehicles: list[Vehicle] = field(default_factory=list)
    plans: Plans | None = None
    engagement: Engagement | None = None
    contact: Contact | None = None
    building_owner: Literal["owner", "tenant"] | None = None
    """Whether the company owns the building it uses or rents it."""
    energy_label: str | None = None
    """Energy label class of the premises (EP-Online), one of :data:`ENERGY_LABELS`."""
    construction_year: int | None = None
    """Construction year of the building (BAG ``bouwjaar``)."""
    building_use: list[str] = field(default_factory=list)
    """Uses of the premises (BAG ``gebruiksdoel``), e.g. ``kantoorfunctie``,
    ``industriefunctie``; empty when unknown."""

    @property
    def electricity_connections(self) -> list[Connection]:
        """The company's electricity connections."""
        return [c for c in self.connections if c.carrier == "electricity"]

    @property
    def main_connection(self) -> Connection | None:
        """The first electricity connection, or ``None``."""
        conns = self.electricity_connections
        return conns[0] if conns else None


@dataclass
class Organisation(Sourced):
    """How organised a park is: the basis of cooperation."""

    business_association: bool | None = None
    park_management: bool | None = None
    biz: bool | None = None
    """A levy-funded business improvement zone (BIZ) is in force."""
    sustainability_group: bool | None = None


@dataclass
class ClimateAdaptation(Sourced):
    """Climate adaptation and greening of the park as a whole (optional park-file inputs).

    ``paved_share`` and ``green_share`` are shares of the park area (``Park.area_ha``); they
    may leave a remainder (water, bare soil) but together are at most 1.
    """

    paved_share: float | None = None
    """Paved (sealed: roofs, roads, yards) share of the park area (0-1)."""
    green_share: float | None = None
    """Green, unpaved share of the park area (0-1)."""
    water_storage_m3: float | None = None
    """Rainwater storage on the park (ponds, crates, green roofs). [m3]"""


@dataclass
class Circularity(Sourced):
    """Circularity of the park as a whole (optional park-file inputs)."""

    collective_waste_contract: bool | None = None
    """The companies share a collective waste contract."""
    circular_company_share: float | None = None
    """Share of companies exchanging residual flows or reusing materials (0-1)."""


@dataclass
class Park(Sourced):
    """A business park (bedrijventerrein), or the part of one that a plan covers."""

    id: str
    name: str
    municipality: str | None = None
    area_ha: float | None = None
    """Gross area. [ha]"""
    location: Location | None = None
    outline_geojson: dict[str, Any] | None = None
    """Outline as a GeoJSON geometry (Polygon/MultiPolygon, WGS84)."""
    grid: GridAvailability = field(default_factory=GridAvailability)
    organisation: Organisation | None = None
    climate: ClimateAdaptation | None = None
    """Climate adaptation and greening; ``None`` when unknown."""
    circularity: Circularity | None = None
    """Circularity; ``None`` when unknown."""
    companies: list[Company] = field(default_factory=list)
    illustrative: bool = False
    """True for demo / synthetic parks: shown as "illustratief" everywhere."""
    description: str | None = None
    refdata_overrides: dict[str, Any] = field(default_factory=dict)
    """Per-park overrides of reference values, keyed by reference-data key."""

    def company(self, company_id: str) -> Company:
        """The company with this id; ``KeyError`` when there is none."""
        for c in self.companies:
            if c.id == company_id:
                return c
        raise KeyError(company_id)
