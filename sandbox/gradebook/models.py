"""The gradebook's tables, as the code uses them today.

A change here needs a migration in `migrations/versions/` too: `tests/test_migrations.py`
fails while the migrated schema and these tables differ.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

classes = sa.Table(
    "classes",
    metadata,
    sa.Column("class_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("scenario", sa.String(200), nullable=False),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("deadline", sa.DateTime, nullable=True),
    sa.Column("feedback_released", sa.Boolean, nullable=False, default=False),
    sa.Column("feedback_released_at", sa.DateTime, nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.CheckConstraint("mode IN ('practice', 'exam')", name="classes_mode"),
)

trainees = sa.Table(
    "trainees",
    metadata,
    # Ids are per class: the same 工号 may attend two classes of one gradebook.
    sa.Column("class_id", sa.String(64), sa.ForeignKey("classes.class_id"), primary_key=True),
    sa.Column("trainee_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("id_number", sa.String(32), nullable=True),
    sa.Column("token_hash", sa.String(64), nullable=True, unique=True),
)

attempts = sa.Table(
    "attempts",
    metadata,
    sa.Column("attempt_id", sa.String(36), primary_key=True),
    sa.Column("trainee", sa.String(200), nullable=False),
    sa.Column("class_id", sa.String(64), sa.ForeignKey("classes.class_id"), nullable=True),
    sa.Column("scenario", sa.String(200), nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=False),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("finished_at", sa.DateTime, nullable=True),
    # What a trainee's own session is resumed by, e.g. the notebook it was started in.
    sa.Column("label", sa.String(100), nullable=True),
    # The sandbox version that ran it: a replay is only faithful on the same code.
    sa.Column("version", sa.String(32), nullable=True),
    # The last action's seq: bumping it first in every write serialises writers per attempt.
    sa.Column("last_seq", sa.Integer, nullable=False, default=0),
    # When a local self-test was ended and its feedback shown (class exams: classes.feedback_released).
    sa.Column("feedback_released_at", sa.DateTime, nullable=True),
    sa.CheckConstraint("mode IN ('practice', 'exam')", name="attempts_mode"),
)

actions = sa.Table(
    "actions",
    metadata,
    sa.Column("attempt_id", sa.String(36), sa.ForeignKey("attempts.attempt_id"), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("stage", sa.String(64), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("payload", sa.JSON, nullable=True),
    sa.Column("sim_time", sa.DateTime, nullable=True),
    sa.Column("wall_time", sa.DateTime, nullable=False),
)

stage_scores = sa.Table(
    "stage_scores",
    metadata,
    sa.Column("attempt_id", sa.String(36), sa.ForeignKey("attempts.attempt_id"), primary_key=True),
    sa.Column("stage", sa.String(64), primary_key=True),
    sa.Column("score", sa.Float, nullable=False),  # the latest submission's
    sa.Column("max_score", sa.Float, nullable=False),
    # The first submission's score and the best of all (practice feedback teaches, so a later
    # try measures what was learnt; class reports read the first).
    sa.Column("first_score", sa.Float, nullable=True),
    sa.Column("best_score", sa.Float, nullable=True),
    sa.Column("details", sa.JSON, nullable=True),
    sa.Column("submissions", sa.Integer, nullable=False, default=1),
    sa.Column("submitted_at", sa.DateTime, nullable=False),
)

# The secret a class's per-trainee seeds are derived from (never shown to trainees).
class_secrets = sa.Table(
    "class_secrets",
    metadata,
    sa.Column("class_id", sa.String(64), sa.ForeignKey("classes.class_id"), primary_key=True),
    sa.Column("secret", sa.String(64), nullable=False),
)

# The latest report of an attempt (Attempt.report() with every miss), saved when a stage is
# scored, so `sandbox report ATTEMPT --html` works after the session has ended.
attempt_reports = sa.Table(
    "attempt_reports",
    metadata,
    sa.Column("attempt_id", sa.String(36), sa.ForeignKey("attempts.attempt_id"), primary_key=True),
    sa.Column("report", sa.JSON, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

# Each logged call's payload, once, compressed, by content (blobs.py); actions keep its digest.
payload_blobs = sa.Table(
    "payload_blobs",
    metadata,
    sa.Column("digest", sa.String(64), primary_key=True),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
)


ATTEMPT_COLUMNS = [
    "attempt_id", "trainee", "class_id", "scenario", "seed", "mode", "started_at",
    "finished_at", "label", "version", "feedback_released_at", "score", "max_score",
]
ACTION_COLUMNS = ["attempt_id", "seq", "stage", "action", "payload", "sim_time", "wall_time"]
STAGE_SCORE_COLUMNS = [
    "attempt_id", "stage", "score", "max_score", "details", "submissions", "submitted_at",
    "first_score", "best_score",
]

# Issue 14. The one attempt of a trainee in a class (per sandbox version: another version might
# not replay it): the primary key makes two servers that both see a first call create one.
class_attempts = sa.Table(
    "class_attempts",
    metadata,
    sa.Column("class_id", sa.String(64), sa.ForeignKey("classes.class_id"), primary_key=True),
    sa.Column("trainee_id", sa.String(64), primary_key=True),
    sa.Column("version", sa.String(32), primary_key=True),
    sa.Column("attempt_id", sa.String(36), sa.ForeignKey("attempts.attempt_id"), nullable=False),
)

# What a state-changing call answered, by the idempotency key its client sent: a retry (after a
# timeout, a dropped connection, a restart) gets this answer and runs nothing again.
call_results = sa.Table(
    "call_results",
    metadata,
    sa.Column("attempt_id", sa.String(36), sa.ForeignKey("attempts.attempt_id"), primary_key=True),
    sa.Column("call_key", sa.String(64), primary_key=True),
    sa.Column("action", sa.String(100), nullable=False),
    sa.Column("result", sa.JSON, nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

TABLE_NAMES: frozenset[str] = frozenset(metadata.tables)
