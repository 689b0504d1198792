"""Reviewer's reference cases for the tariffs (hand-computed values)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parkplan.economics import tariffs as t
from parkplan.refdata import load_refdata


def _year(year: int, tz: str = "Europe/Amsterdam") -> pd.DatetimeIndex:
    return pd.date_range(
        f"{year}-01-01", f"{year + 1}-01-01", freq="15min", tz=tz, inclusive="left"
    )


def test_kwmax_months_are_local_even_for_a_utc_index():
    idx = _year(2026)
    off = np.zeros(len(idx))
    # 1 February 00:15 local = 31 January 23:15 UTC: billed in February
    off[idx.get_loc(pd.Timestamp("2026-02-01 00:15", tz="Europe/Amsterdam"))] = 25.0
    local = t.monthly_max_kw(off, idx)
    utc = t.monthly_max_kw(off, idx.tz_convert("UTC"))
    assert local.shape == (12,)
    np.testing.assert_allclose(utc, local)
    assert local[1] == pytest.approx(100.0) and local[0] == 0.0
    assert len(np.unique(t.month_codes(idx.tz_convert("UTC")))) == 12


def test_utc_index_bills_twelve_months_of_contract():
    rd = load_refdata()
    idx = _year(2026).tz_convert("UTC")
    off = np.full(len(idx), 10.0)  # 40 kW flat
    bill = t.annual_bill(
        off, np.zeros(len(idx)), idx, kind="grootverbruik", operator="stedin", year=2026,
        refdata=rd, contracted_kw=100.0, tax_reduction=False,
    )  # fmt: skip
    # MS/LS: 12 x 100 kW x 3.9308 and 12 x 40 kW x 3.0966
    assert bill.line("transport.kw_contract").amount_eur == pytest.approx(12 * 100 * 3.9308)
    assert bill.line("transport.kw_max").amount_eur == pytest.approx(12 * 40 * 3.0966)


def test_gto_msls_surcharge_by_hand():
    """Two members, Stedin 2026: A (100 kW contract -> MS/LS), B (400 kW -> MS); group MS."""
    rd = load_refdata()
    idx = pd.date_range("2026-03-01", "2026-05-01", freq="15min", tz="Europe/Amsterdam",
                        inclusive="left")  # fmt: skip
    n = len(idx)
    a = np.full(n, 5.0)  # 20 kW
    b = np.full(n, 25.0)  # 100 kW
    a[10] = 15.0  # 60 kW in March (B is 100 kW then: group 160 kW)
    b[idx.get_loc(pd.Timestamp("2026-04-10 12:00", tz="Europe/Amsterdam"))] = 50.0  # 200 kW
    g = t.group_transport_eur(
        np.vstack([a, b]), idx, [100.0, 400.0], 450.0, operator="stedin", year=2026, refdata=rd
    )
    assert g.category == "MS" and g.member_categories == ["MS/LS", "MS"]
    np.testing.assert_allclose(g.group_peaks_kw, [160.0, 220.0])
    assert g.kw_contract_eur == pytest.approx(2 * 450.0 * 2.0228)
    assert g.kw_max_eur == pytest.approx((160.0 + 220.0) * 3.0966)
    # surcharge: per month (3.9308 - 2.0228) x A's own kWmax (60 in March, 20 in April)
    assert g.msls_surcharge_eur == pytest.approx((3.9308 - 2.0228) * (60.0 + 20.0))


def test_net_metering_only_kleinverbruik_until_2026():
    rd = load_refdata().with_overrides({"grid_tariff.stedin.kv.fixed_eur_per_year": 300.0})
    idx = _year(2026)
    n = len(idx)
    off = np.full(n, 6000.0 / n)
    fin = np.full(n, 4000.0 / n)
    kw = {
        "index": idx,
        "kind": "kleinverbruik",
        "operator": "stedin",
        "refdata": rd,
        "tax_reduction": False,
    }
    b26 = t.annual_bill(off, fin, year=2026, **kw)
    assert b26.net_metering
    # taxable 2,000 kWh in bracket 1 at 0.09160; netted 4,000 kWh credited at 0.11
    assert b26.line("energy_tax.b1").amount_eur == pytest.approx(2000 * 0.09160)
    assert b26.line("feed_in.netted").amount_eur == pytest.approx(-4000 * 0.11)
    b27 = t.annual_bill(
        off, fin, year=2027, **{**kw, "index": _year(2027)}
    )  # 2027: no netting; tax rate 2027 unknown
    assert not b27.net_metering
    assert b27.line("energy_tax.b1").amount_eur is None
    assert b27.line("energy_tax.b1").quantity == pytest.approx(6000.0)
    assert b27.line("feed_in").quantity == pytest.approx(4000.0)


def test_fallback_operator_also_gives_the_category_bounds():
    """Rendo (parts of Hoogeveen) publishes no bounds in refdata: the fallback supplies them."""
    rd = load_refdata()
    idx = _year(2026)
    off = np.full(len(idx), 10.0)
    with pytest.raises(t.UnknownValueError):
        t.tariff_category(100.0, "rendo", 2026, rd)
    assert t.tariff_category(100.0, "rendo", 2026, rd, fallback_operator="stedin") == "MS/LS"
    bill = t.annual_bill(
        off, 0 * off, idx, kind="grootverbruik", operator="rendo", year=2026, refdata=rd,
        contracted_kw=100.0, fallback_operator="stedin", tax_reduction=False,
    )  # fmt: skip
    assert bill.category == "MS/LS" and bill.category_fallback_from == "rendo"
    assert bill.line("transport.kw_contract").amount_eur == pytest.approx(12 * 100 * 3.9308)
    own = t.annual_bill(
        off, 0 * off, idx, kind="grootverbruik", operator="stedin", year=2026, refdata=rd,
        contracted_kw=100.0, fallback_operator="enexis", tax_reduction=False,
    )  # fmt: skip
    assert own.category_fallback_from is None


def test_interval_length_does_not_depend_on_the_index_unit():
    """weather.year_index builds second-resolution indexes; without freq the step is 900 s."""
    utc_naive = _year(2026).as_unit("s").tz_convert("UTC").tz_localize(None).to_numpy()
    idx = pd.DatetimeIndex(utc_naive).tz_localize("UTC").tz_convert("Europe/Amsterdam")
    assert idx.freq is None and idx.unit == "s"
    assert t.interval_hours(idx) == pytest.approx(0.25)
    off = np.full(len(idx), 2.5)
    np.testing.assert_allclose(t.monthly_max_kw(off, idx), np.full(12, 10.0))
    with pytest.raises(t.TariffError):
        t.interval_hours(pd.DatetimeIndex(["2026-01-01"] * 3, tz="UTC"))
