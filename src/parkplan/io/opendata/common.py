"""Shared reading helpers of the open-data readers: CSV tables with known column names,
GeoJSON files and the OGC GeoPackage binary geometry format."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import struct
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parkplan.domain.errors import ParkplanError, Problem, error
from parkplan.io.dutch_numbers import CellError, is_empty, normalise_header, parse_number


def file_error(path: Path, nl: str, en: str) -> ParkplanError:
    """An error about a whole file (unreadable, wrong format)."""
    return ParkplanError(f"{path.name}: {nl}", f"{path.name}: {en}")


@dataclass
class Table:
    """A CSV file as rows of text cells, with its columns found by name."""

    file: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]
    """(row number as people count it, the header being row 1; cells)."""
    delimiter: str
    encoding: str

    def index(self, synonyms: Sequence[str]) -> int | None:
        """The position of the first column whose normalised name is one of ``synonyms``."""
        wanted = [normalise_header(s) for s in synonyms]
        names = [normalise_header(h) for h in self.headers]
        for w in wanted:
            if w in names:
                return names.index(w)
        return None


def read_table(path: str | Path) -> Table:
    """A CSV file (``;``, ``,`` or tab separated; UTF-8 or Windows-1252)."""
    from parkplan.io.inventory import decode_text, detect_delimiter

    p = Path(path)
    if not p.is_file():
        raise file_error(p, "bestand niet gevonden", "file not found")
    text, encoding = decode_text(p.read_bytes())
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise file_error(p, "het bestand is leeg", "the file is empty")
    delimiter = detect_delimiter(first)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    all_rows = list(reader)
    headers = [h.strip() for h in all_rows[0]]
    rows = [
        (i + 2, [c.strip() for c in row])
        for i, row in enumerate(all_rows[1:])
        if any(c.strip() for c in row)
    ]
    return Table(p.name, headers, rows, delimiter, encoding)


def require_columns(
    table: Table, columns: Mapping[str, Sequence[str]], required: Sequence[str], what: str
) -> dict[str, int | None]:
    """The position of each wanted column; an error naming the missing required ones."""
    found = {key: table.index(syn) for key, syn in columns.items()}
    missing = [columns[k][0] for k in required if found[k] is None]
    if missing:
        raise ParkplanError(
            f"{table.file}: dit is geen {what}: kolom(men) {', '.join(missing)} ontbreken "
            f"(gevonden: {', '.join(table.headers)})",
            f"{table.file}: this is not a {what}: column(s) {', '.join(missing)} missing "
            f"(found: {', '.join(table.headers)})",
        )
    return found


def cell(row: list[str], index: int | None) -> str | None:
    """The text of a cell, ``None`` for an absent column or an empty cell."""
    if index is None or index >= len(row):
        return None
    value = row[index]
    return None if is_empty(value) else value


def number_cell(
    table: Table,
    row_no: int,
    row: list[str],
    index: int | None,
    problems: list[Problem],
    *,
    integer: bool = False,
    decimal_sep: str | None = None,
) -> Any:
    """A number from a cell; a problem (and ``None``) when it is not one."""
    raw = cell(row, index)
    if raw is None:
        return None
    sep = decimal_sep or ("," if table.delimiter == ";" else ".")
    try:
        return parse_number(raw, decimal_sep=sep, integer=integer)
    except CellError as exc:
        problems.append(
            error("", exc.nl, exc.en, value=raw, code=exc.code).located(
                file=table.file, row=row_no, column=table.headers[index or 0]
            )
        )
        return None


def read_geojson(path: str | Path) -> tuple[list[dict[str, Any]], str | None]:
    """The features of a GeoJSON file and its declared CRS (``None``: none declared)."""
    from parkplan.io.geo import epsg_of

    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise file_error(
            p, f"geen leesbaar GeoJSON-bestand ({exc})", f"not a readable GeoJSON file ({exc})"
        ) from exc
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = {"type": "FeatureCollection", "features": [doc], "crs": doc.get("crs")}
    if not isinstance(doc, dict) or not isinstance(doc.get("features"), list):
        raise file_error(
            p,
            "geen GeoJSON FeatureCollection (verwacht 'type': 'FeatureCollection' met 'features')",
            "not a GeoJSON FeatureCollection (expected 'type': 'FeatureCollection' with "
            "'features')",
        )
    crs = None
    crs_member = doc.get("crs")
    if isinstance(crs_member, dict):
        props = crs_member.get("properties") or {}
        crs = epsg_of(str(props.get("name") or ""))
    return [f for f in doc["features"] if isinstance(f, dict)], crs


def shape_of(geometry: Any) -> Any:
    """A shapely geometry from a GeoJSON geometry member (``None`` when absent/unreadable).

    Unreadable geometries (e.g. a ring of two points) raise ``ValueError`` with the reason.
    """
    if geometry is None:
        return None
    from shapely.geometry import shape

    try:
        return shape(geometry)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        raise ValueError(str(exc) or type(exc).__name__) from exc


# ----------------------------------------------------------------- GeoPackage geometry

_ENVELOPE_DOUBLES = {0: 0, 1: 4, 2: 6, 3: 6, 4: 8}


def gpkg_geometry(blob: bytes) -> tuple[Any, int]:
    """Decode a GeoPackage binary geometry (OGC 12-128r18, section 2.1.3).

    The header: magic ``GP``, version, flags (bit 0 byte order, bits 1-3 envelope kind,
    bit 4 empty), the ``srs_id`` (int32) and the envelope, then standard WKB.

    Returns
    -------
    tuple
        The shapely geometry (``None`` for an empty one) and the ``srs_id``.
    """
    import shapely

    if len(blob) < 8 or blob[:2] != b"GP":
        raise ValueError("geen GeoPackage-geometrie (verwacht 'GP' aan het begin)")
    flags = blob[3]
    order = "<" if flags & 0x01 else ">"
    envelope = (flags >> 1) & 0x07
    if envelope not in _ENVELOPE_DOUBLES:
        raise ValueError(f"onbekend envelop-type {envelope}")
    (srs_id,) = struct.unpack(order + "i", blob[4:8])
    start = 8 + 8 * _ENVELOPE_DOUBLES[envelope]
    if flags & 0x10:
        return None, srs_id
    return shapely.from_wkb(bytes(blob[start:])), srs_id


def gpkg_blob(geom: Any, srs_id: int) -> bytes:
    """Encode a shapely geometry as GeoPackage binary (little endian, xy envelope)."""
    import shapely

    wkb = shapely.to_wkb(geom, byte_order=1, output_dimension=2)
    if geom.is_empty:
        return b"GP" + bytes([0, 0x01 | 0x10]) + struct.pack("<i", srs_id) + wkb
    min_x, min_y, max_x, max_y = geom.bounds
    header = b"GP" + bytes([0, 0x01 | (1 << 1)]) + struct.pack("<i", srs_id)
    return header + struct.pack("<4d", min_x, max_x, min_y, max_y) + wkb


def unreadable_geometry(record: str, reason: str, file: str) -> Problem:
    """The problem of a geometry that cannot be decoded."""
    return error(
        record,
        f"kapotte geometrie: niet te lezen ({reason})",
        f"broken geometry: cannot be read ({reason})",
        value=reason,
        code="broken_geometry",
    ).located(file=file)


def gpkg_srs_names(con: sqlite3.Connection) -> dict[int, str]:
    """``srs_id`` -> ``EPSG:nnnn`` from ``gpkg_spatial_ref_sys``."""
    names: dict[int, str] = {}
    for srs_id, org, org_id in con.execute(
        "SELECT srs_id, organization, organization_coordsys_id FROM gpkg_spatial_ref_sys"
    ):
        if org and str(org).upper() == "EPSG":
            names[int(srs_id)] = f"EPSG:{int(org_id)}"
        elif int(srs_id) in (4326, 28992):
            names[int(srs_id)] = f"EPSG:{int(srs_id)}"
    return names


def open_gpkg(
    p: Path,
) -> tuple[sqlite3.Connection, dict[str, tuple[str, str, int]], dict[int, str]]:
    """Open a GeoPackage read-only: the connection, its feature layers
    (lower-case name -> (table, geometry column, srs_id)) and its coordinate systems."""
    con = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
    try:
        layers = {
            str(t).lower(): (str(t), str(c), int(s))
            for t, c, s in con.execute(
                "SELECT table_name, column_name, srs_id FROM gpkg_geometry_columns"
            )
        }
        srs = gpkg_srs_names(con)
    except sqlite3.Error as exc:
        con.close()
        raise file_error(
            p,
            f"geen GeoPackage: de tabel gpkg_geometry_columns ontbreekt ({exc})",
            f"not a GeoPackage: the table gpkg_geometry_columns is missing ({exc})",
        ) from exc
    return con, layers, srs


def gpkg_layer_rows(
    con: sqlite3.Connection,
    layer: tuple[str, str, int],
    srs: dict[int, str],
    file: str,
    area: Any = None,
) -> Iterator[tuple[dict[str, Any], Any, int, str, Problem | None]]:
    """(properties, geometry, row number, CRS, problem of an unreadable geometry).

    With ``area`` (RD New) and a spatial index ``rtree_<table>_<column>``, only the rows
    whose envelope meets the area's bounds are read.
    """
    import shapely

    from parkplan.io import geo

    table, column, srs_id = layer
    rtree = f"rtree_{table}_{column}"
    has_index = (
        con.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (rtree,)
        ).fetchone()[0]
        > 0
    )
    layer_crs = srs.get(srs_id, f"EPSG:{srs_id}")
    if area is not None and has_index and layer_crs in (geo.RD_NEW, geo.WGS84):
        box = geo.transform_geometry(shapely.box(*area.bounds), geo.RD_NEW, layer_crs).bounds
        # rowid is the integer primary key of a GeoPackage feature table
        cur = con.execute(
            f'SELECT t.rowid AS "__rowid__", t.* FROM "{table}" t '
            f'JOIN "{rtree}" r ON t.rowid = r.id '
            "WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ? "
            "ORDER BY t.rowid",
            (box[0], box[2], box[1], box[3]),
        )
    else:
        cur = con.execute(f'SELECT rowid AS "__rowid__", * FROM "{table}"')  # name from the gpkg
    names = [d[0] for d in cur.description]
    for values in cur:
        props = dict(zip(names, values, strict=True))
        row_no = int(props.pop("__rowid__"))
        blob = props.pop(column, None)
        geom = None
        geom_srs = srs_id
        broken = None
        if blob is not None:
            try:
                geom, geom_srs = gpkg_geometry(bytes(blob))
            except (ValueError, shapely.errors.ShapelyError) as exc:
                broken = unreadable_geometry(f"{table} #{row_no}", str(exc), file)
        if geom_srs <= 0:  # 0 / -1: undefined systems; use the layer's
            geom_srs = srs_id
        yield props, geom, row_no, srs.get(geom_srs, f"EPSG:{geom_srs}"), broken
