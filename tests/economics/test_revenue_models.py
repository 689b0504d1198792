"""Revenue models: who invests, owns and pays whom; flows balance; impossible set-ups refused."""

from __future__ import annotations

import pytest

from parkplan.economics.revenue_models import (
    GRID,
    HUB,
    RevenueModelError,
    energy_hub_gto,
    joint_procurement,
    owner_tenant,
    shared_battery,
    shared_solar,
)


def test_energy_hub_flows_use_the_three_company_case():
    # stand-alone costs and Shapley shares of tests/data/economics/gto_three_companies.yaml
    alone = {"A": 1500.78, "B": 1250.65, "C": 3785.86}
    phi = {"A": 489.037333, "B": 479.497333, "C": 384.097333}
    m = energy_hub_gto(
        "hub", alone, phi, ems_cost_eur_per_year=300.0,
        contracted_kw={"A": 120, "B": 100, "C": 400}, group_capacity_kw=460,
    )  # fmt: skip
    net = m.net_eur_per_year()
    # the hub collects the members' costs minus their shares and pays the group cost
    assert net[GRID] == pytest.approx(5184.658, abs=1e-3)
    assert net[HUB] == pytest.approx(300.0, abs=1e-6)  # only the EMS fee stays with the hub
    # what a member pays in total = its cost alone - its share + its EMS part
    assert -net["A"] == pytest.approx(1500.78 - 489.037333 + 300 * 489.037333 / 1352.632, abs=1e-3)
    assert m.extra["capacity_room_kw"] == 160
    assert m.investor == HUB and m.owner == HUB
    assert m.unknown == []
    unknown = energy_hub_gto("hub", alone, phi, ems_cost_eur_per_year=None)
    assert unknown.unknown == ["ems_cost_eur_per_year"]
    assert unknown.net_eur_per_year()["A"] is None
    with pytest.raises(RevenueModelError):
        energy_hub_gto("hub", {"A": 1.0}, {"A": 0.0}, ems_cost_eur_per_year=0)


def test_shared_solar_needs_a_legal_route_and_its_costs():
    kw = {
        "host": "c01", "roof_owner": "vastgoed BV", "investor": HUB, "capex_eur": 65_000,
        "opex_eur_per_year": 1_200, "delivered_kwh": {"c02": 40_000, "c03": 10_000},
        "price_eur_per_kwh": 0.08,
    }  # fmt: skip
    m = shared_solar("zon", route="energy_sharing", route_cost_eur_per_year=500, **kw)
    net = m.net_eur_per_year()
    assert net[HUB] == pytest.approx(50_000 * 0.08 - 1_200 - 500)
    assert net["c02"] == pytest.approx(-3_200)
    unknown = shared_solar("zon", route="private_network", route_cost_eur_per_year=None, **kw)
    assert set(unknown.unknown) == {"route_capex_eur", "route_cost_eur_per_year"}
    assert unknown.capex_eur is None
    with pytest.raises(RevenueModelError) as exc:
        shared_solar("zon", route="behind_the_meter", route_cost_eur_per_year=0, **kw)
    assert "meter" in exc.value.en
    with pytest.raises(RevenueModelError):
        shared_solar("zon", route="cable_pooling", route_cost_eur_per_year=0, **kw)
    ok = shared_solar(
        "zon", route="cable_pooling", route_cost_eur_per_year=0,
        offtakers_on_one_connection=True, **kw,
    )  # fmt: skip
    assert ok.route == "cable_pooling"


def test_battery_procurement_and_owner_tenant():
    b = shared_battery("bat", 100_000, 2_000, {"c01": 4_000, "c02": 6_000}, fee_fraction=0.8)
    assert b.net_eur_per_year()[HUB] == pytest.approx(0.8 * 10_000 - 2_000)
    with pytest.raises(RevenueModelError):
        shared_battery("bat", 100_000, 2_000, {"c01": 1.0}, fee_fraction=1.5)
    with pytest.raises(RevenueModelError):
        shared_battery("bat", -1, 2_000, {"c01": 1.0})
    jp = joint_procurement("inkoop", {"c01": 60_000, "c02": 40_000}, discount_fraction=0.1,
                           coordinator_fee_eur=1_000)  # fmt: skip
    assert jp.capex_eur == pytest.approx(90_000)
    assert jp.extra["saving_eur"]["c01"] == pytest.approx(6_000)
    ppa = owner_tenant("c01", "eigenaar", arrangement="ppa", annual_saving_eur=9_000,
                       pv_kwh=80_000, ppa_price_eur_per_kwh=0.07)  # fmt: skip
    assert ppa.investor == "eigenaar"
    assert ppa.net_eur_per_year()["eigenaar"] == pytest.approx(5_600)
    own = owner_tenant("c01", "eigenaar", arrangement="tenant_invests", annual_saving_eur=9_000,
                       pv_kwh=80_000)  # fmt: skip
    assert own.investor == "c01" and own.flows == []
    missing = owner_tenant("c01", "eigenaar", arrangement="rent_surcharge", annual_saving_eur=1,
                           pv_kwh=1)  # fmt: skip
    assert missing.unknown == ["rent_surcharge_eur_per_year"]
    with pytest.raises(RevenueModelError):
        owner_tenant("c01", "eigenaar", arrangement="gift", annual_saving_eur=1, pv_kwh=1)
