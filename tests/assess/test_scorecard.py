"""Scorecard: every theme hand-checked on a tiny park, missing criteria, a weak survey,
the inputs file and comparability across parks."""

from __future__ import annotations

from dataclasses import replace

import pytest

from parkplan.assess.baseline import BaselineFactors, park_baseline
from parkplan.assess.scorecard import (
    EnergyFigures,
    ScorecardInputs,
    parse_inputs,
    score_higher,
    score_lower,
    scorecard,
    theme_scores,
)
from parkplan.domain.errors import ValidationError
from parkplan.domain.model import (
    Company,
    ElectricityUse,
    Engagement,
    GasUse,
    GridAvailability,
    Organisation,
    Park,
    Roof,
    Vehicle,
)
from parkplan.refdata import load_refdata
from parkplan.services.assess import scorecard_targets

FACTORS = BaselineFactors(
    co2_electricity_kg_per_kwh=0.268,
    co2_gas_kg_per_m3=2.085,
    co2_fuel_kg_per_l={"diesel": 3.256},
)


@pytest.fixture(scope="module")
def targets():
    return scorecard_targets(load_refdata())


def tiny_park() -> Park:
    a = Company(
        "a",
        "A",
        employees=10,
        electricity=ElectricityUse(100_000, annual_produced_kwh=20_000),
        gas=GasUse(1_000),
        roofs=[Roof(1_000, usable_fraction=0.5, existing_pv_kwp=20)],
        vehicles=[
            Vehicle("car", count=2, fuel="diesel", annual_fuel_l=1_000),
            Vehicle("van", count=2, fuel="electric"),
        ],
        engagement=Engagement(
            bond_with_park=4, bond_with_companies=2, interest={"energy_hub": "yes"}
        ),
    )
    b = Company(
        "b",
        "B",
        employees=10,
        electricity=ElectricityUse(50_000),
        roofs=[Roof(1_000, usable_fraction=0.5)],
    )
    return Park(
        id="tiny",
        name="Tiny",
        area_ha=2.0,
        grid=GridAvailability(available_import_kw=100),
        organisation=Organisation(business_association=True, park_management=True, biz=False),
        companies=[a, b],
    )


ENERGY = EnergyFigures(demand_kwh=170_000, pv_kwh=20_000, import_kwh=150_000, coincident_peak_kw=60)
INPUTS = ScorecardInputs(
    paved_share=0.85, green_share=0.1, water_storage_m3=600, collective_waste_contract=True
)


def card_of(park, targets, **kw):
    return scorecard(park, park_baseline(park, FACTORS), targets, **kw)


def themes(card):
    return {t.key: t for t in card.themes}


def indicators(theme):
    return {i.key: i for i in theme.indicators}


def test_score_formulas():
    assert score_higher(0.25, 0.5) == 50
    assert score_higher(2, 1) == 100
    assert score_higher(-1, 1) == 0
    assert score_higher(None, 1) is None
    assert score_lower(25, 50) == 50
    assert score_lower(0.85, 0.9, 0.8) == pytest.approx(50)
    assert score_lower(60, 50) == 0


def test_energy_theme_by_hand(targets):
    t = themes(card_of(tiny_park(), targets, energy=ENERGY, inputs=INPUTS))
    ind = indicators(t["energy"])
    # production 20,000 / (demand 170,000 + 1,000 m3 x 8.79 kWh/m3) = 0.111863
    assert ind["energy_neutral_share"].value == pytest.approx(20_000 / 178_790)
    assert ind["energy_neutral_share"].score == pytest.approx(100 * 20_000 / 178_790)
    # 1 - 150,000 / 170,000 against a target of 0.5
    assert ind["self_sufficiency"].score == pytest.approx(100 * (1 - 150_000 / 170_000) / 0.5)
    # CO2: 100,000 x 0.268 + 1,000 x 2.085 + 1,000 l x 3.256 + 50,000 x 0.268 = 45,541 kg
    assert ind["co2_t_per_ha"].value == pytest.approx(45.541 / 2)
    assert ind["co2_t_per_ha"].score == pytest.approx(100 * (50 - 22.7705) / 50)
    assert ind["co2_t_per_job"].score == pytest.approx(100 * (15 - 45.541 / 20) / 15)
    # two suitable roofs of 1,000 m2 (75 kWp each), one with PV
    assert ind["pv_roof_share"].value == 0.5
    expected = (
        100 * 20_000 / 178_790
        + 100 * (1 - 150_000 / 170_000) / 0.5
        + 100 * (50 - 22.7705) / 50
        + 100 * (15 - 2.27705) / 15
        + 50
    ) / 5
    assert t["energy"].score == pytest.approx(expected)


def test_other_themes_by_hand(targets):
    card = card_of(tiny_park(), targets, energy=ENERGY, inputs=INPUTS)
    t = themes(card)
    assert t["grid"].score == 100  # headroom 1 - 60/100 = 0.4 >= target 0.2
    t90 = themes(card_of(tiny_park(), targets, energy=replace(ENERGY, coincident_peak_kw=90)))
    assert t90["grid"].score == pytest.approx(50)  # headroom 0.1 of 0.2
    # climate: green 0.1 of 0.2; paved 0.85 between 0.9 (0) and 0.8 (100); 300 of 600 m3/ha
    assert [i.score for i in t["climate"].indicators] == pytest.approx([50, 50, 50])
    assert t["mobility"].score == 50  # 2 of 4 vehicles electric
    assert t["circularity"].score == 100  # contract yes; circular share not assessed
    assert t["circularity"].not_assessed == ["circular_company_share"]
    org = indicators(t["organisation"])
    assert org["organisation_forms"].score == 50  # 2 of 4 forms
    assert org["bond_score"].value == 3  # mean of 4 and 2
    assert org["bond_score"].score == pytest.approx(100 * 2 / 3)  # (3 - 1) / (4 - 1)
    assert org["collective_interest_share"].score == 100
    assert t["organisation"].score == pytest.approx((50 + 200 / 3 + 100) / 3)
    assert not t["organisation"].weak  # 1 of 2 answered: 50 % >= 30 %
    assert card.themes_assessed == 6
    assert card.score == pytest.approx(sum(x.score for x in card.themes) / 6)


def test_missing_criteria_are_not_assessed_never_zero(targets):
    park = replace(tiny_park(), area_ha=None, grid=GridAvailability())
    t = themes(card_of(park, targets))  # no simulation, no inputs
    energy = indicators(t["energy"])
    assert energy["co2_t_per_ha"].score is None
    assert energy["self_sufficiency"].score is None
    assert set(t["energy"].not_assessed) == {"co2_t_per_ha", "self_sufficiency"}
    # energy neutrality falls back to the metered production
    assert energy["energy_neutral_share"].value == pytest.approx(20_000 / 178_790)
    assert t["grid"].score is None and t["grid"].notes
    assert t["climate"].score is None
    card = card_of(park, targets)
    # energy, mobility and organisation; grid, climate and circularity lack data
    assert card.themes_assessed == 3
    assert card.score == pytest.approx(sum(x.score for x in card.themes if x.score is not None) / 3)


def test_survey_with_too_few_responses_is_weak(targets):
    companies = [Company(f"c{i}", f"C{i}") for i in range(10)]
    companies[0].engagement = Engagement(bond_with_park=5)
    companies[1].engagement = Engagement(bond_with_park=5)
    park = Park(id="p", name="P", companies=companies)
    org = themes(card_of(park, targets))["organisation"]
    assert org.weak
    assert "2 van 10" in org.notes[0][0] and "weak" in org.notes[0][1].lower()
    assert indicators(org)["survey_response_rate"].value == 0.2
    assert indicators(org)["bond_score"].quality.value == "estimated"


def test_comparable_across_parks(targets):
    a = card_of(tiny_park(), targets, energy=ENERGY)
    b = card_of(replace(tiny_park(), id="other", area_ha=4.0), targets, energy=ENERGY)
    scores = theme_scores([a, b])
    assert set(scores) == {"tiny", "other"}
    # twice the area halves CO2 per ha: a better energy score with the same targets
    assert scores["other"]["energy"] > scores["tiny"]["energy"]


def test_inputs_are_checked():
    inp = parse_inputs({"climate": {"paved_share": 0.7, "water_storage_m3": 100}})
    assert inp.paved_share == 0.7 and inp.water_storage_m3 == 100
    with pytest.raises(ValidationError) as exc:
        parse_inputs({"climate": {"paved_share": 1.5, "roof": 1}, "water": {}})
    paths = {p.path for p in exc.value.problems}
    assert paths == {"climate.paved_share", "climate.roof", "water"}


def test_a_simulation_that_cannot_run_is_noted():
    from parkplan.services.assess import compute_scorecard

    park = replace(tiny_park(), location=None)  # existing PV needs a location
    card, _refdata, sim = compute_scorecard(park)
    assert sim is None
    t = themes(card)
    assert any("locatie" in n[0] for n in t["energy"].notes)
    assert any("location" in n[1] for n in t["grid"].notes)
    assert t["grid"].score is None and t["energy"].score is not None


def test_park_climate_and_circularity_are_read_from_the_park(targets):
    from parkplan.domain.model import Circularity, ClimateAdaptation, Origin

    park = replace(
        tiny_park(),
        climate=ClimateAdaptation(
            paved_share=0.85,
            green_share=0.1,
            water_storage_m3=600,
            origins={"green_share": Origin.ESTIMATED},
        ),
        circularity=Circularity(collective_waste_contract=False, circular_company_share=0.15),
    )
    t = themes(card_of(park, targets))  # no inputs file: the park's own values
    climate = indicators(t["climate"])
    # same figures as INPUTS: green 0.1 of 0.2, paved 0.85 of 0.9-0.8, 300 of 600 m3/ha
    assert [i.score for i in t["climate"].indicators] == pytest.approx([50, 50, 50])
    assert climate["green_share"].source == "park:climate.green_share"
    assert climate["green_share"].quality is Origin.ESTIMATED
    assert climate["paved_share"].quality is Origin.REPORTED
    assert climate["water_storage_m3_per_ha"].source == (
        "park:climate.water_storage_m3 / park:area_ha"
    )
    circ = indicators(t["circularity"])
    assert circ["collective_waste_contract"].value == 0.0
    assert circ["collective_waste_contract"].score == 0
    # 0.15 of the target share
    assert circ["circular_company_share"].score == pytest.approx(
        100 * 0.15 / targets.circular_company_share
    )
    assert circ["circular_company_share"].source == "park:circularity.circular_company_share"


def test_inputs_file_overrides_the_park_field_by_field(targets):
    from parkplan.assess.scorecard import resolve_inputs
    from parkplan.domain.model import Circularity, ClimateAdaptation, Origin

    park = replace(
        tiny_park(),
        climate=ClimateAdaptation(
            paved_share=0.5, green_share=0.4, origins={"green_share": Origin.ESTIMATED}
        ),
        circularity=Circularity(collective_waste_contract=False),
    )
    inputs = ScorecardInputs(green_share=0.1, collective_waste_contract=True)
    t = themes(card_of(park, targets, inputs=inputs))
    climate = indicators(t["climate"])
    assert climate["green_share"].value == 0.1
    assert climate["green_share"].source == "inputs:green_share"
    assert climate["green_share"].quality is Origin.REPORTED  # the park's estimate is not used
    assert climate["paved_share"].value == 0.5  # not in the inputs: from the park
    assert climate["paved_share"].source == "park:climate.paved_share"
    assert climate["water_storage_m3_per_ha"].score is None  # in neither
    circ = indicators(t["circularity"])
    assert circ["collective_waste_contract"].score == 100
    assert circ["collective_waste_contract"].source == "inputs:collective_waste_contract"
    used = resolve_inputs(park, inputs)
    assert used["green_share"] == (0.1, "inputs:green_share", Origin.REPORTED)
    assert used["paved_share"] == (0.5, "park:climate.paved_share", Origin.REPORTED)
    assert used["water_storage_m3"] == (None, "park:climate.water_storage_m3", Origin.REPORTED)
    assert used["circular_company_share"][0] is None


def test_estimated_park_area_weakens_water_storage_per_ha(targets):
    from parkplan.domain.model import ClimateAdaptation, Origin

    park = replace(
        tiny_park(),
        climate=ClimateAdaptation(water_storage_m3=1200),
        origins={"area_ha": Origin.ESTIMATED},
    )
    water = indicators(themes(card_of(park, targets))["climate"])["water_storage_m3_per_ha"]
    assert water.value == 600 and water.score == 100
    assert water.quality is Origin.ESTIMATED
