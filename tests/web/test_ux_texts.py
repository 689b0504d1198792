"""What a first user reads: Dutch words instead of code names, and labels that fit.

Found by walking the product as a park manager, entrepreneur, programme lead and advisor:
role codes in the header, origin codes beside figures, English section keys in the plan
editor, a minus sign before a rounded zero and chart labels cut off at the edge.
"""

from __future__ import annotations

import re

from parkplan.domain.access import Role
from parkplan.domain.model import Origin
from parkplan.plan.narrative import section_keys
from parkplan.services.plan import ANALYSES
from parkplan.web.charts import bar_chart_svg
from parkplan.web.i18n import TEXTS, format_number, t

PARK = "voorbeeldpark"


def test_a_rounded_zero_has_no_minus_sign():
    assert format_number(-0.04, 1) == "0,0"
    assert format_number(-0.4) == "0"
    assert format_number(-0.06, 1) == "-0,1"
    assert format_number(-1234.5, 0, "en") == "-1,234"


def test_every_role_origin_analysis_and_plan_section_has_a_dutch_and_english_name():
    keys = (
        [f"role.{r.value}" for r in Role]
        + [f"origin.{o.value}" for o in Origin]
        + [f"analysis.{a}" for a in ANALYSES]
        + [f"section.{s}" for s in section_keys()]
    )
    missing = [k for k in keys if k not in TEXTS]
    assert missing == []
    assert t("role.park_manager") == "parkmanager"
    assert t("origin.estimated") == "geschat"
    assert t("section.poa_budget", "en").startswith("Plan of action 4.")


def test_chart_labels_and_values_fit_inside_the_drawing():
    svg = bar_chart_svg("Besparing", ["Administratiekantoor Dijkstra BV"], [-3_080_505.0], "EUR")
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    label_x = [float(x) for x in re.findall(r'<text x="([\d.]+)"[^>]*text-anchor="end"', svg)]
    # a 20-character label at 12 px (about 7 px a character) ends at label_x
    assert label_x and all(x >= 20 * 7 for x in label_x)
    value = re.search(r'<text x="([\d.]+)"[^>]*>(€ -3\.080\.505)</text>', svg)
    assert value is not None
    assert float(value.group(1)) + len(value.group(2)) * 7 <= width


def test_header_names_the_role_in_dutch_and_company_page_names_the_origin(web):
    client = web.login("park_manager")
    page = client.get("/parken")
    assert "(parkmanager)" in page.text
    assert "(park_manager)" not in page.text
    company = client.get(f"/parken/{PARK}/bedrijven/c01").text
    assert not re.search(r"\((estimated|reported|measured|open_data)\)", company)
    assert re.search(r"\((geschat|opgegeven|gemeten|open data)\)", company)
    english = client.get(f"/parken/{PARK}/bedrijven/c01?lang=en").text
    assert "(open_data)" not in english


def test_plan_editor_names_sections_and_analyses_in_dutch(web):
    page = web.login("park_manager").get(f"/parken/{PARK}/plan").text
    assert "Uitvoeringsplan 1. Samenvatting" in page
    assert "Plan van aanpak 4. Begroting en cofinanciering" in page
    assert "Simulatie (jaar op kwartierbasis)" in page
    assert ">summary<" not in page and "<td>business_case</td>" not in page
    assert "over het park zoals het nu is (zonder maatregelen)" in page
    assert "scenario&#39;s en optimalisaties van de pagina Scenario&#39;s" in page


def test_follow_up_says_when_no_indicator_values_are_recorded(web):
    page = web.login("park_manager").get(f"/parken/{PARK}/voortgang").text
    assert "Nog geen waarden vastgelegd." in page


def test_importing_over_an_existing_park_points_to_the_replace_checkbox(web):
    from pathlib import Path

    manager = web.login("park_manager")
    token = manager.get("/api/me").json()["csrf_token"]
    example = Path(__file__).parents[1] / "data" / "parkfile-v1.example.yaml"
    response = manager.post(
        "/importeren",
        data={"csrf_token": token, "park_id": PARK},
        files={"file": ("park.yaml", example.read_bytes(), "application/yaml")},
    )
    assert "staat al in de database; er is niets opgeslagen" in response.text
    assert "vink &#39;Bestaand park vervangen&#39; aan" in response.text


def test_lists_to_choose_from_are_in_name_order(web):
    admin = web.login("administrator")
    parks = re.findall(r'<a href="/parken/([a-z]+)">([^<]+)</a>', admin.get("/parken").text)
    names = [n for _, n in parks]
    assert len(names) == 2 and names == sorted(names)
    invite = web.login("park_manager").get(f"/parken/{PARK}/uitnodigen").text
    select = re.search(r'<select id="inv-company".*?</select>', invite, re.S).group(0)
    options = re.findall(r'<option value="c\d+"[^>]*>([^<]+)</option>', select)
    assert len(options) >= 2 and options == sorted(options)


def test_company_list_shows_the_ids_the_analyses_use_and_links_back_to_the_park(web):
    page = web.login("park_manager").get(f"/parken/{PARK}/bedrijven").text
    assert f'<p><a href="/parken/{PARK}">' in page
    assert re.search(r'/bedrijven/c01">[^<]+</a></td><td>c01</td>', page)
    assert '<abbr title="gecontracteerd transportvermogen">GTV</abbr>' in page


def test_plan_texts_explain_placeholders_to_readers_and_writers_differently(web):
    reader = web.login("entrepreneur").get(f"/parken/{PARK}/plan").text
    assert "Cijfers schrijft u als" not in reader
    assert "De parkmanager en de adviseur schrijven deze teksten" in reader
    writer = web.login("advisor").get(f"/parken/{PARK}/plan").text
    assert "Cijfers schrijft u als" in writer


def test_an_unknown_address_gets_the_dutch_error_page_and_the_api_keeps_json(web):
    client = web.login("park_manager")
    page = client.get("/bestaat-niet")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"] and "Niet gevonden." in page.text
    api = client.get("/api/bestaat-niet")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def _render_optimum(n_roofs: int) -> str:
    from parkplan.web.app import _templates

    roofs = [
        {"company": f"c{i:03d}", "roof": 1, "kwp": 1.0, "in_hub": False} for i in range(n_roofs)
    ]
    batteries = [{"where": f"c{i:03d}", "kwh": 0.0, "kw": 0.0} for i in range(n_roofs)]
    batteries.append({"where": "Energiehub (gedeeld)", "kwh": 469.2, "kw": 389.4})
    context = {
        "lang": "nl",
        "viewer": None,
        "park": {"id": "p", "name": "P", "illustrative": False},
        "row": {"key": "Optimum"},
        "result": {
            "status": "optimal",
            "objective_eur": 2.0,
            "alone_total_eur": 3.0,
            "value_of_cooperation_eur": 1.0,
            "resolution_minutes": 60,
            "year": 2025,
            "co2_cap_tonnes": None,
            "solver": {"seconds": 1.0, "version": "1", "name": "HiGHS", "n_lps": 2},
            "explanation": [],
            "mode": "fast",
        },
        "view": {
            "charts": ["<svg>kosten</svg>", "<svg>per dak</svg>"],
            "roofs": roofs,
            "batteries": batteries,
            "costs": [],
            "hub": None,
        },
    }
    return _templates().env.get_template("optimize_result.html").render(**context)


def test_a_large_park_folds_the_per_roof_details_and_lists_only_real_batteries():
    small = _render_optimum(3)
    assert "<details>" not in small and small.count("<tr><td>c0") == 6  # roofs + batteries
    large = _render_optimum(155)
    assert "Alle 155 daken tonen" in large and "Grafieken per dak en per bedrijf tonen" in large
    assert large.index("<svg>kosten</svg>") < large.index("<details>")
    assert "155 bedrijven buiten de energiehub krijgen geen eigen batterij." in large
    assert "<td>Energiehub (gedeeld)</td>" in large and "<dd>optimaal</dd>" in large
    assert "Jaarkosten park, met energiehub" in large and "Doelfunctie" not in large
