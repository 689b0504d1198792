"""Non-firm / time-block transport rights: park file -> simulation grid check -> optimiser.

Tariff values that are unknown in the reference data are given as overrides with stated
hypothetical values (HYPOTHETICAL_STEDIN in tests/helpers.py): the tests check the
arithmetic, not them.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from parkplan.energy.grid import time_block_schedule
from parkplan.io.parkfile import (
    build_json_schema,
    dump_park,
    load_yaml,
    park_from_document,
    validate_document,
)
from parkplan.optimize.sizing import (
    MemberInput,
    ParkSizingInputs,
    hub_time_blocks_kw,
    optimize_park,
)
from parkplan.refdata import load_refdata

from ..helpers import HYPOTHETICAL_STEDIN, example_park_document, sizing_costs

YEAR = 2026
BLOCK = {"from": "16:00", "to": "20:00", "kw": 30}


def flat_member(idx: pd.DatetimeIndex, series: np.ndarray | None) -> MemberInput:
    return MemberInput(
        id="a",
        demand_kwh=np.full(len(idx), 50.0),
        contracted_kw=60.0,
        contracted_feed_in_kw=60.0,
        import_limit_kw=60.0,
        export_limit_kw=60.0,
        import_cap_series_kw=series,
    )


def inputs(idx: pd.DatetimeIndex, m: MemberInput) -> ParkSizingInputs:
    return ParkSizingInputs(
        park_id="t",
        index=idx,
        interval_h=1.0,
        profiles=np.zeros((1, len(idx))),
        members=[m],
        operator="stedin",
        year=YEAR,
        costs=sizing_costs(),
    )


def test_time_block_binds_with_the_known_battery_optimum():
    # flat demand of 50 kW; the right allows 30 kW from 16:00 to 20:00, 60 kW otherwise.
    # Only a battery can bridge the block: it must deliver 20 kW for 4 h a day = 80 kWh,
    # so power = 20 kW and nameplate = 80 / (eta_d x usable window) exactly.
    ref = load_refdata(HYPOTHETICAL_STEDIN)
    idx = pd.date_range("2026-06-01", periods=48, freq="h", tz="Europe/Amsterdam")
    free = optimize_park(inputs(idx, flat_member(idx, None)), ref, together=False).alone["a"]
    assert free.solution.battery_kwh == pytest.approx(0.0, abs=1e-6)
    sched = time_block_schedule(idx, [BLOCK], 60.0)
    site = optimize_park(inputs(idx, flat_member(idx, sched)), ref, together=False).alone["a"]
    s = site.solution
    assert s.status == "optimal"
    eta = math.sqrt(0.85)
    assert s.battery_kw == pytest.approx(20.0, rel=1e-6)
    assert s.battery_kwh == pytest.approx(80.0 / (eta * 0.9), rel=1e-6)
    imp = s.import_kwh.sum(axis=0)
    in_block = sched < 60.0
    assert in_block.sum() == 8
    assert np.all(imp[in_block] <= 30.0 + 1e-6)
    assert imp[in_block] == pytest.approx(np.full(8, 30.0), abs=1e-6)  # the block binds
    assert s.objective_eur > free.solution.objective_eur


def test_hub_limit_is_the_sum_of_the_members_rights():
    idx = pd.date_range("2026-06-01", periods=24, freq="h", tz="Europe/Amsterdam")
    a = flat_member(idx, time_block_schedule(idx, [BLOCK], 60.0))
    b = MemberInput(id="b", demand_kwh=np.ones(24), contracted_kw=100.0)
    cap = hub_time_blocks_kw([a, b], 24)
    assert cap is not None
    assert cap[16] == 130.0 and cap[10] == 160.0
    assert hub_time_blocks_kw([b], 24) is None


def park_doc(rights: list) -> dict:
    return example_park_document(None, transport_rights=rights)


def test_park_file_reads_writes_and_validates_transport_rights():
    right = {"company": "c01", "default_kw": 160, "blocks": [
        {"from": "16:00", "to": "20:00", "kw": 60, "months": [11, 12, 1, 2]}]}  # fmt: skip
    park, problems = park_from_document(park_doc([right]))
    assert [p for p in problems if p.severity == "error"] == []
    (r,) = park.grid.transport_rights
    assert (r.company, r.default_kw, r.blocks[0]["kw"], r.blocks[0]["months"]) == (
        "c01", 160, 60, [11, 12, 1, 2])  # fmt: skip
    again, _ = park_from_document(load_yaml(dump_park(park, "yaml"))[0])
    assert again == park
    bad = {"company": "c99", "default_kw": 10, "blocks": [{"from": "25:00", "to": "6", "kw": -1}]}
    errors = {p.path for p in validate_document(park_doc([bad])) if p.severity == "error"}
    assert errors == {
        "park.grid.transport_rights[0].blocks[0].from",
        "park.grid.transport_rights[0].blocks[0].to",
        "park.grid.transport_rights[0].blocks[0].kw",
    }
    unknown = validate_document(park_doc([{**right, "company": "c99"}]))
    assert [p.path for p in unknown if p.severity == "error"] == [
        "park.grid.transport_rights[0].company"
    ]
    props = build_json_schema()["$defs"]["grid"]["properties"]
    assert props["transport_rights"]["items"] == {"$ref": "#/$defs/transport_right"}


def test_park_right_reaches_the_simulation_and_the_optimiser():
    from parkplan.energy.weather import default_weather
    from parkplan.services.optimize import sizing_inputs

    right = {"company": "c02", "default_kw": 300, "blocks": [{"from": "16:00", "to": "20:00",
                                                               "kw": 120}]}  # fmt: skip
    park, _ = park_from_document(park_doc([right]))
    weather, _ = default_weather(YEAR, 60)
    weather = weather.iloc[: 24 * 7]
    ref = load_refdata()
    inp = sizing_inputs(park, ref, year=YEAR, weather=weather)
    by_id = {m.id: m for m in inp.members}
    expected = time_block_schedule(weather.index, right["blocks"], 300)
    np.testing.assert_allclose(by_id["c02"].import_cap_series_kw, expected)
    assert by_id["c02"].import_limit_kw == 300
    assert by_id["c01"].import_cap_series_kw is None


def test_park_right_is_checked_in_the_simulation():
    from parkplan.energy.weather import default_weather
    from parkplan.services.simulate import simulate

    weather, _ = default_weather(YEAR, 60)
    base, _ = park_from_document(park_doc([]))
    # c02 may import only 1 kW from 08:00 to 18:00 on weekdays: the check must count it
    right = {
        "company": "c02",
        "default_kw": 1000,
        "blocks": [{"from": "08:00", "to": "18:00", "kw": 1, "weekdays": [0, 1, 2, 3, 4]}],
    }
    limited, _ = park_from_document(park_doc([right]))  # fmt: skip

    def c02(park):
        res = simulate(park, year=YEAR, resolution_minutes=60, weather=weather)
        return next(c for c in res.companies if c.id == "c02")

    free, tight = c02(base), c02(limited)
    # the right replaces the contract (350 kW) as the limit: 1,000 kW outside the blocks
    assert free.exceeded_hours < 100 < tight.exceeded_hours <= 262 * 10  # weekday blocks
    assert tight.exceeded_kwh > free.exceeded_kwh
