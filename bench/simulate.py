"""Benchmark: one park-year of 300 companies, each with PV and a battery, in one GTO.

Prints JSON: wall seconds from park data to results (demand profiles and PV included, PV
computed once per distinct roof orientation and scaled; fastest and median of ``--repeat``
runs, with the CPU seconds of the process beside them, since on a shared machine wall time
includes waiting for a core), the one-time numba compilation (or cache load) separately,
peak memory, and the ratio to a memory-bandwidth floor measured in the same run (one numpy
pass reading and writing 300 x 35,040 float64 values into a preallocated array).

``simulate_park`` hands its scratch demand/net matrix back to a per-process workspace
(``parkplan.energy.simulate.WORKSPACE``) and the next run of the same shape reuses it, as the
floor reuses its preallocated array: the first run of the park allocates it fresh (and pays
the page zeroing), the later ones do not (``wall_seconds_all_runs[0]`` is that first run).

Run: ``.venv/bin/python bench/simulate.py`` (``--companies N``, ``--repeat K``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time

import numpy as np


def synthetic_park(n: int, seed: int = 2025):
    """A park of ``n`` companies with PV, a connection and mixed sectors (illustrative)."""
    from parkplan.domain.model import (
        Company,
        Connection,
        ElectricityUse,
        GasUse,
        GridAvailability,
        Location,
        Park,
        Roof,
    )

    rng = np.random.default_rng(seed)
    orientations = [
        (10, 180),
        (15, 90),
        (15, 270),
        (35, 200),
        (5, 180),
        (20, 135),
        (20, 225),
        (30, 160),
    ]
    sbis = ["4941", "2562", "6920", "4690", "1071", "4711", "3312", "5210", "4321", "2222"]
    companies = []
    for k in range(n):
        annual = float(rng.lognormal(np.log(150_000), 1.0))
        tilt, az = orientations[k % len(orientations)]
        area = float(rng.uniform(300, 8000))
        companies.append(
            Company(
                id=f"c{k:03d}",
                name=f"Bedrijf {k}",
                sbi=sbis[k % len(sbis)],
                electricity=ElectricityUse(
                    annual_kwh=annual,
                    peak_kw=float(annual / rng.uniform(2500, 5000)) if k % 2 == 0 else None,
                ),
                gas=GasUse(annual_m3=float(rng.uniform(0, 40000))),
                connections=[
                    Connection(
                        ean=f"871{k:015d}",
                        kind="grootverbruik",
                        contracted_kw=float(annual / 2000),
                        contracted_feed_in_kw=float(annual / 3000),
                    )
                ],
                roofs=[Roof(area_m2=area, usable_fraction=0.5, tilt_deg=tilt, azimuth_deg=az)],
            )
        )
    return Park(
        id="bench",
        name="Synthetisch park (illustratief)",
        location=Location(52.7286, 6.4901),
        grid=GridAvailability(available_import_kw=20_000, available_export_kw=15_000),
        companies=companies,
        illustrative=True,
    )


def scenario_for(park):
    from parkplan.energy.scenario import (
        BatteryMeasure,
        EnergyHub,
        RooftopPv,
        Scenario,
        SharedBattery,
    )

    measures = []
    for c in park.companies:
        measures.append(RooftopPv(c.id, fill=True))
        e = c.electricity.annual_kwh
        measures.append(
            BatteryMeasure(c.id, energy_kwh=round(e / 2000, 1), strategy="self_consumption")
        )
    total = sum(c.connections[0].contracted_kw for c in park.companies)
    measures.append(
        EnergyHub(
            members=tuple(c.id for c in park.companies),
            group_capacity_kw=round(0.6 * total),
            group_feed_in_kw=round(0.5 * total),
            shared_battery=SharedBattery(energy_kwh=4000, power_kw=2000),
            name="GTO",
        )
    )
    return Scenario(name="bench: PV + batterij per bedrijf, één GTO", measures=tuple(measures))


def bandwidth_floor(n: int, t: int, repeat: int = 7) -> float:
    a = np.random.default_rng(0).random((n, t))
    b = np.empty_like(a)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        np.multiply(a, 1.0, out=b)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--companies", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    t_import = time.perf_counter()
    from parkplan.energy.battery import warm_up
    from parkplan.energy.demand import warm_up as warm_up_demand
    from parkplan.energy.simulate import default_demand_builder, default_pv_builder, simulate_park
    from parkplan.refdata import load_refdata
    from parkplan.services.simulate import co2_factors, simulation_parameters
    from parkplan.services.weather import default_weather

    import_s = time.perf_counter() - t_import
    compile_s = warm_up() + warm_up_demand()

    t0 = time.perf_counter()
    weather, meta = default_weather(2025, 15)
    refdata = load_refdata()
    params = simulation_parameters(refdata, 2025)
    inputs_s = time.perf_counter() - t0

    park = synthetic_park(args.companies)
    scenario = scenario_for(park)
    pv_builder = default_pv_builder()
    demand_builder = default_demand_builder(refdata)
    kwargs = {
        "scenario": scenario,
        "co2_factors": co2_factors(params),
        "parameters": params,
        "pv_builder": pv_builder,
        "demand_builder": demand_builder,
        "weather_meta": {k: v for k, v in meta.items() if k != "path"},
        "refdata_version": refdata.version,
    }
    # first run pays for lazy imports and caches of the models (holiday tables, profiles)
    t1 = time.perf_counter()
    simulate_park(synthetic_park(4), weather, **{**kwargs, "scenario": None})
    first_small_s = time.perf_counter() - t1

    walls = []
    cpus = []
    result = None
    stages: dict[str, float] = {}
    for _ in range(args.repeat):
        start = time.perf_counter()
        cpu = time.process_time()
        result = simulate_park(park, weather, **kwargs)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    # where the time goes (one extra, instrumented run of the two stages); the workspace's
    # matrix is released first so that these fresh matrices do not add to the peak memory
    from parkplan.energy.simulate import WORKSPACE, build_inputs, check_weather, run_inputs

    WORKSPACE.clear()

    s = time.perf_counter()
    w = check_weather(weather, year=2025, resolution_minutes=15)
    inp = build_inputs(
        park,
        w,
        scenario=scenario,
        parameters=params,
        pv_builder=pv_builder,
        demand_builder=demand_builder,
    )
    stages["build_inputs_s"] = time.perf_counter() - s
    s = time.perf_counter()
    pv_builder(w, 52.7286, 6.4901, [(10, 180)], params)
    stages["pv_one_orientation_s"] = time.perf_counter() - s
    s = time.perf_counter()
    demand_builder(w.index, park.companies, np.full(len(park.companies), 1e5), params)
    stages["demand_matrix_s"] = time.perf_counter() - s
    s = time.perf_counter()
    run_inputs(inp, park=park, co2_factors=co2_factors(params))
    stages["kernel_and_summary_s"] = time.perf_counter() - s
    from parkplan.energy.battery import dispatch

    s = time.perf_counter()
    dispatch(
        inp.demand_kwh,
        inp.pv,
        inp.batteries,
        interval_h=inp.interval_h,
        month=inp.month,
        export_limit_kw=inp.export_limit_kw,
        import_limit_kwh=inp.limit_rows_kwh,
        import_limit_row=inp.limit_row,
        import_limit_scale=inp.limit_scale,
        group_of=inp.group_of,
        n_groups=len(inp.hubs),
    )
    stages["battery_kernel_s"] = time.perf_counter() - s

    n, t = len(park.companies), len(weather)
    floor_s = bandwidth_floor(n, t)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    wall = min(walls)
    out = {
        "benchmark": "simulate",
        "companies": n,
        "intervals": t,
        "orientations": len({(r.tilt_deg, r.azimuth_deg) for c in park.companies for r in c.roofs}),
        "wall_seconds": round(wall, 4),
        "wall_seconds_median": round(sorted(walls)[len(walls) // 2], 4),
        "wall_seconds_all_runs": [round(x, 4) for x in walls],
        "cpu_seconds": round(min(cpus), 4),
        "cpu_seconds_all_runs": [round(x, 4) for x in cpus],
        "compile_seconds": round(compile_s, 4),
        "import_seconds": round(import_s, 4),
        "weather_and_refdata_seconds": round(inputs_s, 4),
        "first_small_park_seconds": round(first_small_s, 4),
        "stages": {k: round(v, 4) for k, v in stages.items()},
        "bandwidth_floor_seconds": round(floor_s, 5),
        "ratio_to_floor": round(wall / floor_s, 1),
        "cpu_ratio_to_floor": round(min(cpus) / floor_s, 1),
        "peak_memory_mb": round(peak_rss_mb, 1),
        "peak_memory_kind": "ru_maxrss of the process (whole interpreter)",
        "scratch_matrix": "reused between runs (WORKSPACE); the first run allocates it",
        "max_balance_residual_kwh": result.max_residual_kwh if result else None,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "load_average_1_5_15min": [round(x, 2) for x in os.getloadavg()],
        "park_coincident_peak_kw": round(result.park.coincident_peak_kw, 1) if result else None,
        "hub_peak_kw": round(result.hubs[0].peak_kw, 1) if result and result.hubs else None,
        "targets": {"wall_seconds": 1.0, "ratio_to_floor": 20, "peak_memory_mb": 1536},
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
        },
    }
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
