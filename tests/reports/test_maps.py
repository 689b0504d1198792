"""The tile-free SVG map keeps every park label inside the picture."""

from __future__ import annotations

import re

from parkplan.reports.maps import MapFeature, map_label_boxes, map_svg, place_labels


def test_labels_on_the_right_half_are_drawn_to_the_left_of_their_point():
    features = [
        MapFeature(52.70, 6.40, "Links"),
        MapFeature(52.90, 6.95, "Bedrijventerrein Nieuw-Buinen (illustratief)"),
    ]
    svg = map_svg(features, width_px=640, height_px=420)
    points = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg)]
    texts = re.findall(r'<text x="([\d.]+)"[^>]*?( text-anchor="end")?>([^<]+)</text>', svg)
    assert len(points) == 2 and len(texts) == 2
    (left_x, left_end, left), (right_x, right_end, right) = texts
    assert left == "Links" and left_end == "" and float(left_x) > points[0]
    assert right.startswith("Bedrijventerrein") and right_end and float(right_x) < points[1]
    assert points[1] > 320 > points[0]


def _demo_features() -> list[MapFeature]:
    from parkplan.demo.generator import _square_outline, read_demo_park_definitions
    from parkplan.domain.model import Location

    parks, _ = read_demo_park_definitions()
    return [
        MapFeature(
            p["location"]["lat"],
            p["location"]["lon"],
            p["name"],
            f"/parken/{p['id']}",
            _square_outline(Location(**p["location"]), float(p["area_ha"])),
        )
        for p in parks
    ]


def test_no_two_labels_of_the_demo_parks_overlap_and_all_stay_in_the_picture():
    features = _demo_features()
    names = [f.label for f in features]
    assert any("Buitenvaart" in n for n in names) and any("Riegmeer" in n for n in names)
    for width, height in ((640, 420), (720, 480)):
        boxes = map_label_boxes(features, width_px=width, height_px=height)
        assert len(boxes) == len(features)
        for i, a in enumerate(boxes):
            assert a.x >= 0 and a.x + a.width <= width and a.y >= 0 and a.y + a.height <= height
            for b in boxes[i + 1 :]:
                assert a.overlap(b) == 0.0, (a, b)


def test_the_svg_draws_the_placed_labels_and_placement_is_deterministic():
    features = _demo_features()
    svg = map_svg(features)
    assert svg == map_svg(features)
    boxes = map_label_boxes(features)
    for f, box in zip(features, boxes, strict=True):
        assert f'<text x="{box.text_x:.1f}" y="{box.text_y:.1f}"' in svg
        assert f.label.split(" ")[0] in svg


def test_crowded_points_fall_back_to_free_positions_heaviest_first():
    """Four points close together: the labels go right, left, above and below."""
    pts = [(300.0, 200.0), (300.0, 212.0), (300.0, 224.0), (300.0, 188.0)]
    labels = ["Een", "Twee", "Drie", "Vier"]
    boxes = place_labels(pts, labels, width_px=640, height_px=420, weights=[4, 3, 2, 1])
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a.overlap(b) == 0.0
    assert boxes[0].anchor == "start" and boxes[0].x > 300  # the heaviest keeps its place
    # the same points without weights: the first one in the list wins the same place
    assert place_labels(pts, labels, width_px=640, height_px=420)[0] == boxes[0]
