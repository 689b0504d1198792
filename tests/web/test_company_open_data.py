"""The company page shows the energy label, construction year and building use with their
origin (open data after ``parkplan enrich``), and a dash when they are unknown."""

from __future__ import annotations

from parkplan.domain.model import Origin
from parkplan.services.parks import get_park, save_park
from parkplan.store.db import session_scope

PARK = "voorbeeldpark"


def test_company_page_shows_the_open_data_fields(web):
    with session_scope(web.url) as session:
        park = get_park(session, PARK)
        c01 = park.company("c01")
        c01.energy_label = "D"
        c01.construction_year = 1987
        c01.building_use = ["industriefunctie", "kantoorfunctie"]
        for name in ("energy_label", "construction_year", "building_use"):
            c01.origins[name] = Origin.OPEN_DATA
        save_park(session, park, replace=True, actor="test")
    owner = web.login("entrepreneur")
    page = owner.get(f"/parken/{PARK}/bedrijven/c01")
    assert page.status_code == 200
    text = page.text
    assert "<dt>Energielabel</dt><dd>D <small>(open data)</small></dd>" in text
    assert "<dt>Bouwjaar</dt><dd>1987 <small>(open data)</small></dd>" in text
    assert "industriefunctie, kantoorfunctie <small>(open data)</small>" in text
    english = owner.get(f"/parken/{PARK}/bedrijven/c01?lang=en").text
    assert "<dt>Energy label</dt><dd>D" in english


def test_unknown_fields_show_a_dash(web):
    manager = web.login("park_manager")
    page = manager.get(f"/parken/{PARK}/bedrijven/c02")
    assert page.status_code == 200
    assert "<dt>Energielabel</dt><dd>–</dd>" in page.text
    assert "<dt>Bouwjaar</dt><dd>–</dd>" in page.text
