"""Charts for people: one module that the CLI, the reports and the web app share.

Every chart is drawn with matplotlib's object API on the Agg canvas (no GUI, no global
pyplot state), with Dutch labels and a decimal comma, and saved as PNG and/or SVG (SVG text
stays text, so labels can be searched and translated). Two layers:

- ``plot_*`` functions take plain arrays and a path stem, so any face can reuse them;
- :func:`simulation_charts` draws the standard set for a
  :class:`parkplan.energy.simulate.SimulationResult` kept with ``keep_series=True``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

MONTHS_NL: tuple[str, ...] = (
    "jan",
    "feb",
    "mrt",
    "apr",
    "mei",
    "jun",
    "jul",
    "aug",
    "sep",
    "okt",
    "nov",
    "dec",
)
FORMATS: tuple[str, ...] = ("png", "svg")
COLORS = {
    "demand": "#4c4c4c",
    "pv": "#f2a900",
    "import": "#1f5fa8",
    "export": "#4caf50",
    "curtailed": "#c62828",
    "limit": "#c62828",
    "battery": "#7b3fa0",
}


def format_number(value: Any, decimals: int = 0) -> str:
    """A number the Dutch way: ``1.234.567,8`` (thousands dot, decimal comma)."""
    if value is None:
        return "-"
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not np.isfinite(x):
        return "-"
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _figure(width_in: float = 9.0, height_in: float = 4.5) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _tick(value: float) -> str:
    for decimals in (0, 1, 2):
        if abs(value * 10**decimals - round(value * 10**decimals)) < 1e-6:
            return format_number(value, decimals)
    return format_number(value, 3)


def _label(value: float) -> str:
    return format_number(value, 1 if abs(value) < 100 else 0)


def _nl_axis(ax: Any, axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _pos: _tick(v))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _save(fig: Any, stem: Path, formats: Sequence[str]) -> list[Path]:
    import matplotlib

    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "parkplan"}):
        for fmt in formats:
            path = stem.with_suffix(f".{fmt}")
            fig.savefig(path, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
            out.append(path)
    return out


def plot_monthly_balance(
    monthly_kwh: Mapping[str, NDArray[np.float64]],
    stem: Path | str,
    *,
    title: str = "Energiebalans per maand",
    formats: Sequence[str] = FORMATS,
) -> list[Path]:
    """Grouped bars per month.

    Parameters
    ----------
    monthly_kwh : mapping
        Series name (Dutch label) -> 12 monthly totals. [kWh]
    stem : path
        Output path without suffix.
    """
    fig = _figure()
    ax = fig.add_subplot()
    names = list(monthly_kwh)
    width = 0.8 / max(len(names), 1)
    x = np.arange(12)
    palette = list(COLORS.values())
    for k, name in enumerate(names):
        ax.bar(
            x + (k - (len(names) - 1) / 2) * width,
            np.asarray(monthly_kwh[name]) / 1000.0,
            width,
            label=name,
            color=palette[k % len(palette)],
        )
    ax.set_xticks(x, MONTHS_NL)
    ax.set_ylabel("Energie [MWh]")
    ax.set_title(title)
    _nl_axis(ax)
    ax.legend(
        ncols=min(len(names), 4),
        fontsize="small",
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08),
        frameon=False,
    )
    ax.grid(axis="y", alpha=0.3)
    return _save(fig, Path(stem), formats)


def plot_load_duration(
    curves_kw: Mapping[str, NDArray[np.float64]],
    stem: Path | str,
    *,
    interval_h: float,
    limits_kw: Mapping[str, float] | None = None,
    title: str = "Belastingduurkromme",
    formats: Sequence[str] = FORMATS,
) -> list[Path]:
    """Load-duration curves: each series sorted from high to low against hours of the year.

    Parameters
    ----------
    curves_kw : mapping
        Label -> power per interval (negative = feed-in). [kW]
    interval_h : float
        Interval length. [h]
    limits_kw : mapping, optional
        Label -> horizontal line (e.g. available capacity). [kW]
    """
    fig = _figure()
    ax = fig.add_subplot()
    palette = [COLORS["import"], COLORS["demand"], COLORS["pv"], COLORS["battery"]]
    for k, (name, series) in enumerate(curves_kw.items()):
        s = np.sort(np.asarray(series))[::-1]
        ax.plot(np.arange(len(s)) * interval_h, s, label=name, color=palette[k % len(palette)])
    styles = ["--", ":", "-."]
    for k, (name, value) in enumerate((limits_kw or {}).items()):
        ax.axhline(
            value, color=COLORS["limit"], linestyle=styles[k % len(styles)], linewidth=1, label=name
        )
    ax.axhline(0, color="black", linewidth=0.5)
    ax.set_xlabel("Uren van het jaar [h]")
    ax.set_ylabel("Vermogen [kW]")
    ax.set_title(title)
    _nl_axis(ax, "x")
    _nl_axis(ax, "y")
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return _save(fig, Path(stem), formats)


def plot_weeks(
    index: pd.DatetimeIndex,
    series_kw: Mapping[str, NDArray[np.float64]],
    stem: Path | str,
    *,
    weeks: Mapping[str, pd.Timestamp],
    title: str = "Een zomer- en een winterweek",
    formats: Sequence[str] = FORMATS,
) -> list[Path]:
    """Power over one week per panel (e.g. a summer and a winter week).

    Parameters
    ----------
    index : DatetimeIndex
        Interval starts (tz-aware).
    series_kw : mapping
        Label -> power per interval. [kW]
    weeks : mapping
        Panel title -> first day of the week (local date).
    """
    import matplotlib.dates as mdates

    fig = _figure(9.0, 3.2 * len(weeks))
    axes = fig.subplots(len(weeks), 1, squeeze=False)[:, 0]
    local = index.tz_convert("Europe/Amsterdam")
    colors = [COLORS["demand"], COLORS["pv"], COLORS["import"], COLORS["export"]]
    for ax, (panel, start) in zip(axes, weeks.items(), strict=True):
        t0 = pd.Timestamp(start)
        t0 = t0.tz_localize("Europe/Amsterdam") if t0.tz is None else t0
        sel = (local >= t0) & (local < t0 + pd.Timedelta(days=7))
        x = local[sel].tz_localize(None)
        for k, (name, s) in enumerate(series_kw.items()):
            ax.plot(x, np.asarray(s)[sel], label=name, color=colors[k % len(colors)], lw=1)
        ax.set_title(panel)
        ax.set_ylabel("Vermogen [kW]")
        _nl_axis(ax)
        ax.xaxis.set_major_locator(mdates.DayLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d-%m"))
        ax.grid(alpha=0.3)
    axes[-1].legend(
        fontsize="small",
        ncols=len(series_kw),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        frameon=False,
    )
    fig.suptitle(title)
    return _save(fig, Path(stem), formats)


def plot_peaks(
    individual_kw: Mapping[str, float],
    coincident_kw: float,
    stem: Path | str,
    *,
    available_kw: float | None = None,
    title: str = "Eigen pieken en gezamenlijke piek",
    formats: Sequence[str] = FORMATS,
) -> list[Path]:
    """Sum of the individual peaks (stacked per company) next to the coincident peak.

    Parameters
    ----------
    individual_kw : mapping
        Company -> own highest offtake. [kW]
    coincident_kw : float
        Highest offtake of all together. [kW]
    available_kw : float, optional
        What the operator can offer the park. [kW]
    """
    fig = _figure(7.0, 4.5)
    ax = fig.add_subplot()
    bottom = 0.0
    cmap = [COLORS["import"], COLORS["pv"], COLORS["export"], COLORS["battery"], COLORS["demand"]]
    items = sorted(individual_kw.items(), key=lambda kv: -kv[1])
    shown = items[:12]
    rest = sum(v for _, v in items[12:])
    for k, (name, v) in enumerate(shown):
        ax.bar(0, v, bottom=bottom, color=cmap[k % len(cmap)], edgecolor="white", label=name)
        bottom += v
    if rest:
        ax.bar(0, rest, bottom=bottom, color="#bbbbbb", edgecolor="white", label="overige")
        bottom += rest
    ax.bar(1, coincident_kw, color=COLORS["demand"])
    ax.text(0, bottom, _label(bottom), ha="center", va="bottom")
    ax.text(1, coincident_kw, _label(coincident_kw), ha="center", va="bottom")
    if available_kw:
        ax.axhline(available_kw, color=COLORS["limit"], ls="--", label="beschikbaar vermogen")
    ax.set_xticks([0, 1], ["Som van de eigen pieken", "Gezamenlijke piek"])
    ax.set_ylabel("Vermogen [kW]")
    ax.set_title(title)
    _nl_axis(ax)
    ax.legend(fontsize="x-small", loc="upper right")
    ax.grid(axis="y", alpha=0.3)
    return _save(fig, Path(stem), formats)


# --------------------------------------------------------------------------------------------
# The standard set for a simulation
# --------------------------------------------------------------------------------------------


def _monthly(index: pd.DatetimeIndex, series: NDArray[np.float64]) -> NDArray[np.float64]:
    month = np.asarray(index.tz_convert("Europe/Amsterdam").month) - 1
    return np.bincount(month, weights=series, minlength=12)[:12]


def _week_starts(index: pd.DatetimeIndex) -> dict[str, pd.Timestamp]:
    local = index.tz_convert("Europe/Amsterdam")
    year = int(local[len(local) // 2].year)
    summer = pd.Timestamp(year=year, month=6, day=21)
    winter = pd.Timestamp(year=year, month=1, day=15)
    # start on the Monday of those weeks
    summer -= pd.Timedelta(days=summer.day_of_week)
    winter -= pd.Timedelta(days=winter.day_of_week)
    return {
        f"Zomerweek vanaf {summer:%d-%m-%Y}": summer,
        f"Winterweek vanaf {winter:%d-%m-%Y}": winter,
    }


def simulation_charts(
    result: Any, out_dir: Path | str, formats: Sequence[str] = FORMATS
) -> list[Path]:
    """The four standard charts of a simulation (series must have been kept).

    Writes ``energiebalans-per-maand``, ``belastingduurkromme``, ``zomer-en-winterweek`` and
    ``pieken`` as PNG and SVG into ``out_dir``; returns the paths.
    """
    from parkplan.domain.errors import ParkplanError

    if result.demand_kwh is None or result.pv_kwh is None or result.park_net_kwh is None:
        raise ParkplanError(
            "Voor grafieken zijn de tijdreeksen nodig (simuleer met keep_series=True).",
            "Charts need the series (simulate with keep_series=True).",
        )
    out = Path(out_dir)
    idx = result.index
    dt = result.interval_h
    demand = result.demand_kwh.sum(axis=0)
    pv = result.pv_kwh.sum(axis=0)
    net = result.park_net_kwh
    imp = np.maximum(net, 0.0)
    exp_ = np.maximum(-net, 0.0)
    est = " (schatting)" if result.park.estimated else ""
    paths: list[Path] = []
    paths += plot_monthly_balance(
        {
            "Vraag": _monthly(idx, demand),
            "Zonnestroom": _monthly(idx, pv),
            "Afname van het net": _monthly(idx, imp),
            "Teruglevering": _monthly(idx, exp_),
        },
        out / "energiebalans-per-maand",
        title=f"Energiebalans per maand{est}",
        formats=formats,
    )
    limits = {}
    if result.park.available_import_kw:
        limits["beschikbaar vermogen afname"] = float(result.park.available_import_kw)
    if result.park.available_export_kw:
        limits["beschikbaar vermogen teruglevering"] = -float(result.park.available_export_kw)
    paths += plot_load_duration(
        {"Netto afname park (negatief: teruglevering)": net / dt, "Vraag park": demand / dt},
        out / "belastingduurkromme",
        interval_h=dt,
        limits_kw=limits,
        title=f"Belastingduurkromme{est}",
        formats=formats,
    )
    paths += plot_weeks(
        idx,
        {
            "Vraag": demand / dt,
            "Zonnestroom": pv / dt,
            "Afname": imp / dt,
            "Teruglevering": exp_ / dt,
        },
        out / "zomer-en-winterweek",
        weeks=_week_starts(idx),
        title=f"Een zomer- en een winterweek{est}",
        formats=formats,
    )
    paths += plot_peaks(
        {c.id: c.peak_import_kw for c in result.companies},
        result.park.coincident_peak_kw,
        out / "pieken",
        available_kw=result.park.available_import_kw,
        title=f"Eigen pieken en gezamenlijke piek{est}",
        formats=formats,
    )
    return paths
