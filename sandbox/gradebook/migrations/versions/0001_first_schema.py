"""The first gradebook: what the sandbox wrote before attempts could be resumed.

Classes, trainees, attempts (without `label` and `version`), actions, stage scores, class
secrets and stored reports. The tables are written out here, not taken from models.py:
a migration describes the schema as it was then, whatever the models say today.

Revision ID: 0001_first_schema
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001_first_schema"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "classes",
        sa.Column("class_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("scenario", sa.String(200), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("deadline", sa.DateTime, nullable=True),
        sa.Column("feedback_released", sa.Boolean, nullable=False),
        sa.Column("feedback_released_at", sa.DateTime, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.CheckConstraint("mode IN ('practice', 'exam')", name="classes_mode"),
    )
    op.create_table(
        "trainees",
        sa.Column("class_id", sa.String(64), sa.ForeignKey("classes.class_id"), primary_key=True),
        sa.Column("trainee_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("id_number", sa.String(32), nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=True, unique=True),
    )
    op.create_table(
        "attempts",
        sa.Column("attempt_id", sa.String(36), primary_key=True),
        sa.Column("trainee", sa.String(200), nullable=False),
        sa.Column("class_id", sa.String(64), sa.ForeignKey("classes.class_id"), nullable=True),
        sa.Column("scenario", sa.String(200), nullable=False),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime, nullable=True),
        sa.Column("last_seq", sa.Integer, nullable=False),
        sa.CheckConstraint("mode IN ('practice', 'exam')", name="attempts_mode"),
    )
    op.create_table(
        "class_secrets",
        sa.Column("class_id", sa.String(64), sa.ForeignKey("classes.class_id"), primary_key=True),
        sa.Column("secret", sa.String(64), nullable=False),
    )
    op.create_table(
        "actions",
        sa.Column("attempt_id", sa.String(36), sa.ForeignKey("attempts.attempt_id"),
                  primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("stage", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON, nullable=True),
        sa.Column("sim_time", sa.DateTime, nullable=True),
        sa.Column("wall_time", sa.DateTime, nullable=False),
    )
    op.create_table(
        "stage_scores",
        sa.Column("attempt_id", sa.String(36), sa.ForeignKey("attempts.attempt_id"),
                  primary_key=True),
        sa.Column("stage", sa.String(64), primary_key=True),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("max_score", sa.Float, nullable=False),
        sa.Column("details", sa.JSON, nullable=True),
        sa.Column("submissions", sa.Integer, nullable=False),
        sa.Column("submitted_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "attempt_reports",
        sa.Column("attempt_id", sa.String(36), sa.ForeignKey("attempts.attempt_id"),
                  primary_key=True),
        sa.Column("report", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("attempt_reports", "stage_scores", "actions", "class_secrets", "attempts",
                  "trainees", "classes"):
        op.drop_table(table)
