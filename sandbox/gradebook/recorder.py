"""Writing an attempt's log into a gradebook as the trainee works (`AttemptRecorder`, the
attempt's `on_action`), and the trainer's unsealed copy of its report."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

from sandbox.gradebook.rows import SELF_TEST

if TYPE_CHECKING:
    from sandbox.gradebook.store import Gradebook


class AttemptRecorder:
    """`Attempt.on_action` that writes into a gradebook as the trainee works."""

    def __init__(self, gradebook: Gradebook, attempt: Any, then: Any = None) -> None:
        self.gradebook = gradebook
        self.attempt = attempt
        self.then = then  # a callback that was there before, still called

    def withholding(self) -> bool:
        """A self-test not yet ended: its file is the trainee's own, so it keeps the scores but
        not what the answer key says (misses, metrics, the full report) until it is ended."""
        return self.attempt.mode == SELF_TEST and not self.attempt.feedback_released

    def __call__(self, entry: dict[str, Any]) -> None:
        with self.gradebook._write() as conn:  # one entry, one transaction: whole or not at all
            self.record(conn, entry)
        if self.then is not None:
            self.then(entry)

    def record(self, conn: Connection, entry: dict[str, Any]) -> None:
        """Write one entry of the attempt's log inside the caller's transaction."""
        book, attempt_id = self.gradebook, self.attempt.attempt_id
        if "stage_score" in entry:
            score = entry["stage_score"]
            withheld = self.withholding()
            book._record_stage_score(
                conn, attempt_id, score["stage"], score["score"], 100.0,
                {"withheld": True} if withheld else
                {"metrics": score.get("metrics", {}), "misses": score.get("misses", [])},
                entry.get("sim_now", self.attempt.clock.now), None)
            book._save_report(conn, attempt_id, self.attempt.report() if withheld
                              else trainer_report(self.attempt))
            if self.attempt.brief()["next_stage"] is None:  # the platform's own "all done"
                book._finish_attempt(conn, attempt_id, None)
        elif entry.get("feedback_released"):  # a self-test was ended: store what it withheld
            for stage, done in self.attempt.scores.items():
                full = done.to_dict()
                book._store_stage_details(conn, attempt_id, stage, {"metrics": full["metrics"],
                                                                    "misses": full["misses"]})
            if self.attempt.scores:
                book._save_report(conn, attempt_id, trainer_report(self.attempt))
            book._release_attempt(conn, attempt_id, None)
        else:
            # The summary is for people; the full call lets a restarted kernel replay it.
            payload = {"summary": entry.get("payload"), "call": entry.get("call")}
            book._insert_action(
                conn, attempt_id, entry["stage"], entry["action"], payload,
                dt.datetime.fromisoformat(entry["sim_time"]) if entry.get("sim_time") else None,
                dt.datetime.fromtimestamp(entry["wall_time"], dt.UTC) if entry.get("wall_time") else None)


def trainer_report(attempt: Any) -> dict[str, Any]:
    """The attempt's report unsealed, with every miss, even while an exam withholds them from
    the trainee (the class's gradebook is the trainer's)."""
    from dataclasses import asdict

    from sandbox.platform.report import build_report, practise_next

    data = build_report(attempt, trainer=True)
    if not data["feedback_released"]:
        misses = [asdict(m) | {"stage": s} for s, sc in attempt.scores.items() for m in sc.misses]
        review = attempt.scores.get("review")
        data |= {"misses": misses, "practise_next": practise_next(misses, attempt.lang),
                 "review_by_type": review.metrics.get("by_type", {}) if review else {}}
    return data
