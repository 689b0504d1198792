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


def _rings(geometry: dict[str, Any] | None) -> list[list[tuple[float, float]]]:
    if not geometry:
        return []
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    return [[(float(x), float(y)) for x, y, *_ in ring] for polygon in polygons for ring in polygon]


def map_svg(
    features: Sequence[MapFeature],
    *,
    width_px: int = 640,
    height_px: int = 420,
    title: str = "Kaart",
) -> str:
    """An accessible SVG map of the features (title, labelled links, outlines and points)."""
    points = [(f.lon, f.lat) for f in features]
    points += [pt for f in features for ring in _rings(f.outline) for pt in ring]
    if not points:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width_px}" '
            f'height="{height_px}"><title>{escape(title)}</title></svg>'
        )
    mean_lat = sum(p[1] for p in points) / len(points)
    kx = math.cos(math.radians(mean_lat))
    xs = [p[0] * kx for p in points]
    ys = [-p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span = max(x1 - x0, y1 - y0, 0.01)
    margin = 40.0
    scale = min((width_px - 2 * margin) / span, (height_px - 2 * margin) / span)
    ox = margin + ((width_px - 2 * margin) - (x1 - x0) * scale) / 2
    oy = margin + ((height_px - 2 * margin) - (y1 - y0) * scale) / 2

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return ox + (lon * kx - x0) * scale, oy + (-lat - y0) * scale

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
    for f in features:
        x, y = xy(f.lon, f.lat)
        label = escape(f.label)
        mark = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" class="map-point"/>' + (
            # right half: the label to the left of the point, so it stays in the picture
            f'<text x="{x - 9:.1f}" y="{y + 4:.1f}" class="map-label" '
            f'text-anchor="end">{label}</text>'
            if x > width_px / 2
            else f'<text x="{x + 9:.1f}" y="{y + 4:.1f}" class="map-label">{label}</text>'
        )
        if f.href:
            mark = f'<a href="{escape(f.href)}" aria-label="{label}">{mark}</a>'
        parts.append(mark)
    parts.append("</svg>")
    return "".join(parts)
