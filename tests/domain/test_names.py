"""Companies by name in texts: "Name (id)", long lists trimmed, ids replaced in texts."""

from __future__ import annotations

from parkplan.domain.names import companies_text, company_label, with_company_names

NAMES = {"c01": "Transport Bakker BV", "c02": "Metaalbewerking De Vries", "c03": ""}


def test_a_company_reads_as_name_with_id_and_without_a_name_as_id():
    assert company_label("c01", NAMES) == "Transport Bakker BV (c01)"
    assert company_label("c03", NAMES) == "c03"  # empty name
    assert company_label("c09", NAMES) == "c09"  # unknown
    assert company_label("c01", None) == "c01"  # not allowed to see names


def test_a_long_list_names_the_first_ten_and_counts_the_others():
    ids = [f"c{k:03d}" for k in range(1, 51)]
    names = {c: f"Bedrijf {c[1:]}" for c in ids}
    nl = companies_text(ids, names)
    assert nl.startswith("Bedrijf 001 (c001), Bedrijf 002 (c002), ")
    assert nl.endswith("Bedrijf 010 (c010) en 40 andere")
    assert "c011" not in nl
    assert companies_text(ids, names, "en").endswith("(c010) and 40 others")
    assert (
        companies_text(ids[:3], names)
        == "Bedrijf 001 (c001), Bedrijf 002 (c002), Bedrijf 003 (c003)"
    )


def test_ids_in_a_text_get_their_names_once_and_whole_words_only():
    text = "c01, c02 en nog 3: c012 en xc01 blijven; c03 heeft geen naam. 2 bedrijven (c01)"
    out = with_company_names(text, NAMES)
    assert out == (
        "Transport Bakker BV (c01), Metaalbewerking De Vries (c02) en nog 3: c012 en xc01"
        " blijven; c03 heeft geen naam. 2 bedrijven (Transport Bakker BV (c01))"
    )
    assert with_company_names(out, NAMES) == out  # a label is not labelled again
    assert with_company_names(text, None) == text
