"""RD New <-> WGS84 with the real pyproj, areas in RD New, projection and geometry checks."""

from __future__ import annotations

import pytest
from shapely.geometry import Polygon

from parkplan.io import geo

# The origin of RD New: Amersfoort, Onze Lieve Vrouwetoren (RDNAPTRANS 2018 reference:
# x 155000 m, y 463000 m <-> 52.15517440 N, 5.38720621 E in ETRS89/WGS84).
AMERSFOORT_RD = (155000.0, 463000.0)
AMERSFOORT_WGS84 = (52.15517440, 5.38720621)


def test_amersfoort_rd_to_wgs84_within_a_metre_of_rdnaptrans():
    lat, lon = geo.rd_to_wgs84(*AMERSFOORT_RD)
    # without the rdtrans2018 grid pyproj uses the 7-parameter Helmert (about 1 m);
    # 1e-5 deg is 1.1 m in latitude and 0.7 m in longitude here
    assert lat == pytest.approx(AMERSFOORT_WGS84[0], abs=1e-5)
    assert lon == pytest.approx(AMERSFOORT_WGS84[1], abs=1e-5)


def test_round_trip_is_exact_to_a_centimetre_and_1e7_degree():
    for x, y in [AMERSFOORT_RD, (233030.0, 528035.0), (13600.0, 380000.0), (270000.0, 600000.0)]:
        lat, lon = geo.rd_to_wgs84(x, y)
        x2, y2 = geo.wgs84_to_rd(lat, lon)
        assert abs(x2 - x) < 0.01 and abs(y2 - y) < 0.01
        lat2, lon2 = geo.rd_to_wgs84(x2, y2)
        assert abs(lat2 - lat) < 1e-7 and abs(lon2 - lon) < 1e-7


def test_wgs84_to_rd_of_amersfoort_lands_on_the_origin_within_a_metre():
    x, y = geo.wgs84_to_rd(*AMERSFOORT_WGS84)
    assert x == pytest.approx(155000.0, abs=1.0)
    assert y == pytest.approx(463000.0, abs=1.0)


def test_area_of_a_known_footprint_in_rd_new():
    # an L-shaped hall: 100 x 50 m plus 50 x 50 m
    hall = Polygon(
        [
            (233100, 528000),
            (233200, 528000),
            (233200, 528050),
            (233150, 528050),
            (233150, 528100),
            (233100, 528100),
        ]
    )
    assert geo.area_m2(hall) == 7500.0
    # converted to WGS84 and back, the area stays within 1 cm2 per m2... of 7500 m2
    back = geo.to_rd(geo.to_wgs84(hall), geo.WGS84)
    assert geo.area_m2(back) == pytest.approx(7500.0, abs=0.01)


def test_transform_geometry_matches_point_functions():
    hall = Polygon([(233000, 528000), (233060, 528000), (233060, 528070), (233000, 528070)])
    wgs = geo.to_wgs84(hall)
    lon, lat = wgs.exterior.coords[0]
    assert (lat, lon) == pytest.approx(geo.rd_to_wgs84(233000, 528000), abs=1e-12)
    assert 52.0 < lat < 53.5 and 6.0 < lon < 7.0


def test_nl_bounds_come_from_the_epsg_definition():
    west, south, east, north = geo.nl_bounds_wgs84()
    assert (west, south, east, north) == (3.2, 50.75, 7.22, 53.7)
    x_min, y_min, x_max, y_max = geo.nl_bounds_rd()
    # RD New's area of use: x about 0-300 km, y about 300-630 km
    assert 0 <= x_min < 13600 and 270000 < x_max < 300000
    assert 290000 < y_min < 380000 and 600000 < y_max < 640000


@pytest.mark.parametrize(
    ("xs", "ys", "crs", "expected"),
    [
        ([233000.0], [528000.0], geo.RD_NEW, "ok"),
        ([6.49], [52.73], geo.RD_NEW, "wgs84_as_rd"),
        ([52.73], [6.49], geo.RD_NEW, "swapped"),
        ([6.49], [52.73], geo.WGS84, "ok"),
        ([52.73], [6.49], geo.WGS84, "swapped"),
        ([233000.0], [528000.0], geo.WGS84, "rd_as_wgs84"),
        ([2.35], [48.85], geo.WGS84, "outside"),  # Paris
        ([900000.0], [100.0], geo.RD_NEW, "outside"),
    ],
)
def test_check_coordinates(xs, ys, crs, expected):
    assert geo.check_coordinates(xs, ys, crs) == expected


def test_coordinate_problems_say_what_is_wrong_in_both_languages():
    p = geo.coordinate_problem("wgs84_as_rd", geo.RD_NEW, "pand 1")
    assert p is not None and p.code == "wrong_projection"
    assert "verkeerde projectie" in p.nl and "wrong projection" in p.en
    swapped = geo.coordinate_problem("swapped", geo.WGS84)
    assert swapped is not None and swapped.code == "swapped_coordinates"
    assert geo.coordinate_problem("ok", geo.WGS84) is None


def test_broken_geometry_is_reported_with_shapelys_reason():
    bow_tie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    p = geo.geometry_problem(bow_tie, "pand 1")
    assert p is not None and p.code == "broken_geometry"
    assert "Self-intersection" in p.nl
    assert geo.geometry_problem(Polygon([(0, 0), (1, 0), (1, 1)])) is None
    assert geo.geometry_problem(None).code == "broken_geometry"
    assert geo.geometry_problem(Polygon()).code == "broken_geometry"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("urn:ogc:def:crs:EPSG::28992", "EPSG:28992"),
        ("EPSG:4326", "EPSG:4326"),
        ("http://www.opengis.net/def/crs/EPSG/0/28992", "EPSG:28992"),
        ("urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326"),
        (None, None),
        ("onbekend", None),
    ],
)
def test_epsg_of(text, expected):
    assert geo.epsg_of(text) == expected


def test_projection_origin_is_exact_on_the_bessel_ellipsoid():
    """RD New is defined by its origin: x 155000, y 463000 is 52 deg 09' 22.178" N,
    5 deg 23' 15.500" E on the Bessel ellipsoid (Amersfoort datum, EPSG:4289). The projection
    itself is exact; only the datum shift to WGS84 carries the ~1 m of the Helmert fit."""
    from shapely.geometry import Point

    origin = geo.transform_geometry(Point(155000.0, 463000.0), geo.RD_NEW, "EPSG:4289")
    assert origin.y == pytest.approx(52 + 9 / 60 + 22.178 / 3600, abs=1e-9)
    assert origin.x == pytest.approx(5 + 23 / 60 + 15.5 / 3600, abs=1e-9)
    back = geo.transform_geometry(origin, "EPSG:4289", geo.RD_NEW)
    assert back.x == pytest.approx(155000.0, abs=1e-4)
    assert back.y == pytest.approx(463000.0, abs=1e-4)
