"""Park files, format ``parkplan/1`` (YAML or JSON): read, validate, write.

A park file holds one park and its companies; ``docs/parkfile.md`` describes every field
and ``io/schema/parkfile-v1.schema.json`` is its JSON Schema (generated from the field
specifications below by :func:`build_json_schema`, so that the schema and the validator
cannot drift apart).

Validation finds every problem in one pass: each :class:`~parkplan.domain.errors.Problem`
has a path such as ``companies[2].connection.contracted_kw`` (list indices count from 0),
the value found and what was expected, in Dutch and English. Errors make the document
invalid; warnings flag implausible values (for instance an annual use per m2 a hundred
times the sector norm: probably Wh or MWh instead of kWh).

Public functions
----------------
- :func:`park_from_document` - a document (mapping) to a :class:`Park`, or ``ValidationError``
- :func:`validate_document` - every problem of a document, never raises
- :func:`read_park_file` - read and validate a ``.yaml``/``.yml``/``.json`` file
- :func:`park_to_document` / :func:`dump_park` - write a park back, without loss
- :func:`company_from_document` - one company mapping (for inventory imports)
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

from parkplan.domain import identifiers as ids
from parkplan.domain.errors import ParkplanError, Problem, ValidationError, error, warning
from parkplan.domain.model import (
    ANSWERS,
    CARRIERS,
    CONNECTION_KINDS,
    ENERGY_LABELS,
    GRID_LEVELS,
    MEASURES,
    OPERATING_HOURS_CLASSES,
    Circularity,
    ClimateAdaptation,
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
    TimeBlockRight,
    Vehicle,
)

FORMAT = "parkplan/1"
"""The format identifier this module reads and writes."""
SUPPORTED_FORMATS: tuple[str, ...] = (FORMAT,)
ORIGINS: tuple[str, ...] = tuple(o.value for o in Origin)
HOURS_PER_YEAR = 8760
"""Hours in a (non-leap) year, to compare annual energy with a peak. [h]"""

_PARK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_FUSE = re.compile(r"^\s*([13])\s*[xX]\s*(\d{1,3})\s*[aA]\s*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_BAG_PAND = re.compile(r"^\d{16}$")
_TRUE = frozenset({"true", "yes", "ja", "on", "y", "j"})
_FALSE = frozenset({"false", "no", "nee", "off", "n"})


# ------------------------------------------------------------------------------------------
# field specifications: the single source of the format (validator, schema and docs)
# ------------------------------------------------------------------------------------------

Kind = Literal[
    "text",
    "id",
    "park_id",
    "number",
    "integer",
    "bool",
    "enum",
    "ean",
    "kvk",
    "sbi",
    "postcode",
    "fuse",
    "email",
    "bag_pand_id",
    "text_list",
    "interest",
    "geometry",
    "overrides",
    "time_blocks",
    "object",
    "list",
]


@dataclass(frozen=True)
class FieldSpec:
    """One key of a park-file object."""

    key: str
    kind: Kind
    nl: str
    """Meaning in Dutch (documentation)."""
    en: str
    """Meaning in English."""
    required: bool = False
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    choices: tuple[str, ...] = ()
    entity: str | None = None
    """For ``object`` and ``list``: the entity the value (or each item) is."""
    attr: str | None = None
    """The model attribute, when it differs from ``key``."""

    @property
    def attribute(self) -> str:
        """Name of the dataclass attribute this key fills."""
        return self.attr or self.key


def _f(key: str, kind: Kind, nl: str, en: str, **kw: Any) -> FieldSpec:
    return FieldSpec(key, kind, nl, en, **kw)


_ORIGINS_FIELD = _f(
    "origins",
    "object",
    "herkomst per veld: measured, reported, open_data of estimated (standaard reported)",
    "origin per field: measured, reported, open_data or estimated (default reported)",
    entity="origins",
)

ENTITIES: dict[str, tuple[FieldSpec, ...]] = {
    "document": (
        _f(
            "format",
            "enum",
            "formaatversie, altijd 'parkplan/1'",
            "format version, always 'parkplan/1'",
            required=True,
            choices=SUPPORTED_FORMATS,
        ),
        _f("park", "object", "het park", "the park", required=True, entity="park"),
        _f(
            "companies",
            "list",
            "de bedrijven op het park",
            "the companies on the park",
            entity="company",
        ),
    ),
    "park": (
        _f(
            "id",
            "park_id",
            "korte unieke naam (letters, cijfers, - _ .)",
            "short unique id (letters, digits, - _ .)",
            required=True,
        ),
        _f("name", "text", "naam van het park", "name of the park", required=True),
        _f("municipality", "text", "gemeente", "municipality"),
        _f("area_ha", "number", "bruto oppervlakte", "gross area", unit="ha", minimum=0),
        _f("location", "object", "ligging (WGS84)", "location (WGS84)", entity="location"),
        _f(
            "outline",
            "geometry",
            "omtrek als GeoJSON-geometrie (Polygon/MultiPolygon, WGS84)",
            "outline as a GeoJSON geometry (Polygon/MultiPolygon, WGS84)",
            attr="outline_geojson",
        ),
        _f(
            "grid",
            "object",
            "netcapaciteit die de netbeheerder het park kan bieden",
            "grid capacity the operator can offer the park",
            entity="grid",
        ),
        _f(
            "organisation",
            "object",
            "organisatiegraad van het park",
            "how organised the park is",
            entity="organisation",
        ),
        _f(
            "climate",
            "object",
            "klimaatadaptatie en groen (optioneel, voor de scorekaart)",
            "climate adaptation and greening (optional, for the scorecard)",
            entity="climate",
        ),
        _f(
            "circularity",
            "object",
            "circulariteit (optioneel, voor de scorekaart)",
            "circularity (optional, for the scorecard)",
            entity="circularity",
        ),
        _f(
            "illustrative",
            "bool",
            "true voor illustratieve (synthetische) parken",
            "true for illustrative (synthetic) parks",
        ),
        _f("description", "text", "omschrijving", "description"),
        _f(
            "refdata_overrides",
            "overrides",
            "eigen referentiewaarden voor dit park (sleutel -> waarde, zie docs/refdata.md)",
            "reference values overridden for this park (key -> value, see docs/refdata.md)",
        ),
        _ORIGINS_FIELD,
    ),
    "location": (
        _f(
            "lat",
            "number",
            "breedtegraad",
            "latitude",
            unit="deg",
            required=True,
            minimum=-90,
            maximum=90,
        ),
        _f(
            "lon",
            "number",
            "lengtegraad",
            "longitude",
            unit="deg",
            required=True,
            minimum=-180,
            maximum=180,
        ),
    ),
    "grid": (
        _f("operator", "text", "netbeheerder", "grid operator"),
        _f("substation", "text", "onderstation", "substation"),
        _f(
            "available_import_kw",
            "number",
            "maximale afname die de netbeheerder voor het "
            "hele park kan leveren (alle aansluitingen samen, bestaande contracten inbegrepen)",
            "the most offtake the operator can carry for the whole park (all connections, "
            "existing contracts included)",
            unit="kW",
            minimum=0,
        ),
        _f(
            "available_export_kw",
            "number",
            "maximale teruglevering voor het hele park",
            "the most feed-in the operator can carry for the whole park",
            unit="kW",
            minimum=0,
        ),
        _f(
            "transport_rights",
            "list",
            "niet-vaste of tijdsblokgebonden transportrechten van bedrijven (zie docs/parkfile.md)",
            "non-firm or time-block transport rights of companies (see docs/parkfile.md)",
            entity="transport_right",
        ),
        _ORIGINS_FIELD,
    ),
    "transport_right": (
        _f("company", "id", "bedrijf-id", "company id", required=True),
        _f(
            "default_kw",
            "number",
            "afnamegrens buiten de tijdblokken",
            "offtake limit outside the time blocks",
            unit="kW",
            required=True,
            minimum=0,
        ),
        _f(
            "blocks",
            "time_blocks",
            "tijdblokken: {from: 'UU:MM', to: 'UU:MM', kw, months?, weekdays?} (lokale tijd)",
            "time blocks: {from: 'HH:MM', to: 'HH:MM', kw, months?, weekdays?} (local time)",
            unit="kW",
        ),
    ),
    "organisation": (
        _f(
            "business_association",
            "bool",
            "er is een ondernemersvereniging",
            "there is a business association",
        ),
        _f("park_management", "bool", "er is parkmanagement", "there is park management"),
        _f(
            "biz",
            "bool",
            "er is een bedrijveninvesteringszone (BIZ)",
            "a business improvement zone (BIZ) is in force",
        ),
        _f(
            "sustainability_group",
            "bool",
            "er is een duurzaamheidsgroep",
            "there is a sustainability group",
        ),
        _ORIGINS_FIELD,
    ),
    "climate": (
        _f(
            "paved_share",
            "number",
            "verhard aandeel van de parkoppervlakte (daken, wegen, terreinen), 0-1",
            "paved (sealed) share of the park area (roofs, roads, yards), 0-1",
            minimum=0,
            maximum=1,
        ),
        _f(
            "green_share",
            "number",
            "groen, onverhard aandeel van de parkoppervlakte, 0-1 (samen met paved_share ten "
            "hoogste 1)",
            "green, unpaved share of the park area, 0-1 (together with paved_share at most 1)",
            minimum=0,
            maximum=1,
        ),
        _f(
            "water_storage_m3",
            "number",
            "waterberging op het park (vijvers, kratten, groene daken)",
            "rainwater storage on the park (ponds, crates, green roofs)",
            unit="m3",
            minimum=0,
        ),
        _ORIGINS_FIELD,
    ),
    "circularity": (
        _f(
            "collective_waste_contract",
            "bool",
            "de bedrijven hebben een collectief afvalcontract",
            "the companies share a collective waste contract",
        ),
        _f(
            "circular_company_share",
            "number",
            "aandeel bedrijven dat reststromen uitwisselt of materialen hergebruikt, 0-1",
            "share of companies exchanging residual flows or reusing materials, 0-1",
            minimum=0,
            maximum=1,
        ),
        _ORIGINS_FIELD,
    ),
    "company": (
        _f(
            "id",
            "id",
            "korte unieke naam binnen het park",
            "short id, unique within the park",
            required=True,
        ),
        _f("name", "text", "bedrijfsnaam", "company name", required=True),
        _f("kvk", "kvk", "KvK-nummer, 8 cijfers, als tekst", "KvK number, 8 digits, as text"),
        _f(
            "sbi",
            "sbi",
            "SBI-code (SBI 2008), als tekst met voorloopnul",
            "SBI code (SBI 2008), as text with leading zero",
        ),
        _f("employees", "integer", "aantal werknemers", "number of employees", minimum=0),
        _f("floor_area_m2", "number", "vloeroppervlakte", "floor area", unit="m2", minimum=0),
        _f(
            "office_area_m2",
            "number",
            "kantooroppervlakte",
            "office floor area",
            unit="m2",
            minimum=0,
        ),
        _f(
            "operating_hours_class",
            "enum",
            "bedrijfstijdklasse in uren per jaar (NEDU E3A-E3D)",
            "operating-hours class in hours per year (NEDU E3A-E3D)",
            choices=OPERATING_HOURS_CLASSES,
        ),
        _f("address", "text", "adres (straat en huisnummer)", "address (street and number)"),
        _f("postcode", "postcode", "postcode, bijvoorbeeld '7903 AB'", "postcode, e.g. '7903 AB'"),
        _f(
            "building_owner",
            "enum",
            "eigenaar (owner) of huurder (tenant) van het pand",
            "owner or tenant of the building",
            choices=("owner", "tenant"),
        ),
        _f(
            "energy_label",
            "enum",
            "energielabel van het pand (EP-Online), A+++++ .. G",
            "energy label of the premises (EP-Online), A+++++ .. G",
            choices=ENERGY_LABELS,
        ),
        _f(
            "construction_year",
            "integer",
            "bouwjaar van het pand (BAG)",
            "construction year of the building (BAG)",
            minimum=1000,
            maximum=2100,
        ),
        _f(
            "building_use",
            "text_list",
            "gebruiksdoelen van het pand (BAG), bv. [kantoorfunctie, industriefunctie]",
            "uses of the premises (BAG gebruiksdoel), e.g. [kantoorfunctie, industriefunctie]",
        ),
        _f(
            "electricity",
            "object",
            "elektriciteit per jaar",
            "annual electricity",
            entity="electricity",
        ),
        _f("gas", "object", "aardgas per jaar", "annual natural gas", entity="gas"),
        _f(
            "connection",
            "object",
            "de netaansluiting (één)",
            "the grid connection (one)",
            entity="connection",
        ),
        _f(
            "connections",
            "list",
            "netaansluitingen (meer dan één, ook gas)",
            "grid connections (more than one, gas too)",
            entity="connection",
        ),
        _f("roofs", "list", "dakvlakken", "roof faces", entity="roof"),
        _f("vehicles", "list", "voertuigen per soort", "vehicles per kind", entity="vehicle"),
        _f("plans", "object", "plannen", "plans", entity="plans"),
        _f(
            "engagement",
            "object",
            "betrokkenheid (enquête)",
            "engagement (survey)",
            entity="engagement",
        ),
        _f(
            "contact",
            "object",
            "contactpersoon (persoonsgegevens, AVG)",
            "contact person (personal data, GDPR)",
            entity="contact",
        ),
        _ORIGINS_FIELD,
    ),
    "electricity": (
        _f(
            "annual_kwh",
            "number",
            "afname van het net per jaar (gemeten)",
            "offtake from the grid per year (metered)",
            unit="kWh",
            required=True,
            minimum=0,
        ),
        _f(
            "annual_feed_in_kwh",
            "number",
            "teruglevering aan het net per jaar",
            "feed-in to the grid per year",
            unit="kWh",
            minimum=0,
        ),
        _f(
            "annual_produced_kwh",
            "number",
            "eigen opwek per jaar",
            "own production per year",
            unit="kWh",
            minimum=0,
        ),
        _f(
            "peak_kw",
            "number",
            "hoogste kwartiergemiddelde afname van het jaar",
            "highest 15-minute average offtake of the year",
            unit="kW",
            minimum=0,
        ),
        _f(
            "meter_data",
            "text",
            "pad naar kwartierwaarden (relatief aan het parkbestand)",
            "path to 15-minute meter data (relative to the park file)",
        ),
        _ORIGINS_FIELD,
    ),
    "gas": (
        _f(
            "annual_m3",
            "number",
            "aardgas per jaar (Groningen-equivalent)",
            "natural gas per year (Groningen equivalent)",
            unit="m3",
            required=True,
            minimum=0,
        ),
        _ORIGINS_FIELD,
    ),
    "connection": (
        _f(
            "ean",
            "ean",
            "EAN-code, 18 cijfers, als tekst",
            "EAN code, 18 digits, as text",
            required=True,
        ),
        _f(
            "kind",
            "enum",
            "kleinverbruik of grootverbruik",
            "kleinverbruik (small) or grootverbruik (large)",
            required=True,
            choices=CONNECTION_KINDS,
        ),
        _f(
            "carrier",
            "enum",
            "energiedrager (standaard electricity)",
            "carrier (default electricity)",
            choices=CARRIERS,
        ),
        _f(
            "fuse",
            "fuse",
            "aansluitwaarde bij kleinverbruik, bijvoorbeeld '3x35A' (ten hoogste 3x80A)",
            "fuse of a kleinverbruik connection, e.g. '3x35A' (at most 3x80A)",
        ),
        _f(
            "contracted_kw",
            "number",
            "gecontracteerd transportvermogen afname (GTV); verplicht bij grootverbruik",
            "contracted transport capacity for offtake; required for grootverbruik",
            unit="kW",
            minimum=0,
        ),
        _f(
            "contracted_feed_in_kw",
            "number",
            "gecontracteerd transportvermogen teruglevering",
            "contracted transport capacity for feed-in",
            unit="kW",
            minimum=0,
        ),
        _f(
            "physical_kva",
            "number",
            "fysieke capaciteit van de aansluiting",
            "physical capacity of the connection",
            unit="kVA",
            minimum=0,
        ),
        _f(
            "grid_level",
            "enum",
            "netvlak waarop de aansluiting fysiek zit",
            "grid level the connection is physically on",
            choices=GRID_LEVELS,
        ),
        _ORIGINS_FIELD,
    ),
    "roof": (
        _f(
            "id",
            "id",
            "optionele vaste naam van het dakvlak (uniek binnen het park)",
            "optional stable id of the roof face (unique within the park)",
        ),
        _f(
            "area_m2",
            "number",
            "oppervlakte van het dakvlak",
            "area of the roof face",
            unit="m2",
            required=True,
            minimum=0,
        ),
        _f(
            "usable_fraction",
            "number",
            "deel bruikbaar voor zonnepanelen (0-1; standaard 0,5)",
            "share usable for PV (0-1; default 0.5)",
            minimum=0,
            maximum=1,
        ),
        _f(
            "tilt_deg",
            "number",
            "hellingshoek (0 = plat; standaard 10)",
            "tilt (0 = flat; default 10)",
            unit="deg",
            minimum=0,
            maximum=90,
        ),
        _f(
            "azimuth_deg",
            "number",
            "oriëntatie vanaf noord met de klok mee: 90 oost, 180 zuid, 270 west (standaard 180)",
            "orientation clockwise from north: 90 east, 180 south, 270 west (default 180)",
            unit="deg",
            minimum=0,
            maximum=360,
        ),
        _f(
            "existing_pv_kwp",
            "number",
            "al geplaatste zonnepanelen",
            "PV already installed",
            unit="kWp",
            minimum=0,
        ),
        _f(
            "bag_pand_id",
            "bag_pand_id",
            "BAG-pand-id, 16 cijfers, als tekst",
            "BAG building id, 16 digits, as text",
        ),
        _ORIGINS_FIELD,
    ),
    "vehicle": (
        _f(
            "kind",
            "text",
            "soort: car, van, truck, forklift ...",
            "kind: car, van, truck, forklift ...",
            required=True,
        ),
        _f("count", "integer", "aantal (standaard 1)", "number of vehicles (default 1)", minimum=0),
        _f(
            "fuel",
            "text",
            "brandstof: diesel, petrol, electric, lpg, cng, hvo ... (standaard diesel)",
            "fuel: diesel, petrol, electric, lpg, cng, hvo ... (default diesel)",
        ),
        _f(
            "annual_km",
            "number",
            "afstand per voertuig per jaar",
            "distance per vehicle per year",
            unit="km",
            minimum=0,
        ),
        _f(
            "annual_fuel_l",
            "number",
            "brandstof voor de hele groep per jaar",
            "fuel for the whole group per year",
            unit="l",
            minimum=0,
        ),
        _ORIGINS_FIELD,
    ),
    "plans": (
        _f(
            "electrification",
            "text_list",
            "geplande elektrificatie, bv. heat_pump, ev_fleet, electric_process",
            "planned electrification, e.g. heat_pump, ev_fleet, electric_process",
        ),
        _f(
            "expansion",
            "text",
            "geplande uitbreiding (vrije tekst)",
            "planned expansion (free text)",
        ),
        _f("notes", "text", "opmerkingen", "notes"),
        _ORIGINS_FIELD,
    ),
    "engagement": (
        _f(
            "bond_with_park",
            "integer",
            "binding met het park, 1 (geen) .. 5 (zeer sterk)",
            "bond with the park, 1 (none) .. 5 (very strong)",
            minimum=1,
            maximum=5,
        ),
        _f(
            "bond_with_companies",
            "integer",
            "binding met de andere ondernemers, 1 .. 5",
            "bond with the other entrepreneurs, 1 .. 5",
            minimum=1,
            maximum=5,
        ),
        _f(
            "interest",
            "interest",
            "interesse per maatregel: yes, maybe of no",
            "interest per measure: yes, maybe or no",
            choices=MEASURES,
        ),
        _f(
            "consent_share_data",
            "bool",
            "toestemming om energiegegevens te delen met de parkmanager",
            "consent to share energy data with the park manager",
        ),
        _ORIGINS_FIELD,
    ),
    "contact": (
        _f("name", "text", "naam", "name", required=True),
        _f("email", "email", "e-mailadres", "e-mail address"),
        _f("phone", "text", "telefoonnummer (als tekst)", "phone number (as text)"),
        _ORIGINS_FIELD,
    ),
}

_ROOF_DEFAULTED = ("usable_fraction", "tilt_deg", "azimuth_deg")
"""Roof fields whose model default is an estimate: marked ``estimated`` when omitted."""


# ------------------------------------------------------------------------------------------
# small helpers
# ------------------------------------------------------------------------------------------


def fmt_nl(x: float, decimals: int = 0) -> str:
    """A number in Dutch notation: ``1234567.5`` -> ``'1.234.567,5'`` (``decimals`` places)."""
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _fmt_en(x: float, decimals: int = 0) -> str:
    return f"{x:,.{decimals}f}"


def _type_name(value: Any) -> tuple[str, str]:
    if value is None:
        return "leeg", "empty"
    if isinstance(value, bool):
        return "ja/nee-waarde", "boolean"
    if isinstance(value, int | float):
        return "getal", "number"
    if isinstance(value, str):
        return "tekst", "text"
    if isinstance(value, Mapping):
        return "object", "object"
    if isinstance(value, list | tuple):
        return "lijst", "list"
    return type(value).__name__, type(value).__name__


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _suggest(key: str, known: Sequence[str]) -> str | None:
    found = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
    return found[0] if found else None


class _Collector:
    """Collects problems during one validation pass."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def err(self, path: str, nl: str, en: str, value: Any = None, code: str = "invalid") -> None:
        self.problems.append(error(path, nl, en, value=value, code=code))

    def warn(
        self, path: str, nl: str, en: str, value: Any = None, code: str = "implausible"
    ) -> None:
        self.problems.append(warning(path, nl, en, value=value, code=code))

    @property
    def n_errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")


_MISSING = object()


# ------------------------------------------------------------------------------------------
# scalar readers: return the converted value, or _MISSING after reporting a problem
# ------------------------------------------------------------------------------------------


def _read_number(spec: FieldSpec, value: Any, path: str, c: _Collector) -> Any:
    unit = f" [{spec.unit}]" if spec.unit else ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        tn = _type_name(value)
        c.err(
            path,
            f"geen getal maar {tn[0]}; verwacht een getal{unit} (zonder aanhalingstekens, "
            "decimale punt)",
            f"not a number but {tn[1]}; expected a number{unit} (without quotes, decimal point)",
            value,
            "not_a_number",
        )
        return _MISSING
    if isinstance(value, float) and not math.isfinite(value):
        c.err(
            path,
            f"geen eindig getal; verwacht een getal{unit}",
            f"not a finite number; expected a number{unit}",
            value,
            "not_a_number",
        )
        return _MISSING
    raw = value
    if spec.kind == "integer":
        if isinstance(value, float):
            if not value.is_integer():
                c.err(
                    path,
                    "verwacht een geheel getal",
                    "expected a whole number",
                    value,
                    "not_an_integer",
                )
                return _MISSING
            value = int(value)
    else:
        value = float(value)
    lo, hi = spec.minimum, spec.maximum
    if lo is not None and hi is not None and not lo <= value <= hi:
        c.err(
            path,
            f"buiten het bereik; verwacht {fmt_nl(lo, _dec(lo))} t/m {fmt_nl(hi, _dec(hi))}{unit}",
            f"out of range; expected {_fmt_en(lo, _dec(lo))} to {_fmt_en(hi, _dec(hi))}{unit}",
            raw,
            "out_of_range",
        )
        return _MISSING
    if lo is not None and value < lo:
        neg = lo == 0
        c.err(
            path,
            ("negatieve waarde; " if neg else "te klein; ")
            + f"verwacht een getal van ten minste {fmt_nl(lo, _dec(lo))}{unit}",
            ("negative value; " if neg else "too small; ")
            + f"expected a number of at least {_fmt_en(lo, _dec(lo))}{unit}",
            raw,
            "negative" if neg else "out_of_range",
        )
        return _MISSING
    if hi is not None and value > hi:
        c.err(
            path,
            f"te groot; verwacht ten hoogste {fmt_nl(hi, _dec(hi))}{unit}",
            f"too large; expected at most {_fmt_en(hi, _dec(hi))}{unit}",
            raw,
            "out_of_range",
        )
        return _MISSING
    return value


def _dec(x: float) -> int:
    return 0 if float(x).is_integer() else 2


def _read_text(value: Any, path: str, c: _Collector, allow_int: bool = False) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if not text:
            c.err(
                path,
                "lege tekst; verwacht een waarde",
                "empty text; expected a value",
                value,
                "empty",
            )
            return _MISSING
        return text
    if allow_int and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    tn = _type_name(value)
    c.err(
        path,
        f"geen tekst maar {tn[0]}; verwacht tekst",
        f"not text but {tn[1]}; expected text",
        value,
        "not_text",
    )
    return _MISSING


def parse_bool(value: Any) -> bool | None:
    """A yes/no value: ``True``/``False`` or the texts yes/no, true/false, ja/nee, on/off."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        t = value.strip().lower()
        if t in _TRUE:
            return True
        if t in _FALSE:
            return False
    return None


def _read_scalar(spec: FieldSpec, value: Any, path: str, c: _Collector) -> Any:
    kind = spec.kind
    if kind in ("number", "integer"):
        return _read_number(spec, value, path, c)
    if kind == "text":
        return _read_text(value, path, c)
    if kind == "id":
        return _read_text(value, path, c, allow_int=True)
    if kind == "park_id":
        text = _read_text(value, path, c, allow_int=True)
        if text is not _MISSING and not _PARK_ID.match(text):
            c.err(
                path,
                "ongeldige park-id; verwacht letters, cijfers, '-', '_' of '.' zonder spaties",
                "invalid park id; expected letters, digits, '-', '_' or '.' without spaces",
                value,
                "bad_id",
            )
            return _MISSING
        return text
    if kind == "bool":
        b = parse_bool(value)
        if b is None:
            c.err(
                path,
                "verwacht true of false (ja/nee)",
                "expected true or false (yes/no)",
                value,
                "not_a_bool",
            )
            return _MISSING
        return b
    if kind == "enum":
        if isinstance(value, str) and value.strip() in spec.choices:
            return value.strip()
        hint = _suggest(str(value), spec.choices) if isinstance(value, str) else None
        extra_nl = f" (bedoelde u '{hint}'?)" if hint else ""
        extra_en = f" (did you mean '{hint}'?)" if hint else ""
        options = ", ".join(spec.choices)
        c.err(
            path,
            f"onbekende waarde{extra_nl}; verwacht een van: {options}",
            f"unknown value{extra_en}; expected one of: {options}",
            value,
            "bad_choice",
        )
        return _MISSING
    if kind in ("ean", "kvk", "sbi"):
        check: Callable[[object], ids.Message | None] = {
            "ean": ids.check_ean,
            "kvk": ids.check_kvk,
            "sbi": ids.check_sbi,
        }[kind]
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            tn = _type_name(value)
            c.err(
                path,
                f"geen tekst maar {tn[0]}; verwacht de code als tekst",
                f"not text but {tn[1]}; expected the code as text",
                value,
                "not_text",
            )
            return _MISSING
        msg = check(value)
        if msg:
            c.err(path, msg[0], msg[1], value, f"bad_{kind}")
            return _MISSING
        normalize = {"ean": ids.normalize_ean, "kvk": ids.normalize_kvk, "sbi": ids.normalize_sbi}[
            kind
        ]
        return normalize(value)
    if kind == "postcode":
        if not isinstance(value, str):
            c.err(
                path,
                "verwacht een postcode als tekst, bijvoorbeeld '7903 AB'",
                "expected a postcode as text, e.g. '7903 AB'",
                value,
                "bad_postcode",
            )
            return _MISSING
        msg = ids.check_postcode(value)
        if msg:
            c.err(path, msg[0], msg[1], value, "bad_postcode")
            return _MISSING
        return ids.normalize_postcode(value)
    if kind == "fuse":
        m = _FUSE.match(value) if isinstance(value, str) else None
        if not m:
            c.err(
                path,
                "ongeldige aansluitwaarde; verwacht fasen x stroom, bijvoorbeeld "
                "'3x35A' of '1x40A'",
                "invalid fuse; expected phases x current, e.g. '3x35A' or '1x40A'",
                value,
                "bad_fuse",
            )
            return _MISSING
        return f"{m.group(1)}x{int(m.group(2))}A"
    if kind == "email":
        text = _read_text(value, path, c)
        if text is not _MISSING and not _EMAIL.match(text):
            c.err(
                path,
                "ongeldig e-mailadres; verwacht naam@domein.nl",
                "invalid e-mail address; expected name@domain.nl",
                value,
                "bad_email",
            )
            return _MISSING
        return text
    if kind == "bag_pand_id":
        text = _read_text(value, path, c, allow_int=True)
        if text is not _MISSING and not _BAG_PAND.match(text):
            c.err(
                path,
                "ongeldig BAG-pand-id; verwacht 16 cijfers als tekst (bv. '0118100000212345')",
                "invalid BAG building id; expected 16 digits as text (e.g. '0118100000212345')",
                value,
                "bad_bag_id",
            )
            return _MISSING
        return text
    if kind == "text_list":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            c.err(
                path,
                "verwacht een lijst met teksten",
                "expected a list of texts",
                value,
                "not_a_list",
            )
            return _MISSING
        out: list[str] = []
        for i, item in enumerate(value):
            t = _read_text(item, f"{path}[{i}]", c)
            if t is not _MISSING:
                out.append(t)
        return out
    if kind == "interest":
        return _read_interest(spec, value, path, c)
    if kind == "time_blocks":
        return _read_time_blocks(value, path, c)
    if kind == "geometry":
        return _read_geometry(value, path, c)
    if kind == "overrides":
        if not isinstance(value, Mapping):
            c.err(
                path,
                "verwacht een object: sleutel -> waarde",
                "expected an object: key -> value",
                value,
                "not_an_object",
            )
            return _MISSING
        return {str(k): v for k, v in value.items()}
    raise AssertionError(kind)  # pragma: no cover


_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _read_time_blocks(value: Any, path: str, c: _Collector) -> Any:
    """Time blocks of a transport right: a list of ``{from, to, kw, months?, weekdays?}``."""
    if not isinstance(value, list):
        c.err(path, "verwacht een lijst van tijdblokken", "expected a list of time blocks",
              value, "not_a_list")  # fmt: skip
        return _MISSING
    out: list[dict[str, Any]] = []
    before = c.n_errors
    for i, b in enumerate(value):
        p = f"{path}[{i}]"
        if not isinstance(b, Mapping):
            c.err(p, "verwacht {from, to, kw}", "expected {from, to, kw}", b, "not_an_object")
            continue
        for key in b:
            if key not in ("from", "to", "kw", "months", "weekdays"):
                c.err(_join(p, str(key)), f"onbekende sleutel '{key}'; toegestaan: from, to,"
                      " kw, months, weekdays", f"unknown key '{key}'; allowed: from, to, kw,"
                      " months, weekdays", key, "unknown_key")  # fmt: skip
        block: dict[str, Any] = {}
        for key in ("from", "to"):
            t = b.get(key)
            if not isinstance(t, str) or not _CLOCK.match(t.strip()):
                c.err(_join(p, key), "verwacht een tijd als 'UU:MM', bv. '16:00'",
                      "expected a time as 'HH:MM', e.g. '16:00'", t, "bad_time")  # fmt: skip
            else:
                h, m = t.strip().split(":")
                block[key] = f"{int(h):02d}:{m}"
        kw = b.get("kw")
        if isinstance(kw, bool) or not isinstance(kw, int | float) or kw < 0:
            c.err(_join(p, "kw"), "verwacht een getal ≥ 0 (kW)", "expected a number ≥ 0 (kW)",
                  kw, "bad_number")  # fmt: skip
        else:
            block["kw"] = kw
        for key, lo, hi in (("months", 1, 12), ("weekdays", 0, 6)):
            v = b.get(key)
            if v is None:
                continue
            if not isinstance(v, list) or not all(
                isinstance(x, int) and not isinstance(x, bool) and lo <= x <= hi for x in v
            ):
                c.err(_join(p, key), f"verwacht een lijst van gehele getallen {lo}–{hi}",
                      f"expected a list of integers {lo}-{hi}", v, "bad_list")  # fmt: skip
            else:
                block[key] = list(v)
        out.append(block)
    return _MISSING if c.n_errors > before else out


def _read_interest(spec: FieldSpec, value: Any, path: str, c: _Collector) -> Any:
    if not isinstance(value, Mapping):
        c.err(
            path,
            "verwacht een object: maatregel -> yes/maybe/no",
            "expected an object: measure -> yes/maybe/no",
            value,
            "not_an_object",
        )
        return _MISSING
    out: dict[str, str] = {}
    for measure, answer in value.items():
        p = _join(path, str(measure))
        if measure not in spec.choices:
            hint = _suggest(str(measure), spec.choices)
            c.err(
                p,
                f"onbekende maatregel '{measure}'"
                + (f" (bedoelde u '{hint}'?)" if hint else "")
                + f"; verwacht een van: {', '.join(spec.choices)}",
                f"unknown measure '{measure}'"
                + (f" (did you mean '{hint}'?)" if hint else "")
                + f"; expected one of: {', '.join(spec.choices)}",
                measure,
                "unknown_key",
            )
            continue
        if isinstance(answer, bool):  # YAML 1.1 readers turn yes/no into booleans
            text = "yes" if answer else "no"
        else:
            text = answer.strip().lower() if isinstance(answer, str) else ""
        if text not in ANSWERS:
            c.err(
                p,
                "ongeldig antwoord; verwacht yes, maybe of no",
                "invalid answer; expected yes, maybe or no",
                answer,
                "bad_answer",
            )
            continue
        out[str(measure)] = text
    return out


def _read_geometry(value: Any, path: str, c: _Collector) -> Any:
    def bad(nl: str, en: str) -> Any:
        c.err(
            path,
            f"ongeldige GeoJSON-geometrie: {nl}",
            f"invalid GeoJSON geometry: {en}",
            value if not isinstance(value, Mapping) else value.get("type"),
            "bad_geometry",
        )
        return _MISSING

    if not isinstance(value, Mapping):
        return bad(
            "verwacht een object met type en coordinates",
            "expected an object with type and coordinates",
        )
    gtype = value.get("type")
    if gtype not in ("Polygon", "MultiPolygon"):
        return bad("type moet Polygon of MultiPolygon zijn", "type must be Polygon or MultiPolygon")
    coords = value.get("coordinates")
    polygons = [coords] if gtype == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        return bad("coordinates ontbreekt of is leeg", "coordinates missing or empty")
    for poly in polygons:
        if not isinstance(poly, list) or not poly:
            return bad("een polygoon is een lijst van ringen", "a polygon is a list of rings")
        for ring in poly:
            if not isinstance(ring, list) or len(ring) < 4:
                return bad("een ring heeft ten minste 4 punten", "a ring has at least 4 positions")
            for pos in ring:
                if (
                    not isinstance(pos, list)
                    or len(pos) < 2
                    or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in pos)
                    or not (-180 <= pos[0] <= 180 and -90 <= pos[1] <= 90)
                ):
                    return bad(
                        "een punt is [lengtegraad, breedtegraad] in WGS84",
                        "a position is [longitude, latitude] in WGS84",
                    )
            if ring[0] != ring[-1]:
                return bad(
                    "een ring moet gesloten zijn (eerste punt = laatste punt)",
                    "a ring must be closed (first position = last position)",
                )
    return json.loads(json.dumps(dict(value)))


# ------------------------------------------------------------------------------------------
# entity readers
# ------------------------------------------------------------------------------------------


def _read_entity(entity: str, value: Any, path: str, c: _Collector) -> dict[str, Any] | None:
    """Check one object against its specification.

    Returns the converted values keyed by model attribute (nested objects and lists are
    converted to their dataclasses), or ``None`` when ``value`` is not an object.
    Missing optional keys are absent from the result.
    """
    if not isinstance(value, Mapping):
        tn = _type_name(value)
        c.err(
            path or "(document)",
            f"geen object maar {tn[0]}; verwacht een object met sleutels",
            f"not an object but {tn[1]}; expected an object with keys",
            value,
            "not_an_object",
        )
        return None
    specs = {s.key: s for s in ENTITIES[entity]}
    out: dict[str, Any] = {}
    _check_unknown_keys(entity, value, path, c)
    for spec in specs.values():
        p = _join(path, spec.key)
        raw = value.get(spec.key, _MISSING)
        if raw is _MISSING or raw is None:
            if spec.required:
                unit = f" [{spec.unit}]" if spec.unit else ""
                c.err(
                    p,
                    f"verplicht veld ontbreekt: {spec.key}{unit} ({spec.nl})",
                    f"mandatory field missing: {spec.key}{unit} ({spec.en})",
                    None,
                    "missing",
                )
            continue
        if spec.key == "origins":
            got = _read_origins(entity, raw, p, c)
        elif spec.kind == "object":
            assert spec.entity is not None
            got = _build(spec.entity, raw, p, c)
        elif spec.kind == "list":
            assert spec.entity is not None
            got = _read_list(spec.entity, raw, p, c)
        else:
            got = _read_scalar(spec, raw, p, c)
        if got is not _MISSING and got is not None:
            out[spec.attribute] = got
    return out


def _read_origins(entity: str, value: Any, path: str, c: _Collector) -> Any:
    if not isinstance(value, Mapping):
        c.err(
            path,
            "verwacht een object: veld -> herkomst",
            "expected an object: field -> origin",
            value,
            "not_an_object",
        )
        return _MISSING
    allowed = {
        s.key: s.attribute
        for s in ENTITIES[entity]
        if s.kind not in ("object", "list") and s.key != "origins"
    }
    out: dict[str, Origin] = {}
    for key, origin in value.items():
        p = _join(path, str(key))
        if key not in allowed:
            hint = _suggest(str(key), list(allowed))
            c.err(
                p,
                f"herkomst voor onbekend veld '{key}'"
                + (f"; bedoelde u '{hint}'?" if hint else ""),
                f"origin for unknown field '{key}'" + (f"; did you mean '{hint}'?" if hint else ""),
                key,
                "unknown_key",
            )
            continue
        if origin not in ORIGINS:
            c.err(
                p,
                f"onbekende herkomst; verwacht een van: {', '.join(ORIGINS)}",
                f"unknown origin; expected one of: {', '.join(ORIGINS)}",
                origin,
                "bad_origin",
            )
            continue
        out[allowed[key]] = Origin(origin)
    return out


def _read_list(entity: str, value: Any, path: str, c: _Collector) -> Any:
    if not isinstance(value, list):
        tn = _type_name(value)
        c.err(
            path,
            f"geen lijst maar {tn[0]}; verwacht een lijst (regels die met '- ' beginnen)",
            f"not a list but {tn[1]}; expected a list (lines starting with '- ')",
            value,
            "not_a_list",
        )
        return _MISSING
    out = []
    for i, item in enumerate(value):
        obj = _build(entity, item, f"{path}[{i}]", c)
        if obj is not _MISSING:
            out.append(obj)
    return out


_CONSTRUCTORS: dict[str, Callable[..., Any]] = {
    "location": Location,
    "grid": GridAvailability,
    "transport_right": TimeBlockRight,
    "organisation": Organisation,
    "climate": ClimateAdaptation,
    "circularity": Circularity,
    "electricity": ElectricityUse,
    "gas": GasUse,
    "connection": Connection,
    "roof": Roof,
    "vehicle": Vehicle,
    "plans": Plans,
    "engagement": Engagement,
    "contact": Contact,
}


def _build(entity: str, value: Any, path: str, c: _Collector) -> Any:
    """Read one nested object and construct its dataclass (``_MISSING`` when impossible)."""
    before = c.n_errors
    kw = _read_entity(entity, value, path, c)
    if kw is None:
        return _MISSING
    if entity == "company":
        return _build_company(kw, value, path, c)
    if entity == "connection":
        _check_connection(kw, value, path, c)
    if entity == "climate":
        _check_climate(kw, path, c)
    if entity == "roof":
        origins = dict(kw.get("origins", {}))
        for name in _ROOF_DEFAULTED:
            if name not in kw and name not in origins:
                origins[name] = Origin.ESTIMATED
        kw["origins"] = origins
    required = [s.attribute for s in ENTITIES[entity] if s.required]
    if c.n_errors > before or any(r not in kw for r in required):
        return _MISSING
    return _CONSTRUCTORS[entity](**kw)


def _fuse_amps(fuse: str) -> tuple[int, int]:
    m = _FUSE.match(fuse)
    assert m is not None
    return int(m.group(1)), int(m.group(2))


def _check_connection(kw: dict[str, Any], raw: Mapping[str, Any], path: str, c: _Collector) -> None:
    carrier = kw.get("carrier", "electricity")
    kind = kw.get("kind")
    if carrier != "electricity":
        if "fuse" in kw:
            c.err(
                _join(path, "fuse"),
                "een aansluitwaarde in ampère hoort bij een "
                "elektriciteitsaansluiting, niet bij gas",
                "a fuse in amperes belongs to an electricity connection, not to gas",
                kw["fuse"],
                "invalid",
            )
        return
    if kind == "grootverbruik" and raw.get("contracted_kw") is None:
        c.err(
            _join(path, "contracted_kw"),
            "verplicht bij grootverbruik: gecontracteerd transportvermogen afname [kW]",
            "required for grootverbruik: contracted transport capacity for offtake [kW]",
            None,
            "missing",
        )
    if kind == "kleinverbruik" and "fuse" in kw:
        max_a = _plaus("grid.kleinverbruik_max_a")
        _, amps = _fuse_amps(kw["fuse"])
        if amps > max_a:
            c.err(
                _join(path, "fuse"),
                f"kleinverbruik is ten hoogste 3x{max_a:.0f}A; een "
                "grotere aansluiting is grootverbruik (kind: grootverbruik, met "
                "contracted_kw)",
                f"kleinverbruik is at most 3x{max_a:.0f}A; a larger "
                "connection is grootverbruik (kind: grootverbruik, with contracted_kw)",
                kw["fuse"],
                "out_of_range",
            )
    if kind == "grootverbruik" and "fuse" in kw:
        c.warn(
            _join(path, "fuse"),
            "een aansluitwaarde (fuse) hoort bij kleinverbruik; bij "
            "grootverbruik telt contracted_kw",
            "a fuse belongs to kleinverbruik; for grootverbruik contracted_kw counts",
            kw["fuse"],
        )
    if "physical_kva" in kw and "contracted_kw" in kw and kw["contracted_kw"] > kw["physical_kva"]:
        c.warn(
            _join(path, "contracted_kw"),
            "gecontracteerd vermogen is groter dan de "
            f"fysieke capaciteit ({fmt_nl(kw['physical_kva'])} kVA)",
            "contracted capacity "
            f"exceeds the physical capacity ({_fmt_en(kw['physical_kva'])} kVA)",
            kw["contracted_kw"],
        )


def _check_climate(kw: dict[str, Any], path: str, c: _Collector) -> None:
    paved, green = kw.get("paved_share"), kw.get("green_share")
    if paved is not None and green is not None and paved + green > 1.0 + 1e-9:
        c.err(
            _join(path, "green_share"),
            f"verhard ({fmt_nl(paved, 2)}) en groen ({fmt_nl(green, 2)}) samen zijn "
            f"{fmt_nl(paved + green, 2)}; verwacht samen ten hoogste 1 (aandelen van de "
            "parkoppervlakte)",
            f"paved ({_fmt_en(paved, 2)}) and green ({_fmt_en(green, 2)}) add up to "
            f"{_fmt_en(paved + green, 2)}; expected at most 1 together (shares of the park "
            "area)",
            green,
            "out_of_range",
        )


def fuse_capacity_kw(fuse: str, voltage_v: float) -> float:
    """Capacity of a kleinverbruik connection from its fuse, at power factor 1. [kW]

    Parameters
    ----------
    fuse
        E.g. ``'3x35A'``.
    voltage_v
        Phase voltage. [V]
    """
    phases, amps = _fuse_amps(fuse)
    return phases * amps * voltage_v / 1000.0


def _build_company(kw: dict[str, Any], raw: Mapping[str, Any], path: str, c: _Collector) -> Any:
    if "connection" in raw and "connections" in raw:
        c.err(
            _join(path, "connections"),
            "gebruik connection (één aansluiting) of connections (een lijst), niet allebei",
            "use connection (one) or connections (a list), not both",
            None,
            "invalid",
        )
    conns: list[Connection] = []
    if "connection" in kw:
        conns.append(kw.pop("connection"))
    conns.extend(kw.pop("connections", []))
    kw["connections"] = conns
    if "id" not in kw or "name" not in kw:
        return _MISSING
    company = Company(**kw)
    _check_company_plausibility(company, path, c)
    return company


# ------------------------------------------------------------------------------------------
# plausibility (warnings) and cross-field checks
# ------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _refdata() -> Any:
    from parkplan.refdata import load_refdata

    return load_refdata()


def _plaus(key: str) -> float:
    return float(_refdata().value(key))


def sector_norm_category(sbi: str | None) -> str | None:
    """The CBS 83374 building category used as norm for an SBI code, or ``None``.

    Division 45 (car trade and repair) -> ``car_companies``; division 46 (wholesale) ->
    ``wholesale``; sections J-O (information, finance, real estate, professional and
    administrative services, public administration) -> ``offices``.
    """
    if not sbi:
        return None
    division = ids.sbi_division(sbi)
    if division == "45":
        return "car_companies"
    if division == "46":
        return "wholesale"
    if ids.sbi_section(sbi) in ("J", "K", "L", "M", "N", "O"):
        return "offices"
    return None


_CATEGORY_NAMES = {
    "offices": ("kantoren", "offices"),
    "wholesale": ("groothandel", "wholesale"),
    "car_companies": ("autobedrijven", "car companies"),
}


def _intensity_warning(
    c: _Collector,
    *,
    path: str,
    intensity: float,
    category: str,
    quantity: Literal["electricity_kwh_per_m2", "gas_m3_per_m2"],
    value: float,
) -> None:
    low = _plaus(f"plausibility.{quantity}.{category}.low")
    high = _plaus(f"plausibility.{quantity}.{category}.high")
    factor = _plaus("plausibility.unit_error_factor")
    unit = "kWh/m2" if quantity.startswith("electricity") else "m3/m2"
    name_nl, name_en = _CATEGORY_NAMES[category]
    norm_nl = f"{name_nl} {fmt_nl(low, 1)}-{fmt_nl(high, 1)} {unit} (CBS 83374, 2012)"
    norm_en = f"{name_en} {_fmt_en(low, 1)}-{_fmt_en(high, 1)} {unit} (CBS 83374, 2012)"
    base = "kWh" if unit == "kWh/m2" else "m3"
    if intensity > factor * high:
        ratio = intensity / high
        c.warn(
            path,
            f"onwaarschijnlijk hoog: {fmt_nl(intensity)} {unit} vloeroppervlak per jaar, "
            f"ongeveer {fmt_nl(ratio)}x de sectornorm ({norm_nl}); is de waarde in een andere "
            f"eenheid ingevuld (bijvoorbeeld Wh in plaats van {base})?",
            f"implausibly high: {_fmt_en(intensity)} {unit} floor area per year, about "
            f"{_fmt_en(ratio)}x the sector norm ({norm_en}); was the value entered in another "
            f"unit (e.g. Wh instead of {base})?",
            value,
        )
    elif intensity < low / factor:
        ratio = low / intensity if intensity > 0 else math.inf
        c.warn(
            path,
            f"onwaarschijnlijk laag: {fmt_nl(intensity, 2)} {unit} vloeroppervlak per jaar, "
            f"ongeveer {fmt_nl(ratio) if math.isfinite(ratio) else 'oneindig'} keer lager dan "
            f"de sectornorm ({norm_nl}); is de waarde in MWh in plaats van {base} ingevuld?",
            f"implausibly low: {_fmt_en(intensity, 2)} {unit} floor area per year, about "
            f"{_fmt_en(ratio) if math.isfinite(ratio) else 'infinitely'} times below the "
            f"sector norm ({norm_en}); was the value entered in MWh instead of {base}?",
            value,
        )


def _check_company_plausibility(company: Company, path: str, c: _Collector) -> None:
    el = company.electricity
    floor = company.floor_area_m2
    if (
        company.office_area_m2 is not None
        and floor is not None
        and company.office_area_m2 > (floor)
    ):
        c.warn(
            _join(path, "office_area_m2"),
            f"kantooroppervlakte is groter dan de vloeroppervlakte ({fmt_nl(floor)} m2)",
            f"office floor area exceeds the floor area ({_fmt_en(floor)} m2)",
            company.office_area_m2,
        )
    category = sector_norm_category(company.sbi)
    if el is not None:
        epath = _join(path, "electricity")
        produced = el.annual_produced_kwh
        if produced is not None and el.annual_feed_in_kwh > produced:
            c.warn(
                _join(epath, "annual_feed_in_kwh"),
                "teruglevering is groter dan de eigen "
                f"opwek ({fmt_nl(produced)} kWh); verwacht teruglevering <= opwek",
                f"feed-in exceeds own production ({_fmt_en(produced)} kWh); expected "
                "feed-in <= production",
                el.annual_feed_in_kwh,
            )
        demand = el.demand_on_site_kwh
        if demand < 0:
            c.err(
                epath,
                "vraag op locatie (afname + opwek - teruglevering) is negatief: "
                f"{fmt_nl(demand)} kWh; controleer annual_kwh, annual_produced_kwh en "
                "annual_feed_in_kwh",
                "demand on site (offtake + production - feed-in) is "
                f"negative: {_fmt_en(demand)} kWh; check annual_kwh, annual_produced_kwh and "
                "annual_feed_in_kwh",
                demand,
                "negative",
            )
        elif floor and category and demand > 0:
            _intensity_warning(
                c,
                path=_join(epath, "annual_kwh"),
                intensity=demand / floor,
                category=category,
                quantity="electricity_kwh_per_m2",
                value=el.annual_kwh,
            )
        if el.peak_kw is not None:
            _check_peak(company, el, epath, c)
    if company.gas is not None and floor and category and company.gas.annual_m3 > 0:
        _intensity_warning(
            c,
            path=_join(path, "gas.annual_m3"),
            intensity=company.gas.annual_m3 / floor,
            category=category,
            quantity="gas_m3_per_m2",
            value=company.gas.annual_m3,
        )


def _check_peak(company: Company, el: ElectricityUse, epath: str, c: _Collector) -> None:
    peak = el.peak_kw
    assert peak is not None
    p = _join(epath, "peak_kw")
    mean_kw = el.annual_kwh / HOURS_PER_YEAR
    if peak < mean_kw:
        c.warn(
            p,
            "piek is lager dan het gemiddelde afnamevermogen "
            f"({fmt_nl(mean_kw, 1)} kW = annual_kwh / 8760 h); verwacht piek >= gemiddelde",
            f"peak is below the average offtake ({_fmt_en(mean_kw, 1)} kW = annual_kwh / "
            "8760 h); expected peak >= average",
            peak,
        )
    conns = company.electricity_connections
    if not conns:
        return
    contracted = [x.contracted_kw for x in conns if x.contracted_kw is not None]
    if len(contracted) == len(conns) and peak > sum(contracted):
        total = sum(contracted)
        c.warn(
            p,
            f"piek is hoger dan het gecontracteerde vermogen ({fmt_nl(total)} kW); "
            "klopt het contract of de piek?",
            f"peak exceeds the contracted capacity "
            f"({_fmt_en(total)} kW); is the contract or the peak right?",
            peak,
        )
    physical: list[float] = []
    for x in conns:
        if x.physical_kva is not None:
            physical.append(x.physical_kva)
        elif x.fuse is not None:
            physical.append(fuse_capacity_kw(x.fuse, _plaus("plausibility.nominal_voltage_v")))
    if len(physical) == len(conns) and peak > sum(physical):
        total = sum(physical)
        c.warn(
            p,
            f"piek is hoger dan de fysieke capaciteit van de aansluiting(en) "
            f"({fmt_nl(total)} kVA); verwacht piek <= capaciteit",
            f"peak exceeds the "
            f"physical capacity of the connection(s) ({_fmt_en(total)} kVA); expected "
            "peak <= capacity",
            peak,
        )


def _check_park(
    park_path_companies: list[tuple[str, Company, Mapping[str, Any]]], c: _Collector
) -> None:
    """Duplicates within the park: company ids, KvK numbers, EANs, roof ids."""
    seen: dict[str, dict[str, str]] = {"id": {}, "kvk": {}, "ean": {}, "roof": {}}
    labels = {
        "id": ("bedrijfs-id", "company id"),
        "kvk": ("KvK-nummer", "KvK number"),
        "ean": ("EAN", "EAN"),
        "roof": ("dak-id", "roof id"),
    }

    def dup(kind: str, value: str, path: str) -> None:
        first = seen[kind].get(value)
        if first is None:
            seen[kind][value] = path
            return
        nl, en = labels[kind]
        c.err(
            path,
            f"dubbel {nl} '{value}' binnen het park (ook bij {first}); verwacht een unieke waarde",
            f"duplicate {en} '{value}' within the park (also at {first}); expected a unique value",
            value,
            "duplicate",
        )

    for path, company, raw in park_path_companies:
        dup("id", company.id, _join(path, "id"))
        if company.kvk:
            dup("kvk", company.kvk, _join(path, "kvk"))
        single = "connection" in raw
        for j, conn in enumerate(company.connections):
            where = "connection" if single and j == 0 else f"connections[{j - single}]"
            dup("ean", conn.ean, _join(path, f"{where}.ean"))
        for j, roof in enumerate(company.roofs):
            if roof.id:
                dup("roof", roof.id, _join(path, f"roofs[{j}].id"))


# ------------------------------------------------------------------------------------------
# public API: documents
# ------------------------------------------------------------------------------------------


def _check_unknown_keys(entity: str, value: Mapping[str, Any], path: str, c: _Collector) -> None:
    known = [s.key for s in ENTITIES[entity]]
    for key in value:
        if key not in known:
            hint = _suggest(str(key), known)
            c.err(
                _join(path, str(key)),
                f"onbekende sleutel '{key}'"
                + (f"; bedoelde u '{hint}'?" if hint else "")
                + f" Toegestaan: {', '.join(known)}",
                f"unknown key '{key}'"
                + (f"; did you mean '{hint}'?" if hint else "")
                + f" Allowed: {', '.join(known)}",
                key,
                "unknown_key",
            )


def _validate(doc: Any) -> tuple[Park | None, list[Problem]]:
    c = _Collector()
    if not isinstance(doc, Mapping):
        tn = _type_name(doc)
        c.err(
            "",
            f"geen parkbestand: de inhoud is {tn[0]}, verwacht een object met format: "
            f"{FORMAT}, park en companies",
            f"not a park file: the content is {tn[1]}, "
            f"expected an object with format: {FORMAT}, park and companies",
            None,
            "not_a_park_file",
        )
        return None, c.problems
    _check_unknown_keys("document", doc, "", c)
    fmt = doc.get("format")
    if fmt is None:
        c.err(
            "format",
            f"verplicht veld ontbreekt: format (verwacht '{FORMAT}')",
            f"mandatory field missing: format (expected '{FORMAT}')",
            None,
            "missing",
        )
    elif fmt not in SUPPORTED_FORMATS:
        c.err(
            "format",
            f"onbekende formaatversie '{fmt}'; deze versie van parkplan leest "
            f"{', '.join(SUPPORTED_FORMATS)}",
            f"unknown format version '{fmt}'; this "
            f"version of parkplan reads {', '.join(SUPPORTED_FORMATS)}",
            fmt,
            "unknown_format",
        )
    park_raw = doc.get("park")
    park_kw: dict[str, Any] | None = None
    if park_raw is None:
        c.err(
            "park",
            "verplicht veld ontbreekt: park (het park zelf, met id en name)",
            "mandatory field missing: park (the park itself, with id and name)",
            None,
            "missing",
        )
    else:
        park_kw = _read_entity("park", park_raw, "park", c)
    companies_raw = doc.get("companies")
    companies: list[tuple[str, Company, Mapping[str, Any]]] = []
    if companies_raw is not None and not isinstance(companies_raw, list):
        tn = _type_name(companies_raw)
        c.err(
            "companies",
            f"geen lijst maar {tn[0]}; verwacht een lijst van bedrijven",
            f"not a list but {tn[1]}; expected a list of companies",
            None,
            "not_a_list",
        )
    elif companies_raw:
        for i, item in enumerate(companies_raw):
            p = f"companies[{i}]"
            company = _build("company", item, p, c)
            if company is not _MISSING:
                companies.append((p, company, item))
    _check_park(companies, c)
    grid = (park_kw or {}).get("grid")
    known_ids = [co.id for _, co, _ in companies]
    for j, right in enumerate(getattr(grid, "transport_rights", [])):
        if right.company not in known_ids:
            c.err(f"park.grid.transport_rights[{j}].company",
                  f"onbekend bedrijf '{right.company}'; bekende bedrijven: {', '.join(known_ids)}",
                  f"unknown company '{right.company}'; known companies: {', '.join(known_ids)}",
                  right.company, "unknown_company")  # fmt: skip
    overrides = (park_kw or {}).get("refdata_overrides")
    if overrides:
        from parkplan.refdata import load_refdata

        try:
            load_refdata(overrides)
        except ValidationError as exc:
            for prob in exc.problems:
                c.problems.append(prob.located(path=_join("park", prob.path)))
        except ParkplanError as exc:
            c.err("park.refdata_overrides", exc.nl, exc.en, None, "invalid")
    if c.n_errors or park_kw is None or "id" not in park_kw or "name" not in park_kw:
        return None, c.problems
    park = Park(**park_kw, companies=[co for _, co, _ in companies])
    return park, c.problems


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for p in problems:
        k = (p.path, p.nl, p.severity)
        if k not in seen:
            seen.add(k)
            out.append(p)
    return out


def validate_document(doc: Any, *, source: str | None = None) -> list[Problem]:
    """Every problem of a park document (errors and warnings); never raises.

    Parameters
    ----------
    doc
        The parsed document (a mapping with ``format``, ``park`` and ``companies``).
    source
        File name to put on each problem (``Problem.file``).
    """
    _, problems = _validate_checked(doc)
    return _locate(problems, source)


def _validate_checked(doc: Any) -> tuple[Park | None, list[Problem]]:
    park, problems = _validate(doc)
    return park, _dedupe(problems)


def _locate(problems: list[Problem], source: str | None) -> list[Problem]:
    if not source:
        return problems
    return [p if p.file else p.located(file=source) for p in problems]


def park_from_document(
    doc: Mapping[str, Any], *, source: str | None = None
) -> tuple[Park, list[Problem]]:
    """Validate a park document completely and build the :class:`Park`.

    Parameters
    ----------
    doc
        The parsed document: ``{format: parkplan/1, park: {...}, companies: [...]}``.
    source
        File name to put on each problem.

    Returns
    -------
    (park, warnings)
        The park and the warnings (implausible values) found.

    Raises
    ------
    ValidationError
        When there is any error; ``.problems`` lists every error and warning at once.
    """
    park, problems = _validate_checked(doc)
    problems = _locate(problems, source)
    if park is None or any(p.severity == "error" for p in problems):
        raise ValidationError(problems=problems, source=source)
    return park, problems


def company_from_document(
    doc: Mapping[str, Any], *, path: str = "company", source: str | None = None
) -> tuple[Company | None, list[Problem]]:
    """Validate one company mapping (park-file structure) without raising.

    Duplicates across companies are not checked here (use :func:`park_from_document`).

    Returns
    -------
    (company, problems)
        ``company`` is ``None`` when there are errors.
    """
    c = _Collector()
    kw = _read_entity("company", doc, path, c)
    company = None
    if kw is not None:
        built = _build_company(kw, doc, path, c)
        if built is not _MISSING and not c.n_errors:
            company = built
    return company, _locate(_dedupe(c.problems), source)


# ------------------------------------------------------------------------------------------
# writing
# ------------------------------------------------------------------------------------------


def _out_number(x: Any) -> Any:
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return int(x)
    return x


def _entity_to_doc(entity: str, obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in ENTITIES[entity]:
        if spec.key == "origins":
            continue
        if entity == "company" and spec.key in ("connection", "connections"):
            if spec.key == "connection":
                conns = obj.connections
                if len(conns) == 1:
                    out["connection"] = _entity_to_doc("connection", conns[0])
                elif conns:
                    out["connections"] = [_entity_to_doc("connection", x) for x in conns]
            continue
        value = getattr(obj, spec.attribute)
        if value is None:
            continue
        if spec.kind == "object":
            assert spec.entity is not None
            out[spec.key] = _entity_to_doc(spec.entity, value)
        elif spec.kind == "list":
            assert spec.entity is not None
            if value:
                out[spec.key] = [_entity_to_doc(spec.entity, x) for x in value]
        elif spec.kind == "interest":
            if value:
                out[spec.key] = {k: _Quoted(v) for k, v in value.items()}
        elif spec.kind in ("overrides", "text_list"):
            if value:
                out[spec.key] = json.loads(json.dumps(value))
        elif spec.kind == "geometry":
            out[spec.key] = json.loads(json.dumps(value))
        elif spec.kind == "bool" and entity == "park" and spec.key == "illustrative":
            if value:
                out[spec.key] = True
        else:
            out[spec.key] = _out_number(value)
    origins = getattr(obj, "origins", None)
    if origins:
        by_attr = {s.attribute: s.key for s in ENTITIES[entity]}
        out["origins"] = {by_attr.get(k, k): Origin(v).value for k, v in origins.items()}
    return out


def park_to_document(park: Park) -> dict[str, Any]:
    """The park as a ``parkplan/1`` document (plain dicts, lists and scalars).

    Reading the result with :func:`park_from_document` gives a park equal to ``park``.
    """
    park_doc = _entity_to_doc("park", park)
    park_doc.pop("companies", None)
    return {
        "format": FORMAT,
        "park": park_doc,
        "companies": [_entity_to_doc("company", co) for co in park.companies],
    }


class _Quoted(str):
    """Text always written with quotes in YAML (answers yes/maybe/no)."""

    __slots__ = ()


class _Dumper(yaml.SafeDumper):
    """Safe dumper that indents lists under their key and never uses aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_Dumper.add_representer(
    _Quoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style='"')
)


def _numeric_tree(value: Any) -> bool:
    if isinstance(value, list):
        return all(_numeric_tree(v) for v in value)
    return isinstance(value, int | float) and not isinstance(value, bool)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    """Lists of numbers (GeoJSON coordinates) on one line, other lists as blocks."""
    flow = bool(data) and _numeric_tree(data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def dump_park(park: Park, fmt: Literal["yaml", "json"] = "yaml") -> str:
    """The park as ``parkplan/1`` text in YAML or JSON.

    YAML keeps identifiers and the answers yes/maybe/no quoted, so that other YAML readers
    do not turn them into numbers or booleans. Illustrative parks say so in a header line.
    """
    doc = park_to_document(park)
    if fmt == "json":
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if fmt != "yaml":
        raise ValueError(f"unknown format {fmt!r}; expected 'yaml' or 'json'")
    header = f"# parkplan park file, format {FORMAT} (docs/parkfile.md)\n"
    if park.illustrative:
        header += "# ILLUSTRATIEF: synthetische gegevens / illustrative: synthetic data\n"
    body = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return header + body


# ------------------------------------------------------------------------------------------
# reading files
# ------------------------------------------------------------------------------------------


_SafeLoaderBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it (ten times faster), else Python's."""


class _Loader(_SafeLoaderBase):
    """Safe YAML loader for park files.

    Unlike YAML 1.1, only ``true``/``false`` are booleans (``yes``/``no``/``on``/``off``
    stay text, so the answers yes/maybe/no survive), numbers with a leading zero stay text
    (``kvk: 01234567``), dates stay text, and duplicate keys are recorded.
    """

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int]] = []


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag
        not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789")
)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> Any:
    keys: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hashable = key in keys
        except TypeError:
            continue
        if hashable:
            loader.duplicates.append((str(key), key_node.start_mark.line + 1))
        keys.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str) -> tuple[Any, list[tuple[str, int]]]:
    """Parse park-file YAML safely; returns the data and duplicate keys ``(key, line)``."""
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    return data, loader.duplicates


def _file_error(name: str, nl: str, en: str, code: str, value: Any = None) -> ValidationError:
    return ValidationError(
        problems=[error("", nl, en, value=value, code=code).located(file=name)], source=name
    )


_SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".ods")


def read_document(path: str | Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read a park file into a document without validating its content.

    Returns
    -------
    (document, metadata)
        ``metadata`` has ``file``, ``format`` (``yaml``/``json``), ``size_bytes`` and
        ``lines`` (line number per path, see :func:`line_index`).

    Raises
    ------
    ValidationError
        Missing or empty file, a file over the size limit (``PARKPLAN_MAX_UPLOAD_BYTES``),
        text that is not YAML or JSON, or a document that is not an object.
    """
    from parkplan.settings import get_settings

    p = Path(path)
    name = p.name
    if not p.is_file():
        raise _file_error(name, f"bestand niet gevonden: {p}", f"file not found: {p}", "not_found")
    size = p.stat().st_size
    limit = get_settings().max_upload_bytes
    if size > limit:
        raise _file_error(
            name,
            f"bestand is te groot: {fmt_nl(size)} bytes; de grens is {fmt_nl(limit)} bytes "
            "(PARKPLAN_MAX_UPLOAD_BYTES)",
            f"file is too large: {_fmt_en(size)} bytes; the limit is {_fmt_en(limit)} bytes "
            "(PARKPLAN_MAX_UPLOAD_BYTES)",
            "too_large",
            size,
        )
    if p.suffix.lower() in _SPREADSHEET_SUFFIXES:
        raise _file_error(
            name,
            f"dit is een spreadsheet ({p.suffix}), geen parkbestand; lees een inventarisatie in "
            "met 'parkplan import BESTAND --park ID'",
            f"this is a spreadsheet ({p.suffix}), not a park file; read an inventory with "
            "'parkplan import FILE --park ID'",
            "wrong_format",
        )
    raw = p.read_bytes()
    if not raw.strip():
        raise _file_error(
            name,
            f"bestand is leeg; verwacht een parkbestand (YAML of JSON) met format: {FORMAT}",
            f"file is empty; expected a park file (YAML or JSON) with format: {FORMAT}",
            "empty",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(
            name,
            "geen tekstbestand in UTF-8; verwacht een parkbestand (YAML of JSON)",
            "not a UTF-8 text file; expected a park file (YAML or JSON)",
            "not_text",
        ) from None
    suffix = p.suffix.lower()
    fmt = "json" if suffix == ".json" else "yaml"
    duplicates: list[tuple[str, int]] = []
    try:
        if fmt == "json":
            data = json.loads(text)
        else:
            data, duplicates = load_yaml(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f" (regel {mark.line + 1}, kolom {mark.column + 1})"
        elif isinstance(exc, json.JSONDecodeError):
            where = f" (regel {exc.lineno}, kolom {exc.colno})"
        where_en = where.replace("regel", "line").replace("kolom", "column")
        kind = "JSON" if fmt == "json" else "YAML"
        reason = getattr(exc, "problem", None) or getattr(exc, "msg", None) or str(exc)
        raise _file_error(
            name,
            f"geen geldige {kind}{where}: {reason}",
            f"not valid {kind}{where_en}: {reason}",
            "not_parseable",
        ) from None
    if duplicates:
        raise ValidationError(
            problems=[
                error(
                    "",
                    f"sleutel '{k}' komt dubbel voor (regel {line}); verwacht elke "
                    "sleutel één keer",
                    f"key '{k}' occurs twice (line {line}); expected each key once",
                    value=k,
                    code="duplicate",
                ).located(file=name, row=line)
                for k, line in duplicates
            ],
            source=name,
        )
    if not isinstance(data, dict):
        tn = _type_name(data)
        raise _file_error(
            name,
            f"geen parkbestand: de inhoud is {tn[0]}, verwacht een object "
            f"met format: {FORMAT}, park en companies",
            f"not a park file: the "
            f"content is {tn[1]}, expected an object with format: {FORMAT}, park "
            "and companies",
            "not_a_park_file",
        )
    if "format" not in data:
        raise _file_error(
            name,
            f"geen parkbestand: de sleutel 'format' ontbreekt; verwacht format: {FORMAT}",
            f"not a park file: the key 'format' is missing; expected format: {FORMAT}",
            "missing",
        )
    if data["format"] not in SUPPORTED_FORMATS:
        raise _file_error(
            name,
            f"onbekende formaatversie '{data['format']}'; deze versie van "
            f"parkplan leest {', '.join(SUPPORTED_FORMATS)}",
            f"unknown format "
            f"version '{data['format']}'; this version of parkplan reads "
            f"{', '.join(SUPPORTED_FORMATS)}",
            "unknown_format",
            data["format"],
        )
    return data, {"file": str(p), "format": fmt, "size_bytes": size, "lines": line_index(text)}


def read_park_file(path: str | Path) -> tuple[Park, list[Problem]]:
    """Read and validate a park file (``.yaml``, ``.yml`` or ``.json``).

    Each problem names the file and, where it can be found, the line (``Problem.row``).

    Returns
    -------
    (park, warnings)

    Raises
    ------
    ValidationError
        Every problem at once, each with the file name; see :func:`read_document` for the
        file-level checks.
    """
    doc, meta = read_document(path)
    name = Path(meta["file"]).name
    try:
        park, warnings = park_from_document(doc, source=name)
    except ValidationError as exc:
        raise ValidationError(
            problems=with_lines(list(exc.problems), meta["lines"]), source=name
        ) from None
    return park, with_lines(warnings, meta["lines"])


def validate_file(path: str | Path) -> list[Problem]:
    """Every problem of a park file (file-level problems included); never raises."""
    try:
        doc, meta = read_document(path)
    except ValidationError as exc:
        return list(exc.problems)
    problems = validate_document(doc, source=Path(meta["file"]).name)
    return with_lines(problems, meta["lines"])


def line_index(text: str) -> dict[str, int]:
    """Line number (1-based) of every key and list item of a YAML or JSON text, by path
    (``companies[2].connection.contracted_kw``); empty when the text does not parse."""
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError:
        return {}
    index: dict[str, int] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                p = _join(path, str(key_node.value))
                index.setdefault(p, key_node.start_mark.line + 1)
                walk(value_node, p)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                p = f"{path}[{i}]"
                index.setdefault(p, item.start_mark.line + 1)
                walk(item, p)

    if root is not None:
        walk(root, "")
    return index


_LAST_PART = re.compile(r"(?:\.[^.\[\]]+|\[\d+\])$")


def with_lines(problems: list[Problem], index: Mapping[str, int]) -> list[Problem]:
    """Problems with ``row`` set to the line of their path (or of the nearest enclosing
    object, for a missing key) when ``index`` knows it."""
    out = []
    for p in problems:
        path = p.path
        while path and path not in index:
            shorter = _LAST_PART.sub("", path)
            path = "" if shorter == path else shorter
        out.append(p.located(row=index[path]) if p.row is None and path else p)
    return out


# ------------------------------------------------------------------------------------------
# JSON Schema
# ------------------------------------------------------------------------------------------

SCHEMA_ID = "https://parkplan.example/schema/parkfile-v1.schema.json"


def _scalar_schema(spec: FieldSpec) -> dict[str, Any]:
    k = spec.kind
    s: dict[str, Any]
    if k in ("number", "integer"):
        s = {"type": k}
        if spec.minimum is not None:
            s["minimum"] = spec.minimum
        if spec.maximum is not None:
            s["maximum"] = spec.maximum
    elif k in ("text", "email"):
        s = {"type": "string", "minLength": 1}
        if k == "email":
            s["pattern"] = _EMAIL.pattern
    elif k == "id":
        s = {"type": ["string", "integer"], "minLength": 1}
    elif k == "park_id":
        s = {"type": "string", "pattern": _PARK_ID.pattern}
    elif k == "bool":
        s = {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": sorted(_TRUE | _FALSE)}]}
    elif k == "enum":
        s = {"type": "string", "enum": list(spec.choices)}
    elif k == "ean":
        s = {
            "type": ["string", "integer"],
            "pattern": r"^\s*\d{18}\s*$",
            "minimum": 10**17,
            "maximum": 10**18 - 1,
        }
    elif k == "kvk":
        s = {
            "type": ["string", "integer"],
            "pattern": r"^\s*\d{8}\s*$",
            "minimum": 10**7,
            "maximum": 10**8 - 1,
        }
    elif k == "sbi":
        s = {"type": ["string", "integer"], "pattern": r"^\s*\d{2}(\.?\d){0,3}\s*$", "minimum": 10}
    elif k == "postcode":
        s = {"type": "string", "pattern": _POSTCODE_SCHEMA}
    elif k == "fuse":
        s = {"type": "string", "pattern": _FUSE.pattern}
    elif k == "bag_pand_id":
        s = {"type": ["string", "integer"], "pattern": _BAG_PAND.pattern}
    elif k == "text_list":
        s = {"type": "array", "items": {"type": "string", "minLength": 1}}
    elif k == "interest":
        s = {
            "type": "object",
            "propertyNames": {"enum": list(spec.choices)},
            "additionalProperties": {"anyOf": [{"enum": list(ANSWERS)}, {"type": "boolean"}]},
        }
    elif k == "geometry":
        s = {
            "type": "object",
            "required": ["type", "coordinates"],
            "properties": {
                "type": {"enum": ["Polygon", "MultiPolygon"]},
                "coordinates": {"type": "array", "minItems": 1},
            },
        }
    elif k == "overrides":
        s = {"type": "object", "additionalProperties": {"type": ["number", "string", "object"]}}
    elif k == "time_blocks":
        clock = {"type": "string", "pattern": _CLOCK.pattern}
        s = {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["from", "to", "kw"],
                "additionalProperties": False,
                "properties": {
                    "from": clock,
                    "to": clock,
                    "kw": {"type": "number", "minimum": 0},
                    "months": {"type": "array", "items": {"type": "integer", "minimum": 1,
                                                          "maximum": 12}},
                    "weekdays": {"type": "array", "items": {"type": "integer", "minimum": 0,
                                                            "maximum": 6}},
                },
            },
        }  # fmt: skip
    else:  # pragma: no cover
        raise AssertionError(k)
    return s


_POSTCODE_SCHEMA = r"^\s*[1-9][0-9]{3}\s?(?!SA|SD|SS|sa|sd|ss)[A-Za-z]{2}\s*$"


def _entity_schema(entity: str) -> dict[str, Any]:
    props: dict[str, Any] = {}
    required: list[str] = []
    for spec in ENTITIES[entity]:
        if spec.key == "origins":
            names = [
                s.key
                for s in ENTITIES[entity]
                if s.kind not in ("object", "list") and s.key != "origins"
            ]
            sch: dict[str, Any] = {
                "type": "object",
                "propertyNames": {"enum": names},
                "additionalProperties": {"enum": list(ORIGINS)},
            }
        elif spec.kind == "object":
            sch = {"$ref": f"#/$defs/{spec.entity}"}
        elif spec.kind == "list":
            sch = {"type": "array", "items": {"$ref": f"#/$defs/{spec.entity}"}}
        else:
            sch = _scalar_schema(spec)
        desc = spec.en + (f" [{spec.unit}]" if spec.unit else "")
        props[spec.key] = {"description": desc, **sch}
        if spec.required:
            required.append(spec.key)
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = required
    if entity == "company":
        out["not"] = {"required": ["connection", "connections"]}
    if entity == "connection":
        out["if"] = {
            "properties": {"kind": {"const": "grootverbruik"}, "carrier": {"const": "electricity"}},
            "required": ["kind"],
        }
        out["then"] = {"required": ["contracted_kw"]}
    return out


def build_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of format ``parkplan/1``, from :data:`ENTITIES`.

    The schema checks structure, types, ranges and patterns; the validator checks more
    (EAN check digits, the SBI list, duplicates, plausibility).
    """
    defs = {name: _entity_schema(name) for name in ENTITIES if name != "document"}
    root = _entity_schema("document")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "parkplan park file, format parkplan/1",
        "description": "One business park and its companies. Units are in the key names. "
        "See docs/parkfile.md.",
        **root,
        "$defs": defs,
    }


def schema_path() -> Path:
    """Where the published schema file lives in the package."""
    return Path(__file__).resolve().parent / "schema" / "parkfile-v1.schema.json"
