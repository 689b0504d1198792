"""Entrepreneurs correct the building's data from open data (issue #10): energy label,
construction year and BAG uses on the company edit form and through the JSON API. A changed
value becomes reported by the company and is audited; an unchanged one keeps its origin; an
invalid year answers 422 and changes nothing; another company's entrepreneur is refused."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest

from parkplan.domain.model import BUILDING_USES, Origin
from parkplan.services.parks import get_park, save_park
from parkplan.store.db import session_scope
from parkplan.store.repository import list_audit

PARK = "voorbeeldpark"  # as in conftest.py
EDIT = f"/parken/{PARK}/bedrijven/c01/wijzigen"
API = f"/api/parks/{PARK}/companies/c01"


class _Form(HTMLParser):
    """The fields a browser would send with the page's own form (a POST form without
    ``action``; the log-out form in the header has one)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._done = False
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method") == "post" and "action" not in a and not self._done:
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def _form_fields(html: str) -> list[tuple[str, str]]:
    parser = _Form()
    parser.feed(html)
    return parser.fields


def _with(fields: list[tuple[str, str]], **changes: str | list[str]) -> list[tuple[str, str]]:
    """The form fields with some replaced (a list for the checkboxes of one name)."""
    out = [(k, v) for k, v in fields if k not in changes]
    for key, value in changes.items():
        out += [(key, v) for v in value] if isinstance(value, list) else [(key, value)]
    return out


def _encode(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for key, value in fields:
        data.setdefault(key, []).append(value)
    return data


@pytest.fixture
def open_data(web):
    """c01's building as open data (label D, 1987, industry and office; floor area from the
    footprint), freshly saved."""
    with session_scope(web.url) as session:
        park = get_park(session, PARK)
        c01 = park.company("c01")
        c01.energy_label = "D"
        c01.construction_year = 1987
        c01.building_use = ["industriefunctie", "kantoorfunctie"]
        c01.floor_area_m2 = 5234.567  # from a BAG footprint: more decimals than the form shows
        for name in ("energy_label", "construction_year", "building_use", "floor_area_m2"):
            c01.origins[name] = Origin.OPEN_DATA
        save_park(session, park, replace=True, actor="test")
    return web


def _c01(web):
    with session_scope(web.url) as session:
        return get_park(session, PARK).company("c01")


def _last_audit_id(web) -> int:
    with session_scope(web.url) as session:
        return max(e.id for e in list_audit(session, park_id=PARK))


def _updates(web, after_id: int) -> dict[str, tuple[str | None, str | None, str]]:
    with session_scope(web.url) as session:
        return {
            e.field: (e.old_value, e.new_value, e.actor)
            for e in list_audit(session, park_id=PARK)
            if e.action == "update" and e.id > after_id
        }


def _shows(template: str, years: set[int], text: str) -> bool:
    """Whether ``text`` holds ``template`` with ``{year}`` as one of ``years`` (the current
    year taken before and after a request, so a run across New Year cannot fail)."""
    return any(template.format(year=y) in text for y in years)


def _csrf(client) -> str:
    return client.get("/api/me").json()["csrf_token"]


def test_the_form_shows_the_building_fields_with_labels_and_origin(open_data):
    owner = open_data.login("entrepreneur")
    years = {date.today().year}
    page = owner.get(EDIT)
    english = owner.get(f"{EDIT}?lang=en").text
    years.add(date.today().year)
    assert page.status_code == 200
    html = page.text
    assert '<label for="f-energy-label">Energielabel</label>' in html
    assert '<option value="">onbekend</option>' in html
    assert '<option value="D" selected>D</option>' in html
    assert _shows('<label for="f-construction-year">Bouwjaar (1800–{year})</label>', years, html)
    assert 'type="number"' in html and 'value="1987"' in html
    assert _shows('min="1800" max="{year}" step="1"', years, html)
    assert "<legend>Gebruiksdoel (BAG)</legend>" in html
    for i, use in enumerate(BUILDING_USES, start=1):  # every checkbox has its own label
        assert f'<label for="f-use-{i}">{use}</label>' in html
    fields = _form_fields(html)
    assert sorted(v for k, v in fields if k == "building_use") == [
        "industriefunctie",
        "kantoorfunctie",
    ]
    assert ("energy_label", "D") in fields and ("construction_year", "1987") in fields
    assert html.count("Herkomst: open data") == 3  # label, year, use
    assert '<option value="">unknown</option>' in english
    label = '<label for="f-construction-year">Construction year (1800–{year})</label>'
    assert _shows(label, years, english)
    assert "Origin: open data" in english


def test_saving_the_form_unchanged_keeps_open_data_and_writes_no_change(open_data):
    owner = open_data.login("entrepreneur")
    before = _c01(open_data)
    start = _last_audit_id(open_data)
    fields = _form_fields(owner.get(EDIT).text)
    response = owner.post(EDIT, data=_encode(fields))
    assert response.status_code == 303, response.text
    assert _c01(open_data) == before  # floor area 5234.567 (shown 5.234,57) kept exactly
    assert _c01(open_data).origin_of("floor_area_m2") is Origin.OPEN_DATA
    assert _updates(open_data, start) == {}


def test_a_changed_label_year_and_use_become_reported_and_are_audited(open_data):
    owner = open_data.login("entrepreneur")
    start = _last_audit_id(open_data)
    fields = _form_fields(owner.get(EDIT).text)
    response = owner.post(
        EDIT,
        data=_encode(
            _with(
                fields,
                energy_label="B",
                construction_year="1992",
                building_use=["industriefunctie", "kantoorfunctie"],  # unchanged
            )
        ),
    )
    assert response.status_code == 303, response.text
    c01 = _c01(open_data)
    assert (c01.energy_label, c01.construction_year) == ("B", 1992)
    assert c01.origin_of("energy_label") is Origin.REPORTED
    assert c01.origin_of("construction_year") is Origin.REPORTED
    assert c01.origin_of("building_use") is Origin.OPEN_DATA
    who = "owner@example.org"
    assert _updates(open_data, start) == {
        "energy_label": ("D", "B", who),
        "origins.energy_label": ("open_data", "reported", who),
        "construction_year": ("1987", "1992", who),
        "origins.construction_year": ("open_data", "reported", who),
    }
    page = owner.get(f"/parken/{PARK}/bedrijven/c01?opgeslagen=1").text
    assert "<dt>Energielabel</dt><dd>B <small>(opgegeven)</small></dd>" in page

    # 'onbekend' and no ticked use clear the values, and their origins
    fields = _form_fields(owner.get(EDIT).text)
    assert owner.post(EDIT, data=_encode(_with(fields, energy_label="", building_use=[])))
    c01 = _c01(open_data)
    assert c01.energy_label is None and c01.building_use == []
    assert "energy_label" not in c01.origins and "building_use" not in c01.origins


@pytest.mark.parametrize(
    ("year", "lang", "message"),
    [
        ("1700", "nl", "Bouwjaar 1700 kan niet: verwacht een jaar van 1800 tot en met {year}."),
        (
            "2999",
            "en",
            "Construction year 2999 is not possible: expected a year from 1800 up to "
            "and including {year}.",
        ),
        ("19x7", "nl", "Bouwjaar &#39;19x7&#39; is geen jaartal; verwacht een jaar van 1800"),
    ],
)
def test_an_invalid_year_on_the_form_gives_422_and_changes_nothing(open_data, year, lang, message):
    owner = open_data.login("entrepreneur")
    before = _c01(open_data)
    start = _last_audit_id(open_data)
    fields = _form_fields(owner.get(f"{EDIT}?lang={lang}").text)
    years = {date.today().year}
    response = owner.post(
        f"{EDIT}?lang={lang}",
        data=_encode(_with(fields, construction_year=year, energy_label="A")),
    )
    years.add(date.today().year)
    assert response.status_code == 422
    html = response.text
    assert _shows(message, years, html)
    assert 'aria-describedby="f-construction-year-err f-construction-year-origin"' in html
    assert 'aria-invalid="true"' in html
    assert '<option value="A" selected>A</option>' in html  # what was entered is kept
    assert _c01(open_data) == before
    assert _updates(open_data, start) == {}


def test_a_crafted_unknown_use_or_label_is_refused(open_data):
    owner = open_data.login("entrepreneur")
    before = _c01(open_data)
    fields = _form_fields(owner.get(EDIT).text)
    response = owner.post(
        EDIT, data=_encode(_with(fields, building_use=["fabriek"], energy_label="H"))
    )
    assert response.status_code == 422
    assert "Gebruiksdoel &#39;fabriek&#39; bestaat niet in de BAG" in response.text
    assert "Energielabel &#39;H&#39; bestaat niet" in response.text
    assert _c01(open_data) == before


def test_the_api_changes_value_and_origin_and_audits(open_data):
    owner = open_data.login("entrepreneur")
    start = _last_audit_id(open_data)
    response = owner.patch(
        API,
        json={"energy_label": "A", "building_use": ["kantoorfunctie"], "construction_year": 1987},
        headers={"X-CSRF-Token": _csrf(owner)},
    )
    assert response.status_code == 200, response.text
    doc = response.json()
    assert (doc["energy_label"], doc["building_use"], doc["construction_year"]) == (
        "A",
        ["kantoorfunctie"],
        1987,
    )
    assert doc["origins"]["energy_label"] == "reported"
    assert doc["origins"]["building_use"] == "reported"
    assert doc["origins"]["construction_year"] == "open_data"  # unchanged
    changed = _updates(open_data, start)
    assert changed["energy_label"][:2] == ("D", "A")
    assert changed["building_use"][:2] == (
        '["industriefunctie", "kantoorfunctie"]',
        '["kantoorfunctie"]',
    )
    assert set(changed) == {
        "energy_label",
        "origins.energy_label",
        "building_use",
        "origins.building_use",
    }


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("nl", "Bouwjaar 1700 kan niet: verwacht een jaar van 1800 tot en met {year}."),
        (
            "en",
            "Construction year 1700 is not possible: expected a year from 1800 up to and "
            "including {year}.",
        ),
    ],
)
def test_an_invalid_year_through_the_api_gives_422_and_changes_nothing(open_data, lang, message):
    owner = open_data.login("entrepreneur")
    before = _c01(open_data)
    start = _last_audit_id(open_data)
    token = _csrf(owner)
    years = {date.today().year}
    response = owner.patch(
        f"{API}?lang={lang}",
        json={"construction_year": 1700, "energy_label": "A"},
        headers={"X-CSRF-Token": token},
    )
    years.add(date.today().year)
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert [(p["path"], p["value"]) for p in problems] == [("companies[0].construction_year", 1700)]
    assert any(problems[0]["message"] == message.format(year=y) for y in years)
    assert _c01(open_data) == before
    assert _updates(open_data, start) == {}


def test_another_companys_entrepreneur_is_refused(open_data):
    owner = open_data.login("entrepreneur")  # c01's entrepreneur
    other = f"/parken/{PARK}/bedrijven/c02/wijzigen"
    with session_scope(open_data.url) as session:
        before = get_park(session, PARK).company("c02")
    assert owner.get(other).status_code == 403
    token = _csrf(owner)
    response = owner.post(
        other, data={"csrf_token": token, "energy_label": "A", "construction_year": "1990"}
    )
    assert response.status_code == 403
    response = owner.patch(
        f"/api/parks/{PARK}/companies/c02",
        json={"energy_label": "A", "construction_year": 1990},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 403
    with session_scope(open_data.url) as session:
        assert get_park(session, PARK).company("c02") == before
