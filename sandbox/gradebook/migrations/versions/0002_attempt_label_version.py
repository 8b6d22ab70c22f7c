"""Release 0.1.0: attempts keep a label and the sandbox version, for resuming them.

`label` is what a trainee's own session is resumed by (the notebook it was started in);
`version` is the sandbox version that ran the attempt (a replay is only faithful on the same
code). Before Alembic, 0.1.0 added these two columns by hand-written ALTER on open; this is
that step, once. Both are nullable: older attempts simply have neither.

Revision ID: 0002_attempt_label_version
Revises: 0001_first_schema
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002_attempt_label_version"
down_revision: str | None = "0001_first_schema"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("attempts", sa.Column("label", sa.String(100), nullable=True))
    op.add_column("attempts", sa.Column("version", sa.String(32), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN: SQLite has it since 3.35, and a batch copy of `attempts` would
    # trip over the foreign keys that point at it.
    op.drop_column("attempts", "version")
    op.drop_column("attempts", "label")
