"""PDF of a plan with WeasyPrint: cover, table of contents with page numbers, running header
and footer (the footer says "illustratief" for demo parks on every page), charts and map.

WeasyPrint needs Pango from the system (Debian: libpango-1.0-0, libpangoft2-1.0-0) and a
font (fonts-dejavu-core); see .ci/run.
"""

from __future__ import annotations

import logging
from pathlib import Path

from parkplan.plan.model import Document
from parkplan.reports.html import render_html


def pdf_bytes(document: Document) -> bytes:
    """The plan as PDF bytes."""
    from weasyprint import HTML

    # WeasyPrint logs every unsupported CSS property as a warning; keep the console quiet.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = render_html(document, standalone=True, for_print=True)
    return bytes(HTML(string=html, base_url=".").write_pdf())


def write_pdf(document: Document, path: str | Path) -> Path:
    """Write the plan as a PDF file."""
    p = Path(path)
    p.write_bytes(pdf_bytes(document))
    return p
