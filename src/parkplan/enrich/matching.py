"""Matching companies to BAG buildings: by address, by BAG id or by location.

Pure functions on the records of :mod:`parkplan.enrich.records`; geometries in RD New.

Order of evidence, strongest first:

1. a BAG pand id the company already gave (``Roof.bag_pand_id``);
2. the BAG verblijfsobject id of the KvK visiting address (``addresseerbaarObjectId``);
3. the address: postcode + house number + letter + addition, exactly; then postcode +
   house number when that names one unit only;
4. the location of the KvK record: the building that contains the point, else the nearest
   building within a maximum distance.

A match is ``matched`` (one building), ``several`` (the evidence names more than one
building: reported, nothing applied) or ``none``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from parkplan.enrich.records import Address, BagBuilding, BagData, BagUnit

MatchStatus = Literal["matched", "several", "none"]
MatchMethod = Literal["bag_pand_id", "vbo", "address", "address_number", "location", "nearest"]


@dataclass(frozen=True)
class BuildingMatch:
    """The outcome of matching one company to BAG buildings."""

    status: MatchStatus
    pand_ids: tuple[str, ...] = ()
    method: MatchMethod | None = None
    units: tuple[BagUnit, ...] = ()
    """The units (verblijfsobjecten) at the company's address, when matched by address."""
    distance_m: float | None = None
    """Distance from the company's point to the building (0 inside). [m]"""
    nearest_pand_id: str | None = None
    """For ``none`` by location: the nearest building beyond the maximum distance."""


@dataclass
class BagIndex:
    """Lookups over a BAG file: buildings by id, units by id and by address."""

    buildings: dict[str, BagBuilding] = field(default_factory=dict)
    units_by_vbo: dict[str, list[BagUnit]] = field(default_factory=lambda: defaultdict(list))
    units_by_key: dict[tuple[str, int, str, str], list[BagUnit]] = field(
        default_factory=lambda: defaultdict(list)
    )
    units_by_number: dict[tuple[str, int], list[BagUnit]] = field(
        default_factory=lambda: defaultdict(list)
    )
    tree: object | None = None
    tree_ids: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, data: BagData) -> BagIndex:
        """Index the buildings and units of one BAG file."""
        import shapely

        index = cls()
        for b in data.buildings:
            index.buildings.setdefault(b.pand_id, b)
        for u in data.units:
            index.units_by_vbo[u.vbo_id].append(u)
            if u.address is not None:
                index.units_by_key[u.address.key].append(u)
                index.units_by_number[u.address.number_key].append(u)
        usable = [b for b in index.buildings.values() if b.footprint is not None]
        if usable:
            index.tree = shapely.STRtree([b.footprint for b in usable])
            index.tree_ids = [b.pand_id for b in usable]
        return index


def _pands_of(units: list[BagUnit]) -> tuple[str, ...]:
    return tuple(sorted({p for u in units for p in u.pand_ids}))


def _outcome(units: list[BagUnit], method: MatchMethod) -> BuildingMatch:
    pands = _pands_of(units)
    if not pands:
        return BuildingMatch("none", method=method, units=tuple(units))
    status: MatchStatus = "matched" if len(pands) == 1 else "several"
    return BuildingMatch(status, pands, method, units=tuple(units))


def match_by_address(index: BagIndex, address: Address | None) -> BuildingMatch:
    """The building(s) of the units at an address.

    Exact on postcode, number, letter and addition; when nothing matches exactly, postcode
    and number alone, if that names exactly one unit (``12`` in the register, ``12 A`` in
    the KvK file, or the reverse).
    """
    if address is None:
        return BuildingMatch("none")
    exact = index.units_by_key.get(address.key, [])
    if exact:
        return _outcome(exact, "address")
    loose = index.units_by_number.get(address.number_key, [])
    if len({u.vbo_id for u in loose}) == 1:
        return _outcome(loose, "address_number")
    if loose:
        return BuildingMatch("several", _pands_of(loose), "address_number", tuple(loose))
    return BuildingMatch("none")


def match_by_location(index: BagIndex, point: object, max_distance_m: float) -> BuildingMatch:
    """The building that contains a point (RD New), else the nearest within a distance.

    Parameters
    ----------
    point
        A shapely Point in RD New. [m]
    max_distance_m
        The farthest a building may be from the point to count as its building. [m]
    """
    import shapely

    if point is None or index.tree is None:
        return BuildingMatch("none")
    tree = index.tree
    assert isinstance(tree, shapely.STRtree)
    inside = [index.tree_ids[i] for i in tree.query(point, predicate="intersects")]
    if len(inside) == 1:
        return BuildingMatch("matched", (inside[0],), "location", distance_m=0.0)
    if len(inside) > 1:
        return BuildingMatch("several", tuple(sorted(inside)), "location", distance_m=0.0)
    nearest = tree.nearest(point)
    pand_id = index.tree_ids[int(nearest)]
    distance = float(index.buildings[pand_id].footprint.distance(point))  # type: ignore[union-attr]
    if distance <= max_distance_m:
        return BuildingMatch("matched", (pand_id,), "nearest", distance_m=distance)
    return BuildingMatch("none", method="nearest", distance_m=distance, nearest_pand_id=pand_id)


def match_building(
    index: BagIndex,
    *,
    pand_ids: tuple[str, ...] = (),
    vbo_id: str | None = None,
    address: Address | None = None,
    point: object = None,
    max_distance_m: float,
) -> BuildingMatch:
    """Match one company to BAG buildings with the strongest evidence it has.

    Parameters
    ----------
    pand_ids
        BAG pand ids the company already gave (on its roofs).
    vbo_id
        BAG verblijfsobject id of its address (KvK ``addresseerbaarObjectId``).
    address
        Its address.
    point
        Its location, a shapely Point in RD New. [m]
    max_distance_m
        Farthest distance for a match to the nearest building. [m]
    """
    known = tuple(p for p in pand_ids if p in index.buildings)
    if known:
        status: MatchStatus = "matched" if len(set(known)) == 1 else "several"
        units = list(index.units_by_vbo.get(vbo_id, [])) if vbo_id else []
        if not units and address is not None:
            units = list(index.units_by_key.get(address.key, []))
        inside = tuple(u for u in units if set(u.pand_ids) & set(known))
        return BuildingMatch(status, tuple(sorted(set(known))), "bag_pand_id", units=inside)
    if vbo_id and vbo_id in index.units_by_vbo:
        return _outcome(index.units_by_vbo[vbo_id], "vbo")
    by_address = match_by_address(index, address)
    if by_address.status != "none":
        return by_address
    by_location = match_by_location(index, point, max_distance_m)
    if by_location.status != "none" or by_location.distance_m is not None:
        return by_location
    return by_address
