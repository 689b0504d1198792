"""Database connection, sessions and migrations.

The default database is an SQLite file in the user's data folder
(``settings.resolved_database_url``); ``PARKPLAN_DATABASE_URL`` selects another one, e.g.
PostgreSQL (``postgresql+psycopg://user:password@host/db``). The schema is created and
migrated with Alembic; the migrations ship inside the package and run programmatically:

>>> upgrade()                      # doctest: +SKIP
>>> with session_scope() as s:     # doctest: +SKIP
...     ...

:func:`session_scope` brings the schema to the latest revision the first time a process
opens a database, so every command works on a fresh machine.

Changing the schema: edit the tables (``parkplan.store.tables``, or a module that shares its
``Base``), then write the migration with

    .venv/bin/python -c "from parkplan.store.db import autogenerate_revision as a; a('add x')"

review the file it prints, and run ``tests/store`` (a test checks that the migrated schema
equals the models on SQLite and PostgreSQL).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, make_url
from sqlalchemy.orm import Session, sessionmaker

from parkplan.domain.errors import ParkplanError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
"""Alembic script directory shipped inside the package."""

SQLITE_POOL_SIZE = 40
"""Connections kept open per SQLite file (and as many more at peaks, closed after use)."""

_engines: dict[str, Engine] = {}
_at_head: set[str] = set()
_lock = threading.Lock()


def database_url(url: str | None = None) -> str:
    """The database URL to use: ``url`` or the configured default."""
    if url:
        return url
    from parkplan.settings import get_settings

    return get_settings().resolved_database_url


def display_url(url: str | None = None) -> str:
    """The database URL with the password hidden, for messages."""
    return make_url(database_url(url)).render_as_string(hide_password=True)


def sqlite_path(url: str | None = None) -> Path | None:
    """The file of an SQLite database URL; ``None`` for other databases or in-memory."""
    u = make_url(database_url(url))
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _configure_sqlite(engine: Engine) -> None:
    """Foreign keys on and real transactions (SAVEPOINT included) for pysqlite.

    The pysqlite driver starts transactions lazily and ignores SAVEPOINT semantics; the
    SQLAlchemy recipe is to switch its own handling off and emit BEGIN ourselves.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # concurrent web requests: readers never block the writer (WAL) and a writer waits
        # for another instead of failing at once with "database is locked"; in WAL mode
        # synchronous=NORMAL keeps the database consistent and skips an fsync per commit
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # execution option sqlite_begin="IMMEDIATE": take the write lock at the start, so a
        # transaction that reads and then writes never fails on a snapshot another wrote past
        mode = connection.get_execution_options().get("sqlite_begin")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if mode == "IMMEDIATE" else "BEGIN")


def get_engine(url: str | None = None) -> Engine:
    """The engine of a database (one per URL per process).

    Parameters
    ----------
    url
        SQLAlchemy URL; default ``settings.resolved_database_url``. For an SQLite file the
        folder is created when missing, and foreign keys are enforced.
    """
    url = database_url(url)
    with _lock:
        engine = _engines.get(url)
        if engine is not None:
            return engine
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        options: dict[str, Any] = {}
        if path is not None:
            # the web app serves up to ~40 requests at once (threads), each with a
            # connection: keep them open instead of connecting anew (and setting the
            # PRAGMAs) whenever more than the default 5 were in use
            options = {"pool_size": SQLITE_POOL_SIZE, "max_overflow": SQLITE_POOL_SIZE}
        engine = create_engine(url, future=True, **options)
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine)
        _engines[url] = engine
        return engine


def dispose_engines() -> None:
    """Close all pooled connections and forget the engines (tests, shutdown)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _sessionmakers.clear()
        _at_head.clear()


def _alembic_config(connection: Any = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest migration revision shipped with this version of parkplan."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


class DatabaseError(ParkplanError):
    """The database cannot be reached or is not one this version of parkplan can use."""


@contextmanager
def _reachable(url: str) -> Iterator[None]:
    """Turn a failed connection into a clear :class:`DatabaseError`."""
    from sqlalchemy.exc import OperationalError

    try:
        yield
    except OperationalError as exc:
        where = display_url(url)
        raise DatabaseError(
            f"De database {where} is niet bereikbaar: {exc.orig}",
            f"The database {where} cannot be reached: {exc.orig}",
        ) from exc


def current_revision(url: str | None = None) -> str | None:
    """The revision the database is at; ``None`` for an empty (unmigrated) database."""
    from alembic.runtime.migration import MigrationContext

    url = database_url(url)
    with _reachable(url), get_engine(url).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _check_known(url: str, revision: str | None) -> None:
    """A database migrated by a newer parkplan cannot be used by this one."""
    from alembic.script import ScriptDirectory

    if revision is None:
        return
    script = ScriptDirectory.from_config(_alembic_config())
    if revision not in {s.revision for s in script.walk_revisions()}:
        where = display_url(url)
        raise DatabaseError(
            f"De database {where} heeft versie {revision}, die deze parkplan-versie niet kent "
            f"(nieuwste bekende versie: {head_revision()}); werk parkplan bij.",
            f"The database {where} is at revision {revision}, which this version of parkplan "
            f"does not know (newest known: {head_revision()}); update parkplan.",
        )


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Create the database or migrate it to ``revision`` (default: the newest).

    Parameters
    ----------
    url
        SQLAlchemy URL; default ``settings.resolved_database_url``.
    revision
        Alembic revision to migrate to.
    """
    from alembic import command

    url = database_url(url)
    _check_known(url, current_revision(url))
    with _reachable(url), get_engine(url).begin() as conn:
        command.upgrade(_alembic_config(conn), revision)
    if revision == "head":
        _at_head.add(url)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    """Migrate the database down to ``revision`` (default: remove everything)."""
    from alembic import command

    url = database_url(url)
    with get_engine(url).begin() as conn:
        command.downgrade(_alembic_config(conn), revision)
    _at_head.discard(url)


def ensure_schema(url: str | None = None) -> None:
    """Migrate the database to the newest revision unless that was already checked."""
    url = database_url(url)
    if url in _at_head:
        return
    if current_revision(url) != head_revision():
        upgrade(url)
    _at_head.add(url)


def table_names(url: str | None = None) -> list[str]:
    """Names of the tables in the database (for diagnostics)."""
    with get_engine(url).connect() as conn:
        return sorted(inspect(conn).get_table_names())


def schema_checked(url: str | None = None) -> bool:
    """Whether this process already brought the database to the newest revision."""
    return database_url(url) in _at_head


def open_session(url: str | None = None) -> Session:
    """A new session (objects stay readable after commit); the caller commits and closes.

    The schema is brought to the newest revision first (once per process and database);
    after that no I/O happens until the first query.
    """
    url = database_url(url)
    ensure_schema(url)
    return _sessionmaker(get_engine(url))()


_sessionmakers: dict[Engine, sessionmaker[Session]] = {}


def _sessionmaker(engine: Engine) -> sessionmaker[Session]:
    maker = _sessionmakers.get(engine)
    if maker is None:
        with _lock:
            maker = _sessionmakers.setdefault(
                engine, sessionmaker(bind=engine, expire_on_commit=False)
            )
    return maker


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error.

    The schema is brought to the newest revision first (once per process and database).

    Parameters
    ----------
    url
        SQLAlchemy URL; default ``settings.resolved_database_url``.
    """
    session = open_session(url)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def autogenerate_revision(message: str, version_path: str | Path | None = None) -> Path:
    """Developer tool: write a migration for what the models add to the newest revision.

    The migrations are applied to a temporary SQLite database and compared with the
    models; the difference becomes revision ``<head + 1>`` (four digits).

    Parameters
    ----------
    message
        What the migration does, in a few words.
    version_path
        Folder to write to; default the package's ``migrations/versions``.

    Returns
    -------
    Path
        The new migration file.
    """
    import tempfile

    from alembic import command

    head = head_revision()
    rev_id = f"{int(head) + 1:04d}" if head.isdigit() else None
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'autogenerate.sqlite'}"
        upgrade(url)
        try:
            with get_engine(url).begin() as conn:
                cfg = _alembic_config(conn)
                if version_path is not None:
                    cfg.set_main_option("path_separator", "os")
                    locations = [str(MIGRATIONS_DIR / "versions"), str(version_path)]
                    cfg.set_main_option("version_locations", os.pathsep.join(locations))
                script = command.revision(
                    cfg,
                    message=message,
                    autogenerate=True,
                    rev_id=rev_id,
                    version_path=str(version_path) if version_path else None,
                )
        finally:
            with _lock:
                engine = _engines.pop(url, None)
                if engine is not None:
                    _sessionmakers.pop(engine, None)
                    engine.dispose()
                _at_head.discard(url)
    assert script is not None and not isinstance(script, list)
    return Path(script.path)
