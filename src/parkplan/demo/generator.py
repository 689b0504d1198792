"""Illustrative demo parks, generated reproducibly from documented distributions.

The park-level definitions (real park names and municipalities, rough locations and areas,
and per-park choices such as sector weights, engagement and congestion) live in
``parkplan/demo/parks.yaml``; the distribution parameters (sector mix, employees, floor
areas, energy intensities, roofs, PV, connections, survey answers), each with its source,
live in ``parkplan/refdata/demo_distributions.csv``. Everything generated is synthetic: every
park is ``illustrative=True`` with "illustratief" in its name and description, and every
value carries the origin :attr:`~parkplan.domain.model.Origin.ESTIMATED`.

The generator is a pure function of the seed: the same seed gives identical parks. Each park
has its own random stream (``SeedSequence([seed, park_number])``), so adding a park to
``parks.yaml`` does not change the others, apart from the rare redraw of a KvK number that
is already taken. See ``docs/demo-data.md``.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

from parkplan.demo.placeholders import placeholder_overrides
from parkplan.domain.identifiers import ean_check_digit
from parkplan.domain.model import (
    MEASURES,
    OPERATING_HOURS_CLASSES,
    Company,
    Connection,
    Contact,
    ElectricityUse,
    Engagement,
    GasUse,
    GridAvailability,
    Location,
    Organisation,
    Origin,
    Park,
    Plans,
    Roof,
    Vehicle,
)

DEFAULT_SEED = 2026
DISTRIBUTIONS_FILE = "demo_distributions.csv"
PARKS_FILE = "parks.yaml"

HOURS_CLASSES: tuple[str, ...] = ("e3a", "e3b", "e3c", "e3d")
"""NEDU E3A-E3D, in the order of :data:`OPERATING_HOURS_CLASSES`."""

EAN_PREFIX = "87169"
"""First digits of every demo EAN (GS1 prefix 871 = the Netherlands; '69' marks demo data)."""

SBI_WORDS: dict[str, str] = {
    "4941": "Transport",
    "5210": "Opslag en Distributie",
    "5229": "Expeditie",
    "4669": "Technische Groothandel",
    "4673": "Bouwmaterialenhandel",
    "4690": "Groothandel",
    "4661": "Landbouwmechanisatie",
    "2511": "Staalbouw",
    "2562": "Metaalbewerking",
    "4120": "Bouwbedrijf",
    "4321": "Elektrotechniek",
    "4322": "Installatiebedrijf",
    "4332": "Timmerbedrijf",
    "4511": "Autobedrijf",
    "4520": "Garage",
    "4519": "Truckservice",
    "1013": "Vleeswaren",
    "1071": "Bakkerij",
    "6201": "Software",
    "6920": "Administratiekantoor",
    "7022": "Adviesbureau",
    "7112": "Ingenieursbureau",
    "2229": "Kunststoffen",
    "2829": "Machinebouw",
    "3109": "Meubelmakerij",
    "4752": "Bouwmarkt",
    "4759": "Woonwinkel",
    "7711": "Autoverhuur",
    "8559": "Opleidingscentrum",
}
"""A word for a synthetic company name per SBI code (text, not a figure)."""

SURNAMES: tuple[str, ...] = (
    "Bakker",
    "Mulder",
    "Smit",
    "Meijer",
    "Bos",
    "Visser",
    "Dijkstra",
    "Hoekstra",
    "Kuiper",
    "Jansen",
    "Wolters",
    "Lubbers",
    "Hofman",
    "Oosting",
    "Eshuis",
    "Prins",
    "Post",
    "Huisman",
    "Zwiers",
    "Kamphuis",
    "Nijland",
    "Hulsegge",
    "Schepers",
    "Bruins",
    "Lanting",
    "Veenstra",
    "Timmer",
    "Brink",
    "Hagen",
    "Mensink",
    "Wesseling",
    "Koops",
    "Boerma",
    "Tiesing",
    "Hilbrants",
    "Kroeze",
    "Snijders",
    "Grooten",
    "Ensing",
    "Roelofs",
)
"""Family names for synthetic company names (common names, no real firms intended)."""

NAME_FORMS: tuple[str, ...] = ("{word} {surname} BV", "{surname} {word}", "{word} {surname}")

CONTACT_FIRST_NAMES: tuple[str, ...] = (
    "Anna",
    "Bram",
    "Carla",
    "Daan",
    "Eva",
    "Frank",
    "Greet",
    "Henk",
    "Iris",
    "Jan",
    "Karin",
    "Lars",
    "Marieke",
    "Niels",
    "Olga",
    "Peter",
)
CONTACT_SURNAMES: tuple[str, ...] = ("Voorbeeld", "Testpersoon", "Fictief", "Demo", "Proef")
"""Obviously fake names for contact persons (personal data must not look real)."""


# --------------------------------------------------------------------------------------
# reading the data files
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """One distribution parameter with its source."""

    key: str
    value: float
    unit: str
    year: int | None
    source: str
    indicative: bool
    note: str


@lru_cache(maxsize=1)
def _distribution_rows() -> tuple[Distribution, ...]:
    text = (
        resources.files("parkplan.refdata").joinpath(DISTRIBUTIONS_FILE).read_text(encoding="utf-8")
    )
    rows: list[Distribution] = []
    for rec in csv.DictReader(text.splitlines()):
        rows.append(
            Distribution(
                key=rec["key"],
                value=float(rec["value"]),
                unit=rec["unit"],
                year=int(rec["year"]) if rec["year"] else None,
                source=rec["source"],
                indicative=rec["indicative"].strip().lower() == "true",
                note=rec["note"],
            )
        )
    return tuple(rows)


def read_demo_distributions() -> tuple[dict[str, float], dict[str, Any]]:
    """The demo distribution parameters.

    Returns
    -------
    (values, metadata)
        ``values`` maps each key of ``refdata/demo_distributions.csv`` to its number;
        ``metadata`` holds ``file`` and ``rows`` (a list of :class:`Distribution` with unit,
        year, source and whether the figure is indicative).
    """
    rows = _distribution_rows()
    return {r.key: r.value for r in rows}, {"file": DISTRIBUTIONS_FILE, "rows": list(rows)}


@lru_cache(maxsize=1)
def _park_definitions_text() -> str:
    return resources.files("parkplan.demo").joinpath(PARKS_FILE).read_text(encoding="utf-8")


def read_demo_park_definitions() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The park-level definitions of ``demo/parks.yaml``.

    Returns
    -------
    (parks, metadata)
        One plain mapping per park (a fresh copy on every call) and ``{"file", "version"}``.
    """
    doc = yaml.safe_load(_park_definitions_text())
    return list(doc["parks"]), {"file": PARKS_FILE, "version": doc.get("version")}


# --------------------------------------------------------------------------------------
# parameter access
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectorParams:
    """The distributions of one sector (from ``demo.sector.<name>.*``)."""

    name: str
    share: float
    sbi_codes: tuple[str, ...]
    sbi_weights: tuple[float, ...]
    employees_median: float
    employees_sigma: float
    floor_m2_per_employee_median: float
    floor_m2_per_employee_sigma: float
    electricity_kwh_per_m2: tuple[float, float]
    gas_m3_per_m2: tuple[float, float]
    gas_share: float
    office_share: tuple[float, float]
    footprint_share: float
    pv_share: float
    hours_probabilities: tuple[float, ...]


class _Params:
    """Typed access to the flat key -> value mapping."""

    def __init__(self, values: Mapping[str, float]) -> None:
        self.v = values
        self._prefixed: dict[str, dict[str, float]] = {}

    def __call__(self, key: str) -> float:
        try:
            return self.v[key]
        except KeyError:
            raise KeyError(f"{DISTRIBUTIONS_FILE}: missing key {key!r}") from None

    def range(self, key: str) -> tuple[float, float]:
        return self(f"{key}.low"), self(f"{key}.high")

    def with_prefix(self, prefix: str) -> dict[str, float]:
        """Keys under ``prefix`` (without it), in file order."""
        if prefix not in self._prefixed:
            self._prefixed[prefix] = {
                k[len(prefix) :]: v for k, v in self.v.items() if k.startswith(prefix)
            }
        return self._prefixed[prefix]


def sector_params(values: Mapping[str, float] | None = None) -> dict[str, SectorParams]:
    """The sectors of the demo, in file order, keyed by sector name."""
    p = _Params(values if values is not None else read_demo_distributions()[0])
    names: list[str] = []
    for key in p.v:
        m = re.match(r"^demo\.sector\.([a-z_]+)\.share$", key)
        if m:
            names.append(m.group(1))
    out: dict[str, SectorParams] = {}
    for name in names:
        pre = f"demo.sector.{name}"
        sbi = p.with_prefix(f"{pre}.sbi.")
        out[name] = SectorParams(
            name=name,
            share=p(f"{pre}.share"),
            sbi_codes=tuple(sbi),
            sbi_weights=tuple(sbi.values()),
            employees_median=p(f"{pre}.employees_median"),
            employees_sigma=p(f"{pre}.employees_sigma"),
            floor_m2_per_employee_median=p(f"{pre}.floor_m2_per_employee_median"),
            floor_m2_per_employee_sigma=p(f"{pre}.floor_m2_per_employee_sigma"),
            electricity_kwh_per_m2=p.range(f"{pre}.electricity_kwh_per_m2"),
            gas_m3_per_m2=p.range(f"{pre}.gas_m3_per_m2"),
            gas_share=p(f"{pre}.gas_share"),
            office_share=p.range(f"{pre}.office_share"),
            footprint_share=p(f"{pre}.footprint_share"),
            pv_share=p(f"{pre}.pv_share"),
            hours_probabilities=tuple(p(f"{pre}.hours.{c}") for c in HOURS_CLASSES),
        )
    return out


def sector_of_sbi(sbi: str, sectors: Mapping[str, SectorParams] | None = None) -> str | None:
    """The demo sector an SBI code belongs to; ``None`` when no demo sector has it."""
    for s in (sectors or sector_params()).values():
        if sbi in s.sbi_codes:
            return s.name
    return None


def park_sector_shares(
    definition: Mapping[str, Any], sectors: Mapping[str, SectorParams] | None = None
) -> dict[str, float]:
    """The expected sector mix of one park: base share x park weight, normalised. [fraction]"""
    sectors = sectors or sector_params()
    weights = definition.get("sector_weights") or {}
    unknown = set(weights) - set(sectors)
    if unknown:
        raise ValueError(f"{PARKS_FILE}: unknown sector(s) {sorted(unknown)}")
    raw = {n: s.share * float(weights.get(n, 1.0)) for n, s in sectors.items()}
    total = sum(raw.values())
    return {n: w / total for n, w in raw.items()}


def largest_remainder_counts(shares: Mapping[str, float], n: int) -> dict[str, int]:
    """Split ``n`` items over categories in proportion to ``shares`` (Hamilton's method).

    Every count differs from ``n x share`` by less than one, so the generated sector mix
    follows the documented one as closely as whole companies allow.
    """
    exact = {k: n * v for k, v in shares.items()}
    counts = {k: math.floor(x) for k, x in exact.items()}
    rest = n - sum(counts.values())
    order = sorted(exact, key=lambda k: (-(exact[k] - counts[k]), list(shares).index(k)))
    for k in order[:rest]:
        counts[k] += 1
    return counts


# --------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------


def make_ean(body: str) -> str:
    """An 18-digit EAN from 17 digits plus the GS1 mod-10 check digit."""
    if len(body) != 17 or not body.isdigit():
        raise ValueError(f"EAN body must be 17 digits, got {body!r}")
    return body + str(ean_check_digit(body))


def _ceil_to(x: float, step: float) -> float:
    return float(math.ceil(x / step - 1e-9) * step)


def _is_entity(value: Any) -> bool:
    return is_dataclass(value) and not isinstance(value, type)


def _mark_estimated(obj: Any) -> Any:
    """Set ``origins`` of an entity, and of the entities inside it, to ESTIMATED for every
    value field that is filled in (nested entities carry their own origins)."""
    if not _is_entity(obj):
        return obj
    origins: dict[str, Origin] = {}
    for f in fields(obj):
        if f.name == "origins":
            continue
        value = getattr(obj, f.name)
        if _is_entity(value):
            _mark_estimated(value)
        elif isinstance(value, list) and value and all(_is_entity(v) for v in value):
            for item in value:
                _mark_estimated(item)
        elif value is not None and not (isinstance(value, list | dict) and not value):
            origins[f.name] = Origin.ESTIMATED
    if hasattr(obj, "origins"):
        obj.origins = origins
    return obj


def _square_outline(location: Location, area_ha: float) -> dict[str, Any]:
    """A schematic square of ``area_ha`` around ``location`` (GeoJSON Polygon, WGS84)."""
    half_m = math.sqrt(area_ha * 10_000.0) / 2.0
    metres_per_deg_lat = 111_320.0
    dlat = half_m / metres_per_deg_lat
    dlon = half_m / (metres_per_deg_lat * math.cos(math.radians(location.lat)))
    lat, lon = location.lat, location.lon
    ring = [
        [round(lon - dlon, 6), round(lat - dlat, 6)],
        [round(lon + dlon, 6), round(lat - dlat, 6)],
        [round(lon + dlon, 6), round(lat + dlat, 6)],
        [round(lon - dlon, 6), round(lat + dlat, 6)],
        [round(lon - dlon, 6), round(lat - dlat, 6)],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


# --------------------------------------------------------------------------------------
# the generator
# --------------------------------------------------------------------------------------


@dataclass
class _ConnectionChoice:
    kind: str
    fuse: str | None
    capacity_kw: float
    """Fuse capacity (kleinverbruik) or contracted offtake (grootverbruik). [kW]"""
    feed_in_kw: float
    """Fuse capacity (kleinverbruik) or contracted feed-in (grootverbruik). [kW]"""
    contracted_kw: float | None = None
    contracted_feed_in_kw: float | None = None
    physical_kva: float | None = None
    grid_level: str | None = None


class _ParkGenerator:
    """Generates one park from its definition and the distributions."""

    def __init__(
        self,
        definition: Mapping[str, Any],
        *,
        params: _Params,
        sectors: Mapping[str, SectorParams],
        rng: np.random.Generator,
        park_number: int,
        seed: int,
        used_kvk: set[str],
    ) -> None:
        self.d = definition
        self.p = params
        self.sectors = sectors
        self.rng = rng
        self.park_number = park_number
        self.seed = seed
        self.used_kvk = used_kvk
        self.used_names: set[str] = set()
        self.respondents: set[int] = set()
        volt = params("demo.connection.phase_voltage_v")
        fuses = params.with_prefix("demo.connection.fuse_a.")
        self.fuses: list[tuple[str, float]] = sorted(
            ((f"3x{int(a)}A", 3.0 * volt * a / 1000.0) for a in fuses.values()),
            key=lambda t: t[1],
        )
        self.physical_kva = sorted(params.with_prefix("demo.connection.physical_kva.").values())

    # ---- helpers ------------------------------------------------------------------------

    def uniform(self, key: str) -> float:
        lo, hi = self.p.range(key)
        return float(self.rng.uniform(lo, hi))

    def chance(self, probability: float) -> bool:
        return bool(self.rng.random() < probability)

    def lognormal(self, median: float, sigma: float) -> float:
        return float(self.rng.lognormal(math.log(median), sigma))

    def ean(self, company_number: int, connection_number: int) -> str:
        tail = f"{int(self.rng.integers(0, 100_000)):05d}"
        body = f"{EAN_PREFIX}{self.park_number:02d}{company_number:04d}{connection_number}{tail}"
        return make_ean(body)

    def kvk(self) -> str:
        while True:
            number = f"{int(self.rng.integers(1_000_000, 100_000_000)):08d}"
            if number not in self.used_kvk:
                self.used_kvk.add(number)
                return number

    def company_name(self, sbi: str) -> str:
        word = SBI_WORDS.get(sbi, "Bedrijf")
        for _ in range(20):
            form = NAME_FORMS[int(self.rng.integers(len(NAME_FORMS)))]
            surname = SURNAMES[int(self.rng.integers(len(SURNAMES)))]
            name = form.format(word=word, surname=surname)
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        n = 2
        while f"{name} {n}" in self.used_names:
            n += 1
        self.used_names.add(f"{name} {n}")
        return f"{name} {n}"

    # ---- park ---------------------------------------------------------------------------

    def park(self) -> Park:
        d = self.d
        lo, hi = d["companies"]
        n = int(self.rng.integers(int(lo), int(hi) + 1))
        shares = park_sector_shares(d, self.sectors)
        counts = largest_remainder_counts(shares, n)
        sector_list = [s for s, c in counts.items() for _ in range(c)]
        order = self.rng.permutation(len(sector_list))
        # the response rate of the survey is met exactly (as close as whole companies allow)
        n_respondents = round(n * float(d["engagement"]["response_rate"]))
        self.respondents = {int(i) for i in self.rng.permutation(n)[:n_respondents]}
        companies = [self.company(i + 1, self.sectors[sector_list[j]]) for i, j in enumerate(order)]
        location = Location(lat=float(d["location"]["lat"]), lon=float(d["location"]["lon"]))
        area_ha = float(d["area_ha"])
        org = d.get("organisation") or {}
        park = Park(
            id=str(d["id"]),
            name=str(d["name"]),
            municipality=str(d["municipality"]),
            area_ha=area_ha,
            location=location,
            outline_geojson=_square_outline(location, area_ha),
            grid=self.grid(companies),
            organisation=Organisation(
                business_association=org.get("business_association"),
                park_management=org.get("park_management"),
                biz=org.get("biz"),
                sustainability_group=org.get("sustainability_group"),
            ),
            companies=companies,
            illustrative=True,
            description=(
                f"{' '.join(str(d['description']).split())} Gegenereerd door parkplan demo "
                f"(seed {self.seed}); alle waarden zijn geschat (illustratief)."
            ),
        )
        # the unknown tariffs and tax rates its runs need, as labelled placeholders
        park.refdata_overrides = placeholder_overrides(park)
        return _mark_estimated(park)

    def grid(self, companies: Sequence[Company]) -> GridAvailability:
        g = self.d["grid"]
        offtake = feed_in = 0.0
        for c in companies:
            for conn in c.electricity_connections:
                if conn.kind == "grootverbruik":
                    offtake += conn.contracted_kw or 0.0
                    feed_in += conn.contracted_feed_in_kw or 0.0
                else:
                    kw = dict(self.fuses).get(conn.fuse or "", 0.0)
                    offtake += kw
                    feed_in += kw
        step = self.p("demo.connection.contract_step_kw")
        return GridAvailability(
            operator=str(g["operator"]),
            substation=str(g["substation"]),
            available_import_kw=_ceil_to(offtake * float(g["import_factor"]), step),
            available_export_kw=_ceil_to(feed_in * float(g["export_factor"]), step),
        )

    # ---- company ------------------------------------------------------------------------

    def company(self, number: int, s: SectorParams) -> Company:
        p, rng = self.p, self.rng
        weights = np.asarray(s.sbi_weights) / sum(s.sbi_weights)
        sbi = s.sbi_codes[int(rng.choice(len(s.sbi_codes), p=weights))]
        size = float(self.d.get("size_factor", 1.0))
        employees = round(self.lognormal(s.employees_median * size, s.employees_sigma))
        employees = int(min(max(employees, 1), p("demo.company.max_employees")))
        per_employee = self.lognormal(s.floor_m2_per_employee_median, s.floor_m2_per_employee_sigma)
        floor_m2 = max(p("demo.company.min_floor_m2"), round(employees * per_employee, -1))
        office_m2 = min(floor_m2, round(floor_m2 * float(rng.uniform(*s.office_share)), -1))
        office_m2 = max(office_m2, 10.0)
        hours = HOURS_CLASSES[int(rng.choice(4, p=np.asarray(s.hours_probabilities)))]
        hours_class = OPERATING_HOURS_CLASSES[HOURS_CLASSES.index(hours)]

        # demand on site and existing PV
        demand_kwh = round(floor_m2 * float(rng.uniform(*s.electricity_kwh_per_m2)), -1)
        roofs, kwp, produced_kwh = self.roofs(floor_m2, s, f"c{number:03d}")
        if produced_kwh > 0:
            coincident = demand_kwh * self.uniform("demo.pv.coincident_share")
            own_use_kwh = round(min(produced_kwh, coincident), -1)
        else:
            own_use_kwh = 0.0
        offtake_kwh = demand_kwh - own_use_kwh
        feed_in_kwh = produced_kwh - own_use_kwh
        util_h = self.uniform(f"demo.utilisation_h.{hours}")
        peak_kw = round(demand_kwh / util_h, 1)

        choice = self.connection_choice(peak_kw, kwp)
        known_share = p(f"demo.electricity.peak_known_share.{choice.kind}")
        electricity = ElectricityUse(
            annual_kwh=float(offtake_kwh),
            annual_feed_in_kwh=float(feed_in_kwh),
            annual_produced_kwh=float(produced_kwh) if produced_kwh > 0 else None,
            peak_kw=peak_kw if self.chance(known_share) else None,
        )
        connections = [
            Connection(
                ean=self.ean(number, 1),
                kind=choice.kind,  # type: ignore[arg-type]
                carrier="electricity",
                fuse=choice.fuse,
                contracted_kw=choice.contracted_kw,
                contracted_feed_in_kw=choice.contracted_feed_in_kw,
                physical_kva=choice.physical_kva,
                grid_level=choice.grid_level,  # type: ignore[arg-type]
            )
        ]

        gas: GasUse | None = None
        if self.chance(s.gas_share):
            gas_m3 = round(floor_m2 * float(rng.uniform(*s.gas_m3_per_m2)), -1)
            gas = GasUse(annual_m3=float(gas_m3))
            gas_peak = gas_m3 / p("demo.gas.full_load_hours")
            gas_kind = (
                "kleinverbruik"
                if gas_peak <= p("demo.gas.kleinverbruik_max_m3_per_h")
                else "grootverbruik"
            )
            connections.append(
                Connection(ean=self.ean(number, 2), kind=gas_kind, carrier="gas")  # type: ignore[arg-type]
            )

        vehicles = self.vehicles(s.name, employees)
        company = Company(
            id=f"c{number:03d}",
            name=self.company_name(sbi),
            kvk=self.kvk(),
            sbi=sbi,
            employees=employees,
            floor_area_m2=float(floor_m2),
            office_area_m2=float(office_m2),
            operating_hours_class=hours_class,
            electricity=electricity,
            gas=gas,
            connections=connections,
            roofs=roofs,
            vehicles=vehicles,
            building_owner="owner" if self.chance(p("demo.company.owner_share")) else "tenant",
        )
        company.plans = self.plans(company, s.name)
        company.engagement = self.engagement() if number - 1 in self.respondents else None
        if company.engagement is not None or self.chance(p("demo.company.contact_share")):
            company.contact = self.contact(company.id)
        return company

    def roofs(
        self, floor_m2: float, s: SectorParams, company_id: str
    ) -> tuple[list[Roof], float, float]:
        """Roof faces, existing PV [kWp] and its annual production [kWh]."""
        p, rng = self.p, self.rng
        area = round(floor_m2 * s.footprint_share * self.uniform("demo.roof.area_factor"), -1)
        area = max(area, 10.0)
        usable = round(self.uniform("demo.roof.usable_fraction"), 2)
        rotation = p("demo.roof.rotation_deg")
        delta = round(float(rng.uniform(-rotation, rotation)))
        if self.chance(p("demo.roof.flat_share")):
            tilt = float(round(self.uniform("demo.roof.flat_tilt_deg")))
            if self.chance(p("demo.roof.flat_east_west_share")):
                layout = "east_west"
                faces = [(tilt, 90.0 + delta), (tilt, 270.0 + delta)]
            else:
                layout = "south"
                faces = [(tilt, 180.0 + delta)]
        else:
            layout = "pitched"
            tilt = float(round(self.uniform("demo.roof.pitched_tilt_deg")))
            first = float(round(rng.uniform(90.0, 270.0)))
            faces = [(tilt, first), (tilt, (first + 180.0) % 360.0)]

        pv_share = min(0.95, s.pv_share * float(self.d.get("pv_factor", 1.0)))
        kwp = 0.0
        if self.chance(pv_share):
            coverage = self.uniform("demo.pv.coverage")
            kwp = round(coverage * usable * area * p("demo.pv.kwp_per_m2"), 1)
        face_area = round(area / len(faces), 1)
        face_kwp = round(kwp / len(faces), 2)
        roofs = [
            Roof(
                area_m2=face_area,
                usable_fraction=usable,
                tilt_deg=t,
                azimuth_deg=a,
                existing_pv_kwp=face_kwp,
                id=f"{company_id}-r{i + 1}",
            )
            for i, (t, a) in enumerate(faces)
        ]
        total_kwp = face_kwp * len(faces)
        produced = round(total_kwp * p(f"demo.pv.yield_kwh_per_kwp.{layout}"), -1)
        return roofs, total_kwp, float(produced)

    def connection_choice(self, peak_kw: float, kwp: float) -> _ConnectionChoice:
        """Kleinverbruik with the smallest fuse that carries peak x headroom and the PV
        feed-in (3x80A at most), else grootverbruik with a contract above the peak."""
        p = self.p
        feed_in_need = kwp * p("demo.connection.feed_in_kw_per_kwp")
        min_headroom = p("demo.connection.fuse_headroom.low")
        need = max(peak_kw * self.uniform("demo.connection.fuse_headroom"), feed_in_need)
        largest_fuse = self.fuses[-1]
        if need > largest_fuse[1] and max(peak_kw * min_headroom, feed_in_need) <= largest_fuse[1]:
            need = largest_fuse[1]
        for fuse, capacity in self.fuses:
            if capacity >= need:
                return _ConnectionChoice(
                    kind="kleinverbruik",
                    fuse=fuse,
                    capacity_kw=capacity,
                    feed_in_kw=capacity,
                    grid_level="LS",
                )
        step = p("demo.connection.contract_step_kw")
        contracted = _ceil_to(peak_kw * self.uniform("demo.connection.contract_margin"), step)
        feed_in = max(contracted, _ceil_to(feed_in_need, step))
        largest = max(contracted, feed_in)
        physical = next((k for k in self.physical_kva if k >= largest), None)
        if physical is None:
            physical = _ceil_to(largest, 1000.0)
        if physical <= p("demo.connection.ls_max_kva"):
            level = "LS"
        elif physical <= p("demo.connection.msls_max_kva"):
            level = "MS/LS"
        elif physical <= p("demo.connection.ms_max_kva"):
            level = "MS"
        else:
            level = "HS/MS"
        return _ConnectionChoice(
            kind="grootverbruik",
            fuse=None,
            capacity_kw=contracted,
            feed_in_kw=feed_in,
            contracted_kw=contracted,
            contracted_feed_in_kw=feed_in,
            physical_kva=float(physical),
            grid_level=level,
        )

    def vehicles(self, sector: str, employees: int) -> list[Vehicle]:
        groups: list[Vehicle] = []
        prefix = f"demo.vehicles.{sector}."
        kinds = sorted({k.split(".")[0] for k in self.p.with_prefix(prefix)})
        electric = self.p("demo.vehicles.electric_share")
        for kind in kinds:
            pre = f"{prefix}{kind}"
            if not self.chance(self.p(f"{pre}.share")):
                continue
            count = max(1, round(employees * self.uniform(f"{pre}.per_employee")))
            fuel = "electric" if kind != "truck" and self.chance(electric) else "diesel"
            groups.append(
                Vehicle(
                    kind=kind,
                    count=int(count),
                    fuel=fuel,
                    annual_km=float(round(self.uniform(f"{pre}.annual_km"), -2)),
                )
            )
        return groups

    def plans(self, company: Company, sector: str) -> Plans | None:
        p = self.p
        electrification: list[str] = []
        if company.gas is not None and self.chance(p("demo.plans.heat_pump_share")):
            electrification.append("heat_pump")
        if company.vehicles and self.chance(p("demo.plans.ev_fleet_share")):
            electrification.append("ev_fleet")
        if sector in ("metal", "food", "manufacturing") and self.chance(
            p("demo.plans.electric_process_share")
        ):
            electrification.append("electric_process")
        expansion = None
        if self.chance(p("demo.company.expansion_plan_share")):
            extra = round(
                (company.floor_area_m2 or 0.0) * self.uniform("demo.company.expansion_m2_share"), -1
            )
            expansion = f"Uitbreiding met ca. {int(extra)} m2 bedrijfsruimte (illustratief)"
        if not electrification and expansion is None:
            return None
        return Plans(electrification=electrification, expansion=expansion)

    def engagement(self) -> Engagement:
        p, e = self.p, self.d["engagement"]
        item = p("demo.engagement.item_response")
        sd = p("demo.engagement.bond_sd")

        def score(mean: float) -> int | None:
            if not self.chance(item):
                return None
            return int(min(5, max(1, round(float(self.rng.normal(mean, sd))))))

        bond_park = score(float(e["bond_with_park"]))
        bond_companies = score(float(e["bond_with_companies"]))
        effect = p("demo.engagement.bond_effect")
        bias = float(e.get("interest_bias", 0.0))
        level = (bond_park if bond_park is not None else float(e["bond_with_park"])) - 3.0
        interest: dict[str, Any] = {}
        for measure in MEASURES:
            if not self.chance(item):
                continue
            yes = p(f"demo.interest.{measure}.yes") * (1.0 + effect * level) * (1.0 + bias)
            yes = min(max(yes, 0.0), 0.95)
            maybe = min(p(f"demo.interest.{measure}.maybe"), 1.0 - yes)
            u = float(self.rng.random())
            interest[measure] = "yes" if u < yes else ("maybe" if u < yes + maybe else "no")
        consent_p = float(e["consent_rate"]) * (1.0 + effect * level)
        consent = self.chance(min(max(consent_p, 0.0), 1.0)) if self.chance(item) else None
        return Engagement(
            bond_with_park=bond_park,
            bond_with_companies=bond_companies,
            interest=interest,
            consent_share_data=consent,
        )

    def contact(self, company_id: str) -> Contact:
        first = CONTACT_FIRST_NAMES[int(self.rng.integers(len(CONTACT_FIRST_NAMES)))]
        last = CONTACT_SURNAMES[int(self.rng.integers(len(CONTACT_SURNAMES)))]
        slug = str(self.d["id"]).removeprefix("demo-")
        email = f"{first}.{last}.{company_id}.{slug}@example.org".lower()
        return Contact(name=f"{first} {last}", email=email)


def generate_demo_parks(seed: int = DEFAULT_SEED) -> list[Park]:
    """The illustrative demo parks: De Wieken (pilot part), two other Hoogeveen parks and one
    park in each of Aa en Hunze, Borger-Odoorn, Emmen, Coevorden and Hardenberg.

    Pure and reproducible: the same ``seed`` gives identical parks. Companies, names and
    numbers are synthetic, every park is ``illustrative`` and every value is ESTIMATED.

    Parameters
    ----------
    seed
        Seed of the random streams.

    Returns
    -------
    list[Park]
        The parks in the order of ``demo/parks.yaml``.
    """
    values, _ = read_demo_distributions()
    params = _Params(values)
    sectors = sector_params(values)
    definitions, _ = read_demo_park_definitions()
    used_kvk: set[str] = set()
    parks: list[Park] = []
    for number, definition in enumerate(definitions, start=1):
        rng = np.random.default_rng(np.random.SeedSequence([int(seed), number]))
        gen = _ParkGenerator(
            definition,
            params=params,
            sectors=sectors,
            rng=rng,
            park_number=number,
            seed=int(seed),
            used_kvk=used_kvk,
        )
        parks.append(gen.park())
    return parks
