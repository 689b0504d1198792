"""Sensitivity: tornado ordering, exact one-at-a-time values, bad ranges; the chart file."""

from __future__ import annotations

import pytest

from parkplan.economics.business_case import Finance, case_cashflow, pv_cost
from parkplan.economics.sensitivity import Range, SensitivityError, case_tornado, tornado
from parkplan.refdata import load_refdata
from parkplan.reports.tornado import tornado_chart


def test_tornado_of_a_linear_function_is_exact_and_sorted():
    def f(p):
        return 2 * p["a"] - 5 * p["b"]

    ranges = {"a": Range(0, 2, "A", "A"), "b": Range(0, 2, "B", "B")}
    bars = tornado(f, {"a": 1.0, "b": 1.0}, ranges)
    assert [b.parameter for b in bars] == ["b", "a"]  # swing 10 before swing 4
    assert bars[0].result_low == 2 and bars[0].result_high == -8
    assert bars[1].swing == pytest.approx(4.0)
    assert bars[0].base_result == -3
    with pytest.raises(SensitivityError):
        tornado(f, {"a": 1.0}, {"c": Range(0, 1, "C", "C")})
    with pytest.raises(SensitivityError):
        tornado(f, {"a": 1.0, "b": 1.0}, {"a": Range(2, 0, "A", "A")})


def test_case_tornado_moves_npv_in_the_right_direction(tmp_path):
    ref = load_refdata()
    m = pv_cost(100, year=2026, refdata=ref)
    fin = Finance(0.06, 15)
    bars = {
        b.parameter: b
        for b in case_tornado(
            [m], 11_000.0, fin, price_factor=(0.8, 1.2), capex_factor=(0.8, 1.2),
            discount_rate=(0.04, 0.08), yield_factor=(0.9, 1.1),
        )
    }  # fmt: skip
    base = case_cashflow("x", [m], 11_000.0, fin).npv_eur
    assert bars["price_factor"].base_result == pytest.approx(base)
    assert bars["price_factor"].result_high > base > bars["price_factor"].result_low
    assert bars["capex_factor"].result_high < base < bars["capex_factor"].result_low
    assert bars["discount_rate"].result_high < base < bars["discount_rate"].result_low
    # price x 1.2 on a linear saving equals a 20 % higher saving
    assert bars["price_factor"].result_high == pytest.approx(
        case_cashflow("x", [m], 13_200.0, fin).npv_eur
    )
    with pytest.raises(Exception, match="discount rate"):
        case_tornado(
            [m], 11_000.0, fin, price_factor=(0.8, 1.2), capex_factor=(0.8, 1.2),
            discount_rate=(0.04, 3.0), yield_factor=(0.9, 1.1),
        )  # fmt: skip
    out = tornado_chart(list(bars.values()), tmp_path / "tornado.png")
    assert out.exists() and out.stat().st_size > 1000
    svg = tornado_chart(list(bars.values()), tmp_path / "tornado.svg")
    assert "Energieprijs" in svg.read_text(encoding="utf-8")
