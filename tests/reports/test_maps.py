"""The tile-free SVG map keeps every park label inside the picture."""

from __future__ import annotations

import re

from parkplan.reports.maps import MapFeature, map_svg


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
