"""Inventory spreadsheets as Dutch offices have them: Excel (.xlsx) and CSV from Dutch Excel.

An inventory has one row per company on the sheet **Bedrijven** (``Companies``), with its
main electricity connection and one roof. More roofs and connections go on the optional
sheets **Daken** and **Aansluitingen**, one row each, keyed by the company id
(``Bedrijf-id``). The optional sheet **Park** holds the park-level fields as
``Veld | Waarde`` rows; the sheet **Toelichting** explains every column. A CSV file holds
the Bedrijven table only.

:func:`read_inventory` turns such a file into a park document in the park-file v1
structure (the same dictionaries a park file holds), so that one set of semantic rules
(:func:`parkplan.io.parkfile.park_from_document`) checks both. Cell-level problems
(non-numbers, negative values, identifiers that Excel mangled) are found here and name
file, row (as the user sees it: the header is row 1), column header and value;
:meth:`InventoryReading.locate` maps a problem of the semantic rules, whose ``path`` is
like ``companies[3].connection.ean``, back to its row and column.

:func:`write_template` writes the empty (or pre-filled) Excel template.

Values from an inventory are *reported* by the company unless a ``Bron ...`` column says
otherwise (``gemeten`` / ``opgegeven`` / ``open data`` / ``geschat``).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from parkplan.domain.errors import Problem, error, warning
from parkplan.domain.model import (
    BUILDING_USES,
    ENERGY_LABELS,
    GRID_LEVELS,
    MEASURES,
    OPERATING_HOURS_CLASSES,
    Origin,
)
from parkplan.io.dutch_numbers import (
    CellError,
    clean_text,
    format_dutch,
    is_empty,
    normalise_header,
    parse_bag_id,
    parse_ean,
    parse_kvk,
    parse_number,
    parse_postcode,
    parse_sbi,
)

FORMAT = "parkplan/1"
"""The park-file format version of the documents produced here."""

COMPANIES_SHEET = "Bedrijven"
ROOFS_SHEET = "Daken"
CONNECTIONS_SHEET = "Aansluitingen"
PARK_SHEET = "Park"
HELP_SHEET = "Toelichting"
SHEET_ALIASES: dict[str, tuple[str, ...]] = {
    COMPANIES_SHEET: ("bedrijven", "companies", "bedrijf", "inventarisatie", "inventaris"),
    ROOFS_SHEET: ("daken", "roofs", "dak"),
    CONNECTIONS_SHEET: ("aansluitingen", "connections", "aansluiting"),
    PARK_SHEET: ("park", "bedrijventerrein"),
}

ANSWERS_NL: dict[str, str] = {"ja": "yes", "misschien": "maybe", "nee": "no"}
ORIGINS_NL: dict[str, str] = {
    "gemeten": Origin.MEASURED.value,
    "opgegeven": Origin.REPORTED.value,
    "open data": Origin.OPEN_DATA.value,
    "geschat": Origin.ESTIMATED.value,
}
KINDS_NL: dict[str, str] = {"kleinverbruik": "kleinverbruik", "grootverbruik": "grootverbruik"}
OWNER_NL: dict[str, str] = {"eigenaar": "owner", "huurder": "tenant"}
CARRIER_NL: dict[str, str] = {"elektriciteit": "electricity", "gas": "gas"}
YES_NO_NL: dict[str, bool] = {"ja": True, "nee": False}
_YES_NO_CHOICES: dict[str, bool] = {
    **YES_NO_NL,
    "waar": True,  # Dutch Excel writes TRUE/FALSE as WAAR/ONWAAR in CSV
    "onwaar": False,
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
}

MEASURES_NL: dict[str, str] = {
    "energy_hub": "energiehub",
    "shared_solar": "gedeelde zonnepanelen",
    "shared_battery": "gedeelde batterij",
    "rooftop_pv": "zonnepanelen op eigen dak",
    "battery": "eigen batterij",
    "heat_pump": "warmtepomp",
    "ev_charging": "laadpalen",
    "joint_procurement": "gezamenlijke inkoop",
    "greening": "vergroening",
    "water_storage": "waterberging",
}
ELECTRIFICATION_NL: dict[str, str] = {
    "warmtepomp": "heat_pump",
    "elektrisch wagenpark": "ev_fleet",
    "elektrische voertuigen": "ev_fleet",
    "wagenpark": "ev_fleet",
    "elektrisch proces": "electric_process",
    "elektrificatie proces": "electric_process",
    "proces": "electric_process",
}


# ------------------------------------------------------------------------------ columns


@dataclass(frozen=True)
class Column:
    """One column of an inventory sheet and where its value goes in the park document.

    ``key`` is the path relative to the row's object (a company on Bedrijven, a roof on
    Daken, ...), e.g. ``electricity.annual_kwh`` or ``roofs[0].area_m2``.
    """

    key: str
    header: str
    """Dutch header as written in the template, unit in brackets."""
    kind: str
    """text, number, integer, fraction, ean, kvk, sbi, postcode, bag, choice, bool, origin,
    list."""
    meaning: str
    """Dutch explanation for the Toelichting sheet."""
    example: str = ""
    mandatory: str = "nee"
    """``ja``, ``nee`` or a condition in Dutch (for the Toelichting sheet)."""
    unit: str | None = None
    """Canonical unit of the value, as written between brackets in the header."""
    aliases: tuple[str, ...] = ()
    """Other accepted headers (English, short forms)."""
    choices: Mapping[str, Any] | None = None
    """Dutch cell text -> value in the document (codes are accepted too)."""
    minimum: float | None = 0.0
    maximum: float | None = None
    origin_of: tuple[str, ...] = ()
    """For ``origin`` columns: the keys whose origin this column states."""
    width: int = 18

    @property
    def identifier(self) -> bool:
        """True for columns that must be text in Excel (EAN, KvK, SBI, postcode, BAG id)."""
        return self.kind in ("ean", "kvk", "sbi", "postcode", "bag") or self.key == "id"


_ANSWER_CHOICES = {**ANSWERS_NL, "yes": "yes", "maybe": "maybe", "no": "no"}
_ORIGIN_CHOICES = {**ORIGINS_NL, **{o.value: o.value for o in Origin}, "opendata": "open_data"}
_KIND_CHOICES = {**KINDS_NL, "kv": "kleinverbruik", "gv": "grootverbruik"}
_OWNER_CHOICES = {**OWNER_NL, "owner": "owner", "tenant": "tenant"}
_CARRIER_CHOICES = {**CARRIER_NL, "electricity": "electricity", "elektra": "electricity"}
_HOURS_CHOICES = {c: c for c in OPERATING_HOURS_CLASSES}
_GRID_CHOICES = {g: g for g in GRID_LEVELS}

ELECTRICITY_KEYS = (
    "electricity.annual_kwh",
    "electricity.annual_feed_in_kwh",
    "electricity.annual_produced_kwh",
    "electricity.peak_kw",
)


CONNECTION_ORIGIN_FIELDS = (
    "fuse",
    "contracted_kw",
    "contracted_feed_in_kw",
    "physical_kva",
    "grid_level",
)
"""Connection fields whose origin the column "Bron aansluitgegevens" states."""


def _connection_columns(prefix: str, *, main: bool) -> list[Column]:
    extra = "" if main else " (deze aansluiting)"
    return [
        Column(
            f"{prefix}ean",
            "EAN-code aansluiting" if not main else "EAN elektriciteitsaansluiting",
            "ean",
            "De 18-cijferige EAN-code van de aansluiting (op de energienota of via "
            "eancodeboek.nl). Als tekst invullen, anders maakt Excel er 8,71234E+17 van." + extra,
            "871234567890001018",
            "ja, als er een aansluiting is",
            aliases=("ean", "ean code", "ean-code", "ean elektriciteit", "connection ean"),
            width=22,
        ),
        Column(
            f"{prefix}kind",
            "Soort aansluiting",
            "choice",
            "kleinverbruik (tot en met 3x80A) of grootverbruik (groter dan 3x80A).",
            "grootverbruik",
            "ja, als er een aansluiting is",
            aliases=("soort", "kind", "connection kind", "klein- of grootverbruik"),
            choices=_KIND_CHOICES,
        ),
        Column(
            f"{prefix}fuse",
            "Zekering (kleinverbruik)",
            "text",
            "Alleen bij kleinverbruik: de hoofdzekering, zoals 3x25A, 3x35A, 3x50A, 3x63A "
            "of 3x80A.",
            "3x35A",
            aliases=("zekering", "fuse", "hoofdzekering"),
        ),
        Column(
            f"{prefix}contracted_kw",
            "Gecontracteerd vermogen afname [kW]",
            "number",
            "Alleen bij grootverbruik: het gecontracteerd transportvermogen voor afname "
            "(GTV) volgens het contract met de netbeheerder.",
            "160",
            unit="kW",
            aliases=("gtv", "gtv afname", "contracted kw", "contracted capacity"),
            width=22,
        ),
        Column(
            f"{prefix}contracted_feed_in_kw",
            "Gecontracteerd vermogen teruglevering [kW]",
            "number",
            "Alleen bij grootverbruik: het gecontracteerd transportvermogen voor teruglevering.",
            "160",
            unit="kW",
            aliases=("gtv teruglevering", "contracted feed in kw", "contracted feed-in"),
            width=22,
        ),
        Column(
            f"{prefix}physical_kva",
            "Fysiek vermogen aansluiting [kVA]",
            "number",
            "Het fysieke vermogen van de aansluiting (bijvoorbeeld 173 kVA bij 3x250A).",
            "173",
            unit="kVA",
            aliases=("fysiek vermogen", "physical kva", "aansluitcapaciteit"),
        ),
        Column(
            f"{prefix}grid_level",
            "Netvlak",
            "choice",
            "Het netvlak waarop de aansluiting fysiek zit: LS, MS/LS, MS, HS/MS of HS.",
            "MS/LS",
            aliases=("grid level", "spanningsniveau"),
            choices=_GRID_CHOICES,
        ),
        Column(
            f"{prefix}origins",
            "Bron aansluitgegevens",
            "origin",
            "Waar de vermogens van de aansluiting vandaan komen: gemeten (contract of meter), "
            "opgegeven, open data of geschat. Leeg: opgegeven.",
            "gemeten",
            aliases=("bron aansluiting", "connection source"),
            choices=_ORIGIN_CHOICES,
            origin_of=CONNECTION_ORIGIN_FIELDS,
        ),
    ]


def _roof_columns(prefix: str) -> list[Column]:
    return [
        Column(
            f"{prefix}area_m2",
            "Dakoppervlak [m2]",
            "number",
            "Oppervlakte van het dakvlak (uit BAG of bouwtekening).",
            "4200",
            "ja, als er een dak is",
            unit="m2",
            aliases=("dakoppervlakte", "roof area", "dak"),
        ),
        Column(
            f"{prefix}usable_fraction",
            "Bruikbaar deel dak [0-1]",
            "fraction",
            "Deel van het dak dat geschikt is voor zonnepanelen (0 tot 1; 55% mag ook). Leeg: 0,5.",
            "0,55",
            aliases=("bruikbaar deel", "usable fraction", "geschikt deel dak"),
            maximum=1.0,
        ),
        Column(
            f"{prefix}tilt_deg",
            "Dakhelling [graden]",
            "number",
            "Hellingshoek van het dak ten opzichte van horizontaal (plat dak: 0 tot 10). Leeg: 10.",
            "10",
            unit="graden",
            aliases=("helling", "tilt", "tilt deg", "dakhelling"),
            maximum=90.0,
        ),
        Column(
            f"{prefix}azimuth_deg",
            "Oriëntatie dak [graden, 180 = zuid]",
            "number",
            "Richting van het dakvlak, met de klok mee vanaf het noorden: 90 oost, 180 zuid, "
            "270 west. Leeg: 180.",
            "180",
            unit="graden",
            aliases=("orientatie", "azimuth", "azimuth deg", "oriëntatie"),
            maximum=360.0,
        ),
        Column(
            f"{prefix}existing_pv_kwp",
            "Bestaande zonnepanelen [kWp]",
            "number",
            "Vermogen van de zonnepanelen die al op dit dakvlak liggen. Leeg: 0.",
            "0",
            unit="kWp",
            aliases=("bestaande pv", "existing pv kwp", "existing pv", "zonnepanelen"),
        ),
        Column(
            f"{prefix}bag_pand_id",
            "BAG pand-id",
            "bag",
            "Het 16-cijferige pand-id uit de Basisregistratie Adressen en Gebouwen.",
            "0118100000212345",
            aliases=("pand id", "bag id", "bag pand id", "pandid"),
            width=20,
        ),
    ]


COMPANY_COLUMNS: tuple[Column, ...] = (
    Column(
        "id",
        "Bedrijf-id",
        "text",
        "Korte vaste code van het bedrijf binnen het park, bijvoorbeeld c01. Leeg: "
        "parkplan nummert de rijen (b001, b002, ...). Nodig om extra daken en aansluitingen "
        "op de bladen Daken en Aansluitingen aan het bedrijf te koppelen.",
        "c01",
        aliases=("id", "bedrijfid", "company id", "code"),
        width=12,
    ),
    Column(
        "name",
        "Bedrijfsnaam",
        "text",
        "Naam van het bedrijf (de vestiging op het park).",
        "Transport Bakker BV",
        "ja",
        aliases=("naam", "name", "company", "company name", "bedrijf", "handelsnaam"),
        width=30,
    ),
    Column(
        "kvk",
        "KvK-nummer",
        "kvk",
        "Het 8-cijferige nummer bij de Kamer van Koophandel, als tekst (met voorloopnul).",
        "01234567",
        aliases=("kvk", "kvk nummer", "kvk number", "chamber of commerce number"),
        width=12,
    ),
    Column(
        "sbi",
        "SBI-code",
        "sbi",
        "De hoofdactiviteit volgens de Standaard Bedrijfsindeling 2008 (CBS), als tekst, "
        "bijvoorbeeld 4941 (vervoer van goederen over de weg).",
        "4941",
        aliases=("sbi", "sbi code", "sbicode", "activiteit"),
        width=10,
    ),
    Column(
        "address",
        "Adres",
        "text",
        "Straat en huisnummer van de vestiging.",
        "Industrieweg 12",
        aliases=("address", "straat", "straat en huisnummer"),
        width=24,
    ),
    Column(
        "postcode",
        "Postcode",
        "postcode",
        "Postcode van de vestiging: 4 cijfers en 2 letters (met of zonder spatie).",
        "7903 AB",
        aliases=("postcode", "postal code", "zip"),
        width=10,
    ),
    Column(
        "employees",
        "Aantal medewerkers",
        "integer",
        "Aantal werkzame personen op deze vestiging.",
        "35",
        aliases=("medewerkers", "werkzame personen", "employees", "fte", "aantal werknemers"),
    ),
    Column(
        "floor_area_m2",
        "Vloeroppervlak [m2]",
        "number",
        "Bruto vloeroppervlak van de gebouwen van het bedrijf.",
        "5200",
        unit="m2",
        aliases=("vloeroppervlakte", "floor area", "floor area m2", "bvo"),
    ),
    Column(
        "office_area_m2",
        "Kantooroppervlak [m2]",
        "number",
        "Vloeroppervlak met kantoorfunctie (belangrijk voor de label-C-plicht).",
        "650",
        unit="m2",
        aliases=("kantoor", "office area", "office area m2", "kantooroppervlakte"),
    ),
    Column(
        "operating_hours_class",
        "Bedrijfstijdenklasse [uur/jaar]",
        "choice",
        "Aantal bedrijfsuren per jaar: <=2000, 2000-3000, 3000-5000 of >5000. Leeg: "
        "afgeleid uit de SBI-code.",
        "2000-3000",
        aliases=("bedrijfstijden", "operating hours class", "bedrijfsuren"),
        choices=_HOURS_CHOICES,
    ),
    Column(
        "building_owner",
        "Eigenaar of huurder",
        "choice",
        "Is het bedrijf eigenaar van het pand of huurt het? (eigenaar / huurder)",
        "eigenaar",
        aliases=("eigenaar", "building owner", "owner or tenant", "eigendom"),
        choices=_OWNER_CHOICES,
    ),
    Column(
        "energy_label",
        "Energielabel",
        "choice",
        "Energielabel van het pand (EP-Online): A+++++ t/m G. Kantoren moeten label C of beter "
        "hebben.",
        "C",
        aliases=("energielabel", "label", "energy label", "energieklasse"),
        choices={label: label for label in ENERGY_LABELS},
    ),
    Column(
        "construction_year",
        "Bouwjaar",
        "integer",
        "Bouwjaar van het pand (BAG).",
        "1998",
        aliases=("bouwjaar", "construction year", "year built"),
        minimum=1000,
        maximum=2100,
    ),
    Column(
        "building_use",
        "Gebruiksdoel (BAG)",
        "list",
        "Gebruiksdoelen van het pand volgens de BAG, met komma's: kantoorfunctie, "
        "industriefunctie, winkelfunctie ...",
        "industriefunctie, kantoorfunctie",
        aliases=("gebruiksdoel", "gebruiksdoelen", "building use"),
        choices={use: use for use in BUILDING_USES},
        width=24,
    ),
    Column(
        "origins",
        "Bron pandgegevens",
        "origin",
        "Waar energielabel, bouwjaar en gebruiksdoel vandaan komen: gemeten, opgegeven, "
        "open data of geschat. Leeg: opgegeven.",
        "open data",
        aliases=("bron pand", "building data source"),
        choices=_ORIGIN_CHOICES,
        origin_of=("energy_label", "construction_year", "building_use"),
    ),
    Column(
        "electricity.annual_kwh",
        "Jaarverbruik elektriciteit [kWh]",
        "number",
        "Afname van het net in een jaar (volgens meter of jaarnota), zonder eigen opwek.",
        "310000",
        "ja, als er elektriciteitsgegevens zijn",
        unit="kWh",
        aliases=(
            "jaarverbruik elektriciteit",
            "elektriciteitsverbruik",
            "annual kwh",
            "annual electricity",
            "electricity use",
        ),
        width=22,
    ),
    Column(
        "electricity.annual_feed_in_kwh",
        "Teruglevering elektriciteit [kWh/jaar]",
        "number",
        "Teruglevering aan het net in een jaar. Leeg: 0.",
        "0",
        unit="kWh",
        aliases=("teruglevering", "annual feed in kwh", "feed-in", "feed in"),
        width=22,
    ),
    Column(
        "electricity.annual_produced_kwh",
        "Eigen opwek elektriciteit [kWh/jaar]",
        "number",
        "Eigen productie (bijvoorbeeld zonnepanelen) in een jaar, als die gemeten is.",
        "300000",
        unit="kWh",
        aliases=("eigen opwek", "opwek", "annual produced kwh", "own production"),
        width=22,
    ),
    Column(
        "electricity.peak_kw",
        "Piekvermogen afname [kW]",
        "number",
        "Hoogste kwartiergemiddelde afname van het jaar (kWmax), als die bekend is.",
        "118",
        unit="kW",
        aliases=("piekvermogen", "piek", "peak kw", "kwmax", "peak"),
    ),
    Column(
        "electricity.origins",
        "Bron jaarverbruik elektriciteit",
        "origin",
        "Waar de elektriciteitscijfers vandaan komen: gemeten (meter of nota), opgegeven "
        "(door het bedrijf), open data of geschat. Leeg: opgegeven.",
        "gemeten",
        aliases=("bron jaarverbruik", "bron elektriciteit", "electricity source", "bron"),
        choices=_ORIGIN_CHOICES,
        origin_of=tuple(k.split(".", 1)[1] for k in ELECTRICITY_KEYS),
    ),
    Column(
        "gas.annual_m3",
        "Jaarverbruik gas [m3]",
        "number",
        "Aardgasverbruik in een jaar.",
        "18000",
        unit="m3",
        aliases=("gasverbruik", "jaarverbruik gas", "annual m3", "gas", "gas use"),
    ),
    Column(
        "gas.origins",
        "Bron gasverbruik",
        "origin",
        "Waar het gasverbruik vandaan komt: gemeten, opgegeven, open data of geschat. "
        "Leeg: opgegeven.",
        "opgegeven",
        aliases=("bron gas", "gas source"),
        choices=_ORIGIN_CHOICES,
        origin_of=("annual_m3",),
    ),
    *_connection_columns("connection.", main=True),
    *_roof_columns("roofs[0]."),
    Column(
        "roofs[0].origins",
        "Bron dakgegevens",
        "origin",
        "Waar de dakgegevens vandaan komen: gemeten (ingemeten), opgegeven, open data (BAG) "
        "of geschat. Leeg: opgegeven.",
        "open data",
        aliases=("bron dak", "roof source"),
        choices=_ORIGIN_CHOICES,
        origin_of=("area_m2", "usable_fraction", "tilt_deg", "azimuth_deg", "existing_pv_kwp"),
    ),
    Column(
        "engagement.bond_with_park",
        "Binding met het park [1-5]",
        "integer",
        "Hoe sterk voelt het bedrijf zich verbonden met het park? 1 (niet) tot 5 (heel sterk).",
        "4",
        aliases=("binding met park", "binding park", "bond with park"),
        minimum=1,
        maximum=5,
    ),
    Column(
        "engagement.bond_with_companies",
        "Binding met andere ondernemers [1-5]",
        "integer",
        "Hoe sterk is de band met de andere ondernemers op het park? 1 (niet) tot 5 (heel sterk).",
        "3",
        aliases=("binding ondernemers", "bond with companies"),
        minimum=1,
        maximum=5,
    ),
    *(
        Column(
            f"engagement.interest.{measure}",
            f"Interesse {label}",
            "choice",
            f"Heeft het bedrijf interesse in {label}? ja / misschien / nee.",
            "ja",
            aliases=(f"interest {measure}", f"interest {measure.replace('_', ' ')}"),
            choices=_ANSWER_CHOICES,
        )
        for measure in MEASURES
        for label in (MEASURES_NL.get(measure, measure.replace("_", " ")),)
    ),
    Column(
        "engagement.consent_share_data",
        "Toestemming delen energiedata",
        "bool",
        "Mag de parkmanager de energiegegevens van het bedrijf gebruiken? ja / nee.",
        "ja",
        aliases=("toestemming", "consent", "consent share data"),
        choices=_YES_NO_CHOICES,
    ),
    Column(
        "plans.electrification",
        "Plannen elektrificatie",
        "list",
        "Geplande elektrificatie, gescheiden door komma's: warmtepomp, elektrisch "
        "wagenpark, elektrisch proces.",
        "warmtepomp, elektrisch wagenpark",
        aliases=("elektrificatie", "electrification"),
        choices=ELECTRIFICATION_NL,
        width=26,
    ),
    Column(
        "plans.expansion",
        "Uitbreidingsplannen",
        "text",
        "Plannen voor uitbreiding (vrije tekst).",
        "nieuwe hal in 2027",
        aliases=("uitbreiding", "expansion"),
        width=26,
    ),
    Column(
        "plans.notes",
        "Opmerkingen",
        "text",
        "Overige opmerkingen (vrije tekst).",
        "",
        aliases=("opmerking", "notes", "toelichting"),
        width=30,
    ),
    Column(
        "contact.name",
        "Contactpersoon",
        "text",
        "Naam van de contactpersoon (persoonsgegeven: alleen met toestemming).",
        "J. Bakker",
        aliases=("contact", "contact name", "contactpersoon naam"),
        width=20,
    ),
    Column(
        "contact.email",
        "E-mail contactpersoon",
        "text",
        "E-mailadres van de contactpersoon.",
        "j.bakker@example.nl",
        aliases=("e-mail", "email", "contact email"),
        width=24,
    ),
    Column(
        "contact.phone",
        "Telefoon contactpersoon",
        "text",
        "Telefoonnummer van de contactpersoon.",
        "0528 123456",
        aliases=("telefoon", "phone", "contact phone"),
        width=16,
    ),
)
"""Columns of the Bedrijven sheet, in template order."""

_COMPANY_ID_COLUMN = Column(
    "company_id",
    "Bedrijf-id",
    "text",
    "De Bedrijf-id van het bedrijf op het blad Bedrijven.",
    "c02",
    "ja",
    aliases=("id", "bedrijfid", "company id", "code"),
    width=12,
)

ROOF_COLUMNS: tuple[Column, ...] = (
    _COMPANY_ID_COLUMN,
    *_roof_columns(""),
    Column(
        "origins",
        "Bron dakgegevens",
        "origin",
        "Waar de dakgegevens vandaan komen: gemeten, opgegeven, open data (BAG) of geschat.",
        "open data",
        aliases=("bron", "roof source"),
        choices=_ORIGIN_CHOICES,
        origin_of=("area_m2", "usable_fraction", "tilt_deg", "azimuth_deg", "existing_pv_kwp"),
    ),
)
"""Columns of the Daken sheet: extra roof faces, one per row."""

CONNECTION_COLUMNS: tuple[Column, ...] = (
    _COMPANY_ID_COLUMN,
    Column(
        "carrier",
        "Energiedrager",
        "choice",
        "elektriciteit of gas. Leeg: elektriciteit.",
        "gas",
        aliases=("carrier", "drager"),
        choices=_CARRIER_CHOICES,
    ),
    *_connection_columns("", main=False),
)
"""Columns of the Aansluitingen sheet: extra connections (a second electricity EAN, gas)."""

PARK_FIELDS: tuple[Column, ...] = (
    Column(
        "id",
        "Park-id",
        "text",
        "Korte vaste code van het park.",
        "de-wieken",
        "ja",
        aliases=("park id", "id", "code"),
    ),
    Column(
        "name",
        "Naam",
        "text",
        "Naam van het park of het deel dat het plan beslaat.",
        "De Wieken (deel 1)",
        "ja",
        aliases=("name", "parknaam", "park name"),
    ),
    Column("municipality", "Gemeente", "text", "Gemeente.", "Hoogeveen", aliases=("municipality",)),
    Column(
        "area_ha",
        "Oppervlakte [ha]",
        "number",
        "Bruto oppervlakte van het park.",
        "42,5",
        unit="ha",
        aliases=("oppervlakte", "area ha", "area"),
    ),
    Column(
        "location.lat",
        "Breedtegraad [graden]",
        "number",
        "Breedtegraad van het midden van het park (WGS84).",
        "52,7286",
        unit="graden",
        aliases=("lat", "latitude", "breedtegraad"),
        maximum=90.0,
    ),
    Column(
        "location.lon",
        "Lengtegraad [graden]",
        "number",
        "Lengtegraad van het midden van het park (WGS84).",
        "6,4901",
        unit="graden",
        aliases=("lon", "longitude", "lengtegraad"),
        minimum=-180.0,
        maximum=180.0,
    ),
    Column(
        "grid.operator",
        "Netbeheerder",
        "text",
        "De regionale netbeheerder.",
        "Rendo",
        aliases=("operator", "grid operator"),
    ),
    Column(
        "grid.substation",
        "Onderstation",
        "text",
        "Het onderstation waarop het park is aangesloten.",
        "Hoogeveen",
        aliases=("substation",),
    ),
    Column(
        "grid.available_import_kw",
        "Beschikbaar afnamevermogen park [kW]",
        "number",
        "Het meeste dat de netbeheerder voor het hele park kan leveren (alle aansluitingen "
        "samen, bestaande contracten inbegrepen).",
        "900",
        unit="kW",
        aliases=("available import kw", "afnamevermogen park"),
    ),
    Column(
        "grid.available_export_kw",
        "Beschikbaar terugleververmogen park [kW]",
        "number",
        "Het meeste dat de netbeheerder voor het hele park kan opnemen.",
        "600",
        unit="kW",
        aliases=("available export kw", "terugleververmogen park"),
    ),
    Column(
        "description",
        "Omschrijving",
        "text",
        "Korte omschrijving van het park.",
        "",
        aliases=("description",),
    ),
)
"""Rows of the Park sheet (``Veld | Waarde``)."""

UNIT_FACTORS: dict[str, dict[str, int]] = {
    "kwh": {"kwh": 1, "mwh": 1000, "kwhjaar": 1, "mwhjaar": 1000, "kwhj": 1, "kwhjr": 1},
    "kw": {"kw": 1, "mw": 1000},
    "kva": {"kva": 1, "mva": 1000},
    "m3": {"m3": 1, "nm3": 1, "m3jaar": 1},
    "m2": {"m2": 1},
    "graden": {"graden": 1, "gr": 1, "deg": 1, "degrees": 1, "": 1},  # "[°]" normalises to ""
    "ha": {"ha": 1, "hectare": 1},
    "kwp": {"kwp": 1, "mwp": 1000},
}
"""Accepted units in headers per canonical unit, with the exact factor to the canonical one."""


# ------------------------------------------------------------------------- reading result


Location = tuple[str, int, str | None]
"""Where a value is in the file: (file label, row, column header or ``None``)."""


@dataclass
class InventoryReading:
    """What :func:`read_inventory_file` found in an inventory file.

    Attributes
    ----------
    document
        The park document in park-file v1 structure.
    problems
        Problems found while reading cells and sheets, located in the file.
    locations
        Park-document path -> (file label, row, column header) for every cell read.
    park_fields
        Park-level keys that the file itself set (from the Park sheet); the others come from
        ``--park`` or an existing park.
    file
        The file name used in messages.
    """

    document: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    locations: dict[str, Location] = field(default_factory=dict)
    park_fields: set[str] = field(default_factory=set)
    file: str = ""

    def locate(self, problem: Problem) -> Problem:
        """``problem`` with file, row and column of the cell its ``path`` points to.

        The longest known prefix of the path wins, so ``companies[3].connection`` (a missing
        block) still names the company's row. Problems already located are returned as is.
        """
        if problem.file or problem.row is not None:
            return problem
        problem = problem.located(
            nl=_PATH_IN_TEXT.sub(lambda m: self._row_words(m, "rij"), problem.nl),
            en=_PATH_IN_TEXT.sub(lambda m: self._row_words(m, "row"), problem.en),
        )
        for candidate in _path_prefixes(problem.path):
            if candidate in self.locations:
                file, row, column = self.locations[candidate]
                return problem.located(file=file, row=row, column=column)
        return problem.located(file=self.file)

    def _row_words(self, match: re.Match[str], word: str) -> str:
        """``companies[0].connection.ean`` in a message -> ``rij 2`` (the company's row)."""
        where = self.locations.get(match.group(1))
        if where is None:
            return match.group(0)
        return f"{word} {where[1]}"


_PATH_IN_TEXT = re.compile(r"\b(companies\[\d+\])(?:\.[A-Za-z_]+(?:\[\d+\])?)*")


def _path_prefixes(path: str) -> Iterator[str]:
    """``a.b[1].c`` -> ``a.b[1].c``, ``a.b[1]``, ``a.b``, ``a`` (and the ``connection`` /
    ``connections[0]`` spellings of the same)."""
    seen: set[str] = set()
    current = path
    while current:
        for variant in (current, *_spellings(current)):
            if variant not in seen:
                seen.add(variant)
                yield variant
        cut = max(current.rfind("."), current.rfind("["))
        current = current[:cut] if cut > 0 else ""


def _spellings(path: str) -> list[str]:
    out = []
    if ".connections[0]" in path:
        out.append(path.replace(".connections[0]", ".connection", 1))
    if ".connection." in path or path.endswith(".connection"):
        out.append(re.sub(r"\.connection(\.|$)", r".connections[0]\1", path, count=1))
    return out


# -------------------------------------------------------------------------------- reading


def read_inventory(
    path: str | Path, *, park_id: str | None = None
) -> tuple[dict[str, Any], list[Problem]]:
    """Read an inventory (.xlsx or .csv) into a park document in park-file v1 structure.

    Parameters
    ----------
    path
        The inventory file: an Excel workbook with a sheet Bedrijven, or a CSV file of the
        Bedrijven table (``;`` or ``,`` separated; UTF-8 with or without BOM, or
        Windows-1252).
    park_id
        The park id; overrides a Park-id on the Park sheet. Needed for CSV files.

    Returns
    -------
    tuple[dict, list[Problem]]
        The park document and the problems found in the file's cells and sheets, each
        naming file, row, column and value. Semantic checks (EAN check digit, duplicates,
        SBI list) are done by :func:`parkplan.io.parkfile.park_from_document`; use
        :func:`read_inventory_file` and :meth:`InventoryReading.locate` to place their
        problems in the file.
    """
    reading = read_inventory_file(path, park_id=park_id)
    return reading.document, reading.problems


def read_inventory_file(
    path: str | Path,
    *,
    park_id: str | None = None,
    max_bytes: int | None = None,
    name: str | None = None,
) -> InventoryReading:
    """Read an inventory file; like :func:`read_inventory` with the locations of all cells.

    Parameters
    ----------
    path
        An .xlsx or .csv file.
    park_id
        The park id (overrides the Park sheet).
    max_bytes
        Largest accepted file size; default ``settings.max_upload_bytes``. [bytes]
    name
        The file name to use in messages and to tell the type by, e.g. the original name
        of an uploaded file stored under a temporary name; default ``path``'s name.
    """
    path = Path(path)
    label = name or path.name
    reading = InventoryReading(document={"format": FORMAT, "park": {}, "companies": []}, file=label)
    problem = check_file(path, max_bytes=max_bytes, name=label)
    if problem is not None:
        reading.problems.append(problem)
        return reading
    suffix = Path(label).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        _read_workbook(path, reading)
    elif suffix in (".csv", ".txt", ".tsv"):
        _read_csv(path, reading)
    else:
        reading.problems.append(
            error(
                "",
                f"onbekend bestandstype '{suffix}'; verwacht .xlsx of .csv",
                f"unknown file type '{suffix}'; expected .xlsx or .csv",
                label,
                code="unknown_format",
            ).located(file=label)
        )
        return reading
    _finish_park(reading, park_id)
    return reading


def check_file(
    path: Path, *, max_bytes: int | None = None, name: str | None = None
) -> Problem | None:
    """A problem when ``path`` is missing, empty or larger than the limit; else ``None``.

    Parameters
    ----------
    max_bytes
        Largest accepted size; default ``settings.max_upload_bytes``. [bytes]
    name
        File name for the message; default ``path``'s name.
    """
    if max_bytes is None:
        from parkplan.settings import get_settings

        max_bytes = get_settings().max_upload_bytes
    label = name or path.name
    if not path.is_file():
        return error(
            "",
            "bestand niet gevonden",
            "file not found",
            str(path),
            code="not_found",
        ).located(file=label)
    size = path.stat().st_size
    if size == 0:
        return error("", "het bestand is leeg", "the file is empty", None, code="empty").located(
            file=label
        )
    if size > max_bytes:
        return error(
            "",
            f"het bestand is te groot: {format_dutch(size)} bytes, de grens is "
            f"{format_dutch(max_bytes)} bytes (instelling PARKPLAN_MAX_UPLOAD_BYTES)",
            f"the file is too large: {size:,} bytes, the limit is {max_bytes:,} bytes "
            "(setting PARKPLAN_MAX_UPLOAD_BYTES)",
            size,
            code="too_large",
        ).located(file=label)
    return None


# ----------------------------------------------------------------------------- xlsx input


def _read_workbook(path: Path, reading: InventoryReading) -> None:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    label = reading.file
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        old_excel = path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        hint_nl = " (dit is een oud .xls-bestand: sla het op als .xlsx)" if old_excel else ""
        hint_en = " (this is an old .xls file: save it as .xlsx)" if old_excel else ""
        reading.problems.append(
            error(
                "",
                f"dit is geen Excel-werkmap (.xlsx) of het bestand is beschadigd{hint_nl}",
                f"this is not an Excel workbook (.xlsx) or the file is damaged{hint_en}",
                type(exc).__name__,
                code="not_a_spreadsheet",
            ).located(file=label)
        )
        return
    try:
        sheets = {_sheet_role(name): name for name in reversed(workbook.sheetnames)}
        if COMPANIES_SHEET not in sheets:
            found = ", ".join(f"'{n}'" for n in workbook.sheetnames)
            reading.problems.append(
                error(
                    "companies",
                    f"blad '{COMPANIES_SHEET}' ontbreekt; gevonden bladen: {found}. "
                    f"Gebruik het sjabloon van 'parkplan template' of hernoem het blad",
                    f"sheet '{COMPANIES_SHEET}' (Companies) is missing; sheets found: {found}. "
                    f"Use the template from 'parkplan template' or rename the sheet",
                    ", ".join(workbook.sheetnames),
                    code="wrong_sheet",
                ).located(file=label)
            )
            return
        companies_sheet = sheets[COMPANIES_SHEET]
        rows = _sheet_rows(workbook[companies_sheet])
        _read_companies(rows, reading, f"{label} ({companies_sheet})", decimal_sep=",")
        if PARK_SHEET in sheets:
            name = sheets[PARK_SHEET]
            _read_park_sheet(_sheet_rows(workbook[name]), reading, f"{label} ({name})")
        if ROOFS_SHEET in sheets:
            name = sheets[ROOFS_SHEET]
            _read_extra(_sheet_rows(workbook[name]), reading, f"{label} ({name})", "roofs")
        if CONNECTIONS_SHEET in sheets:
            name = sheets[CONNECTIONS_SHEET]
            _read_extra(_sheet_rows(workbook[name]), reading, f"{label} ({name})", "connections")
    finally:
        workbook.close()


def _sheet_role(name: str) -> str | None:
    key = normalise_header(name)
    for role, aliases in SHEET_ALIASES.items():
        if key in (normalise_header(a) for a in aliases):
            return role
    return None


def _sheet_rows(sheet: Any) -> list[tuple[int, list[Any]]]:
    """(row number, cell values) of the non-empty rows of a sheet."""
    out = []
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        cells = list(values)
        if any(not is_empty(v) for v in cells):
            out.append((number, cells))
    return out


# ------------------------------------------------------------------------------ csv input


def decode_text(data: bytes) -> tuple[str, str]:
    """Text of a CSV file and the encoding used.

    UTF-8 with a byte-order mark, UTF-16 with a byte-order mark (Excel's "Unicode text"),
    strict UTF-8, and otherwise Windows-1252 (what Dutch Excel writes for "CSV
    (puntkomma-gescheiden)"), falling back to Latin-1 for its five unused bytes.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def detect_delimiter(header_line: str) -> str:
    """The field separator of a CSV header line: ``;`` (Dutch Excel), ``,`` or tab."""
    counts = {sep: _count_outside_quotes(header_line, sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] > 0 else ";"


def _count_outside_quotes(line: str, sep: str) -> int:
    n, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            n += 1
    return n


def _read_csv(path: Path, reading: InventoryReading) -> None:
    label = reading.file
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        reading.problems.append(
            error(
                "",
                "dit is een Excel-werkmap, geen CSV-bestand: geef het de extensie .xlsx",
                "this is an Excel workbook, not a CSV file: give it the extension .xlsx",
                path.suffix,
                code="wrong_format",
            ).located(file=label)
        )
        return
    text, _encoding = decode_text(data)
    lines = text.splitlines()
    sep_override = None
    if lines and lines[0].lower().startswith("sep=") and len(lines[0].strip()) == 5:
        sep_override = lines[0].strip()[4]  # Excel's "sep=;" hint line, not shown by Excel
        text = text.split("\n", 1)[1] if "\n" in text else ""
    if not text.strip():
        reading.problems.append(
            error("", "het bestand is leeg", "the file is empty", None, code="empty").located(
                file=label
            )
        )
        return
    first_line = text.lstrip("\ufeff").splitlines()[0]
    delimiter = sep_override or detect_delimiter(first_line)
    decimal_sep = "." if delimiter == "," else ","
    records = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    rows = [
        (number, list(record))
        for number, record in enumerate(records, start=1)
        if any(not is_empty(v) for v in record)
    ]
    _read_companies(rows, reading, label, decimal_sep=decimal_sep)


# ----------------------------------------------------------------------------- the tables


@dataclass
class _Header:
    """The header row of a table: which column index holds which column."""

    row: int
    columns: dict[int, tuple[Column, str, Decimal]]
    """Index -> (column, header text as found, unit factor)."""


def _match_header(
    rows: Sequence[tuple[int, list[Any]]],
    spec: Sequence[Column],
    reading: InventoryReading,
    label: str,
) -> tuple[_Header | None, list[tuple[int, list[Any]]]]:
    """Find the header row (the first of the first ten rows that names two known columns)
    and return it with the data rows below it."""
    lookup = _header_lookup(spec)
    chosen = 0
    for i, (_number, cells) in enumerate(rows[:10]):
        hits = sum(1 for c in cells if isinstance(c, str) and _lookup(lookup, c) is not None)
        if hits >= min(2, len(spec)):
            chosen = i
            break
    if not rows:
        return None, []
    number, cells = rows[chosen]
    columns: dict[int, tuple[Column, str, Decimal]] = {}
    used: dict[str, str] = {}
    for index, cell in enumerate(cells):
        if is_empty(cell):
            continue
        text = clean_text(str(cell))
        found = _lookup(lookup, text)
        if found is None:
            reading.problems.append(
                warning(
                    "",
                    "onbekende kolom; deze wordt overgeslagen",
                    "unknown column; it is skipped",
                    text,
                    code="unknown_column",
                ).located(file=label, row=number, column=text)
            )
            continue
        column, unit_text = found
        factor = _unit_factor(column, unit_text)
        if factor is None:
            reading.problems.append(
                error(
                    "",
                    f"eenheid '{unit_text}' wordt niet herkend; verwacht {column.unit}",
                    f"unit '{unit_text}' is not recognised; expected {column.unit}",
                    text,
                    code="bad_unit",
                ).located(file=label, row=number, column=text)
            )
            continue
        if column.key in used:
            reading.problems.append(
                error(
                    "",
                    f"kolom staat twee keer in de kop (ook als '{used[column.key]}')",
                    f"column appears twice in the header (also as '{used[column.key]}')",
                    text,
                    code="duplicate_column",
                ).located(file=label, row=number, column=text)
            )
            continue
        used[column.key] = text
        columns[index] = (column, text, factor)
    return _Header(number, columns), list(rows[chosen + 1 :])


_UNIT = re.compile(r"^(.*?)[\[(]([^\])]*)[\])]\s*$")


def _header_lookup(spec: Sequence[Column]) -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    for column in spec:
        names = [column.header, *column.aliases, column.key, column.key.split(".")[-1]]
        bare = _UNIT.match(column.header)
        if bare:
            names.append(bare.group(1))
        for name in names:
            lookup.setdefault(normalise_header(name), column)
    return lookup


def _lookup(lookup: Mapping[str, Column], text: str) -> tuple[Column, str | None] | None:
    """(column, unit text in the header or ``None``) for a header cell."""
    key = normalise_header(text)
    if key in lookup:
        column = lookup[key]
        match = _UNIT.match(text)
        unit = match.group(2).strip() if match else None
        # the template's own header carries its unit; a bare alias carries none
        if match and column.header == clean_text(text):
            unit = None
        return column, unit
    match = _UNIT.match(text)
    if match and normalise_header(match.group(1)) in lookup:
        return lookup[normalise_header(match.group(1))], match.group(2).strip()
    return None


def _unit_factor(column: Column, unit_text: str | None) -> Decimal | None:
    """Exact factor from the header's unit to the column's unit; ``None`` if unknown."""
    if unit_text is None or column.unit is None:
        return Decimal(1)
    canonical = normalise_header(column.unit)
    found = normalise_header(unit_text.split(",")[0])
    if found == canonical:
        return Decimal(1)
    factors = UNIT_FACTORS.get(canonical)
    if factors and found in factors:
        return Decimal(factors[found])
    return None


def _read_companies(
    rows: Sequence[tuple[int, list[Any]]],
    reading: InventoryReading,
    label: str,
    *,
    decimal_sep: str,
) -> None:
    header, data = _match_header(rows, COMPANY_COLUMNS, reading, label)
    if header is None or not data:
        reading.problems.append(
            error(
                "companies",
                "geen bedrijven gevonden: verwacht een kopregel en daaronder één rij per bedrijf",
                "no companies found: expected a header row and one row per company below it",
                None,
                code="empty",
            ).located(file=label, row=header.row if header else None)
        )
        return
    if not any(c.key == "name" for c, _, _ in header.columns.values()):
        reading.problems.append(
            error(
                "companies",
                "verplichte kolom 'Bedrijfsnaam' ontbreekt in de kopregel",
                "mandatory column 'Bedrijfsnaam' (company name) is missing from the header",
                None,
                code="missing_column",
            ).located(file=label, row=header.row)
        )
        return
    companies = reading.document["companies"]
    for number, cells in data:
        index = len(companies)
        base = f"companies[{index}]"
        company = _read_row(
            cells, number, header, reading=reading, label=label, base=base, decimal_sep=decimal_sep
        )
        if "id" not in company:
            company = {"id": f"b{index + 1:03d}", **company}
        reading.locations[base] = (label, number, None)
        companies.append(company)


def _read_row(
    cells: list[Any],
    number: int,
    header: _Header,
    *,
    reading: InventoryReading,
    label: str,
    base: str,
    decimal_sep: str,
) -> dict[str, Any]:
    """One data row as a (nested) dict; cell problems go to ``reading.problems``."""
    target: dict[str, Any] = {}
    origins: list[tuple[Column, str]] = []
    for index, (column, text, factor) in header.columns.items():
        raw = cells[index] if index < len(cells) else None
        path = _join(base, column.key)
        reading.locations[path] = (label, number, text)
        if is_empty(raw):
            if column.mandatory == "ja":
                reading.problems.append(
                    error(
                        path,
                        "verplicht veld is leeg",
                        "mandatory field is empty",
                        None,
                        code="missing",
                    ).located(file=label, row=number, column=text)
                )
            continue
        try:
            value = parse_cell(column, raw, decimal_sep=decimal_sep, factor=factor)
        except CellError as exc:
            reading.problems.append(
                error(path, exc.nl, exc.en, _shown(raw), code=exc.code).located(
                    file=label, row=number, column=text
                )
            )
            continue
        if column.kind == "origin":
            origins.append((column, value))
            continue
        _set_path(target, column.key, value)
    for column, origin in origins:
        _apply_origin(target, column, origin)
    for key in list(target):
        if key == "roofs":
            target["roofs"] = [r for r in target["roofs"] if r]
    return target


def _apply_origin(target: dict[str, Any], column: Column, origin: str) -> None:
    """Set ``origins`` of the entity of an origin column for the fields present."""
    entity_key = column.key.rsplit(".", 1)[0] if "." in column.key else ""
    entity = _get_path(target, entity_key) if entity_key else target
    if not isinstance(entity, dict) or origin == Origin.REPORTED.value:
        return
    present = {k: origin for k in column.origin_of if k in entity}
    if present:
        entity.setdefault("origins", {}).update(present)


def _shown(raw: Any) -> Any:
    return clean_text(raw) if isinstance(raw, str) else raw


def parse_cell(
    column: Column, raw: Any, *, decimal_sep: str = ",", factor: Decimal | int = 1
) -> Any:
    """The document value of one non-empty cell of ``column``; raises :class:`CellError`.

    Parameters
    ----------
    column
        The column the cell is in.
    raw
        The cell value (text from CSV; text, number or boolean from Excel).
    decimal_sep
        Decimal separator of the file.
    factor
        Exact factor from the header's unit to the column's unit (1000 for MWh -> kWh).
    """
    kind = column.kind
    if kind in ("number", "integer", "fraction"):
        return parse_number(
            raw,
            decimal_sep=decimal_sep,
            integer=kind == "integer",
            minimum=column.minimum,
            maximum=column.maximum,
            percent_as_fraction=kind == "fraction",
            factor=factor,
        )
    parsers: dict[str, Callable[[Any], str]] = {
        "ean": parse_ean,
        "kvk": parse_kvk,
        "sbi": parse_sbi,
        "postcode": parse_postcode,
        "bag": parse_bag_id,
    }
    if kind in parsers:
        return parsers[kind](raw)
    if kind in ("choice", "origin", "bool"):
        return _parse_choice(column, raw)
    if kind == "list":
        items = [clean_text(x) for x in re.split(r"[,;/]", str(raw)) if clean_text(x)]
        choices = column.choices or {}
        return [choices.get(x.lower(), x) for x in items]
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, bool):
        return "ja" if raw else "nee"
    return clean_text(str(raw))


def _parse_choice(column: Column, raw: Any) -> Any:
    choices = column.choices or {}
    if isinstance(raw, bool):
        raw = "ja" if raw else "nee"
    text = clean_text(str(raw))
    key = re.sub(r"\s+", " ", text.lower()).replace("_", " ")
    for option, value in choices.items():
        if key in (option.lower(), option.lower().replace("_", " ")):
            return value
    shown = _dutch_options(column)
    raise CellError(
        f"onbekende waarde; kies uit: {shown}",
        f"unknown value; choose from: {shown}",
        code="bad_choice",
    )


def _dutch_options(column: Column) -> str:
    choices = column.choices or {}
    seen: list[str] = []
    values: set[Any] = set()
    for option, value in choices.items():
        if value not in values:
            values.add(value)
            seen.append(option)
    return ", ".join(seen)


def _join(base: str, key: str) -> str:
    return f"{base}.{key}" if base and key else base or key


_PART = re.compile(r"([^.\[\]]+)(?:\[(\d+)\])?")


def _parts(key: str) -> list[tuple[str, int | None]]:
    return [(m.group(1), int(m.group(2)) if m.group(2) else None) for m in _PART.finditer(key)]


def _set_path(target: dict[str, Any], key: str, value: Any) -> None:
    """Set ``value`` at ``key`` (``roofs[0].area_m2``), creating dicts and lists."""
    parts = _parts(key)
    node: Any = target
    for i, (name, index) in enumerate(parts):
        last = i == len(parts) - 1
        if index is None:
            if last:
                node[name] = value
            else:
                node = node.setdefault(name, {})
        else:
            items = node.setdefault(name, [])
            while len(items) <= index:
                items.append({})
            if last:
                items[index] = value
            else:
                node = items[index]


def _get_path(target: Any, key: str) -> Any:
    node = target
    for name, index in _parts(key):
        if not isinstance(node, dict) or name not in node:
            return None
        node = node[name]
        if index is not None:
            if not isinstance(node, list) or index >= len(node):
                return None
            node = node[index]
    return node


def _read_park_sheet(
    rows: Sequence[tuple[int, list[Any]]], reading: InventoryReading, label: str
) -> None:
    """The Park sheet: ``Veld | Waarde`` rows (a header row ``Veld | Waarde`` is optional)."""
    lookup = _header_lookup(PARK_FIELDS)
    park = reading.document["park"]
    for number, cells in rows:
        if not cells or is_empty(cells[0]):
            continue
        name = clean_text(str(cells[0]))
        if normalise_header(name) in ("veld", "field"):
            continue
        found = _lookup(lookup, name)
        if found is None:
            reading.problems.append(
                warning(
                    "park",
                    "onbekend veld op het blad Park; het wordt overgeslagen",
                    "unknown field on the Park sheet; it is skipped",
                    name,
                    code="unknown_field",
                ).located(file=label, row=number, column="Veld")
            )
            continue
        column, unit_text = found
        raw = cells[1] if len(cells) > 1 else None
        path = _join("park", column.key)
        reading.locations[path] = (label, number, "Waarde")
        if is_empty(raw):
            continue
        factor = _unit_factor(column, unit_text) or Decimal(1)
        try:
            value = parse_cell(column, raw, decimal_sep=",", factor=factor)
        except CellError as exc:
            reading.problems.append(
                error(
                    path,
                    f"{column.header}: {exc.nl}",
                    f"{column.header}: {exc.en}",
                    _shown(raw),
                    code=exc.code,
                ).located(file=label, row=number, column="Waarde")
            )
            continue
        _set_path(park, column.key, value)
        reading.park_fields.add(column.key.split(".")[0])
    reading.locations.setdefault("park", (label, 1, None))


def _read_extra(
    rows: Sequence[tuple[int, list[Any]]], reading: InventoryReading, label: str, kind: str
) -> None:
    """The Daken or Aansluitingen sheet: extra roofs / connections keyed by Bedrijf-id."""
    spec = ROOF_COLUMNS if kind == "roofs" else CONNECTION_COLUMNS
    header, data = _match_header(rows, spec, reading, label)
    if header is None or not data:
        return
    companies = reading.document["companies"]
    by_id = {str(c.get("id")): i for i, c in enumerate(companies)}
    id_columns = [i for i, (c, _, _) in header.columns.items() if c.key == "company_id"]
    if not id_columns:
        reading.problems.append(
            error(
                "",
                "kolom 'Bedrijf-id' ontbreekt; daarmee hoort elke rij bij een bedrijf",
                "column 'Bedrijf-id' (company id) is missing; it links each row to a company",
                None,
                code="missing_column",
            ).located(file=label, row=header.row)
        )
        return
    id_index = id_columns[0]
    id_header = header.columns[id_index][1]
    columns = {i: c for i, c in header.columns.items() if i != id_index}
    for number, cells in data:
        raw_id = cells[id_index] if id_index < len(cells) else None
        company_id = parse_cell(_COMPANY_ID_COLUMN, raw_id) if not is_empty(raw_id) else None
        if company_id not in by_id:
            reading.problems.append(
                error(
                    "",
                    f"onbekende Bedrijf-id; verwacht een id van het blad {COMPANIES_SHEET}",
                    f"unknown company id; expected an id from the sheet {COMPANIES_SHEET}",
                    company_id,
                    code="unknown_company" if company_id else "missing",
                ).located(file=label, row=number, column=id_header)
            )
            continue
        index = by_id[company_id]
        company = companies[index]
        if kind == "roofs":
            roofs = company.setdefault("roofs", [])
            base = f"companies[{index}].roofs[{len(roofs)}]"
        else:
            _to_connection_list(company, reading, index)
            base = f"companies[{index}].connections[{len(company['connections'])}]"
        item = _read_row(
            cells,
            number,
            _Header(header.row, columns),
            reading=reading,
            label=label,
            base=base,
            decimal_sep=",",
        )
        reading.locations[base] = (label, number, None)
        if kind == "roofs":
            company["roofs"].append(item)
        else:
            company["connections"].append(item)


def _to_connection_list(company: dict[str, Any], reading: InventoryReading, index: int) -> None:
    """Move the main ``connection`` of a company to ``connections[0]`` (and its locations)."""
    if "connections" in company:
        return
    main = company.pop("connection", None)
    company["connections"] = [main] if main else []
    if main:
        old = f"companies[{index}].connection"
        new = f"companies[{index}].connections[0]"
        for path in [p for p in reading.locations if p == old or p.startswith(old + ".")]:
            reading.locations[new + path[len(old) :]] = reading.locations[path]


def _finish_park(reading: InventoryReading, park_id: str | None) -> None:
    """Set the park id: ``park_id`` wins over the Park sheet; without either it is an error."""
    park = reading.document["park"]
    sheet_id = park.get("id")
    if park_id:
        if sheet_id and sheet_id != park_id:
            reading.problems.append(
                warning(
                    "park.id",
                    f"het blad Park noemt park '{sheet_id}'; de opdracht noemt '{park_id}' "
                    "en die wordt gebruikt",
                    f"the Park sheet names park '{sheet_id}'; the command names '{park_id}', "
                    "which is used",
                    sheet_id,
                    code="park_id_differs",
                ).located(file=reading.file)
            )
        park["id"] = park_id
        reading.park_fields.add("id")
    elif not sheet_id and not any(p.severity == "error" for p in reading.problems):
        reading.problems.append(
            error(
                "park.id",
                "geen park-id: geef --park ID op of vul 'Park-id' in op het blad Park",
                "no park id: give --park ID or fill in 'Park-id' on the Park sheet",
                None,
                code="missing",
            ).located(file=reading.file)
        )
    if "name" not in park and park.get("id"):
        park["name"] = park["id"]


def iter_columns() -> Iterable[tuple[str, Column]]:
    """(sheet name, column) for every column of every inventory sheet, in template order."""
    for column in COMPANY_COLUMNS:
        yield COMPANIES_SHEET, column
    for column in ROOF_COLUMNS:
        yield ROOFS_SHEET, column
    for column in CONNECTION_COLUMNS:
        yield CONNECTIONS_SHEET, column
    for column in PARK_FIELDS:
        yield PARK_SHEET, column


# ------------------------------------------------------------------------------- template

TEMPLATE_ROWS = 1000
"""Rows of each table sheet that get the choice lists."""
TEXT_CELL_ROWS = 100
"""Rows whose identifier cells are formatted as text one by one (the whole column is text
too, through the column style)."""

_HELP_INTRO = (
    "Invulsjabloon parkplan: één rij per bedrijf op het blad Bedrijven, met de "
    "hoofdaansluiting voor elektriciteit en één dakvlak. Meer dakvlakken: blad Daken, "
    "meer aansluitingen (een tweede EAN, of gas): blad Aansluitingen; koppel die rijen met "
    "de Bedrijf-id. Parkgegevens: blad Park. Getallen mogen met decimale komma en "
    "duizendtallen-punt (1.234,5). EAN, KvK-nummer, SBI-code, postcode en BAG pand-id zijn "
    "tekstkolommen: typ ze zoals ze zijn, met voorloopnullen. Waarden gelden als opgegeven "
    "door het bedrijf, tenzij een Bron-kolom iets anders zegt. Inlezen: parkplan import "
    "BESTAND.xlsx --park PARK-ID."
)


def write_template(path: str | Path, park: Any | None = None) -> Path:
    """Write the Excel inventory template, empty or filled in with a park.

    Parameters
    ----------
    path
        The .xlsx file to write.
    park
        A :class:`~parkplan.domain.model.Park` whose park fields and companies are filled
        in (to update an inventory and import it again with ``--replace``); ``None`` for an
        empty template.

    Returns
    -------
    Path
        The file written.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    path = Path(path)
    workbook = Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")

    companies = list(park.companies) if park is not None else []
    company_rows: list[dict[str, Any]] = []
    roof_rows: list[dict[str, Any]] = []
    connection_rows: list[dict[str, Any]] = []
    for company in companies:
        row, roofs, connections = _company_cells(company)
        company_rows.append(row)
        roof_rows.extend(roofs)
        connection_rows.extend(connections)

    sheet = workbook.active
    sheet.title = COMPANIES_SHEET
    _table_sheet(sheet, COMPANY_COLUMNS, company_rows, bold, fill)
    _table_sheet(workbook.create_sheet(ROOFS_SHEET), ROOF_COLUMNS, roof_rows, bold, fill)
    _table_sheet(
        workbook.create_sheet(CONNECTIONS_SHEET), CONNECTION_COLUMNS, connection_rows, bold, fill
    )

    park_sheet = workbook.create_sheet(PARK_SHEET)
    park_sheet.append(["Veld", "Waarde", "Toelichting"])
    for cell in park_sheet[1]:
        cell.font, cell.fill = bold, fill
    for column in PARK_FIELDS:
        value = _value_of(park, column.key) if park is not None else None
        park_sheet.append([column.header, _cell_value(column, value), column.meaning])
    for row in park_sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        for cell in row:
            if cell.row and PARK_FIELDS[cell.row - 2].kind == "text":
                cell.number_format = "@"
    park_sheet.column_dimensions["A"].width = 40
    park_sheet.column_dimensions["B"].width = 28
    park_sheet.column_dimensions["C"].width = 80

    help_sheet = workbook.create_sheet(HELP_SHEET)
    help_sheet.append([_HELP_INTRO])
    help_sheet.merge_cells("A1:F1")
    help_sheet["A1"].alignment = wrap
    help_sheet.row_dimensions[1].height = 90
    help_sheet.append([])
    help_sheet.append(["Blad", "Kolom", "Betekenis", "Eenheid", "Voorbeeld", "Verplicht"])
    for cell in help_sheet[3]:
        cell.font, cell.fill = bold, fill
    for sheet_name, column in iter_columns():
        help_sheet.append(
            [
                sheet_name,
                column.header,
                column.meaning,
                _unit_label(column),
                column.example,
                column.mandatory,
            ]
        )
    for letter, width in zip("ABCDEF", (14, 40, 90, 12, 28, 26), strict=True):
        help_sheet.column_dimensions[letter].width = width
    for row in help_sheet.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = wrap
            cell.number_format = "@"

    if park is not None and getattr(park, "illustrative", False):
        help_sheet.insert_rows(1)
        help_sheet["A1"] = "Illustratief park: bedrijven, namen en getallen zijn verzonnen."
        help_sheet["A1"].font = bold
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _unit_label(column: Column) -> str:
    if column.unit:
        return column.unit
    if column.kind == "fraction":
        return "0-1"
    return ""


def _table_sheet(
    sheet: Any, spec: Sequence[Column], rows: Sequence[Mapping[str, Any]], bold: Any, fill: Any
) -> None:
    """Header, widths, text format for identifiers, choice lists and the data rows."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet.append([c.header for c in spec])
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    sheet.freeze_panes = "B2" if spec and spec[0].key in ("id", "company_id") else "A2"
    last = max(TEMPLATE_ROWS, len(rows) + 1)
    for index, column in enumerate(spec, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(column.width, min(len(column.header), 40))
        if column.identifier or column.kind in ("text", "list"):
            sheet.column_dimensions[letter].number_format = "@"
            for number in range(2, max(TEXT_CELL_ROWS, len(rows) + 1) + 1):
                sheet.cell(row=number, column=index).number_format = "@"
        options = _validation_options(column)
        if options:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(options) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Ongeldige waarde",
                error="Kies een waarde uit de lijst: " + ", ".join(options),
            )
            validation.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(validation)
    for number, values in enumerate(rows, start=2):
        for index, column in enumerate(spec, start=1):
            value = values.get(column.key)
            if value is not None:
                sheet.cell(row=number, column=index).value = value


def _validation_options(column: Column) -> list[str]:
    """The Dutch options of a choice column for Excel's drop-down list."""
    if column.kind not in ("choice", "origin", "bool"):
        return []
    options: list[str] = []
    values: set[Any] = set()
    for option, value in (column.choices or {}).items():
        if value not in values:
            values.add(value)
            options.append(option)
    return options


def _value_of(obj: Any, key: str) -> Any:
    """The value of a model object at a column key (``electricity.annual_kwh``)."""
    node = obj
    for name, index in _parts(key):
        if node is None:
            return None
        node = node.get(name) if isinstance(node, dict) else getattr(node, name, None)
        if index is not None:
            node = node[index] if isinstance(node, list) and index < len(node) else None
    return node


def _cell_value(column: Column, value: Any) -> Any:
    """A model value as the template shows it (Dutch choice words, identifiers as text)."""
    if value is None:
        return None
    if column.kind in ("choice", "bool"):
        for option, code in (column.choices or {}).items():
            if code == value:
                return option
        return str(value)
    if column.kind == "list":
        back = {code: word for word, code in (column.choices or {}).items()}
        return ", ".join(back.get(v, v) for v in value) or None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _origin_cell(column: Column, entity: Any) -> str | None:
    """The Dutch origin word for an origin column, from the entity's ``origins``."""
    if entity is None:
        return None
    origins = getattr(entity, "origins", {}) or {}
    for name in column.origin_of:
        if name in origins:
            code = getattr(origins[name], "value", origins[name])
            for word, value in ORIGINS_NL.items():
                if value == code:
                    return word
    return None


def _company_cells(
    company: Any,
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """Cells of one company: its Bedrijven row, its extra roofs and connections."""
    connections = list(company.connections)
    in_row = connections[:1] if connections and connections[0].carrier == "electricity" else []
    extra_connections = connections[len(in_row) :]
    row: dict[str, Any] = {}
    for column in COMPANY_COLUMNS:
        if column.kind == "origin":
            entity_key = column.key.rsplit(".", 1)[0] if "." in column.key else ""
            entity = _entity(company, entity_key, in_row) if entity_key else company
            row[column.key] = _origin_cell(column, entity)
            continue
        if column.key.startswith("connection."):
            value = _value_of(in_row[0], column.key.split(".", 1)[1]) if in_row else None
        else:
            value = _value_of(company, column.key)
        row[column.key] = _cell_value(column, value)
    roofs = []
    for roof in company.roofs[1:]:
        cells = {"company_id": company.id}
        for column in ROOF_COLUMNS[1:]:
            if column.kind == "origin":
                cells[column.key] = _origin_cell(column, roof)
            else:
                cells[column.key] = _cell_value(column, _value_of(roof, column.key))
        roofs.append(cells)
    extra = []
    for connection in extra_connections:
        cells = {"company_id": company.id}
        for column in CONNECTION_COLUMNS[1:]:
            if column.kind == "origin":
                cells[column.key] = _origin_cell(column, connection)
            else:
                cells[column.key] = _cell_value(column, _value_of(connection, column.key))
        extra.append(cells)
    return row, roofs, extra


def _entity(company: Any, key: str, in_row: list[Any]) -> Any:
    if key.startswith("connection"):
        return in_row[0] if in_row else None
    return _value_of(company, key)
