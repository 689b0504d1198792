"""transport rights: a park's time-block transport rights (park.grid.transport_rights)

Until now a park saved in the database lost its non-firm / time-block transport rights. They
are stored as JSON on the park row (``[{company, default_kw, blocks}]``; NULL: none), so
existing parks keep their rows and simply have none.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("park", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grid_transport_rights", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("park", schema=None) as batch_op:
        batch_op.drop_column("grid_transport_rights")
