"""Benchmark: sizing an energy hub of 50 companies (shared PV and battery, group capacity),
hourly year, with parkplan and with the same model in PyPSA (identical HiGHS options).

Run (PyPSA is only needed here, not by parkplan)::

    .venv/bin/pip install pypsa        # once; bench only
    .venv/bin/python bench/optimize.py [--skip-pypsa] [--typical-days 16] [--resolution 15]

Prints JSON: both objectives and their relative difference (target <= 1e-4), both times
(parkplan end-to-end = build + solve + results; PyPSA = build network + optimize + read
sizes), the ratio (target <= 0.5) and both LP sizes (parkplan: the whole LP; with row
generation HiGHS solves ``lp_rows_solved`` of its rows in ``highs_runs`` runs); and the fast
mode (typical days): its objective error against the full year and its speed-up (target
<= 2 % at >= 5x).

Tariffs: Stedin 2026 kW-contract and kWmax from refdata; values refdata marks unknown for
2026 are set to stated hypothetical values (HYPOTHETICAL) so that the benchmark runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

YEAR = 2026
N_COMPANIES = 50
HYPOTHETICAL = {
    # unknown in refdata for 2026; benchmark values, not facts
    "energy_tax.electricity.b2.eur_per_kwh": 0.07,
    "energy_tax.electricity.b3.eur_per_kwh": 0.04,
    "grid_tariff.stedin.ls.kwh_eur_per_kwh": 0.012,
    "grid_tariff.stedin.ms_ls.kwh_eur_per_kwh": 0.01,
    "grid_tariff.stedin.ms.kwh_eur_per_kwh": 0.008,
}


def hub_inputs(seed: int = 7, resolution_min: int = 60):
    """A synthetic hub: 50 companies with BDEW-shaped demand (seeded variability), annual
    use 20 MWh - 2 GWh (log-uniform), contracts 1.5 x the mean power (at least 60 kW),
    roofs of 500-6,000 m2 facing south, east or west; the park can get 80 % of the sum of
    the contracts (congestion)."""
    from parkplan.energy.demand import demand_matrix
    from parkplan.energy.weather import default_weather
    from parkplan.optimize.sizing import MemberInput, ParkSizingInputs, RoofInput
    from parkplan.refdata import load_refdata
    from parkplan.services.optimize import cost_inputs
    from parkplan.services.simulate import simulation_parameters

    refdata = load_refdata(HYPOTHETICAL)
    weather, _ = default_weather(YEAR, resolution_min)
    interval_h = resolution_min / 60.0
    index = weather.index
    params = simulation_parameters(refdata, YEAR)
    from parkplan.energy.simulate import default_pv_builder

    orientations = [(10.0, 180.0), (10.0, 90.0), (10.0, 270.0)]
    profiles = np.asarray(default_pv_builder()(weather, 52.73, 6.48, orientations, params))
    rng = np.random.default_rng(seed)
    annual = np.exp(rng.uniform(np.log(2e4), np.log(2e6), N_COMPANIES))
    kinds = ["G1", "G3", "G4", "G5", "G0"]
    prof = [kinds[i % len(kinds)] for i in range(N_COMPANIES)]
    demand = demand_matrix(index, annual, prof, seeds=list(range(N_COMPANIES)), refdata=refdata)
    density = refdata.value("solar.module_density_kwp_m2", YEAR)
    members = []
    for i in range(N_COMPANIES):
        mean_kw = annual[i] / 8760.0
        peak_kw = demand[i].max() / interval_h
        contract = float(max(60.0, round(1.5 * peak_kw / 10.0) * 10.0, mean_kw))
        area = float(rng.uniform(500, 6000))
        members.append(
            MemberInput(
                id=f"c{i:02d}",
                demand_kwh=demand[i],
                contracted_kw=contract,
                contracted_feed_in_kw=contract,
                import_limit_kw=contract,
                export_limit_kw=contract,
                grid_level="MS",
                roofs=[RoofInput(0, int(rng.integers(0, 3)), area * 0.5 * density)],
            )
        )
    inputs = ParkSizingInputs(
        park_id="bench-hub-50",
        index=index,
        interval_h=interval_h,
        profiles=profiles,
        members=members,
        operator="stedin",
        year=YEAR,
        costs=cost_inputs(refdata, YEAR),
        available_import_kw=0.8 * sum(m.contracted_kw or 0.0 for m in members),
        available_export_kw=0.5 * sum(m.contracted_kw or 0.0 for m in members),
    )
    return inputs, refdata


def hub_problem(inputs, refdata, axes=None):
    from parkplan.optimize.sizing import baseline_offtake_kwh, hub_problem, member_tariff

    tariffs = {
        m.id: member_tariff(
            m,
            baseline_offtake_kwh(m, None if axes is None else axes["weights"])[0],
            operator=inputs.operator,
            year=inputs.year,
            refdata=refdata,
        )
        for m in inputs.members
    }
    problem, _ = hub_problem(inputs.members, tariffs, inputs, refdata, axes=axes)
    return problem


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-pypsa", action="store_true")
    ap.add_argument("--typical-days", type=int, default=None)
    ap.add_argument(
        "--resolution", type=int, choices=(60, 15), default=60,
        help="minutes per interval; the PyPSA comparison is hourly only (use --skip-pypsa)",
    )  # fmt: skip
    args = ap.parse_args()

    from parkplan.optimize.aggregation import aggregate, typical_days
    from parkplan.optimize.lp import DEFAULT_HIGHS_OPTIONS, solve_site

    if args.resolution != 60 and not args.skip_pypsa:
        ap.error("the PyPSA comparison is hourly only: add --skip-pypsa")
    inputs, refdata = hub_inputs(resolution_min=args.resolution)
    problem = hub_problem(inputs, refdata)
    const = sum(problem.constant_eur.values())
    options = dict(DEFAULT_HIGHS_OPTIONS)

    load_before = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    sol = solve_site(problem, options)
    pp_seconds = time.perf_counter() - t0
    pp_cpu = time.process_time() - c0
    pp_obj = sol.objective_eur - const
    out: dict = {
        "problem": {
            "companies": N_COMPANIES,
            "intervals": len(problem.weights),
            "import_classes": len(problem.classes),
            "pv_options": len(problem.pv),
            "highs_options": options,
        },
        "parkplan": {
            "status": sol.status,
            "objective_eur": pp_obj,
            "seconds": pp_seconds,
            "cpu_seconds": pp_cpu,
            "build_seconds": sol.seconds["build"],
            "solve_seconds": sol.seconds["solve"],
            "results_seconds": sol.seconds["results"],
            "lp": sol.size.to_dict(),
            "lp_rows_solved": sol.rows_solved,
            "highs_runs": sol.rounds,
            "sizes": {
                "pv_kwp": [round(float(x), 3) for x in sol.pv_kwp],
                "battery_kwh": sol.battery_kwh,
                "battery_kw": sol.battery_kw,
                "contract_kw": sol.contract_kw,
            },
        },
    }
    if not args.skip_pypsa:
        import pypsa_hub

        loads = {m.id: m.demand_kwh for m in inputs.members}
        py = pypsa_hub.solve(problem, loads, options)
        out["pypsa"] = py
        out["objective_rel_diff"] = abs(py["objective"] - pp_obj) / abs(py["objective"])
        out["time_ratio_parkplan_over_pypsa"] = pp_seconds / py["seconds"]
        out["cpu_ratio_parkplan_over_pypsa"] = pp_cpu / py["cpu_seconds"]

    k = args.typical_days or int(refdata.value("optimize.fast.typical_days"))
    t0 = time.perf_counter()
    td = typical_days(inputs, k)
    reduced, axes = aggregate(inputs, td)
    cluster_seconds = time.perf_counter() - t0
    fast_problem = hub_problem(reduced, refdata, axes)
    fast = solve_site(fast_problem, options)
    fast_seconds = time.perf_counter() - t0
    fast_obj = fast.objective_eur - sum(fast_problem.constant_eur.values())
    out["fast"] = {
        "typical_days": int(td.representative.size),
        "objective_eur": fast_obj,
        "objective_error": (fast_obj - pp_obj) / abs(pp_obj),
        "seconds": fast_seconds,
        "clustering_seconds": cluster_seconds,
        "speedup": pp_seconds / fast_seconds,
        "lp": fast.size.to_dict(),
    }
    out["load_average"] = {
        "before": load_before,
        "after": os.getloadavg()[0],
        "cores": os.cpu_count(),
    }
    print(json.dumps(out, indent=2, default=float))


if __name__ == "__main__":
    main()
