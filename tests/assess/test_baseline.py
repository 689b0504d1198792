import pytest

from parkplan.assess.baseline import BaselineFactors, park_baseline, sector_group
from parkplan.domain.model import Company, ElectricityUse, GasUse, Origin, Park, Vehicle

FACTORS = BaselineFactors(
    co2_electricity_kg_per_kwh=0.268,
    co2_gas_kg_per_m3=2.085,
    co2_fuel_kg_per_l={"diesel": 3.256, "petrol": 2.821},
    fuel_l_per_km={("truck", "diesel"): 0.29},
    electricity_kwh_per_m2={"offices": 70.5},
    gas_m3_per_m2={"offices": 15.75},
)


def _park() -> Park:
    transport = Company(
        id="a",
        name="Transport",
        sbi="4941",
        electricity=ElectricityUse(
            annual_kwh=310_000,
            annual_feed_in_kwh=20_000,
            annual_produced_kwh=50_000,
            origins={"annual_kwh": Origin.MEASURED, "annual_feed_in_kwh": Origin.MEASURED},
        ),
        gas=GasUse(annual_m3=18_000),
        vehicles=[
            Vehicle(kind="truck", count=5, fuel="diesel", annual_km=60_000),
            Vehicle(kind="van", count=2, fuel="electric", annual_km=30_000),
        ],
    )
    office = Company(
        id="b", name="Kantoor", sbi="6920", floor_area_m2=650, gas=GasUse(annual_m3=7_200)
    )
    unknown = Company(id="c", name="Onbekend", sbi="2562")
    return Park(id="p", name="P", companies=[transport, office, unknown])


def test_company_figures_and_quality():
    base = park_baseline(_park(), FACTORS)
    a, b, c = base.companies
    assert a.electricity_offtake_kwh.value == 310_000
    assert a.electricity_offtake_kwh.quality is Origin.MEASURED
    # demand on site = 310,000 + 50,000 - 20,000; production was reported -> worst is reported
    assert a.electricity_demand_kwh.value == 340_000
    assert a.electricity_demand_kwh.quality is Origin.REPORTED
    assert a.co2_electricity_kg.value == pytest.approx(310_000 * 0.268)
    assert a.co2_gas_kg.value == pytest.approx(18_000 * 2.085)
    # 5 trucks x 60,000 km x 0.29 l/km = 87,000 l diesel, estimated; the EVs are in the offtake
    assert a.fleet_fuel_l["diesel"].value == pytest.approx(87_000)
    assert a.co2_fleet_kg.value == pytest.approx(87_000 * 3.256)
    assert a.co2_fleet_kg.quality is Origin.ESTIMATED
    # office: electricity from the sector norm 650 m2 x 70.5 kWh/m2
    assert b.electricity_offtake_kwh.value == pytest.approx(45_825)
    assert b.electricity_offtake_kwh.quality is Origin.ESTIMATED
    assert b.sector == "offices"
    # machining without any figure or norm: left out and listed, never guessed
    assert c.electricity_offtake_kwh is None
    assert c.missing == ("electricity", "gas")


def test_park_totals_and_estimated_share():
    base = park_baseline(_park(), FACTORS)
    offtake = base.park.totals["electricity_offtake_kwh"]
    assert offtake.value == pytest.approx(355_825)
    assert offtake.estimated_share == pytest.approx(45_825 / 355_825)
    assert offtake.measured_share == pytest.approx(310_000 / 355_825)
    assert offtake.companies_missing == 1
    expected_co2 = 355_825 * 0.268 + 25_200 * 2.085 + 87_000 * 3.256
    assert base.park.co2_kg == pytest.approx(expected_co2)
    assert sum(s.co2_kg for s in base.sectors) == pytest.approx(expected_co2)
    assert [s.key for s in base.sectors] == ["manufacturing", "offices", "transport_logistics"]


@pytest.mark.parametrize(
    ("sbi", "group"),
    [
        ("4941", "transport_logistics"),
        ("2562", "manufacturing"),
        ("6920", "offices"),
        ("4511", "car_companies"),
        ("4690", "wholesale"),
        (None, "other"),
        ("9999", "other"),
    ],
)
def test_sector_group(sbi, group):
    assert sector_group(sbi) == group
