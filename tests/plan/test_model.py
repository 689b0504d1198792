"""The plan's core: targets and KPIs from the baseline, organisation advice from the park's
own data, roadmap dates, narrative placeholders, number formats (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from parkplan.domain.model import Company, Engagement, Organisation, Park
from parkplan.plan.implementation_plan import (
    PlanFactors,
    add_months,
    kpi_years,
    organisation_options,
    park_profile,
)
from parkplan.plan.model import format_value
from parkplan.plan.narrative import fill, merge, placeholders


@pytest.fixture
def factors() -> PlanFactors:
    from parkplan.refdata import load_refdata
    from parkplan.services.plan import plan_factors

    return plan_factors(load_refdata())


def _park(n: int, bond: int, answered: float, hub: str = "yes", **org: bool) -> Park:
    companies = []
    for i in range(n):
        e = None
        if i < round(n * answered):
            e = Engagement(bond_with_park=bond, bond_with_companies=bond,
                           interest={"energy_hub": hub})  # fmt: skip
        companies.append(Company(id=f"c{i:02d}", name=f"Bedrijf {i}", engagement=e))
    return Park(id="p", name="P", companies=companies, organisation=Organisation(**org))


def test_format_value_dutch_and_english() -> None:
    assert format_value(1234567.891, 1) == "1.234.567,9"
    assert format_value(1234567.891, 1, "en") == "1,234,567.9"
    assert format_value(-0.04, 1) == "0,0"
    assert format_value(None) == "-"
    assert format_value(float("nan")) == "-"
    assert format_value("tekst") == "tekst"


def test_add_months_and_kpi_years(factors: PlanFactors) -> None:
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 15), 24) == date(2028, 1, 15)
    years = kpi_years(2026, factors)
    assert years[:4] == [2027, 2028, 2029, 2030]
    assert years[-2:] == [factors.energy_neutral_year, factors.climate_neutral_year]


def test_park_profile_counts_from_the_survey() -> None:
    park = _park(10, 4, 0.6, business_association=True)
    p = park_profile(park)
    assert (p.companies, p.respondents, p.hub_interest) == (10, 6, 6)
    assert p.response_share == pytest.approx(0.6)
    assert p.mean_bond_park == 4


def test_biz_recommended_only_with_strong_bond_and_response(factors: PlanFactors) -> None:
    strong = {o.key: o for o in organisation_options(park_profile(_park(40, 4, 0.8)), factors)}
    weak = {o.key: o for o in organisation_options(park_profile(_park(40, 2, 0.3)), factors)}
    assert strong["biz"].fit == "recommended"
    assert weak["biz"].fit == "possible"
    assert any("respons" in c for c in weak["biz"].cons)
    small = {o.key: o for o in organisation_options(park_profile(_park(5, 5, 1.0)), factors)}
    assert small["biz"].fit == "less_suitable"
    assert small["vereniging"].fit == "recommended"


def test_organisation_pros_cite_the_parks_numbers(factors: PlanFactors) -> None:
    options = organisation_options(park_profile(_park(40, 4, 0.8)), factors)
    biz = next(o for o in options if o.key == "biz")
    assert any("4,0 op 1-5" in p for p in biz.pros)
    coop = next(o for o in options if o.key == "cooperatie")
    assert any(p.startswith("32 bedrijven") for p in coop.pros)
    turnout = format_value(factors.biz_min_turnout * 100, 0)
    assert any(f"{turnout} % opkomst" in c for c in biz.cons)


def test_narrative_placeholders_are_filled_or_flagged() -> None:
    text = "CO2: {{ co2_t }} t, {{onbekend_ding}}."
    assert placeholders(text) == ["co2_t", "onbekend_ding"]
    assert fill(text, {"co2_t": "1.234"}) == "CO2: 1.234 t, [onbekend: onbekend_ding]."
    assert fill(text, {}, "en").endswith("[unknown: onbekend_ding].")
    merged = merge("summary", {}, {"park_name": "De Wieken", "companies": "3", "co2_t": "9"})
    assert not merged.stored
    assert "**De Wieken**" in merged.markdown and "{{" not in merged.markdown


def test_pv_target_from_the_optimal_configuration(factors: PlanFactors) -> None:
    from pathlib import Path

    from parkplan.plan.implementation_plan import PlanInputs, build_implementation_plan
    from parkplan.services.assess import compute_baseline
    from parkplan.services.parks import read_park_from_file

    park_file = Path(__file__).resolve().parents[1] / "data" / "economics" / "park_stedin.yaml"
    park, _ = read_park_from_file(park_file)
    baseline, _ = compute_baseline(park)
    # the shape of parkplan.services.optimize.optimize(): PV added per site outside the hub
    # and for the hub (members' own "alone" sites do not count twice)
    optimum = {
        "companies": [
            {"id": "c01", "in_hub": True, "alone": {"pv_added_kwp": 50.0}},
            {"id": "c02", "in_hub": True, "alone": {"pv_added_kwp": 70.0}},
            {"id": "c03", "in_hub": False, "alone": {"pv_added_kwp": 12.5}},
        ],
        "hub": {"pv_added_kwp": 100.0},
    }
    inputs = PlanInputs(park=park, baseline=baseline, factors=factors, start=date(2026, 3, 2),
                        optimization=optimum)  # fmt: skip
    plan = build_implementation_plan(inputs)
    kpi = next(k for k in plan.kpis if k.key == "pv_kwp")
    existing = sum(r.existing_pv_kwp for c in park.companies for r in c.roofs)
    assert kpi.baseline == pytest.approx(existing)
    assert kpi.targets[max(kpi.targets)] == pytest.approx(existing + 112.5)
    assert "optimization" not in plan.missing and "simulation" in plan.missing
