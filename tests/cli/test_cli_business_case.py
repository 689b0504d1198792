"""``parkplan business-case`` and ``parkplan share``: JSON keys, units, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from parkplan.cli import main

DATA = Path(__file__).parents[1] / "data" / "economics"
PARK = str(DATA / "park_stedin.yaml")
SCENARIO = str(DATA / "scenarios" / "pv_eia_hub.yaml")


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def test_business_case_json(runner, tmp_path):
    res = runner.invoke(
        main,
        ["business-case", PARK, "--scenario", SCENARIO, "--json", "--tornado", str(tmp_path)],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    by_id = {c["id"]: c for c in data["companies"]}
    for c in data["companies"]:
        for key in ("id", "bill_before_eur", "bill_after_eur", "capex_eur", "subsidy_eur",
                    "npv_eur", "irr", "payback_years"):  # fmt: skip
            assert key in c
    c01 = by_id["c01"]
    assert c01["capex_eur"] == pytest.approx(65_000)  # 100 kWp x 650 EUR/kWp
    assert c01["subsidy_eur"] == pytest.approx(0.40 * 65_000 * 0.258)  # EIA
    assert c01["bill_after_eur"] < c01["bill_before_eur"]
    assert 0 < c01["irr"] < 1 and c01["payback_years"] > 0
    # one measure: its own cash flow is the company's; the EIA goes with the PV
    (pv,) = c01["measure_cases"]
    assert pv["saving_share"] == 1.0 and pv["npv_eur"] == pytest.approx(c01["npv_eur"])
    assert pv["subsidy_eur"] == pytest.approx(c01["subsidy_eur"])
    assert pv["lcoe_eur_per_kwh"] > 0
    col = data["collective"]
    for key in ("capex_eur", "npv_eur", "annual_benefit_eur"):
        assert key in col
    assert col["annual_benefit_eur"] > 0
    assert data["unknown"] == []
    # the hub as a revenue model: members pay the hub, the hub pays the grid operator
    model = col["hubs"][0]["revenue_model"]
    assert model["kind"] == "energy_hub_gto" and model["investor"] == "hub"
    assert model["unknown"] == ["ems_cost_eur_per_year"]
    # a tornado per company with measures, as data and as a chart
    bars = {b["parameter"]: b for b in c01["sensitivity"]}
    assert set(bars) == {"price_factor", "capex_factor", "discount_rate", "yield_factor"}
    assert bars["price_factor"]["result_high"] > c01["npv_eur"] > bars["price_factor"]["result_low"]
    assert (tmp_path / "tornado-c01.png").exists()


def test_share_json_shapley_and_proportional(runner):
    res = runner.invoke(main, ["share", PARK, "--scenario", SCENARIO, "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    total = data["total_benefit_eur"]
    assert total > 0
    assert sum(c["benefit_eur"] for c in data["companies"]) == pytest.approx(total)
    assert sum(c["share"] for c in data["companies"]) == pytest.approx(1.0)
    assert all(c["ci95_eur"] == 0 for c in data["companies"])
    assert data["stable"] is True and "blocking_coalition" not in data
    res = runner.invoke(
        main, ["share", PARK, "--scenario", SCENARIO, "--method", "proportional-kw", "--json"]
    )
    assert res.exit_code == 0, res.output
    d2 = json.loads(res.output)
    shares = {c["id"]: c["share"] for c in d2["companies"]}
    assert shares["c01"] == pytest.approx(160 / (160 + 350))


def test_refusals_in_dutch(runner, tmp_path):
    res = runner.invoke(
        main, ["business-case", PARK, "--scenario", str(DATA / "scenarios" /
               "sde_kleinverbruik.yaml")],
    )  # fmt: skip
    assert res.exit_code == 1
    assert "grootverbruik" in res.output
    bad = tmp_path / "onbekend.yaml"
    bad.write_text(
        "format: parkplan-scenario/1\nname: x\nfinance: {discount_rate: 0.06, horizon_years: 15}\n"
        "measures:\n  - {type: rooftop_pv, company: c99, kwp: 10}\n"
        "  - {type: rooftop_pv, company: c01, roof: 7, kwp: 10}\n",
        encoding="utf-8",
    )
    res = runner.invoke(main, ["business-case", PARK, "--scenario", str(bad)])
    assert res.exit_code == 1
    assert "c99" in res.output and "7" in res.output
    res = runner.invoke(
        main, ["business-case", PARK, "--scenario", SCENARIO, "--discount-rate", "3", "--json"]
    )
    assert res.exit_code == 1
    # a GTO needs grootverbruik members: c03 is kleinverbruik
    hub = tmp_path / "hub.yaml"
    hub.write_text(
        "format: parkplan-scenario/1\nname: h\nmeasures:\n"
        "  - {type: energy_hub, members: [c01, c03]}\n",
        encoding="utf-8",
    )
    res = runner.invoke(main, ["share", PARK, "--scenario", str(hub)])
    assert res.exit_code == 1
    assert "c03" in res.output


def test_unknown_figures_are_named_not_guessed(runner):
    # the example park lies in the Rendo area: Rendo's 2026 category bounds and tariffs are
    # not in the reference data, so the bills are unknown and the output says which keys
    park = str(Path(__file__).parents[1] / "data" / "parkfile-v1.example.yaml")
    res = runner.invoke(main, ["business-case", park, "--scenario", SCENARIO, "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert "grid_category.rendo.ls.max_kw" in data["unknown"]
    assert "refdata_overrides" in data["how_to_fill_unknown"]
    for c in data["companies"]:
        assert c["npv_eur"] is None and c["bill_before_eur"] is None and c["unknown"]
    assert data["collective"]["npv_eur"] is None


def test_price_series_from_a_file(runner, tmp_path):
    from parkplan.services.business_case import read_price_series

    hourly = tmp_path / "prijzen.csv"
    # a hypothetical day-ahead-like series: 0,05 at night, 0,20 in the evening (EUR/kWh)
    rows = ["tijd;prijs"] + [f"{h};{'0,20' if 17 <= h % 24 < 21 else '0,05'}" for h in range(8760)]
    hourly.write_text("\n".join(rows), encoding="utf-8")
    arr = read_price_series(hourly, 35040)
    assert arr.shape == (35040,) and arr[0] == 0.05 and arr[17 * 4] == 0.20
    res = runner.invoke(
        main,
        ["business-case", PARK, "--scenario", SCENARIO, "--prices", str(hourly), "--json"],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["price_series"]["max_eur_per_kwh"] == pytest.approx(0.20)
    c01 = next(c for c in data["companies"] if c["id"] == "c01")
    supply = next(ln for ln in c01["bill_before"]["lines"] if ln["code"] == "supply")
    assert 0.05 <= supply["rate"] <= 0.20  # the offtake-weighted price of the series
    short = tmp_path / "kort.csv"
    short.write_text("0,1\n0,2\n", encoding="utf-8")
    res = runner.invoke(
        main, ["business-case", PARK, "--scenario", SCENARIO, "--prices", str(short)]
    )
    assert res.exit_code == 1 and "35040" in res.output
