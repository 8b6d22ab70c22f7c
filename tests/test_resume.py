"""A restarted kernel resumes where the trainee left off: attempts, actions and scores persist
in the gradebook, and a new session replays them."""

from __future__ import annotations

import pandas as pd
from conftest import TUTORIAL

from sandbox import Session
from sandbox.gradebook.store import Gradebook
from sandbox.personas import careful_fix, pay_and_fix


def first_decisions(session: Session, count: int) -> pd.DataFrame:
    roster = session.review.roster().head(count)
    return pd.DataFrame({"entry_id": roster["entry_id"], "decision": "approve"})


def test_a_new_session_resumes_the_unfinished_attempt(tmp_path):
    book = tmp_path / "mine.sqlite"
    first = Session.start(TUTORIAL, trainee="张三", lang="en", gradebook=book)
    first.review.submit(first_decisions(first, 5))
    first.review.decide(first.review.roster()["entry_id"].iloc[6], "refer")
    before = first.brief()
    decisions = first.review.decisions()
    del first  # the kernel dies

    again = Session.start(TUTORIAL, trainee="张三", lang="en", gradebook=book)
    brief = again.brief()
    assert brief["attempt_id"] == before["attempt_id"] and brief["resumed_actions"] == 2
    assert brief["today"] == before["today"]  # the simulated clock is where it was
    pd.testing.assert_frame_equal(again.review.decisions(), decisions)
    assert len(again.review.visits()) == 1

    # new work goes on being recorded in the same attempt
    again.review.decide(again.review.roster()["entry_id"].iloc[7], "approve")
    actions = Gradebook(book).actions(before["attempt_id"])
    assert actions["action"].tolist() == ["review.submit"] * 3


def test_resume_false_and_labels_keep_attempts_apart(tmp_path):
    book = tmp_path / "mine.sqlite"
    first = Session.start(TUTORIAL, trainee="李四", gradebook=book)
    first.review.submit(first_decisions(first, 3))
    fresh = Session.start(TUTORIAL, trainee="李四", gradebook=book, resume=False)
    assert fresh.brief()["attempt_id"] != first.brief()["attempt_id"]
    assert fresh.review.decisions().empty
    labelled = Session.start(TUTORIAL, trainee="李四", gradebook=book, label="02")
    assert labelled.review.decisions().empty
    labelled.review.submit(first_decisions(labelled, 2))
    back = Session.start(TUTORIAL, trainee="李四", gradebook=book, label="02")
    assert len(back.review.decisions()) == 2
    over = Session.start(TUTORIAL, trainee="李四", gradebook=book, label="02", resume=False)
    assert over.review.decisions().empty  # started over; the next resume finds this one
    assert Session.start(TUTORIAL, trainee="李四", gradebook=book, label="02").brief()["attempt_id"] == \
        over.brief()["attempt_id"]
    other_trainee = Session.start(TUTORIAL, trainee="王五", gradebook=book)
    assert other_trainee.review.decisions().empty


def test_a_resumed_payout_matches_the_original(tmp_path):
    book = tmp_path / "mine.sqlite"
    s = Session.start(TUTORIAL, trainee="赵六", lang="en", gradebook=book)
    s.review.submit(pd.DataFrame({"entry_id": s.review.roster()["entry_id"], "decision": "approve"}))
    s.review.post_notice()
    s.review.finalize(confirm=True)
    pay_and_fix(s, careful_fix)
    results = s.payout.results()
    scores = s.scores()

    again = Session.start(TUTORIAL, trainee="赵六", lang="en", gradebook=book)
    pd.testing.assert_frame_equal(again.payout.results(), results)
    pd.testing.assert_frame_equal(again.scores(), scores)


def test_a_finished_piece_of_work_starts_afresh(tmp_path):
    """A notebook whose own stage is scored is done: running it again begins anew."""
    book = tmp_path / "mine.sqlite"
    s = Session.start(TUTORIAL, trainee="孙七", gradebook=book, label="02", until="review")
    s.review.submit(first_decisions(s, 3))
    s.review.post_notice()
    assert len(s.review.post_notice()) == len(s.review.objections())  # posting again shows the same
    resumed = Session.start(TUTORIAL, trainee="孙七", gradebook=book, label="02", until="review")
    assert resumed.brief()["attempt_id"] == s.brief()["attempt_id"]  # unfinished: carried on
    resumed.review.finalize(confirm=True)
    again = Session.start(TUTORIAL, trainee="孙七", gradebook=book, label="02", until="review")
    assert again.brief()["attempt_id"] != s.brief()["attempt_id"]
    assert again.review.decisions().empty


def test_an_attempt_from_another_version_is_not_replayed(tmp_path, monkeypatch):
    import sandbox.gradebook.store as store

    book = tmp_path / "mine.sqlite"
    old = Session.start(TUTORIAL, trainee="周八", gradebook=book)
    old.review.submit(first_decisions(old, 2))
    monkeypatch.setattr(store, "__version__", "9.9.9")  # the sandbox was upgraded since
    monkeypatch.setattr("sandbox.gradebook.quick.__version__", "9.9.9")  # (read at the start)
    new = Session.start(TUTORIAL, trainee="周八", gradebook=book)
    assert new.brief()["attempt_id"] != old.brief()["attempt_id"]
    assert new.review.decisions().empty
