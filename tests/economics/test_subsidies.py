"""Subsidies: hand-computed amounts and refusals where a scheme is not allowed."""

from __future__ import annotations

import pytest

from parkplan.economics.subsidies import (
    SubsidyError,
    apply_subsidies,
    eia,
    isde_heat_pump,
    mia,
    sde_pv,
    vamil,
)
from parkplan.refdata import load_refdata
from parkplan.refdata.loader import UnknownValueError


@pytest.fixture(scope="module")
def ref():
    return load_refdata()


def test_eia_amount_is_deduction_times_tax_rate(ref):
    r = eia(65_000, year=2026, refdata=ref, on_energielijst=True)
    assert r.amount_eur == pytest.approx(0.40 * 65_000 * 0.258)
    assert "subsidy.eia.deduction_fraction" in r.refs
    # an explicit tax rate (e.g. income tax of a sole trader) wins
    assert eia(10_000, year=2026, refdata=ref, on_energielijst=True, tax_rate=0.37).amount_eur == (
        pytest.approx(0.40 * 10_000 * 0.37)
    )


def test_eia_refusals(ref):
    with pytest.raises(SubsidyError) as exc:
        eia(65_000, year=2026, refdata=ref, on_energielijst=None)
    assert "Energielijst" in exc.value.nl and "Energielijst" in exc.value.en
    with pytest.raises(SubsidyError):
        eia(2_000, year=2026, refdata=ref, on_energielijst=True)  # below EUR 2,500
    with pytest.raises(SubsidyError):
        eia(65_000, year=2026, refdata=ref, on_energielijst=True, other_schemes=["mia"])
    with pytest.raises(SubsidyError):
        eia(65_000, year=2026, refdata=ref, on_energielijst=True, tax_rate=1.5)


def test_sde_only_from_15_kwp_on_grootverbruik_and_never_guessed(ref):
    r = sde_pv(
        100, 90_000, connection_kind="grootverbruik", year=2026, refdata=ref, eur_per_kwh=0.05
    )
    assert r.amount_eur_per_year == pytest.approx(4_500.0)
    assert r.years == 15
    with pytest.raises(SubsidyError):
        sde_pv(10, 9_000, connection_kind="grootverbruik", year=2026, refdata=ref, eur_per_kwh=0.05)
    with pytest.raises(SubsidyError) as exc:
        sde_pv(
            20, 18_000, connection_kind="kleinverbruik", year=2026, refdata=ref, eur_per_kwh=0.05
        )
    assert "grootverbruik" in exc.value.en
    with pytest.raises(SubsidyError):
        sde_pv(
            100, 90_000, connection_kind="grootverbruik", year=2026, refdata=ref, eur_per_kwh=None
        )
    with pytest.raises(SubsidyError):  # not with EIA on the same asset
        apply_subsidies(
            "pv", ["eia", "sde"], investment_eur=65_000, year=2026, refdata=ref, kwp=100,
            annual_kwh=90_000, on_energielijst=True, sde_eur_per_kwh=0.05,
        )  # fmt: skip


def test_mia_vamil_and_isde(ref):
    m = mia(10_000, category="high", year=2025, refdata=ref, on_milieulijst=True, tax_rate=0.25)
    assert m.amount_eur == pytest.approx(10_000 * 0.45 * 0.25)
    v = vamil(
        10_000, year=2025, refdata=ref, on_milieulijst=True, lifetime_years=10,
        discount_rate=0.0, tax_rate=0.25,
    )  # fmt: skip
    assert v.amount_eur == pytest.approx(0.0)  # no timing benefit without discounting
    v6 = vamil(
        10_000, year=2025, refdata=ref, on_milieulijst=True, lifetime_years=10,
        discount_rate=0.06, tax_rate=0.25,
    )  # fmt: skip
    a = sum(0.1 / 1.06**y for y in range(1, 11))
    assert v6.amount_eur == pytest.approx(0.25 * 10_000 * (0.75 + 0.25 * a - a))
    with pytest.raises(SubsidyError):
        mia(10_000, category="low", year=2025, refdata=ref, on_milieulijst=False)
    with pytest.raises(UnknownValueError):  # ISDE amounts 2026 are not in the reference data
        isde_heat_pump(1, year=2026, refdata=ref)
    over = ref.with_overrides({"subsidy.isde.heat_pump_eur_per_device": 2_500})  # hypothetical
    assert isde_heat_pump(2, year=2026, refdata=over).amount_eur == 5_000
    with pytest.raises(SubsidyError):
        apply_subsidies("charger", ["eia"], investment_eur=5_000, year=2026, refdata=ref)
    with pytest.raises(SubsidyError):
        apply_subsidies("pv", ["xyz"], investment_eur=5_000, year=2026, refdata=ref)
