"""Small inline SVG bar charts for pages (no JavaScript, no external files, accessible).

Figures come from stored results; this module only draws them. Each chart carries a
``<title>`` and an ``aria-label`` and the same numbers are always shown in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from parkplan.web.i18n import format_number

PALETTE = ("#1f5f8b", "#c0581c", "#2e7d32", "#6a3d9a", "#8c6d1f", "#444444")
"""Bar colours with at least 4.5:1 contrast on white (WCAG AA for graphics and text)."""


def bar_chart_svg(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    unit: str,
    *,
    lang: str = "nl",
    decimals: int = 0,
    width: int = 420,
) -> str:
    """Horizontal bars, one per label, with the value written beside each bar.

    The margins leave room for a 20-character label on the left and a value such as
    ``-3.080.505 EUR`` on the right, so neither is cut off at the edge of the drawing.
    """
    row_h, pad_left, pad_right, top = 26, 160, 120, 28
    height = top + row_h * len(labels) + 8
    finite = [abs(v) for v in values if v is not None]
    vmax = max(finite) if finite and max(finite) > 0 else 1.0
    inner = width - pad_left - pad_right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
        'class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * row_h
        short = label if len(label) <= 20 else label[:19] + "…"
        parts.append(
            f'<text x="{pad_left - 6}" y="{y + 15}" font-size="12" text-anchor="end">'
            f"{escape(short)}</text>"
        )
        if value is None:
            parts.append(f'<text x="{pad_left}" y="{y + 15}" font-size="12">–</text>')
            continue
        w = max(1.0, inner * abs(value) / vmax)
        colour = PALETTE[i % len(PALETTE)]
        parts.append(
            f'<rect x="{pad_left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="{colour}"/>'
        )
        if unit == "EUR":  # amounts as everywhere on the pages: € 1.234
            text = f"€ {format_number(value, decimals, lang)}"
        else:
            text = f"{format_number(value, decimals, lang)} {unit}".strip()
        parts.append(
            f'<text x="{pad_left + w + 4:.1f}" y="{y + 15}" font-size="12">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
