"""Tariffs and bills against hand-computed reference cases in tests/data/economics/."""

from __future__ import annotations

from itertools import combinations, pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from parkplan.domain.errors import ValidationError
from parkplan.domain.model import Connection
from parkplan.economics.tariffs import (
    TariffError,
    annual_bill,
    annual_gas_bill,
    bill_for_connection,
    bills_before_after,
    energy_tax_brackets,
    energy_tax_eur,
    group_category,
    group_transport_eur,
    monthly_max_kw,
    standalone_transport_eur,
    tariff_category,
)
from parkplan.refdata import UnknownValueError, load_refdata

DATA = Path(__file__).resolve().parents[1] / "data" / "economics"
TZ = "Europe/Amsterdam"


def load(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def year_index(year: int) -> pd.DatetimeIndex:
    return pd.date_range(
        f"{year}-01-01", f"{year + 1}-01-01", freq="15min", tz=TZ, inclusive="left"
    )


def bracket_series(spec: dict, index: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    off = np.full(len(index), spec["base_offtake_kwh"])
    codes = index.year * 12 + index.month
    first = np.r_[True, codes[1:] != codes[:-1]]
    off[first] = spec["monthly_peak_offtake_kwh"]
    fin = np.zeros(len(index))
    fin[: spec["feed_in_intervals"]] = spec["feed_in_kwh_per_interval"]
    return off, fin


def check_expected(bill, expected: dict) -> None:
    for code, amount in expected.items():
        if code in ("unknown", "known_total", "energy_tax_total", "net_metering"):
            continue
        assert bill.line(code).amount_eur == pytest.approx(amount, abs=1e-6), code
    assert sorted(bill.unknown) == sorted(expected["unknown"])
    assert bill.complete == (not expected["unknown"])
    assert bill.total_eur == pytest.approx(expected["known_total"], abs=1e-6)
    if "energy_tax_total" in expected:
        assert bill.subtotal_eur("energy_tax.") == pytest.approx(
            expected["energy_tax_total"], abs=1e-6
        )
    if "net_metering" in expected:
        assert bill.net_metering is expected["net_metering"]


@pytest.mark.parametrize("case", load("bill_brackets.yaml")["cases"], ids=lambda c: str(c["year"]))
def test_bill_crossing_tax_brackets(case):
    spec = load("bill_brackets.yaml")
    index = year_index(case["year"])
    off, fin = bracket_series(spec["series"], index)
    assert off.sum() == spec["series"]["annual_offtake_kwh"]
    assert fin.sum() == spec["series"]["annual_feed_in_kwh"]
    ref = load_refdata(case["overrides"])
    conn = spec["connection"]
    bill = annual_bill(
        off,
        fin,
        index,
        kind=conn["kind"],
        operator=conn["operator"],
        contracted_kw=conn["contracted_kw"],
        year=case["year"],
        refdata=ref,
    )
    assert bill.category == conn["category"]
    check_expected(bill, case["expected"])
    used = {r.key for r in ref.used()}
    assert "energy_tax.electricity.b2.eur_per_kwh" in used
    assert "grid_tariff.stedin.ms_ls.kw_max_eur_per_kw_month" in used
    if not bill.complete:
        with pytest.raises(UnknownValueError) as exc:
            bill.require_complete()
        assert "transport.kwh" in exc.value.en
    else:
        assert bill.require_complete() == pytest.approx(case["expected"]["known_total"])
        overridden = {r.key for r in ref.used() if r.overridden}
        assert set(case["overrides"]) <= overridden


@pytest.mark.parametrize(
    "case",
    load("bill_kleinverbruik.yaml")["cases"],
    ids=lambda c: f"{c['year']}-{len(c['overrides'])}",
)
def test_kleinverbruik_net_metering_until_2027(case):
    spec = load("bill_kleinverbruik.yaml")
    index = year_index(case["year"])
    s = spec["series"]
    off = np.full(len(index), s["offtake_kwh_per_interval"])
    fin = np.zeros(len(index))
    fin[: s["feed_in_intervals"]] = s["feed_in_kwh_per_interval"]
    bill = annual_bill(
        off,
        fin,
        index,
        kind="kleinverbruik",
        operator="stedin",
        year=case["year"],
        refdata=load_refdata(case["overrides"]),
    )
    check_expected(bill, case["expected"])


def test_gto_three_companies_seven_coalition_values():
    spec = load("gto_three_companies.yaml")
    index = pd.DatetimeIndex(pd.to_datetime(spec["intervals"])).tz_convert(TZ)
    names = list(spec["companies"])
    kwh = np.array([spec["companies"][c]["kw"] for c in names], dtype=float) * spec["interval_h"]
    ckw = np.array([spec["companies"][c]["contracted_kw"] for c in names], dtype=float)
    ref = load_refdata()
    kw = {"operator": spec["operator"], "year": spec["year"], "refdata": ref, "interval_h": 0.25}
    alone = {c: standalone_transport_eur(kwh[i], index, ckw[i], **kw) for i, c in enumerate(names)}
    for c, eur in spec["standalone_eur"].items():
        assert alone[c] == pytest.approx(eur, abs=1e-9)
    by_members = {tuple(c["members"]): c for c in spec["coalitions"]}
    assert len(by_members) == 7
    for r in (1, 2, 3):
        for members in combinations(names, r):
            exp = by_members[members]
            idx = [names.index(m) for m in members]
            g = group_transport_eur(kwh[idx], index, ckw[idx], exp["group_kw"], **kw)
            assert g.category == exp["category"]
            assert g.total_eur == pytest.approx(exp["group_cost_eur"], abs=1e-9)
            if "surcharge_eur" in exp:
                assert g.msls_surcharge_eur == pytest.approx(exp["surcharge_eur"], abs=1e-9)
            value = sum(alone[m] for m in members) - g.total_eur
            assert value == pytest.approx(exp["value_eur"], abs=1e-9), members
            # the group contracts exactly its simultaneous peak
            assert g.group_peaks_kw.max() == pytest.approx(exp["group_kw"])


@pytest.mark.parametrize("case", load("categories.yaml")["cases"], ids=str)
def test_category_boundaries_per_operator(case):
    ref = load_refdata()
    cat = tariff_category(
        case["contracted_kw"], case["operator"], 2026, ref, grid_level=case.get("grid_level")
    )
    assert cat == case["category"]


def test_category_errors_and_unknown_operator():
    ref = load_refdata()
    with pytest.raises(TariffError) as exc:
        tariff_category(2000, "stedin", 2026, ref)
    assert "grid level" in exc.value.en and "netvlak" in exc.value.nl
    with pytest.raises(TariffError):
        tariff_category(-1, "stedin", 2026, ref)
    with pytest.raises(UnknownValueError):
        tariff_category(100, "rendo", 2026, ref)
    # grid level, individual category and group category are kept apart
    assert group_category(["MS/LS", "LS", "MS"]) == "MS"
    assert group_category(["LS", "MS/LS"]) == "MS/LS"


def test_energy_tax_cumulative_brackets_and_unknown():
    brackets = [(10_000, 0.1), (50_000, 0.05), (float("inf"), None)]
    assert energy_tax_eur(0, brackets) == 0
    assert energy_tax_eur(10_000, brackets) == pytest.approx(1000.0)
    assert energy_tax_eur(30_000, brackets) == pytest.approx(1000.0 + 20_000 * 0.05)
    assert energy_tax_eur(50_000, brackets) == pytest.approx(3000.0)
    with pytest.raises(UnknownValueError):
        energy_tax_eur(50_001, brackets)
    ref = load_refdata()
    gas = energy_tax_brackets("gas", 2025, ref)
    assert energy_tax_eur(200_000, gas) == pytest.approx(170_000 * 0.5782 + 30_000 * 0.3157)


def test_tax_is_monotone_and_never_negative():
    ref = load_refdata()
    b = energy_tax_brackets("electricity", 2025, ref)
    amounts = np.linspace(0, 9_000_000, 50)
    taxes = [energy_tax_eur(a, b) for a in amounts]
    assert all(t >= 0 for t in taxes)
    assert all(t2 >= t1 for t1, t2 in pairwise(taxes))


def test_time_varying_prices_value_arbitrage():
    index = year_index(2026)
    n = len(index)
    rng = np.random.default_rng(1)
    price = rng.uniform(0.0, 0.3, n)
    flat_off = np.full(n, 1.0)
    shifted = np.where(price < np.median(price), 1.5, 0.5)  # same energy moved to cheap hours
    assert shifted.sum() == pytest.approx(flat_off.sum(), rel=1e-3)
    ref = load_refdata({"grid_tariff.stedin.kv.fixed_eur_per_year": 300})
    before, after = bills_before_after(
        (flat_off, np.zeros(n)),
        (shifted * flat_off.sum() / shifted.sum(), np.zeros(n)),
        index,
        kind="kleinverbruik",
        operator="stedin",
        year=2026,
        refdata=ref,
        prices=price,
    )
    assert before.line("supply").amount_eur == pytest.approx(float(np.sum(price)))
    assert after.line("supply").amount_eur < before.line("supply").amount_eur
    with pytest.raises(TariffError):
        annual_bill(
            flat_off, np.zeros(n), index, kind="kleinverbruik", operator="stedin",
            year=2026, refdata=ref, prices=price[:-1],
        )  # fmt: skip


def test_fallback_operator_is_explicit():
    index = year_index(2026)
    off = np.full(len(index), 5.0)
    ref = load_refdata()
    plain = annual_bill(
        off, 0 * off, index, kind="grootverbruik", operator="enexis", contracted_kw=100,
        year=2026, refdata=ref,
    )  # fmt: skip
    assert "transport.kw_contract" in plain.unknown
    fb = annual_bill(
        off, 0 * off, index, kind="grootverbruik", operator="enexis", contracted_kw=100,
        year=2026, refdata=ref, fallback_operator="stedin",
    )  # fmt: skip
    line = fb.line("transport.kw_contract")
    assert line.amount_eur == pytest.approx(3.9308 * 100 * 12)
    assert "fallback" in line.note and "enexis" in line.note


def test_bad_inputs_are_refused():
    index = year_index(2026)
    n = len(index)
    ref = load_refdata()
    with pytest.raises(TariffError):
        annual_bill(-np.ones(n), np.zeros(n), index, kind="grootverbruik", operator="stedin",
                    contracted_kw=100, year=2026, refdata=ref)  # fmt: skip
    with pytest.raises(TariffError):
        annual_bill(np.ones(n), np.zeros(n), index, kind="middelgroot", operator="stedin",
                    year=2026, refdata=ref)  # fmt: skip
    with pytest.raises(TariffError):
        annual_bill(np.ones(n), np.zeros(n), index, kind="grootverbruik", operator="stedin",
                    year=2026, refdata=ref)  # fmt: skip
    with pytest.raises(TariffError):
        annual_bill(np.ones(n), np.zeros(n), index, kind="kleinverbruik", operator="stedin",
                    year=2026, refdata=ref, prices=50.0)  # fmt: skip


def test_monthly_max_is_a_15_minute_average():
    index = year_index(2026)
    e = np.zeros(len(index))
    e[100] = 10.0  # 10 kWh in 15 minutes = 40 kW, in January
    peaks = monthly_max_kw(e, index)
    assert peaks.shape == (12,)
    assert peaks[0] == pytest.approx(40.0)
    assert peaks[1:].sum() == 0


def test_gas_bill_by_bracket_and_unknown_2026_brackets():
    ref = load_refdata()
    bill = annual_gas_bill(200_000, year=2025, refdata=ref)
    assert bill.line("supply").amount_eur == pytest.approx(200_000 * 0.52)
    assert bill.line("energy_tax.b1").amount_eur == pytest.approx(170_000 * 0.5782)
    assert bill.line("energy_tax.b2").amount_eur == pytest.approx(30_000 * 0.3157)
    assert bill.complete
    later = annual_gas_bill(200_000, year=2026, refdata=ref)
    assert later.unknown == ["energy_tax.b2"]
    assert later.line("energy_tax.b1").amount_eur == pytest.approx(170_000 * 0.60066)
    with pytest.raises(TariffError):
        annual_gas_bill(-1, year=2025, refdata=ref)


def test_bill_for_connection_uses_the_connection():
    index = year_index(2026)
    off = np.full(len(index), 5.0)
    conn = Connection(ean="871234567890001018", kind="grootverbruik", contracted_kw=160)
    bill = bill_for_connection(off, 0 * off, index, conn, operator="stedin", year=2026,
                               refdata=load_refdata())  # fmt: skip
    assert bill.category == "MS"
    assert bill.line("transport.kw_contract").amount_eur == pytest.approx(2.0228 * 160 * 12)
    assert bill.line("transport.fixed").amount_eur == pytest.approx(36.75 * 12)


def test_monthly_max_sorted_and_unsorted_index_agree():
    index = year_index(2026)
    e = np.random.default_rng(3).random((3, len(index)))
    order = np.random.default_rng(4).permutation(len(index))
    sorted_peaks = monthly_max_kw(e, index)
    shuffled = monthly_max_kw(e[:, order], index[order], interval_h=0.25)
    assert np.allclose(sorted_peaks, shuffled)


def test_price_bounds_come_from_refdata():
    ref = load_refdata()
    assert ref.bounds("supply.electricity.eur_per_kwh") == (-10.0, 10.0)
    assert ref.bounds("supply.gas.eur_per_m3") == (0.0, 10.0)
    assert ref.bounds("energy_tax.electricity.b1.eur_per_kwh") == (0.0, 1.0)
    with pytest.raises(TariffError):
        annual_gas_bill(1000, year=2025, refdata=ref, price_eur_per_m3=-0.1)
    with pytest.raises(ValidationError):
        load_refdata({"grid_tariff.stedin.ms.kw_max_eur_per_kw_month": -3})
