"""Rows <-> domain dataclasses: exact round trips, queries, audit log and results."""

from __future__ import annotations

import copy

from parkplan.domain.model import Company, Origin, Park
from parkplan.store import db, repository
from parkplan.store.tables import utcnow


def test_park_round_trips_exactly(db_url, full_park):
    expected = copy.deepcopy(full_park)
    with db.session_scope(db_url) as session:
        repository.add_park(session, full_park)
    with db.session_scope(db_url) as session:
        loaded = repository.read_park(session, "testpark")
    assert loaded == expected
    assert loaded is not None
    c01 = loaded.company("c01")
    assert [c.ean for c in c01.connections] == [
        "871234567890001018",
        "871234567890001049",
        "871234567890001056",
    ]
    assert c01.connections[2].carrier == "gas"
    assert c01.electricity is not None
    assert c01.electricity.origin_of("annual_kwh") is Origin.MEASURED
    assert isinstance(c01.electricity.origins["annual_kwh"], Origin)
    assert loaded.grid.origin_of("available_import_kw") is Origin.OPEN_DATA
    assert loaded.company("c02").electricity is None
    assert loaded.company("c02").engagement is None
    assert loaded.company("c03").engagement is not None
    assert loaded.organisation is not None
    assert loaded.organisation.park_management is None


def test_minimal_park_round_trips(db_url):
    park = Park(id="leeg", name="Leeg park")
    with db.session_scope(db_url) as session:
        repository.add_park(session, park)
    with db.session_scope(db_url) as session:
        loaded = repository.read_park(session, "leeg")
    assert loaded == Park(id="leeg", name="Leeg park")
    assert loaded is not None
    assert loaded.location is None
    assert loaded.organisation is None


def test_company_order_is_kept(db_url):
    park = Park(id="p", name="P", companies=[Company(id=i, name=i) for i in ("z", "a", "m")])
    with db.session_scope(db_url) as session:
        repository.add_park(session, park)
    with db.session_scope(db_url) as session:
        loaded = repository.read_park(session, "p")
    assert loaded is not None
    assert [c.id for c in loaded.companies] == ["z", "a", "m"]


def test_remove_park_cascades_to_every_table(db_url, full_park):
    from sqlalchemy import func, select

    from parkplan.store.tables import Base

    with db.session_scope(db_url) as session:
        repository.add_park(session, full_park)
        repository.save_result(session, "testpark", "baseline", {"co2_kg": 1.5})
    with db.session_scope(db_url) as session:
        assert repository.remove_park(session, "testpark")
        assert not repository.remove_park(session, "testpark")
    with db.session_scope(db_url) as session:
        for table in Base.metadata.sorted_tables:
            count = session.scalar(select(func.count()).select_from(table))
            assert count == 0, table.name
        assert repository.park_ids(session) == []


def test_audit_entries_and_results_are_stored(db_url, full_park):
    with db.session_scope(db_url) as session:
        repository.add_park(session, full_park)
        repository.add_audit(
            session,
            actor="tester",
            action="update",
            entity="company",
            entity_id="c01",
            park_id="testpark",
            field="employees",
            old_value=35,
            new_value=40,
        )
        first = repository.save_result(
            session, "testpark", "simulation", {"kwh": [1.0, 2.0]}, key="basis", inputs_hash="aa"
        )
        second = repository.save_result(
            session, "testpark", "simulation", {"kwh": [3.0]}, key="basis", inputs_hash="bb"
        )
        assert second.id > first.id
    with db.session_scope(db_url) as session:
        [entry] = repository.list_audit(session, park_id="testpark")
        assert (entry.actor, entry.field, entry.old_value, entry.new_value) == (
            "tester",
            "employees",
            "35",
            "40",
        )
        assert entry.at.tzinfo is not None  # timezone-aware on SQLite too
        assert abs((utcnow() - entry.at).total_seconds()) < 600
        latest = repository.latest_result(session, "testpark", "simulation", "basis")
        assert latest is not None
        assert latest.payload == {"kwh": [3.0]}
        assert latest.code_version
        older = repository.latest_result(session, "testpark", "simulation", "basis", "aa")
        assert older is not None
        assert older.payload == {"kwh": [1.0, 2.0]}
        assert repository.latest_result(session, "testpark", "baseline") is None
        assert len(repository.list_results(session, "testpark")) == 2
