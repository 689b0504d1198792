"""Proposed changes from open data, and applying them to a copy of a park.

:func:`propose` compares a park with the records of the open-data files and returns a
:class:`Proposal`: a list of :class:`Change` (entity, field, old value, new value, source
file, origin) and, per record, what could not be matched. Nothing changes the park;
:func:`apply_changes` makes a changed copy.

Rules
-----
- Register values get origin ``open_data``; derived estimates (usable roof fraction, tilt,
  azimuth, consumption from a postcode range mean) get ``estimated``.
- A value the company reported or a meter measured (origin ``reported`` / ``measured``) is
  never overwritten silently: a different open-data value is a *conflict*, shown, and
  applied only when asked for (``overwrite_reported``).
- An estimate never replaces an open-data or reported value; open data replaces an estimate.
- Buildings matched to more than one company, several buildings for one address, unusable
  geometries: reported per company, no roof is proposed.
"""

from __future__ import annotations

import copy
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from parkplan.domain.errors import Lang, Problem, warning
from parkplan.domain.model import (
    Company,
    ElectricityUse,
    GasUse,
    Location,
    Origin,
    Park,
    Roof,
)
from parkplan.enrich.matching import BagIndex, BuildingMatch, match_building
from parkplan.enrich.records import (
    BagData,
    ConsumptionRange,
    EnergyLabel,
    IbisPark,
    KvkRecord,
    normalise_postcode,
    parse_address_line,
)

Action = Literal["set", "add", "replace"]
Entity = Literal["park", "company", "roof", "electricity", "gas"]

SOURCE_BAG = "BAG"
SOURCE_LABELS = "EP-Online"
SOURCE_KVK = "KvK"
SOURCE_IBIS = "IBIS"
SOURCE_CONSUMPTION = "netbeheerder kleinverbruik"
_NO_ORIGIN = frozenset({"location"})
"""Park fields that are objects: the park file keeps no origin for them (the outline's
origin stands for both)."""
_KEPT = (Origin.REPORTED, Origin.MEASURED)
"""Origins that open data does not overwrite without an explicit request."""


@dataclass(frozen=True)
class EnrichSettings:
    """The figures the enrichment estimates with (from ``refdata/opendata.csv``)."""

    max_distance_m: float
    """Farthest a company point may be from a building to match it. [m]"""
    flat_min_footprint_m2: float
    """Footprints at least this large are estimated as flat roofs. [m2]"""
    usable_fraction_flat: float
    """Share of a flat roof usable for PV. [-]"""
    usable_fraction_pitched: float
    """Share of a pitched roof usable for PV. [-]"""
    tilt_flat_deg: float
    """Module tilt on a flat roof. [deg]"""
    tilt_pitched_deg: float
    """Pitch of an estimated pitched roof. [deg]"""
    azimuth_deg: float
    """Orientation of an estimated roof face. [deg]"""

    @classmethod
    def from_refdata(cls, refdata: Any) -> EnrichSettings:
        """Read the settings from a :class:`parkplan.refdata.RefData`."""
        v = refdata.value
        return cls(
            max_distance_m=v("opendata.match_max_distance_m"),
            flat_min_footprint_m2=v("opendata.roof.flat_min_footprint_m2"),
            usable_fraction_flat=v("opendata.roof.flat.usable_fraction"),
            usable_fraction_pitched=v("opendata.roof.pitched.usable_fraction"),
            tilt_flat_deg=v("opendata.roof.flat.tilt_deg"),
            tilt_pitched_deg=v("opendata.roof.pitched.tilt_deg"),
            azimuth_deg=v("opendata.roof.azimuth_deg"),
        )


@dataclass
class Sources:
    """The open-data records to enrich with, and the file each came from."""

    bag: BagData | None = None
    labels: list[EnergyLabel] | None = None
    kvk: list[KvkRecord] | None = None
    ibis: list[IbisPark] | None = None
    consumption: list[ConsumptionRange] | None = None
    files: dict[str, str] = field(default_factory=dict)
    """Source name (``BAG``, ``KvK`` ...) -> file name."""
    problems: list[Problem] = field(default_factory=list)
    """What the readers could not use, per record."""


@dataclass(frozen=True)
class Change:
    """One proposed change of one field."""

    entity: Entity
    entity_id: str
    """Park id, company id, or ``<company id>/<pand id>`` for a roof."""
    field: str
    old_value: Any
    new_value: Any
    source: str
    """``BAG``, ``EP-Online``, ``KvK``, ``IBIS`` or ``netbeheerder kleinverbruik``."""
    source_file: str
    record: str
    """Which record of the file (e.g. ``kvk.csv rij 3``)."""
    origin: Origin
    action: Action = "set"
    conflict: bool = False
    """The old value was reported or measured: applied only with ``overwrite_reported``."""
    old_origin: Origin | None = None
    company_id: str | None = None
    roof_key: str | None = None
    """The BAG pand id of the roof a roof change belongs to."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "entity": self.entity,
            "entity_id": self.entity_id,
            "field": self.field,
            "old_value": _plain(self.old_value),
            "new_value": _plain(self.new_value),
            "source": self.source,
            "source_file": self.source_file,
            "record": self.record,
            "origin": self.origin.value,
            "old_origin": self.old_origin.value if self.old_origin else None,
            "action": self.action,
            "conflict": self.conflict,
        }


def _plain(value: Any) -> Any:
    if isinstance(value, Location):
        return {"lat": value.lat, "lon": value.lon}
    if isinstance(value, float):
        return round(value, 6)
    return value


@dataclass(frozen=True)
class CompanyMatch:
    """How one company was matched to a building, for the report."""

    company_id: str
    company_name: str
    status: str
    """``matched``, ``several``, ``none``, or ``no_bag`` (no BAG file given)."""
    method: str | None
    pand_ids: tuple[str, ...]
    distance_m: float | None = None
    roof_area_m2: float | None = None
    """Footprint area of the matched building. [m2]"""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "company_id": self.company_id,
            "company_name": self.company_name,
            "status": self.status,
            "method": self.method,
            "pand_ids": list(self.pand_ids),
            "distance_m": None if self.distance_m is None else round(self.distance_m, 2),
            "roof_area_m2": None if self.roof_area_m2 is None else round(self.roof_area_m2, 2),
        }


@dataclass(frozen=True)
class LabelFinding:
    """An energy label found for a company (also proposed as ``Company.energy_label``)."""

    company_id: str
    label_class: str
    valid_until: str | None
    record: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "company_id": self.company_id,
            "label_class": self.label_class,
            "valid_until": self.valid_until,
            "record": self.record,
        }


@dataclass
class Proposal:
    """What open data would change in a park, and what could not be matched."""

    park_id: str
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    matches: list[CompanyMatch] = field(default_factory=list)
    labels: list[LabelFinding] = field(default_factory=list)
    net_area_ha: float | None = None
    """IBIS net area of the park (no field in the park model; shown only). [ha]"""

    @property
    def conflicts(self) -> list[Change]:
        """Changes of reported or measured values."""
        return [c for c in self.changes if c.conflict]

    def applicable(self, overwrite_reported: bool = False) -> list[Change]:
        """The changes that :func:`apply_changes` applies."""
        return [c for c in self.changes if overwrite_reported or not c.conflict]

    def to_dict(self, lang: Lang = "nl") -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "park_id": self.park_id,
            "changes": [c.to_dict() for c in self.changes],
            "conflicts": len(self.conflicts),
            "problems": [p.to_dict(lang) for p in self.problems],
            "matches": [m.to_dict() for m in self.matches],
            "energy_labels": [x.to_dict() for x in self.labels],
            "net_area_ha": self.net_area_ha,
        }


# ---------------------------------------------------------------------------- helpers


def _norm_name(text: str | None) -> str:
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"\b(b\.?v\.?|v\.?o\.?f\.?|n\.?v\.?|holding)\b", " ", plain)
    return re.sub(r"[^a-z0-9]+", "", plain)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return bool(a == b)


class _Builder:
    """Collects changes with the overwrite rules."""

    def __init__(self, park: Park) -> None:
        self.park = park
        self.changes: list[Change] = []
        self.floor_from_bag: set[str] = set()
        """Companies whose floor area BAG gives (EP-Online is then not used for it)."""

    def set(
        self,
        entity: Entity,
        entity_id: str,
        obj: Any,
        field_name: str,
        new: Any,
        *,
        source: str,
        file: str,
        record: str,
        origin: Origin,
        company_id: str | None = None,
        roof_key: str | None = None,
    ) -> None:
        """Propose ``field_name = new`` on ``obj`` (``None`` for an entity still to make)."""
        if new is None or (isinstance(new, list) and not new):
            return
        old = getattr(obj, field_name, None) if obj is not None else None
        if isinstance(old, list) and not old:
            old = None  # an empty list (e.g. building_use) means unknown
        old_origin = obj.origin_of(field_name) if obj is not None and old is not None else None
        if old is not None and _same(old, new):
            return
        conflict = False
        if old is not None:
            if origin == Origin.ESTIMATED and old_origin != Origin.ESTIMATED:
                return  # an estimate never replaces a known value
            conflict = old_origin in _KEPT
        self.changes.append(
            Change(
                entity=entity,
                entity_id=entity_id,
                field=field_name,
                old_value=old,
                new_value=new,
                source=source,
                source_file=file,
                record=record,
                origin=origin,
                conflict=conflict,
                old_origin=old_origin,
                company_id=company_id,
                roof_key=roof_key,
            )
        )


def _problem(
    code: str, nl: str, en: str, *, path: str, file: str | None, value: Any = None
) -> Problem:
    return warning(path, nl, en, value=value, code=code).located(file=file)


# ---------------------------------------------------------------------------- propose


def propose(
    park: Park,
    sources: Sources,
    settings: EnrichSettings,
    *,
    ibis_id: str | None = None,
) -> Proposal:
    """The changes that open data proposes for a park.

    Parameters
    ----------
    park
        The park as it is (not changed).
    sources
        The records read from the open-data files.
    settings
        Matching distance and roof estimates (see :class:`EnrichSettings`).
    ibis_id
        The IBIS park id (RIN number) to use when the IBIS file holds several parks.

    Returns
    -------
    Proposal
        Changes, per-record problems, company-building matches and energy labels found.
    """
    proposal = Proposal(park_id=park.id, problems=list(sources.problems))
    builder = _Builder(park)
    outline_rd = None
    if sources.ibis is not None:
        outline_rd = _propose_ibis(park, sources, builder, proposal, ibis_id)
    if outline_rd is None and park.outline_geojson:
        outline_rd = _outline_rd(park.outline_geojson)
    kvk_of: dict[str, KvkRecord] = {}
    new_companies: list[Company] = []
    if sources.kvk is not None:
        kvk_of, new_companies = _propose_kvk(park, sources, builder, proposal, outline_rd)
    companies = [*park.companies, *new_companies]
    if sources.bag is not None:
        _propose_bag(
            companies,
            kvk_of,
            sources=sources,
            settings=settings,
            builder=builder,
            proposal=proposal,
        )
    if sources.labels is not None:
        _propose_labels(companies, kvk_of, sources, builder, proposal)
    if sources.consumption is not None:
        _propose_consumption(companies, sources, builder, proposal)
    proposal.changes = builder.changes
    return proposal


def _outline_rd(outline: dict[str, Any]) -> Any:
    from shapely.geometry import shape

    from parkplan.io import geo

    try:
        return geo.to_rd(shape(outline), geo.WGS84)
    except (ValueError, TypeError, AttributeError):
        return None


def _propose_ibis(
    park: Park, sources: Sources, builder: _Builder, proposal: Proposal, ibis_id: str | None
) -> Any:
    from shapely.geometry import mapping

    from parkplan.io import geo

    records = sources.ibis or []
    file = sources.files.get(SOURCE_IBIS, "")
    chosen: list[IbisPark]
    if ibis_id is not None:
        chosen = [r for r in records if (r.plan_id or "").lower() == ibis_id.lower()]
    elif len(records) == 1:
        chosen = records
    else:
        chosen = [r for r in records if _norm_name(r.name) == _norm_name(park.name)]
        if not chosen:
            chosen = [
                r
                for r in records
                if _norm_name(r.name) and _norm_name(r.name) in _norm_name(park.name)
            ]
    if len(chosen) != 1:
        names = ", ".join(f"{r.plan_id or '-'} {r.name}" for r in records)
        if not chosen:
            nl = f"geen IBIS-record past bij park '{park.name}'"
            en = f"no IBIS record matches park '{park.name}'"
        else:
            nl = f"meerdere IBIS-records passen bij park '{park.name}'"
            en = f"several IBIS records match park '{park.name}'"
        proposal.problems.append(
            _problem(
                "no_park_match" if not chosen else "several_parks",
                f"{nl}; kies er een met --ibis-id (in het bestand: {names})",
                f"{en}; choose one with --ibis-id (in the file: {names})",
                path="park",
                file=file,
                value=ibis_id,
            )
        )
        return None
    rec = chosen[0]
    kw: dict[str, Any] = {
        "source": SOURCE_IBIS,
        "file": file,
        "record": rec.record,
        "origin": Origin.OPEN_DATA,
    }
    builder.set("park", park.id, park, "municipality", rec.municipality, **kw)
    area = rec.gross_area_ha
    if area is None and rec.outline is not None:
        area = geo.area_m2(rec.outline) / 10_000.0  # m2 -> ha
    builder.set("park", park.id, park, "area_ha", area, **kw)
    proposal.net_area_ha = rec.net_area_ha
    if rec.outline is not None:
        outline_wgs = geo.to_wgs84(rec.outline)
        doc = _rounded_geojson(mapping(outline_wgs))
        builder.set("park", park.id, park, "outline_geojson", doc, **kw)
        centre = rec.outline.centroid
        lat, lon = geo.rd_to_wgs84(centre.x, centre.y)
        location = Location(lat=round(lat, 7), lon=round(lon, 7))
        builder.set("park", park.id, park, "location", location, **kw)
    return rec.outline


def _rounded_geojson(doc: Any) -> Any:
    """A GeoJSON mapping with lists instead of tuples and coordinates to 1e-7 degree."""
    if isinstance(doc, dict):
        return {k: _rounded_geojson(v) for k, v in doc.items()}
    if isinstance(doc, list | tuple):
        return [_rounded_geojson(v) for v in doc]
    if isinstance(doc, float):
        return round(doc, 7)
    return doc


def _new_company_id(park: Park, taken: set[str], rec: KvkRecord) -> str:
    base = f"kvk-{rec.kvk}"
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def _propose_kvk(
    park: Park,
    sources: Sources,
    builder: _Builder,
    proposal: Proposal,
    outline_rd: Any,
) -> tuple[dict[str, KvkRecord], list[Company]]:
    file = sources.files.get(SOURCE_KVK, "")
    by_kvk = {c.kvk: c for c in park.companies if c.kvk}
    by_address: dict[tuple[str, int, str, str], list[Company]] = {}
    for c in park.companies:
        address = parse_address_line(c.address, c.postcode)
        if address is not None:
            by_address.setdefault(address.key, []).append(c)
    by_name = defaultdict(list)
    for c in park.companies:
        by_name[_norm_name(c.name)].append(c)
    kvk_of: dict[str, KvkRecord] = {}
    used_kvk: set[str] = set()
    taken = {c.id for c in park.companies}
    new: list[Company] = []
    for rec in sources.kvk or []:
        company = by_kvk.get(rec.kvk)
        if company is None and rec.address is not None:
            found = [c for c in by_address.get(rec.address.key, []) if not c.kvk]
            company = found[0] if len(found) == 1 else None
        if company is None:
            found = [c for c in by_name.get(_norm_name(rec.name), []) if not c.kvk]
            company = found[0] if len(found) == 1 else None
        if rec.kvk in used_kvk or (company is not None and company.id in kvk_of):
            proposal.problems.append(
                _problem(
                    "duplicate_kvk",
                    f"nog een vestiging van KvK-nummer {rec.kvk} ({rec.name}): niet gebruikt, "
                    "want een KvK-nummer komt maar één keer voor in een park. Voeg de "
                    "vestiging zo nodig zelf toe",
                    f"another establishment of KvK number {rec.kvk} ({rec.name}): not used, "
                    "as a KvK number occurs once in a park. Add the establishment yourself "
                    "if needed",
                    path=f"KvK {rec.kvk}",
                    file=file,
                    value=rec.branch_number,
                )
            )
            continue
        has_point = outline_rd is not None and rec.point is not None
        if company is None and has_point and not outline_rd.covers(rec.point):
            proposal.problems.append(
                _problem(
                    "outside_park",
                    f"{rec.name} (KvK {rec.kvk}) ligt buiten de omtrek van het park: "
                    "niet toegevoegd",
                    f"{rec.name} (KvK {rec.kvk}) lies outside the park outline: not added",
                    path=f"KvK {rec.kvk}",
                    file=file,
                )
            )
            continue
        used_kvk.add(rec.kvk)
        kw: dict[str, Any] = {
            "source": SOURCE_KVK,
            "file": file,
            "record": rec.record,
            "origin": Origin.OPEN_DATA,
        }
        if company is None:
            company_id = _new_company_id(park, taken, rec)
            taken.add(company_id)
            company = Company(id=company_id, name=rec.name, origins={"name": Origin.OPEN_DATA})
            new.append(company)
            builder.changes.append(
                Change(
                    entity="company",
                    entity_id=company_id,
                    field="name",
                    old_value=None,
                    new_value=rec.name,
                    source=SOURCE_KVK,
                    source_file=file,
                    record=rec.record,
                    origin=Origin.OPEN_DATA,
                    action="add",
                    company_id=company_id,
                )
            )
            target: Company | None = None
        else:
            target = company
            builder.set(
                "company", company.id, company, "name", rec.name, company_id=company.id, **kw
            )
        kvk_of[company.id] = rec
        cid = company.id
        builder.set("company", cid, target, "kvk", rec.kvk, company_id=cid, **kw)
        builder.set("company", cid, target, "sbi", rec.sbi, company_id=cid, **kw)
        builder.set("company", cid, target, "employees", rec.employees, company_id=cid, **kw)
        if rec.address is not None:
            street = rec.address.street or ""
            number = f"{rec.address.number}{rec.address.letter}"
            if rec.address.addition:
                number += f"-{rec.address.addition}"
            line = f"{street} {number}".strip()
            current = parse_address_line(target.address, target.postcode) if target else None
            if current is None or current.key != rec.address.key:
                builder.set("company", cid, target, "address", line, company_id=cid, **kw)
            builder.set(
                "company", cid, target, "postcode", rec.address.postcode, company_id=cid, **kw
            )
    return kvk_of, new


def _roof_estimate(footprint_m2: float, settings: EnrichSettings) -> dict[str, float]:
    """Roof face of a building from its footprint: flat for large footprints, else pitched."""
    if footprint_m2 >= settings.flat_min_footprint_m2:
        return {
            "area_m2": round(footprint_m2, 2),
            "usable_fraction": settings.usable_fraction_flat,
            "tilt_deg": settings.tilt_flat_deg,
            "azimuth_deg": settings.azimuth_deg,
        }
    tilt = settings.tilt_pitched_deg
    return {
        "area_m2": round(footprint_m2 / math.cos(math.radians(tilt)), 2),
        "usable_fraction": settings.usable_fraction_pitched,
        "tilt_deg": tilt,
        "azimuth_deg": settings.azimuth_deg,
    }


def _describe_match(m: BuildingMatch) -> tuple[str, str]:
    how = {
        "bag_pand_id": ("het opgegeven BAG-pand-id", "the BAG building id given"),
        "vbo": ("het BAG-verblijfsobject van het KvK-adres", "the BAG unit of the KvK address"),
        "address": ("het adres", "the address"),
        "address_number": ("postcode en huisnummer", "postcode and house number"),
        "location": ("de locatie", "the location"),
        "nearest": ("de locatie (dichtstbijzijnde pand)", "the location (nearest building)"),
    }
    return how.get(m.method or "", ("", ""))


def _propose_bag(
    companies: Sequence[Company],
    kvk_of: dict[str, KvkRecord],
    *,
    sources: Sources,
    settings: EnrichSettings,
    builder: _Builder,
    proposal: Proposal,
) -> None:
    file = sources.files.get(SOURCE_BAG, "")
    assert sources.bag is not None
    index = BagIndex.build(sources.bag)
    results: dict[str, BuildingMatch] = {}
    for company in companies:
        rec = kvk_of.get(company.id)
        address = parse_address_line(company.address, company.postcode)
        if address is None and rec is not None:
            address = rec.address
        m = match_building(
            index,
            pand_ids=tuple(r.bag_pand_id for r in company.roofs if r.bag_pand_id),
            vbo_id=rec.vbo_id if rec else None,
            address=address,
            point=rec.point if rec else None,
            max_distance_m=settings.max_distance_m,
        )
        results[company.id] = m
    users: dict[str, list[str]] = defaultdict(list)
    for cid, m in results.items():
        if m.status == "matched":
            users[m.pand_ids[0]].append(cid)
    existing_ids = {c.id for c in builder.park.companies}
    for company in companies:
        m = results[company.id]
        target = company if company.id in existing_ids else None
        path = f"{company.id} ({company.name})"
        area = None
        if m.status == "none":
            if m.distance_m is not None and m.nearest_pand_id:
                nl = (
                    f"geen BAG-pand gevonden: het dichtstbijzijnde pand ({m.nearest_pand_id}) "
                    f"ligt {m.distance_m:.0f} m van de KvK-locatie, meer dan "
                    f"{settings.max_distance_m:.0f} m"
                )
                en = (
                    f"no BAG building found: the nearest building ({m.nearest_pand_id}) is "
                    f"{m.distance_m:.0f} m from the KvK location, more than "
                    f"{settings.max_distance_m:.0f} m"
                )
            else:
                nl = "geen BAG-pand gevonden bij dit adres (en geen locatie om op te zoeken)"
                en = "no BAG building found at this address (and no location to search by)"
            proposal.problems.append(
                _problem(
                    "no_match",
                    f"{nl}. Geef het BAG-pand-id op bij het dak (roofs[].bag_pand_id)",
                    f"{en}. Give the BAG building id on the roof (roofs[].bag_pand_id)",
                    path=path,
                    file=file,
                    value=company.address,
                )
            )
        elif m.status == "several":
            how_nl, how_en = _describe_match(m)
            proposal.problems.append(
                _problem(
                    "several_buildings",
                    f"{how_nl} past bij meerdere BAG-panden ({', '.join(m.pand_ids)}): geen dak "
                    "voorgesteld. Kies het juiste pand met roofs[].bag_pand_id",
                    f"{how_en} matches several BAG buildings ({', '.join(m.pand_ids)}): no "
                    "roof proposed. Choose the right building with roofs[].bag_pand_id",
                    path=path,
                    file=file,
                    value=company.address,
                )
            )
        else:
            area = _propose_roof(
                company,
                target,
                m=m,
                index=index,
                users=users,
                settings=settings,
                builder=builder,
                proposal=proposal,
                file=file,
            )
            _propose_building_facts(company, target, m=m, index=index, builder=builder, file=file)
            floor = sum(u.floor_area_m2 or 0.0 for u in {u.vbo_id: u for u in m.units}.values())
            if floor > 0:
                builder.floor_from_bag.add(company.id)
                builder.set(
                    "company",
                    company.id,
                    target,
                    "floor_area_m2",
                    floor,
                    source=SOURCE_BAG,
                    file=file,
                    record=", ".join(sorted({u.record for u in m.units})),
                    origin=Origin.OPEN_DATA,
                    company_id=company.id,
                )
        proposal.matches.append(
            CompanyMatch(
                company_id=company.id,
                company_name=company.name,
                status=m.status,
                method=m.method,
                pand_ids=m.pand_ids,
                distance_m=m.distance_m,
                roof_area_m2=area,
            )
        )


def _propose_building_facts(
    company: Company,
    target: Company | None,
    *,
    m: BuildingMatch,
    index: BagIndex,
    builder: _Builder,
    file: str,
) -> None:
    """Construction year (BAG ``bouwjaar``) and uses (``gebruiksdoel``) of the matched
    building: the uses of the company's own units when it was matched by address, else
    those of the whole building."""
    building = index.buildings.get(m.pand_ids[0])
    if building is None:
        return
    kw: dict[str, Any] = {
        "source": SOURCE_BAG,
        "file": file,
        "record": building.record,
        "origin": Origin.OPEN_DATA,
        "company_id": company.id,
    }
    builder.set(
        "company", company.id, target, "construction_year", building.construction_year, **kw
    )
    units = list({u.vbo_id: u for u in m.units}.values())
    uses = sorted({use for u in units for use in u.use}) or sorted(set(building.use))
    if units and any(u.use for u in units):
        kw["record"] = ", ".join(sorted({u.record for u in units}))
    builder.set("company", company.id, target, "building_use", uses, **kw)


def _propose_roof(
    company: Company,
    target: Company | None,
    *,
    m: BuildingMatch,
    index: BagIndex,
    users: dict[str, list[str]],
    settings: EnrichSettings,
    builder: _Builder,
    proposal: Proposal,
    file: str,
) -> float | None:
    pand_id = m.pand_ids[0]
    building = index.buildings[pand_id]
    path = f"{company.id} ({company.name})"
    if building.footprint is None:
        for p in building.problems or ():
            proposal.problems.append(
                _problem(
                    p.code,
                    f"pand {pand_id} gevonden, maar zonder bruikbare omtrek: {p.nl}",
                    f"building {pand_id} found, but without a usable outline: {p.en}",
                    path=path,
                    file=p.file or file,
                    value=p.value,
                )
            )
        return None
    sharing = users.get(pand_id, [])
    if len(sharing) > 1:
        others = ", ".join(c for c in sharing if c != company.id)
        proposal.problems.append(
            _problem(
                "shared_building",
                f"pand {pand_id} hoort ook bij {others}: geen dak voorgesteld; verdeel het dak "
                "zelf over de bedrijven",
                f"building {pand_id} also belongs to {others}: no roof proposed; divide the "
                "roof between the companies yourself",
                path=path,
                file=file,
            )
        )
        return None
    from parkplan.io.geo import area_m2

    footprint = area_m2(building.footprint)
    estimate = _roof_estimate(footprint, settings)
    entity_id = f"{company.id}/{pand_id}"
    record = building.record
    existing = next((r for r in company.roofs if r.bag_pand_id == pand_id), None)
    if existing is not None and target is not None:
        # a roof of this building is known: only the area can change
        builder.set(
            "roof",
            entity_id,
            existing,
            "area_m2",
            estimate["area_m2"],
            source=SOURCE_BAG,
            file=file,
            record=record,
            origin=Origin.OPEN_DATA,
            company_id=company.id,
            roof_key=pand_id,
        )
        return footprint
    reported = [r for r in company.roofs if not r.bag_pand_id]
    conflict = bool(reported) and target is not None
    old_area = sum(r.area_m2 for r in reported) if reported else None
    if conflict:
        builder.changes.append(
            Change(
                entity="roof",
                entity_id=entity_id,
                field="roofs",
                old_value=old_area,
                new_value=estimate["area_m2"],
                source=SOURCE_BAG,
                source_file=file,
                record=record,
                origin=Origin.OPEN_DATA,
                action="replace",
                conflict=True,
                old_origin=Origin.REPORTED,
                company_id=company.id,
                roof_key=pand_id,
            )
        )
    builder.changes.append(
        Change(
            entity="roof",
            entity_id=entity_id,
            field="area_m2",
            old_value=None,
            new_value=estimate["area_m2"],
            source=SOURCE_BAG,
            source_file=file,
            record=record,
            origin=Origin.OPEN_DATA,
            action="add",
            conflict=conflict,
            company_id=company.id,
            roof_key=pand_id,
        )
    )
    for name in ("usable_fraction", "tilt_deg", "azimuth_deg"):
        builder.changes.append(
            Change(
                entity="roof",
                entity_id=entity_id,
                field=name,
                old_value=None,
                new_value=estimate[name],
                source=SOURCE_BAG,
                source_file=file,
                record=record,
                origin=Origin.ESTIMATED,
                conflict=conflict,
                company_id=company.id,
                roof_key=pand_id,
            )
        )
    return footprint


def _propose_labels(
    companies: Sequence[Company],
    kvk_of: dict[str, KvkRecord],
    sources: Sources,
    builder: _Builder,
    proposal: Proposal,
) -> None:
    file = sources.files.get(SOURCE_LABELS, "")
    by_vbo = defaultdict(list)
    by_key = defaultdict(list)
    for label in sources.labels or []:
        if label.vbo_id:
            by_vbo[label.vbo_id].append(label)
        if label.address is not None:
            by_key[label.address.key].append(label)
    existing_ids = {c.id for c in builder.park.companies}
    floor_set = builder.floor_from_bag
    for company in companies:
        rec = kvk_of.get(company.id)
        found: list[EnergyLabel] = []
        if rec is not None and rec.vbo_id:
            found = by_vbo.get(rec.vbo_id, [])
        if not found:
            address = parse_address_line(company.address, company.postcode) or (
                rec.address if rec else None
            )
            if address is not None:
                found = by_key.get(address.key, [])
        if not found:
            continue
        newest = max(found, key=lambda x: x.registered or "")
        proposal.labels.append(
            LabelFinding(company.id, newest.label_class, newest.valid_until, newest.record)
        )
        builder.set(
            "company",
            company.id,
            company if company.id in existing_ids else None,
            "energy_label",
            newest.label_class,
            source=SOURCE_LABELS,
            file=file,
            record=newest.record,
            origin=Origin.OPEN_DATA,
            company_id=company.id,
        )
        if company.id not in floor_set and newest.floor_area_m2:
            builder.set(
                "company",
                company.id,
                company if company.id in existing_ids else None,
                "floor_area_m2",
                newest.floor_area_m2,
                source=SOURCE_LABELS,
                file=file,
                record=newest.record,
                origin=Origin.OPEN_DATA,
                company_id=company.id,
            )


def _propose_consumption(
    companies: Sequence[Company],
    sources: Sources,
    builder: _Builder,
    proposal: Proposal,
) -> None:
    """Small-user consumption (mean of the postcode range) for kleinverbruik companies whose
    consumption is unknown or itself an estimate."""
    file = sources.files.get(SOURCE_CONSUMPTION, "")
    ranges = sources.consumption or []
    existing_ids = {c.id for c in builder.park.companies}
    for company in companies:
        if company.id not in existing_ids:
            continue  # connection unknown: a small-user mean could be far off
        pc = normalise_postcode(company.postcode)
        if pc is None:
            continue
        targets: list[tuple[str, Entity, str, Any]] = []
        main = company.main_connection
        el = company.electricity
        small = main is not None and main.kind == "kleinverbruik"
        if small and (el is None or el.origin_of("annual_kwh") == Origin.ESTIMATED):
            targets.append(("ELK", "electricity", "annual_kwh", el))
        gas_small = [
            c for c in company.connections if c.carrier == "gas" and c.kind == "kleinverbruik"
        ]
        gas = company.gas
        if gas_small and (gas is None or gas.origin_of("annual_m3") == Origin.ESTIMATED):
            targets.append(("GAS", "gas", "annual_m3", gas))
        for product, entity, field_name, obj in targets:
            hits = [r for r in ranges if r.product == product and r.contains(pc)]
            if len(hits) > 1:
                proposal.problems.append(
                    _problem(
                        "several_ranges",
                        f"postcode {pc} valt in {len(hits)} reeksen ({product}): niet gebruikt",
                        f"postcode {pc} lies in {len(hits)} ranges ({product}): not used",
                        path=f"{company.id} ({company.name})",
                        file=file,
                    )
                )
            if len(hits) != 1:
                continue
            hit = hits[0]
            builder.set(
                entity,
                company.id,
                obj,
                field_name,
                hit.annual_mean,
                source=SOURCE_CONSUMPTION,
                file=file,
                record=f"{hit.record} ({hit.mean_column}, n={hit.connections or '?'})",
                origin=Origin.ESTIMATED,
                company_id=company.id,
            )


# ---------------------------------------------------------------------------- apply


def apply_changes(
    park: Park, changes: Iterable[Change], *, overwrite_reported: bool = False
) -> Park:
    """A copy of ``park`` with the changes applied; each field records its origin.

    Conflicts (changes of reported or measured values) are applied only with
    ``overwrite_reported``. The input park is not changed.
    """
    result = copy.deepcopy(park)
    for change in changes:
        if change.conflict and not overwrite_reported:
            continue
        _apply_one(result, change)
    return result


def _apply_one(park: Park, change: Change) -> None:
    if change.entity == "park":
        setattr(park, change.field, copy.deepcopy(change.new_value))
        if change.field not in _NO_ORIGIN:
            park.origins[change.field] = change.origin
        return
    assert change.company_id is not None
    if change.entity == "company" and change.action == "add":
        park.companies.append(
            Company(id=change.company_id, name=change.new_value, origins={"name": change.origin})
        )
        return
    company = park.company(change.company_id)
    if change.entity == "company":
        setattr(company, change.field, copy.deepcopy(change.new_value))
        company.origins[change.field] = change.origin
    elif change.entity == "electricity":
        if company.electricity is None:
            company.electricity = ElectricityUse(annual_kwh=change.new_value)
        else:
            setattr(company.electricity, change.field, change.new_value)
        company.electricity.origins[change.field] = change.origin
    elif change.entity == "gas":
        if company.gas is None:
            company.gas = GasUse(annual_m3=change.new_value)
        else:
            setattr(company.gas, change.field, change.new_value)
        company.gas.origins[change.field] = change.origin
    elif change.entity == "roof":
        _apply_roof(company, change)


def _apply_roof(company: Company, change: Change) -> None:
    if change.action == "replace":
        company.roofs = [r for r in company.roofs if r.bag_pand_id]
        return
    roof = next((r for r in company.roofs if r.bag_pand_id == change.roof_key), None)
    if roof is None:
        if change.action != "add":
            return
        roof = Roof(
            area_m2=change.new_value,
            bag_pand_id=change.roof_key,
            origins={"bag_pand_id": change.origin},
        )
        company.roofs.append(roof)
    else:
        setattr(roof, change.field, change.new_value)
    roof.origins[change.field] = change.origin
