"""Markdown of a plan: chapters as headings, tables as pipe tables, charts as linked PNGs
written next to the file (``<name>-files/``)."""

from __future__ import annotations

from pathlib import Path

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


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table_markdown(table: Table, lang: str) -> str:
    """A pipe table with a caption line and the source."""
    lab = labels(lang)
    heads = [c.header + (f" [{c.unit}]" if c.unit else "") for c in table.columns]
    align = ["---:" if c.align == "right" else "---" for c in table.columns]
    lines = [f"**{table.title}**", "", "| " + " | ".join(map(_escape, heads)) + " |",
             "| " + " | ".join(align) + " |"]  # fmt: skip
    rows = list(table.rows) + ([table.total_row] if table.total_row else [])
    for row in rows:
        cells = [
            "" if v is None and row is table.total_row else cell_text(v, c, lang)
            for v, c in zip(row, table.columns, strict=True)
        ]
        lines.append("| " + " | ".join(_escape(x) for x in cells) + " |")
    if table.source:
        lines += ["", f"*{lab['source']}: {table.source}*"]
    return "\n".join(lines)


def document_markdown(document: Document, files_dir: Path | None = None) -> str:
    """The plan as Markdown; charts are written to ``files_dir`` when given."""
    lang = document.lang
    lab = labels(lang)
    out = [
        f"# {document.title}: {document.park_name}",
        "",
        f"*{document.subtitle}* · {lab['issued']}: {format_date(document.issued, lang)}",
        "",
    ]
    if document.illustrative:
        out += [f"> **{lab['illustrative_cover']}**", ""]
    out += [f"*{document.status_line}*", "", f"## {lab['contents']}", ""]
    out += [f"{i + 1}. {c.title}" for i, c in enumerate(document.chapters)]
    out.append("")

    def chapter(ch: Chapter, level: int) -> None:
        out.extend([f"{'#' * level} {ch.title}", ""])
        for b in ch.blocks:
            if isinstance(b, Narrative):
                if not b.stored:
                    out.append(f"<!-- {lab['not_edited']} -->")
                out.extend([b.markdown, ""])
            elif isinstance(b, Paragraph):
                out.extend([b.markdown, ""])
            elif isinstance(b, Notice):
                if b.text:
                    out.extend([f"> **{lab.get(b.kind, '')}:** {b.text}", ""])
            elif isinstance(b, KeyFigures):
                out.extend(
                    [f"- **{format_value(k.value, k.decimals, lang)} {k.unit}** {k.label}"
                     for k in b.items] + [""]
                )  # fmt: skip
            elif isinstance(b, Table):
                out.extend([table_markdown(b, lang), ""])
            elif isinstance(b, Chart):
                if files_dir is not None:
                    files_dir.mkdir(parents=True, exist_ok=True)
                    (files_dir / f"{b.key}.png").write_bytes(b.png)
                    out.extend([f"![{b.title}]({files_dir.name}/{b.key}.png)", ""])
                else:
                    out.extend([f"*[{b.caption or b.title}]*", ""])
        for c in ch.children:
            chapter(c, level + 1)

    for ch in document.chapters:
        chapter(ch, 2)
    out += ["---", f"*{document.status_line} · {lab['generated']}*", ""]
    return "\n".join(out)


def write_markdown(document: Document, path: str | Path) -> Path:
    """Write the plan as Markdown, charts as PNG files in ``<stem>-files/``."""
    p = Path(path)
    text = document_markdown(document, p.parent / f"{p.stem}-files")
    p.write_text(text, encoding="utf-8")
    return p
