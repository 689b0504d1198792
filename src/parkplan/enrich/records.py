"""Records read from open-data files: the vocabulary between the readers and the matching.

The readers in :mod:`parkplan.io.opendata` make these from files; the pure functions in
:mod:`parkplan.enrich` match them to a park. Geometries are shapely objects in RD New
(EPSG:28992, metres); ``None`` when the record's geometry could not be used (its problem
is in ``problems``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from parkplan.domain.errors import Problem

_HOUSE = re.compile(
    r"^(?P<street>.*?)[\s,]+(?P<number>\d{1,5})\s*(?P<letter>[A-Za-z](?![A-Za-z]))?"
    r"\s*(?:[-/ ]\s*)?(?P<addition>[A-Za-z0-9]{1,4})?\s*$"
)
_POSTCODE = re.compile(r"^\s*([1-9]\d{3})\s?([A-Za-z]{2})\s*$")


def normalise_postcode(text: Any) -> str | None:
    """``"1234 AB"`` from ``"1234ab"``, ``"1234 AB"``; ``None`` when it is no postcode."""
    if text is None:
        return None
    match = _POSTCODE.match(str(text))
    if not match:
        return None
    return f"{match.group(1)} {match.group(2).upper()}"


@dataclass(frozen=True)
class Address:
    """A Dutch address as the BAG identifies it: postcode, house number, letter, addition."""

    postcode: str
    """``"1234 AB"``."""
    number: int
    letter: str = ""
    addition: str = ""
    street: str | None = None
    city: str | None = None

    @property
    def key(self) -> tuple[str, int, str, str]:
        """What identifies the address: postcode, number, letter and addition (upper case)."""
        return (self.postcode, self.number, self.letter.upper(), self.addition.upper())

    @property
    def number_key(self) -> tuple[str, int]:
        """Postcode and number only (for a second, looser match)."""
        return (self.postcode, self.number)

    def label(self) -> str:
        """For people: ``"Industrieweg 12A-2, 7903 AB"``."""
        number = f"{self.number}{self.letter}" + (f"-{self.addition}" if self.addition else "")
        street = f"{self.street} " if self.street else ""
        return f"{street}{number}, {self.postcode}"


def make_address(
    postcode: Any,
    number: Any,
    *,
    letter: Any = None,
    addition: Any = None,
    street: Any = None,
    city: Any = None,
) -> Address | None:
    """An :class:`Address` from register fields; ``None`` without a valid postcode and number."""
    pc = normalise_postcode(postcode)
    if pc is None or number is None or str(number).strip() == "":
        return None
    try:
        num = int(float(str(number).strip()))
    except ValueError:
        return None
    return Address(
        postcode=pc,
        number=num,
        letter=_text(letter),
        addition=_text(addition),
        street=_text(street) or None,
        city=_text(city) or None,
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def parse_address_line(line: str | None, postcode: str | None) -> Address | None:
    """An address from a company's ``address`` text (``"Industrieweg 12 A"``) and postcode.

    Understands ``12``, ``12A``, ``12 A``, ``12-2``, ``12A-2``, ``12 bis``; ``None`` when
    there is no postcode or no house number.
    """
    pc = normalise_postcode(postcode)
    if pc is None or not line:
        return None
    match = _HOUSE.match(line.strip())
    if not match:
        return None
    letter = match.group("letter") or ""
    addition = match.group("addition") or ""
    return Address(
        postcode=pc,
        number=int(match.group("number")),
        letter=letter,
        addition=addition,
        street=match.group("street").strip() or None,
    )


@dataclass
class BagBuilding:
    """A BAG pand: one building with its footprint."""

    pand_id: str
    """16 digits."""
    footprint: Any | None
    """Footprint polygon in RD New (shapely), ``None`` when unusable. [m]"""
    construction_year: int | None = None
    status: str | None = None
    """E.g. ``Pand in gebruik``."""
    use: tuple[str, ...] = ()
    """Uses (gebruiksdoelen) of the units in the building, when the file has them."""
    record: str = ""
    """Where the record is in the file, for messages (e.g. ``pand rij 3``)."""
    problems: tuple[Problem, ...] = ()


@dataclass
class BagUnit:
    """A BAG verblijfsobject: an addressable unit inside one or more buildings."""

    vbo_id: str
    pand_ids: tuple[str, ...]
    address: Address | None
    floor_area_m2: float | None = None
    """Usable floor area (gebruiksoppervlakte). [m2]"""
    use: tuple[str, ...] = ()
    point: Any | None = None
    """Location in RD New (shapely Point). [m]"""
    record: str = ""


@dataclass
class BagData:
    """What a BAG file holds."""

    buildings: list[BagBuilding] = field(default_factory=list)
    units: list[BagUnit] = field(default_factory=list)


@dataclass
class EnergyLabel:
    """One registered energy label (EP-Online)."""

    label_class: str
    """``A++++`` .. ``G``."""
    address: Address | None
    vbo_id: str | None = None
    pand_id: str | None = None
    building_class: str | None = None
    """``W`` (woning) or ``U`` (utiliteit)."""
    floor_area_m2: float | None = None
    """Usable floor area of the thermal zone. [m2]"""
    registered: str | None = None
    """Registration date, ISO."""
    valid_until: str | None = None
    record: str = ""


@dataclass
class KvkRecord:
    """One establishment (vestiging) from a KvK export."""

    kvk: str
    """8 digits."""
    name: str
    branch_number: str | None = None
    """Vestigingsnummer, 12 digits."""
    address: Address | None = None
    sbi: str | None = None
    employees: int | None = None
    vbo_id: str | None = None
    """BAG verblijfsobject id of the visiting address, when the export has it."""
    point: Any | None = None
    """Location in RD New (shapely Point), when the export has coordinates. [m]"""
    record: str = ""
    problems: tuple[Problem, ...] = ()


@dataclass
class IbisPark:
    """One business park record from IBIS (Integrale Bedrijventerreinen Informatie Systeem)."""

    name: str
    municipality: str | None = None
    plan_id: str | None = None
    """IBIS / RIN number of the park."""
    gross_area_ha: float | None = None
    """Bruto oppervlakte. [ha]"""
    net_area_ha: float | None = None
    """Netto oppervlakte. [ha]"""
    outline: Any | None = None
    """Outline in RD New (shapely). [m]"""
    record: str = ""
    problems: tuple[Problem, ...] = ()


@dataclass
class ConsumptionRange:
    """One row of a grid operator's small-user consumption file (kleinverbruiksgegevens)."""

    operator: str | None
    postcode_from: str
    """``"1234 AB"``."""
    postcode_to: str
    street: str | None
    city: str | None
    product: str
    """``ELK`` (electricity) or ``GAS``."""
    connections: int | None
    annual_mean: float
    """Mean standard annual consumption (SJV, or offtake SJA) per connection. [kWh or m3]"""
    unit: str
    """``kWh`` or ``m3``."""
    year: int | None = None
    record: str = ""
    mean_column: str = "SJV_GEMIDDELD"
    """The column the mean came from (``SJV_GEMIDDELD`` or, in newer files, ``SJA_GEMIDDELD``)."""

    def contains(self, postcode: str) -> bool:
        """True when ``postcode`` (``"1234 AB"``) lies in this range."""
        return self.postcode_from <= postcode <= self.postcode_to
