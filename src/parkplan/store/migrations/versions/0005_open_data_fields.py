"""open data fields of a company: energy label, construction year, building use

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 04:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.add_column(sa.Column("energy_label", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("construction_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("building_use", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.drop_column("building_use")
        batch_op.drop_column("construction_year")
        batch_op.drop_column("energy_label")
