import numpy as np
import pytest

from parkplan.domain.errors import ParkplanError
from parkplan.economics.cashflow import (
    MeasureCashflowInputs,
    annuity_factor,
    indicators,
    irr,
    lcoe_eur_per_kwh,
    measure_cashflows,
    npv,
    payback_years,
)


def test_npv_of_one_period_at_its_own_rate_is_zero():
    assert npv(0.10, [-100.0, 110.0]) == pytest.approx(0.0, abs=1e-12)
    # 1000 now, 500 for 3 years at 5 %: -1000 + 500/1.05 + 500/1.05^2 + 500/1.05^3
    assert npv(0.05, [-1000, 500, 500, 500]) == pytest.approx(361.6240146, abs=1e-6)


def test_irr_recovers_known_rates():
    assert irr([-100.0, 110.0]) == pytest.approx(0.10, abs=1e-10)
    assert irr([-1000.0, 1210.0 / 1.1, 0.0]) == pytest.approx(0.10, abs=1e-10)
    cf = [-1000.0, 300.0, 400.0, 500.0]
    rate = irr(cf)
    assert rate is not None
    assert npv(rate, cf) == pytest.approx(0.0, abs=1e-6)
    assert rate == pytest.approx(0.0889633947, abs=1e-8)


def test_irr_is_none_when_never_paid_back():
    assert irr([-1000.0, 100.0, 100.0]) is not None  # negative IRR exists
    assert irr([-1000.0, -10.0]) is None
    assert irr([100.0, 100.0]) is None


def test_simple_and_discounted_payback():
    assert payback_years([-1000, 300, 300, 300, 300]) == pytest.approx(10 / 3)
    assert payback_years([-1000, 100, 100]) is None
    # discounted at 10 %: 300/1.1 + 300/1.21 + 300/1.331 = 746.06; year 4 adds 204.90,
    # year 5 adds 186.28 -> turns in year 5
    dpb = payback_years([-1000, 300, 300, 300, 300, 300], rate=0.10)
    assert dpb is not None
    assert 4 < dpb < 5


def test_annuity_factor():
    assert annuity_factor(0.05, 20) == pytest.approx(0.0802425872, rel=1e-9)
    assert annuity_factor(0.0, 20) == pytest.approx(0.05)
    with pytest.raises(ParkplanError):
        annuity_factor(0.05, 0)


def test_lcoe_is_discounted_cost_over_discounted_energy():
    assert lcoe_eur_per_kwh(0.0, [1000, 10, 10], [0, 100, 100]) == pytest.approx(5.1)
    rate = 0.05
    expected = (1000 + 10 / 1.05 + 10 / 1.05**2) / (100 / 1.05 + 100 / 1.05**2)
    assert lcoe_eur_per_kwh(rate, [1000, 10, 10], [0, 100, 100]) == pytest.approx(expected)


def test_measure_cashflows_lines_and_residual_value():
    inputs = MeasureCashflowInputs(
        capex_eur=1000.0,
        opex_eur_per_year=10.0,
        savings_eur_per_year=200.0,
        lifetime_years=10,
        subsidy_eur=150.0,
        degradation_per_year=0.005,
        price_escalation=0.02,
        replacements=((3, 50.0),),
    )
    lines = measure_cashflows(inputs, horizon_years=5)
    assert lines["capex"][0] == -1000.0
    assert lines["subsidy"][0] == 150.0
    assert lines["savings"][0] == 0.0
    assert lines["savings"][3] == pytest.approx(200 * 1.02**2 * 0.995**2)
    assert lines["replacement"][3] == -50.0
    assert lines["residual"][5] == pytest.approx(500.0)
    total = sum(
        lines[k] for k in ("capex", "subsidy", "opex", "savings", "replacement", "residual")
    )
    np.testing.assert_allclose(lines["net"], total)


def test_no_savings_after_the_lifetime():
    inputs = MeasureCashflowInputs(
        capex_eur=100, opex_eur_per_year=1, savings_eur_per_year=30, lifetime_years=3
    )
    lines = measure_cashflows(inputs, horizon_years=5)
    assert list(lines["savings"]) == [0, 30, 30, 30, 0, 0]
    assert lines["residual"][-1] == 0.0
    ind = indicators(lines["net"], 0.05)
    # net: -100, 29, 29, 29, 0, 0 never pays back
    assert ind.payback_years is None
    assert ind.npv_eur == pytest.approx(-100 + 29 / 1.05 + 29 / 1.05**2 + 29 / 1.05**3)
    assert ind.irr is not None
    assert ind.irr < 0
