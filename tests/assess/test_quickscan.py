"""Quick scan: each rule on a tiny reference case with exact figures, the ranking, and the
committed expected findings of the example park file.

The expected file rests on the energy engine (simulated peaks and feed-in). After an
intended change of the engine, review the difference and regenerate it with::

    .venv/bin/python tests/assess/test_quickscan.py
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from parkplan.assess.baseline import BaselineFactors, park_baseline
from parkplan.assess.quickscan import (
    Impact,
    Profiles,
    Recommendation,
    complementarity,
    peak_drivers,
    quickscan,
    rank_recommendations,
)
from parkplan.domain.model import (
    Company,
    Connection,
    ElectricityUse,
    GasUse,
    Origin,
    Park,
    Roof,
)
from parkplan.refdata import load_refdata
from parkplan.services.assess import quickscan_factors, quickscan_findings_dict

DATA = Path(__file__).parents[1] / "data"
EXAMPLE = DATA / "parkfile-v1.example.yaml"
EXPECTED = DATA / "expected" / "quickscan_voorbeeldpark.json"

FACTORS = BaselineFactors(
    co2_electricity_kg_per_kwh=0.268,
    co2_gas_kg_per_m3=2.085,
    co2_fuel_kg_per_l={"diesel": 3.256},
    electricity_kwh_per_m2={"offices": 70.5},
    gas_m3_per_m2={"offices": 15.75},
)


@pytest.fixture(scope="module")
def qf():
    return quickscan_factors(load_refdata())


def scan(companies, qf, profiles=None):
    park = Park(id="p", name="P", companies=companies)
    return quickscan(park, park_baseline(park, FACTORS), qf, profiles)


def by_rule(result, rule, status=None):
    return [f for f in result.findings if f.rule == rule and (status is None or f.status == status)]


def test_energy_saving_obligation_thresholds_are_inclusive(qf):
    assert qf.saving_min_electricity_kwh == 50_000
    assert qf.saving_min_gas_m3 == 25_000
    companies = [
        # use on site = 40,000 + 15,000 - 5,000 = 50,000 kWh: exactly the threshold
        Company(
            "a",
            "A",
            electricity=ElectricityUse(
                40_000, annual_feed_in_kwh=5_000, annual_produced_kwh=15_000
            ),
        ),
        Company("b", "B", electricity=ElectricityUse(49_999)),
        Company("c", "C", electricity=ElectricityUse(1_000), gas=GasUse(25_000)),
        Company("d", "D", gas=GasUse(24_999)),
        Company("e", "E"),  # nothing known, no floor area: not assessed
    ]
    result = scan(companies, qf)
    (f,) = by_rule(result, "energy_saving_obligation", "applies")
    assert f.companies == ("a", "c")
    use = {(e.company, e.key): e.value for e in f.evidence}
    assert use[("a", "electricity_use_kwh")] == 50_000
    assert use[("c", "gas_m3_equivalent")] == 25_000
    missing = [n for n in result.not_assessed if n.rule == "energy_saving_obligation"]
    assert missing[0].companies == ("e",)
    # the recommendation is an obligation and ranks first
    assert result.recommendations[0].id == "energy_saving_measures"
    assert result.recommendations[0].obligation


def test_estimated_use_is_labelled(qf):
    office = Company("o", "O", sbi="6920", floor_area_m2=2_000)  # 2,000 x 15.75 = 31,500 m3
    result = scan([office], qf)
    (f,) = by_rule(result, "energy_saving_obligation", "applies")
    assert f.quality is Origin.ESTIMATED
    assert "geschatte" in f.text[0]


def test_office_label_c(qf):
    companies = [
        Company("a", "A", floor_area_m2=200, office_area_m2=100),  # 100 m2, 50 %: applies
        Company("b", "B", floor_area_m2=150, office_area_m2=99),  # below 100 m2
        Company("c", "C", floor_area_m2=201, office_area_m2=100),  # below 50 %
        Company("d", "D", sbi="6920", floor_area_m2=500),  # office sector, no office area
    ]
    result = scan(companies, qf)
    (f,) = by_rule(result, "office_label_c")
    assert f.companies == ("a",)
    share = next(e for e in f.evidence if e.key == "office_share")
    assert share.value == 0.5
    (na,) = [n for n in result.not_assessed if n.rule == "office_label_c"]
    assert na.companies == ("d",)


def test_large_roofs_without_pv(qf):
    companies = [
        Company("a", "A", roofs=[Roof(1_000, usable_fraction=0.5)]),  # 75 kWp
        Company("b", "B", roofs=[Roof(1_000, usable_fraction=0.5, existing_pv_kwp=10)]),
        Company("c", "C", roofs=[Roof(150, usable_fraction=0.5)]),  # 11.25 kWp < 15
    ]
    result = scan(companies, qf)
    (f,) = by_rule(result, "large_roof_without_pv")
    assert f.companies == ("a",)
    ev = {e.key: e.value for e in f.evidence if e.company == "a"}
    assert ev["potential_kwp"] == pytest.approx(75.0)
    assert ev["potential_kwh"] == pytest.approx(75.0 * 850)
    (rec,) = [r for r in result.recommendations if r.id == "rooftop_pv"]
    assert rec.impact.co2_kg == pytest.approx(75 * 850 * 0.268)
    assert rec.impact.eur == pytest.approx(75 * 850 * qf.electricity_eur_per_kwh)


def gv(contracted):
    return [Connection("871234567890001018", "grootverbruik", contracted_kw=contracted)]


def test_connections_over_near_and_underused(qf):
    companies = [
        Company("a", "A", electricity=ElectricityUse(1, peak_kw=120), connections=gv(100)),
        Company("b", "B", electricity=ElectricityUse(1, peak_kw=80), connections=gv(100)),
        Company("c", "C", electricity=ElectricityUse(1, peak_kw=79), connections=gv(100)),
        Company("d", "D", electricity=ElectricityUse(1, peak_kw=40), connections=gv(100)),
        Company("e", "E", electricity=ElectricityUse(1)),  # no peak, no simulation
    ]
    result = scan(companies, qf)
    status = {f.status: f.companies for f in by_rule(result, "connection_capacity")}
    assert status == {"over": ("a",), "near": ("b",), "underused": ("d",)}
    recs = {r.id: r for r in result.recommendations}
    assert recs["connection_peaks"].impact.kw == pytest.approx(20)
    assert recs["release_capacity"].impact.kw == pytest.approx(60)
    (na,) = [n for n in result.not_assessed if n.rule == "connection_capacity"]
    assert na.companies == ("e",)


def test_heat_pump_effect(qf):
    c = Company("a", "A", floor_area_m2=1_000, gas=GasUse(10_000))
    result = scan([c], qf)
    (f,) = by_rule(result, "heat_pump_candidate")
    hp_kwh = 10_000 * 8.79 * 0.9 / 3.2  # 24,721.875 kWh
    ev = {e.key: e.value for e in f.evidence if e.company == "a"}
    assert ev["heat_pump_kwh"] == pytest.approx(round(hp_kwh, 1))
    assert ev["co2_saved_kg"] == pytest.approx(round(10_000 * 2.085 - hp_kwh * 0.268, 1))
    # above the intensity limit the text asks to insulate or check process heat first
    heavy = Company("b", "B", floor_area_m2=100, gas=GasUse(10_000))
    (g,) = by_rule(scan([heavy], qf), "heat_pump_candidate")
    assert "eerst isoleren" in g.text[0]


def tiny_profiles() -> Profiles:
    """One day in four 6-hour intervals; A has PV, B only demand."""
    index = pd.date_range("2025-06-02", periods=4, freq="6h", tz="Europe/Amsterdam")
    return Profiles(
        company_ids=["a", "b"],
        index=index,
        interval_h=6.0,
        import_kwh=np.array([[4.0, 0, 0, 0], [1, 2, 5, 6]]),
        export_kwh=np.array([[0.0, 3, 8, 0], [0, 0, 0, 0]]),
        pv_kwh=np.array([[0.0, 5, 10, 0], [0, 0, 0, 0]]),
        estimated=[False, False],
    )


def test_complementarity_by_hand():
    c = complementarity(tiny_profiles())
    # park export [0,3,8,0], import [5,2,5,6]: matched min = [0,2,5,0]
    assert c.export_kwh == 11
    assert c.matched_kwh == 7
    assert c.by_exporter_kwh == {"a": 7, "b": 0}
    assert c.partners_kwh == {"a": {"b": 7}}
    # surplus left [0,1,3,0] = 4; import left in intervals without PV: 5 + 6 = 11
    assert c.shiftable_kwh == 4
    # peaks a 4/6, b 6/6 kW; park net [5,-1,-3,6] -> coincident 1 kW
    assert c.sum_of_peaks_kw == pytest.approx(10 / 6)
    assert c.coincident_peak_kw == pytest.approx(1.0)
    assert c.diversity_kw == pytest.approx(4 / 6)


def test_peak_drivers_by_hand(qf):
    findings, p = peak_drivers(tiny_profiles(), qf)
    assert p.peak_kw == pytest.approx(1.0)
    assert p.drivers == ("b",)
    assert p.contributions_kw == {"b": 1.0, "a": 0.0}
    # 99th percentile of [5,-1,-3,6] = 5 + 0.97 = 5.97 kWh -> 0.995 kW
    assert p.shave_kw == pytest.approx(1.0 - 5.97 / 6)
    assert findings[0].companies == ("b",)
    assert p.months == 1 and p.months_as_driver == {"b": 1}
    assert "(van 1) bepaald door: b 1×" in findings[0].text[0]


def test_profile_rules_need_series(qf):
    result = scan([Company("a", "A", electricity=ElectricityUse(1000))], qf)
    assert {n.rule for n in result.not_assessed} >= {"complementary_profiles", "peak_drivers"}
    with_series = scan(
        [Company("a", "A", electricity=ElectricityUse(1)), Company("b", "B")],
        qf,
        tiny_profiles(),
    )
    assert by_rule(with_series, "complementary_profiles")
    assert by_rule(with_series, "peak_drivers")


def test_ranking_by_impact_and_effort():
    weights = {"low": 1.0, "medium": 2.0, "high": 3.0}

    def rec(id_, effort, obligation=False, **impact):
        return Recommendation(id_, (), (), ("", ""), ("", ""), Impact(**impact), effort, obligation)

    ranked = rank_recommendations(
        [
            rec("x", "high", co2_kg=100.0, eur=50.0),  # (1 + 1) / 3 = 0.667
            rec("y", "low", kw=10.0),  # 1 / 1 = 1
            rec("z", "medium", co2_kg=50.0, kw=5.0),  # (0.5 + 0.5) / 2 = 0.5
            rec("law", "medium", obligation=True),
        ],
        weights,
    )
    assert [r.id for r in ranked] == ["law", "y", "x", "z"]
    assert [r.score for r in ranked] == [0.0, 1.0, pytest.approx(2 / 3, abs=1e-6), 0.5]
    assert [r.rank for r in ranked] == [1, 2, 3, 4]


@pytest.fixture(scope="module")
def example_scan():
    from parkplan.services.assess import compute_quickscan
    from parkplan.services.parks import read_park_from_file

    park, _ = read_park_from_file(EXAMPLE)
    return compute_quickscan(park)


def test_example_park_matches_the_committed_findings(example_scan):
    scan_, _base, _refdata, _sim = example_scan
    got = quickscan_findings_dict(scan_, "nl")
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert got == expected


def test_example_park_in_english(example_scan):
    data = quickscan_findings_dict(example_scan[0], "en")
    titles = [f["title"] for f in data["findings"]]
    assert "Energy-saving obligation" in titles
    assert all(r["text"] for r in data["recommendations"])


def test_every_refdata_source_is_named(example_scan):
    scan_ = example_scan[0]
    for f in scan_.findings:
        for e in f.evidence:
            assert e.source.split(":")[0] in {
                "park",
                "baseline",
                "simulation",
                "refdata",
                "derived",
            }
    refs = {e.source for f in scan_.findings for e in f.evidence if e.source.startswith("refdata")}
    assert "refdata:obligation.energy_saving.min_electricity_kwh" in refs


def test_no_obligation_below_thresholds(qf):
    small = Company("s", "S", electricity=ElectricityUse(10_000), gas=GasUse(1_000))
    result = scan([small], qf)
    assert not by_rule(result, "energy_saving_obligation")
    assert not by_rule(result, "heat_pump_candidate")  # below 5,000 m3
    # a park override of the threshold changes the outcome
    lower = scan([small], replace(qf, heat_pump_min_gas_m3=500))
    assert by_rule(lower, "heat_pump_candidate")[0].companies == ("s",)


def test_estimated_peaks_have_their_own_status(qf):
    """A simulated peak from a standard profile is an indication: status *_estimated and a
    recommendation to request meter data, not to act."""
    index = pd.date_range("2025-06-02", periods=4, freq="6h", tz="Europe/Amsterdam")
    profiles = Profiles(
        company_ids=["a"],
        index=index,
        interval_h=6.0,
        import_kwh=np.array([[0.0, 720, 0, 0]]),  # 120 kW in the second interval
        export_kwh=np.zeros((1, 4)),
        pv_kwh=np.zeros((1, 4)),
        estimated=[True],
    )
    result = scan(
        [Company("a", "A", electricity=ElectricityUse(720), connections=gv(100))], qf, profiles
    )
    (f,) = by_rule(result, "connection_capacity")
    assert f.status == "over_estimated" and f.quality is Origin.ESTIMATED
    assert f.title[0].endswith("(geschat)")
    ids = [r.id for r in result.recommendations]
    assert "meter_data" in ids and "connection_peaks" not in ids


def test_long_company_lists_are_shortened_in_texts(qf):
    companies = [Company(f"c{i:02d}", "X", electricity=ElectricityUse(60_000)) for i in range(15)]
    (f,) = by_rule(scan(companies, qf), "energy_saving_obligation")
    assert len(f.companies) == 15
    assert "en nog 3" in f.text[0] and "and 3 more" in f.text[1]


def test_no_location_leaves_profile_rules_unassessed_with_the_reason():
    from parkplan.services.assess import compute_quickscan

    park = Park(
        id="p",
        name="P",
        companies=[
            Company(
                "a",
                "A",
                electricity=ElectricityUse(60_000, peak_kw=35),
                connections=gv(40),
                roofs=[Roof(500, existing_pv_kwp=10)],
            )
        ],
    )
    result, _base, _refdata, sim = compute_quickscan(park)
    assert sim is None
    reasons = {n.rule: n.reason for n in result.not_assessed}
    assert "locatie" in reasons["peak_drivers"][0] and "location" in reasons["peak_drivers"][1]
    # the rules on annual figures still run: metered peak 35 of 40 kW is near
    assert by_rule(result, "connection_capacity", "near")[0].companies == ("a",)


def test_empty_park(qf):
    result = scan([], qf)
    assert result.findings == () and result.recommendations == ()


def test_markdown_report_without_findings_lists_what_was_not_assessed(qf):
    from parkplan.services.assess import quickscan_to_dict, quickscan_to_markdown

    park = Park(id="p", name="Leeg park", companies=[Company("a", "A")])
    result = quickscan(park, park_baseline(park, FACTORS), qf)
    data = quickscan_to_dict(result, park, load_refdata(), None, "nl")
    md = quickscan_to_markdown(data, "nl")
    assert md.startswith("# Voorlopige conclusies en aanbevelingen — Leeg park")
    assert "Geen bevindingen." in md
    assert "## Niet beoordeeld" in md and "energy_saving_obligation (a)" in md
    assert data["provenance"]["simulation"] is None
    en = quickscan_to_markdown(quickscan_to_dict(result, park, load_refdata(), None, "en"), "en")
    assert "No findings." in en and "## Not assessed" in en


def test_survey_interest_of_the_companies_concerned():
    from parkplan.assess.quickscan import survey_interest
    from parkplan.domain.model import Engagement

    park = Park(
        id="p",
        name="P",
        companies=[
            Company(
                "a",
                "A",
                engagement=Engagement(interest={"energy_hub": "no", "shared_solar": "yes"}),
            ),
            Company("b", "B", engagement=Engagement(interest={"energy_hub": "maybe"})),
            Company("c", "C", engagement=Engagement(interest={"heat_pump": "yes"})),
            Company("d", "D"),
        ],
    )
    measures = ("energy_hub", "shared_solar")
    # the most positive answer counts; c answered only on another measure; d not at all
    assert survey_interest(park, ["a", "b", "c", "d"], measures) == {"yes": ("a",), "maybe": ("b",)}
    assert survey_interest(park, ["b"], measures) == {"maybe": ("b",)}


if __name__ == "__main__":  # regenerate the expected findings of the example park
    from parkplan.services.assess import compute_quickscan
    from parkplan.services.parks import read_park_from_file

    _park, _ = read_park_from_file(EXAMPLE)
    _data = quickscan_findings_dict(compute_quickscan(_park)[0], "nl")
    EXPECTED.write_text(json.dumps(_data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {EXPECTED}")
