"""The trainee's own gradebook read at the start with sqlite3 (sandbox/gradebook/quick.py) gives
the answers the SQLAlchemy store gives, writes the rows it writes, and hands over to it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import TUTORIAL

from sandbox import Session
from sandbox.gradebook import database, migrate, quick
from sandbox.gradebook.quick import DeferredRecorder, QuickGradebook
from sandbox.gradebook.store import AttemptRecorder, Gradebook
from sandbox.session.session import backend_of


def test_it_names_the_files_and_revision_the_store_does() -> None:
    assert quick.DEFAULT_FILE_NAME == database.DEFAULT_FILE_NAME
    assert quick.newest_revision() == migrate.head()


def test_only_an_existing_local_file_at_the_newest_schema_takes_the_quick_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.sqlite"
    assert QuickGradebook.open(path) is None  # no file yet: the store creates it
    Gradebook(path).close()
    assert QuickGradebook.open(path) is not None and QuickGradebook.open(str(path)) is not None
    assert QuickGradebook.open(tmp_path) is None  # a folder: its gradebook.sqlite, not there yet
    Gradebook(tmp_path).close()
    assert QuickGradebook.open(tmp_path).path == tmp_path / "gradebook.sqlite"
    assert QuickGradebook.open(f"sqlite:///{path}") is None and QuickGradebook.open(False) is None
    with Gradebook(path) as book, book.engine.begin() as conn:  # an older schema: the store upgrades it
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001_first_schema'")
    assert QuickGradebook.open(path) is None


def test_true_means_the_file_in_sandbox_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_HOME", str(tmp_path))
    Gradebook(None).close()
    assert QuickGradebook.open(True).path == tmp_path / "gradebook.sqlite"


@pytest.mark.parametrize("mode", ["practice", "self-test"])
def test_the_quick_queries_answer_as_the_store(tmp_path: Path, mode: str) -> None:
    path = tmp_path / "mine.sqlite"
    first = Session.start(TUTORIAL, trainee="张三", lang="en", mode=mode, gradebook=path, label="02")
    roster = first.review.roster().head(3)
    first.review.submit(pd.DataFrame({"entry_id": roster["entry_id"], "decision": "approve"}))
    first.collection.submit(first.collection.forms())
    attempt_id = first.brief()["attempt_id"]
    book, fast = Gradebook(path), QuickGradebook.open(path)
    seed = int(book.attempts(attempt_id=attempt_id)["seed"].iloc[0])
    assert fast.open_attempt_of("张三", "tutorial", seed, mode, "02") == attempt_id
    for label in ("02", None, "03"):
        for trainee, at_seed in (("张三", seed), ("张三", seed + 1), ("李四", seed)):
            assert fast.open_attempt_of(trainee, "tutorial", at_seed, mode, label) == \
                book.open_attempt_of(trainee, "tutorial", at_seed, mode, label)
    assert fast.scored_stages(attempt_id) == set(book.stage_scores(attempt_id)["stage"]) == {"collection"}
    stored = book.actions(attempt_id)
    pd.testing.assert_frame_equal(fast.actions(attempt_id), stored[["action", "payload"]])


def test_a_quick_start_registers_the_row_the_store_would(tmp_path: Path) -> None:
    path = tmp_path / "mine.sqlite"
    Session.start(TUTORIAL, trainee="李四", lang="en", gradebook=path, label="by store")  # creates the file
    quick_session = Session.start(TUTORIAL, trainee="李四", lang="en", gradebook=path, label="quick")
    attempt = backend_of(quick_session).attempt
    assert isinstance(attempt.on_action, DeferredRecorder)  # nothing written through SQLAlchemy yet
    rows = Gradebook(path).attempts().set_index("label")
    by_store, by_quick = rows.loc["by store"], rows.loc["quick"]
    for column in ("trainee", "scenario", "seed", "mode", "class_id", "finished_at", "version"):
        assert by_quick[column] == by_store[column] or (pd.isna(by_quick[column]) and pd.isna(by_store[column]))
    assert by_quick["attempt_id"] == attempt.attempt_id
    assert isinstance(by_quick["started_at"], pd.Timestamp | type(by_store["started_at"]))
    assert by_quick["started_at"] >= by_store["started_at"]


def test_the_first_record_opens_the_store_and_keeps_recording(tmp_path: Path) -> None:
    path = tmp_path / "mine.sqlite"
    Gradebook(path).close()
    session = Session.start(TUTORIAL, trainee="王五", lang="en", gradebook=path)
    attempt = backend_of(session).attempt
    roster = session.review.roster().head(2)
    session.review.submit(pd.DataFrame({"entry_id": roster["entry_id"], "decision": "approve"}))
    assert isinstance(attempt.on_action, AttemptRecorder)
    session.collection.submit(session.collection.forms())
    book = Gradebook(path)
    assert book.actions(attempt.attempt_id)["action"].tolist().count("review.submit") == 1
    assert set(book.stage_scores(attempt.attempt_id)["stage"]) == {"collection"}
    again = Session.start(TUTORIAL, trainee="王五", lang="en", gradebook=path)
    assert again.brief()["attempt_id"] == attempt.attempt_id and again.brief()["resumed_actions"] >= 2
