"""Audited reads and exports while another connection writes: the page's reading
transaction must not be turned into a write (SQLite refuses that at once when someone
wrote in between: "database is locked"), so the audit entry gets a transaction of its own."""

from __future__ import annotations

import pytest

from parkplan.domain.access import Principal, Role
from parkplan.services import companies, parks, privacy
from parkplan.store import db, repository

MANAGER = Principal(None, "manager@example.org", Role.PARK_MANAGER, frozenset({"testpark"}))


@pytest.fixture
def saved(db_url, full_park):
    with db.session_scope(db_url) as session:
        parks.save_park(session, full_park, actor="test")
    return db_url


def _write_elsewhere(url: str) -> None:
    with db.session_scope(url) as other:
        repository.add_audit(other, actor="other", action="read", entity="company")


def _entries(url: str, action: str) -> list[tuple[str, str | None, str | None]]:
    with db.session_scope(url) as session:
        return [
            (e.actor, e.entity, e.entity_id)
            for e in repository.list_audit(session, park_id="testpark")
            if e.action == action
        ]


def test_read_company_after_another_connection_wrote(saved):
    with db.session_scope(saved) as session:
        parks.get_park(session, "testpark")  # the page's reading transaction has begun
        _write_elsewhere(saved)
        company = companies.read_company(session, MANAGER, "testpark", "c01")
        assert company.id == "c01"
        assert parks.get_park(session, "testpark").id == "testpark"  # the page reads on
    assert _entries(saved, "read") == [("manager@example.org", "company", "c01")]


def test_export_contact_after_another_connection_wrote(saved):
    with db.session_scope(saved) as session:
        parks.get_park(session, "testpark")
        _write_elsewhere(saved)
        data = privacy.export_contact(session, MANAGER, "testpark", "c01")
    assert data["company_id"] == "c01"
    assert _entries(saved, "export") == [("manager@example.org", "contact", "c01")]


def test_reads_of_several_companies_in_one_transaction(saved):
    with db.session_scope(saved) as session:
        parks.get_park(session, "testpark")
        _write_elsewhere(saved)
        parks.audit_access(session, MANAGER.email, "testpark", "company", ["c01", "c03"])
        parks.audit_access(session, MANAGER.email, "testpark", "company", [])  # writes nothing
    assert _entries(saved, "read") == [
        ("manager@example.org", "company", "c01"),
        ("manager@example.org", "company", "c03"),
    ]
