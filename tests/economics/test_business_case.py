"""Business case: the hand-computed PV case with EIA, unknown figures, bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from parkplan.economics.business_case import (
    BusinessCaseError,
    Finance,
    bill_saving,
    case_cashflow,
    heat_pump_cost,
    pv_class,
    pv_cost,
)
from parkplan.economics.subsidies import SubsidyError, eia
from parkplan.economics.tariffs import Bill, BillLine
from parkplan.refdata import load_refdata

DATA = Path(__file__).parents[1] / "data" / "economics"


def test_pv_with_eia_matches_the_hand_computed_case():
    spec = yaml.safe_load((DATA / "pv_eia.yaml").read_text(encoding="utf-8"))
    ref = load_refdata()
    m = pv_cost(spec["kwp"], year=spec["year"], refdata=ref, company="c01")
    assert m.capex_eur == pytest.approx(spec["capex_eur"])
    assert m.opex_eur_per_year == pytest.approx(spec["opex_eur_per_year"])
    s = eia(m.capex_eur, year=spec["year"], refdata=ref, on_energielijst=True)
    assert s.amount_eur == pytest.approx(spec["eia_eur"])
    fin = Finance(spec["discount_rate"], spec["horizon_years"])
    case = case_cashflow("c01", [m], spec["annual_saving_eur"], fin, subsidies=[s])
    np.testing.assert_allclose(case.cashflow_eur, spec["net_eur"], rtol=0, atol=1e-6)
    # the NPV written out independently of the cash-flow code
    npv = sum(x / 1.06**t for t, x in enumerate(spec["net_eur"]))
    assert case.npv_eur == pytest.approx(npv) == pytest.approx(spec["npv_eur"])
    assert 0 < case.irr < 1
    assert 5 < case.payback_years < 7


def test_pv_classes_and_unknown_heat_pump_size():
    ref = load_refdata()
    assert pv_class(10, ref) == "small" and pv_class(15, ref) == "medium"
    assert pv_class(1000, ref) == "large"
    hp = heat_pump_cost(None, year=2026, refdata=ref)
    assert hp.capex_eur is None and hp.unknown
    case = case_cashflow("x", [hp], 1000.0, Finance(0.06, 15))
    assert case.npv_eur is None and case.unknown


def test_unknown_bill_line_makes_the_saving_unknown():
    known = BillLine("supply", "Levering", "Supply", 100.0)
    unknown = BillLine("transport.kwh", "t", "t", None, refs=("grid_tariff.x.ms.kwh_eur_per_kwh",))
    b1 = Bill(2026, "grootverbruik", "MS", [known])
    b2 = Bill(2026, "grootverbruik", "MS", [known, unknown])
    assert bill_saving(b1, b1) == (0.0, [])
    saving, keys = bill_saving(b1, b2)
    assert saving is None and keys == ["grid_tariff.x.ms.kwh_eur_per_kwh"]
    ref = load_refdata()
    case = case_cashflow("c", [pv_cost(50, year=2026, refdata=ref)], saving, Finance(0.06, 15),
                         unknown=keys)  # fmt: skip
    assert case.npv_eur is None and case.unknown == keys


@pytest.mark.parametrize(
    "kwargs", [{"discount_rate": 1.5, "horizon_years": 15}, {"discount_rate": 0.06,
               "horizon_years": 0}, {"discount_rate": float("nan"), "horizon_years": 15}]
)  # fmt: skip
def test_rates_out_of_range_are_refused(kwargs):
    with pytest.raises((BusinessCaseError, SubsidyError)):
        Finance(**kwargs)


def test_negative_size_refused():
    with pytest.raises(BusinessCaseError):
        pv_cost(-1, year=2026, refdata=load_refdata())


def test_a_benefit_without_investment_is_its_discounted_stream():
    case = case_cashflow("gto", [], 1_000.0, Finance(0.05, 10))
    assert case.npv_eur == pytest.approx(sum(1_000.0 / 1.05**t for t in range(1, 11)))
    assert case.capex_eur == 0.0 and case.cashflow_eur[0] == 0.0
