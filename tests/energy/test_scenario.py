"""Scenario documents: parsing, validation against a park, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from parkplan.domain.errors import ValidationError
from parkplan.domain.model import Company, Park, Roof
from parkplan.energy.scenario import (
    BatteryMeasure,
    EnergyHub,
    EvCharging,
    HeatPump,
    RooftopPv,
    TransportRight,
    parse_scenario,
)

DATA = Path(__file__).parents[1] / "data" / "scenarios"


def park() -> Park:
    return Park(
        id="p",
        name="P",
        companies=[
            Company(id="c01", name="A", roofs=[Roof(area_m2=100, id="r-a")]),
            Company(id="c02", name="B", roofs=[Roof(area_m2=100), Roof(area_m2=50)]),
            Company(id="c03", name="C"),
        ],
    )


def load(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def test_example_files_parse_against_the_example_park():
    p = park()
    s = parse_scenario(load("zon-en-batterij.yaml"), p)
    assert s.name == "Zon en batterijen"
    pv = s.of_type(RooftopPv)
    assert pv[0] == RooftopPv("c01", 0, None, True)
    assert pv[1].kwp == 30
    b = s.of_type(BatteryMeasure)
    assert (
        b[1].strategy == "peak_shaving" and b[1].power_kw is None and b[1].target_import_kw == 300
    )
    hub = parse_scenario(load("energiehub.yaml"), p).hubs[0]
    assert isinstance(hub, EnergyHub)
    assert hub.members == ("c01", "c02", "c03")
    assert hub.shared_battery.energy_kwh == 500 and hub.shared_pv.kwp == 100
    e = parse_scenario(load("elektrificatie.yaml"), p)
    assert e.of_type(HeatPump)[0].share_of_gas == 1.0
    assert e.of_type(EvCharging)[0].vehicles == 10
    tr = e.of_type(TransportRight)[0]
    assert tr.default_kw == 350 and tr.blocks[0]["kw"] == 200


def test_unknown_company_and_roof_give_dutch_and_english_errors():
    with pytest.raises(ValidationError) as info:
        parse_scenario(load("fout-onbekend.yaml"), park())
    problems = info.value.errors
    codes = [p.code for p in problems]
    assert "unknown_company" in codes and "unknown_roof" in codes
    unknown = next(p for p in problems if p.code == "unknown_company")
    assert "Onbekend bedrijf 'c99'" in unknown.nl and "Unknown company 'c99'" in unknown.en
    assert unknown.path == "measures[0].company"
    roof = next(p for p in problems if p.code == "unknown_roof")
    assert roof.path == "measures[1].roof" and "0..1" in roof.en
    # the battery without energy and with an unknown strategy: two more problems
    assert any(p.path == "measures[2].energy_kwh" for p in problems)
    assert any(p.path == "measures[2].strategy" for p in problems)


def test_roof_by_id_and_without_park():
    doc = {"measures": [{"type": "rooftop_pv", "company": "c01", "roof": "r-a", "kwp": 5}]}
    assert parse_scenario(doc, park()).measures[0].roof == "r-a"
    # without a park only the document itself is checked
    doc2 = {"measures": [{"type": "rooftop_pv", "company": "zz", "kwp": 5}]}
    assert parse_scenario(doc2).measures[0].company == "zz"


@pytest.mark.parametrize(
    ("measure", "path"),
    [
        ({"type": "solar_farm"}, "measures[0].type"),
        ({"type": "battery", "company": "c01", "energy_kwh": -1}, "measures[0].energy_kwh"),
        ({"type": "heat_pump", "company": "c01", "share_of_gas": 2}, "measures[0].share_of_gas"),
        ({"type": "rooftop_pv", "company": "c01"}, "measures[0]"),
        ({"type": "energy_hub", "members": ["c01", "c01"]}, "measures[0].members"),
        ({"type": "energy_hub", "members": ["c01", "x"]}, "measures[0].members[1]"),
        (
            {
                "type": "transport_right",
                "company": "c01",
                "default_kw": 5,
                "blocks": [{"from": "7", "to": "x", "kw": 1}],
            },
            "measures[0].blocks[0].to",
        ),
        ({"type": "ev_charging", "company": "c01", "vehicles": "veel"}, "measures[0].vehicles"),
    ],
)
def test_bad_measures_are_located(measure, path):
    with pytest.raises(ValidationError) as info:
        parse_scenario({"name": "x", "measures": [measure]}, park())
    assert path in [p.path for p in info.value.errors]


def test_bad_format_and_identity():
    with pytest.raises(ValidationError):
        parse_scenario({"format": "other/2", "measures": []})
    with pytest.raises(ValidationError):
        parse_scenario(["not", "a", "mapping"])  # type: ignore[arg-type]
    a = parse_scenario(load("zon-en-batterij.yaml"), park())
    b = parse_scenario(load("zon-en-batterij.yaml"), park())
    c = parse_scenario(load("energiehub.yaml"), park())
    assert a.identity() == b.identity() != c.identity()
    assert a.to_dict()["measures"][0]["type"] == "RooftopPv"


def test_programmatic_scenarios_are_checked_against_the_park():
    from parkplan.energy.scenario import Scenario, check_against_park

    p = park()
    check_against_park(Scenario("ok", (RooftopPv("c01", "r-a", 5.0), EnergyHub(("c01", "c02")))), p)
    with pytest.raises(ValidationError) as info:
        check_against_park(
            Scenario(
                "bad",
                (BatteryMeasure("zz", 10.0), RooftopPv("c02", 5, 1.0), EnergyHub(("c01", "yy"))),
            ),
            p,
        )
    assert [e.path for e in info.value.errors] == [
        "measures[0].company",
        "measures[1].roof",
        "measures[2].members[1]",
    ]
