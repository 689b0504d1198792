"""The baseline agrees with the energy engine's annual figures.

Tolerance: relative 1e-9 (floating-point rounding over 35,040 intervals). Where the engine
calibrates demand to the metered offtake (no PV, or PV without metered production) its
simulated offtake equals the baseline offtake; where production is metered (c02 of the
example park) the engine keeps the metered identity for demand on site instead, and its
offtake follows from the simulated PV shape (not compared).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from parkplan.services.assess import compute_baseline
from parkplan.services.parks import read_park_from_file
from parkplan.services.simulate import simulate

EXAMPLE = Path(__file__).parents[1] / "data" / "parkfile-v1.example.yaml"
REL = 1e-9


def test_offtake_and_demand_agree_with_the_engine():
    park, _ = read_park_from_file(EXAMPLE)
    base, _ = compute_baseline(park)
    sim = simulate(park)
    rows = {r.company_id: r for r in base.companies}
    for c in sim.companies:
        row = rows[c.id]
        # demand on site = offtake + production - feed-in in both
        assert c.demand_kwh == pytest.approx(row.electricity_demand_kwh.value, rel=REL)
        if c.pv_kwp == 0:
            assert c.import_kwh == pytest.approx(row.electricity_offtake_kwh.value, rel=REL)
    # gas CO2 is the same figure in both
    assert sim.park.co2_by_source_kg["gas"] == pytest.approx(
        base.park.totals["co2_gas_kg"].value, rel=REL
    )


def test_calibrated_offtake_equals_the_metered_offtake():
    park, _ = read_park_from_file(EXAMPLE)
    c02 = park.companies[1]
    c02.electricity = replace(c02.electricity, annual_produced_kwh=None)  # production unknown
    base, _ = compute_baseline(park)
    sim = simulate(park, resolution_minutes=60)
    c = next(x for x in sim.companies if x.id == "c02")
    assert "gekalibreerd op afname" in c.estimate_reasons
    for res in sim.companies:
        offtake = next(r for r in base.companies if r.company_id == res.id)
        assert res.import_kwh == pytest.approx(offtake.electricity_offtake_kwh.value, rel=REL)
    # and so the park's electricity CO2 (no hubs: metered = park import)
    assert sim.park.co2_by_source_kg["electricity"] == pytest.approx(
        base.park.totals["co2_electricity_kg"].value, rel=REL
    )
