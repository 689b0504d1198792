"""IBIS business park records (Integrale Bedrijventerreinen Informatie Systeem).

The provinces keep IBIS, the yearly survey of all Dutch business parks, and publish it as
open data (GeoJSON / GeoPackage / shapefile from the provincial geo portals, or a table).
Accepted here: a GeoJSON file or a GeoPackage (the first feature layer, or the one whose
name holds ``ibis`` or ``bedrijventerrein``) with one feature per park, or a CSV with one
row per park
(an optional ``geometrie``/``wkt`` column holds the outline as WKT). Column names as IBIS
is published (case and underscores do not matter): the national layer
``IBISbedrijventerreinen`` (RVO WarmteAtlas WFS; also on data.overheid.nl as "ligging
bedrijventerreinen", IPO) has ``RIN_NUMMER``, ``JAAR``, ``PLAN_NAAM``, ``GEM_CODES`` (CBS
municipality code, not a name), ``HA_BRUTO``, ``HA_NETTO``, ``HA_TOTTUIT`` and
``WLOC_TYPE``; provincial files use e.g. ``GEM_NAAM`` / ``gemeente`` for the municipality and
``BRUTO_OPP`` / ``NETTO_OPP`` for the areas. Accepted: name ``PLAN_NAAM`` / ``naam`` /
``bedrijventerrein``; municipality ``GEM_NAAM`` / ``gemeente``; park id ``RIN_NUMMER`` /
``ibis_id`` / ``terreincode``; gross area ``HA_BRUTO`` / ``BRUTO_OPP`` / ``bruto_ha``; net
area ``HA_NETTO`` / ``NETTO_OPP`` / ``netto_ha``. Areas are hectares, as in IBIS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parkplan.domain.errors import Problem, error
from parkplan.enrich.records import IbisPark
from parkplan.io import geo
from parkplan.io.dutch_numbers import CellError, normalise_header, parse_number
from parkplan.io.opendata.common import (
    cell,
    file_error,
    gpkg_layer_rows,
    number_cell,
    open_gpkg,
    read_geojson,
    read_table,
    shape_of,
)

SOURCE = "IBIS"
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("PLAN_NAAM", "naam", "bedrijventerrein", "terreinnaam", "name"),
    "municipality": ("GEM_NAAM", "gemeente", "gemeentenaam", "municipality"),
    "plan_id": ("RIN_NUMMER", "RIN_NR", "ibis_id", "terreincode", "plan_id"),
    "gross": ("HA_BRUTO", "BRUTO_OPP", "bruto_oppervlakte", "bruto_ha", "oppervlakte_bruto"),
    "net": ("HA_NETTO", "NETTO_OPP", "netto_oppervlakte", "netto_ha", "oppervlakte_netto"),
    "wkt": ("geometrie", "wkt", "geometry", "geom"),
}


def _prop(props: dict[str, Any], key: str) -> Any:
    wanted = [normalise_header(s) for s in COLUMNS[key]]
    norm = {normalise_header(k): v for k, v in props.items()}
    for w in wanted:
        if w in norm and norm[w] not in (None, ""):
            return norm[w]
    return None


def read_ibis(path: str | Path) -> tuple[list[IbisPark], dict[str, Any]]:
    """Business park records from an IBIS GeoJSON or CSV file.

    Returns
    -------
    tuple
        The parks (outlines in RD New) and metadata: ``file``, ``source`` (``IBIS``),
        ``crs`` and ``problems`` (wrong projection, broken outline, bad area; per record).
    """
    p = Path(path)
    if p.suffix.lower() in (".csv", ".txt"):
        return _read_csv(p)
    if p.is_file():
        with p.open("rb") as fh:
            if fh.read(16).startswith(b"SQLite format 3"):
                return _read_gpkg(p)
    features, declared = read_geojson(p)
    crs = declared or geo.WGS84
    parks: list[IbisPark] = []
    problems: list[Problem] = []
    for i, feature in enumerate(features, start=1):
        props = dict(feature.get("properties") or {})
        record = f"{p.name} feature #{i}"
        own: list[Problem] = []
        try:
            outline = shape_of(feature.get("geometry"))
        except ValueError as exc:
            own.append(_broken(record, str(exc), p.name))
            outline = None
        park = _park(props, outline, crs, record=record, file=p.name, problems=own)
        problems.extend(own)
        if park is not None:
            parks.append(park)
    return parks, {"file": p.name, "source": SOURCE, "crs": crs, "problems": problems}


def _broken(record: str, reason: str, file: str) -> Problem:
    return error(
        record,
        f"kapotte geometrie: de omtrek is niet te lezen ({reason})",
        f"broken geometry: the outline cannot be read ({reason})",
        value=reason,
        code="broken_geometry",
    ).located(file=file)


def _area(value: Any, record: str, column: str, file: str, problems: list[Problem]) -> Any:
    if value is None:
        return None
    try:
        return float(parse_number(value, decimal_sep="," if isinstance(value, str) else "."))
    except CellError as exc:
        problems.append(
            error(record, exc.nl, exc.en, value=value, code=exc.code).located(
                file=file, column=column
            )
        )
        return None


def _park(
    props: dict[str, Any],
    outline: Any,
    crs: str,
    *,
    record: str,
    file: str,
    problems: list[Problem],
) -> IbisPark | None:
    name = _prop(props, "name")
    if not name:
        problems.append(
            error(
                record,
                "parkrecord zonder naam (PLAN_NAAM); overgeslagen",
                "park record without a name (PLAN_NAAM); skipped",
                code="missing",
            ).located(file=file)
        )
        return None
    outline_rd = None
    if outline is not None:
        problem = geo.check_geometry_crs(outline, crs, record) or geo.geometry_problem(
            outline, record
        )
        if problem is not None:
            problems.append(problem.located(file=file))
        else:
            outline_rd = geo.to_rd(outline, crs)
    plan_id = _prop(props, "plan_id")
    return IbisPark(
        name=str(name).strip(),
        municipality=(str(_prop(props, "municipality")).strip() or None)
        if _prop(props, "municipality")
        else None,
        plan_id=str(plan_id).strip() if plan_id is not None else None,
        gross_area_ha=_area(_prop(props, "gross"), record, "HA_BRUTO", file, problems),
        net_area_ha=_area(_prop(props, "net"), record, "HA_NETTO", file, problems),
        outline=outline_rd,
        record=record,
    )


def _read_csv(p: Path) -> tuple[list[IbisPark], dict[str, Any]]:
    import shapely

    table = read_table(p)
    cols = {key: table.index(syn) for key, syn in COLUMNS.items()}
    parks: list[IbisPark] = []
    problems: list[Problem] = []
    for row_no, row in table.rows:
        record = f"{p.name}:{row_no}"
        own: list[Problem] = []
        props = {COLUMNS[k][0]: cell(row, i) for k, i in cols.items() if k != "wkt"}
        for key in ("gross", "net"):
            props[COLUMNS[key][0]] = number_cell(table, row_no, row, cols[key], own)
        outline = None
        wkt = cell(row, cols["wkt"])
        if wkt:
            try:
                outline = shapely.from_wkt(wkt)
            except shapely.errors.ShapelyError as exc:
                own.append(_broken(record, str(exc), p.name))
        crs = geo.RD_NEW
        if outline is not None:
            coords = shapely.get_coordinates(outline)
            if geo.check_coordinates(coords[:, 0], coords[:, 1], geo.WGS84) == "ok":
                crs = geo.WGS84  # WKT in degrees: lon/lat
        park = _park(props, outline, crs, record=record, file=p.name, problems=own)
        problems.extend(own)
        if park is not None:
            parks.append(park)
    return parks, {"file": p.name, "source": SOURCE, "crs": geo.RD_NEW, "problems": problems}


def _read_gpkg(p: Path) -> tuple[list[IbisPark], dict[str, Any]]:
    con, layers, srs = open_gpkg(p)
    try:
        if not layers:
            raise file_error(p, "geen laag met geometrie", "no layer with geometry")
        name = next(
            (k for k in layers if "ibis" in k or "bedrijventerrein" in k), next(iter(layers))
        )
        layer = layers[name]
        crs = srs.get(layer[2], f"EPSG:{layer[2]}")
        parks: list[IbisPark] = []
        problems: list[Problem] = []
        for props, geom, row, geom_crs, broken in gpkg_layer_rows(con, layer, srs, p.name):
            record = f"{p.name} {layer[0]} #{row}"
            own: list[Problem] = [broken] if broken is not None else []
            park = _park(props, geom, geom_crs, record=record, file=p.name, problems=own)
            problems.extend(own)
            if park is not None:
                parks.append(park)
    finally:
        con.close()
    return parks, {"file": p.name, "source": SOURCE, "crs": crs, "problems": problems}
