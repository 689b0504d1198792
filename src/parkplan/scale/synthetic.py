"""A synthetic national dataset of business parks and their companies (SYNTHETISCH).

The tables look like what one derives from the public registers: parks from IBIS
(location, area, province), companies from KvK (SBI, employees) and buildings from BAG
(floor and roof area), with estimated energy use. Nothing in them is measured: every park
and company is drawn from documented distributions and the tables say so
(``synthetic = True``; the park names start with "Synthetisch").

Distributions
-------------
- Parks per province, their location, operator and grid headroom, companies per park, park
  area and the PV orientation classes: ``refdata/synthetic_national.csv``
  (``synthetic.*``; IBIS counts per province, CBS/IBIS totals; assumptions indicative).
- Everything per company (sector mix, SBI, employees, floor area, electricity and gas per
  m2, operating hours, roofs, existing PV, connections): the demo's distributions in
  ``refdata/demo_distributions.csv`` (``demo.*``, with their CBS and other sources), so the
  national set and the demo parks follow one documented picture. See docs/screening.md.

The generator is vectorised per park: 3,800 parks with 100,000+ companies take seconds.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from parkplan.domain.errors import ParkplanError

DISTRIBUTIONS_FILE = "synthetic_national.csv"
DEFAULT_SEED = 20260
LAYOUTS: tuple[str, ...] = ("south", "east_west", "pitched")
"""Roof layouts: flat roof with south-facing panels, flat roof east-west, pitched roof."""

PARK_COLUMNS: tuple[str, ...] = (
    "park_id",
    "name",
    "province",
    "lat",
    "lon",
    "area_ha",
    "operator",
    "available_import_kw",
    "available_export_kw",
    "outline_geojson",
    "n_companies",
    "synthetic",
)
"""Columns of the parks table (one row per park, as derived from IBIS)."""

COMPANY_COLUMNS: tuple[str, ...] = (
    "park_id",
    "company_id",
    "name",
    "sbi",
    "employees",
    "floor_area_m2",
    "operating_hours_class",
    "roof_layout",
    "roof_area_m2",
    "roof_tilt_deg",
    "roof_azimuth_deg",
    "usable_fraction",
    "existing_pv_kwp",
    "annual_kwh",
    "annual_feed_in_kwh",
    "annual_produced_kwh",
    "peak_kw",
    "gas_m3",
    "connection_kind",
    "fuse",
    "contracted_kw",
    "contracted_feed_in_kw",
    "grid_level",
    "synthetic",
)
"""Columns of the companies table (one row per company, as derived from KvK and BAG)."""


def distribution_values() -> dict[str, float]:
    """Every ``synthetic.*`` and ``demo.*`` figure of the reference data by key."""
    from parkplan.refdata import load_refdata

    rd = load_refdata()
    out: dict[str, float] = {}
    for key in rd.keys():  # noqa: SIM118 - RefData is not a dict
        if key.startswith(("synthetic.", "demo.")):
            v = rd.lookup(key).value
            if isinstance(v, int | float):
                out[key] = float(v)
    return out


class _P:
    def __init__(self, values: Mapping[str, float]) -> None:
        self.v = values

    def __call__(self, key: str) -> float:
        try:
            return self.v[key]
        except KeyError:
            raise ParkplanError(
                f"Verdelingsparameter '{key}' ontbreekt in de referentiedata.",
                f"Distribution parameter '{key}' is missing from the reference data.",
            ) from None

    def range(self, key: str) -> tuple[float, float]:
        return self(f"{key}.low"), self(f"{key}.high")

    def prefixed(self, prefix: str) -> dict[str, float]:
        return {k[len(prefix) :]: v for k, v in self.v.items() if k.startswith(prefix)}


def _provinces(p: _P) -> list[dict[str, Any]]:
    names = [
        m.group(1)
        for k in p.v
        if (m := re.match(r"^synthetic\.province\.([a-z_]+)\.parks$", k)) is not None
    ]
    out = []
    for name in names:
        pre = f"synthetic.province.{name}"
        ops = p.prefixed(f"{pre}.operator.")
        out.append(
            {
                "name": name,
                "parks": p(f"{pre}.parks"),
                "lat": p(f"{pre}.lat"),
                "lon": p(f"{pre}.lon"),
                "spread": p(f"{pre}.spread_deg"),
                "operators": list(ops),
                "operator_weights": np.array(list(ops.values())) / sum(ops.values()),
            }
        )
    return out


def _largest_remainder(weights: np.ndarray, n: int) -> np.ndarray:
    exact = weights / weights.sum() * n
    counts = np.floor(exact).astype(int)
    rest = n - int(counts.sum())
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[:rest]] += 1
    return counts


def _square_outline(lat: float, lon: float, area_ha: float) -> dict[str, Any]:
    half_m = math.sqrt(area_ha * 10_000.0) / 2.0
    m_per_deg = 111_320.0
    dlat = half_m / m_per_deg
    dlon = half_m / (m_per_deg * math.cos(math.radians(lat)))
    ring = [
        [round(lon - dlon, 6), round(lat - dlat, 6)],
        [round(lon + dlon, 6), round(lat - dlat, 6)],
        [round(lon + dlon, 6), round(lat + dlat, 6)],
        [round(lon - dlon, 6), round(lat + dlat, 6)],
        [round(lon - dlon, 6), round(lat - dlat, 6)],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def generate_synthetic_national(
    n_parks: int | None = None,
    *,
    seed: int = DEFAULT_SEED,
    values: Mapping[str, float] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate the synthetic national parks and companies tables.

    Parameters
    ----------
    n_parks : int, optional
        Number of parks; default ``synthetic.parks.total`` (about 3,800). The province
        counts are scaled to it (largest remainder).
    seed : int
        Seed of the random generator; the same seed gives the same tables.
    values : mapping, optional
        Distribution parameters by key; default :func:`distribution_values`.

    Returns
    -------
    parks, companies : DataFrame
        Columns :data:`PARK_COLUMNS` and :data:`COMPANY_COLUMNS`; every row ``synthetic``.
    """
    from parkplan.demo.generator import HOURS_CLASSES, sector_params
    from parkplan.domain.model import OPERATING_HOURS_CLASSES

    vals = dict(values) if values is not None else distribution_values()
    p = _P(vals)
    sectors = list(sector_params(vals).values())
    provinces = _provinces(p)
    total = int(n_parks if n_parks is not None else p("synthetic.parks.total"))
    if total < 1:
        raise ParkplanError(
            f"Aantal parken moet minstens 1 zijn (gevonden: {total}).",
            f"Number of parks must be at least 1 (found: {total}).",
        )
    rng = np.random.default_rng(seed)
    per_province = _largest_remainder(np.array([pr["parks"] for pr in provinces]), total)

    national_mix = np.array([s.share for s in sectors])
    national_mix = national_mix / national_mix.sum()
    conc = p("synthetic.park.sector_concentration")
    volt = p("demo.connection.phase_voltage_v")
    fuses = sorted(
        (
            (f"3x{int(a)}A", 3.0 * volt * a / 1000.0)
            for a in p.prefixed("demo.connection.fuse_a.").values()
        ),
        key=lambda t: t[1],
    )
    fuse_names = np.array([f for f, _ in fuses], dtype=object)
    fuse_kw = np.array([k for _, k in fuses])
    physical = np.array(sorted(p.prefixed("demo.connection.physical_kva.").values()))
    step = p("demo.connection.contract_step_kw")
    az_class = p("synthetic.roof.azimuth_class_deg")
    flat_tilt = p("synthetic.roof.flat_tilt_deg")
    pitched_tilt = p("synthetic.roof.pitched_tilt_deg")
    rotation = p("demo.roof.rotation_deg")
    kwp_m2 = p("demo.pv.kwp_per_m2")
    yields = np.array([p(f"demo.pv.yield_kwh_per_kwp.{lay}") for lay in LAYOUTS])
    util = np.array([p.range(f"demo.utilisation_h.{h}") for h in HOURS_CLASSES])
    hours_names = np.array(OPERATING_HOURS_CLASSES, dtype=object)
    peak_known = {
        k: p(f"demo.electricity.peak_known_share.{k}") for k in ("kleinverbruik", "grootverbruik")
    }
    min_floor = p("demo.company.min_floor_m2")
    max_emp = p("demo.company.max_employees")

    park_rows: list[dict[str, Any]] = []
    company_frames: list[pd.DataFrame] = []
    number = 0
    for pr, count in zip(provinces, per_province, strict=True):
        for _ in range(int(count)):
            number += 1
            pid = f"syn-{number:04d}"
            n = int(
                np.clip(
                    round(
                        rng.lognormal(
                            math.log(p("synthetic.park.companies_median")),
                            p("synthetic.park.companies_sigma"),
                        )
                    ),
                    p("synthetic.park.companies_min"),
                    p("synthetic.park.companies_max"),
                )
            )
            # ---- companies (vectorised)
            mix = rng.dirichlet(conc * national_mix * len(sectors))
            sec = rng.choice(len(sectors), size=n, p=mix)
            sbi = np.empty(n, dtype=object)
            emp = np.empty(n)
            per_emp = np.empty(n)
            kwh_m2 = np.empty(n)
            gas_m2 = np.empty(n)
            has_gas = np.empty(n, dtype=bool)
            footprint = np.empty(n)
            has_pv = np.empty(n, dtype=bool)
            hours = np.empty(n, dtype=int)
            for k, s in enumerate(sectors):
                idx = np.flatnonzero(sec == k)
                if idx.size == 0:
                    continue
                m = idx.size
                w = np.asarray(s.sbi_weights) / sum(s.sbi_weights)
                sbi[idx] = np.asarray(s.sbi_codes, dtype=object)[rng.choice(len(w), size=m, p=w)]
                emp[idx] = rng.lognormal(math.log(s.employees_median), s.employees_sigma, m)
                per_emp[idx] = rng.lognormal(
                    math.log(s.floor_m2_per_employee_median), s.floor_m2_per_employee_sigma, m
                )
                kwh_m2[idx] = rng.uniform(*s.electricity_kwh_per_m2, m)
                gas_m2[idx] = rng.uniform(*s.gas_m3_per_m2, m)
                has_gas[idx] = rng.random(m) < s.gas_share
                footprint[idx] = s.footprint_share
                has_pv[idx] = rng.random(m) < s.pv_share
                hours[idx] = rng.choice(4, size=m, p=np.asarray(s.hours_probabilities))
            employees = np.clip(np.round(emp), 1, max_emp).astype(int)
            floor = np.maximum(min_floor, np.round(employees * per_emp, -1))
            demand = np.round(floor * kwh_m2, -1)
            area = np.maximum(
                10.0,
                np.round(floor * footprint * rng.uniform(*p.range("demo.roof.area_factor"), n), -1),
            )
            usable = np.round(rng.uniform(*p.range("demo.roof.usable_fraction"), n), 2)
            flat = rng.random(n) < p("demo.roof.flat_share")
            ew = rng.random(n) < p("demo.roof.flat_east_west_share")
            layout = np.where(flat, np.where(ew, 1, 0), 2)
            turn = np.round(rng.uniform(-rotation, rotation, n) / az_class) * az_class
            first = np.round(rng.uniform(90.0, 270.0, n) / az_class) * az_class
            azimuth = np.where(layout == 0, 180.0 + turn, np.where(layout == 1, 90.0 + turn, first))
            tilt = np.where(layout == 2, pitched_tilt, flat_tilt)
            coverage = rng.uniform(*p.range("demo.pv.coverage"), n)
            kwp = np.where(has_pv, np.round(coverage * usable * area * kwp_m2, 1), 0.0)
            produced = np.round(kwp * yields[layout], -1)
            own = np.where(
                produced > 0,
                np.round(
                    np.minimum(
                        produced, demand * rng.uniform(*p.range("demo.pv.coincident_share"), n)
                    ),
                    -1,
                ),
                0.0,
            )
            offtake = demand - own
            feed_in = produced - own
            util_h = rng.uniform(util[hours, 0], util[hours, 1])
            peak = np.round(demand / util_h, 1)
            # ---- connections: smallest fuse with headroom, else a contract above the peak
            need_feed = kwp * p("demo.connection.feed_in_kw_per_kwp")
            head = rng.uniform(*p.range("demo.connection.fuse_headroom"), n)
            need = np.maximum(peak * head, need_feed)
            fits_min = (
                np.maximum(peak * p("demo.connection.fuse_headroom.low"), need_feed) <= fuse_kw[-1]
            )
            need = np.where((need > fuse_kw[-1]) & fits_min, fuse_kw[-1], need)
            small = need <= fuse_kw[-1]
            fuse_i = np.minimum(np.searchsorted(fuse_kw, need), len(fuse_kw) - 1)
            margin = rng.uniform(*p.range("demo.connection.contract_margin"), n)
            contracted = np.ceil(peak * margin / step) * step
            feed_c = np.maximum(contracted, np.ceil(need_feed / step) * step)
            largest = np.maximum(contracted, feed_c)
            pos = np.searchsorted(physical, largest)
            phys = np.where(
                pos < len(physical),
                physical[np.minimum(pos, len(physical) - 1)],
                np.ceil(largest / 1000.0) * 1000.0,
            )
            level = np.where(
                phys <= p("demo.connection.ls_max_kva"),
                "LS",
                np.where(
                    phys <= p("demo.connection.msls_max_kva"),
                    "MS/LS",
                    np.where(phys <= p("demo.connection.ms_max_kva"), "MS", "HS/MS"),
                ),
            ).astype(object)
            kind = np.where(small, "kleinverbruik", "grootverbruik").astype(object)
            known = rng.random(n) < np.where(
                small, peak_known["kleinverbruik"], peak_known["grootverbruik"]
            )
            gas = np.where(has_gas, np.round(floor * gas_m2, -1), np.nan)
            cap = np.where(small, fuse_kw[fuse_i], contracted)
            cap_feed = np.where(small, fuse_kw[fuse_i], feed_c)
            ids = [f"{pid}-c{i + 1:03d}" for i in range(n)]
            company_frames.append(
                pd.DataFrame(
                    {
                        "park_id": pid,
                        "company_id": ids,
                        "name": [f"Synthetisch bedrijf {number:04d}-{i + 1:03d}" for i in range(n)],
                        "sbi": sbi,
                        "employees": employees,
                        "floor_area_m2": floor,
                        "operating_hours_class": hours_names[hours],
                        "roof_layout": np.asarray(LAYOUTS, dtype=object)[layout],
                        "roof_area_m2": area,
                        "roof_tilt_deg": tilt,
                        "roof_azimuth_deg": np.mod(azimuth, 360.0),
                        "usable_fraction": usable,
                        "existing_pv_kwp": kwp,
                        "annual_kwh": offtake,
                        "annual_feed_in_kwh": feed_in,
                        "annual_produced_kwh": np.where(produced > 0, produced, np.nan),
                        "peak_kw": np.where(known, peak, np.nan),
                        "gas_m3": gas,
                        "connection_kind": kind,
                        "fuse": np.where(small, fuse_names[fuse_i], None),
                        "contracted_kw": np.where(small, np.nan, contracted),
                        "contracted_feed_in_kw": np.where(small, np.nan, feed_c),
                        "grid_level": np.where(small, "LS", level),
                        "synthetic": True,
                    }
                )
            )
            # ---- park
            lat = pr["lat"] + float(
                np.clip(rng.normal(0, pr["spread"]), -2 * pr["spread"], 2 * pr["spread"])
            )
            lon = pr["lon"] + float(
                np.clip(rng.normal(0, pr["spread"]), -2 * pr["spread"], 2 * pr["spread"])
            ) / math.cos(math.radians(pr["lat"]))
            lat, lon = round(lat, 5), round(lon, 5)
            area_ha = round(n * float(rng.uniform(*p.range("synthetic.park.ha_per_company"))), 1)
            operator = pr["operators"][
                int(rng.choice(len(pr["operators"]), p=pr["operator_weights"]))
            ]
            imp = float(cap.sum()) * float(rng.uniform(*p.range("synthetic.grid.import_factor")))
            exp = float(cap_feed.sum()) * float(
                rng.uniform(*p.range("synthetic.grid.export_factor"))
            )
            park_rows.append(
                {
                    "park_id": pid,
                    "name": f"Synthetisch bedrijventerrein {number:04d}",
                    "province": pr["name"],
                    "lat": lat,
                    "lon": lon,
                    "area_ha": area_ha,
                    "operator": operator,
                    "available_import_kw": math.ceil(imp / step) * step,
                    "available_export_kw": math.ceil(exp / step) * step,
                    "outline_geojson": json.dumps(_square_outline(lat, lon, area_ha)),
                    "n_companies": n,
                    "synthetic": True,
                }
            )
    parks = pd.DataFrame(park_rows, columns=list(PARK_COLUMNS))
    companies = pd.concat(company_frames, ignore_index=True)[list(COMPANY_COLUMNS)]
    return parks, companies


def write_synthetic_national(
    out_dir: str | Path,
    n_parks: int | None = None,
    *,
    seed: int = DEFAULT_SEED,
) -> dict[str, Any]:
    """Generate the dataset and write ``parks.parquet``, ``companies.parquet`` and
    ``metadata.json`` (label, seed, counts, distributions file) to ``out_dir``.

    Returns
    -------
    dict
        The metadata written (with the file paths).
    """
    from parkplan import __version__

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    parks, companies = generate_synthetic_national(n_parks, seed=seed)
    parks.to_parquet(out / "parks.parquet", index=False)
    companies.to_parquet(out / "companies.parquet", index=False)
    meta = {
        "label": "SYNTHETISCH - synthetic national dataset, not real parks or companies",
        "seed": seed,
        "parks": len(parks),
        "companies": len(companies),
        "distributions": [f"refdata/{DISTRIBUTIONS_FILE}", "refdata/demo_distributions.csv"],
        "code_version": __version__,
        "files": {
            "parks": str(out / "parks.parquet"),
            "companies": str(out / "companies.parquet"),
        },
    }
    (out / "metadata.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return meta
