"""Reviewer's hand-computed cash-flow cases."""

from __future__ import annotations

import numpy as np
import pytest

from parkplan.economics import cashflow as cf


def test_npv_irr_payback_by_hand():
    flows = [-1000.0, 500.0, 500.0, 500.0]
    # NPV at 10 %: -1000 + 500/1.1 + 500/1.21 + 500/1.331 = 243.4259...
    assert cf.npv(0.10, flows) == pytest.approx(-1000 + 500 / 1.1 + 500 / 1.21 + 500 / 1.331)
    r = cf.irr(flows)
    assert r is not None and cf.npv(r, flows) == pytest.approx(0.0, abs=1e-6)
    assert r == pytest.approx(0.2337519, abs=1e-6)
    assert cf.payback_years(flows) == pytest.approx(2.0)
    # discounted at 10 %: cumulative -545.45 after year 1, -132.23 after 2; year 3 gives 375.66
    assert cf.payback_years(flows, 0.10) == pytest.approx(
        2 + (1000 - 500 / 1.1 - 500 / 1.21) / (500 / 1.331)
    )
    # a loss-making measure has a negative IRR: 100 x^2 + 100 x - 1000 = 0, x = 1 / (1 + r)
    x = (-1 + 41**0.5) / 2
    assert cf.irr([-1000.0, 100.0, 100.0]) == pytest.approx(1 / x - 1, abs=1e-9)
    assert cf.irr([-1000.0, -100.0]) is None


def test_measure_cashflows_escalation_degradation_residual():
    inp = cf.MeasureCashflowInputs(
        capex_eur=1000.0, opex_eur_per_year=10.0, savings_eur_per_year=200.0, lifetime_years=10,
        subsidy_eur=100.0, degradation_per_year=0.01, price_escalation=0.02,
        replacements=((5, 50.0),),
    )  # fmt: skip
    lines = cf.measure_cashflows(inp, 8)
    np.testing.assert_allclose(
        lines["savings"][1:4], [200.0, 200 * 1.02 * 0.99, 200 * (1.02 * 0.99) ** 2]
    )
    assert lines["capex"][0] == -1000.0 and lines["subsidy"][0] == 100.0
    assert lines["replacement"][5] == -50.0
    assert lines["residual"][-1] == pytest.approx(1000.0 * (1 - 8 / 10))
    np.testing.assert_allclose(lines["net"], sum(lines[k] for k in lines if k != "net"))
    assert cf.annuity_factor(0.0, 4) == 0.25
    assert cf.lcoe_eur_per_kwh(0.0, [100.0, 10.0], [0.0, 100.0]) == pytest.approx(1.1)
