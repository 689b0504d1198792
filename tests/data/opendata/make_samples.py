"""Write the small BAG sample files of this folder (run once; the outputs are committed).

    .venv/bin/python tests/data/opendata/make_samples.py

The buildings are invented (a fictitious part of a business park near Hoogeveen, RD New
coordinates) but the files follow the real formats: ``bag.gpkg`` an OGC GeoPackage as PDOK
publishes the BAG (layers ``pand`` and ``verblijfsobject``, GeoPackage binary geometries),
``bag.geojson`` a PDOK WFS-style GeoJSON export with the ``crs`` member of EPSG:28992.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from shapely.geometry import Point, Polygon, mapping

from parkplan.io.opendata.common import gpkg_blob

HERE = Path(__file__).parent
SRS_RD = 28992

# pand id, outline (RD New, metres), construction year, status, use
PANDEN: list[tuple[str, list[tuple[float, float]], int, str]] = [
    # A: 60 x 70 m = 4200 m2
    (
        "0118100000123456",
        [(233000, 528000), (233060, 528000), (233060, 528070), (233000, 528070)],
        1998,
        "Pand in gebruik",
    ),
    # B: L-shape, 100 x 50 + 50 x 50 = 7500 m2
    (
        "0118100000234567",
        [
            (233100, 528000),
            (233200, 528000),
            (233200, 528050),
            (233150, 528050),
            (233150, 528100),
            (233100, 528100),
        ],
        2005,
        "Pand in gebruik",
    ),
    # C and D: one unit (Industrieweg 5) lies in both
    (
        "0118100000345678",
        [(233000, 528200), (233040, 528200), (233040, 528230), (233000, 528230)],
        1975,
        "Pand in gebruik",
    ),
    (
        "0118100000456789",
        [(233040, 528200), (233080, 528200), (233080, 528230), (233040, 528230)],
        1975,
        "Pand in gebruik",
    ),
    # E: broken (a bow tie: the outline crosses itself)
    (
        "0118100000567890",
        [(233100, 528200), (233150, 528250), (233150, 528200), (233100, 528250)],
        1982,
        "Pand in gebruik",
    ),
    # F: small building 10 x 12 m = 120 m2
    (
        "0118100000678901",
        [(233200, 528200), (233210, 528200), (233210, 528212), (233200, 528212)],
        1960,
        "Pand in gebruik",
    ),
    # G: hall without address, 40 x 30 m = 1200 m2 (matched by location)
    (
        "0118100000789012",
        [(233300, 528000), (233340, 528000), (233340, 528030), (233300, 528030)],
        2012,
        "Pand in gebruik",
    ),
    # H: 20 x 20 m = 400 m2 (matched as nearest building)
    (
        "0118100000890123",
        [(233400, 528000), (233420, 528000), (233420, 528020), (233400, 528020)],
        2019,
        "Pand in gebruik",
    ),
]

# vbo id, pand id, street, number, letter, addition, postcode, use, floor area, point
VBOS: list[tuple[str, str, str, int, str, str, str, str, int, tuple[float, float]]] = [
    (
        "0118010000111111",
        "0118100000123456",
        "Industrieweg",
        1,
        "",
        "",
        "7903AA",
        "industriefunctie",
        5200,
        (233030, 528035),
    ),
    (
        "0118010000222222",
        "0118100000234567",
        "Industrieweg",
        3,
        "",
        "",
        "7903AA",
        "industriefunctie,kantoorfunctie",
        7800,
        (233125, 528025),
    ),
    (
        "0118010000333333",
        "0118100000345678",
        "Industrieweg",
        5,
        "",
        "",
        "7903AA",
        "industriefunctie",
        2400,
        (233040, 528215),
    ),
    (
        "0118010000333333",
        "0118100000456789",
        "Industrieweg",
        5,
        "",
        "",
        "7903AA",
        "industriefunctie",
        2400,
        (233040, 528215),
    ),
    (
        "0118010000555555",
        "0118100000567890",
        "Industrieweg",
        7,
        "",
        "",
        "7903AA",
        "industriefunctie",
        2000,
        (233110, 528205),
    ),
    (
        "0118010000666666",
        "0118100000678901",
        "Industrieweg",
        9,
        "A",
        "",
        "7903AA",
        "winkelfunctie",
        110,
        (233205, 528206),
    ),
]


def write_gpkg(path: Path) -> None:
    """The PDOK-style BAG GeoPackage (OGC GeoPackage 1.2 tables)."""
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    con.execute("PRAGMA application_id = 1196444487")  # 'GPKG'
    con.execute("PRAGMA user_version = 10200")
    con.executescript(
        """
        CREATE TABLE gpkg_spatial_ref_sys (
          srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
          organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
          definition TEXT NOT NULL, description TEXT);
        CREATE TABLE gpkg_contents (
          table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
          description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT
          (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE,
          max_y DOUBLE, srs_id INTEGER,
          CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
        CREATE TABLE gpkg_geometry_columns (
          table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
          srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
          CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name));
        CREATE TABLE pand (
          fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom POLYGON,
          identificatie TEXT, rdf_seealso TEXT, bouwjaar INTEGER, status TEXT,
          gebruiksdoel TEXT, oppervlakte_min INTEGER, oppervlakte_max INTEGER,
          aantal_verblijfsobjecten INTEGER);
        CREATE TABLE verblijfsobject (
          fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom POINT,
          identificatie TEXT, rdf_seealso TEXT, openbare_ruimte_naam TEXT, huisnummer INTEGER,
          huisletter TEXT, toevoeging TEXT, postcode TEXT, woonplaats_naam TEXT,
          bouwjaar INTEGER, pand_identificatie TEXT, pandstatus TEXT, status TEXT,
          oppervlakte INTEGER, gebruiksdoel TEXT);
        """
    )
    con.executemany(
        "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
        [
            ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", None),
            ("Undefined geographic SRS", 0, "NONE", 0, "undefined", None),
            ("WGS 84 geodetic", 4326, "EPSG", 4326, 'GEOGCS["WGS 84"]', None),
            ("Amersfoort / RD New", SRS_RD, "EPSG", 28992, 'PROJCS["Amersfoort / RD New"]', None),
        ],
    )
    for table, kind in (("pand", "POLYGON"), ("verblijfsobject", "POINT")):
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
            "VALUES (?, 'features', ?, ?)",
            (table, table, SRS_RD),
        )
        con.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
            (table, kind, SRS_RD),
        )
    for pand_id, ring, year, status in PANDEN:
        uses = sorted({v[7] for v in VBOS if v[1] == pand_id})
        con.execute(
            "INSERT INTO pand (geom, identificatie, rdf_seealso, bouwjaar, status, gebruiksdoel,"
            " aantal_verblijfsobjecten) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                gpkg_blob(Polygon(ring), SRS_RD),
                pand_id,
                f"http://bag.basisregistraties.overheid.nl/bag/id/pand/{pand_id}",
                year,
                status,
                ",".join(uses) or None,
                sum(1 for v in VBOS if v[1] == pand_id),
            ),
        )
    for vbo, pand_id, street, number, letter, addition, pc, use, area, xy in VBOS:
        con.execute(
            "INSERT INTO verblijfsobject (geom, identificatie, openbare_ruimte_naam, huisnummer,"
            " huisletter, toevoeging, postcode, woonplaats_naam, pand_identificatie, pandstatus,"
            " status, oppervlakte, gebruiksdoel) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                gpkg_blob(Point(xy), SRS_RD),
                vbo,
                street,
                number,
                letter or None,
                addition or None,
                pc,
                "Hoogeveen",
                pand_id,
                "Pand in gebruik",
                "Verblijfsobject in gebruik",
                area,
                use,
            ),
        )
    con.commit()
    con.close()


def write_geojson(path: Path) -> None:
    """A PDOK WFS-style GeoJSON export of the same buildings and units (EPSG:28992)."""
    features = []
    for pand_id, ring, year, status in PANDEN:
        closed = [list(p) for p in ring] + [list(ring[0])]
        features.append(
            {
                "type": "Feature",
                "id": f"pand.{pand_id}",
                "geometry": {"type": "Polygon", "coordinates": [closed]},
                "properties": {
                    "identificatie": pand_id,
                    "bouwjaar": year,
                    "status": status,
                    "gebruiksdoel": ",".join(sorted({v[7] for v in VBOS if v[1] == pand_id})),
                },
            }
        )
    for vbo, pand_id, street, number, letter, addition, pc, use, area, xy in VBOS:
        features.append(
            {
                "type": "Feature",
                "id": f"verblijfsobject.{vbo}",
                "geometry": mapping(Point(xy)),
                "properties": {
                    "identificatie": vbo,
                    "oppervlakte": area,
                    "status": "Verblijfsobject in gebruik",
                    "gebruiksdoel": use,
                    "openbare_ruimte": street,
                    "huisnummer": number,
                    "huisletter": letter,
                    "toevoeging": addition,
                    "postcode": pc,
                    "woonplaats": "Hoogeveen",
                    "pandidentificatie": pand_id,
                    "pandstatus": "Pand in gebruik",
                },
            }
        )
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
        "features": features,
    }
    path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_gpkg(HERE / "bag.gpkg")
    write_geojson(HERE / "bag.geojson")
    print("written:", HERE / "bag.gpkg", HERE / "bag.geojson")
