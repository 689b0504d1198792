from datetime import date

from parkplan.web.i18n import TEXTS, format_date, format_eur, format_number, t


def test_dutch_and_english_number_formats():
    assert format_number(1234567.891, 1) == "1.234.567,9"
    assert format_number(1234567.891, 1, lang="en") == "1,234,567.9"
    assert format_number(None) == "–"
    assert format_number(float("nan")) == "–"
    assert format_eur(-1234.4) == "€ -1.234"


def test_dates_are_dd_mm_jjjj_in_dutch():
    assert format_date(date(2026, 3, 7)) == "07-03-2026"
    assert format_date(date(2026, 3, 7), "en") == "2026-03-07"


def test_every_text_has_both_languages():
    for key, (nl, en) in TEXTS.items():
        assert nl and en, key
    assert t("nav.logout") == "Uitloggen"
    assert t("nav.logout", "en") == "Log out"
    assert t("no.such.key") == "no.such.key"
