"""Alone vs together on small synthetic parks; replaying the optimum through the bill.

Tariff values that are unknown in the reference data for 2026 are given as overrides with
stated hypothetical values (HYPOTHETICAL below): the tests check the arithmetic, not them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parkplan.economics.tariffs import annual_bill, group_transport_eur
from parkplan.optimize.sizing import (
    CostInputs,
    InfeasibleError,
    MemberInput,
    ParkSizingInputs,
    RoofInput,
    coalition_cost_eur,
    optimize_park,
)
from parkplan.refdata import UnknownValueError, load_refdata

from ..helpers import sizing_costs

YEAR = 2026
HYPOTHETICAL = {
    # not published in refdata for 2026: hypothetical values for the test
    "energy_tax.electricity.b2.eur_per_kwh": 0.07,
    "energy_tax.electricity.b3.eur_per_kwh": 0.04,
    "grid_tariff.stedin.ms_ls.kwh_eur_per_kwh": 0.01,
    "grid_tariff.stedin.ls.kwh_eur_per_kwh": 0.012,
    "grid_tariff.stedin.ms.kwh_eur_per_kwh": 0.008,
}
BILL_LINES = ("supply", "energy_tax", "transport.kwh", "transport.kw_contract",
              "transport.kw_max", "feed_in")  # fmt: skip


@pytest.fixture(scope="module")
def refdata():
    return load_refdata(HYPOTHETICAL)


def index(days: int = 14) -> pd.DatetimeIndex:
    return pd.date_range("2026-06-01", periods=24 * days, freq="h", tz="Europe/Amsterdam")


def daylight(idx: pd.DatetimeIndex) -> np.ndarray:
    hour = np.asarray(idx.hour)
    return np.where((hour >= 7) & (hour < 19), 0.5 * np.sin(np.pi * (hour - 7) / 12) * 1.2, 0.0)


def costs(pv_capex: float = 600.0, battery_kwh: float = 350.0, om: float = 12.0) -> CostInputs:
    return sizing_costs(
        pv_classes=[
            (15.0, pv_capex * 1.5, om),
            (1000.0, pv_capex, om),
            (float("inf"), pv_capex * 0.9, om),
        ],
        battery_capex_eur_per_kwh=battery_kwh,
    )


def member(cid: str, idx, level_kw: float, contract: float, roof_kwp: float = 0.0,
           shape_seed: int = 0) -> MemberInput:  # fmt: skip
    rng = np.random.default_rng(shape_seed)
    hour = np.asarray(idx.hour)
    base = np.where((hour >= 6) & (hour < 18), 1.0, 0.35) + 0.2 * rng.random(len(idx))
    demand = level_kw * base
    roofs = [RoofInput(0, 0, roof_kwp)] if roof_kwp else []
    return MemberInput(
        id=cid,
        demand_kwh=demand,
        contracted_kw=contract,
        contracted_feed_in_kw=contract,
        import_limit_kw=contract,
        export_limit_kw=contract,
        roofs=roofs,
    )


def park(members, idx, **kw) -> ParkSizingInputs:
    return ParkSizingInputs(
        park_id="test",
        index=idx,
        interval_h=1.0,
        profiles=daylight(idx)[None, :],
        members=members,
        operator="stedin",
        year=YEAR,
        costs=kw.pop("cost_inputs", costs()),
        **kw,
    )


def replay_alone(site, m: MemberInput, idx, refdata) -> float:
    bill = annual_bill(
        site.member_import_kwh[m.id], site.member_export_kwh[m.id], idx, kind="grootverbruik",
        operator="stedin", year=YEAR, refdata=refdata, contracted_kw=m.contracted_kw,
    )  # fmt: skip
    return sum(ln.amount_eur for ln in bill.lines if ln.code.startswith(BILL_LINES))


def test_alone_operating_cost_is_reproduced_by_the_bill(refdata):
    idx = index()
    ms = [member("a", idx, 60.0, 120.0, roof_kwp=150.0, shape_seed=1),
          member("b", idx, 20.0, 40.0, roof_kwp=40.0, shape_seed=2)]  # fmt: skip
    opt = optimize_park(park(ms, idx), refdata, together=False)
    for m in ms:
        site = opt.alone[m.id]
        assert site.solution.status == "optimal"
        replayed = replay_alone(site, m, idx, refdata)
        assert replayed == pytest.approx(site.operating_eur, rel=0.005)
        # balances close per interval: PV + import + discharge = demand + export + charge + curt
        s = site.solution
        lhs = s.pv_kwh + s.import_kwh.sum(axis=0) + s.discharge_kwh
        rhs = m.demand_kwh + s.export_kwh + s.charge_kwh + s.curtailed_kwh
        np.testing.assert_allclose(lhs, rhs, atol=1e-5)
        assert s.monthly_max_kw.max() <= m.contracted_kw + 1e-6


def test_hub_operating_cost_is_reproduced_by_member_bills_and_group_transport(refdata):
    idx = index()
    ms = [member("a", idx, 60.0, 120.0, roof_kwp=150.0, shape_seed=1),
          member("b", idx, 50.0, 100.0, roof_kwp=0.0, shape_seed=2),
          member("c", idx, 20.0, 60.0, roof_kwp=80.0, shape_seed=3)]  # fmt: skip
    opt = optimize_park(park(ms, idx, available_import_kw=170.0), refdata)
    hub = opt.hub
    assert hub is not None and hub.solution.status == "optimal"
    assert hub.solution.contract_kw <= 170.0 + 1e-6
    per_member = 0.0
    for m in ms:
        bill = annual_bill(
            hub.member_import_kwh[m.id], hub.member_export_kwh[m.id], idx,
            kind="grootverbruik", operator="stedin", year=YEAR, refdata=refdata,
            contracted_kw=m.contracted_kw,
        )  # fmt: skip
        per_member += sum(
            ln.amount_eur for ln in bill.lines
            if ln.code.startswith(("supply", "energy_tax", "transport.kwh", "feed_in"))
        )  # fmt: skip
    gt = group_transport_eur(
        np.vstack([hub.member_import_kwh[m.id] for m in ms]), idx,
        [m.contracted_kw for m in ms], hub.solution.contract_kw, operator="stedin",
        year=YEAR, refdata=refdata,
        member_feed_in_kwh=np.vstack([hub.member_export_kwh[m.id] for m in ms]),
    )  # fmt: skip
    assert per_member + gt.total_eur == pytest.approx(hub.operating_eur, rel=0.005)


def test_offtake_is_booked_on_the_member_that_consumes_it(refdata):
    # two members in one import class (same bracket and category); the battery's grid energy
    # is metered at one of them at the same price: the LP may book any offtake there, the
    # result moves it back so that brackets are checked on real consumption
    idx = index()
    ms = [member("a", idx, 60.0, 120.0, roof_kwp=100.0, shape_seed=1),
          member("b", idx, 50.0, 100.0, shape_seed=2)]  # fmt: skip
    opt = optimize_park(park(ms, idx), refdata)
    hub = opt.hub
    assert hub is not None and hub.bracket_changes == []
    for m in ms:
        assert hub.member_import_kwh[m.id].sum() > 0.2 * m.demand_kwh.sum()
    # cooperation cannot cost more than every member optimising alone (the hub may copy
    # each member's own choices) and here it saves on the shared peak
    assert opt.value_of_cooperation_eur > 0
    assert opt.value_of_cooperation_eur == pytest.approx(
        sum(opt.alone[m.id].objective_eur for m in ms) - hub.objective_eur
    )
    # the game for the Shapley split: v(S) = sum alone - cost(S)
    pair = coalition_cost_eur(park(ms, idx, available_import_kw=170.0), refdata, ["a", "b"])
    assert pair <= opt.alone["a"].objective_eur + opt.alone["b"].objective_eur + 1e-6


def test_in_a_hub_no_member_buys_for_another_at_a_lower_rate(refdata):
    from parkplan.optimize.sizing import baseline_offtake_kwh, hub_problem, member_tariff

    idx = index()
    # bracket 3 (about 60,000 kWh) and bracket 1 (about 1,700 kWh): different rates
    ms = [member("big", idx, 250.0, 500.0, shape_seed=1),
          member("small", idx, 5.0, 40.0, shape_seed=2)]  # fmt: skip
    tariffs = {
        m.id: member_tariff(
            m, baseline_offtake_kwh(m)[0], operator="stedin", year=YEAR, refdata=refdata
        )
        for m in ms
    }
    assert tariffs["big"].bracket == 3 and tariffs["small"].bracket == 1
    problem, _ = hub_problem(ms, tariffs, park(ms, idx), refdata)
    members = [c for c in problem.classes if c.demand_kwh.any()]
    assert not any(c.host for c in members)
    (battery,) = [c for c in problem.classes if c.host]
    assert battery.tax_eur_per_kwh == max(c.tax_eur_per_kwh for c in members)


def test_unknown_tariff_is_refused_with_its_key():
    idx = index()
    ms = [member("a", idx, 60.0, 120.0)]  # about 16,000 kWh: bracket 2
    with pytest.raises(UnknownValueError) as exc:
        optimize_park(park(ms, idx), load_refdata(), together=False)
    assert exc.value.key == "energy_tax.electricity.b2.eur_per_kwh"
    assert "energy_tax.electricity.b2.eur_per_kwh" in exc.value.en
    only_tax = {k: v for k, v in HYPOTHETICAL.items() if "grid_tariff" not in k}
    with pytest.raises(UnknownValueError) as exc:
        optimize_park(park(ms, idx), load_refdata(only_tax), together=False)
    assert exc.value.key == "grid_tariff.stedin.ms_ls.kwh_eur_per_kwh"
    assert "refdata_overrides" in exc.value.nl


def test_infeasible_demand_says_which_limit_binds_and_by_how_much(refdata):
    idx = index(2)
    m = member("a", idx, 10.0, 10.0)
    m.demand_kwh = np.full(len(idx), 14.0)  # 14 kW all the time under a 10 kW contract
    with pytest.raises(InfeasibleError) as exc:
        optimize_park(park([m], idx), refdata, together=False)
    d = exc.value.details
    assert d["binding"] == "contract"
    assert d["shortfall_max_kw"] == pytest.approx(4.0, rel=1e-3)
    assert d["shortfall_kwh"] == pytest.approx(4.0 * len(idx), rel=1e-3)
    assert "gecontracteerd vermogen" in exc.value.nl
    assert "contracted capacity" in exc.value.en
    assert "solver" not in exc.value.nl.lower()


def test_energy_tax_bracket_is_verified_and_the_lp_solved_again(refdata):
    idx = index()
    # about 66,000 kWh over 14 days: bracket 3 (> 50,000 kWh) at baseline; cheap PV brings
    # offtake below 50,000 kWh, into bracket 2 (a higher marginal rate)
    m = member("a", idx, 250.0, 600.0, roof_kwp=2000.0, shape_seed=4)
    cheap = costs(pv_capex=40.0, om=2.0)
    opt = optimize_park(park([m], idx, cost_inputs=cheap), refdata, together=False)
    site = opt.alone["a"]
    assert site.iterations >= 2
    assert site.bracket_changes[0]["from"] == 3
    assert site.bracket_changes[0]["to"] == 2
    assert site.tariffs["a"].bracket == 2
    assert replay_alone(site, m, idx, refdata) == pytest.approx(site.operating_eur, rel=0.005)


def test_co2_cap_reduces_offtake(refdata):
    idx = index(3)
    ms = [member("a", idx, 30.0, 80.0, roof_kwp=100.0, shape_seed=5)]
    kw = {"co2_kg_per_kwh": 0.3}
    free = optimize_park(park(ms, idx, **kw), refdata, together=False)
    co2 = free.alone["a"].solution.co2_kg
    capped = optimize_park(park(ms, idx, co2_cap_kg=0.8 * co2, **kw), refdata, together=False)
    assert capped.alone["a"].solution.co2_kg <= 0.8 * co2 + 1e-3
    assert capped.alone_total_eur >= free.alone_total_eur - 1e-6


def test_fast_mode_keeps_the_energy_and_is_close_to_the_full_horizon(refdata):
    from parkplan.optimize.aggregation import aggregate, optimize_park_fast, typical_days

    idx = pd.date_range("2026-05-01", periods=24 * 42, freq="h", tz="Europe/Amsterdam")
    ms = [member("a", idx, 60.0, 120.0, roof_kwp=150.0, shape_seed=1),
          member("b", idx, 50.0, 100.0, shape_seed=2)]  # fmt: skip
    inputs = park(ms, idx, available_import_kw=170.0)
    td = typical_days(inputs, 8)
    assert td.counts.sum() == 42
    reduced, axes = aggregate(inputs, td)
    assert axes["weights"].sum() == pytest.approx(len(idx))
    for full, red in zip(inputs.members, reduced.members, strict=True):
        assert np.sum(axes["weights"] * red.demand_kwh) == pytest.approx(full.demand_kwh.sum())
    fast = optimize_park_fast(inputs, refdata, typical_days=8)
    full = optimize_park(inputs, refdata)
    assert 2 <= fast.aggregated["typical_days"] <= 8
    assert fast.together_total_eur == pytest.approx(full.together_total_eur, rel=0.05)
