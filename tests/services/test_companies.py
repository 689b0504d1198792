"""Changing one company: a changed value becomes reported by the company (with an audit
entry of the old and new value), an unchanged one keeps its origin, and a construction year
outside 1800..this year or an unknown BAG use is refused with nothing written."""

from __future__ import annotations

import pytest

from parkplan.domain.access import Principal, Role
from parkplan.domain.errors import ValidationError
from parkplan.domain.model import Origin
from parkplan.services import companies, parks
from parkplan.services.companies import (
    CONSTRUCTION_YEAR_MIN,
    AccessDeniedError,
    construction_year_problem,
)
from parkplan.store import db, repository

THIS_YEAR = 2026
OWNER = Principal(None, "owner@example.org", Role.ENTREPRENEUR, frozenset({"testpark"}), "c01")
MANAGER = Principal(None, "manager@example.org", Role.PARK_MANAGER, frozenset({"testpark"}))


@pytest.fixture
def saved(db_url, full_park):
    """The full test park with open data for c01's building, saved (every change validates
    the whole park, so without reference-value overrides that a park file may not carry)."""
    full_park.refdata_overrides = {}
    c01 = full_park.company("c01")
    c01.energy_label = "D"
    c01.construction_year = 1987
    c01.building_use = ["industriefunctie", "kantoorfunctie"]
    for name in ("energy_label", "construction_year", "building_use"):
        c01.origins[name] = Origin.OPEN_DATA
    with db.session_scope(db_url) as session:
        parks.save_park(session, full_park, actor="test")
    return db_url


def _update(url, changes, who=OWNER, company="c01"):
    with db.session_scope(url) as session:
        return companies.update_company(
            session, who, "testpark", company, changes, this_year=THIS_YEAR
        )


def _c01(url):
    with db.session_scope(url) as session:
        return parks.get_park(session, "testpark").company("c01")


def _updates(url, after_id=0):
    with db.session_scope(url) as session:
        return {
            e.field: (e.old_value, e.new_value)
            for e in repository.list_audit(session, park_id="testpark")
            if e.action == "update" and e.id > after_id
        }


def _last_audit_id(url):
    with db.session_scope(url) as session:
        return max(e.id for e in repository.list_audit(session, park_id="testpark"))


def test_a_changed_value_becomes_reported_and_unchanged_ones_keep_their_origin(saved):
    start = _last_audit_id(saved)
    new = _update(
        saved,
        {
            "energy_label": "B",  # changed
            "construction_year": 1987,  # the same
            "building_use": ["kantoorfunctie", "industriefunctie"],  # the same, reordered
            "electricity.annual_kwh": 305000,  # measured, now reported
            "electricity.peak_kw": 118,  # the same: stays measured
        },
    )
    assert new.energy_label == "B"
    assert new.origin_of("energy_label") is Origin.REPORTED
    assert new.origin_of("construction_year") is Origin.OPEN_DATA
    assert new.origin_of("building_use") is Origin.OPEN_DATA
    assert new.origin_of("employees") is Origin.OPEN_DATA  # not part of the change
    assert new.electricity.origin_of("annual_kwh") is Origin.REPORTED
    assert new.electricity.origin_of("peak_kw") is Origin.MEASURED
    stored = _c01(saved)
    assert stored == new
    assert _updates(saved, start) == {
        "energy_label": ("D", "B"),
        "origins.energy_label": ("open_data", "reported"),
        "electricity.annual_kwh": ("310000.0", "305000.0"),
        "electricity.origins.annual_kwh": ("measured", "reported"),
    }


def test_building_use_is_stored_sorted_once_each_and_a_removed_value_loses_its_origin(saved):
    start = _last_audit_id(saved)
    new = _update(
        saved,
        {
            "building_use": ["winkelfunctie", "kantoorfunctie", "winkelfunctie"],
            "construction_year": None,
        },
    )
    assert new.building_use == ["kantoorfunctie", "winkelfunctie"]
    assert new.origin_of("building_use") is Origin.REPORTED
    assert new.construction_year is None
    assert "construction_year" not in new.origins
    changes = _updates(saved, start)
    assert changes["building_use"] == (
        '["industriefunctie", "kantoorfunctie"]',
        '["kantoorfunctie", "winkelfunctie"]',
    )
    assert changes["construction_year"] == ("1987", None)
    assert changes["origins.construction_year"] == ("open_data", None)


def test_an_origin_given_with_the_change_wins(saved):
    new = _update(saved, {"construction_year": 1990, "origins.construction_year": "measured"})
    assert new.construction_year == 1990
    assert new.origin_of("construction_year") is Origin.MEASURED


@pytest.mark.parametrize("year", [CONSTRUCTION_YEAR_MIN, 1987, THIS_YEAR])
def test_construction_years_within_the_bounds_are_accepted(saved, year):
    assert _update(saved, {"construction_year": year}).construction_year == year


@pytest.mark.parametrize(
    ("year", "nl", "en"),
    [
        (
            1799,
            "Bouwjaar 1799 kan niet: verwacht een jaar van 1800 tot en met 2026.",
            "Construction year 1799 is not possible: expected a year from 1800 up to and "
            "including 2026.",
        ),
        (
            THIS_YEAR + 1,
            "Bouwjaar 2027 kan niet: verwacht een jaar van 1800 tot en met 2026.",
            "Construction year 2027 is not possible: expected a year from 1800 up to and "
            "including 2026.",
        ),
        (
            "1990",
            "Bouwjaar '1990' is geen jaartal; verwacht een jaar van 1800 tot en met 2026.",
            "Construction year '1990' is not a year; expected a year from 1800 up to and "
            "including 2026.",
        ),
        (
            1990.5,
            "Bouwjaar 1990.5 is geen jaartal; verwacht een jaar van 1800 tot en met 2026.",
            "Construction year 1990.5 is not a year; expected a year from 1800 up to and "
            "including 2026.",
        ),
    ],
)
def test_a_bad_construction_year_is_refused_and_nothing_is_written(saved, year, nl, en):
    before = _c01(saved)
    start = _last_audit_id(saved)
    with pytest.raises(ValidationError) as caught:
        _update(saved, {"construction_year": year, "energy_label": "A"})
    # one message for the year (the park-file check does not repeat it)
    assert [(p.path, p.nl, p.en, p.value) for p in caught.value.errors] == [
        ("companies[0].construction_year", nl, en, year)
    ]
    assert _c01(saved) == before
    assert _updates(saved, start) == {}


def test_construction_year_problem_accepts_unknown_and_whole_floats():
    assert construction_year_problem(None, this_year=THIS_YEAR) is None
    assert construction_year_problem(1990.0, this_year=THIS_YEAR) is None
    problem = construction_year_problem(True, this_year=THIS_YEAR)
    assert problem is not None and problem.code == "not_a_year"


def test_an_unknown_building_use_or_label_is_refused_with_every_problem(saved):
    before = _c01(saved)
    with pytest.raises(ValidationError) as caught:
        _update(saved, {"building_use": ["fabriek"], "energy_label": "H", "construction_year": 1})
    paths = sorted(p.path for p in caught.value.errors)
    assert paths == [
        "companies[0].building_use",
        "companies[0].construction_year",
        "companies[0].energy_label",
    ]
    use = next(p for p in caught.value.errors if p.path.endswith("building_use"))
    assert use.nl.startswith("Gebruiksdoel 'fabriek' bestaat niet in de BAG; kies uit: ")
    assert _c01(saved) == before


def test_one_use_as_text_is_a_list_of_one_and_checked_too(saved):
    assert _update(saved, {"building_use": "winkelfunctie"}).building_use == ["winkelfunctie"]
    with pytest.raises(ValidationError) as caught:
        _update(saved, {"building_use": "fabriek"})
    assert [p.value for p in caught.value.errors] == ["fabriek"]


def test_a_stored_use_outside_the_list_stays_editable(saved):
    with db.session_scope(saved) as session:
        park = parks.get_park(session, "testpark")
        park.company("c01").building_use = ["sportfunctie", "tuinbouwfunctie"]
        parks.save_park(session, park, replace=True, actor="test")
    new = _update(saved, {"building_use": ["tuinbouwfunctie", "kantoorfunctie"]})
    assert new.building_use == ["kantoorfunctie", "tuinbouwfunctie"]


def test_another_companys_entrepreneur_may_not_change_it(saved):
    with db.session_scope(saved) as session:
        before = parks.get_park(session, "testpark").company("c03")
    with pytest.raises(AccessDeniedError):
        _update(saved, {"energy_label": "A"}, company="c03")
    with db.session_scope(saved) as session:
        assert parks.get_park(session, "testpark").company("c03") == before
    assert _update(saved, {"energy_label": "A"}, who=MANAGER, company="c03").energy_label == "A"
