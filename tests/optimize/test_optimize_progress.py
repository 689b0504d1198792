"""Progress callbacks of the optimiser and ``parkplan optimize --scenario``.

The example park's operator (Rendo) has no published tariffs in refdata: the tests give
HYPOTHETICAL values through ``refdata_overrides`` (stated test values, not facts).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from parkplan.cli import main
from parkplan.optimize.sizing import MemberInput, ParkSizingInputs, optimize_park
from parkplan.refdata import load_refdata
from parkplan.services.optimize import sub_progress

from ..helpers import (
    EXAMPLE_PARK_FILE,
    HYPOTHETICAL_RENDO,
    HYPOTHETICAL_STEDIN,
    example_park_file,
    sizing_costs,
)

STAGE = re.compile(r"^\[\s*(\d+)%\] (.+)$")


def small_park(idx: pd.DatetimeIndex) -> ParkSizingInputs:
    hour = np.asarray(idx.hour)
    members = [
        MemberInput(
            id=cid,
            demand_kwh=level * np.where((hour >= 6) & (hour < 18), 1.0, 0.4),
            contracted_kw=2 * level,
            contracted_feed_in_kw=2 * level,
            import_limit_kw=2 * level,
            export_limit_kw=2 * level,
        )
        for cid, level in (("a", 60.0), ("b", 20.0))
    ]
    return ParkSizingInputs(
        park_id="t", index=idx, interval_h=1.0, profiles=np.zeros((1, len(idx))),
        members=members, operator="stedin", year=2026, costs=sizing_costs(),
    )  # fmt: skip


def test_core_progress_reports_every_lp_in_order():
    ref = load_refdata(HYPOTHETICAL_STEDIN)
    idx = pd.date_range("2026-06-01", periods=48, freq="h", tz="Europe/Amsterdam")
    calls: list[tuple[float, str]] = []
    optimize_park(small_park(idx), ref, progress=lambda f, s: calls.append((f, s)))
    labels = [s for _, s in calls]
    fractions = [f for f, _ in calls]
    assert labels[0].startswith("Basis: schijven energiebelasting")
    assert labels[1:4] == ["Bedrijf a apart (1/2)", "Bedrijf b apart (2/2)",
                           "Energiehub samen (2 leden)"]  # fmt: skip
    # each company is one step, the hub two: 0, 0, 1/4, 2/4, then 1 at the end
    assert fractions[:4] == [0.0, 0.0, 0.25, 0.5]
    assert calls[-1] == (1.0, "Optimalisatie klaar")
    assert fractions == sorted(fractions)
    english: list[str] = []
    optimize_park(small_park(idx), ref, progress=lambda f, s: english.append(s), lang="en")
    assert english[1] == "Company a alone (1/2)"


def test_sub_progress_maps_a_stage_onto_its_share():
    got: list[tuple[float, str]] = []
    inner = sub_progress(lambda f, s: got.append((f, s)), 0.1, 0.9)
    assert inner is not None
    inner(0.0, "a")
    inner(0.5, "b")
    inner(2.0, "c")  # clipped
    assert got == [(0.1, "a"), (pytest.approx(0.5), "b"), (pytest.approx(0.9), "c")]
    assert sub_progress(None, 0.0, 1.0) is None


def test_cli_progress_on_stderr_json_clean_and_scenario_rights(tmp_path):
    pf = example_park_file(tmp_path)
    scen = tmp_path / "rechten.yaml"
    scen.write_text(yaml.safe_dump({
        "format": "parkplan-scenario/1", "name": "Rechten",
        "measures": [{"type": "transport_right", "company": "c02", "default_kw": 350,
                      "blocks": [{"from": "00:00", "to": "23:59", "kw": 300}]}],
    }), encoding="utf-8")  # fmt: skip
    runner = CliRunner()
    res = runner.invoke(main, ["optimize", str(pf), "--fast", "--json", "--progress",
                               "--scenario", str(scen), "--save-scenario",
                               str(tmp_path / "optimum")])  # fmt: skip
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)  # stdout holds only the JSON
    stages = [STAGE.match(line) for line in res.stderr.splitlines()]
    assert all(stages), res.stderr
    pct = [int(m.group(1)) for m in stages if m]
    text = [m.group(2) for m in stages if m]
    assert pct == sorted(pct) and pct[0] == 0 and pct[-1] == 100
    assert text[0] == "Park en referentiegegevens laden" and text[-1] == "Klaar"
    assert "Typische dagen kiezen" in text
    assert "Bedrijf c01 apart (1/3)" in text and "Energiehub samen (2 leden)" in text
    assert data["provenance"]["scenario"] == "Rechten"
    # the right (300 kW all day) caps c02's monthly peak below its 350 kW contract
    c02 = next(c for c in data["companies"] if c["id"] == "c02")
    assert max(c02["alone"]["monthly_max_kw"]) <= 300 + 1e-6
    # the saved optimum keeps the right, so the simulation sees the same limits
    saved = yaml.safe_load(Path(data["scenario_file"]).read_text(encoding="utf-8"))
    assert saved["measures"][0]["type"] == "transport_right"
    quiet = runner.invoke(main, ["optimize", str(pf), "--fast", "--json", "--no-progress"])
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_cli_refuses_scenario_measures_the_optimiser_decides(tmp_path):
    pf = example_park_file(tmp_path)
    scen = tmp_path / "zon.yaml"
    scen.write_text(yaml.safe_dump({"name": "Zon", "measures": [
        {"type": "rooftop_pv", "company": "c01", "kwp": 30}]}), encoding="utf-8")  # fmt: skip
    res = CliRunner().invoke(main, ["optimize", str(pf), "--scenario", str(scen)])
    assert res.exit_code == 1
    assert "measures[0] (rooftop_pv)" in res.output
    assert "transport_right" in res.output


def test_bracket_resolve_is_reported():
    from parkplan.optimize.sizing import RoofInput

    ref = load_refdata({"energy_tax.electricity.b2.eur_per_kwh": 0.07,
                        "energy_tax.electricity.b3.eur_per_kwh": 0.04,
                        "grid_tariff.stedin.ms.kwh_eur_per_kwh": 0.008})  # fmt: skip
    idx = pd.date_range("2026-06-01", periods=24 * 14, freq="h", tz="Europe/Amsterdam")
    hour = np.asarray(idx.hour)
    sun = np.where((hour >= 7) & (hour < 19), 0.6 * np.sin(np.pi * (hour - 7) / 12), 0.0)
    # about 60,000 kWh in 14 days: bracket 3 at baseline; cheap PV brings it into bracket 2
    m = MemberInput(id="a", demand_kwh=np.full(len(idx), 180.0), contracted_kw=600.0,
                    contracted_feed_in_kw=600.0, import_limit_kw=600.0, export_limit_kw=600.0,
                    roofs=[RoofInput(0, 0, 2000.0)])  # fmt: skip
    cheap = sizing_costs()
    cheap.pv_classes = [(float("inf"), 40.0, 2.0)]
    inp = small_park(idx)
    inp.members, inp.profiles, inp.costs = [m], sun[None, :], cheap
    calls: list[str] = []
    opt = optimize_park(inp, ref, together=False, progress=lambda f, s: calls.append(s))
    assert opt.alone["a"].bracket_changes[0]["from"] == 3
    assert any(s.startswith("a: schijf energiebelasting veranderd (a 3→2)") for s in calls)


def test_unknown_value_says_how_to_supply_it_and_override_supplies_it():
    runner = CliRunner()
    res = runner.invoke(main, ["optimize", str(EXAMPLE_PARK_FILE), "--fast"])
    assert res.exit_code == 1
    assert "grid_category.rendo.ls.max_kw" in res.output
    assert "park.refdata_overrides" in res.output
    assert "`--override grid_category.rendo.ls.max_kw=<getal>`" in res.output
    assert "(eenheid kW)" in res.output
    args = [f"--override={k}={str(v).replace('.', ',')}" for k, v in HYPOTHETICAL_RENDO.items()]
    ok = runner.invoke(main, ["optimize", str(EXAMPLE_PARK_FILE), "--fast", "--json", *args])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.stdout)
    assert data["provenance"]["overrides"] == {k: float(v) for k, v in HYPOTHETICAL_RENDO.items()}
    assert data["status"] == "optimal"
