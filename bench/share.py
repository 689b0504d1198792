"""Benchmark: the Shapley split of a GTO among 300 companies on 15-minute series.

Run: ``.venv/bin/python bench/share.py [--members 300] [--seconds 30] [--exact 10-18]``.

The companies are drawn from the demo park De Wieken (``parkplan.demo``): its grootverbruik
companies are simulated for 2026 (15-minute offtake and feed-in); each of the 300 benchmark
companies takes the shape of one of them (drawn at random) scaled to an annual offtake drawn
from De Wieken's distribution of annual kWh. Tariffs: Stedin 2026 (De Wieken lies in the
Rendo area, whose tariffs are not in the reference data); every company contracts its own
peak (rule ``peak``), categories follow from that (grid level MS above 1,500 kW).

Prints (as JSON on stdout; a readable summary on stderr) the seconds (wall and CPU), the
largest 95 % half-width relative to the mean share, and the time of exact enumeration for
10..18 members. Results are recorded in docs/performance.md (section "Verdeling").
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

from parkplan.demo import generate_demo_parks
from parkplan.economics.allocation import shapley_exact, shapley_sampled
from parkplan.economics.games import (
    gto_coalition_values,
    gto_game,
    gto_marginals,
    gto_shapley_owen,
)
from parkplan.refdata import load_refdata
from parkplan.services.simulate import simulate


def demo_members(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, object, np.ndarray]:
    """``n`` synthetic companies: (import, export, index, annual kWh) from De Wieken."""
    park = next(p for p in generate_demo_parks() if "Wieken" in p.name)
    res = simulate(park, year=2026, keep_series=True)
    gv = [
        i
        for i, c in enumerate(park.companies)
        if c.connections and c.connections[0].kind == "grootverbruik"
    ]
    imp = res.flows.import_kwh[gv]
    exp_ = res.flows.export_kwh[gv]
    annual = imp.sum(axis=1)
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(gv), n)
    size = rng.choice(annual, n)  # bootstrap of De Wieken's annual offtake
    scale = size / annual[pick]
    return imp[pick] * scale[:, None], exp_[pick] * scale[:, None], res.index, size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=300)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--target", type=float, default=0.02)
    ap.add_argument("--method", choices=["owen", "permutations"], default="owen")
    ap.add_argument("--exact", default="10-18")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    ref = load_refdata()
    imp, exp_, index, size = demo_members(args.members, args.seed)
    out: dict = {
        "members": args.members,
        "intervals": int(imp.shape[1]),
        "annual_kwh_min": float(size.min()),
        "annual_kwh_max": float(size.max()),
        "load_average_before": os.getloadavg()[0],
    }
    _say(
        f"{args.members} companies, annual offtake {size.min():,.0f} .. {size.max():,.0f} kWh "
        f"(factor {size.max() / size.min():,.0f}), {imp.shape[1]} intervals"
    )
    peak_kw = imp.max(axis=1) / 0.25
    levels = ["MS" if p > 1500 else None for p in peak_kw]
    kw = {"operator": "stedin", "year": 2026, "refdata": ref}
    game = gto_game(imp, index, peak_kw, export_kwh=exp_, grid_levels=levels, **kw)
    # compile the kernels outside the timing
    small = gto_game(imp[:3, :200], index[:200], peak_kw[:3], **kw)
    gto_shapley_owen(small, seed=0, strata=2, min_rounds=2, max_rounds=2)
    gto_marginals(small)(np.arange(3))
    gto_coalition_values(small)
    t0 = time.perf_counter()
    c0 = time.process_time()
    total = game.total_benefit_eur()
    if args.method == "owen":
        est = gto_shapley_owen(
            game,
            seed=args.seed,
            strata=16,
            min_rounds=8,
            max_rounds=10_000,
            target_rel_halfwidth=args.target,
            max_seconds=args.seconds,
        )
        values, half = est.values, est.ci95_halfwidth
        what = f"{est.rounds} paired rounds + {est.surrogate_rounds} surrogate rounds x 16 strata"
    else:
        pe = _timed_permutations(game, args.seed, args.seconds, args.target)
        values, half, what = pe.values, pe.ci95_halfwidth, f"{pe.n_permutations} permutations"
    secs = time.perf_counter() - t0
    cpu = time.process_time() - c0
    mean_share = float(np.mean(np.abs(values)))
    rel = float(half.max() / mean_share)
    out.update(
        {
            "method": args.method,
            "sampling": what,
            "wall_seconds": secs,
            "cpu_seconds": cpu,
            "total_benefit_eur": total,
            "sum_of_shares_eur": float(values.sum()),
            "mean_share_eur": mean_share,
            "max_halfwidth_eur": float(half.max()),
            "max_halfwidth_rel_mean_share": rel,
            "target_met": bool(secs <= 30 and rel <= 0.02),
            "exact": [],
        }
    )
    _say(f"total benefit {total:,.0f} EUR/yr; sum of shares {values.sum():,.0f}")
    _say(
        f"{args.method}: {secs:.1f} s wall ({cpu:.1f} s CPU), {what}; largest 95 % half-width "
        f"{half.max():,.0f} EUR = {100 * half.max() / mean_share:.2f} % of the mean share "
        f"({mean_share:,.0f} EUR)"
    )
    lo, hi = (int(x) for x in args.exact.split("-"))
    for m in range(lo, hi + 1, 2):
        g = gto_game(imp[:m], index, peak_kw[:m], export_kwh=exp_[:m], grid_levels=levels[:m], **kw)
        t = time.perf_counter()
        c = time.process_time()
        shapley_exact(gto_coalition_values(g))
        wall, cpu_m = time.perf_counter() - t, time.process_time() - c
        out["exact"].append({"members": m, "wall_seconds": wall, "cpu_seconds": cpu_m})
        _say(f"exact enumeration, {m} members: {wall:.2f} s wall ({cpu_m:.2f} s CPU)")
    out["load_average_after"] = os.getloadavg()[0]
    print(json.dumps(out, indent=2))


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def _timed_permutations(game, seed: int, seconds: float, target: float):
    marg = gto_marginals(game)
    start = time.perf_counter()
    est = None
    budget = 40
    while True:
        est = shapley_sampled(marg, game.n, seed=seed, max_permutations=budget, batch=20)
        rel = est.ci95_halfwidth.max() / np.mean(np.abs(est.values))
        if rel <= target or time.perf_counter() - start > seconds:
            return est
        budget *= 2


if __name__ == "__main__":
    main()
