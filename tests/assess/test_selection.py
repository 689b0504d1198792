import math
from pathlib import Path

import pytest

from parkplan.assess.selection import Settings, park_criteria, select, shannon_evenness
from parkplan.domain.errors import ParkplanError, ValidationError
from parkplan.domain.model import (
    Company,
    Connection,
    ElectricityUse,
    Engagement,
    GridAvailability,
    Organisation,
    Park,
)
from parkplan.services.selection import read_candidates_csv, read_weights, selection_to_dict

DATA = Path(__file__).parents[1] / "data" / "selection"


def test_evenness():
    assert shannon_evenness(["a", "a"]) == 0.0
    assert shannon_evenness(["a", "b", "a", "b"]) == pytest.approx(1.0)
    assert 0 < shannon_evenness(["a", "a", "a", "b"]) < 1


def _park() -> Park:
    companies = [
        Company(
            id=f"c{i}",
            name=f"C{i}",
            sbi=sbi,
            electricity=ElectricityUse(annual_kwh=kwh),
            connections=[
                Connection(ean=f"87123456789000{i:04d}", kind="grootverbruik", contracted_kw=kw)
            ],
            engagement=Engagement(bond_with_park=bond, bond_with_companies=bond) if bond else None,
        )
        for i, (sbi, kwh, kw, bond) in enumerate(
            [("4941", 100_000, 100, 4), ("6920", 50_000, 60, 2), ("2562", 250_000, 240, None)]
        )
    ]
    return Park(
        id="p",
        name="P",
        area_ha=20.0,
        companies=companies,
        grid=GridAvailability(available_import_kw=250.0),
        organisation=Organisation(business_association=True, park_management=False, biz=True),
    )


def test_park_criteria_by_hand():
    crit = park_criteria(
        _park(), pv_potential_kwh=1_234_000, co2_kg=200_000, weak_response_rate=0.3
    )
    v = crit.values
    assert v["companies"] == 3
    assert v["bond_with_park"] == 3.0  # mean of 4 and 2; one company did not answer
    assert crit.response_rate == pytest.approx(2 / 3)
    assert v["organisation"] == 2.0
    assert v["congestion"] == pytest.approx(400 / 250)
    assert v["demand_mwh"] == pytest.approx(400.0)
    assert v["pv_potential_mwh"] == pytest.approx(1234.0)
    assert v["co2_t_per_ha"] == pytest.approx(10.0)
    assert v["sector_diversity"] == pytest.approx(1.0)  # three sectors, one company each


def test_csv_candidates_with_missing_value_are_ranked_and_reported():
    candidates = read_candidates_csv(DATA / "kandidaten.csv")
    assert candidates[0].values["area_ha"] == 42.5
    assert math.isnan(candidates[2].values["bond_with_park"])
    settings = read_weights(DATA / "gewichten.yaml")
    assert settings.method == "wsm"
    outcome = select(candidates, settings)
    # congestion has weight 0 and drops out; weights were percentages
    assert outcome.criteria == ("area_ha", "companies", "bond_with_park", "organisation")
    assert {n.code for n in outcome.notes} == {"weights_percent", "missing_criterion"}
    # by hand (WSM on min-max): oost's missing bond takes the worst (2.9)
    # noord: 0.4*0.2451 + 0.2*0.2169 + 0.2*1 + 0.2*0.5 = 0.44141
    # zuid:  0.4*1 + 0.2*1 + 0 + 0 = 0.6; oost: 0 + 0 + 0 + 0.2*1 = 0.2
    scores = {p.park_id: p.score for p in outcome.parks}
    assert scores["zuid"] == pytest.approx(0.6)
    assert scores["oost"] == pytest.approx(0.2)
    assert scores["noord"] == pytest.approx(0.4 * 24.5 / 102 + 0.2 * 18 / 83 + 0.2 + 0.1)
    data = selection_to_dict(outcome, candidates)
    assert [p["id"] for p in data["parks"]] == ["zuid", "noord", "oost"]
    assert sum(data["stability"]["first_place_share"].values()) == pytest.approx(1.0)


def test_reproducible_with_seed_and_different_without():
    candidates = read_candidates_csv(DATA / "kandidaten.csv")
    base = read_weights(DATA / "gewichten.yaml")
    a = select(candidates, base)
    b = select(candidates, base)
    assert (a.stability.rank_share == b.stability.rank_share).all()


def test_bad_weights_and_bad_csv(tmp_path):
    bad = tmp_path / "w.yaml"
    bad.write_text("area_ha: 0.5\ncompanies: 0.4\n", encoding="utf-8")
    candidates = read_candidates_csv(DATA / "kandidaten.csv")
    with pytest.raises(ParkplanError, match=r"0\.9"):
        select(candidates, read_weights(bad))
    bad.write_text("area_ha: {weight: 1, direction: up}\n", encoding="utf-8")
    with pytest.raises(ParkplanError, match="max or min"):
        read_weights(bad)
    csv = tmp_path / "c.csv"
    csv.write_text("id;name;area_ha;hoogte\nx;X;veel;3\n", encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        read_candidates_csv(csv)
    assert {(p.row, p.column) for p in exc.value.errors} == {(1, "hoogte"), (2, "area_ha")}


def test_one_park_is_not_a_comparison():
    candidates = read_candidates_csv(DATA / "kandidaten.csv")[:1]
    with pytest.raises(ParkplanError):
        select(candidates, Settings(weights={"area_ha": 1.0}, directions={"area_ha": "max"}))
