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


# --------------------------------------------------------------------------------------
# the map of one park: its outline and its companies
# --------------------------------------------------------------------------------------

COMPANY_RADIUS_PX = (2.5, 11.0)
"""Smallest and largest radius of a company's point (area grows with its use). [px]"""
LABELLED_COMPANIES = 5
"""How many of the largest users get their name written next to their point."""
_NICE = (1.0, 2.0, 2.5, 5.0)


@dataclass(frozen=True)
class CompanyPoint:
    """A company on the park map. ``name`` is ``None`` for viewers who may not see it."""

    id: str
    name: str | None
    annual_kwh: float | None
    """Electricity offtake per year; ``None`` when unknown or not to be shown. [kWh]"""


def _inside(x: float, y: float, rings: Sequence[Sequence[tuple[float, float]]]) -> bool:
    """Even-odd rule over all rings (holes included)."""
    inside = False
    for ring in rings:
        n = len(ring)
        for k in range(n):
            (x1, y1), (x2, y2) = ring[k], ring[(k + 1) % n]
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def schematic_positions(
    rings: Sequence[Sequence[tuple[float, float]]], n: int
) -> tuple[list[tuple[float, float]], float]:
    """``n`` points spread evenly over a grid inside the outline (picture coordinates).

    Companies have no coordinates of their own in the park data, so the map shows them
    schematically: a grid is made fine enough to hold ``n`` cell centres inside the
    outline, and ``n`` of them are taken evenly in reading order. Returns the points and
    the grid spacing. [px]
    """
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    if n <= 0:
        return [], 0.0
    step = max(math.sqrt((x1 - x0) * (y1 - y0) / n), 1.0)
    cells: list[tuple[float, float]] = []
    for _ in range(60):
        cells = [
            (x0 + (i + 0.5) * step, y0 + (j + 0.5) * step)
            for j in range(int((y1 - y0) / step))
            for i in range(int((x1 - x0) / step))
        ]
        cells = [c for c in cells if _inside(c[0], c[1], rings)]
        if len(cells) >= n:
            break
        step *= 0.9
    if len(cells) < n:  # a degenerate outline: points on a line through its middle
        cells = [(x0 + (x1 - x0) * (k + 0.5) / n, (y0 + y1) / 2) for k in range(n)]
    m = len(cells)
    return [cells[k * m // n] for k in range(n)], step


def _nice_ceiling(x: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least ``x``."""
    if x <= 0:
        return 0.0
    power = 10.0 ** math.floor(math.log10(x))
    return next((f * power for f in (*_NICE, 10.0) if f * power >= x * (1 - 1e-12)), x)


def _fmt(value: float, lang: str) -> str:
    text = f"{value:,.0f}"
    return text if lang == "en" else text.replace(",", ".")


def park_map_svg(
    companies: Sequence[CompanyPoint],
    *,
    outline: dict[str, Any] | None,
    location: tuple[float, float] | None,
    title: str,
    lang: str = "nl",
    width_px: int = 640,
    height_px: int = 420,
    svg_id: str = "parkmap",
) -> str | None:
    """An offline SVG map of one park: its outline and its companies as points.

    Points are sized by electricity offtake per year (area in proportion) when
    ``annual_kwh`` is given, with a legend; positions are schematic
    (:func:`schematic_positions`). Names (when given) go into each point's tooltip and are
    written next to the :data:`LABELLED_COMPANIES` largest users. ``location`` is
    (lat, lon) and is used when there is no outline. ``None`` when the park has neither.
    """
    nl = lang != "en"
    geo = _rings(outline)
    if not geo and location is None:
        return None
    if not geo:  # no outline: a square of about 500 m around the point
        lat, lon = location  # type: ignore[misc]
        d_lat = 0.0025
        d_lon = d_lat / math.cos(math.radians(lat))
        geo = [[(lon - d_lon, lat - d_lat), (lon + d_lon, lat - d_lat),
                (lon + d_lon, lat + d_lat), (lon - d_lon, lat + d_lat)]]  # fmt: skip
        drawn_outline = False
    else:
        drawn_outline = True
    legend_px = 190
    xy = _projector(
        [pt for ring in geo for pt in ring], width_px - legend_px, height_px, margin=24.0,
        min_span_deg=0.0,
    )  # fmt: skip
    rings_px = [[xy(lon, lat) for lon, lat in ring] for ring in geo]
    centres, step = schematic_positions(rings_px, len(companies))
    known = [c.annual_kwh for c in companies if c.annual_kwh is not None and c.annual_kwh > 0]
    top = _nice_ceiling(max(known)) if known else 0.0
    r_min, r_max = COMPANY_RADIUS_PX
    r_max = max(min(r_max, 0.5 * step), r_min + 1.0)

    def radius(kwh: float | None) -> float:
        if kwh is None or kwh <= 0 or top <= 0:
            return r_min
        return r_min + (r_max - r_min) * math.sqrt(min(kwh / top, 1.0))

    sized = bool(known)
    named = any(c.name for c in companies)
    n = len(companies)
    what = "bedrijven" if nl else "companies"
    desc = (
        f"{n} {what}; ligging schematisch (de parkgegevens hebben geen coördinaten per bedrijf)"
        if nl
        else f"{n} {what}; positions are schematic (the park data have no coordinates per company)"
    )
    if sized:
        desc += (
            "; grootte van een punt: elektriciteitsafname per jaar"
            if nl
            else "; size of a point: electricity offtake per year"
        )
    if not named:
        desc += "; zonder namen" if nl else "; without names"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{svg_id}-title {svg_id}-desc" viewBox="0 0 {width_px} {height_px}" '
        f'width="{width_px}" height="{height_px}" class="map park-map">'
        f'<title id="{svg_id}-title">{escape(title)}</title>'
        f'<desc id="{svg_id}-desc">{escape(desc)}.</desc>',
        f'<rect width="{width_px}" height="{height_px}" class="map-bg" fill="#f4f7f5"/>',
    ]
    if drawn_outline:
        for ring in rings_px:
            d = " ".join(f"{x:.1f},{y:.1f}" for x, y in ring)
            parts.append(
                f'<polygon points="{d}" class="map-outline" fill="#cfe3d6" stroke="#2e7d32"/>'
            )
    # largest first, so that small points are drawn on top and stay visible
    order = sorted(range(n), key=lambda i: -(companies[i].annual_kwh or 0.0))
    for i in order:
        c, (x, y) = companies[i], centres[i]
        r = radius(c.annual_kwh)
        unknown = sized and (c.annual_kwh is None or c.annual_kwh <= 0)
        style = (
            'fill="none" stroke="#5f6b7a" stroke-width="1.2"'
            if unknown
            else 'fill="#2e7d32" fill-opacity="0.7" stroke="#ffffff" stroke-width="1"'
        )
        tip = ""
        if c.name:
            amount = (
                f": {_fmt(c.annual_kwh / 1000, lang)} MWh"
                if c.annual_kwh is not None and c.annual_kwh > 0
                else ""
            )
            tip = f"<title>{escape(c.name + amount)}</title>"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" class="map-company" {style}>'
            f"{tip}</circle>"
        )
    if named:
        biggest = [i for i in order if companies[i].name][:LABELLED_COMPANIES]
        boxes = place_labels(
            [centres[i] for i in biggest],
            [companies[i].name or "" for i in biggest],
            width_px=width_px - legend_px,
            height_px=height_px,
            radius_px=r_max,
        )
        for i, box in zip(biggest, boxes, strict=True):
            anchor = "" if box.anchor == "start" else f' text-anchor="{box.anchor}"'
            parts.append(
                f'<text x="{box.text_x:.1f}" y="{box.text_y:.1f}" class="map-label" '
                f'font-size="12" stroke="#ffffff" stroke-width="3" paint-order="stroke"'
                f"{anchor}>{escape(companies[i].name or '')}</text>"
            )
    # legend
    lx, ly = width_px - legend_px + 12, 28.0
    head = "Legenda" if nl else "Legend"
    parts.append(
        f'<g class="map-legend"><text x="{lx:.0f}" y="{ly:.0f}" font-size="12" '
        f'font-weight="bold" class="map-label">{head}</text>'
    )
    ly += 12
    if drawn_outline:
        parts.append(
            f'<rect x="{lx:.0f}" y="{ly:.0f}" width="16" height="10" fill="#cfe3d6" '
            f'stroke="#2e7d32"/><text x="{lx + 24:.0f}" y="{ly + 9:.0f}" font-size="11" '
            f'class="map-label">Park</text>'
        )
        ly += 20
    if sized:
        parts.append(
            f'<text x="{lx:.0f}" y="{ly + 8:.0f}" font-size="11" class="map-label">'
            f"{'Elektriciteit per jaar' if nl else 'Electricity per year'}</text>"
        )
        ly += 16
        for value in (top, top / 4, top / 20):
            r = radius(value)
            cy = ly + r_max
            parts.append(
                f'<circle cx="{lx + r_max:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="#2e7d32" '
                f'fill-opacity="0.7" stroke="#ffffff"/><text x="{lx + 2 * r_max + 8:.0f}" '
                f'y="{cy + 4:.1f}" font-size="11" class="map-label">'
                f"{_fmt(value / 1000, lang)} MWh</text>"
            )
            ly += 2 * r_max + 4
        parts.append(
            f'<circle cx="{lx + r_max:.1f}" cy="{ly + r_min:.1f}" r="{r_min:.1f}" fill="none" '
            f'stroke="#5f6b7a" stroke-width="1.2"/><text x="{lx + 2 * r_max + 8:.0f}" '
            f'y="{ly + r_min + 4:.1f}" font-size="11" class="map-label">'
            f"{'onbekend' if nl else 'unknown'}</text>"
        )
        ly += 2 * r_min + 12
    else:
        parts.append(
            f'<circle cx="{lx + 5:.1f}" cy="{ly + 5:.1f}" r="{r_min:.1f}" fill="#2e7d32" '
            f'fill-opacity="0.7"/><text x="{lx + 24:.0f}" y="{ly + 9:.0f}" font-size="11" '
            f'class="map-label">{"Bedrijf" if nl else "Company"}</text>'
        )
        ly += 20
    parts.append(
        f'<text x="{lx:.0f}" y="{ly + 8:.0f}" font-size="10" class="map-label" '
        f'fill="#5f6b7a">{"Ligging schematisch" if nl else "Positions schematic"}</text></g>'
    )
    parts.append("</svg>")
    return "".join(parts)
