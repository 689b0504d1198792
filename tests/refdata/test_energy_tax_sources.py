"""Energy-tax rows added from sources (2024); the 2026 brackets not found stay unknown."""

from __future__ import annotations

import pytest

from parkplan.economics.tariffs import energy_tax_brackets, energy_tax_eur
from parkplan.refdata import load_refdata

RATES_2024 = {
    "energy_tax.electricity.b1.eur_per_kwh": 0.10880,
    "energy_tax.electricity.b2.eur_per_kwh": 0.09037,
    "energy_tax.electricity.b3.eur_per_kwh": 0.03943,
    "energy_tax.electricity.b4.eur_per_kwh": 0.00188,
    "energy_tax.gas.b1.eur_per_m3": 0.58301,
    "energy_tax.gas.b2.eur_per_m3": 0.22378,
    "energy_tax.gas.b3.eur_per_m3": 0.12855,
    "energy_tax.gas.b4.eur_per_m3": 0.04886,
    "energy_tax.reduction_eur_per_connection": 521.81,
}


@pytest.mark.parametrize(("key", "value"), sorted(RATES_2024.items()))
def test_2024_rates_come_with_a_source(key, value):
    rv = load_refdata().get(key, 2024)
    assert rv.value == pytest.approx(value, rel=1e-12)
    assert "https://" in rv.source and rv.indicative is False


def test_2024_electricity_tax_of_a_business_over_all_brackets():
    # 12 GWh: 10,000 x 0.10880 + 40,000 x 0.09037 + 9,950,000 x 0.03943 + 2,000,000 x 0.00188
    brackets = energy_tax_brackets("electricity", 2024, load_refdata())
    expected = 10_000 * 0.10880 + 40_000 * 0.09037 + 9_950_000 * 0.03943 + 2_000_000 * 0.00188
    assert energy_tax_eur(12_000_000, brackets) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    "key",
    [
        "energy_tax.electricity.b2.eur_per_kwh",
        "energy_tax.electricity.b3.eur_per_kwh",
        "energy_tax.electricity.b4.eur_per_kwh",
        "energy_tax.gas.b2.eur_per_m3",
        "energy_tax.gas.b3.eur_per_m3",
        "energy_tax.gas.b4.eur_per_m3",
    ],
)
def test_2026_brackets_not_found_stay_unknown_with_the_search_noted(key):
    rv = load_refdata().lookup(key, 2026)
    assert rv.status == "unknown"
    assert "Searched 2026-11" in rv.note and "refdata_overrides" in rv.note
