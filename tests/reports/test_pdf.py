"""The PDF of a plan contains every chapter and renders: pages turned into images
(pdftoppm from poppler-utils; skipped locally when missing, failed in CI)."""

from __future__ import annotations

import shutil
import subprocess

import pytest


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory, plan_helpers) -> str:
    from parkplan.store.db import dispose_engines

    yield plan_helpers.prepared_database(tmp_path_factory.mktemp("pdf"), illustrative=True)
    dispose_engines()


@pytest.fixture(scope="module")
def pdf(url: str, tmp_path_factory: pytest.TempPathFactory, plan_helpers):
    from parkplan.reports.pdf import write_pdf

    doc = plan_helpers.build(url)
    path = write_pdf(doc, tmp_path_factory.mktemp("pdf-out") / "plan.pdf")
    return doc, path


def _pages_text(path, helpers) -> list[str]:
    exe = shutil.which("pdftotext")
    if exe is None:
        helpers.require_pdftoppm()  # same package: skip or fail with the same message
    out = subprocess.run([exe, "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


def test_pdf_pages_render_and_are_not_blank(pdf, tmp_path, plan_helpers) -> None:
    import numpy as np
    from PIL import Image

    doc, path = pdf
    exe = plan_helpers.require_pdftoppm()
    subprocess.run([exe, "-r", "30", "-png", str(path), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    # cover + contents + one page or more per chapter (each chapter starts a page)
    assert len(pages) >= 2 + len(doc.chapters)
    for page in pages:
        pixels = np.asarray(Image.open(page).convert("L"))
        assert (pixels < 200).mean() > 0.003, f"{page.name} looks blank"


def test_pdf_contains_every_chapter_and_the_contents(pdf, plan_helpers) -> None:
    doc, path = pdf
    pages = _pages_text(path, plan_helpers)
    text = "\n".join(pages)
    for chapter in doc.chapters:
        assert chapter.title in text, chapter.title
    assert "Inhoud" in pages[1]
    # the table of contents gives each chapter's page number, and it is right
    for chapter in doc.chapters[:5]:
        line = next(line for line in pages[1].splitlines() if chapter.title in line)
        number = int(line.rstrip().rsplit(" ", 1)[-1].strip("."))
        assert chapter.title in pages[number - 1]


def test_illustrative_park_says_so_on_cover_and_every_page(pdf, plan_helpers) -> None:
    _doc, path = pdf
    pages = _pages_text(path, plan_helpers)
    assert "ILLUSTRATIEF" in pages[0]
    for i, page in enumerate(pages, start=1):
        assert "Illustratief: demopark met synthetische cijfers" in page, i
        assert f"Pagina {i} van {len(pages)}" in page, i


def test_pdf_in_english(url, tmp_path, plan_helpers) -> None:
    from parkplan.reports.pdf import write_pdf

    doc = plan_helpers.build(url, "plan-van-aanpak", "en")
    path = write_pdf(doc, tmp_path / "poa.pdf")
    pages = _pages_text(path, plan_helpers)
    text = "\n".join(pages)
    assert "Plan of action" in pages[0]
    assert "Budget and co-financing" in text
    assert f"Page 1 of {len(pages)}" in pages[0]
