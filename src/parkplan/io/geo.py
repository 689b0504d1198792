"""Coordinates and geometries of Dutch open data: RD New (EPSG:28992) and WGS84.

Dutch registers (BAG, IBIS) publish geometries in RD New, the national grid in metres
(``x`` east, ``y`` north). Park files keep outlines and locations in WGS84 (EPSG:4326,
GeoJSON order lon, lat). This module converts between the two explicitly with pyproj
(``always_xy``: x/lon first), computes areas in RD New and recognises the usual mistakes:

- a file in the wrong projection: WGS84 degrees where RD metres were declared, or RD
  metres where degrees were declared;
- latitude and longitude swapped;
- coordinates outside the Netherlands;
- broken geometries (self-intersections, rings that do not close, too few points), with
  shapely's reason.

Accuracy: without the RDNAPTRANS grid (``rdtrans2018``) pyproj uses the 7-parameter
Helmert transformation of EPSG:28992 to WGS84, good to about 1 m; with the grid installed
(``pyproj sync``) it is better than 1 cm. A round trip RD -> WGS84 -> RD is exact to well
below 1 mm either way.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from parkplan.domain.errors import Problem, error

RD_NEW = "EPSG:28992"
"""Amersfoort / RD New: the Dutch national grid. [m]"""
WGS84 = "EPSG:4326"
"""World geodetic system 1984, latitude/longitude. [deg]"""

CoordinateCheck = Literal["ok", "wgs84_as_rd", "rd_as_wgs84", "swapped", "outside"]
"""Outcome of :func:`check_coordinates`."""


@lru_cache(maxsize=4)
def _transformer(src: str, dst: str) -> Any:
    from pyproj import Transformer

    return Transformer.from_crs(src, dst, always_xy=True)


@lru_cache(maxsize=1)
def nl_bounds_wgs84() -> tuple[float, float, float, float]:
    """Area of use of RD New in WGS84 as (lon_min, lat_min, lon_max, lat_max). [deg]

    Taken from the EPSG definition of EPSG:28992 (the Netherlands onshore and the 12-mile
    coastal zone), not typed in.
    """
    from pyproj import CRS

    area = CRS(RD_NEW).area_of_use
    assert area is not None
    return (area.west, area.south, area.east, area.north)


@lru_cache(maxsize=1)
def nl_bounds_rd() -> tuple[float, float, float, float]:
    """The area of use of RD New in RD coordinates (x_min, y_min, x_max, y_max). [m]"""
    west, south, east, north = nl_bounds_wgs84()
    return _transformer(WGS84, RD_NEW).transform_bounds(west, south, east, north, densify_pts=21)


def rd_to_wgs84(x_m: float, y_m: float) -> tuple[float, float]:
    """One RD New point as WGS84 ``(lat, lon)``.

    Parameters
    ----------
    x_m, y_m
        RD New easting and northing. [m]

    Returns
    -------
    tuple of float
        Latitude and longitude. [deg]
    """
    lon, lat = _transformer(RD_NEW, WGS84).transform(x_m, y_m)
    return float(lat), float(lon)


def wgs84_to_rd(lat_deg: float, lon_deg: float) -> tuple[float, float]:
    """One WGS84 point as RD New ``(x, y)``. [m]"""
    x, y = _transformer(WGS84, RD_NEW).transform(lon_deg, lat_deg)
    return float(x), float(y)


def transform_geometry(geom: BaseGeometry, src: str, dst: str) -> BaseGeometry:
    """A shapely geometry converted from ``src`` to ``dst`` (x/lon first on both sides)."""
    if src == dst:
        return geom
    transformer = _transformer(src, dst)

    def func(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, func)


def to_rd(geom: BaseGeometry, crs: str) -> BaseGeometry:
    """A geometry in RD New. [m]"""
    return transform_geometry(geom, crs, RD_NEW)


def to_wgs84(geom: BaseGeometry, crs: str = RD_NEW) -> BaseGeometry:
    """A geometry in WGS84 (x = lon, y = lat). [deg]"""
    return transform_geometry(geom, crs, WGS84)


def area_m2(geom_rd: BaseGeometry) -> float:
    """Area of a polygon in RD New coordinates. [m2]

    The area in the map plane of RD New: within the Netherlands it differs from the area on
    the ellipsoid by less than 0.02 % (the scale factor of the projection).
    """
    return float(geom_rd.area)


def _within(x: np.ndarray, y: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    x_min, y_min, x_max, y_max = box
    return bool(np.all((x >= x_min) & (x <= x_max) & (y >= y_min) & (y <= y_max)))


def check_coordinates(xs: Iterable[float], ys: Iterable[float], crs: str) -> CoordinateCheck:
    """Whether coordinates declared in ``crs`` lie in the Netherlands, and if not, why.

    Parameters
    ----------
    xs, ys
        The coordinates as the file gives them (x/lon first).
    crs
        The declared coordinate reference system, :data:`RD_NEW` or :data:`WGS84`.

    Returns
    -------
    str
        ``ok``; ``wgs84_as_rd`` (degrees in a file declared RD New); ``rd_as_wgs84``
        (metres in a file declared WGS84); ``swapped`` (latitude and longitude swapped);
        ``outside`` (none of these: not in the Netherlands).
    """
    x = np.asarray(list(xs), dtype=float)
    y = np.asarray(list(ys), dtype=float)
    if x.size == 0:
        return "ok"
    wgs = nl_bounds_wgs84()
    rd = nl_bounds_rd()
    swapped_wgs = (wgs[1], wgs[0], wgs[3], wgs[2])
    if crs == RD_NEW:
        if _within(x, y, rd):
            return "ok"
        if _within(x, y, wgs):
            return "wgs84_as_rd"
        if _within(x, y, swapped_wgs):
            return "swapped"
        return "outside"
    if _within(x, y, wgs):
        return "ok"
    if _within(x, y, swapped_wgs):
        return "swapped"
    if _within(x, y, rd):
        return "rd_as_wgs84"
    return "outside"


def coordinate_problem(
    check: CoordinateCheck, crs: str, path: str = "", value: Any = None
) -> Problem | None:
    """The per-record problem for an outcome of :func:`check_coordinates` (``None`` for ok)."""
    if check == "ok":
        return None
    declared = "RD New (EPSG:28992)" if crs == RD_NEW else "WGS84 (EPSG:4326)"
    texts = {
        "wgs84_as_rd": (
            f"verkeerde projectie: de coördinaten zijn graden (WGS84) maar het bestand noemt "
            f"{declared}; verwacht meters in RD New (x 0-300 km, y 300-625 km). Exporteer "
            f"opnieuw in EPSG:28992 of geef het juiste coördinatenstelsel op",
            f"wrong projection: the coordinates are degrees (WGS84) but the file declares "
            f"{declared}; expected metres in RD New (x 0-300 km, y 300-625 km). Export again "
            f"in EPSG:28992 or declare the right coordinate system",
        ),
        "rd_as_wgs84": (
            f"verkeerde projectie: de coördinaten zijn meters (RD New) maar het bestand noemt "
            f"{declared}; verwacht lengte- en breedtegraden. Geef EPSG:28992 op in het "
            f"bestand (GeoJSON: 'crs') of exporteer in WGS84",
            f"wrong projection: the coordinates are metres (RD New) but the file declares "
            f"{declared}; expected longitude and latitude. Declare EPSG:28992 in the file "
            f"(GeoJSON: 'crs') or export in WGS84",
        ),
        "swapped": (
            "breedte- en lengtegraad zijn verwisseld: GeoJSON verwacht eerst de lengtegraad "
            "(3-7,3 in Nederland), dan de breedtegraad (50,7-53,7)",
            "latitude and longitude are swapped: GeoJSON expects longitude first (3-7.3 in "
            "the Netherlands), then latitude (50.7-53.7)",
        ),
        "outside": (
            f"de coördinaten liggen niet in Nederland (aangenomen stelsel {declared})",
            f"the coordinates are not in the Netherlands (declared system {declared})",
        ),
    }
    nl, en = texts[check]
    code = "swapped_coordinates" if check == "swapped" else "wrong_projection"
    if check == "outside":
        code = "outside_netherlands"
    return error(path, nl, en, value=value, code=code)


def check_geometry_crs(geom: BaseGeometry, crs: str, path: str = "") -> Problem | None:
    """The projection problem of one geometry, or ``None``."""
    coords = shapely.get_coordinates(geom)
    check = check_coordinates(coords[:, 0], coords[:, 1], crs)
    first = None if coords.size == 0 else [float(coords[0, 0]), float(coords[0, 1])]
    return coordinate_problem(check, crs, path, value=str(first) if first else None)


def geometry_problem(geom: BaseGeometry | None, path: str = "") -> Problem | None:
    """The problem of a broken or empty geometry (shapely's validity check), or ``None``."""
    if geom is None or geom.is_empty:
        return error(
            path,
            "lege of ontbrekende geometrie: verwacht een polygoon",
            "empty or missing geometry: expected a polygon",
            code="broken_geometry",
        )
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        return error(
            path,
            f"kapotte geometrie ({reason}): de omtrek snijdt zichzelf of is niet gesloten; "
            "herstel het pand in de bron of geef het dakoppervlak zelf op",
            f"broken geometry ({reason}): the outline intersects itself or is not closed; "
            "repair the building in the source or enter the roof area yourself",
            value=reason,
            code="broken_geometry",
        )
    return None


def epsg_of(text: str | None) -> str | None:
    """``EPSG:nnnn`` from a CRS name as files write it (``urn:ogc:def:crs:EPSG::28992``,
    ``EPSG:28992``, ``http://www.opengis.net/def/crs/EPSG/0/28992``, ``CRS84``)."""
    if not text:
        return None
    t = text.strip()
    if t.upper().endswith("CRS84"):
        return WGS84
    digits = ""
    for ch in reversed(t):
        if ch.isdigit():
            digits = ch + digits
        elif digits:
            break
    return f"EPSG:{digits}" if digits else None
