"""Tornado chart of a sensitivity analysis (matplotlib, Agg backend, Dutch labels)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from parkplan.economics.sensitivity import TornadoBar


def _eur(x: float) -> str:
    return f"€ {x:,.0f}".replace(",", ".")


def tornado_chart(
    bars: Sequence[TornadoBar],
    path: str | Path,
    *,
    title: str = "Gevoeligheid van de netto contante waarde",
    lang: str = "nl",
) -> Path:
    """Draw the bars around the base result and save the figure (PNG or SVG by suffix).

    Parameters
    ----------
    bars
        From :func:`parkplan.economics.sensitivity.tornado` (largest swing first).
    path
        Output file; the suffix decides the format.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    p = Path(path)
    known = [b for b in bars if b.result_low is not None and b.result_high is not None]
    base = next((b.base_result for b in bars if b.base_result is not None), 0.0) or 0.0
    fig, ax = plt.subplots(figsize=(7, 0.6 * max(len(known), 1) + 1.5))
    for k, b in enumerate(reversed(known)):
        lo, hi = float(b.result_low), float(b.result_high)  # type: ignore[arg-type]
        ax.barh(k, lo - base, left=base, color="#c0392b", height=0.6)
        ax.barh(k, hi - base, left=base, color="#27ae60", height=0.6)
    labels = [(b.label_nl if lang == "nl" else b.label_en) for b in reversed(known)]
    ax.set_yticks(range(len(known)), labels)
    ax.axvline(base, color="black", linewidth=1)
    ax.set_xlabel("Netto contante waarde (EUR)" if lang == "nl" else "Net present value (EUR)")
    ax.set_title(title)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: _eur(x)))
    ax.legend(
        handles=[
            matplotlib.patches.Patch(color="#c0392b", label="laag" if lang == "nl" else "low"),
            matplotlib.patches.Patch(color="#27ae60", label="hoog" if lang == "nl" else "high"),
        ],
        loc="best",
    )
    fig.tight_layout()
    p.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(p)
    plt.close(fig)
    return p
