"""The Word file of a plan: real headings, tables, images, header and footer; narrative text
stored with the park appears with its {{ figures }} filled in from the results."""

from __future__ import annotations

import pytest

from parkplan.plan.model import Chart, format_value


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory, plan_helpers) -> str:
    from parkplan.store.db import dispose_engines

    yield plan_helpers.prepared_database(tmp_path_factory.mktemp("docx"), illustrative=True)
    dispose_engines()


def _read(path):
    import docx

    return docx.Document(str(path))


def test_docx_has_headings_tables_images_and_page_furniture(url, tmp_path, plan_helpers) -> None:
    from parkplan.reports.docx import write_docx

    doc = plan_helpers.build(url)
    d = _read(write_docx(doc, tmp_path / "plan.docx"))
    headings = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert headings == [c.title for c in doc.chapters]
    assert [p.text for p in d.paragraphs if p.style.name == "TOC Heading"] == ["Inhoud"]
    charts = [b for c in doc.all_chapters() for b in c.blocks if isinstance(b, Chart)]
    assert len(charts) >= 4  # map, CO2 per sector, simulation charts, Gantt
    assert len(d.inline_shapes) == len(charts)
    n_tables = sum(1 for c in doc.all_chapters() for b in c.blocks if type(b).__name__ == "Table")
    n_keyfigures = sum(
        1 for c in doc.all_chapters() for b in c.blocks if type(b).__name__ == "KeyFigures"
    )
    assert len(d.tables) == n_tables + n_keyfigures + 1  # + the signature table on the cover
    section = d.sections[0]
    assert "Illustratief: demopark met synthetische cijfers" in section.footer.paragraphs[0].text
    assert doc.park_name in section.header.paragraphs[0].text
    footer_xml = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml


def test_stored_narrative_is_merged_with_generated_figures(url, tmp_path, plan_helpers) -> None:
    from parkplan.reports.docx import write_docx
    from parkplan.services.plan import narratives, save_narrative
    from parkplan.store.db import session_scope

    text = "Het park stoot **{{ co2_t }} ton** CO2 uit; {{ bestaat_niet }}.\n\n- eerste punt"
    with session_scope(url) as session:
        save_narrative(session, "voorbeeldpark", "baseline", text, author="test")
        assert narratives(session, "voorbeeldpark")["baseline"].stored
    doc = plan_helpers.build(url)
    d = _read(write_docx(doc, tmp_path / "plan.docx"))
    co2 = format_value(doc.chapters[3].blocks[1].items[3].value, 0)  # baseline key figure
    paragraphs = [p for p in d.paragraphs if "stoot" in p.text]
    assert paragraphs[0].text == f"Het park stoot {co2} ton CO2 uit; [onbekend: bestaat_niet]."
    assert any(r.bold and r.text == f"{co2} ton" for r in paragraphs[0].runs)
    assert any(p.text == "eerste punt" and p.style.name == "List Bullet" for p in d.paragraphs)


def test_unknown_section_is_refused(url) -> None:
    from parkplan.domain.errors import ParkplanError
    from parkplan.services.plan import save_narrative
    from parkplan.store.db import session_scope

    with session_scope(url) as session, pytest.raises(ParkplanError) as info:
        save_narrative(session, "voorbeeldpark", "nope", "tekst")
    assert info.value.message("nl").startswith("Onbekende sectie 'nope'")
    assert "baseline" in info.value.message("en")
