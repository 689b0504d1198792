"""The HTML of a plan: every chapter, self-contained, escaped narrative, notices for the
analyses not run yet, and Markdown with the same tables."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory, plan_helpers) -> str:
    from parkplan.store.db import dispose_engines

    yield plan_helpers.prepared_database(tmp_path_factory.mktemp("html"), illustrative=False)
    dispose_engines()


@pytest.fixture(scope="module")
def doc(url, plan_helpers):
    return plan_helpers.build(url)


def test_html_has_every_chapter_and_no_external_resources(doc) -> None:
    from parkplan.reports.html import render_html

    html = render_html(doc)
    for chapter in doc.chapters:
        assert f'id="ch-{chapter.key}"' in html
        assert f'href="#ch-{chapter.key}"' in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith(("data:", "#")) for s in sources)
    assert "ILLUSTRATIEF" not in html  # this park is not a demo park
    assert "Concept" in html


def test_missing_analyses_say_so_instead_of_numbers(doc) -> None:
    from parkplan.reports.html import render_html

    html = render_html(doc)
    notices = re.findall(r'data-kind="not_run">(.*?)</div>', html, flags=re.S)
    text = " ".join(notices)
    assert "Businesscases is nog niet uitgevoerd" in text
    assert "Optimale configuratie is nog niet uitgevoerd" in text
    assert 'data-key="company_cases"' not in html


def test_narrative_html_is_escaped() -> None:
    from parkplan.reports.html import markdown_to_html

    out = markdown_to_html("**vet** <script>alert(1)</script>")
    assert "<strong>vet</strong>" in out
    assert "<script>" not in out


def test_markdown_has_the_same_tables(doc, tmp_path) -> None:
    from parkplan.reports.markdown import write_markdown

    path = write_markdown(doc, tmp_path / "plan.md")
    text = path.read_text(encoding="utf-8")
    for chapter in doc.chapters:
        assert f"## {chapter.title}" in text
    assert "**CO2-uitstoot per bron**" in text
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert images and all((tmp_path / i).is_file() for i in images)


def test_english_plan(url, plan_helpers) -> None:
    from parkplan.reports.html import render_html

    html = render_html(plan_helpers.build(url, "uitvoeringsplan", "en"))
    assert '<html lang="en">' in html
    assert "Implementation plan" in html and "Baseline" in html
    assert "Draft" in html


def test_plan_reads_the_quick_scan_in_its_language(url) -> None:
    from parkplan.services.plan import stored_inputs
    from parkplan.store.db import session_scope

    with session_scope(url) as session:
        en = stored_inputs(session, "voorbeeldpark", "en")["quickscan"]
        nl = stored_inputs(session, "voorbeeldpark", "nl")["quickscan"]
    assert (en.key, en.payload["lang"]) == ("en", "en")
    assert (nl.key, nl.payload["lang"]) == ("", "nl")
