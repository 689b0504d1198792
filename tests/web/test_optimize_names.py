"""The optimisation result page names companies ("Name (id)") and follows the viewer's
language, also for a result stored before (Dutch explanation only); who may not see the
company list never gets a name of another company."""

from __future__ import annotations

import pytest

from .conftest import PARK

NAMES = {
    "c01": "Transport Bakker BV",
    "c02": "Metaalbewerking De Vries",
    "c03": "Administratiekantoor Hoogeveen",
}


def _site(members: list[str], kwp: float, *, hub: bool = False) -> dict:
    return {
        "members": members,
        "category": "GV",
        "objective_eur": 1000.0,
        "costs_eur": {"pv": 100.0},
        "pv_added_kwp": kwp,
        "pv_added_kwp_per_roof": {m: [kwp / len(members)] for m in members},
        "battery_kwh": 20.0 if hub else 0.0,
        "battery_kw": 10.0 if hub else 0.0,
        "contract_kw": 400.0,
        "curtailed_kwh": 0.0,
        "pv_kwh": 1000.0,
        "bracket_changes": [{"company": "c02", "from": 2, "to": 3}] if hub else [],
    }


def stored_payload() -> dict:
    """An optimisation stored by a Dutch user before both languages were kept."""
    companies = [
        {"id": c, "in_hub": c != "c03", "alone": _site([c], 10.0)} for c in ("c01", "c02", "c03")
    ]
    return {
        "park_id": PARK,
        "year": 2025,
        "resolution_minutes": 60,
        "status": "optimal",
        "objective_eur": 2500.0,
        "alone_total_eur": 3000.0,
        "together_total_eur": 2500.0,
        "value_of_cooperation_eur": 500.0,
        "hub": _site(["c01", "c02"], 30.0, hub=True),
        "companies": companies,
        "aggregated": {"typical_days": 12},
        "mode": "fast",
        "co2_cap_tonnes": None,
        "solver": {"name": "HiGHS", "version": "1", "seconds": 1.0, "n_lps": 4},
        "explanation": ["Elk bedrijf apart: samen EUR 3.000 per jaar (opgeslagen tekst)."],
    }


@pytest.fixture(scope="module")
def stored(web):
    from parkplan.store.db import session_scope
    from parkplan.store.repository import save_result

    ids = {}
    with session_scope(web.url) as session:
        ids["new"] = save_result(session, PARK, "optimization", stored_payload(), key="Namen").id
        old = stored_payload()  # a result stored without the numbers the sentences need
        del old["hub"]["curtailed_kwh"]
        old["explanation"] = ["Alleen een oude zin."]
        ids["old"] = save_result(session, PARK, "optimization", old, key="Oud").id
    return ids


def test_the_page_names_companies_with_their_ids(web, stored):
    page = web.login("park_manager").get(f"/parken/{PARK}/optimalisaties/{stored['new']}")
    assert page.status_code == 200
    text = page.text
    assert "<td>Transport Bakker BV (c01)</td>" in text  # per-roof table
    assert "<td>Administratiekantoor Hoogeveen (c03)</td>" in text  # battery of c03 alone
    assert "Na de optimalisatie valt het verbruik van Metaalbewerking De Vries (c02)" in text
    assert "Snelle modus: 12 typische dagen" in text


def test_the_english_page_shows_english_explanation_lines(web, stored):
    client = web.login("park_manager")
    page = client.get(f"/parken/{PARK}/optimalisaties/{stored['new']}?lang=en").text
    assert "Every company alone: EUR 3.000 per year in total" in page
    assert "Value of cooperation: EUR 500 per year (together is cheaper)." in page
    assert "After optimisation the use of Metaalbewerking De Vries (c02) falls" in page
    assert "opgeslagen tekst" not in page and "Waarde van samenwerking: EUR" not in page
    # the Dutch page rebuilds the same sentences in Dutch
    dutch = client.get(f"/parken/{PARK}/optimalisaties/{stored['new']}?lang=nl").text
    assert "Waarde van samenwerking: EUR 500 per jaar (samen is goedkoper)." in dutch


def test_an_older_result_without_the_numbers_keeps_its_stored_lines(web, stored):
    page = web.login("park_manager").get(f"/parken/{PARK}/optimalisaties/{stored['old']}?lang=en")
    assert page.status_code == 200
    assert "Alleen een oude zin." in page.text


@pytest.mark.parametrize("role", ["entrepreneur", "programme_lead"])
def test_who_sees_aggregates_never_gets_another_company_name(web, stored, role):
    client = web.login(role)
    for url in (
        f"/parken/{PARK}/optimalisaties/{stored['new']}",
        f"/parken/{PARK}/optimalisaties/{stored['new']}?lang=en",
        f"/api/parks/{PARK}/optimizations/{stored['new']}",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert NAMES["c02"] not in response.text and NAMES["c03"] not in response.text
    listing = client.get(f"/parken/{PARK}/optimalisaties")
    assert listing.status_code == 200
    assert "Namen" in listing.text  # the stored optimisation is listed ...
    assert NAMES["c02"] not in listing.text  # ... without company names
    assert NAMES["c03"] not in listing.text
    api = client.get(f"/api/parks/{PARK}/optimizations").text
    assert NAMES["c02"] not in api and NAMES["c03"] not in api
