"""BAG from the sample GeoPackage and GeoJSON (made by tests/data/opendata/make_samples.py)."""

from __future__ import annotations

import json
import sqlite3
import struct
from pathlib import Path

import pytest
from shapely.geometry import Point, Polygon

from parkplan.domain.errors import ParkplanError
from parkplan.io import geo
from parkplan.io.opendata.bag import read_bag
from parkplan.io.opendata.common import gpkg_blob, gpkg_geometry

DATA = Path(__file__).parents[1] / "data" / "opendata"
AREAS = {
    "0118100000123456": 4200.0,
    "0118100000234567": 7500.0,
    "0118100000345678": 1200.0,
    "0118100000456789": 1200.0,
    "0118100000678901": 120.0,
    "0118100000789012": 1200.0,
    "0118100000890123": 400.0,
}
BROKEN = "0118100000567890"


@pytest.mark.parametrize("name", ["bag.gpkg", "bag.geojson"])
def test_sample_buildings_and_units(name):
    data, meta = read_bag(DATA / name)
    assert meta["crs"] == geo.RD_NEW
    assert meta["format"] == ("geopackage" if name.endswith("gpkg") else "geojson")
    areas = {b.pand_id: b.footprint.area for b in data.buildings if b.footprint is not None}
    assert areas == AREAS
    bakker = next(b for b in data.buildings if b.pand_id == "0118100000123456")
    assert bakker.construction_year == 1998
    assert bakker.status == "Pand in gebruik"
    assert bakker.use == ("industriefunctie",)
    # the bow tie is kept without footprint, with its problem
    broken = next(b for b in data.buildings if b.pand_id == BROKEN)
    assert broken.footprint is None
    assert [p.code for p in broken.problems] == ["broken_geometry"]
    assert [p.code for p in meta["problems"]] == ["broken_geometry"]
    # units: addresses and the buildings they lie in
    assert len(data.units) == 6
    by_id = {}
    for u in data.units:
        by_id.setdefault(u.vbo_id, set()).update(u.pand_ids)
    assert by_id["0118010000333333"] == {"0118100000345678", "0118100000456789"}
    knip = next(u for u in data.units if u.vbo_id == "0118010000666666")
    assert knip.address is not None
    assert knip.address.key == ("7903 AA", 9, "A", "")
    assert knip.floor_area_m2 == 110.0
    assert knip.point.equals(Point(233205, 528206))


def test_gpkg_geometry_round_trip_and_header():
    poly = Polygon([(0, 0), (3, 0), (3, 2), (0, 2)])
    blob = gpkg_blob(poly, 28992)
    assert blob[:2] == b"GP"
    assert blob[3] & 0x01 == 1  # little endian
    assert (blob[3] >> 1) & 0x07 == 1  # envelope min/max x, y
    assert struct.unpack("<i", blob[4:8]) == (28992,)
    assert struct.unpack("<4d", blob[8:40]) == (0.0, 3.0, 0.0, 2.0)
    geom, srs = gpkg_geometry(blob)
    assert srs == 28992 and geom.equals(poly)
    # big-endian header without envelope
    wkb = poly.wkb
    big = b"GP" + bytes([0, 0]) + struct.pack(">i", 4326) + wkb
    geom2, srs2 = gpkg_geometry(big)
    assert srs2 == 4326 and geom2.equals(poly)
    with pytest.raises(ValueError, match="GeoPackage"):
        gpkg_geometry(b"XX" + blob[2:])


def _copy_gpkg(tmp_path: Path) -> Path:
    target = tmp_path / "bag.gpkg"
    target.write_bytes((DATA / "bag.gpkg").read_bytes())
    return target


def test_gpkg_in_wrong_projection_reports_every_building(tmp_path):
    path = _copy_gpkg(tmp_path)
    con = sqlite3.connect(path)
    rows = list(con.execute("SELECT fid, geom FROM pand"))
    for fid, blob in rows:
        geom, _ = gpkg_geometry(blob)
        if not geom.is_valid:
            continue
        # degrees written into a layer that declares RD New
        con.execute(
            "UPDATE pand SET geom = ? WHERE fid = ?",
            (gpkg_blob(geo.to_wgs84(geom), 28992), fid),
        )
    con.commit()
    con.close()
    data, meta = read_bag(path)
    codes = sorted(p.code for p in meta["problems"])
    assert codes == ["broken_geometry"] + ["wrong_projection"] * 7
    assert all(b.footprint is None for b in data.buildings)
    p = next(p for p in meta["problems"] if p.code == "wrong_projection")
    assert p.file == "bag.gpkg" and "pand #" in p.path
    assert "graden" in p.nl


def test_gpkg_layer_in_wgs84_is_converted(tmp_path):
    path = _copy_gpkg(tmp_path)
    con = sqlite3.connect(path)
    for fid, blob in list(con.execute("SELECT fid, geom FROM pand")):
        geom, _ = gpkg_geometry(blob)
        con.execute(
            "UPDATE pand SET geom = ? WHERE fid = ?", (gpkg_blob(geo.to_wgs84(geom), 4326), fid)
        )
    con.execute("UPDATE gpkg_geometry_columns SET srs_id = 4326 WHERE table_name = 'pand'")
    con.commit()
    con.close()
    data, _ = read_bag(path)
    hall = next(b for b in data.buildings if b.pand_id == "0118100000234567")
    assert hall.footprint.area == pytest.approx(7500.0, abs=0.01)


def test_geojson_without_crs_in_rd_metres_is_wrong_projection(tmp_path):
    doc = json.loads((DATA / "bag.geojson").read_text(encoding="utf-8"))
    del doc["crs"]  # GeoJSON without crs means WGS84, but the numbers are metres
    path = tmp_path / "bag.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    data, meta = read_bag(path)
    codes = [p.code for p in meta["problems"]]
    assert codes.count("wrong_projection") == 8 + 6  # all 8 buildings, 6 unit points
    assert all(b.footprint is None for b in data.buildings)
    assert "meters (RD New)" in meta["problems"][0].nl


def test_geojson_with_swapped_lat_lon(tmp_path):
    ring = [[52.73, 6.49], [52.73, 6.4905], [52.7303, 6.4905], [52.73, 6.49]]
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"identificatie": "0118100000999999", "bouwjaar": 2001},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    path = tmp_path / "swapped.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    data, meta = read_bag(path)
    assert [p.code for p in meta["problems"]] == ["swapped_coordinates"]
    assert data.buildings[0].footprint is None


def test_geojson_with_unreadable_ring(tmp_path):
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "EPSG:28992"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"identificatie": "0118100000999999"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[233000, 528000], [233010, 528000]]],
                },
            }
        ],
    }
    path = tmp_path / "kapot.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    data, meta = read_bag(path)
    assert [p.code for p in meta["problems"]] == ["broken_geometry"]
    assert data.buildings[0].pand_id == "0118100000999999"
    assert data.buildings[0].problems[0].code == "broken_geometry"


def test_not_a_bag_file(tmp_path):
    path = tmp_path / "leeg.gpkg"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE x (a)")
    con.commit()
    con.close()
    with pytest.raises(ParkplanError, match="not a GeoPackage"):
        read_bag(path)
    with pytest.raises(ParkplanError, match="file not found"):
        read_bag(tmp_path / "bestaat-niet.gpkg")


AREA = (232990.0, 527990.0, 233210.0, 528110.0)  # around buildings A and B only


def _add_rtree(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE VIRTUAL TABLE rtree_pand_geom USING rtree(id, minx, maxx, miny, maxy)")
    con.execute(
        "CREATE VIRTUAL TABLE rtree_verblijfsobject_geom USING rtree(id, minx, maxx, miny, maxy)"
    )
    for table in ("pand", "verblijfsobject"):
        for fid, blob in list(con.execute(f"SELECT fid, geom FROM {table}")):
            geom, _ = gpkg_geometry(blob)
            x0, y0, x1, y1 = geom.bounds
            con.execute(
                f"INSERT INTO rtree_{table}_geom VALUES (?, ?, ?, ?, ?)", (fid, x0, x1, y0, y1)
            )
    con.commit()
    con.close()


@pytest.mark.parametrize("variant", ["bag.gpkg", "bag.geojson", "rtree"])
def test_area_limits_what_is_read(variant, tmp_path):
    from shapely import box

    if variant == "rtree":
        path = _copy_gpkg(tmp_path)
        _add_rtree(path)
    else:
        path = DATA / variant
    data, meta = read_bag(path, area_rd=box(*AREA))
    assert sorted(b.pand_id for b in data.buildings) == ["0118100000123456", "0118100000234567"]
    assert sorted(u.vbo_id for u in data.units) == ["0118010000111111", "0118010000222222"]
    assert meta["problems"] == []  # the broken building lies outside the area
    if variant != "bag.geojson":
        assert [b.record.split(" ")[0:2] for b in data.buildings] == [
            ["pand", "#1"],
            ["pand", "#2"],
        ]


def test_area_keeps_records_in_the_wrong_projection(tmp_path):
    from shapely import box

    doc = json.loads((DATA / "bag.geojson").read_text(encoding="utf-8"))
    del doc["crs"]
    path = tmp_path / "bag.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    data, meta = read_bag(path, area_rd=box(*AREA))
    assert len(data.buildings) == 8  # unusable coordinates cannot be placed: kept, reported
    assert {p.code for p in meta["problems"]} == {"wrong_projection"}
