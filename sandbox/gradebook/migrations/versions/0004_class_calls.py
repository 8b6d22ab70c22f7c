"""Issue 14: one attempt per trainee in a class, and what each state-changing call answered.

`class_attempts` maps (class, trainee, sandbox version) to the trainee's attempt: its primary
key lets two server processes that both see a trainee's first call create one attempt (the
loser reads the winner's). `call_results` keeps the answer of every state-changing call by
the idempotency key its client sent, so a retry returns it and runs nothing twice. Existing
class attempts are claimed on first use (the server looks for the trainee's latest attempt);
nothing is copied here.

Revision ID: 0004_class_calls
Revises: 0003_first_try_self_test
Create Date: 2027-02-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004_class_calls"
down_revision: str | None = "0003_first_try_self_test"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "class_attempts",
        sa.Column("class_id", sa.String(64), sa.ForeignKey("classes.class_id"), primary_key=True),
        sa.Column("trainee_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.String(32), primary_key=True),
        sa.Column("attempt_id", sa.String(36), sa.ForeignKey("attempts.attempt_id"), nullable=False),
    )
    op.create_table(
        "call_results",
        sa.Column("attempt_id", sa.String(36), sa.ForeignKey("attempts.attempt_id"), primary_key=True),
        sa.Column("call_key", sa.String(64), primary_key=True),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("result", sa.JSON, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("call_results")
    op.drop_table("class_attempts")
