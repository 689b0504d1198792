"""Shared reading helpers of the open-data readers: CSV tables with known column names,
GeoJSON files and the OGC GeoPackage binary geometry format."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import struct
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
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
    """(row number as people count it: the line of the file, the first line being 1; cells)."""
    delimiter: str
    encoding: str
    decimal_sep: str = ","
    """Decimal separator of the numbers: ``,`` for ``;`` files, ``.`` for ``,`` files, and
    for tab-separated files the one the cells use (Stedin writes decimal commas)."""
    preamble: list[list[str]] = field(default_factory=list)
    """Lines before the header (EP-Online: ``PublicatieDatum;...``)."""

    def index(self, synonyms: Sequence[str]) -> int | None:
        """The position of the first column whose normalised name is one of ``synonyms``."""
        wanted = [normalise_header(s) for s in synonyms]
        names = [normalise_header(h) for h in self.headers]
        for w in wanted:
            if w in names:
                return names.index(w)
        return None


_HEADER_SEARCH_LINES = 10
"""How many lines may precede the header of an open-data CSV (EP-Online writes two)."""
_COMMA_NUMBER = re.compile(r"^-?\d+,\d+$")
_POINT_NUMBER = re.compile(r"^-?\d+\.\d+$")


def _file_text(p: Path) -> tuple[str, str, str]:
    """The text of a CSV file, or of the one CSV inside a ZIP archive (EP-Online ships its
    export zipped); with the encoding and the name to report."""
    from parkplan.io.inventory import decode_text

    data = p.read_bytes()
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [n for n in archive.namelist() if n.lower().endswith((".csv", ".txt"))]
                if len(members) != 1:
                    raise file_error(
                        p,
                        f"verwacht precies één CSV-bestand in het ZIP-archief (gevonden: "
                        f"{', '.join(archive.namelist()) or 'geen'})",
                        f"expected exactly one CSV file in the ZIP archive (found: "
                        f"{', '.join(archive.namelist()) or 'none'})",
                    )
                data = archive.read(members[0])
                name = f"{p.name}/{members[0]}"
        except zipfile.BadZipFile as exc:
            raise file_error(
                p, f"geen leesbaar ZIP-archief ({exc})", f"not a readable ZIP archive ({exc})"
            ) from exc
    else:
        name = p.name
    text, encoding = decode_text(data)
    return text, encoding, name


def _unwrap_quoted_lines(text: str) -> str:
    """Liander writes every line of its tab-separated file between quotes
    (``"POSTCODE\tPOSTCODE_EIND\t..."``): take the quotes off."""
    lines = text.splitlines()
    return "\n".join(
        line.strip()[1:-1] if line.strip().startswith('"') and line.strip().endswith('"') else line
        for line in lines
    )


def _decimal_sep(delimiter: str, rows: list[tuple[int, list[str]]]) -> str:
    if delimiter == ";":
        return ","
    if delimiter == ",":
        return "."
    comma = point = 0
    for _, row in rows[:200]:
        for value in row:
            comma += bool(_COMMA_NUMBER.match(value))
            point += bool(_POINT_NUMBER.match(value))
    return "," if comma > point else "."


def read_table(path: str | Path, *, header_names: Sequence[str] = ()) -> Table:
    """A CSV file (``;``, ``,`` or tab separated; UTF-8 or Windows-1252), or the one CSV
    in a ZIP archive.

    Parameters
    ----------
    path
        The file.
    header_names
        Column names of which one marks the header line: lines before it (such as the
        ``PublicatieDatum`` and ``LaatstVerwerkteMutatievolgnummer`` lines of an EP-Online
        export) are kept as ``preamble``. Without it the first line is the header.
    """
    from parkplan.io.inventory import detect_delimiter

    p = Path(path)
    if not p.is_file():
        raise file_error(p, "bestand niet gevonden", "file not found")
    text, encoding, name = _file_text(p)
    lines = text.splitlines()
    if not text.strip() or not lines[0].strip():
        raise file_error(p, "het bestand is leeg", "the file is empty")
    wanted = {normalise_header(h) for h in header_names}
    start = 0
    if wanted:
        for i, line in enumerate(lines[:_HEADER_SEARCH_LINES]):
            cells = next(csv.reader([line], delimiter=detect_delimiter(line)), [])
            if wanted & {normalise_header(c) for c in cells}:
                start = i
                break
    first = lines[start]
    if first.strip().startswith('"') and "\t" in first and first.count('"') == 2:
        text = _unwrap_quoted_lines(text)
        lines = text.splitlines()
        first = lines[start]
    delimiter = detect_delimiter(first)
    preamble = [next(csv.reader([line], delimiter=delimiter), []) for line in lines[:start]]
    reader = csv.reader(io.StringIO("\n".join(lines[start:])), delimiter=delimiter)
    all_rows = list(reader)
    headers = [h.strip() for h in all_rows[0]]
    rows = [
        (start + i + 2, [c.strip() for c in row])
        for i, row in enumerate(all_rows[1:])
        if any(c.strip() for c in row)
    ]
    return Table(
        name,
        headers,
        rows,
        delimiter,
        encoding,
        decimal_sep=_decimal_sep(delimiter, rows),
        preamble=preamble,
    )


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
    sep = decimal_sep or table.decimal_sep
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
