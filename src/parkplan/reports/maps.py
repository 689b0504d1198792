"""Maps drawn as SVG from coordinates and GeoJSON outlines: no tiles, no network.

A simple local projection is enough at the scale of a province: x = lon * cos(mean lat),
y = -lat, fitted into the picture with a margin. Used by the web pages and the plans.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any


@dataclass(frozen=True)
class MapFeature:
    """A park on the map: a point, optionally an outline, a label and a link."""

    lat: float
    lon: float
    label: str
    href: str | None = None
    outline: dict[str, Any] | None = None
    """GeoJSON Polygon or MultiPolygon in WGS84."""
    weight: float = 0.0
    """Importance for label placement: heavier features get their label placed first."""


def _rings(geometry: dict[str, Any] | None) -> list[list[tuple[float, float]]]:
    if not geometry:
        return []
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    return [[(float(x), float(y)) for x, y, *_ in ring] for polygon in polygons for ring in polygon]


LABEL_FONT_PX = 12.0
"""Font size of the map labels (parkplan.css ``.map-label``). [px]"""
LABEL_CHAR_EM = 0.62
"""Average character width of the label font, a little generous so boxes never touch. [em]"""
POINT_RADIUS_PX = 6.0
"""Radius of a park's point. [px]"""
LABEL_GAP_PX = 3.0
"""Space between a point and its label. [px]"""


@dataclass(frozen=True)
class LabelBox:
    """A placed label: its box (top left, size) and where its text is anchored. [px]"""

    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float
    anchor: str
    """SVG ``text-anchor``: ``start``, ``middle`` or ``end``."""

    def overlap(self, other: LabelBox) -> float:
        """Area shared with another box. [px2]"""
        w = min(self.x + self.width, other.x + other.width) - max(self.x, other.x)
        h = min(self.y + self.height, other.y + other.height) - max(self.y, other.y)
        return max(w, 0.0) * max(h, 0.0)


def _candidates(
    x: float, y: float, w: float, h: float, r: float, *, prefer_left: bool
) -> list[LabelBox]:
    """Label positions around a point, in order of preference: beside it (towards the
    inside of the picture first), above, below, then the four diagonals."""
    gap = r + LABEL_GAP_PX
    base = 0.8 * LABEL_FONT_PX  # baseline below the top of the box
    right = LabelBox(x + gap, y - h / 2, w, h, x + gap, y - h / 2 + base, "start")
    left = LabelBox(x - gap - w, y - h / 2, w, h, x - gap, y - h / 2 + base, "end")
    above = LabelBox(x - w / 2, y - gap - h, w, h, x, y - gap - h + base, "middle")
    below = LabelBox(x - w / 2, y + gap, w, h, x, y + gap + base, "middle")
    diagonal = [
        LabelBox(x + r, y - gap - h, w, h, x + r, y - gap - h + base, "start"),
        LabelBox(x + r, y + gap, w, h, x + r, y + gap + base, "start"),
        LabelBox(x - r - w, y - gap - h, w, h, x - r, y - gap - h + base, "end"),
        LabelBox(x - r - w, y + gap, w, h, x - r, y + gap + base, "end"),
    ]
    sides = [left, right] if prefer_left else [right, left]
    return [*sides, above, below, *diagonal]


def place_labels(
    points_px: Sequence[tuple[float, float]],
    labels: Sequence[str],
    *,
    width_px: float,
    height_px: float,
    weights: Sequence[float] | None = None,
    radius_px: float = POINT_RADIUS_PX,
) -> list[LabelBox]:
    """Deterministic greedy label placement that avoids overlaps.

    Labels are placed in order of importance (``weights``, high first; ties in input
    order). Each takes the first of its candidate positions (:func:`_candidates`) that stays
    inside the picture and touches no label placed before it and no point; when none is
    free, the position with the least overlap. Returns one box per point, in input order.
    """
    h = LABEL_FONT_PX * 1.25
    order = sorted(range(len(points_px)), key=lambda i: (-(weights[i] if weights else 0.0), i))
    points = [
        LabelBox(px - radius_px, py - radius_px, 2 * radius_px, 2 * radius_px, px, py, "middle")
        for px, py in points_px
    ]
    placed: dict[int, LabelBox] = {}
    for i in order:
        px, py = points_px[i]
        w = len(labels[i]) * LABEL_FONT_PX * LABEL_CHAR_EM
        best: tuple[float, int] | None = None
        options = _candidates(px, py, w, h, radius_px, prefer_left=px > width_px / 2)
        for k, box in enumerate(options):
            outside = (max(0.0, -box.x) + max(0.0, box.x + box.width - width_px)) * box.height + (
                max(0.0, -box.y) + max(0.0, box.y + box.height - height_px)
            ) * (box.width)
            cost = (
                outside
                + sum(box.overlap(o) for o in placed.values())
                + sum(box.overlap(p) for j, p in enumerate(points) if j != i)
            )
            if best is None or cost < best[0]:
                best = (cost, k)
            if cost == 0.0:
                break
        assert best is not None
        placed[i] = options[best[1]]
    return [placed[i] for i in range(len(points_px))]


def _projector(
    points: Sequence[tuple[float, float]],
    width_px: int,
    height_px: int,
    *,
    margin: float = 40.0,
    min_span_deg: float = 0.01,
) -> Any:
    """lon/lat -> picture x/y (a local equirectangular projection fitted in the picture)."""
    mean_lat = sum(p[1] for p in points) / len(points)
    kx = math.cos(math.radians(mean_lat))
    xs = [p[0] * kx for p in points]
    ys = [-p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span = max(x1 - x0, y1 - y0, min_span_deg)
    scale = min((width_px - 2 * margin) / span, (height_px - 2 * margin) / span)
    ox = margin + ((width_px - 2 * margin) - (x1 - x0) * scale) / 2
    oy = margin + ((height_px - 2 * margin) - (y1 - y0) * scale) / 2

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return ox + (lon * kx - x0) * scale, oy + (-lat - y0) * scale

    return xy


def _map_geometry(
    features: Sequence[MapFeature], width_px: int, height_px: int
) -> tuple[Any, list[tuple[float, float]], list[LabelBox]]:
    points = [(f.lon, f.lat) for f in features]
    points += [pt for f in features for ring in _rings(f.outline) for pt in ring]
    if not points:
        return None, [], []
    xy = _projector(points, width_px, height_px)
    centres = [xy(f.lon, f.lat) for f in features]
    boxes = place_labels(
        centres,
        [f.label for f in features],
        width_px=width_px,
        height_px=height_px,
        weights=[f.weight for f in features],
    )
    return xy, centres, boxes


def map_label_boxes(
    features: Sequence[MapFeature], *, width_px: int = 640, height_px: int = 420
) -> list[LabelBox]:
    """The label boxes :func:`map_svg` draws, in the order of ``features``. [px]"""
    return _map_geometry(features, width_px, height_px)[2]


def map_svg(
    features: Sequence[MapFeature],
    *,
    width_px: int = 640,
    height_px: int = 420,
    title: str = "Kaart",
) -> str:
    """An accessible SVG map of the features (title, labelled links, outlines and points);
    labels are placed so that they do not overlap (:func:`place_labels`)."""
    xy, centres, boxes = _map_geometry(features, width_px, height_px)
    if xy is None:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width_px}" '
            f'height="{height_px}"><title>{escape(title)}</title></svg>'
        )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="map-title" '
        f'viewBox="0 0 {width_px} {height_px}" width="{width_px}" height="{height_px}" '
        f'class="map"><title id="map-title">{escape(title)}</title>',
        f'<rect width="{width_px}" height="{height_px}" class="map-bg"/>',
    ]
    for f in features:
        for ring in _rings(f.outline):
            d = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(lon, lat) for lon, lat in ring))
            parts.append(f'<polygon points="{d}" class="map-outline"/>')
    for f, (x, y), box in zip(features, centres, boxes, strict=True):
        label = escape(f.label)
        anchor = "" if box.anchor == "start" else f' text-anchor="{box.anchor}"'
        mark = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{POINT_RADIUS_PX:g}" class="map-point"/>'
            f'<text x="{box.text_x:.1f}" y="{box.text_y:.1f}" class="map-label"{anchor}>'
            f"{label}</text>"
        )
        if f.href:
            mark = f'<a href="{escape(f.href)}" aria-label="{label}">{mark}</a>'
        parts.append(mark)
    parts.append("</svg>")
    return "".join(parts)
