"""The class server's log (issue 14): one attempt per trainee in a class, and each call logged
in one transaction before it counts, under the client's idempotency key. A mixin of Gradebook
(store.py), which holds the engine and the writers it uses."""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa

from sandbox.gradebook.errors import GradebookError, StaleAttempt
from sandbox.gradebook.models import ACTION_COLUMNS, actions, attempts, call_results, class_attempts
from sandbox.gradebook.recorder import AttemptRecorder
from sandbox.gradebook.rows import _stored_mode, _utc_naive
from sandbox.version import __version__


class ClassCalls:
    """Gradebook methods for the class server's attempts and calls."""

    def class_attempt_of(self, class_id: str, trainee_id: str) -> str | None:
        """The trainee's one attempt in the class (made by this sandbox version), finished or not."""
        query = sa.select(class_attempts.c.attempt_id).where(
            class_attempts.c.class_id == class_id, class_attempts.c.trainee_id == trainee_id,
            class_attempts.c.version == __version__)
        with self.engine.connect() as conn:
            found = conn.execute(query).scalar()
        return None if found is None else str(found)

    def claim_class_attempt(self, class_id: str, trainee_id: str, attempt: Any = None,
                            attempt_id: str | None = None, scenario: str | None = None) -> str:
        """Make an attempt the trainee's one attempt in the class and return the one that is:
        `attempt_id` (an attempt already in the gradebook), or a new platform `attempt`, created
        in the same transaction. When another server process claimed one first, the primary
        key refuses ours, nothing of ours stays, and theirs is returned."""
        try:
            with self._write() as conn:
                if attempt is not None:
                    attempt_id = attempt.attempt_id
                    conn.execute(attempts.insert().values(
                        attempt_id=attempt_id, trainee=trainee_id, class_id=class_id,
                        scenario=scenario or attempt.scenario.name, seed=int(attempt.scenario.seed),
                        mode=_stored_mode(attempt.mode, class_id), started_at=_utc_naive(None),
                        finished_at=None, label=None, version=__version__, last_seq=0))
                conn.execute(class_attempts.insert().values(
                    class_id=class_id, trainee_id=trainee_id, version=__version__, attempt_id=attempt_id))
        except sa.exc.IntegrityError:
            winner = self.class_attempt_of(class_id, trainee_id)
            if winner is None:
                raise
            return winner
        assert attempt_id is not None
        return attempt_id

    def last_seq(self, attempt_id: str) -> int:
        """The seq of the attempt's last logged action: its version, checked by every server."""
        with self.engine.connect() as conn:
            seq = conn.execute(sa.select(attempts.c.last_seq)
                               .where(attempts.c.attempt_id == attempt_id)).scalar()
        if seq is None:
            raise GradebookError(f"no attempt {attempt_id!r} in {self.url}")
        return int(seq)

    def actions_after(self, attempt_id: str, seq: int) -> pd.DataFrame:
        """The attempt's actions logged after `seq` (what another process added), in order."""
        query = (actions.select().where(actions.c.attempt_id == attempt_id, actions.c.seq > seq)
                 .order_by(actions.c.seq))
        return self._with_calls(self._frame(query, ACTION_COLUMNS))

    def call_result(self, attempt_id: str, call_key: str) -> tuple[str, Any] | None:
        """(action, answer) of the call the client sent with this idempotency key, if it counted."""
        query = sa.select(call_results.c.action, call_results.c.result).where(
            call_results.c.attempt_id == attempt_id, call_results.c.call_key == call_key)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else (str(row.action), row.result)

    def commit_call(self, attempt: Any, entries: list[dict[str, Any]], seen_seq: int,
                    call_key: str | None = None, action: str = "", result: Any = None) -> int:
        """Log one call of a class-server attempt in one transaction: what it recorded
        (`entries`, as `Attempt.on_action` received them) and, under the client's idempotency
        key, its answer. It counts only if the attempt's log still ends at `seen_seq` (the
        version the caller computed on): the compare-and-set takes the attempt's row lock on
        PostgreSQL (the file's write lock on SQLite), so concurrent calls for one attempt are
        serialised by the database whichever process runs them. Raises StaleAttempt when
        another process got there first; returns the attempt's new last seq."""
        try:
            with self._write() as conn:
                matched = conn.execute(
                    attempts.update()
                    .where(attempts.c.attempt_id == attempt.attempt_id, attempts.c.last_seq == seen_seq)
                    .values(last_seq=seen_seq)).rowcount
                if matched != 1:
                    raise StaleAttempt(attempt.attempt_id)
                recorder = AttemptRecorder(self, attempt)
                for entry in entries:
                    recorder.record(conn, entry)
                if call_key is not None:
                    conn.execute(call_results.insert().values(
                        attempt_id=attempt.attempt_id, call_key=call_key, action=action,
                        result=result, created_at=_utc_naive(None)))
                return self._next_seq(conn, attempt.attempt_id, bump=False)
        except sa.exc.IntegrityError:
            raise StaleAttempt(attempt.attempt_id) from None  # the same key, answered meanwhile
