"""Benchmark: screening the synthetic national dataset on Dask (SYNTHETIC data).

Run::

    .venv/bin/python bench/screen.py [--sample-parks 200] [--full] [--resolution 60|15]
                                     [--data DIR] [--spot-check 20]

Measures and prints JSON:

- ``throughput``: company-years per second on a sample of the national dataset with a
  LocalCluster of 1 and of 2 workers (cluster start and per-worker warm-up excluded, each
  run from scratch), and the scaling efficiency = throughput(2) / (2 x throughput(1));
- ``spot_check``: ``--spot-check`` parks of the sample screened on the cluster compared with
  ``parkplan simulate``'s engine (:func:`parkplan.services.simulate.simulate`), field by field
  (equal: exact float equality);
- ``per_company``: seconds per company of the single-park engine (``simulate`` on those
  parks, in this process, after a warm-up) vs the screening's per-company cost with 1 worker
  (1 / throughput); target ratio <= 3;
- ``national`` (with ``--full``): the wall time of the whole dataset (about 3,800 parks and
  100,000+ companies) with 2 workers, measured end to end (cluster start, warm-up,
  screening, assembling results.parquet);
- ``load``: the load averages (``os.getloadavg``) before and after, as the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

from parkplan.scale.runner import ScreenSettings, dask_client, run_screening
from parkplan.scale.synthetic import write_synthetic_national
from parkplan.scale.tables import ParkSource, read_park_source

COMPARED = (
    ("demand_kwh", "demand_kwh"),
    ("pv_existing_kwh", "pv_kwh"),
    ("import_kwh", "import_kwh"),
    ("export_kwh", "export_kwh"),
    ("coincident_peak_kw", "coincident_peak_kw"),
    ("sum_of_individual_peaks_kw", "sum_of_individual_peaks_kw"),
    ("co2_kg", "co2_kg"),
    ("exceeded_import_hours", "exceeded_import_hours"),
)


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _subset(source: ParkSource, park_ids: list[str]) -> ParkSource:
    assert source.parks is not None and source.companies is not None
    comps = source.companies[source.companies["park_id"].isin(set(park_ids))]
    return ParkSource(
        kind="tables",
        path=source.path,
        park_ids=list(park_ids),
        parks=source.parks.loc[park_ids],
        companies=comps,
        synthetic=True,
    )


def _throughput(
    source: ParkSource, workers: int, settings: ScreenSettings, tmp: Path
) -> dict[str, float]:
    out = tmp / f"w{workers}.parquet"
    shutil.rmtree(tmp / f"w{workers}.parquet.parts", ignore_errors=True)
    t0 = time.perf_counter()
    with dask_client(workers=workers) as client:
        start = time.perf_counter() - t0
        s = run_screening(source, out, client=client, settings=settings)
    df = pd.read_parquet(out)
    ok = df[df["status"] == "ok"]
    return {
        "cpu_seconds_per_company_in_workers": round(
            float(ok["cpu_seconds"].sum()) / max(int(ok["n_companies"].sum()), 1), 5
        ),
        "workers": workers,
        "parks": s.parks,
        "company_years": s.company_years,
        "seconds": round(s.seconds, 2),
        "cluster_start_seconds": round(start, 2),
        "warm_up_seconds": round(s.startup_seconds, 2),
        "company_years_per_s": round(s.company_years_per_s, 1),
        "errors": s.errors,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, help="existing synthetic dataset folder")
    ap.add_argument("--sample-parks", type=int, default=200)
    ap.add_argument("--spot-check", type=int, default=20)
    ap.add_argument("--resolution", type=int, default=60, choices=(60, 15))
    ap.add_argument("--full", action="store_true", help="also the whole national dataset")
    ap.add_argument("--skip-scaling", action="store_true")
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()

    report: dict[str, object] = {"load_before": _load(), "resolution_minutes": args.resolution}
    tmp = Path(tempfile.mkdtemp(prefix="parkplan-bench-screen-"))
    data = args.data
    if data is None:
        data = tmp / "nl"
        t0 = time.perf_counter()
        kw = {"seed": args.seed} if args.seed is not None else {}
        meta = write_synthetic_national(data, **kw)
        report["generate_seconds"] = round(time.perf_counter() - t0, 2)
    source, meta = read_park_source(data)
    report["dataset"] = {
        "parks": meta["parks"],
        "companies": meta["companies"],
        "label": meta.get("label"),
        "seed": meta.get("seed"),
    }
    settings = ScreenSettings(resolution_minutes=args.resolution)

    # a sample with the national mix of park sizes: every k-th park
    k = max(1, len(source.park_ids) // args.sample_parks)
    sample_ids = source.park_ids[::k][: args.sample_parks]
    sample = _subset(source, sample_ids)

    if not args.skip_scaling:
        one = _throughput(sample, 1, settings, tmp)
        two = _throughput(sample, 2, settings, tmp)
        report["throughput"] = {
            "sample_parks": len(sample_ids),
            "sample_companies": len(sample.companies),
            "one_worker": one,
            "two_workers": two,
            "scaling_efficiency": round(
                two["company_years_per_s"] / (2 * one["company_years_per_s"]), 3
            ),
        }

    # spot check: cluster results vs the single-park engine
    from parkplan.services.simulate import simulate

    results = pd.read_parquet(tmp / "w2.parquet") if (tmp / "w2.parquet").exists() else None
    check_ids = sample_ids[: args.spot_check]
    if results is None:
        with dask_client(workers=2) as client:
            run_screening(
                _subset(source, check_ids), tmp / "check.parquet", client=client, settings=settings
            )
        results = pd.read_parquet(tmp / "check.parquet")
    by_id = results.set_index("park_id")
    simulate(source.load(check_ids[0]), resolution_minutes=args.resolution)  # warm-up
    mismatches = []
    engine_seconds = 0.0
    engine_cpu = 0.0
    engine_companies = 0
    for pid in check_ids:
        park = source.load(pid)
        t0, c0 = time.perf_counter(), time.process_time()
        ref = simulate(park, resolution_minutes=args.resolution).park
        engine_seconds += time.perf_counter() - t0
        engine_cpu += time.process_time() - c0
        engine_companies += len(park.companies)
        row = by_id.loc[pid]
        for col, attr in COMPARED:
            if float(row[col]) != float(getattr(ref, attr)):
                mismatches.append(
                    {
                        "park": pid,
                        "field": col,
                        "screen": float(row[col]),
                        "engine": float(getattr(ref, attr)),
                    }
                )
    report["spot_check"] = {
        "parks": len(check_ids),
        "fields": [c for c, _ in COMPARED],
        "mismatches": mismatches,
        "equal": not mismatches,
    }
    engine_per_company = engine_seconds / engine_companies
    engine_cpu_per_company = engine_cpu / engine_companies
    per: dict[str, object] = {
        "engine_wall_seconds_per_company": round(engine_per_company, 5),
        "engine_cpu_seconds_per_company": round(engine_cpu_per_company, 5),
    }
    if "throughput" in report:
        one = report["throughput"]["one_worker"]  # type: ignore[index]
        screen_per_company = 1.0 / one["company_years_per_s"]
        per["screen_wall_seconds_per_company_1_worker"] = round(screen_per_company, 5)
        per["ratio_wall"] = round(screen_per_company / engine_per_company, 3)
        per["ratio_cpu"] = round(
            one["cpu_seconds_per_company_in_workers"] / engine_cpu_per_company, 3
        )
    report["per_company"] = per

    if args.full:
        out = tmp / "national.parquet"
        t0 = time.perf_counter()
        with dask_client(workers=2) as client:
            s = run_screening(source, out, client=client, settings=settings)
        wall = time.perf_counter() - t0
        nat = pd.read_parquet(out)
        ok = nat[nat["status"] == "ok"]
        cpu_pc = float(ok["cpu_seconds"].sum()) / max(int(ok["n_companies"].sum()), 1)
        report["national"] = {
            "cpu_seconds_per_company_in_workers": round(cpu_pc, 5),
            "ratio_cpu_to_engine": round(cpu_pc / engine_cpu_per_company, 3),
            "wall_seconds_per_company_x_workers": round(2 * s.seconds / s.company_years, 5),
            "ratio_wall_x_workers_to_engine_cpu": round(
                2 * s.seconds / s.company_years / engine_cpu_per_company, 3
            ),
            "parks": s.parks,
            "company_years": s.company_years,
            "errors": s.errors,
            "wall_seconds_end_to_end": round(wall, 1),
            "screening_seconds": round(s.seconds, 1),
            "company_years_per_s": round(s.company_years_per_s, 1),
            "workers": s.workers,
            "batches": s.batches,
        }
    report["load_after"] = _load()
    shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
