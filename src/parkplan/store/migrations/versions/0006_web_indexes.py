"""web indexes: the audit log's changes per park (partial index, reads left out)

The park dashboard asks for a park's last change on every visit (the fingerprint of its
stored baseline). With only ``ix_audit_log_park_id`` that scans every audit entry of the
park, and the reads of company pages add one entry per visit. The partial index holds only
the changes (see ``parkplan.store.accounts.AUDIT_CHANGE_CONDITION``), so the answer is one
index entry.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 05:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONDITION = "action NOT IN ('read', 'export')"
"""Same text as ``AUDIT_CHANGE_CONDITION`` (a migration does not import the package)."""


def upgrade() -> None:
    op.create_index(
        "ix_audit_log_park_change",
        "audit_log",
        ["park_id", "id"],
        unique=False,
        sqlite_where=sa.text(CONDITION),
        postgresql_where=sa.text(CONDITION),
    )


def downgrade() -> None:
    op.drop_index("ix_audit_log_park_change", table_name="audit_log")
