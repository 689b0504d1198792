"""Alembic environment of parkplan, run programmatically by :func:`parkplan.store.db.upgrade`.

The caller passes an open connection in ``config.attributes["connection"]``; without one
(the ``alembic`` command line), the URL comes from ``sqlalchemy.url`` or the parkplan
settings.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy import Connection

from parkplan.store.tables import Base, UTCDateTime

target_metadata = Base.metadata


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Render parkplan's own column types as the plain SQLAlchemy types they store."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the connection given by the caller, or open one."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from parkplan.store.db import get_engine

    url = context.config.get_main_option("sqlalchemy.url") or None
    with get_engine(url).begin() as conn:
        _run(conn)


if context.is_offline_mode():
    raise SystemExit("parkplan: offline (SQL script) migrations are not supported")
run_migrations_online()
