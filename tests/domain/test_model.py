from parkplan.domain.model import Company, Connection, ElectricityUse, Origin


def test_demand_on_site_is_offtake_plus_production_minus_feed_in():
    use = ElectricityUse(annual_kwh=820_000, annual_feed_in_kwh=95_000, annual_produced_kwh=300_000)
    assert use.demand_on_site_kwh == 1_025_000


def test_origin_defaults_to_reported_and_remembers_others():
    use = ElectricityUse(annual_kwh=1000, origins={"annual_kwh": Origin.MEASURED})
    assert use.origin_of("annual_kwh") is Origin.MEASURED
    assert use.origin_of("peak_kw") is Origin.REPORTED


def test_main_connection_skips_gas():
    c = Company(
        id="c1",
        name="X",
        connections=[
            Connection(ean="871234567890001018", kind="kleinverbruik", carrier="gas"),
            Connection(ean="871234567890001025", kind="grootverbruik", contracted_kw=100),
        ],
    )
    assert c.main_connection is not None
    assert c.main_connection.ean == "871234567890001025"
