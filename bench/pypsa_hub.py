"""The energy-hub sizing problem of ``bench/optimize.py`` built in PyPSA (the comparison).

PyPSA is NOT a parkplan dependency: it is installed only to run the benchmark::

    .venv/bin/pip install pypsa

The model is the same mathematics as :mod:`parkplan.optimize.lp` for one hub site, written
the way a PyPSA modeller would:

- one AC bus ``hub`` with one ``Load`` per company (its demand series);
- one ``Generator`` per import class (marginal cost = supply + marginal energy tax + kWh
  transport); a class that does not host the battery has ``p_max_pu`` = its own demand;
- PV: one extendable ``Generator`` per PV option (``p_max_pu`` = the profile, capital cost =
  annuity + O&M per kWp, ``p_nom_max`` = usable roof area x module density);
- feed-in: a ``Generator`` with ``p_min_pu = -1``, ``p_max_pu = 0`` and marginal cost = the
  feed-in price (negative dispatch is export, earning the price);
- battery: bus ``battery``, an extendable cyclic ``Store`` (``e_max_pu`` = the usable window),
  a ``charger`` link (efficiency eta_c, extendable, capital cost per kW) and a
  ``discharger`` link (efficiency eta_d); extra constraint: charge + discharge (AC side)
  <= the charger's power, as in parkplan;
- group transport (extra functionality with linopy): variables M_m (monthly kWmax) and C
  (group contracted capacity), constraints import - export <= M_m in every hour of month m,
  M_m <= C, objective + kWmax tariff x sum M_m + kW-contract tariff x months x C.

Hourly resolution only (then kWh per interval = kW and snapshot weights are 1).
"""

from __future__ import annotations

import logging
import time
import warnings
from typing import Any

import numpy as np
import pandas as pd

from parkplan.optimize.lp import SiteProblem

BIG_KW = 1e6
"""Capacity of components without a limit of their own (the grid side). [kW]"""


def build_network(p: SiteProblem, loads: dict[str, np.ndarray]) -> tuple[Any, Any]:
    """The PyPSA network of a hub site and its extra functionality.

    Parameters
    ----------
    p : SiteProblem
        The hub problem parkplan solves (same data).
    loads : dict
        Demand per company (their sum per class equals the classes' demand). [kWh]
    """
    import pypsa

    if p.interval_h != 1.0 or np.any(p.weights != 1.0):
        raise ValueError("the PyPSA comparison is built for a full hourly year")
    n_t = len(p.weights)
    sns = pd.RangeIndex(n_t, name="snapshot")
    n = pypsa.Network()
    n.set_snapshots(sns)
    n.add("Bus", "hub")
    names = list(loads)
    n.add("Load", names, bus="hub",
          p_set=pd.DataFrame({k: loads[k] for k in names}, index=sns))  # fmt: skip
    import_names = []
    for c, cl in enumerate(p.classes):
        name = f"import_{c}"
        import_names.append(name)
        pmax = 1.0 if cl.host else np.maximum(cl.demand_kwh, 0.0) / BIG_KW
        n.add("Generator", name, bus="hub", p_nom=BIG_KW,
              p_max_pu=pd.Series(np.broadcast_to(pmax, (n_t,)), index=sns),
              marginal_cost=pd.Series(cl.price(n_t), index=sns))  # fmt: skip
    fin = np.broadcast_to(np.asarray(p.feed_in_eur_per_kwh, dtype=float), (n_t,))
    n.add("Generator", "export", bus="hub",
          p_nom=p.export_cap_kw if p.export_cap_kw is not None else BIG_KW,
          p_min_pu=-1.0, p_max_pu=0.0, marginal_cost=pd.Series(fin, index=sns))  # fmt: skip
    for k, o in enumerate(p.pv):
        n.add("Generator", f"pv_{k}", bus="hub", p_nom_extendable=True,
              p_nom_min=o.existing_kwp, p_nom_max=o.max_kwp,
              capital_cost=o.annual_eur_per_kwp,
              p_max_pu=pd.Series(p.profiles[o.profile], index=sns))  # fmt: skip
    b = p.battery
    if b is not None:
        n.add("Bus", "battery")
        n.add("Store", "store", bus="battery", e_nom_extendable=True, e_cyclic=True,
              e_max_pu=b.soc_window_fraction, capital_cost=b.annual_eur_per_kwh,
              e_nom_max=b.max_kwh if np.isfinite(b.max_kwh) else np.inf)  # fmt: skip
        n.add("Link", "charger", bus0="hub", bus1="battery", efficiency=b.eta_charge,
              p_nom_extendable=True, capital_cost=b.annual_eur_per_kw)  # fmt: skip
        n.add("Link", "discharger", bus0="battery", bus1="hub", efficiency=b.eta_discharge,
              p_nom=BIG_KW)  # fmt: skip

    months = np.asarray(p.peak_pairs[1])
    caps = [v for v in (p.import_cap_kw, p.contract_kw) if v is not None]
    m_hi = min(caps) if caps else np.inf
    c_caps = [v for v in (p.contract_max_kw, p.import_cap_kw) if v is not None]
    c_hi = min(c_caps) if c_caps else np.inf

    def extra(n: Any, snapshots: Any) -> None:
        m = n.model
        gp = m["Generator-p"]
        net = gp.sel(name=import_names).sum("name") + gp.sel(name="export")
        month_index = pd.RangeIndex(p.n_months, name="month")
        mvar = m.add_variables(lower=0.0, upper=m_hi, coords=[month_index], name="M")
        cvar = m.add_variables(lower=0.0, upper=c_hi, name="C")
        for mo in range(p.n_months):
            sel = sns[months == mo]
            m.add_constraints(net.sel(snapshot=sel) - mvar.sel(month=mo) <= 0.0,
                              name=f"peak_{mo}")  # fmt: skip
            m.add_constraints(mvar.sel(month=mo) - cvar <= 0.0, name=f"contract_{mo}")
        if b is not None:
            lp = m["Link-p"]
            m.add_constraints(
                lp.sel(name="charger") + b.eta_discharge * lp.sel(name="discharger")
                - m["Link-p_nom"].sel(name="charger") <= 0.0,
                name="battery_power",
            )  # fmt: skip
        extra_obj = (
            p.kw_max_eur_per_kw_month * mvar.sum()
            + (p.contract_eur_per_kw_month * p.contract_months) * cvar
        )
        m.objective = m.objective + extra_obj

    return n, extra


def solve(p: SiteProblem, loads: dict[str, np.ndarray], options: dict[str, Any]) -> dict[str, Any]:
    """Build and solve the PyPSA model; times and LP size.

    Returns
    -------
    dict
        ``objective`` (without parkplan's constants), ``seconds`` (build + solve + results;
        ``cpu_seconds`` the same in CPU time of this process),
        ``solve_seconds`` (HiGHS run as PyPSA reports it), ``lp`` rows/cols/nnz, sizes.
    """
    logging.disable(logging.CRITICAL)
    t0, c0 = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        n, extra = build_network(p, loads)
        t1 = time.perf_counter()
        status, condition = n.optimize(solver_name="highs", extra_functionality=extra, **options)
        t2 = time.perf_counter()
        sizes = {
            "pv_kwp": n.generators.p_nom_opt.filter(like="pv_").round(3).tolist(),
            "battery_kwh": float(n.stores.e_nom_opt.sum()) if len(n.stores) else 0.0,
            "battery_kw": float(n.links.p_nom_opt.get("charger", 0.0)),
            "contract_kw": float(n.model.solution["C"]),
        }
        t3 = time.perf_counter()
        cpu = time.process_time() - c0
    m = n.model
    a = m.matrices.A
    logging.disable(logging.NOTSET)
    return {
        "status": f"{status}/{condition}",
        "objective": float(n.objective) + float(getattr(n, "objective_constant", 0.0) or 0.0),
        "seconds": t3 - t0,
        "cpu_seconds": cpu,
        "build_seconds": t1 - t0,
        "optimize_seconds": t2 - t1,
        "lp": {"rows": int(a.shape[0]), "cols": int(a.shape[1]), "nnz": int(a.nnz)},
        "sizes": sizes,
    }
