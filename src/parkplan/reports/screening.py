"""Screening results people can use: a summary table, map-ready GeoJSON and a ranking of
parks by hub potential (Markdown and HTML).

Ranking: parks are ordered by the peak an energy hub takes off the grid
(``hub_peak_reduction_kw``: sum of the companies' own peaks minus the coincident peak),
which is known for every park; the transport-cost saving of a GTO is shown beside it where
the tariffs are published (else "onbekend" with the missing keys in the results table).
"""

from __future__ import annotations

import json
import math
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from parkplan.domain.errors import Lang

RANK_COLUMN = "hub_peak_reduction_kw"
"""The column parks are ranked by (hub potential)."""

SUMMARY_SUMS: tuple[tuple[str, str, str, float], ...] = (
    ("n_companies", "Bedrijven", "Companies", 1.0),
    ("demand_kwh", "Vraag [GWh/jaar]", "Demand [GWh/yr]", 1e-6),
    ("pv_existing_kwh", "Zonnestroom nu [GWh/jaar]", "Solar now [GWh/yr]", 1e-6),
    ("pv_potential_kwh", "Zonnestroom potentieel [GWh/jaar]", "Solar potential [GWh/yr]", 1e-6),
    ("pv_potential_kwp", "Zon potentieel [MWp]", "Solar potential [MWp]", 1e-3),
    ("sum_of_individual_peaks_kw", "Som eigen pieken [MW]", "Sum of own peaks [MW]", 1e-3),
    ("coincident_peak_kw", "Gelijktijdige pieken [MW]", "Coincident peaks [MW]", 1e-3),
    ("hub_peak_reduction_kw", "Piekverlaging hubs [MW]", "Hub peak reduction [MW]", 1e-3),
    (
        "transport_saving_eur",
        "Besparing transport (bekend) [k EUR/jaar]",
        "Transport saving (known) [k EUR/yr]",
        1e-3,
    ),
    ("co2_kg", "CO2 [kt/jaar]", "CO2 [kt/yr]", 1e-6),
    (
        "co2_pv_potential_avoided_kg",
        "CO2 te vermijden met zon [kt/jaar]",
        "CO2 avoidable with solar [kt/yr]",
        1e-6,
    ),
)


def _fmt(x: Any, decimals: int = 0, lang: Lang = "nl") -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)) or x is pd.NA:
        return "onbekend" if lang == "nl" else "unknown"
    s = f"{float(x):,.{decimals}f}"
    if lang == "nl":
        s = s.replace(",", "_").replace(".", ",").replace("_", ".")
    return s


def summary_table(results: pd.DataFrame, by: str | None = "province") -> pd.DataFrame:
    """Totals per group (``province`` or ``operator``; ``None``: one row for all).

    Returns
    -------
    DataFrame
        ``parks``, ``errors``, ``parks_with_transport_cost`` and the sums of
        :data:`SUMMARY_SUMS` (in their base units) per group.
    """
    df = results.copy()
    ok = df[df["status"] == "ok"]
    key = by if by and by in df.columns and (df[by].astype(str) != "").any() else None
    cols = [c for c, *_ in SUMMARY_SUMS]
    if key is None:
        sums = ok[cols].sum(min_count=1).to_frame().T
        sums.insert(0, "group", "totaal")
        sums["parks"] = len(ok)
        sums["errors"] = int((df["status"] != "ok").sum())
        sums["parks_with_transport_cost"] = int(ok["transport_saving_eur"].notna().sum())
        return sums.reset_index(drop=True)
    g = ok.groupby(key)
    out = g[cols].sum(min_count=1)
    out["parks"] = g.size()
    out["errors"] = df[df["status"] != "ok"].groupby(key).size().reindex(out.index).fillna(0)
    out["parks_with_transport_cost"] = g["transport_saving_eur"].count()
    out = out.reset_index().rename(columns={key: "group"})
    return out


def ranking(results: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """Parks (status ok) by hub potential, best first, with a ``rank`` column."""
    ok = results[results["status"] == "ok"].copy()
    ok = ok.sort_values(
        [RANK_COLUMN, "hub_peak_reduction_share", "park_id"], ascending=[False, False, True]
    )
    ok.insert(0, "rank", np.arange(1, len(ok) + 1))
    return ok.head(top) if top else ok


def geojson(results: pd.DataFrame, parks: pd.DataFrame | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: one feature per screened park with its indicators as
    properties; the outline (Polygon) when ``parks`` has ``outline_geojson``, else a Point.
    Errors are left out (they have no indicators)."""
    outlines: dict[str, Any] = {}
    if parks is not None and "outline_geojson" in parks.columns:
        ids = parks["park_id"] if "park_id" in parks.columns else parks.index
        for pid, o in zip(ids, parks["outline_geojson"], strict=True):
            if isinstance(o, str) and o:
                outlines[str(pid)] = json.loads(o)
            elif isinstance(o, dict):
                outlines[str(pid)] = o
    ranks = ranking(results).set_index("park_id")["rank"]
    features = []
    for rec in results[results["status"] == "ok"].to_dict("records"):
        props = {}
        for k, v in rec.items():
            if isinstance(v, float | np.floating):
                props[k] = float(v) if math.isfinite(v) else None
            elif isinstance(v, np.integer):
                props[k] = int(v)
            elif isinstance(v, np.bool_):
                props[k] = bool(v)
            elif v is pd.NA:
                props[k] = None
            else:
                props[k] = v
        props["rank"] = int(ranks.get(rec["park_id"], 0))
        geom = outlines.get(str(rec["park_id"]))
        if geom is None:
            if props.get("lat") is None or props.get("lon") is None:
                continue
            geom = {"type": "Point", "coordinates": [props["lon"], props["lat"]]}
        features.append({"type": "Feature", "geometry": geom, "properties": props})
    return {"type": "FeatureCollection", "features": features}


_RANK_COLS: tuple[tuple[str, str, str, int], ...] = (
    ("rank", "#", "#", 0),
    ("park_id", "Park", "Park", -1),
    ("name", "Naam", "Name", -1),
    ("n_companies", "Bedrijven", "Companies", 0),
    ("sum_of_individual_peaks_kw", "Som eigen pieken [kW]", "Sum of own peaks [kW]", 0),
    ("coincident_peak_kw", "Gelijktijdige piek [kW]", "Coincident peak [kW]", 0),
    ("hub_peak_reduction_kw", "Piekverlaging [kW]", "Peak reduction [kW]", 0),
    ("transport_saving_eur", "Besparing GTO [EUR/jaar]", "GTO saving [EUR/yr]", 0),
    ("pv_potential_kwh", "Zon potentieel [MWh/jaar]", "Solar potential [MWh/yr]", -3),
    ("grid_import_headroom_kw", "Netruimte [kW]", "Grid headroom [kW]", 0),
    ("co2_kg", "CO2 [t/jaar]", "CO2 [t/yr]", -4),
)


def _cell(rec: dict[str, Any], col: str, d: int, lang: Lang) -> str:
    v = rec.get(col)
    if d == -1:
        return str(v)
    if d == -3:
        return _fmt(None if v is None else float(v) / 1e3, 0, lang)
    if d == -4:
        return _fmt(None if v is None else float(v) / 1e3, 1, lang)
    return _fmt(v, d, lang)


def ranking_markdown(
    results: pd.DataFrame, *, top: int = 50, lang: Lang = "nl", synthetic: bool = False
) -> str:
    """The ranking as a Markdown report (Dutch by default), with the summary on top."""
    nl = lang == "nl"
    lines: list[str] = []
    title = "Screening: parken op hubpotentieel" if nl else "Screening: parks by hub potential"
    lines.append(f"# {title}\n")
    if synthetic:
        lines.append(
            "**SYNTHETISCH**: deze parken en bedrijven zijn gegenereerd, niet echt.\n"
            if nl
            else "**SYNTHETIC**: these parks and companies are generated, not real.\n"
        )
    ok = results[results["status"] == "ok"]
    n_err = int((results["status"] != "ok").sum())
    total = summary_table(results, by=None).iloc[0]
    lines.append(
        (
            f"{len(ok)} parken gescreend, {n_err} met een fout. "
            f"Rangorde op piekverlaging door een energiehub (som eigen pieken min gelijktijdige "
            f"piek). Transportbesparing alleen waar de tarieven bekend zijn "
            f"({int(total['parks_with_transport_cost'])} parken).\n"
        )
        if nl
        else (
            f"{len(ok)} parks screened, {n_err} with an error. Ranked by the peak an energy "
            f"hub takes off (sum of own peaks minus coincident peak). Transport saving only "
            f"where tariffs are known ({int(total['parks_with_transport_cost'])} parks).\n"
        )
    )
    lines.append("| " + ("Totaal" if nl else "Total") + " | |")
    lines.append("|---|---:|")
    for col, label_nl, label_en, factor in SUMMARY_SUMS:
        v = total.get(col)
        v = None if v is None or pd.isna(v) else float(v) * factor
        decimals = 0 if col == "n_companies" else 1
        lines.append(f"| {label_nl if nl else label_en} | {_fmt(v, decimals, lang)} |")
    lines.append("")
    heads = [nl_h if nl else en_h for _, nl_h, en_h, _ in _RANK_COLS]
    lines.append("| " + " | ".join(heads) + " |")
    lines.append("|" + "|".join("---" if d == -1 else "---:" for *_, d in _RANK_COLS) + "|")
    for rec in ranking(results, top).to_dict("records"):
        lines.append("| " + " | ".join(_cell(rec, c, d, lang) for c, _, _, d in _RANK_COLS) + " |")
    errs = results[results["status"] != "ok"]
    if len(errs):
        lines.append("\n## " + ("Fouten" if nl else "Errors") + "\n")
        for rec in errs.to_dict("records"):
            lines.append(f"- `{rec['park_id']}`: {rec['error']}")
    return "\n".join(lines) + "\n"


def ranking_html(
    results: pd.DataFrame, *, top: int = 50, lang: Lang = "nl", synthetic: bool = False
) -> str:
    """The ranking as a self-contained HTML page."""
    nl = lang == "nl"
    heads = "".join(f"<th>{escape(nl_h if nl else en_h)}</th>" for _, nl_h, en_h, _ in _RANK_COLS)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{escape(_cell(rec, c, d, lang))}</td>" for c, _, _, d in _RANK_COLS)
        + "</tr>"
        for rec in ranking(results, top).to_dict("records")
    )
    label = (
        "<p><strong>SYNTHETISCH</strong>: gegenereerde parken, niet echt.</p>"
        if synthetic and nl
        else "<p><strong>SYNTHETIC</strong>: generated parks, not real.</p>"
        if synthetic
        else ""
    )
    title = "Screening: parken op hubpotentieel" if nl else "Screening: parks by hub potential"
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;"
        "text-align:right}</style></head>"
        f"<body><h1>{title}</h1>{label}<table><thead><tr>{heads}</tr></thead>"
        f"<tbody>{body}</tbody></table></body></html>\n"
    )


def write_reports(
    results: pd.DataFrame,
    out_dir: str | Path,
    *,
    parks: pd.DataFrame | None = None,
    lang: Lang = "nl",
    top: int = 50,
    synthetic: bool = False,
) -> list[Path]:
    """Write ``summary.csv``, ``parks.geojson``, ``ranking.md`` and ``ranking.html``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "summary.csv", out / "parks.geojson", out / "ranking.md", out / "ranking.html"]
    summary_table(results).to_csv(paths[0], index=False)
    paths[1].write_text(json.dumps(geojson(results, parks)), encoding="utf-8")
    paths[2].write_text(
        ranking_markdown(results, top=top, lang=lang, synthetic=synthetic), encoding="utf-8"
    )
    paths[3].write_text(
        ranking_html(results, top=top, lang=lang, synthetic=synthetic), encoding="utf-8"
    )
    return paths
