"""What makes the busiest pages fast keeps every security property (issue 8, Performance).

- Reads of company data are audited after the answer, in batches: every read still gets
  exactly one entry (also with many readers at once, and for reads queued at shutdown), a
  refused read gets none, and a batch waits for the database's write lock.
- The session cache: log out and in-process account changes take effect at once; changes
  by another process within the cache's lifetime; never past the session's expiry.
- The park header and baseline in memory follow the park's changes; the fingerprint query
  uses the partial audit index (migration 0006).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from pathlib import Path

import pytest

PARK = "voorbeeldpark"  # as in conftest.py
OTHER_PARK = "anderpark"
PASSWORD = "wachtwoord-123"
EMAIL = {
    "park_manager": "manager@example.org",
    "entrepreneur": "owner@example.org",
    "advisor": "advisor@example.org",
}
EXAMPLE = Path(__file__).parents[1] / "data" / "parkfile-v1.example.yaml"


def _csrf(client) -> str:
    return client.get("/api/me").json()["csrf_token"]


def _reads(url: str, actor: str) -> Counter[str]:
    from parkplan.store.db import session_scope
    from parkplan.store.repository import list_audit

    with session_scope(url) as session:
        return Counter(
            e.entity_id
            for e in list_audit(session, park_id=PARK)
            if e.action == "read" and e.entity == "company" and e.actor == actor
        )


def _sqlite_file(url: str) -> str:
    from parkplan.store.db import sqlite_path

    path = sqlite_path(url)
    assert path is not None
    return str(path)


def test_every_company_page_read_is_audited_exactly_once(web):
    manager_email = EMAIL["park_manager"]
    manager = web.login("park_manager")
    cookies = {"parkplan_session": manager.cookies.get("parkplan_session")}
    before = _reads(web.url, manager_email)
    plan = {i: [f"c0{1 + (i + k) % 3}" for k in range(7)] for i in range(5)}
    statuses: list[int] = []
    lock = threading.Lock()

    def reader(i: int) -> None:
        client = web.client()
        client.cookies.update(cookies)
        for company in plan[i]:
            code = client.get(f"/parken/{PARK}/bedrijven/{company}").status_code
            with lock:
                statuses.append(code)

    threads = [threading.Thread(target=reader, args=(i,)) for i in plan]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert statuses == [200] * 35
    assert web.app.state.read_audit.flush(timeout_s=120)
    expected = Counter(c for ids in plan.values() for c in ids)
    assert _reads(web.url, manager_email) - before == expected


def test_a_refused_read_is_not_audited(web):
    owner_email = EMAIL["entrepreneur"]
    owner = web.login("entrepreneur")  # owns c01, may not see c02
    before = _reads(web.url, owner_email)
    assert owner.get(f"/parken/{PARK}/bedrijven/c02").status_code == 403
    assert owner.get(f"/parken/{PARK}/bedrijven/c01").status_code == 200
    assert web.app.state.read_audit.flush(timeout_s=120)
    assert _reads(web.url, owner_email) - before == Counter({"c01": 1})


def test_the_entry_is_written_right_after_the_answer(web):
    manager = web.login("park_manager")
    before = _reads(web.url, EMAIL["park_manager"])
    assert manager.get(f"/parken/{PARK}/bedrijven/c03").status_code == 200
    # the request's background task wrote it: no flush needed, nothing left queued
    assert _reads(web.url, EMAIL["park_manager"]) - before == Counter({"c03": 1})
    assert web.app.state.read_audit.pending == 0


def test_entries_still_queued_at_shutdown_are_written(web):
    from fastapi.testclient import TestClient

    from parkplan.domain.access import Principal, Role
    from parkplan.web.app import create_app

    app = create_app(web.url)
    advisor_email = EMAIL["advisor"]
    before = _reads(web.url, advisor_email)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        form = client.get("/inloggen")
        token = form.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        login = {"email": advisor_email, "password": PASSWORD, "csrf_token": token}
        assert client.post("/inloggen", data=login).status_code == 303
        for company in ("c01", "c03"):
            assert client.get(f"/parken/{PARK}/bedrijven/{company}").status_code == 200
        # a read whose drain never ran (as when the answer could not be sent)
        app.state.read_audit.record(Principal(None, advisor_email, Role.ADVISOR), PARK, "c02")
        assert app.state.read_audit.pending == 1
    # leaving the block shut the app down: what was queued is written
    assert app.state.read_audit.pending == 0
    assert _reads(web.url, advisor_email) - before == Counter({"c01": 1, "c02": 1, "c03": 1})


def test_a_batch_waits_for_the_write_lock_and_is_then_written(web):
    from parkplan.domain.access import Principal, Role
    from parkplan.services.views import ReadAuditWriter

    writer = ReadAuditWriter(web.url)
    who = Principal(None, "lock-test@example.org", Role.ADMINISTRATOR)
    other = sqlite3.connect(_sqlite_file(web.url), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another writer holds the database
        writer.record(who, PARK, "c02")
        drainer = threading.Thread(target=writer.drain_logged)
        drainer.start()
        assert writer.pending == 1  # the drain waits for the lock
        other.execute("ROLLBACK")
        drainer.join()
        # written by the drain, or here if that gave up after the busy timeout (kept queued)
        assert writer.flush(timeout_s=120)
    finally:
        other.close()
        writer.close()
    assert writer.pending == 0
    assert _reads(web.url, who.email) == Counter({"c02": 1})


def test_log_out_ends_a_cached_session_at_once(web):
    manager = web.login("park_manager")
    cookie = manager.cookies.get("parkplan_session")
    for _ in range(2):  # the second answer comes from the cache
        assert manager.get(f"/parken/{PARK}").status_code == 200
    assert manager.post("/uitloggen", data={"csrf_token": _csrf(manager)}).status_code == 303
    stale = web.client()
    stale.cookies.set("parkplan_session", cookie)
    answer = stale.get(f"/parken/{PARK}")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/inloggen?verlopen=1"
    assert stale.get("/api/me").status_code == 401


def test_an_account_change_in_this_process_is_seen_at_once(web):
    from sqlalchemy import delete, select

    from parkplan.store.accounts import UserParkRow, UserRow
    from parkplan.store.db import session_scope

    advisor = web.login("advisor")
    assert advisor.get(f"/parken/{PARK}").status_code == 200
    assert advisor.get(f"/parken/{PARK}").status_code == 200  # cached
    with session_scope(web.url) as session:
        user_id = session.scalar(select(UserRow.id).where(UserRow.email == EMAIL["advisor"]))
        session.execute(
            delete(UserParkRow).where(UserParkRow.user_id == user_id, UserParkRow.park_id == PARK)
        )
    try:
        assert advisor.get(f"/parken/{PARK}").status_code == 403
    finally:
        with session_scope(web.url) as session:
            session.add(UserParkRow(user_id=user_id, park_id=PARK))
    assert advisor.get(f"/parken/{PARK}").status_code == 200


@pytest.fixture
def frozen_cache(web):
    """The app's session cache on a clock the test moves (restored afterwards)."""
    cache = web.app.state.session_cache
    now = {"t": 1000.0}
    saved = cache.clock
    cache.clock = lambda: now["t"]
    cache.invalidate()
    yield cache, now
    cache.clock = saved
    cache.invalidate()


def test_a_change_by_another_process_is_seen_within_the_cache_lifetime(web, frozen_cache):
    from parkplan.web.security import token_digest

    cache, now = frozen_cache
    assert cache.ttl_s <= 5.0
    manager = web.login("park_manager")
    token = manager.cookies.get("parkplan_session")
    assert manager.get(f"/parken/{PARK}").status_code == 200
    # another process (no ORM events here) ends the session
    other = sqlite3.connect(_sqlite_file(web.url), isolation_level=None)
    try:
        other.execute("DELETE FROM web_session WHERE token_digest = ?", (token_digest(token),))
    finally:
        other.close()
    assert manager.get(f"/parken/{PARK}").status_code == 200  # the cache, for ttl_s at most
    now["t"] += cache.ttl_s
    assert manager.get(f"/parken/{PARK}").status_code == 303


def test_session_cache_rules():
    from parkplan.web.security import SessionCache

    t = {"mono": 0.0, "wall": 5000.0}
    cache: SessionCache[str] = SessionCache(
        ttl_s=2.0, clock=lambda: t["mono"], wall_clock=lambda: t["wall"]
    )
    cache.put("a", "alice", expires_at_s=5010.0, generation=cache.generation())
    assert cache.get("a") == "alice"
    assert cache.get("unknown") is None
    t["mono"] = 1.9
    assert cache.get("a") == "alice"
    t["mono"] = 2.0  # lifetime over
    assert cache.get("a") is None
    # never past the session's own expiry
    cache.put("a", "alice", expires_at_s=5010.0, generation=cache.generation())
    t["wall"] = 5010.0
    assert cache.get("a") is None
    # a lookup that began before an invalidation does not store its answer
    t["wall"] = 5000.0
    started = cache.generation()
    cache.invalidate()
    cache.put("a", "stale", expires_at_s=5010.0, generation=started)
    assert cache.get("a") is None
    cache.put("b", "bob", expires_at_s=5010.0, generation=cache.generation())
    started = cache.generation()
    cache.discard("b")
    assert cache.get("b") is None
    cache.put("b", "stale", expires_at_s=5010.0, generation=started)
    assert cache.get("b") is None


def test_the_dashboard_follows_changes_of_the_park(web):
    import copy

    import yaml

    from parkplan.io.parkfile import park_from_document
    from parkplan.services.parks import save_park
    from parkplan.store.db import session_scope

    admin = web.login("administrator")
    page = admin.get(f"/parken/{OTHER_PARK}")
    assert page.status_code == 200
    assert "<h1>Ander park</h1>" in page.text and "· 3 bedrijven" in page.text
    assert admin.get(f"/parken/{OTHER_PARK}").text == page.text  # from memory, the same
    doc = copy.deepcopy(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    doc["park"]["id"] = OTHER_PARK
    doc["park"]["name"] = "Ander park, hernoemd"
    doc["companies"] = doc["companies"][:2]
    park, _ = park_from_document(doc)
    with session_scope(web.url) as session:
        save_park(session, park, replace=True, actor="test")
    page = admin.get(f"/parken/{OTHER_PARK}")
    assert "<h1>Ander park, hernoemd</h1>" in page.text and "· 2 bedrijven" in page.text


def test_the_fingerprint_ignores_reads_and_uses_the_partial_index(web):
    from sqlalchemy import text

    from parkplan.services.views import fingerprint_query, park_fingerprint
    from parkplan.store.db import session_scope

    manager = web.login("park_manager")
    with session_scope(web.url) as session:
        first = park_fingerprint(session, PARK)
        sql = str(
            fingerprint_query(PARK).compile(
                dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
            )
        )
        plan = " ".join(str(r) for r in session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "ix_audit_log_park_change" in plan
    assert manager.get(f"/parken/{PARK}/bedrijven/c02").status_code == 200
    assert web.app.state.read_audit.flush(timeout_s=120)
    with session_scope(web.url) as session:
        assert park_fingerprint(session, PARK) == first  # a read changes nothing
    answer = manager.patch(
        f"/api/parks/{PARK}/companies/c02",
        json={"employees": 77},
        headers={"X-CSRF-Token": _csrf(manager)},
    )
    assert answer.status_code == 200
    with session_scope(web.url) as session:
        assert park_fingerprint(session, PARK) != first
