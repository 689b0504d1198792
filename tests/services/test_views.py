"""The read models of the busiest pages on SQLite and PostgreSQL: the company page's one
query, the park header and fingerprint (changes, not reads), and the read audit writer."""

from __future__ import annotations

from collections import Counter

import pytest

from parkplan.domain.access import Principal, Role
from parkplan.domain.errors import NotFoundError
from parkplan.services import companies, parks, views
from parkplan.services.companies import AccessDeniedError
from parkplan.store import db, repository

OWNER = Principal(None, "owner@example.org", Role.ENTREPRENEUR, frozenset({"testpark"}), "c01")
MANAGER = Principal(None, "manager@example.org", Role.PARK_MANAGER, frozenset({"testpark"}))


@pytest.fixture
def saved(db_url, full_park):
    full_park.refdata_overrides = {}
    with db.session_scope(db_url) as session:
        parks.save_park(session, full_park, actor="test")
    return db_url


def _reads(url: str) -> Counter[tuple[str, str | None]]:
    with db.session_scope(url) as session:
        return Counter(
            (e.actor, e.entity_id)
            for e in repository.list_audit(session, park_id="testpark")
            if e.action == "read"
        )


def test_company_page_reads_the_company_and_the_park_header(saved):
    writer = views.ReadAuditWriter(saved)
    with db.session_scope(saved) as session:
        header, company = views.read_company_page(session, OWNER, "testpark", "c01", audit=writer)
        assert header == views.park_header(session, "testpark")
        assert header.company_count == 3
        same = views.read_one_company(session, OWNER, "testpark", "c01", audit=writer)
        assert company == same
        with pytest.raises(AccessDeniedError):
            views.read_company_page(session, OWNER, "testpark", "c02", audit=writer)
        with pytest.raises(NotFoundError, match="c99"):
            views.read_company_page(session, MANAGER, "testpark", "c99", audit=writer)
        with pytest.raises(NotFoundError, match="nergens"):
            views.read_company_page(session, MANAGER, "nergens", "c01", audit=writer)
    assert writer.pending == 2  # the two allowed reads, queued
    assert _reads(saved) == Counter()
    assert writer.flush(timeout_s=120)
    assert _reads(saved) == Counter({("owner@example.org", "c01"): 2})


def test_fingerprint_and_header_follow_changes_not_reads(saved):
    with db.session_scope(saved) as session:
        first = views.park_fingerprint(session, "testpark")
        header, baseline = views.park_header_and_baseline(session, "testpark")
        assert header.name and baseline["park"]["totals"]
    with db.session_scope(saved) as session:
        views.read_one_company(session, MANAGER, "testpark", "c02")  # audited right here
        assert views.park_fingerprint(session, "testpark") == first
    with db.session_scope(saved) as session:
        companies.update_company(session, MANAGER, "testpark", "c02", {"employees": 12})
    with db.session_scope(saved) as session:
        assert views.park_fingerprint(session, "testpark") != first
        again, _ = views.park_header_and_baseline(session, "testpark")
        assert again == header  # the park's own fields did not change
    with db.session_scope(saved) as session, pytest.raises(NotFoundError):
        views.park_header(session, "nergens")


def test_the_writer_keeps_order_and_count_over_several_drains(saved):
    writer = views.ReadAuditWriter(saved)
    for n in range(5):
        writer.record(MANAGER, "testpark", f"c0{1 + n % 3}")
        if n % 2:
            writer.drain()
    assert writer.pending == 1
    writer.close()
    assert writer.pending == 0
    with db.session_scope(saved) as session:
        ids = [
            e.entity_id
            for e in repository.list_audit(session, park_id="testpark")
            if e.action == "read"
        ]
    assert ids == ["c01", "c02", "c03", "c01", "c02"]
    writer.record(MANAGER, "testpark", "c03")  # after close: written at once
    assert writer.pending == 0


def test_the_page_query_loads_every_list_once_in_order(saved):
    """Connections and vehicles are joined into one query (their rows multiply): each item
    still appears once, in order, as when the whole park is read."""
    writer = views.ReadAuditWriter(saved)
    with db.session_scope(saved) as session:
        for company_id in ("c01", "c02", "c03"):
            _, fast = views.read_company_page(
                session, MANAGER, "testpark", company_id, audit=writer
            )
            assert fast == views.read_one_company(
                session, MANAGER, "testpark", company_id, audit=writer
            )
            assert fast == companies.read_company(session, MANAGER, "testpark", company_id)
        c01 = views.read_one_company(session, MANAGER, "testpark", "c01", audit=writer)
    assert (len(c01.connections), len(c01.roofs), len(c01.vehicles)) == (3, 2, 2)
    assert [v.kind for v in c01.vehicles] == ["truck", "van"]
    writer.close()
