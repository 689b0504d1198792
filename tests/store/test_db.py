"""Migrations, engine and session scope on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from parkplan.store import db
from parkplan.store.tables import Base, ParkRow

PARK_TABLES = {
    "audit_log",
    "company",
    "connection",
    "contact",
    "electricity_use",
    "engagement",
    "gas_use",
    "organisation",
    "park",
    "plans",
    "result",
    "roof",
    "vehicle",
}


def _model_tables() -> set[str]:
    """Every table of the models (other modules such as accounts add theirs)."""
    return {t.name for t in Base.metadata.sorted_tables} | {"alembic_version"}


def test_upgrade_creates_every_table_at_head(db_url):
    assert db.current_revision(db_url) is None
    db.upgrade(db_url)
    assert set(db.table_names(db_url)) == _model_tables()
    assert set(db.table_names(db_url)) >= PARK_TABLES
    assert db.current_revision(db_url) == db.head_revision()


def test_migrated_schema_equals_the_models(db_url):
    db.upgrade(db_url)
    with db.get_engine(db_url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_downgrade_removes_everything_and_upgrade_is_repeatable(db_url):
    db.upgrade(db_url)
    db.upgrade(db_url)  # already at head: nothing to do
    db.downgrade(db_url)
    assert set(db.table_names(db_url)) == {"alembic_version"}
    db.upgrade(db_url)
    assert set(db.table_names(db_url)) == _model_tables()


def test_session_scope_migrates_commits_and_rolls_back(db_url):
    with db.session_scope(db_url) as session:
        session.add(ParkRow(id="a", name="A"))
    with pytest.raises(RuntimeError), db.session_scope(db_url) as session:
        session.add(ParkRow(id="b", name="B"))
        session.flush()
        raise RuntimeError("stop")
    with db.session_scope(db_url) as session:
        ids = session.execute(text("SELECT id FROM park ORDER BY id")).scalars().all()
    assert ids == ["a"]


def test_foreign_keys_are_enforced(db_url):
    from sqlalchemy.exc import IntegrityError

    from parkplan.store.tables import CompanyRow

    with pytest.raises(IntegrityError), db.session_scope(db_url) as session:
        session.add(CompanyRow(park_id="nowhere", position=0, id="c1", name="X"))
        session.flush()


def test_get_engine_defaults_to_settings_and_creates_the_folder(tmp_database_url):
    path = db.sqlite_path()
    assert path is not None
    assert str(path) in tmp_database_url
    assert not path.parent.exists()
    engine = db.get_engine()
    assert str(engine.url) == tmp_database_url
    assert path.parent.is_dir()
    assert db.get_engine() is engine
    db.upgrade()
    assert path.is_file()
    assert "park" in db.table_names()


def test_display_url_hides_the_password():
    url = "postgresql+psycopg://parkplan:geheim@db.example:5432/parkplan"
    shown = db.display_url(url)
    assert "geheim" not in shown
    assert shown.startswith("postgresql+psycopg://parkplan:")
    assert db.sqlite_path(url) is None


def test_a_database_from_a_newer_parkplan_is_refused(db_url):
    db.upgrade(db_url)
    with db.get_engine(db_url).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))
    db.dispose_engines()  # forget that this database was at head
    with pytest.raises(db.DatabaseError) as exc, db.session_scope(db_url):
        pass
    assert "f00d" in exc.value.nl
    assert "werk parkplan bij" in exc.value.nl


def test_an_unreachable_database_gives_a_clear_error():
    url = "postgresql+psycopg://parkplan:geheim@127.0.0.1:1/nergens"
    with pytest.raises(db.DatabaseError) as exc:
        db.upgrade(url)
    assert "niet bereikbaar" in exc.value.nl
    assert "geheim" not in exc.value.nl
    db.dispose_engines()


def test_autogenerate_finds_nothing_to_add(tmp_path):
    path = db.autogenerate_revision("nothing", version_path=tmp_path)
    text_ = path.read_text(encoding="utf-8")
    assert path.parent == tmp_path
    assert f"down_revision: str | None = {db.head_revision()!r}" in text_
    body = text_.split("def upgrade() -> None:")[1]
    assert "pass" in body
    assert "op." not in body  # neither in upgrade nor in downgrade
