"""Print layout of plan tables: dates and amounts never wrap, text columns take the rest."""

from __future__ import annotations

from datetime import date

from parkplan.plan.model import Column, Table, format_date
from parkplan.reports.html import PAGE_WIDTH_EM, column_layout, render_html

ROADMAP = Table(
    "actions",
    "Acties",
    (
        Column("Fase"),
        Column("Actie"),
        Column("Start"),
        Column("Einde"),
        Column("Budget", "EUR", 0, "right"),
        Column("Financiering"),
    ),
    tuple(
        (
            "Voorbereiding en organisatie",
            "Uitvoeringsplan vaststellen in de ledenvergadering van de vereniging",
            format_date(date(2026, 11, 29)),
            format_date(date(2027, 5, 28)),
            "n.t.b." if i % 2 else 1_250_000,
            "nog vast te stellen",
        )
        for i in range(4)
    ),
)


def test_date_and_amount_columns_never_wrap_and_fit_their_longest_cell():
    lay = column_layout(ROADMAP, "nl")
    assert lay.nowrap == [False, False, True, True, True, False]
    assert abs(sum(lay.widths_pct) - 100.0) < 0.05
    # "29-11-2026" (10 characters) and "1.250.000" get at least their own width
    char_pct = 100.0 * 0.6 / PAGE_WIDTH_EM
    assert lay.widths_pct[2] >= 10 * char_pct and lay.widths_pct[3] >= 10 * char_pct
    assert lay.widths_pct[4] >= 9 * char_pct
    # the long text column gets most of what is left
    assert lay.widths_pct[1] == max(lay.widths_pct)


def test_text_columns_give_way_when_the_table_is_too_wide():
    many = Table(
        "wide",
        "Breed",
        (*tuple(Column(f"Tekst{i}") for i in range(6)), Column("Datum"), Column("Eind")),
        (
            (
                *tuple("ondernemersvereniging en parkmanagementorganisatie" for _ in range(6)),
                "29-11-2026",
                "28-02-2033",
            ),
        ),
    )
    lay = column_layout(many, "nl")
    assert lay.nowrap == [False] * 6 + [True, True]
    wide_page_em = PAGE_WIDTH_EM * 9 / 8  # tables of more than 6 columns print at 8pt
    date_em = lay.widths_pct[6] * wide_page_em / 100
    text_em = lay.widths_pct[0] * wide_page_em / 100
    assert lay.widths_pct[6] == lay.widths_pct[7]
    assert date_em >= 10 * 0.66 + 0.9  # the date keeps its full width ...
    assert text_em < 16 * 0.66  # ... the text columns wrap more than they would like


def test_nowrap_cells_are_marked_in_the_html():
    from parkplan.plan.model import Chapter, Document

    doc = Document(
        kind="uitvoeringsplan",
        title="Plan",
        subtitle="",
        park_id="p",
        park_name="Park",
        municipality=None,
        illustrative=False,
        lang="nl",
        issued=date(2026, 11, 29),
        chapters=[Chapter("road", "Routekaart", blocks=[ROADMAP])],
    )
    html = render_html(doc, for_print=True)
    assert html.count('class=" nowrap">29-11-2026</td>') == 4
    assert '<td class=" nowrap">Voorbereiding' not in html
