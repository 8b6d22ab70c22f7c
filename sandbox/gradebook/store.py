"""The gradebook: classes, trainees, attempts, every action, and stage scores.

One store for local and class mode. By default a SQLite file (see database.py for how many
trainee threads write to it at once); any SQLAlchemy URL works, e.g. PostgreSQL for a class
server: ``postgresql+psycopg://user:pw@host/db``. The tables are in models.py; opening a
gradebook creates or upgrades them as migrate.py says.

Wall-clock times belong here (they are logs) and are taken when a method is called unless
the caller passes one; they never flow back into generated data. Times are stored as naive
UTC; simulated times as the naive datetimes of the scenario calendar.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from sandbox.gradebook.blobs import CALL, blob_of, call_of, digests_in, restored, stored_payload
from sandbox.gradebook.class_calls import ClassCalls
from sandbox.gradebook.database import (
    DEFAULT_FILE_NAME,
    Database,
    default_directory,
    json_default,
    resolve_url,
)
from sandbox.gradebook.errors import GradebookError
from sandbox.gradebook.migrate import prepare
from sandbox.gradebook.models import (
    ACTION_COLUMNS,
    ATTEMPT_COLUMNS,
    STAGE_SCORE_COLUMNS,
    actions,
    attempt_reports,
    attempts,
    class_secrets,
    classes,
    metadata,
    payload_blobs,
    stage_scores,
    trainees,
)
from sandbox.gradebook.recorder import AttemptRecorder, trainer_report
from sandbox.gradebook.rows import (
    MODES,
    SELF_TEST,
    Mode,
    _check_mode,
    _shown_mode,
    _sim_time,
    _stored_mode,
    _utc_naive,
)
from sandbox.version import __version__

# Names other modules import from here.
__all__ = [
    "DEFAULT_FILE_NAME", "AttemptRecorder", "Gradebook", "GradebookError", "MODES", "Mode",
    "default_directory", "metadata", "resolve_url", "trainer_report",
]



def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- the gradebook ---------------------------------------------------------------------------


class Gradebook(ClassCalls):
    """Attempts, actions and stage scores in one SQL database.

    >>> gb = Gradebook("/tmp/class1")            # a directory, a file, or any SQLAlchemy URL
    >>> a = gb.create_attempt("张三", "tutorial", seed=7)
    >>> gb.log_action(a, "review", "approve", {"entry_id": "E0001"})
    1
    """

    def __init__(self, url: str | Path | None = None) -> None:
        self._database = Database(url)
        self.engine = self._database.engine
        try:
            prepare(self._database)
        except sa.exc.OperationalError as exc:
            raise GradebookError(f"打不开成绩册 {self.url}（{exc.orig}）：请检查路径和权限，或告诉培训老师",
                                 f"cannot open the gradebook at {self.url}: {exc.orig}") from None

    @property
    def url(self) -> str:
        """The database URL with any password hidden (safe to print)."""
        return self._database.shown_url

    @property
    def is_sqlite(self) -> bool:
        return self._database.is_sqlite

    def close(self) -> None:
        self._database.dispose()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Gradebook({self.url!r})"

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """Every write goes through here: one writer at a time on SQLite (database.py)."""
        with self._database.write() as conn:
            yield conn

    # --- classes and trainees -----------------------------------------------------------------

    def create_class(
        self,
        class_id: str,
        name: str,
        scenario: str,
        mode: Mode = "practice",
        deadline: dt.datetime | None = None,
        created_at: dt.datetime | None = None,
    ) -> str:
        _check_mode(mode)
        row = {
            "class_id": class_id, "name": name, "scenario": scenario, "mode": mode,
            "deadline": _utc_naive(deadline) if deadline else None,
            "feedback_released": False, "created_at": _utc_naive(created_at),
        }
        try:
            with self._write() as conn:
                conn.execute(classes.insert().values(**row))
        except sa.exc.IntegrityError:
            raise GradebookError(f"class {class_id!r} already exists in {self.url}") from None
        return class_id

    def class_info(self, class_id: str) -> dict[str, Any]:
        with self.engine.connect() as conn:
            row = conn.execute(classes.select().where(classes.c.class_id == class_id)).mappings().first()
        if row is None:
            raise GradebookError(f"no class {class_id!r} in {self.url}")
        return dict(row)

    def add_trainee(
        self,
        class_id: str,
        trainee_id: str,
        name: str,
        token: str | None = None,
        id_number: str | None = None,
    ) -> str:
        """Enrol a trainee; only a hash of their access token is stored."""
        self.class_info(class_id)  # a clear error for an unknown class
        row = {
            "trainee_id": trainee_id, "class_id": class_id, "name": name,
            "id_number": id_number, "token_hash": _hash_token(token) if token else None,
        }
        try:
            with self._write() as conn:
                conn.execute(trainees.insert().values(**row))
        except sa.exc.IntegrityError:
            raise GradebookError(
                f"trainee {trainee_id!r} or their token is already enrolled in {self.url}"
            ) from None
        return trainee_id

    def trainee_for_token(self, token: str) -> dict[str, Any] | None:
        """The trainee a class-mode token belongs to, or None."""
        query = trainees.select().where(trainees.c.token_hash == _hash_token(token))
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return dict(row) if row else None

    def trainees(self, class_id: str) -> pd.DataFrame:
        query = (
            sa.select(trainees.c.trainee_id, trainees.c.class_id, trainees.c.name, trainees.c.id_number)
            .where(trainees.c.class_id == class_id)
            .order_by(trainees.c.trainee_id)
        )
        return self._frame(query, ["trainee_id", "class_id", "name", "id_number"])

    def release_feedback(self, class_id: str, released_at: dt.datetime | None = None) -> None:
        """Let an exam class see its detailed feedback."""
        with self._write() as conn:
            result = conn.execute(
                classes.update()
                .where(classes.c.class_id == class_id)
                .values(feedback_released=True, feedback_released_at=_utc_naive(released_at))
            )
        if result.rowcount == 0:
            raise GradebookError(f"no class {class_id!r} in {self.url}")

    def feedback_released(self, class_id: str) -> bool:
        return bool(self.class_info(class_id)["feedback_released"])

    # --- attempts and actions -----------------------------------------------------------------

    def create_attempt(
        self,
        trainee: str,
        scenario: str,
        seed: int,
        mode: Mode = "practice",
        class_id: str | None = None,
        attempt_id: str | None = None,
        started_at: dt.datetime | None = None,
        label: str | None = None,
    ) -> str:

        """Open an attempt and return its id (a UUID unless one is given)."""
        mode = _stored_mode(mode, class_id)
        if class_id is not None:
            self.class_info(class_id)
        attempt_id = attempt_id or str(uuid.uuid4())
        row = {
            "attempt_id": attempt_id, "trainee": trainee, "class_id": class_id,
            "scenario": scenario, "seed": int(seed), "mode": mode,
            "started_at": _utc_naive(started_at), "finished_at": None, "label": label,
            "version": __version__, "last_seq": 0,
        }
        try:
            with self._write() as conn:
                conn.execute(attempts.insert().values(**row))
        except sa.exc.IntegrityError:
            raise GradebookError(f"attempt {attempt_id!r} already exists in {self.url}") from None
        return attempt_id

    def finish_attempt(self, attempt_id: str, finished_at: dt.datetime | None = None) -> None:
        with self._write() as conn:
            self._finish_attempt(conn, attempt_id, finished_at)

    def _finish_attempt(self, conn: Connection, attempt_id: str, finished_at: dt.datetime | None) -> None:
        self._next_seq(conn, attempt_id, bump=False)
        conn.execute(
            attempts.update()
            .where(attempts.c.attempt_id == attempt_id)
            .values(finished_at=_utc_naive(finished_at))
        )

    def _next_seq(self, conn: Connection, attempt_id: str, bump: bool = True) -> int:
        """Lock the attempt and number the next action. On PostgreSQL this UPDATE takes the
        attempt's row lock, so it comes first in its transaction and no two writers get the
        same seq; on SQLite the transaction holds the file's write lock from its BEGIN."""
        step = 1 if bump else 0
        conn.execute(
            attempts.update()
            .where(attempts.c.attempt_id == attempt_id)
            .values(last_seq=attempts.c.last_seq + step)
        )
        seq = conn.execute(
            sa.select(attempts.c.last_seq).where(attempts.c.attempt_id == attempt_id)
        ).scalar()
        if seq is None:
            raise GradebookError(f"no attempt {attempt_id!r} in {self.url}")
        return int(seq)

    def log_action(
        self,
        attempt_id: str,
        stage: str,
        action: str,
        payload: Mapping[str, Any] | list | None = None,
        sim_time: dt.datetime | dt.date | None = None,
        wall_time: dt.datetime | None = None,
    ) -> int:
        """Record one action; returns its sequence number within the attempt (1, 2, …)."""
        with self._write() as conn:
            return self._insert_action(conn, attempt_id, stage, action, payload, sim_time, wall_time)

    def _insert_action(
        self,
        conn: Connection,
        attempt_id: str,
        stage: str,
        action: str,
        payload: Mapping[str, Any] | list | None,
        sim_time: dt.datetime | dt.date | None,
        wall_time: dt.datetime | None,
    ) -> int:
        seq = self._next_seq(conn, attempt_id)
        if isinstance(payload, Mapping) and payload.get(CALL) is not None:
            payload = _store_call(conn, dict(payload))  # once, compressed (blobs.py)
        conn.execute(
            actions.insert().values(
                attempt_id=attempt_id, seq=seq, stage=stage, action=action,
                payload=dict(payload) if isinstance(payload, Mapping) else payload,
                sim_time=_sim_time(sim_time), wall_time=_utc_naive(wall_time),
            )
        )
        return seq

    def record_stage_score(
        self,
        attempt_id: str,
        stage: str,
        score: float,
        max_score: float,
        details: Mapping[str, Any] | None = None,
        sim_time: dt.datetime | dt.date | None = None,
        submitted_at: dt.datetime | None = None,
    ) -> int:
        """Set the score of a stage; a re-submission replaces it, and the first try and the
        best are kept beside it (first_score, best_score).

        Every submission is also logged as a ``score`` action, so the history stays in
        ``actions``. Returns how many times the stage has been submitted.
        """
        with self._write() as conn:
            return self._record_stage_score(conn, attempt_id, stage, score, max_score, details,
                                            sim_time, submitted_at)

    def _record_stage_score(
        self,
        conn: Connection,
        attempt_id: str,
        stage: str,
        score: float,
        max_score: float,
        details: Mapping[str, Any] | None,
        sim_time: dt.datetime | dt.date | None,
        submitted_at: dt.datetime | None,
    ) -> int:
        details = dict(details or {})
        when = _utc_naive(submitted_at)
        payload = {"score": float(score), "max_score": float(max_score), "details": details}
        self._insert_action(conn, attempt_id, stage, "score", payload, sim_time, when)
        key = (stage_scores.c.attempt_id == attempt_id) & (stage_scores.c.stage == stage)
        row = conn.execute(sa.select(stage_scores.c.submissions, stage_scores.c.best_score,
                                     stage_scores.c.score).where(key)).first()
        values = {"score": float(score), "max_score": float(max_score), "details": details,
                  "submitted_at": when}
        if row is None:  # safe: the attempt is locked by _insert_action
            conn.execute(stage_scores.insert().values(
                attempt_id=attempt_id, stage=stage, submissions=1, first_score=float(score),
                best_score=float(score), **values))
            return 1
        best = max(float(score), float(row.best_score if row.best_score is not None else row.score))
        conn.execute(stage_scores.update().where(key).values(
            submissions=row.submissions + 1, best_score=best, **values))
        return int(row.submissions) + 1

    def store_stage_details(self, attempt_id: str, stage: str, details: Mapping[str, Any]) -> None:
        """Fill in a stage's details (metrics, misses) withheld until a self-test was ended."""
        with self._write() as conn:
            self._store_stage_details(conn, attempt_id, stage, details)

    def _store_stage_details(self, conn: Connection, attempt_id: str, stage: str,
                             details: Mapping[str, Any]) -> None:
        key = (stage_scores.c.attempt_id == attempt_id) & (stage_scores.c.stage == stage)
        self._next_seq(conn, attempt_id, bump=False)  # lock the attempt, as writers do
        conn.execute(stage_scores.update().where(key).values(details=dict(details)))

    def release_attempt(self, attempt_id: str, released_at: dt.datetime | None = None) -> None:
        """Mark a local self-test ended: its feedback may be shown from now on."""
        with self._write() as conn:
            self._release_attempt(conn, attempt_id, released_at)

    def _release_attempt(self, conn: Connection, attempt_id: str, released_at: dt.datetime | None) -> None:
        self._next_seq(conn, attempt_id, bump=False)
        conn.execute(attempts.update().where(attempts.c.attempt_id == attempt_id)
                     .values(feedback_released_at=_utc_naive(released_at)))

    # --- reading ------------------------------------------------------------------------------

    def attempt(self, attempt_id: str) -> dict[str, Any]:
        """One attempt with its stage scores, totals and whether feedback may be shown."""
        frame = self.attempts(attempt_id=attempt_id)
        if frame.empty:
            raise GradebookError(f"no attempt {attempt_id!r} in {self.url}")
        record = _python_values(frame.iloc[0].to_dict())
        scores = self.stage_scores(attempt_id=attempt_id)
        record["stages"] = {
            row["stage"]: _python_values({k: row[k] for k in STAGE_SCORE_COLUMNS if k != "stage"})
            for row in scores.to_dict("records")
        }
        record["feedback_released"] = (
            record["mode"] == "practice"
            or (record["class_id"] is not None and self.feedback_released(record["class_id"]))
            or (record["class_id"] is None and record["feedback_released_at"] is not None)
        )
        return record

    def attempts(self, class_id: str | None = None, attempt_id: str | None = None) -> pd.DataFrame:
        """Attempts (of one class, or all), oldest first, with their total score."""
        totals = (
            sa.select(
                stage_scores.c.attempt_id,
                sa.func.sum(stage_scores.c.score).label("score"),
                sa.func.sum(stage_scores.c.max_score).label("max_score"),
            )
            .group_by(stage_scores.c.attempt_id)
            .subquery()
        )
        query = (
            sa.select(
                *(attempts.c[name] for name in ATTEMPT_COLUMNS[:-2]),
                sa.func.coalesce(totals.c.score, 0.0).label("score"),
                sa.func.coalesce(totals.c.max_score, 0.0).label("max_score"),
            )
            .select_from(attempts.outerjoin(totals, totals.c.attempt_id == attempts.c.attempt_id))
            .order_by(attempts.c.started_at, attempts.c.attempt_id)
        )
        if class_id is not None:
            query = query.where(attempts.c.class_id == class_id)
        if attempt_id is not None:
            query = query.where(attempts.c.attempt_id == attempt_id)
        frame = self._frame(query, ATTEMPT_COLUMNS)
        frame["mode"] = [_shown_mode(m, c) for m, c in zip(frame["mode"], frame["class_id"], strict=True)]
        return frame

    def actions(self, attempt_id: str, calls: bool = True) -> pd.DataFrame:
        """The attempt's actions in order. Each payload holds the logged call (what replay
        reads) unless `calls` is False (the class report needs only when and which)."""
        query = actions.select().where(actions.c.attempt_id == attempt_id).order_by(actions.c.seq)
        frame = self._frame(query, ACTION_COLUMNS)
        return self._with_calls(frame) if calls else frame

    def _with_calls(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Each action's payload with its call put back from payload_blobs (what replay reads)."""
        if not frame.empty:
            payloads = frame["payload"].tolist()
            stored = self._calls(digests_in(payloads))
            frame["payload"] = [restored(p, stored) for p in payloads]
        return frame

    def _calls(self, digests: set[str]) -> dict[str, Any]:
        if not digests:
            return {}
        query = sa.select(payload_blobs.c.digest, payload_blobs.c.data).where(payload_blobs.c.digest.in_(digests))
        with self.engine.connect() as conn:
            return {digest: call_of(data) for digest, data in conn.execute(query)}

    def stage_scores(self, attempt_id: str | None = None, class_id: str | None = None) -> pd.DataFrame:
        """Current stage scores of one attempt, one class, or everything."""
        query = stage_scores.select().order_by(stage_scores.c.attempt_id, stage_scores.c.stage)
        if attempt_id is not None:
            query = query.where(stage_scores.c.attempt_id == attempt_id)
        if class_id is not None:
            in_class = sa.select(attempts.c.attempt_id).where(attempts.c.class_id == class_id)
            query = query.where(stage_scores.c.attempt_id.in_(in_class))
        return self._frame(query, STAGE_SCORE_COLUMNS)

    def first_tries(self, class_id: str | None = None, attempt_id: str | None = None) -> pd.DataFrame:
        """Stage scores as they were at the first try: score and details (metrics, misses) of
        each stage's first submission, from the ``score`` actions every submission logs."""
        scores = self.stage_scores(attempt_id=attempt_id, class_id=class_id)
        if scores.empty:
            return scores
        query = (sa.select(actions.c.attempt_id, actions.c.stage, actions.c.payload)
                 .where(actions.c.action == "score", actions.c.attempt_id.in_(set(scores["attempt_id"])))
                 .order_by(actions.c.attempt_id, actions.c.seq))
        first: dict[tuple[str, str], dict] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                if isinstance(row.payload, dict):
                    first.setdefault((row.attempt_id, row.stage), row.payload)
        logged = [first.get(key, {}) for key in zip(scores["attempt_id"], scores["stage"], strict=True)]
        return scores.assign(
            score=[s if pd.notna(s) else latest for s, latest in zip(scores["first_score"], scores["score"], strict=True)],
            details=[entry.get("details", details) for entry, details in zip(logged, scores["details"], strict=True)])

    def _frame(self, query: sa.Select, columns: list[str]) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return pd.DataFrame([{c: row[c] for c in columns} for row in rows], columns=columns)


    # --- class mode: enrolment in one go, secrets ---------------------------------------------

    def enrol_class(
        self,
        class_id: str,
        name: str,
        scenario: str,
        mode: Mode,
        secret: str,
        trainee_rows: Iterable[Mapping[str, Any]],
        deadline: dt.datetime | None = None,
    ) -> str:
        """Create a class, its secret and its trainees (trainee_id, name, id_number, token)
        in one transaction: a clash anywhere leaves the gradebook as it was."""
        _check_mode(mode)
        rows = [{"class_id": class_id, "trainee_id": t["trainee_id"], "name": t["name"],
                 "id_number": t.get("id_number"), "token_hash": _hash_token(t["token"])}
                for t in trainee_rows]
        with self.engine.connect() as conn:
            exists = conn.execute(sa.select(classes.c.class_id).where(classes.c.class_id == class_id)).first()
        if exists:
            raise GradebookError(f"class {class_id!r} already exists in {self.url}; "
                                 "give the class file another name or id")
        try:
            with self._write() as conn:
                conn.execute(classes.insert().values(
                    class_id=class_id, name=name, scenario=scenario, mode=mode,
                    deadline=_utc_naive(deadline) if deadline else None,
                    feedback_released=False, created_at=_utc_naive(None)))
                conn.execute(class_secrets.insert().values(class_id=class_id, secret=secret))
                if rows:
                    conn.execute(trainees.insert(), rows)
        except sa.exc.IntegrityError as exc:
            raise GradebookError(f"class {class_id!r} could not be created in {self.url} "
                                 f"(nothing was stored): {exc.orig}") from None
        return class_id

    def class_secret(self, class_id: str) -> str:
        with self.engine.connect() as conn:
            secret = conn.execute(
                sa.select(class_secrets.c.secret).where(class_secrets.c.class_id == class_id)).scalar()
        if secret is None:
            raise GradebookError(f"class {class_id!r} has no secret in {self.url}; "
                                 "create it with `sandbox class new`")
        return str(secret)

    # --- attempts of the platform: live logging and stored reports ----------------------------

    def register_attempt(
        self, attempt: Any, class_id: str | None = None, trainee: str | None = None,
        scenario: str | None = None, label: str | None = None,
    ) -> str:
        """Record a platform Attempt and log everything it does from now on: actions, stage
        scores (details keep every miss, for the trainer) and its report."""
        attempt_id = self.create_attempt(
            trainee or attempt.trainee, scenario or attempt.scenario.name,
            seed=attempt.scenario.seed, mode=attempt.mode, class_id=class_id,
            attempt_id=attempt.attempt_id, label=label)
        self.attach(attempt)
        return attempt_id

    def attach(self, attempt: Any) -> None:
        """Record from now on everything a (registered or resumed) Attempt does."""
        attempt.on_action = AttemptRecorder(self, attempt, then=attempt.on_action)

    def open_attempt_of(self, trainee: str, scenario: str, seed: int, mode: str,
                        label: str | None = None, class_id: str | None = None,
                        finished_too: bool = False) -> str | None:
        """The latest unfinished attempt (or any, `finished_too`) of this trainee at this
        scenario, seed and mode, made by this version of the sandbox (another version might not
        replay it faithfully)."""

        query = (sa.select(attempts.c.attempt_id)
                 .where(attempts.c.trainee == trainee, attempts.c.scenario == scenario,
                        attempts.c.seed == int(seed), attempts.c.mode == _stored_mode(mode, class_id),
                        sa.true() if finished_too else attempts.c.finished_at.is_(None),
                        attempts.c.version == __version__,
                        attempts.c.label.is_(None) if label is None else attempts.c.label == label,
                        attempts.c.class_id.is_(None) if class_id is None else attempts.c.class_id == class_id)
                 .order_by(attempts.c.started_at.desc(), attempts.c.attempt_id.desc()).limit(1))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else str(row[0])

    def mastery(self, trainee: str, class_id: str | None = None, **model: Any) -> dict[str, Any]:
        """The trainee's mastery of each skill over all their attempts here (docs/adaptive.md):
        skill code -> Mastery (mean, credible interval, cases)."""
        from sandbox.gradebook.mastery import mastery_of

        return mastery_of(self, trainee, class_id, **model)

    def save_report(self, attempt_id: str, report: Mapping[str, Any]) -> None:
        with self._write() as conn:
            self._save_report(conn, attempt_id, report)

    def _save_report(self, conn: Connection, attempt_id: str, report: Mapping[str, Any]) -> None:
        values = {"report": dict(report), "updated_at": _utc_naive(None)}
        self._next_seq(conn, attempt_id, bump=False)  # lock the attempt, as writers do
        key = attempt_reports.c.attempt_id == attempt_id
        if conn.execute(sa.select(attempt_reports.c.attempt_id).where(key)).first():
            conn.execute(attempt_reports.update().where(key).values(**values))
        else:
            conn.execute(attempt_reports.insert().values(attempt_id=attempt_id, **values))

    def report_data(self, attempt_id: str, full: bool = False) -> dict[str, Any]:
        """An attempt's stored report, sealed (no score, no figure from the answer key:
        platform/sealing.py) while the attempt's feedback is not released, unless `full` (the
        trainer's own view). A local self-test stores nothing more until it is ended."""
        from sandbox.platform.sealing import SEALED_NOTE, SELF_TEST_NOTE, seal_data

        record = self.attempt(attempt_id)
        released = record["feedback_released"]
        with self.engine.connect() as conn:
            data = conn.execute(
                sa.select(attempt_reports.c.report).where(attempt_reports.c.attempt_id == attempt_id)).scalar()
        if data is None:
            raise GradebookError(f"attempt {attempt_id!r} has no report yet (no stage was scored)")
        data = dict(data) | {"feedback_released": released or full}
        if not (released or full):
            data = seal_data(data, SELF_TEST_NOTE if record["mode"] == SELF_TEST else SEALED_NOTE)
        return data


def _store_call(conn: Connection, payload: dict[str, Any]) -> dict[str, Any]:
    """Store the payload's call as a blob unless one with its content is stored already (by
    this or any other server: the insert gives way on a clash); return the row's payload."""
    blob = blob_of(payload[CALL], default=json_default)
    values = {"digest": blob.digest, "data": blob.data, "size": blob.size}
    if conn.dialect.name in ("sqlite", "postgresql"):
        dialect_insert = sqlite_insert if conn.dialect.name == "sqlite" else postgresql_insert
        conn.execute(dialect_insert(payload_blobs).values(**values).on_conflict_do_nothing())
    elif conn.execute(sa.select(payload_blobs.c.digest).where(payload_blobs.c.digest == blob.digest)).first() is None:
        conn.execute(payload_blobs.insert().values(**values))
    return stored_payload(payload, blob)


def _python_values(record: dict[str, Any]) -> dict[str, Any]:
    """Plain Python values (None for missing, datetime for timestamps) for a dict."""
    clean: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        elif value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
            value = None
        elif hasattr(value, "item") and not isinstance(value, dict | list):
            value = value.item()
        clean[key] = value
    return clean

