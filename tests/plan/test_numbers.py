"""Numbers in the plan equal the services' results: read back from the HTML and the DOCX."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest

from parkplan.plan.model import format_value

ISSUED = date(2026, 3, 2)
PARK_ID = "voorbeeldpark"  # the id in tests/data/economics/park_stedin.yaml


class _Tables(HTMLParser):
    """Collect the cells of every <table data-key=...> by key, and key figures."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.keyfigures: dict[str, list[str]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._kf: str | None = None
        self._kf_value = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("data-key"):
            self._table = a["data-key"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "div" and a.get("class") == "keyfigure":
            self._kf = a.get("data-key")
        elif tag == "span" and a.get("class") == "kf-value" and self._kf:
            self._kf_value = True
            self.keyfigures.setdefault(self._kf, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None
        elif tag == "span" and self._kf_value:
            self._kf_value = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._kf_value and self._kf:
            self.keyfigures[self._kf][-1] += data.strip()


@pytest.fixture(scope="module")
def results(plan_db: str):
    """The document and the stored results it was built from."""
    from parkplan.services.assess import compute_baseline
    from parkplan.services.parks import get_park
    from parkplan.services.plan import build_document, stored_inputs
    from parkplan.store.db import session_scope

    with session_scope(plan_db) as session:
        rows = stored_inputs(session, PARK_ID)
        payloads = {k: r.payload for k, r in rows.items()}
        park = get_park(session, PARK_ID)
        doc = build_document(session, PARK_ID, "uitvoeringsplan", issued=ISSUED)
        poa = build_document(session, PARK_ID, "plan-van-aanpak", issued=ISSUED)
    baseline, _ = compute_baseline(park)
    return {"doc": doc, "poa": poa, "payloads": payloads, "baseline": baseline, "park": park}


@pytest.fixture(scope="module")
def html_tables(results):
    from parkplan.reports.html import render_html

    parser = _Tables()
    parser.feed(render_html(results["doc"]))
    return parser


def _row(table: list[list[str]], label: str) -> list[str]:
    matches = [r for r in table if r and r[0] == label]
    assert matches, f"row {label!r} not in {[r[0] for r in table if r]}"
    return matches[0]


def test_every_analysis_was_stored(results) -> None:
    assert set(results["payloads"]) >= {
        "simulation",
        "quickscan",
        "scorecard",
        "business_case",
        "share",
    }


def test_baseline_in_html_equals_the_baseline_service(results, html_tables) -> None:
    base = results["baseline"].park
    # the summary and the baseline chapter both show the CO2 of the baseline
    assert html_tables.keyfigures["co2"] == [format_value(base.co2_kg / 1000.0, 0)] * 2
    electricity = base.totals["electricity_offtake_kwh"].value
    assert html_tables.keyfigures["electricity"] == [format_value(electricity / 1000.0, 0)]
    co2 = html_tables.tables["co2_by_source"]
    gas_t = base.totals["co2_gas_kg"].value / 1000.0
    assert _row(co2, "Aardgas")[1] == format_value(gas_t, 0)
    assert co2[-1][1] == format_value(base.co2_kg / 1000.0, 0)  # total row


def test_simulation_in_html_equals_the_stored_simulation(results, html_tables) -> None:
    park = results["payloads"]["simulation"]["park"]
    table = html_tables.tables["simulation"]
    assert _row(table, "Afname van het net")[1] == format_value(park["import_kwh"], 0)
    assert _row(table, "Zonnestroom")[1] == format_value(park["pv_kwh"], 0)
    assert _row(table, "Gelijktijdige piek")[1] == format_value(park["coincident_peak_kw"], 0)


def test_business_cases_in_html_equal_the_business_case_service(results, html_tables) -> None:
    bc = results["payloads"]["business_case"]
    table = html_tables.tables["company_cases"]
    with_capex = [c for c in bc["companies"] if c["capex_eur"]]
    assert len(table) == 1 + len(with_capex)
    for c in with_capex:
        row = _row(table, c["name"])
        assert row[1] == format_value(c["bill_before_eur"], 0)
        assert row[2] == format_value(c["bill_after_eur"], 0)
        assert row[3] == format_value(c["capex_eur"], 0)
        assert row[5] == format_value(c["npv_eur"], 0)
    measures = html_tables.tables["measures"]
    pv = _row(measures, "Zonnepanelen")
    pv_capex = sum(m["capex_eur"] for c in bc["companies"] for m in c["measures"]
                   if m["kind"] == "pv")  # fmt: skip
    assert pv[5] == format_value(pv_capex, 0)


def test_shares_in_html_equal_the_share_service(results, html_tables) -> None:
    share = results["payloads"]["share"]
    names = {c.id: c.name for c in results["park"].companies}
    table = html_tables.tables["shares"]
    for c in share["companies"]:
        assert _row(table, names[c["id"]])[1] == format_value(c["benefit_eur"], 0)
    assert table[-1][1] == format_value(share["total_benefit_eur"], 0)


def test_quickscan_recommendations_in_html(results, html_tables) -> None:
    recs = results["payloads"]["quickscan"]["recommendations"]
    table = html_tables.tables["conclusions"]
    assert len(table) == 1 + len(recs)
    first = sorted(recs, key=lambda r: r["rank"])[0]
    assert table[1][1].rstrip(" *") == first["title"]


def _docx_tables(path) -> dict[str, list[list[str]]]:
    """Word tables keyed by the bold caption paragraph just before each table."""
    import docx

    d = docx.Document(str(path))
    body = d.element.body
    out: dict[str, list[list[str]]] = {}
    caption = None
    tables = iter(d.tables)
    for el in body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in el.iter() if t.tag.endswith("}t"))
            if text:
                caption = text
        elif tag == "tbl":
            table = next(tables)
            out[caption or ""] = [[c.text for c in row.cells] for row in table.rows]
    return out


def test_docx_numbers_equal_the_services(results, tmp_path) -> None:
    from parkplan.reports.docx import write_docx

    path = write_docx(results["doc"], tmp_path / "plan.docx")
    tables = _docx_tables(path)
    base = results["baseline"].park
    co2 = tables["CO2-uitstoot per bron"]
    assert co2[-1][1] == format_value(base.co2_kg / 1000.0, 0)
    sim = results["payloads"]["simulation"]["park"]
    assert _row(tables["Energiebalans en netcapaciteit (simulatie)"], "Afname van het net")[1] == (
        format_value(sim["import_kwh"], 0)
    )
    bc = results["payloads"]["business_case"]
    cases = tables["Businesscase per bedrijf"]
    for c in (c for c in bc["companies"] if c["capex_eur"]):
        assert _row(cases, c["name"])[5] == format_value(c["npv_eur"], 0)
    kpis = tables["KPI's met doel per jaar"]
    assert _row(kpis, "CO2-uitstoot park")[2] == format_value(base.co2_kg / 1000.0, 0)


def test_plan_of_action_budget_equals_business_case_investments(results) -> None:
    from parkplan.reports.html import render_html

    parser = _Tables()
    parser.feed(render_html(results["poa"]))
    budget = parser.tables["budget"]
    bc = results["payloads"]["business_case"]
    capex = sum(c["capex_eur"] or 0.0 for c in bc["companies"])
    subsidy = sum(c["subsidy_eur"] or 0.0 for c in bc["companies"])
    total = budget[-1]
    assert total[1] == format_value(capex + (bc["collective"]["capex_eur"] or 0.0), 0)
    assert total[3] == format_value(subsidy, 0)
    assert total[2] == format_value(capex - subsidy, 0)


def test_no_number_is_typed_in_narrative_defaults() -> None:
    from parkplan.plan.narrative import DEFAULTS

    for nl, en in DEFAULTS.values():
        for text in (nl, en):
            stripped = re.sub(r"\{\{[^}]*\}\}", "", text)
            assert not re.search(r"\d{2,}", stripped.replace("CO2", "")), text


def test_scorecard_in_html_equals_the_stored_scorecard(results, html_tables) -> None:
    card = results["payloads"]["scorecard"]
    table = html_tables.tables["scorecard"]
    assert table[-1][1] == format_value(card["score"], 0)
    assessed = [x for x in card["themes"] if x["score"] is not None]
    assert assessed
    for theme in assessed:
        assert _row(table, theme["label"])[1] == format_value(theme["score"], 0)
    for theme in card["themes"]:
        if theme["score"] is None:
            assert _row(table, theme["label"])[1] == "niet beoordeeld"
