"""Word (.docx) of a plan with python-docx, so an advisor can carry on in Word.

Real Word headings (Heading 1/2, so Word's navigation and table of contents work), a
table-of-contents field that Word fills in on opening (F9 updates it), tables with a header
row that repeats on every page, charts as images, the status line ("illustratief" for demo
parks) and page numbers in every page's header and footer. Narrative Markdown becomes
paragraphs with bold and italic runs and bullet lists.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from parkplan.plan.model import (
    Chapter,
    Chart,
    Document,
    KeyFigures,
    Narrative,
    Notice,
    Paragraph,
    Table,
    format_date,
    format_value,
)
from parkplan.reports.html import cell_text, labels

BLUE = (0x1F, 0x4E, 0x79)
RED = (0x8E, 0x1B, 0x1B)
GREY = (0x5F, 0x6B, 0x7A)


def _rgb(c: tuple[int, int, int]) -> Any:
    from docx.shared import RGBColor

    return RGBColor(*c)


def _field(paragraph: Any, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC ...) in a paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    run._r.append(instr)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _shade(cell: Any, hex_color: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_color)
    props.append(shd)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    props.append(el)


def _inline(paragraph: Any, children: list[Any]) -> None:
    """Inline markdown-it tokens as runs (bold, italic, code)."""
    bold = italic = False
    for tok in children:
        if tok.type == "strong_open":
            bold = True
        elif tok.type == "strong_close":
            bold = False
        elif tok.type == "em_open":
            italic = True
        elif tok.type == "em_close":
            italic = False
        elif tok.type in ("text", "code_inline", "html_inline"):
            run = paragraph.add_run(tok.content)
            run.bold = bold or None
            run.italic = italic or None
        elif tok.type in ("softbreak", "hardbreak"):
            paragraph.add_run(" " if tok.type == "softbreak" else "\n")
        elif tok.type == "link_open":
            continue


def add_markdown(doc: Any, text: str, *, muted: bool = False) -> None:
    """Markdown (headings, paragraphs, lists, bold, italic) as Word paragraphs."""
    from parkplan.reports.html import _markdown

    tokens = _markdown().parse(text)
    list_style: list[str] = []
    heading: int | None = None
    for i, tok in enumerate(tokens):
        if tok.type == "bullet_list_open":
            list_style.append("List Bullet")
        elif tok.type == "ordered_list_open":
            list_style.append("List Number")
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_style.pop()
        elif tok.type == "heading_open":
            heading = min(int(tok.tag[1:]) + 1, 4)
        elif tok.type == "heading_close":
            heading = None
        elif tok.type == "inline":
            prev = tokens[i - 1].type if i else ""
            if heading is not None:
                p = doc.add_heading(level=heading)
            elif list_style and prev == "paragraph_open":
                p = doc.add_paragraph(style=list_style[-1])
            else:
                p = doc.add_paragraph()
            _inline(p, tok.children or [])
            if muted:
                for r in p.runs:
                    r.font.color.rgb = _rgb(GREY)


def _table(doc: Any, table: Table, lang: str) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    lab = labels(lang)
    cap = doc.add_paragraph()
    run = cap.add_run(table.title)
    run.bold = True
    run.font.color.rgb = _rgb(BLUE)
    cap.paragraph_format.keep_with_next = True
    rows = list(table.rows)
    n_rows = 1 + len(rows) + (1 if table.total_row else 0)
    t = doc.add_table(rows=n_rows, cols=len(table.columns))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = Pt(7.5 if len(table.columns) > 6 else 8.5)
    for j, c in enumerate(table.columns):
        cell = t.rows[0].cells[j]
        cell.text = ""
        r = cell.paragraphs[0].add_run(c.header + (f" [{c.unit}]" if c.unit else ""))
        r.bold = True
        r.font.size = size
        r.font.color.rgb = _rgb((0xFF, 0xFF, 0xFF))
        _shade(cell, "1F4E79")
        if c.align == "right":
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _repeat_header(t.rows[0])
    body = rows + ([table.total_row] if table.total_row else [])
    for i, row in enumerate(body, start=1):
        total = table.total_row is not None and i == len(body)
        for j, (v, c) in enumerate(zip(row, table.columns, strict=True)):
            cell = t.rows[i].cells[j]
            text = "" if (v is None and total) else cell_text(v, c, lang)
            r = cell.paragraphs[0].add_run(text)
            r.font.size = size
            r.bold = total or None
            if c.align == "right":
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if i % 2 == 0 and not total:
                _shade(cell, "F3F6F9")
    if table.source:
        p = doc.add_paragraph()
        r = p.add_run(f"{lab['source']}: {table.source}")
        r.italic = True
        r.font.size = Pt(7.5)
        r.font.color.rgb = _rgb(GREY)


def _chart(doc: Any, chart: Chart) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc.add_picture(io.BytesIO(chart.png), width=Cm(min(chart.width_cm, 16.0)))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = doc.add_paragraph()
    r = p.add_run(chart.caption or chart.title)
    r.italic = True
    r.font.size = Pt(8)
    r.font.color.rgb = _rgb(GREY)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _header_footer(section: Any, document: Document) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt

    lab = labels(document.lang)
    head = section.header.paragraphs[0]
    r = head.add_run(f"{document.title} - {document.park_name}")
    r.font.size = Pt(8)
    r.font.color.rgb = _rgb(GREY)
    foot = section.footer.paragraphs[0]
    foot.paragraph_format.tab_stops.add_tab_stop(Cm(16.5), WD_TAB_ALIGNMENT.RIGHT)
    r = foot.add_run(document.status_line)
    r.font.size = Pt(8)
    r.font.color.rgb = _rgb(RED if document.illustrative else GREY)
    foot.add_run(f"\t{lab['page']} ").font.size = Pt(8)
    _field(foot, "PAGE", "1")
    foot.add_run(f" {lab['of']} ").font.size = Pt(8)
    _field(foot, "NUMPAGES", "1")
    for run in foot.runs:
        run.font.size = Pt(8)


def docx_document(document: Document) -> Any:
    """The plan as a python-docx ``Document``."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt

    lang = document.lang
    lab = labels(lang)
    d = docx.Document()
    section = d.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.2)
    normal = d.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        d.styles[name].font.color.rgb = _rgb(BLUE)
    d.core_properties.title = f"{document.title} - {document.park_name}"
    d.core_properties.subject = document.subtitle
    d.core_properties.author = "parkplan"
    d.core_properties.keywords = document.status_line
    _header_footer(section, document)

    # cover
    for _ in range(4):
        d.add_paragraph()
    p = d.add_paragraph()
    r = p.add_run(document.subtitle.upper())
    r.bold = True
    r.font.color.rgb = _rgb((0x2E, 0x7D, 0x32))
    d.add_paragraph(document.title, style="Title")
    p = d.add_paragraph()
    r = p.add_run(document.park_name)
    r.font.size = Pt(20)
    meta = []
    if document.municipality:
        meta.append(f"{lab['municipality']}: {document.municipality}")
    meta.append(f"{lab['issued']}: {format_date(document.issued, lang)}")
    d.add_paragraph("\n".join(meta))
    if document.illustrative:
        p = d.add_paragraph()
        r = p.add_run(lab["illustrative_cover"])
        r.bold = True
        r.font.color.rgb = _rgb(RED)
    d.add_paragraph(document.status_line)
    sig = d.add_table(rows=2, cols=2)
    sig.style = "Table Grid"
    sig.rows[0].cells[0].text = lab["adopted"]
    sig.rows[1].cells[0].text = lab["signature"]
    p = d.add_paragraph()
    r = p.add_run(lab["generated"])
    r.font.size = Pt(8)
    r.font.color.rgb = _rgb(GREY)
    p.add_run().add_break(WD_BREAK.PAGE)

    # table of contents (Word fills it in; F9 updates)
    d.add_paragraph(lab["contents"], style="TOC Heading")
    toc = d.add_paragraph()
    hint = (
        "(Klik met rechts en kies 'Veld bijwerken' voor paginanummers.)"
        if lang == "nl"
        else "(Right-click and choose 'Update field' for page numbers.)"
    )
    titles = "\n".join(ch.title for ch in document.chapters)
    _field(toc, 'TOC \\o "1-2" \\h \\z \\u', f"{titles}\n{hint}")
    toc.add_run().add_break(WD_BREAK.PAGE)

    def chapter(ch: Chapter, level: int, first: bool) -> None:
        if level == 1 and not first:
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        d.add_heading(ch.title, level=level)
        for b in ch.blocks:
            if isinstance(b, Narrative):
                if not b.stored:
                    note = d.add_paragraph()
                    rr = note.add_run(lab["not_edited"].upper())
                    rr.font.size = Pt(7)
                    rr.font.color.rgb = _rgb((0xA0, 0x70, 0x00))
                add_markdown(d, b.markdown, muted=not b.stored)
            elif isinstance(b, Paragraph):
                add_markdown(d, b.markdown)
            elif isinstance(b, Notice):
                if b.text:
                    p = d.add_paragraph()
                    rr = p.add_run(f"{lab.get(b.kind, '')}: ")
                    rr.bold = True
                    p.add_run(b.text)
                    _shade_paragraph(p, "FFF4E0" if b.kind == "not_run" else "EEF3F7")
            elif isinstance(b, KeyFigures):
                t = d.add_table(rows=2, cols=len(b.items))
                for j, k in enumerate(b.items):
                    c0 = t.rows[0].cells[j]
                    rr = c0.paragraphs[0].add_run(
                        f"{format_value(k.value, k.decimals, lang)} {k.unit}".strip()
                    )
                    rr.bold = True
                    rr.font.size = Pt(14)
                    rr.font.color.rgb = _rgb(BLUE)
                    t.rows[1].cells[j].text = k.label
                    _shade(c0, "F3F6F9")
                    _shade(t.rows[1].cells[j], "F3F6F9")
                d.add_paragraph()
            elif isinstance(b, Table):
                _table(d, b, lang)
            elif isinstance(b, Chart):
                _chart(d, b)
        for c in ch.children:
            chapter(c, min(level + 1, 3), False)

    for i, ch in enumerate(document.chapters):
        chapter(ch, 1, i == 0)
    return d


def _shade_paragraph(paragraph: Any, hex_color: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = paragraph._p.get_or_add_pPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_color)
    props.append(shd)


def write_docx(document: Document, path: str | Path) -> Path:
    """Write the plan as a Word file."""
    p = Path(path)
    docx_document(document).save(str(p))
    return p
