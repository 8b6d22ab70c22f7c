"""Issue 14, log then apply: a call counts only once the gradebook has it; a failed write
changes nothing and says so; a retried call answers once; a finished attempt stays finished
across restarts."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pandas as pd
import pytest

import sandbox.gradebook.database as database
from sandbox.classmode.classroom import Classroom, create_class, read_tokens
from sandbox.classmode.server import background_server, create_app
from sandbox.personas import PERSONAS
from sandbox.scenario import scenario_path
from sandbox.session.http import ClassServerError, HttpBackend
from sandbox.session.session import Session

TUTORIAL = scenario_path("tutorial")


def make_class(directory: Path, trainees: int = 1, mode: str = "practice",
               gradebook: str | None = None) -> tuple[Classroom, list[str]]:
    class_file = directory / "klass.yaml"
    class_file.write_text(f"name: 测试班\nscenario: {TUTORIAL}\nmode: {mode}\n", encoding="utf-8")
    roster = directory / "roster.csv"
    roster.write_text("姓名,工号\n" + "".join(f"学员{i},W{i:03d}\n" for i in range(trainees)),
                      encoding="utf-8")
    classroom, tokens_file = create_class(class_file, roster, gradebook=gradebook)
    return classroom, list(read_tokens(tokens_file).values())


def approve(session: Session, entry_ids: list[str]) -> None:
    session.review.submit(pd.DataFrame({"entry_id": entry_ids, "decision": "approve"}))


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Another process's write transaction on the SQLite file (readers still read: WAL)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_write_that_fails_changes_nothing_and_says_so(tmp_path: Path, monkeypatch) -> None:
    """The issue's SQLite file locked while `review.submit` ran: the approvals were shown,
    never logged, and gone after a restart. Now the trainee is told, in their language, that
    nothing was recorded, and the attempt in memory is what the log says."""
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_S", 1)  # wait 1 s for the lock, not 30
    classroom, (token,) = make_class(tmp_path)
    with background_server(create_app(classroom), lifetime_s=120) as url:
        zh, en = Session.connect(url, token), Session.connect(url, token, lang="en")
        entries = zh.review.roster()["entry_id"].tolist()
        approve(zh, entries[:4])
        with locked(tmp_path / "klass-gradebook.sqlite"):
            with pytest.raises(ClassServerError) as in_chinese:
                approve(zh, entries[4:10])
            with pytest.raises(ClassServerError) as in_english:
                approve(en, entries[4:10])
            assert zh.review.decisions()["entry_id"].tolist() == entries[:4]  # reading goes on
        assert in_chinese.value.message("zh").startswith("这一步没有记进成绩册")
        assert "再做一次" in in_chinese.value.message("zh")
        assert in_english.value.message("en").startswith("this step was not recorded")
        assert "do it again" in in_english.value.message("en")
        approve(zh, entries[4:6])  # the lock is gone: the same server records again
        shown = zh.review.decisions()["entry_id"].tolist()
        attempt_id = zh.brief()["attempt_id"]
    assert shown == entries[:6]
    logged = classroom.gradebook.actions(attempt_id)
    assert logged["action"].tolist() == ["review.submit", "review.submit"]
    with background_server(create_app(classroom), lifetime_s=60) as url:  # restarted
        assert Session.connect(url, token).review.decisions()["entry_id"].tolist() == shown
    classroom.close()


def test_a_first_call_while_the_gradebook_is_locked_opens_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_S", 1)
    classroom, (token,) = make_class(tmp_path)
    with background_server(create_app(classroom), lifetime_s=60) as url:
        s = Session.connect(url, token, lang="en")
        with locked(tmp_path / "klass-gradebook.sqlite"), pytest.raises(ClassServerError) as caught:
            s.brief()  # the trainee's attempt would be created now
        assert caught.value.message("en").startswith("this step was not recorded")
        assert classroom.gradebook.attempts(classroom.class_id).empty
        attempt_id = s.brief()["attempt_id"]  # the lock is gone
    assert classroom.gradebook.attempts(classroom.class_id)["attempt_id"].tolist() == [attempt_id]
    classroom.close()


class DropsFirstAnswers(httpx.BaseTransport):
    """A connection that breaks after the server answered the first call of each of `actions`:
    the client saw no answer (a timeout, a proxy's reset) though the call ran."""

    def __init__(self, *actions: str) -> None:
        self.inner = httpx.HTTPTransport()
        self.actions = set(actions)
        self.dropped: list[str] = []
        self.keys: dict[str, list[str]] = {}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.method == "POST":
            action = json.loads(request.content)["action"]
            self.keys.setdefault(action, []).append(request.headers["Idempotency-Key"])
            if action in self.actions and action not in self.dropped:
                self.dropped.append(action)
                response.read()
                response.close()
                raise httpx.ReadError("connection reset by peer", request=request)
        return response

    def close(self) -> None:
        self.inner.close()


def test_a_call_retried_after_a_dropped_answer_runs_once(tmp_path: Path) -> None:
    """The issue's retried payout.submit was refused ("line L00001 was already sent"): now the
    client retries with the call's key and gets the first answer; each call ran once."""
    classroom, (token,) = make_class(tmp_path)
    with background_server(create_app(classroom), lifetime_s=300) as url:
        transport = DropsFirstAnswers("review.submit", "payout.submit")
        s = Session(HttpBackend(url, token, lang="en", transport=transport), lang="en")
        entries = s.review.roster()["entry_id"].tolist()
        approve(s, entries[:5])  # answered, after one retry
        approve(s, entries[5:])
        s.review.post_notice()
        s.review.close(confirm=True)
        s.payout.submit(s.payout.build_request(), confirm=True)  # answered, after one retry
        attempt_id = s.brief()["attempt_id"]
        decided = s.review.decisions()["entry_id"].tolist()
    assert transport.dropped == ["review.submit", "payout.submit"]
    first_submit = transport.keys["review.submit"][:2]
    assert first_submit[0] == first_submit[1]  # the retry carried the call's own key
    assert len(set(transport.keys["review.submit"])) == 2  # and the next call a new one
    logged = classroom.gradebook.actions(attempt_id)["action"].tolist()
    assert logged.count("review.submit") == 2 and logged.count("payout.submit") == 1
    assert decided == entries
    classroom.close()


def test_the_same_key_gets_the_first_answer_even_after_a_restart(tmp_path: Path) -> None:
    classroom, (token,) = make_class(tmp_path)
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
    with background_server(create_app(classroom), lifetime_s=60) as url:
        entries = Session.connect(url, token).review.roster()["entry_id"].tolist()
        call = {"action": "review.submit", "lang": "en", "payload": {"decisions": {"__frame__": {
            "columns": ["entry_id", "decision"], "data": [[e, "approve"] for e in entries[:3]]}}}}
        first = httpx.post(f"{url}/api/call", json=call, headers=headers, timeout=60)
        again = httpx.post(f"{url}/api/call", json=call, headers=headers, timeout=60)
        other = httpx.post(f"{url}/api/call", json={"action": "review.post_notice", "payload": {}},
                           headers=headers, timeout=60)
    assert first.status_code == 200 and again.json() == first.json()
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["error"]  # a key is one call's
    with background_server(create_app(classroom), lifetime_s=60) as url:  # restarted
        after_restart = httpx.post(f"{url}/api/call", json=call, headers=headers, timeout=60)
        attempt_id = Session.connect(url, token).brief()["attempt_id"]
    assert after_restart.json() == first.json()
    assert classroom.gradebook.actions(attempt_id)["action"].tolist() == ["review.submit"]
    classroom.close()


def test_a_finished_attempt_stays_finished_across_restarts(tmp_path: Path) -> None:
    """The issue: after a restart the trainee got a new empty attempt on the same seed (an exam
    retake), and their old one answered 403 "not yours"."""
    classroom, (token,) = make_class(tmp_path, mode="exam")
    with background_server(create_app(classroom), lifetime_s=300) as url:
        s = Session.connect(url, token, lang="en")
        PERSONAS["perfect"](s)
        before = s.brief()
    assert before["next_stage"] is None  # every stage done: the attempt is finished
    attempts = classroom.gradebook.attempts(classroom.class_id)
    assert len(attempts) == 1 and attempts["finished_at"].notna().all()
    with background_server(create_app(classroom), lifetime_s=120) as url:  # restarted
        backend = HttpBackend(url, token, lang="en")
        assert backend.me()["attempt_id"] == before["attempt_id"]
        report = backend.attempt_report(before["attempt_id"])  # no 403 "not yours"
        again = Session(backend, lang="en").brief()
        backend.close()
    assert again["attempt_id"] == before["attempt_id"]
    assert again["stages_done"] == before["stages_done"] and again["next_stage"] is None
    assert report["attempt_id"] == before["attempt_id"]
    assert len(classroom.gradebook.attempts(classroom.class_id)) == 1  # no new empty attempt
    classroom.close()


def test_two_servers_on_one_gradebook_agree(tmp_path: Path) -> None:
    """Each server's attempt is a cache checked against the log: what one logged, the other
    replays before it answers (tests/test_two_servers.py: real processes on PostgreSQL)."""
    classroom, (token,) = make_class(tmp_path)
    other = Classroom.open(tmp_path / "klass.yaml")
    with background_server(create_app(classroom), lifetime_s=120) as url_a, \
            background_server(create_app(other), lifetime_s=120) as url_b:
        a, b = Session.connect(url_a, token), Session.connect(url_b, token)
        entries = a.review.roster()["entry_id"].tolist()
        for number in range(6):
            approve(a if number % 2 == 0 else b, entries[number * 3:number * 3 + 3])
        assert a.review.decisions().equals(b.review.decisions())
        assert b.review.decisions()["entry_id"].tolist() == entries[:18]
        attempt_id = a.brief()["attempt_id"]
    assert classroom.gradebook.actions(attempt_id)["seq"].tolist() == [1, 2, 3, 4, 5, 6]
    assert len(classroom.gradebook.attempts(classroom.class_id)) == 1
    other.close()
    classroom.close()
