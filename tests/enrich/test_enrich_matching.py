"""Matching companies to BAG buildings by BAG id, unit id, address and location."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, Polygon

from parkplan.enrich.matching import BagIndex, match_building, match_by_address, match_by_location
from parkplan.enrich.records import (
    Address,
    BagBuilding,
    BagData,
    BagUnit,
    make_address,
    normalise_postcode,
    parse_address_line,
)


def _square(x: float, y: float, side: float) -> Polygon:
    return Polygon([(x, y), (x + side, y), (x + side, y + side), (x, y + side)])


A, B, C = "0000100000000001", "0000100000000002", "0000100000000003"


@pytest.fixture
def index() -> BagIndex:
    data = BagData(
        buildings=[
            BagBuilding(A, _square(0, 0, 20)),
            BagBuilding(B, _square(100, 0, 20)),
            BagBuilding(C, _square(10, 0, 20)),  # overlaps A on x 10-20
        ],
        units=[
            BagUnit("v1", (A,), Address("7903 AA", 1)),
            BagUnit("v2", (B,), Address("7903 AA", 3, "B")),
            BagUnit("v3", (A, B), Address("7903 AA", 5)),
            BagUnit("v4", (B,), Address("7903 AA", 7, "", "1")),
            BagUnit("v5", (B,), Address("7903 AA", 7, "", "2")),
        ],
    )
    return BagIndex.build(data)


def test_exact_address(index):
    m = match_by_address(index, Address("7903 AA", 1))
    assert (m.status, m.pand_ids, m.method) == ("matched", (A,), "address")
    assert [u.vbo_id for u in m.units] == ["v1"]


def test_address_without_letter_falls_back_to_number_when_unique(index):
    m = match_by_address(index, Address("7903 AA", 3))
    assert (m.status, m.pand_ids, m.method) == ("matched", (B,), "address_number")


def test_address_number_with_two_units_is_not_guessed(index):
    m = match_by_address(index, Address("7903 AA", 7))
    assert m.status == "several"


def test_unit_in_two_buildings_is_several(index):
    m = match_by_address(index, Address("7903 AA", 5))
    assert (m.status, m.pand_ids) == ("several", (A, B))


def test_unknown_address(index):
    assert match_by_address(index, Address("7903 AB", 1)).status == "none"
    assert match_by_address(index, None).status == "none"


def test_point_in_polygon(index):
    m = match_by_location(index, Point(105, 5), max_distance_m=25)
    assert (m.status, m.pand_ids, m.method, m.distance_m) == ("matched", (B,), "location", 0.0)


def test_point_in_two_overlapping_buildings(index):
    m = match_by_location(index, Point(15, 5), max_distance_m=25)
    assert (m.status, m.pand_ids) == ("several", (A, C))


def test_nearest_within_and_beyond_the_distance(index):
    near = match_by_location(index, Point(110, 30), max_distance_m=25)  # 10 m north of B
    assert (near.status, near.pand_ids, near.method) == ("matched", (B,), "nearest")
    assert near.distance_m == pytest.approx(10.0)
    far = match_by_location(index, Point(110, 60), max_distance_m=25)  # 40 m
    assert far.status == "none" and far.nearest_pand_id == B
    assert far.distance_m == pytest.approx(40.0)


def test_evidence_order(index):
    # a BAG id given by the company wins over address and location
    m = match_building(
        index, pand_ids=(B,), address=Address("7903 AA", 1), point=Point(5, 5), max_distance_m=25
    )
    assert (m.pand_ids, m.method) == ((B,), "bag_pand_id")
    # the unit id of the KvK address wins over the address
    m = match_building(index, vbo_id="v2", address=Address("7903 AA", 1), max_distance_m=25)
    assert (m.pand_ids, m.method) == ((B,), "vbo")
    # address before location
    m = match_building(index, address=Address("7903 AA", 1), point=Point(105, 5), max_distance_m=25)
    assert (m.pand_ids, m.method) == ((A,), "address")
    # location when the address is unknown
    m = match_building(index, address=Address("9999 ZZ", 1), point=Point(105, 5), max_distance_m=25)
    assert (m.pand_ids, m.method) == ((B,), "location")
    # nothing at all
    assert match_building(index, max_distance_m=25).status == "none"


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("Industrieweg 12", ("7903 AA", 12, "", "")),
        ("Industrieweg 12A", ("7903 AA", 12, "A", "")),
        ("Industrieweg 12 a", ("7903 AA", 12, "A", "")),
        ("Industrieweg 12-2", ("7903 AA", 12, "", "2")),
        ("Industrieweg 12A-2", ("7903 AA", 12, "A", "2")),
        ("Industrieweg 12 bis", ("7903 AA", 12, "", "BIS")),
        ("Van der Valk Boumanweg 178", ("7903 AA", 178, "", "")),
        ("1e Industrieweg 3", ("7903 AA", 3, "", "")),
    ],
)
def test_parse_address_line(line, key):
    address = parse_address_line(line, "7903aa")
    assert address is not None and address.key == key


def test_parse_address_line_needs_postcode_and_number():
    assert parse_address_line("Industrieweg", "7903 AA") is None
    assert parse_address_line("Industrieweg 1", None) is None
    assert parse_address_line("Industrieweg 1", "79030") is None


def test_make_address_and_postcodes():
    assert normalise_postcode("7903aa") == "7903 AA"
    assert normalise_postcode(" 7903 AB ") == "7903 AB"
    assert normalise_postcode("0903 AB") is None
    a = make_address("7903AA", "12", letter="b", addition=None, street="Industrieweg")
    assert a is not None and a.key == ("7903 AA", 12, "B", "")
    assert a.label() == "Industrieweg 12b, 7903 AA"
    assert make_address("7903AA", None) is None
    assert make_address("x", 1) is None
