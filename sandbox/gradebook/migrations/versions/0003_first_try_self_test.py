"""Issue 12: each stage's first-try score beside its best; when a local self-test was ended.

`stage_scores.first_score` and `best_score` keep the first submission's score and the best
one (the `score` column stays the latest). Older rows are filled from the history the
gradebook already has: every submission was logged as a ``score`` action with its score, in
order, so the first and the best are exact; a row with no such action takes its own score.
`attempts.feedback_released_at` records when a trainee ended a local self-test (its feedback,
withheld until then, is stored from that moment). All three are nullable.

Revision ID: 0003_first_try_self_test
Revises: 0002_attempt_label_version
Create Date: 2027-01-15
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision: str = "0003_first_try_self_test"
down_revision: str | None = "0002_attempt_label_version"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (as 0002): a batch copy of `attempts` would trip over its foreign keys.
    op.add_column("attempts", sa.Column("feedback_released_at", sa.DateTime, nullable=True))
    op.add_column("stage_scores", sa.Column("first_score", sa.Float, nullable=True))
    op.add_column("stage_scores", sa.Column("best_score", sa.Float, nullable=True))
    _fill_first_and_best()


def _fill_first_and_best() -> None:
    conn = op.get_bind()
    actions = sa.table("actions", sa.column("attempt_id"), sa.column("seq"), sa.column("stage"),
                       sa.column("action"), sa.column("payload"))
    scores = sa.table("stage_scores", sa.column("attempt_id"), sa.column("stage"), sa.column("score"),
                      sa.column("first_score"), sa.column("best_score"))
    history: dict[tuple[str, str], list[float]] = {}
    logged = sa.select(actions.c.attempt_id, actions.c.stage, actions.c.payload).where(
        actions.c.action == "score").order_by(actions.c.attempt_id, actions.c.seq)
    for attempt_id, stage, payload in conn.execute(logged):
        data = json.loads(payload) if isinstance(payload, str) else payload
        if isinstance(data, dict) and isinstance(data.get("score"), int | float):
            history.setdefault((attempt_id, stage), []).append(float(data["score"]))
    for attempt_id, stage, score in conn.execute(sa.select(scores.c.attempt_id, scores.c.stage, scores.c.score)):
        tried = history.get((attempt_id, stage)) or [float(score)]
        conn.execute(scores.update()
                     .where(scores.c.attempt_id == attempt_id, scores.c.stage == stage)
                     .values(first_score=tried[0], best_score=max(tried)))


def downgrade() -> None:
    op.drop_column("stage_scores", "best_score")
    op.drop_column("stage_scores", "first_score")
    op.drop_column("attempts", "feedback_released_at")
