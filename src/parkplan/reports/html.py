"""HTML of a plan (Jinja2): a standalone page for the screen, and the print version that
:mod:`parkplan.reports.pdf` turns into a PDF (cover, table of contents, page numbers).

Numbers are formatted here, from the values in the document's tables, with
:func:`parkplan.plan.model.format_value`; narrative Markdown is rendered with markdown-it
(HTML in the text is escaped, not passed through).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from parkplan.plan.model import (
    Chart,
    Column,
    Document,
    KeyFigures,
    Narrative,
    Notice,
    Paragraph,
    Table,
    format_date,
    format_value,
)


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown_to_html(text: str) -> str:
    """Markdown (CommonMark + tables) to HTML; raw HTML in the text is escaped."""
    return str(_markdown().render(text))


@lru_cache(maxsize=1)
def _env() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("parkplan.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = markdown_to_html
    return env


def cell_text(value: Any, column: Column, lang: str) -> str:
    """A table cell as text: numbers formatted (ints without decimals), text as is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_value(value, 0, lang)
    return format_value(value, column.decimals, lang)


PAGE_WIDTH_EM = 55.0
"""Text width of an A4 page with the print margins, in em of the table font (about)."""
WIDE_FONT_RATIO = 9.0 / 8.0
"""Table font of a normal table over that of a wide one (plan.css: 9pt and 8pt)."""
WIDE_COLUMNS = 6
"""Tables with more columns than this are printed in the smaller font (class ``wide``)."""
CHAR_EM = 0.66
"""Average width of a character of DejaVu Sans, in em (bold headers included)."""
CELL_PADDING_EM = 1.0
"""Left plus right padding of a cell, with a little slack, in em."""
WORD_CAP = 16
"""Longer words may break (hyphenation, or anywhere for identifiers)."""
COMPACT_MAX_CHARS = 16
"""Dates and amounts up to this many characters are never wrapped."""

_COMPACT = re.compile(
    r"(?:[€$]\s?)?[-+\u2212]?\d[\d.,:/\-\u2013]*(?:\s?(?:%|EUR|€))?"
    r"|-|\u2013|n\.t\.b\.|t\.b\.d\.|"
)
"""A cell that must stay on one line: a date, a number or amount, or a placeholder."""


@dataclass(frozen=True)
class ColumnLayout:
    """How a table is laid out in print: column widths and which cells never wrap."""

    widths_pct: list[float]
    """Width of every column. [%]"""
    nowrap: list[bool]
    """Per column: its cells stay on one line (dates, numbers, amounts)."""


def _is_compact_column(texts: list[str], column: Column) -> bool:
    if column.align == "right":
        return True
    cells = [t.strip() for t in texts]
    return (
        any(any(ch.isdigit() for ch in t) for t in cells)
        and all(len(t) <= COMPACT_MAX_CHARS for t in cells)
        and all(_COMPACT.fullmatch(t) for t in cells)
    )


def column_layout(table: Table, lang: str) -> ColumnLayout:
    """Column widths in percent for a fixed table layout (WeasyPrint then skips the
    min/max-content pass over every cell, which is much faster), and the columns whose
    cells never wrap.

    Columns of dates, numbers and amounts (right-aligned, or every cell a date, number or
    placeholder such as ``n.t.b.``) get the width of their longest cell, so ``29-11-2026``
    never breaks. Text columns get their longest word (capped at :data:`WORD_CAP`
    characters) plus padding, and share what is left of the page in proportion to the
    square root of how much longer their longest cell is.
    """
    page_em = PAGE_WIDTH_EM * (WIDE_FONT_RATIO if len(table.columns) > WIDE_COLUMNS else 1.0)
    mins, extra, nowrap = [], [], []
    for j, c in enumerate(table.columns):
        texts = [cell_text(r[j], c, lang) for r in table.rows[:200]]
        if table.total_row is not None and table.total_row[j] is not None:
            texts.append(cell_text(table.total_row[j], c, lang))
        head = [len(w) + 2 for w in (c.header + (f" [{c.unit}]" if c.unit else "")).split()]
        compact = _is_compact_column(texts, c)
        nowrap.append(compact)
        if compact:
            widest = max([len(s.strip()) for s in texts] + [min(h, WORD_CAP) for h in head])
            mins.append(widest * CHAR_EM + CELL_PADDING_EM)
            extra.append(0.0)
            continue
        word = max([len(w) for s in texts for w in s.split()] + head)
        longest = max([len(s) for s in texts] + head)
        mins.append(min(word, WORD_CAP) * CHAR_EM + CELL_PADDING_EM)
        extra.append((max(longest - min(word, WORD_CAP), 0) * CHAR_EM) ** 0.5)
    fixed = sum(m for m, n in zip(mins, nowrap, strict=True) if n)
    flexible = sum(m for m, n in zip(mins, nowrap, strict=True) if not n)
    spare = page_em - fixed - flexible
    if spare > 0 and sum(extra) > 0:
        widths = [m + spare * e / sum(extra) for m, e in zip(mins, extra, strict=True)]
    elif spare < 0 and flexible > 0 and page_em > fixed:
        # too narrow: the text columns give way (they wrap), the compact ones keep their width
        shrink = (page_em - fixed) / flexible
        widths = [m if n else m * shrink for m, n in zip(mins, nowrap, strict=True)]
    else:
        widths = mins
    total = sum(widths)
    return ColumnLayout([round(100.0 * w / total, 2) for w in widths], nowrap)


def column_widths(table: Table, lang: str) -> list[float]:
    """Column widths in percent for a fixed table layout (see :func:`column_layout`). [%]"""
    return column_layout(table, lang).widths_pct


def chart_src(chart: Chart, prefer_svg: bool = True) -> str:
    """A data URI of the chart (SVG when there is one and preferred, else PNG)."""
    if prefer_svg and chart.svg:
        data = base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
        return f"data:image/svg+xml;base64,{data}"
    return "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii")


def css_string(text: str) -> str:
    """Text as a CSS string literal (for page headers and footers)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def labels(lang: str) -> dict[str, str]:
    """Fixed texts of the templates."""
    nl = lang != "en"
    return {
        "contents": "Inhoud" if nl else "Contents",
        "page": "Pagina" if nl else "Page",
        "of": "van" if nl else "of",
        "issued": "Datum" if nl else "Date",
        "park": "Park",
        "municipality": "Gemeente" if nl else "Municipality",
        "source": "Bron" if nl else "Source",
        "not_edited": "Standaardtekst, nog niet aangepast voor dit park"
        if nl
        else "Default text, not yet edited for this park",
        "edited": "Tekst van het park" if nl else "Park text",
        "not_run": "Nog niet uitgevoerd" if nl else "Not run yet",
        "estimate": "Let op" if nl else "Note",
        "info": "Opmerking" if nl else "Remark",
        "illustrative_cover": (
            "ILLUSTRATIEF - dit is een demopark: bedrijven, namen en cijfers zijn synthetisch "
            "en beschrijven geen echte situatie."
            if nl
            else "ILLUSTRATIVE - this is a demo park: companies, names and figures are "
            "synthetic and describe no real situation."
        ),
        "generated": (
            "Gemaakt met parkplan. Alle getallen komen uit de analyses van de parkgegevens "
            "(bijlage A); niets is met de hand overgetypt."
            if nl
            else "Made with parkplan. Every number comes from the analyses of the park's data "
            "(appendix A); nothing was retyped by hand."
        ),
        "adopted": "Vastgesteld door het bestuur" if nl else "Adopted by the board",
        "signature": "Naam, datum en handtekening" if nl else "Name, date and signature",
    }


def context(document: Document, *, for_print: bool) -> dict[str, Any]:
    """The template context of a document."""
    lang = document.lang
    return {
        "doc": document,
        "lang": lang,
        "L": labels(lang),
        "for_print": for_print,
        "issued": format_date(document.issued, lang),
        "chapters": document.chapters,
        "header_text": css_string(f"{document.title} - {document.park_name}"),
        "footer_text": css_string(document.status_line),
        "cell": lambda v, c: cell_text(v, c, lang),
        "widths": lambda table: column_widths(table, lang),
        "layout": lambda table: column_layout(table, lang),
        "num": lambda v, d=0: format_value(v, d, lang),
        "chart_src": lambda ch: chart_src(ch, prefer_svg=True),
        "is_table": lambda b: isinstance(b, Table),
        "is_chart": lambda b: isinstance(b, Chart),
        "is_notice": lambda b: isinstance(b, Notice),
        "is_paragraph": lambda b: isinstance(b, Paragraph),
        "is_narrative": lambda b: isinstance(b, Narrative),
        "is_keyfigures": lambda b: isinstance(b, KeyFigures),
    }


def render_html(document: Document, *, standalone: bool = True, for_print: bool = False) -> str:
    """The plan as one HTML page (charts embedded as data URIs, no external resources)."""
    template = _env().get_template("plan.html")
    return str(template.render(**context(document, for_print=for_print), standalone=standalone))
