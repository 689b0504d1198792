"""The park selection reads well: which park a note is about, and CO2 written as CO2."""

from __future__ import annotations

from parkplan.assess.selection import RankedPark, explain, park_criteria
from parkplan.domain.model import Company, ElectricityUse, Engagement, Park


def test_weak_survey_note_names_the_park_and_writes_percent_the_dutch_way():
    companies = [
        Company(
            id=f"c{i}",
            name=f"C{i}",
            electricity=ElectricityUse(annual_kwh=10_000),
            engagement=Engagement(bond_with_park=3) if i == 0 else None,
        )
        for i in range(4)
    ]
    park = Park(id="p", name="Parkje", area_ha=5.0, companies=companies)
    crit = park_criteria(park, pv_potential_kwh=0.0, co2_kg=0.0, weak_response_rate=0.5)
    (note,) = [n for n in crit.notes if n.code == "weak_survey"]
    assert note.nl.startswith("Parkje: slechts 25 % van de bedrijven")
    assert note.en.startswith("Parkje: only 25 % of the companies")


def test_explanation_keeps_co2_in_capitals():
    ranked = RankedPark(
        park_id="p",
        name="P",
        score=0.5,
        rank=2,
        values={},
        normalised={},
        contributions={},
        strengths=("co2_t_per_ha",),
        weaknesses=("bond_with_park",),
    )
    assert explain(ranked) == (
        "Plaats 2: sterker dan gemiddeld op CO2 per hectare; zwakker op band met het park."
    )
