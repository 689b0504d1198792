"""HTML of a plan (Jinja2): a standalone page for the screen, and the print version that
:mod:`parkplan.reports.pdf` turns into a PDF (cover, table of contents, page numbers).

Numbers are formatted here, from the values in the document's tables, with
:func:`parkplan.plan.model.format_value`; narrative Markdown is rendered with markdown-it
(HTML in the text is escaped, not passed through).
"""

from __future__ import annotations

import base64
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
CHAR_EM = 0.66
"""Average width of a character of DejaVu Sans, in em (bold headers included)."""
WORD_CAP = 16
"""Longer words may break (hyphenation, or anywhere for identifiers)."""


def column_widths(table: Table, lang: str) -> list[float]:
    """Column widths in percent for a fixed table layout (WeasyPrint then skips the
    min/max-content pass over every cell, which is much faster).

    Estimated from character counts: every column gets its longest word (capped at
    :data:`WORD_CAP` characters) plus padding; what is left of the page goes to the columns
    in proportion to the square root of how much longer their longest cell is.
    """
    mins, extra = [], []
    for j, c in enumerate(table.columns):
        texts = [cell_text(r[j], c, lang) for r in table.rows[:200]]
        head = [len(w) + 2 for w in (c.header + (f" [{c.unit}]" if c.unit else "")).split()]
        word = max([len(w) for s in texts for w in s.split()] + head)
        longest = max([len(s) for s in texts] + head)
        mins.append(min(word, WORD_CAP) * CHAR_EM + 1.0)
        extra.append((max(longest - min(word, WORD_CAP), 0) * CHAR_EM) ** 0.5)
    spare = PAGE_WIDTH_EM - sum(mins)
    if spare <= 0 or sum(extra) <= 0:
        widths = mins
    else:
        widths = [m + spare * e / sum(extra) for m, e in zip(mins, extra, strict=True)]
    total = sum(widths)
    return [round(100.0 * w / total, 2) for w in widths]


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
