"""BAG (Basisregistratie Adressen en Gebouwen) buildings from a PDOK GeoPackage or a
GeoJSON export.

Formats
-------
- **GeoPackage** (PDOK "BAG GeoPackage", ``bag-light.gpkg``): an SQLite file following the
  OGC GeoPackage standard. Read with :mod:`sqlite3`; geometries are GeoPackage binary
  (a small header plus WKB) decoded with shapely, so no GDAL is needed. Layers used:
  ``pand`` (``identificatie``, ``bouwjaar``, ``status``, ``gebruiksdoel``, polygon) and,
  when present, ``verblijfsobject`` (``identificatie``, ``pand_identificatie``,
  ``postcode``, ``huisnummer``, ``huisletter``, ``toevoeging``, ``openbare_ruimte_naam``,
  ``woonplaats_naam``, ``gebruiksdoel``, ``oppervlakte``, point).
- **GeoJSON** (e.g. a PDOK WFS ``bag:pand`` / ``bag:verblijfsobject`` download): features
  with the same properties (WFS spellings ``pandidentificatie``, ``openbare_ruimte``,
  ``woonplaats`` accepted). Polygons are buildings, points are units. The CRS is the
  ``crs`` member (PDOK writes ``urn:ogc:def:crs:EPSG::28992``); without it GeoJSON means
  WGS84 (RFC 7946).

Every geometry is checked: wrong projection, swapped coordinates and broken polygons are
problems of that record (the building is kept without footprint, so an address match can
still say what is wrong with it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parkplan.domain.errors import ParkplanError, Problem, error
from parkplan.enrich.records import BagBuilding, BagData, BagUnit, make_address
from parkplan.io import geo
from parkplan.io.opendata.common import (
    file_error,
    gpkg_layer_rows,
    open_gpkg,
    read_geojson,
    shape_of,
    unreadable_geometry,
)

PAND_ID = ("identificatie", "pandidentificatie_pand", "pand_id", "id")
VBO_PAND = ("pand_identificatie", "pandidentificatie", "pandref", "pand_id")
SOURCE = "BAG"


def _pick(props: dict[str, Any], names: tuple[str, ...]) -> Any:
    lowered = {k.lower(): v for k, v in props.items()}
    for name in names:
        if name in lowered and lowered[name] not in (None, ""):
            return lowered[name]
    return None


def _bag_id(value: Any) -> str | None:
    """A 16-digit BAG id from ``"0118100000123456"``, ``118100000123456`` or
    ``"NL.IMBAG.Pand.0118100000123456"``."""
    if value is None:
        return None
    text = str(value).strip().rsplit(".", 1)[-1]
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit():
        return None
    return text.zfill(16) if len(text) <= 16 else None


def _uses(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(part.strip() for part in str(value).split(",") if part.strip())


def _year(value: Any) -> int | None:
    try:
        year = int(float(str(value)))
    except (TypeError, ValueError):
        return None
    return year if year > 0 else None


def _geometry_problems(geom: Any, crs: str, where: str) -> list[Problem]:
    crs_problem = geo.check_geometry_crs(geom, crs, where) if geom is not None else None
    if crs_problem is not None:
        return [crs_problem]
    shape_problem = geo.geometry_problem(geom, where)
    return [shape_problem] if shape_problem else []


def _building(
    props: dict[str, Any],
    geom: Any,
    crs: str,
    *,
    record: str,
    file: str,
    problems: list[Problem],
    broken: Problem | None = None,
    area: Any = None,
) -> BagBuilding | None:
    pand_id = _bag_id(_pick(props, PAND_ID))
    if pand_id is None:
        problems.append(
            error(
                record,
                "pand zonder geldige identificatie (16 cijfers); overgeslagen",
                "building without a valid id (16 digits); skipped",
                value=_pick(props, PAND_ID),
                code="bad_identifier",
            ).located(file=file)
        )
        return None
    where = f"{record} {pand_id}"
    footprint = None
    if broken is not None:
        own = [broken.located(path=where, file=file)]
    elif geom is None or geom.is_empty:
        own = [p.located(file=file) for p in _geometry_problems(geom, crs, where)]
    else:
        crs_problem = geo.check_geometry_crs(geom, crs, where)
        own = [crs_problem.located(file=file)] if crs_problem else []
        if not own:
            footprint = geo.to_rd(geom, crs)
            if area is not None and not footprint.envelope.intersects(area):
                return None  # outside the area asked for
            shape_problem = geo.geometry_problem(footprint, where)
            if shape_problem is not None:
                own = [shape_problem.located(file=file)]
                footprint = None
    problems.extend(own)
    return BagBuilding(
        pand_id=pand_id,
        footprint=footprint,
        construction_year=_year(_pick(props, ("bouwjaar", "oorspronkelijkbouwjaar"))),
        status=_pick(props, ("status", "pandstatus")),
        use=_uses(_pick(props, ("gebruiksdoel",))),
        record=f"{record} {pand_id}",
        problems=tuple(own),
    )


def _unit(
    props: dict[str, Any],
    geom: Any,
    crs: str,
    *,
    record: str,
    file: str,
    problems: list[Problem],
    area: Any = None,
) -> BagUnit | None:
    vbo_id = _bag_id(_pick(props, ("identificatie", "vbo_id")))
    raw_pand = _pick(props, VBO_PAND)
    pand_ids = tuple(p for p in (_bag_id(x) for x in _uses(raw_pand) if x) if p is not None)
    if vbo_id is None:
        problems.append(
            error(
                record,
                "verblijfsobject zonder geldige identificatie; overgeslagen",
                "unit (verblijfsobject) without a valid id; skipped",
                code="bad_identifier",
            ).located(file=file)
        )
        return None
    point = None
    if geom is not None and not geom.is_empty:
        crs_problem = geo.check_geometry_crs(geom, crs, f"{record} {vbo_id}")
        if crs_problem is not None:
            problems.append(crs_problem.located(file=file))
        else:
            point = geo.to_rd(geom, crs)
            if point.geom_type != "Point":
                point = point.representative_point()
            if area is not None and not point.intersects(area):
                return None  # outside the area asked for
    area = _pick(props, ("oppervlakte", "gebruiksoppervlakte"))
    try:
        floor = float(area) if area is not None else None
    except (TypeError, ValueError):
        floor = None
    return BagUnit(
        vbo_id=vbo_id,
        pand_ids=pand_ids,
        address=make_address(
            _pick(props, ("postcode",)),
            _pick(props, ("huisnummer",)),
            letter=_pick(props, ("huisletter",)),
            addition=_pick(props, ("toevoeging", "huisnummertoevoeging")),
            street=_pick(props, ("openbare_ruimte_naam", "openbare_ruimte", "straatnaam")),
            city=_pick(props, ("woonplaats_naam", "woonplaats")),
        ),
        floor_area_m2=floor,
        use=_uses(_pick(props, ("gebruiksdoel",))),
        point=point,
        record=f"{record} {vbo_id}",
    )


def read_bag(path: str | Path, *, area_rd: Any = None) -> tuple[BagData, dict[str, Any]]:
    """Buildings (and units, when present) from a BAG GeoPackage or GeoJSON export.

    Parameters
    ----------
    path
        A ``.gpkg`` file (PDOK BAG GeoPackage) or a ``.geojson`` / ``.json`` export.
    area_rd
        Only read what lies in this area (a shapely geometry in RD New, e.g. the park
        outline with a margin). A GeoPackage with a spatial index (``rtree_pand_geom``, as
        PDOK ships it) is then queried through the index, so that the national file can be
        used directly. Records whose coordinates are unusable are kept (and reported).

    Returns
    -------
    tuple
        The :class:`BagData` and metadata: ``file``, ``format`` (``geopackage`` or
        ``geojson``), ``crs`` (as declared), ``source`` (``BAG``) and ``problems`` (one
        per unusable record: wrong projection, broken geometry, missing id).
    """
    p = Path(path)
    if not p.is_file():
        raise file_error(p, "bestand niet gevonden", "file not found")
    with p.open("rb") as fh:
        magic = fh.read(16)
    if magic.startswith(b"SQLite format 3"):
        data, crs, problems = _read_gpkg(p, area_rd)
        fmt = "geopackage"
    else:
        data, crs, problems = _read_bag_geojson(p, area_rd)
        fmt = "geojson"
    return data, {"file": p.name, "format": fmt, "crs": crs, "source": SOURCE, "problems": problems}


def _read_bag_geojson(p: Path, area: Any) -> tuple[BagData, str, list[Problem]]:
    features, declared = read_geojson(p)
    crs = declared or geo.WGS84
    data = BagData()
    problems: list[Problem] = []
    for i, feature in enumerate(features):
        props = dict(feature.get("properties") or {})
        record = f"feature #{i + 1}"
        broken = None
        try:
            geom = shape_of(feature.get("geometry"))
        except ValueError as exc:
            broken = unreadable_geometry(record, str(exc), p.name)
            geom = None
        is_unit = _pick(props, VBO_PAND) is not None or (
            geom is not None and geom.geom_type == "Point"
        )
        if is_unit:
            if broken is not None:
                problems.append(broken)
            unit = _unit(props, geom, crs, record=record, file=p.name, problems=problems, area=area)
            if unit is not None:
                data.units.append(unit)
        else:
            building = _building(
                props,
                geom,
                crs,
                record=record,
                file=p.name,
                problems=problems,
                broken=broken,
                area=area,
            )
            if building is not None:
                data.buildings.append(building)
    return data, crs, problems


def _read_gpkg(p: Path, area: Any) -> tuple[BagData, str, list[Problem]]:
    con, layers, srs = open_gpkg(p)
    try:
        pand_layer = next((layers[k] for k in layers if k == "pand"), None) or next(
            (layers[k] for k in layers if "pand" in k), None
        )
        if pand_layer is None:
            raise file_error(
                p,
                f"geen laag 'pand' in de GeoPackage (lagen: {', '.join(layers) or 'geen'})",
                f"no layer 'pand' in the GeoPackage (layers: {', '.join(layers) or 'none'})",
            )
        data = BagData()
        problems: list[Problem] = []
        crs = srs.get(pand_layer[2], f"EPSG:{pand_layer[2]}")
        for props, geom, row, geom_crs, broken in gpkg_layer_rows(
            con, pand_layer, srs, p.name, area
        ):
            building = _building(
                props,
                geom,
                geom_crs,
                record=f"pand #{row}",
                file=p.name,
                problems=problems,
                broken=broken,
                area=area,
            )
            if building is not None:
                data.buildings.append(building)
        vbo_layer = next((layers[k] for k in layers if k.startswith("verblijfsobject")), None)
        if vbo_layer is not None:
            for props, geom, row, geom_crs, broken in gpkg_layer_rows(
                con, vbo_layer, srs, p.name, area
            ):
                if broken is not None:
                    problems.append(broken)
                unit = _unit(
                    props,
                    geom,
                    geom_crs,
                    record=f"verblijfsobject #{row}",
                    file=p.name,
                    problems=problems,
                    area=area,
                )
                if unit is not None:
                    data.units.append(unit)
        return data, crs, problems
    finally:
        con.close()


# ------------------------------------------------------------------ optional online fetch

PDOK_BAG_OGC_URL = "https://api.pdok.nl/kadaster/bag/ogc/v2"
"""PDOK's OGC API Features for the BAG (public, no key)."""
_RD_URI = "http://www.opengis.net/def/crs/EPSG/0/28992"


def fetch_bag(
    bbox_rd: tuple[float, float, float, float],
    path: str | Path,
    *,
    collections: tuple[str, ...] = ("pand", "verblijfsobject"),
    page_size: int = 1000,
    max_features: int = 50_000,
    timeout_s: float = 60.0,
    base_url: str = PDOK_BAG_OGC_URL,
) -> Path:
    """Download BAG buildings and units inside an RD New box into a GeoJSON file.

    Uses PDOK's public OGC API Features (no key) and follows its ``next`` links. The file
    declares EPSG:28992 and is read with :func:`read_bag`. Needs the network: parkplan never
    calls it by itself and the tests do not use it.

    Parameters
    ----------
    bbox_rd
        ``(x_min, y_min, x_max, y_max)`` in RD New. [m]
    path
        The GeoJSON file to write.
    collections
        The PDOK collections to fetch.
    page_size, max_features
        Features per request and in total (a guard against fetching a whole city).
    timeout_s
        Timeout per request. [s]
    """
    import json
    import urllib.parse
    import urllib.request

    features: list[dict[str, Any]] = []
    for collection in collections:
        query = urllib.parse.urlencode(
            {
                "bbox": ",".join(f"{v:.2f}" for v in bbox_rd),
                "bbox-crs": _RD_URI,
                "crs": _RD_URI,
                "limit": page_size,
                "f": "json",
            }
        )
        url: str | None = f"{base_url}/collections/{collection}/items?{query}"
        while url is not None:
            with urllib.request.urlopen(url, timeout=timeout_s) as response:
                page = json.loads(response.read().decode("utf-8"))
            features.extend(page.get("features") or [])
            if len(features) > max_features:
                raise ParkplanError(
                    f"meer dan {max_features} BAG-objecten in dit gebied: kies een kleiner gebied",
                    f"more than {max_features} BAG objects in this area: choose a smaller area",
                )
            url = next(
                (link.get("href") for link in page.get("links") or [] if link.get("rel") == "next"),
                None,
            )
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
        "features": features,
    }
    target = Path(path)
    target.write_text(json.dumps(doc), encoding="utf-8")
    return target
