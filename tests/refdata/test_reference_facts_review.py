"""Every figure of shared/docs/reference-facts.md that refdata carries, checked one by one."""

from __future__ import annotations

import pytest

from parkplan.refdata import load_refdata
from parkplan.refdata.loader import UnknownValueError

FACTS = [
    # key, year, value
    ("energy_tax.electricity.b1.eur_per_kwh", 2025, 0.10154),
    ("energy_tax.electricity.b1.eur_per_kwh", 2026, 0.09160),
    ("energy_tax.electricity.b2.eur_per_kwh", 2025, 0.06937),
    ("energy_tax.electricity.b3.eur_per_kwh", 2025, 0.03868),
    ("energy_tax.electricity.b1.upper_kwh", None, 10_000),
    ("energy_tax.electricity.b2.upper_kwh", None, 50_000),
    ("energy_tax.electricity.b3.upper_kwh", None, 10_000_000),
    ("energy_tax.gas.b1.eur_per_m3", 2025, 0.5782),
    ("energy_tax.gas.b2.eur_per_m3", 2025, 0.3157),
    ("energy_tax.gas.b3.eur_per_m3", 2025, 0.2035),
    ("energy_tax.gas.b4.eur_per_m3", 2025, 0.0539),
    ("energy_tax.gas.b1.upper_m3", None, 170_000),
    ("energy_tax.gas.b2.upper_m3", None, 1_000_000),
    ("energy_tax.gas.b3.upper_m3", None, 10_000_000),
    ("energy_tax.reduction_eur_per_connection", 2025, 524.95),
    ("energy_tax.reduction_eur_per_connection", 2026, 519.80),
    ("net_metering.last_year", None, 2026),
    ("grid_tariff.stedin.ls.kw_contract_eur_per_kw_month", 2026, 1.5483),
    ("grid_tariff.stedin.ms_ls.kw_contract_eur_per_kw_month", 2026, 3.9308),
    ("grid_tariff.stedin.ms_ls.kw_max_eur_per_kw_month", 2026, 3.0966),
    ("grid_tariff.stedin.ms.kw_contract_eur_per_kw_month", 2026, 2.0228),
    ("grid_tariff.stedin.ms.kw_max_eur_per_kw_month", 2026, 3.0966),
    ("grid_tariff.stedin.ls.fixed_eur_per_month", 2026, 1.50),
    ("grid_tariff.stedin.ms.fixed_eur_per_month", 2026, 36.75),
    ("grid_category.stedin.ls.max_kw", 2026, 50),
    ("grid_category.stedin.ms_ls.max_kw", 2026, 150),
    ("grid_category.stedin.ms.max_kw", 2026, 1500),
    ("grid_category.enexis.ms_ls.max_kw", 2026, 125),
    ("grid_category.enexis.ms.max_kw", 2026, 1500),
    ("grid.kleinverbruik_max_a", None, 80),
    ("gto.correction_factor", 2026, 1.0),
    ("gto.msls_surcharge", 2026, 1.0),
    ("gto.mandatory_offer_year", None, 2027),
    ("co2.electricity_kg_per_kwh", 2025, 0.268),
    ("co2.electricity_grey_kg_per_kwh", 2024, 0.536),
    ("co2.electricity_nl_mix_kg_per_kwh", 2021, 0.374),
    ("co2.natural_gas_kg_per_m3", 2024, 2.085),
    ("co2.diesel_kg_per_l", 2024, 3.256),
    ("co2.petrol_kg_per_l", 2024, 2.821),
    ("gas.upper_calorific_value_kwh_per_m3", None, 9.769),
    ("gas.lower_calorific_value_kwh_per_m3", None, 8.79),
    ("gas.lower_calorific_value_mj_per_m3", None, 31.65),
    ("subsidy.sde.pv_min_kwp", None, 15),
    ("subsidy.eia.deduction_fraction", 2025, 0.40),
    ("subsidy.eia.min_investment_eur", 2025, 2500),
    ("subsidy.vamil.free_depreciation_fraction", 2025, 0.75),
    ("obligation.energy_saving.min_electricity_kwh", 2025, 50_000),
    ("obligation.energy_saving.min_gas_m3_equivalent", 2025, 25_000),
    ("obligation.energy_saving.max_payback_years", 2025, 5),
    ("obligation.research.min_electricity_kwh", 2025, 10_000_000),
    ("obligation.research.min_gas_m3_equivalent", 2025, 170_000),
    ("obligation.office_label_c.max_primary_fossil_kwh_per_m2", None, 225),
]


@pytest.mark.parametrize(("key", "year", "value"), FACTS)
def test_refdata_matches_reference_facts(key, year, value):
    assert load_refdata().value(key, year) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize(
    "key",
    [
        "energy_tax.electricity.b2.eur_per_kwh",
        "energy_tax.electricity.b3.eur_per_kwh",
        "energy_tax.gas.b2.eur_per_m3",
        "grid_tariff.stedin.ms_ls.fixed_eur_per_month",
    ],
)
def test_unpublished_2026_figures_are_unknown_not_guessed(key):
    with pytest.raises(UnknownValueError):
        load_refdata().value(key, 2026)


def test_year_specific_figures_are_not_carried_into_2027():
    rd = load_refdata()
    for key in (
        "energy_tax.electricity.b1.eur_per_kwh",
        "energy_tax.reduction_eur_per_connection",
        "grid_tariff.stedin.ms.kw_contract_eur_per_kw_month",
    ):
        assert not rd.lookup(key, 2027).known
