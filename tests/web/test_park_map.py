"""The park dashboard shows an offline map of the park (outline, companies as points);
names and figures only for viewers who may see the company list. The company edit form
writes units as the pages do (m², m³)."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from parkplan.reports.maps import CompanyPoint, park_map_svg, schematic_positions

PARK = "voorbeeldpark"  # as in conftest.py
SVG = "{http://www.w3.org/2000/svg}"


def _dashboard_and_map(client) -> tuple[str, ElementTree.Element, str]:
    """The dashboard's HTML, and its map: an image of its own, named by the page."""
    html = client.get(f"/parken/{PARK}").text
    src = re.search(
        r'<object class="map park-map-image" type="image/svg\+xml" data="([^"]+)"', html
    )
    assert src, "no park map on the page"
    answer = client.get(src.group(1))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("image/svg+xml")
    assert (
        client.get(src.group(1), headers={"If-None-Match": answer.headers["etag"]}).status_code
        == 304
    )
    match = re.search(r'<svg[^>]*class="map park-map".*?</svg>', answer.text, re.S)
    assert match, "no park map in the image"
    return html, ElementTree.fromstring(match.group(0)), answer.text


def _company_names(web) -> list[str]:
    from parkplan.services.parks import get_park
    from parkplan.store.db import session_scope

    with session_scope(web.url) as session:
        return [c.name for c in get_park(session, PARK).companies]


@pytest.mark.parametrize("role", ["park_manager", "advisor", "administrator"])
def test_who_may_see_the_company_list_sees_names_and_sized_points(web, role):
    _, svg, _ = _dashboard_and_map(web.login(role))
    assert svg.get("role") == "img"
    ids = svg.get("aria-labelledby").split()
    assert [svg.find(f".//*[@id='{i}']") is not None for i in ids] == [True, True]
    assert svg.find(f"{SVG}title").text.startswith("Kaart van ")
    circles = svg.findall(f"{SVG}circle[@class='map-company']")
    assert len(circles) == len(_company_names(web))
    tips = " ".join(c.findtext(f"{SVG}title") or "" for c in circles)
    assert all(name in tips for name in _company_names(web))
    assert "MWh" in "".join(svg.find(f".//{SVG}g[@class='map-legend']").itertext())


@pytest.mark.parametrize("role", ["entrepreneur", "programme_lead"])
def test_entrepreneurs_and_programme_leads_see_the_outline_and_plain_points(web, role):
    html, svg, image = _dashboard_and_map(web.login(role))
    text = ElementTree.tostring(svg, encoding="unicode")
    for name in _company_names(web):
        assert name not in html and name not in image
    assert "MWh" not in text
    circles = svg.findall(f"{SVG}circle[@class='map-company']")
    assert len(circles) == len(_company_names(web))
    assert len({c.get("r") for c in circles}) == 1  # all the same size: no figures
    assert all(c.find(f"{SVG}title") is None for c in circles)
    # the example park has a location but no outline: a square around it, not drawn
    assert svg.find(f"{SVG}polygon[@class='map-outline']") is None


def test_the_map_is_kept_in_memory_by_the_park_fingerprint(web):
    from parkplan.services import views
    from parkplan.store.db import session_scope

    with session_scope(web.url) as session:
        first = views.park_map(session, PARK, "nl", named=True)
        again = views.park_map(session, PARK, "nl", named=True)
        anonymous = views.park_map(session, PARK, "nl", named=False)
    assert first is again  # the same object: from memory
    assert anonymous != first


def test_schematic_positions_lie_inside_the_outline_and_apart():
    square = [[(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 100.0)]]
    points, step = schematic_positions(square, 37)
    assert len(points) == 37 == len(set(points))
    assert all(0 < x < 100 and 0 < y < 100 for x, y in points)
    assert step > 0
    # an L shape: nothing in the cut-out corner
    ell = [[(0.0, 0.0), (100.0, 0.0), (100.0, 50.0), (50.0, 50.0), (50.0, 100.0), (0.0, 100.0)]]
    points, _ = schematic_positions(ell, 30)
    assert len(points) == 30 and not any(x > 50 and y > 50 for x, y in points)


def test_point_area_follows_electricity_use_and_the_legend_names_the_unit():
    outline = {
        "type": "Polygon",
        "coordinates": [[[6.50, 52.73], [6.51, 52.73], [6.51, 52.74], [6.50, 52.74]]],
    }
    companies = [
        CompanyPoint("a", "Groot BV", 1_000_000.0),
        CompanyPoint("b", "Klein BV", 250_000.0),
        CompanyPoint("c", "Onbekend BV", None),
    ]
    svg = park_map_svg(companies, outline=outline, location=None, title="Kaart", lang="nl")
    root = ElementTree.fromstring(svg)
    radii = {
        (c.findtext(f"{SVG}title") or "").split(":")[0]: float(c.get("r"))
        for c in root.findall(f"{SVG}circle[@class='map-company']")
    }
    r_min = 2.5
    # radius above the smallest grows with the square root of the use: 4 times -> twice
    assert (radii["Groot BV"] - r_min) == pytest.approx(2 * (radii["Klein BV"] - r_min), abs=0.15)
    assert radii["Onbekend BV"] == r_min
    assert "1.000 MWh" in svg and "onbekend" in svg
    assert root.find(f"{SVG}polygon[@class='map-outline']") is not None
    anonymous = park_map_svg(
        [CompanyPoint(c.id, None, None) for c in companies],
        outline=outline,
        location=None,
        title="Kaart",
    )
    assert "BV" not in anonymous and "MWh" not in anonymous and "zonder namen" in anonymous
    assert park_map_svg([], outline=None, location=None, title="Kaart") is None


def test_edit_form_writes_square_and_cubic_metres_as_the_pages_do(web):
    html = web.login("entrepreneur").get(f"/parken/{PARK}/bedrijven/c01/wijzigen").text
    assert "Vloeroppervlak [m²]" in html and "Aardgas per jaar [m³]" in html
    assert "[m2]" not in html and "[m3]" not in html
