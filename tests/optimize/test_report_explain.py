"""The optimum's explanation from its numbers: both languages from one stored result,
companies by name in the tax-bracket line (the first ten, then a count), ids without
names, the stored lines for an older result without the numbers."""

from __future__ import annotations

from parkplan.optimize.report import explain_result, explanation_lines

IDS = [f"c{k:03d}" for k in range(1, 51)]
NAMES = {c: f"Bedrijf {c[1:]}" for c in IDS}


def facts(**hub_changes) -> dict:
    hub = {
        "n": 50,
        "category": "GV",
        "objective_eur": 90_000.0,
        "pv_kwp": 1234.0,
        "battery_kwh": 500.0,
        "battery_kw": 250.0,
        "contract_kw": 2000.0,
        "curtailed_kwh": 0.0,
        "pv_kwh": 1_000_000.0,
        **hub_changes,
    }
    return {
        "alone_total_eur": 100_000.0,
        "alone_pv_kwp": 1500.4,
        "alone_battery_kwh": 0.0,
        "hub": hub,
        "value_eur": 10_000.0,
        "bracket_ids": IDS,
        "typical_days": None,
    }


def test_the_bracket_line_names_ten_companies_and_counts_the_others():
    nl = explanation_lines(facts(), "nl", NAMES)[-1]
    assert nl.startswith("Na de optimalisatie valt het verbruik van Bedrijf 001 (c001), ")
    assert "Bedrijf 010 (c010) en 40 andere in een andere schijf" in nl
    assert "c011" not in nl
    en = explanation_lines(facts(), "en", NAMES)[-1]
    assert "Bedrijf 010 (c010) and 40 others falls in another energy-tax bracket" in en
    # without names (JSON, or who may not see the company list): the ids, all of them
    bare = explanation_lines(facts(), "nl")[-1]
    assert "Bedrijf" not in bare and "c050" in bare


def test_both_languages_come_from_the_same_numbers():
    nl = explanation_lines(facts(curtailed_kwh=20_000.0), "nl")
    en = explanation_lines(facts(curtailed_kwh=20_000.0), "en")
    assert nl[0] == (
        "Elk bedrijf apart: samen EUR 100.000 per jaar, met 1.500 kWp extra zon en 0 kWh"
        " batterijen."
    )
    assert en[0] == (
        "Every company alone: EUR 100.000 per year in total, with 1,500 kWp more solar and"
        " 0 kWh of batteries."
    )
    assert nl[2] == "Waarde van samenwerking: EUR 10.000 per jaar (samen is goedkoper)."
    assert en[3].startswith("The hub curtails 20,000 kWh of solar (2.0 %)")
    assert len(nl) == len(en) == 5


def test_an_older_result_without_the_numbers_keeps_its_lines():
    old = {"explanation": ["Oude zin."], "companies": [{"id": "c01", "alone": {}}]}
    assert explain_result(old, "en", NAMES) == ["Oude zin."]
    assert explain_result({}, "en") == []
