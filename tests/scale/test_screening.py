"""Screening indicators equal the single-park engine (parkplan simulate) and add up."""

from __future__ import annotations

import math

import numpy as np
import pytest

from parkplan.economics.tariffs import group_transport_eur, standalone_transport_eur
from parkplan.io.parkfile import read_park_file
from parkplan.refdata import load_refdata
from parkplan.scale.screening import (
    INDICATOR_COLUMNS,
    results_frame,
    screen_park,
    screening_context,
    transport_indicators,
)
from parkplan.scale.synthetic import generate_synthetic_national
from parkplan.scale.tables import park_from_rows
from parkplan.services.simulate import simulate


@pytest.fixture(scope="module")
def ctx():
    return screening_context(resolution_minutes=60)


@pytest.fixture(scope="module")
def synthetic_parks():
    parks, companies = generate_synthetic_national(8, seed=7)
    return [
        park_from_rows(r, companies[companies["park_id"] == r["park_id"]])
        for r in parks.to_dict("records")
    ]


def _assert_equal_to_engine(row, park):
    ref = simulate(park, resolution_minutes=60).park
    assert row["demand_kwh"] == ref.demand_kwh
    assert row["pv_existing_kwh"] == ref.pv_kwh
    assert row["import_kwh"] == ref.import_kwh
    assert row["export_kwh"] == ref.export_kwh
    assert row["coincident_peak_kw"] == ref.coincident_peak_kw
    assert row["sum_of_individual_peaks_kw"] == ref.sum_of_individual_peaks_kw
    assert row["co2_kg"] == ref.co2_kg
    assert row["exceeded_import_hours"] == ref.exceeded_import_hours


def test_equal_to_single_park_engine_synthetic(ctx, synthetic_parks):
    for park in synthetic_parks[:3]:
        row = screen_park(park, ctx)
        assert row["status"] == "ok"
        _assert_equal_to_engine(row, park)


def test_equal_to_single_park_engine_park_file(ctx):
    park, _ = read_park_file("tests/data/parkfile-v1.example.yaml")
    row = screen_park(park, ctx)
    _assert_equal_to_engine(row, park)


def test_indicators_add_up(ctx, synthetic_parks):
    rd = load_refdata()
    density = rd.value("solar.module_density_kwp_m2")
    for park in synthetic_parks:
        row = screen_park(park, ctx)
        assert row["hub_peak_reduction_kw"] == pytest.approx(
            row["sum_of_individual_peaks_kw"] - row["coincident_peak_kw"]
        )
        assert row["coincident_peak_kw"] <= row["sum_of_individual_peaks_kw"] + 1e-9
        expected_kwp = sum(
            max(r.existing_pv_kwp, r.area_m2 * r.usable_fraction * density)
            for c in park.companies
            for r in c.roofs
        )
        assert row["pv_potential_kwp"] == pytest.approx(expected_kwp)
        # potential at the grid-cell yields, existing at the exact location: within 2 %
        assert row["pv_potential_kwh"] >= 0.98 * row["pv_existing_kwh"]
        assert row["grid_import_headroom_kw"] == pytest.approx(
            park.grid.available_import_kw - row["coincident_peak_kw"]
        )
        assert row["co2_pv_potential_avoided_kg"] == pytest.approx(
            (row["pv_potential_kwh"] - row["pv_existing_kwh"])
            * rd.value("co2.electricity_kg_per_kwh")
        )
        if math.isnan(row["transport_saving_eur"]):
            assert row["transport_unknown"]
        else:
            assert row["transport_saving_eur"] == pytest.approx(
                row["transport_standalone_eur"] - row["transport_group_eur"]
            )
    df = results_frame([screen_park(p, ctx) for p in synthetic_parks[:2]])
    assert list(df.columns)[: len(INDICATOR_COLUMNS)] == list(INDICATOR_COLUMNS)


def _two_members(index):
    t = len(index)
    rng = np.random.default_rng(0)
    off = rng.uniform(0, 50, (2, t))
    return off, np.zeros((2, t))


def test_transport_known_tariffs_match_tariff_module(ctx):
    rd = ctx.refdata
    index = ctx.weather.index
    off, fin = _two_members(index)
    out = transport_indicators(
        off,
        fin,
        index,
        [250.0, 300.0],
        ["MS", "MS"],
        operator="stedin",
        tariff_year=2026,
        refdata=rd,
        step_kw=5.0,
        contract_margin=1.0,
    )
    standalone = sum(
        standalone_transport_eur(
            off[i],
            index,
            kw,
            operator="stedin",
            year=2026,
            refdata=rd,
            grid_level="MS",
            interval_h=1.0,
        )
        for i, kw in enumerate([250.0, 300.0])
    )
    group_kw = math.ceil(off.sum(axis=0).max() / 5.0) * 5.0
    group = group_transport_eur(
        off,
        index,
        [250.0, 300.0],
        group_kw,
        operator="stedin",
        year=2026,
        refdata=rd,
        member_feed_in_kwh=fin,
        member_grid_levels=["MS", "MS"],
        interval_h=1.0,
    )
    assert out["transport_unknown"] == ""
    assert out["transport_standalone_eur"] == pytest.approx(standalone)
    assert out["transport_group_eur"] == pytest.approx(group.total_eur)
    assert out["gto_group_contracted_kw"] == group_kw


def test_transport_unknown_tariffs_are_named_not_guessed(ctx):
    index = ctx.weather.index
    off, fin = _two_members(index)
    out = transport_indicators(
        off,
        fin,
        index,
        [250.0, 300.0],
        ["MS", "MS"],
        operator="enexis",
        tariff_year=2026,
        refdata=ctx.refdata,
        step_kw=5.0,
        contract_margin=1.0,
    )
    assert math.isnan(out["transport_saving_eur"])
    assert "grid_tariff.enexis" in out["transport_unknown"]


def test_transport_override_for_one_run():
    keys = {
        f"grid_tariff.enexis.ms.{c}": v
        for c, v in (("kw_contract_eur_per_kw_month", 2.0), ("kw_max_eur_per_kw_month", 3.0))
    }
    ctx = screening_context(resolution_minutes=60, overrides=keys)
    index = ctx.weather.index
    off, fin = _two_members(index)
    out = transport_indicators(
        off,
        fin,
        index,
        [250.0, 300.0],
        ["MS", "MS"],
        operator="enexis",
        tariff_year=2026,
        refdata=ctx.refdata,
        step_kw=5.0,
        contract_margin=1.0,
    )
    assert out["transport_unknown"] == ""
    assert out["transport_saving_eur"] > 0


def test_specific_yields_per_cell_do_not_depend_on_order(ctx):
    from parkplan.scale.screening import specific_yields

    params = {**ctx.parameters, **ctx.co2_factors}
    o = [(12.0, 180.0), (30.0, 90.0)]
    a = specific_yields(ctx, 52.01, 5.02, o, params)
    fresh = screening_context(resolution_minutes=60)
    specific_yields(fresh, 52.2, 5.2, [(30.0, 90.0)], params)  # same cell, other order
    b = specific_yields(fresh, 52.01, 5.02, o, params)
    assert a == b
    step = ctx.refdata.value("screening.pv_potential_grid_deg")
    centre = ((52.01 // step) + 0.5) * step, ((5.02 // step) + 0.5) * step
    direct = ctx.pv_builder(ctx.weather, centre[0], centre[1], o, params).sum(axis=1)
    assert a[o[0]] == pytest.approx(direct[0], rel=1e-12)
    assert 700 < a[o[0]] < 1100  # kWh/kWp in the Netherlands
