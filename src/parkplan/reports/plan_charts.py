"""Charts and the map of a plan, drawn from stored results (no series needed at render time).

Each function returns a :class:`~parkplan.plan.model.Chart` with PNG bytes (for Word and as a
fallback) and, where useful, SVG text (for HTML and PDF). The simulation charts reuse the
plotting functions of :mod:`parkplan.reports.charts` on the compact series that the plan's
``prepare`` step stores with the simulation (monthly totals, a sampled load-duration curve).
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from parkplan.plan.model import Chart, Phase, format_date

PNG_DPI = 130
CHART_FORMATS: tuple[str, ...] = ("png",)
"""Simulation charts as PNG only: SVG doubles the drawing time for little gain in print."""


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def _files_to_chart(paths: Sequence[Path], key: str, title: str, caption: str) -> Chart:
    png = next(p for p in paths if p.suffix == ".png").read_bytes()
    svg_path = next((p for p in paths if p.suffix == ".svg"), None)
    svg = svg_path.read_text(encoding="utf-8") if svg_path else None
    return Chart(key, title, png, svg, caption)


def _fig_to_chart(fig: Any, key: str, title: str, caption: str) -> Chart:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=PNG_DPI)
    return Chart(key, title, buf.getvalue(), None, caption)


def _figure(width_in: float, height_in: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=PNG_DPI)
    FigureCanvasAgg(fig)
    return fig


def co2_sector_chart(sectors: Sequence[tuple[str, int, float]], lang: str = "nl") -> Chart:
    """Horizontal bars: CO2 per sector group. [t/yr]"""
    from parkplan.reports.charts import _nl_axis

    fig = _figure(7.5, 0.35 * max(len(sectors), 3) + 1.0)
    ax = fig.add_axes((0.3, 0.16 + 0.1 / len(sectors), 0.66, 0.8 - 0.1 / len(sectors)))
    labels = [s[0] for s in sectors][::-1]
    values = [s[2] for s in sectors][::-1]
    ax.barh(labels, values, color="#1f5fa8")
    ax.set_xlabel(_t(lang, "CO2 [t/jr]", "CO2 [t/yr]"))
    ax.grid(axis="x", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    if lang == "nl":
        _nl_axis(ax, "x")
    title = _t(lang, "CO2-uitstoot per sector (nulmeting)", "CO2 emissions by sector (baseline)")
    return _fig_to_chart(fig, "co2_sectors", title, title)


def simulation_charts(simulation: Mapping[str, Any], lang: str = "nl") -> dict[str, Chart]:
    """Monthly balance, load-duration curve and peaks from a stored simulation payload."""
    from parkplan.reports.charts import plot_load_duration, plot_monthly_balance, plot_peaks

    out: dict[str, Chart] = {}
    park = simulation.get("park") or {}
    series = simulation.get("plan_series") or {}
    est = _t(lang, " (schatting)", " (estimate)") if park.get("estimated") else ""
    with tempfile.TemporaryDirectory(prefix="parkplan-plan-") as tmp:
        d = Path(tmp)
        monthly = series.get("monthly_kwh")
        if monthly:
            names = {
                "demand": _t(lang, "Vraag", "Demand"),
                "pv": _t(lang, "Zonnestroom", "Solar"),
                "import": _t(lang, "Afname van het net", "Grid offtake"),
                "export": _t(lang, "Teruglevering", "Feed-in"),
            }
            title = _t(lang, "Energiebalans per maand", "Monthly energy balance") + est
            paths = plot_monthly_balance(
                {names[k]: np.asarray(v, dtype=float) for k, v in monthly.items() if k in names},
                d / "monthly",
                title=title,
                formats=CHART_FORMATS,
            )
            out["monthly_balance"] = _files_to_chart(paths, "monthly_balance", title, title)
        ldc = series.get("load_duration_kw")
        if ldc:
            limits = {}
            if park.get("available_import_kw"):
                limits[_t(lang, "beschikbaar vermogen afname", "available import capacity")] = (
                    float(park["available_import_kw"])
                )
            title = _t(lang, "Belastingduurkromme netto afname park",
                       "Load-duration curve of the park's net offtake") + est  # fmt: skip
            paths = plot_load_duration(
                {_t(lang, "Netto afname park", "Park net offtake"): np.asarray(ldc, dtype=float)},
                d / "ldc",
                interval_h=float(series.get("load_duration_step_h") or 1.0),
                limits_kw=limits,
                title=title,
                formats=CHART_FORMATS,
            )
            out["load_duration"] = _files_to_chart(paths, "load_duration", title, title)
        companies = simulation.get("companies") or []
        if companies and park.get("coincident_peak_kw") is not None:
            title = _t(lang, "Eigen pieken en gezamenlijke piek",
                       "Own peaks and coincident peak") + est  # fmt: skip
            paths = plot_peaks(
                top_peaks(companies, lang),
                float(park["coincident_peak_kw"]),
                d / "peaks",
                available_kw=park.get("available_import_kw"),
                title=title,
                formats=CHART_FORMATS,
            )
            out["peaks"] = _files_to_chart(paths, "peaks", title, title)
    return out


def scorecard_radar(card: Mapping[str, Any], park_name: str, lang: str = "nl") -> Chart:
    """The stored scorecard as a radar chart (0-100 per theme; gaps where not assessed)."""
    from parkplan.reports.radar import plot_scorecard_radar

    themes = [(str(x["theme"]), str(x["label"])) for x in card["themes"]]
    scores = {park_name: {str(x["theme"]): x.get("score") for x in card["themes"]}}
    title = _t(lang, "Scorekaart toekomstbestendigheid", "Future-proof scorecard")
    with tempfile.TemporaryDirectory(prefix="parkplan-plan-") as tmp:
        path = plot_scorecard_radar(themes, scores, Path(tmp) / "radar.png", title=title,
                                    lang=lang)  # fmt: skip
        png = path.read_bytes()
    return Chart("radar", title, png, None, title, width_cm=12.0)


PEAKS_SHOWN = 12
"""Companies shown by name in the peaks chart; the rest are summed as one block."""


def top_peaks(companies: Sequence[Mapping[str, Any]], lang: str = "nl") -> dict[str, float]:
    """Own peaks of the largest companies and the sum of the others (same total). [kW]"""
    names = [str(c.get("name") or c["id"]) for c in companies]
    if len(set(names)) < len(names):
        names = [str(c["id"]) for c in companies]
    values = [float(c.get("peak_import_kw") or 0.0) for c in companies]
    peaks = sorted(zip(names, values, strict=True), key=lambda x: -x[1])
    out = dict(peaks[:PEAKS_SHOWN])
    rest = peaks[PEAKS_SHOWN:]
    if rest:
        out[_t(lang, f"overige {len(rest)} bedrijven", f"other {len(rest)} companies")] = sum(
            v for _, v in rest
        )
    return out


def gantt_chart(phases: Sequence[Phase], lang: str = "nl") -> Chart:
    """A Gantt chart of the roadmap: one bar per action, coloured by phase."""
    import matplotlib.dates as mdates

    rows = [(ph, a) for ph in phases for a in ph.actions]
    height = 0.32 * len(rows) + 1.4
    fig = _figure(9.0, height)
    ax = fig.add_axes((0.42, 0.7 / height, 0.55, 1.0 - 1.0 / height))
    colors = ["#1f5fa8", "#f2a900", "#4caf50", "#7b3fa0", "#4c4c4c"]
    labels = []
    for i, (ph, a) in enumerate(rows):
        k = [p.key for p in phases].index(ph.key)
        start = mdates.date2num(a.start)
        ax.barh(i, mdates.date2num(a.end) - start, left=start, color=colors[k % len(colors)],
                height=0.6)  # fmt: skip
        label = a.label if len(a.label) <= 58 else a.label[:56] + "…"
        labels.append(label)
    ax.set_yticks(range(len(rows)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%Y"))
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    from matplotlib.patches import Patch

    # the phases run from top left to bottom right, so the upper right corner is free
    ax.legend(
        handles=[Patch(color=colors[i % len(colors)], label=p.label) for i, p in
                 enumerate(phases)],
        fontsize=7, loc="upper right", frameon=False,
    )  # fmt: skip
    title = _t(lang, "Planning (Gantt)", "Timeline (Gantt)")
    first, last = phases[0].start, phases[-1].end
    caption = title + f": {format_date(first, lang)} - {format_date(last, lang)}"
    return _fig_to_chart(fig, "gantt", title, caption)


def park_map(park: Any, lang: str = "nl") -> Chart | None:
    """The park on a map without tiles: SVG (maps.map_svg) for HTML/PDF, PNG for Word."""
    from parkplan.reports.maps import MapFeature, _rings, map_svg

    if park.location is None and not park.outline_geojson:
        return None
    lat = park.location.lat if park.location else None
    lon = park.location.lon if park.location else None
    rings = _rings(park.outline_geojson)
    if lat is None or lon is None:
        pts = [pt for ring in rings for pt in ring]
        lon = sum(p[0] for p in pts) / len(pts)
        lat = sum(p[1] for p in pts) / len(pts)
    title = _t(lang, f"Ligging van {park.name}", f"Location of {park.name}")
    feature = MapFeature(lat=lat, lon=lon, label=park.name, outline=park.outline_geojson)
    svg = map_svg([feature], width_px=640, height_px=360, title=title)
    svg = svg.replace(
        "</title>",
        "</title><style>.map-bg{fill:#eef3f7}.map-outline{fill:#cfe3c4;stroke:#2e7d32;"
        "stroke-width:2}.map-point{fill:#c62828}.map-label{font:14px sans-serif;fill:#222}"
        "</style>",
        1,
    )
    fig = _figure(6.4, 3.6)
    ax = fig.add_axes((0.12, 0.14, 0.84, 0.82))
    ax.set_facecolor("#eef3f7")
    kx = float(np.cos(np.radians(lat)))
    for ring in rings:
        xs = [p[0] for p in ring]
        ys = [p[1] for p in ring]
        ax.fill(xs, ys, facecolor="#cfe3c4", edgecolor="#2e7d32", linewidth=1.5)
    ax.plot([lon], [lat], "o", color="#c62828", markersize=8)
    ax.annotate(park.name, (lon, lat), xytext=(8, 4), textcoords="offset points", fontsize=9)
    span = 0.02
    if rings:
        pts = [pt for ring in rings for pt in ring]
        span = max(span, *(abs(p[0] - lon) for p in pts), *(abs(p[1] - lat) for p in pts))
    ax.set_xlim(lon - 1.6 * span, lon + 1.6 * span)
    ax.set_ylim(lat - 1.6 * span * kx * 0.6, lat + 1.6 * span * kx * 0.6)
    ax.set_aspect(1 / kx)
    ax.set_xlabel(_t(lang, "lengtegraad [°]", "longitude [°]"), fontsize=7)
    ax.set_ylabel(_t(lang, "breedtegraad [°]", "latitude [°]"), fontsize=7)
    ax.tick_params(labelsize=7)
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=PNG_DPI)
    caption = title + _t(lang, " (kaart zonder achtergrond; coördinaten WGS84)",
                         " (map without background; WGS84 coordinates)")  # fmt: skip
    return Chart("map", title, buf.getvalue(), svg, caption, width_cm=14.0)
