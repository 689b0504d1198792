"""Radar chart of the future-proof scorecard (one polygon per park, 0-100 per theme).

Drawn with matplotlib's object API on the Agg canvas (no GUI state), like
:mod:`parkplan.reports.charts`; a theme that was not assessed is drawn as a gap (its
axis label says "niet beoordeeld") so a missing theme never looks like a score of 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

PALETTE: tuple[str, ...] = ("#1f5fa8", "#f2a900", "#4caf50", "#c62828", "#7b3fa0", "#4c4c4c")


def plot_scorecard_radar(
    themes: Sequence[tuple[str, str]],
    scores: Mapping[str, Mapping[str, float | None]],
    path: Path | str,
    *,
    title: str | None = None,
    lang: str = "nl",
) -> Path:
    """Draw the scorecard of one or more parks as a radar chart.

    Parameters
    ----------
    themes : sequence of (key, label)
        The axes, in order.
    scores : mapping
        Park name -> theme key -> score (0-100, ``None`` when not assessed).
    path : path
        Output file; the suffix (``.png`` or ``.svg``) sets the format.
    title : str, optional
        Chart title.
    lang : str
        ``nl`` or ``en`` for the "not assessed" note.

    Returns
    -------
    Path
        The file written.
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    p = Path(path)
    fmt = p.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        from parkplan.domain.errors import ParkplanError

        raise ParkplanError(
            f"Grafiekbestand moet eindigen op .png of .svg (gevonden: '{p.name}').",
            f"Chart file must end in .png or .svg (found: '{p.name}').",
        )
    n = len(themes)
    angles = [2 * math.pi * k / n for k in range(n)]
    fig = Figure(figsize=(6.5, 6.5), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    ax: Any = fig.add_subplot(projection="polar")
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    missing_note = "niet beoordeeld" if lang == "nl" else "not assessed"
    labels = []
    for key, label in themes:
        absent = all(s.get(key) is None for s in scores.values())
        labels.append(f"{label}\n({missing_note})" if absent else label)
    ax.set_xticks(angles, labels)
    ax.set_ylim(0, 100)
    ax.set_yticks([20, 40, 60, 80, 100], ["20", "40", "60", "80", "100"], fontsize=8)
    for k, (park, by_theme) in enumerate(scores.items()):
        color = PALETTE[k % len(PALETTE)]
        values = [by_theme.get(key) for key, _ in themes]
        # draw the assessed points; connect neighbours only when both are assessed
        for j in range(n):
            a, b = values[j], values[(j + 1) % n]
            if a is not None and b is not None:
                ax.plot(
                    [angles[j], angles[(j + 1) % n] if j + 1 < n else 2 * math.pi],
                    [a, b],
                    color=color,
                    linewidth=2,
                )
        xs = [angles[j] for j in range(n) if values[j] is not None]
        ys = [v for v in values if v is not None]
        ax.scatter(xs, ys, color=color, s=25, label=park, zorder=3)
        if all(v is not None for v in values):
            ax.fill([*angles, angles[0]], [*values, values[0]], color=color, alpha=0.12)
    ax.legend(loc="upper right", bbox_to_anchor=(1.15, 1.12), fontsize=8)
    if title:
        fig.suptitle(title)
    p.parent.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "parkplan"}):
        fig.savefig(p, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return p
