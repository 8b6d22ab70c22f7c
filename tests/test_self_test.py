"""A local exam is a self-test: sealed like an exam until the trainee ends it, and its
gradebook file keeps the scores but not what the answer key says until then."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import TUTORIAL, attempt_of

from sandbox import Session
from sandbox.cli import main
from sandbox.errors import SandboxError
from sandbox.gradebook.store import Gradebook
from sandbox.personas import PERSONAS
from sandbox.platform.sealing import SELF_TEST_NOTE


def file_rows(path: Path, table: str) -> list[dict]:
    """A table as the file holds it: what anyone who owns the machine can read."""
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute(f"SELECT * FROM {table}")]


def misses_in_file(path: Path) -> int:
    count = 0
    for row in file_rows(path, "stage_scores"):
        count += len(json.loads(row["details"] or "{}").get("misses", []))
    for row in file_rows(path, "actions"):
        payload = json.loads(row["payload"] or "{}")
        count += len(payload.get("details", {}).get("misses", [])) if row["action"] == "score" else 0
    for row in file_rows(path, "attempt_reports"):
        count += len(json.loads(row["report"]).get("misses", []))
    return count


@pytest.mark.parametrize("asked", ["exam", "self-test"])
def test_exam_is_a_self_test_locally(asked: str) -> None:
    session = Session.start(TUTORIAL, lang="en", mode=asked)
    assert session.brief()["mode"] == "self-test"
    report = session.report()
    assert report.sealed_note == SELF_TEST_NOTE and "self-test" in report.text()
    with pytest.raises(SandboxError, match="practice.*self-test"):
        Session.start(TUTORIAL, mode="test")


def test_the_self_test_file_keeps_no_misses_until_the_self_test_ends(tmp_path: Path) -> None:
    path = tmp_path / "mine.sqlite"
    book = Gradebook(path)
    session = Session.start(TUTORIAL, lang="en", mode="exam", gradebook=book, resume=False)
    PERSONAS["approve-all"](session)
    attempt = attempt_of(session)
    key_evidence = {t for t in attempt.data.key["evidence_en"] if isinstance(t, str) and len(t) > 8}
    attempt_id = attempt.attempt_id

    raw = path.read_bytes().decode("utf-8", errors="ignore")
    assert misses_in_file(path) == 0
    assert not [t for t in key_evidence if t in raw]
    scores = book.stage_scores(attempt_id=attempt_id)
    assert set(scores["stage"]) >= {"review", "payout"} and scores["score"].notna().all()  # scores kept
    stored = book.report_data(attempt_id, full=True)  # even the owner's full view has none yet
    assert stored["misses"] == [] and stored["score"] is None and stored["kpis"]["money_let_through"] is None
    assert book.attempt(attempt_id)["mode"] == "self-test"
    assert book.attempt(attempt_id)["feedback_released"] is False

    report = session.end_self_test()
    assert report.score is not None and report.summary()["misses"]
    assert misses_in_file(path) > 0
    record = book.attempt(attempt_id)
    assert record["feedback_released"] is True
    assert record["stages"]["review"]["details"]["misses"]
    assert book.report_data(attempt_id)["misses"] == report.summary()["misses"]
    assert session.end_self_test().summary() == report.summary()  # ending twice changes nothing
    book.close()


def test_the_sandbox_report_command_shows_a_sealed_self_test_sealed(tmp_path: Path, capsys) -> None:
    path = tmp_path / "mine.sqlite"
    with Gradebook(path) as book:
        session = Session.start(TUTORIAL, lang="en", mode="self-test", gradebook=book, resume=False)
        PERSONAS["careful"](session)
        attempt_id = session.report().summary()["attempt_id"]
    assert main(["report", attempt_id, "--gradebook", str(path), "--full"]) == 0
    assert "Total: —" in capsys.readouterr().out


def test_a_self_test_resumed_after_a_restart_stays_sealed_and_can_be_ended(tmp_path: Path) -> None:
    path = tmp_path / "mine.sqlite"
    first = Session.start(TUTORIAL, lang="en", mode="exam", gradebook=path, label="02")
    first.collection.submit(first.collection.forms())
    again = Session.start(TUTORIAL, lang="en", mode="self-test", gradebook=path, label="02")
    assert again.brief()["attempt_id"] == first.brief()["attempt_id"]  # exam and self-test: one attempt
    assert again.report().score is None
    assert again.end_self_test().summary()["stages"]["collection"] is not None
    assert Gradebook(path).attempt(again.brief()["attempt_id"])["feedback_released"] is True


def test_a_class_exam_cannot_be_ended_by_its_trainee() -> None:
    from sandbox.platform.attempt import open_attempt
    from sandbox.session.session import LocalBackend

    exam = Session(LocalBackend(open_attempt(TUTORIAL, mode="exam")), lang="en")
    with pytest.raises(SandboxError, match="released by the trainer"):
        exam.end_self_test()
    assert exam.report().score is None
