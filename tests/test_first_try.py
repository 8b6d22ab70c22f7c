"""Practice may teach, so each stage's first try is kept beside its best: in the attempt, its
report, the gradebook (migrated from the history older gradebooks logged) and class reports,
which read the first try."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from conftest import TUTORIAL, attempt_of

from sandbox import Session
from sandbox.classmode.class_report import class_report
from sandbox.course import resume_at
from sandbox.errors import SandboxError
from sandbox.gradebook import migrate
from sandbox.gradebook.database import Database
from sandbox.gradebook.store import Gradebook
from sandbox.personas import statement_from_results
from sandbox.platform.harm import total_of_stage_scores
from sandbox.session.session import backend_of


def submit_final(session: Session, action: str, **payload: object) -> dict:
    """A final step, confirmed where the platform asks for confirmation."""
    handler = attempt_of(session).actions[action].handler
    if "confirm" in inspect.signature(handler).parameters:
        payload["confirm"] = True
    return backend_of(session).call(action, payload)


def wrong_statement(session: Session):
    statement = statement_from_results(session)
    statement["paid"] = statement["allocated"]  # everything "paid": what the request asked for
    statement[["returned", "pending", "unspent"]] = 0.0
    return statement


def test_a_practice_stage_tried_again_keeps_its_first_try_beside_its_best(tmp_path: Path) -> None:
    book = tmp_path / "mine.sqlite"
    session = resume_at("reconciliation", Session.start(TUTORIAL, lang="en", gradebook=book, label="t"))
    first = session.reconciliation.submit(wrong_statement(session))
    session.try_again("reconciliation")
    best = session.reconciliation.submit(statement_from_results(session))
    assert first.score < best.score

    tries = session.report().summary()["tries"]["reconciliation"]
    assert (tries["first"], tries["best"], tries["tries"]) == (first.score, best.score, 2)
    assert f"first {first.score:.1f}" in session.report().text()
    attempt_id = session.brief()["attempt_id"]
    row = Gradebook(book).stage_scores(attempt_id=attempt_id).set_index("stage").loc["reconciliation"]
    assert (row["first_score"], row["best_score"], row["score"], row["submissions"]) == \
        (first.score, best.score, best.score, 2)

    # A retry is an action like any other: a restarted kernel replays it.
    again = Session.start(TUTORIAL, lang="en", gradebook=book, label="t")
    assert again.brief()["attempt_id"] == attempt_id
    assert again.report().summary()["tries"]["reconciliation"] == tries


def test_disclosure_and_supervision_may_be_tried_again_in_practice() -> None:
    session = resume_at("disclosure", Session.start(TUTORIAL, lang="en"))
    unmasked = submit_final(session, "disclosure.publish", table=session.disclosure.draft())
    with pytest.raises(SandboxError):  # final (another table is refused) …
        submit_final(session, "disclosure.publish", table=session.disclosure.draft().head(1))
    session.try_again("disclosure")  # … unless tried again, in practice
    from sandbox.common.masking import publish_table
    from sandbox.scenario import Masking

    masked = submit_final(session, "disclosure.publish",
                          table=publish_table(session.disclosure.draft(), Masking(**session.disclosure.policy())))
    assert masked["score"] > unmasked["score"]
    tries = session.report().summary()["tries"]["disclosure"]
    assert tries["first"] == unmasked["score"] and tries["best"] == masked["score"]

    import pandas as pd

    submit_final(session, "supervision.submit", findings=pd.DataFrame())
    session.try_again("supervision")
    submit_final(session, "supervision.submit", findings=pd.DataFrame())
    assert session.report().summary()["tries"]["supervision"]["tries"] == 2


def test_final_stages_and_other_modes_are_not_tried_again() -> None:
    practice = resume_at("payout", Session.start(TUTORIAL, lang="en"))
    for stage in ("review", "collection", "payout", "no-such-stage"):
        with pytest.raises(SandboxError, match="cannot be tried again"):
            practice.try_again(stage)
    with pytest.raises(SandboxError, match="not been submitted"):
        practice.try_again("reconciliation")
    self_test = Session.start(TUTORIAL, lang="en", mode="self-test")
    with pytest.raises(SandboxError, match="only practice"):
        self_test.try_again("reconciliation")


def test_the_class_report_reads_the_first_try(tmp_path: Path) -> None:
    book = Gradebook(tmp_path / "class.sqlite")
    book.create_class("C1", "班", "tutorial", mode="practice")
    book.add_trainee("C1", "W001", "张三")
    attempt_id = book.create_attempt("W001", "tutorial", seed=1, class_id="C1")
    miss = {"entry_id": "P1", "kind": "reconciliation", "fault": "", "title": "paid does not match",
            "amount": 10.0, "evidence": "e", "rule": "r", "tip": "t"}
    book.record_stage_score(attempt_id, "reconciliation", 40.0, 100.0, {"misses": [miss]})
    book.record_stage_score(attempt_id, "reconciliation", 90.0, 100.0, {"misses": []})
    book.record_stage_score(attempt_id, "reconciliation", 70.0, 100.0, {"misses": []})
    row = book.stage_scores(attempt_id=attempt_id).iloc[0]
    assert (row["first_score"], row["best_score"], row["score"]) == (40.0, 90.0, 70.0)

    report = class_report(book, "C1")
    assert report.progress.set_index("trainee_id").at["W001", "reconciliation"] == 40.0
    assert report.problems["code"].tolist() == ["reconciliation"]  # the first try's miss
    book.close()


def test_the_class_reports_total_is_the_total_of_the_first_tries(tmp_path: Path) -> None:
    """A stage tried again changes the report's total; the class report totals the first tries
    (each stage score names its harm: docs/scoring.md), and a trainee with no retry keeps the
    report's own total."""
    book = Gradebook(tmp_path / "class.sqlite")
    book.create_class("C1", "班", "tutorial", mode="practice")
    for trainee in ("W001", "W002"):
        book.add_trainee("C1", trainee, trainee)
    totals = {}
    for trainee, retried in (("W001", True), ("W002", False)):
        attempt_id = book.create_attempt(trainee, "tutorial", seed=1, class_id="C1")
        book.record_stage_score(attempt_id, "review", 90.0, 100.0, {"misses": []})
        book.record_stage_score(attempt_id, "reconciliation", 50.0, 100.0, {"misses": []})
        if retried:
            book.record_stage_score(attempt_id, "reconciliation", 100.0, 100.0, {"misses": []})
        latest = {"review": 90.0, "reconciliation": 100.0 if retried else 50.0}
        totals[trainee] = total_of_stage_scores(latest.values())
        book.save_report(attempt_id, {"score": totals[trainee], "stages": latest})
    progress = class_report(book, "C1").progress.set_index("trainee_id")
    first_total = total_of_stage_scores([90.0, 50.0])
    assert progress.at["W001", "total"] == pytest.approx(first_total, abs=0.01)
    assert progress.at["W001", "total"] < totals["W001"]
    assert progress.at["W002", "total"] == pytest.approx(totals["W002"], abs=0.01)
    book.close()


def test_the_stage_scores_add_up_to_the_reports_total() -> None:
    from sandbox.personas import PERSONAS

    session = Session.start(TUTORIAL, lang="en", seed=4)
    PERSONAS["raw-forms"](session)
    summary = session.report().summary()
    assert total_of_stage_scores(summary["stages"].values()) == pytest.approx(summary["score"], abs=0.05)


def test_the_migration_fills_first_and_best_from_the_logged_history(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with Gradebook(path) as book:
        attempt_id = book.create_attempt("张三", "tutorial", seed=1)
        for score in (55.0, 80.0, 60.0):
            book.record_stage_score(attempt_id, "disclosure", score, 100.0)
        book.record_stage_score(attempt_id, "review", 75.0, 100.0)
    database = Database(path)
    with database.write() as conn:  # back to before 0003: the columns are gone
        migrate.command.downgrade(migrate.alembic_config(conn), migrate.RELEASE_0_1_0_REVISION)
    database.dispose()
    with Gradebook(path) as book:  # upgraded on open
        scores = book.stage_scores(attempt_id=attempt_id).set_index("stage")
        assert tuple(scores.loc["disclosure", ["first_score", "best_score", "score"]]) == (55.0, 80.0, 60.0)
        assert tuple(scores.loc["review", ["first_score", "best_score"]]) == (75.0, 75.0)
