"""Class mode over HTTP: same session API as local, tokens reach their own attempt only,
no answer key leaves the server in an exam, and many trainees at once lose nothing."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pandas as pd
import pytest
import sqlalchemy as sa
from fastapi import FastAPI

from sandbox.classmode.classroom import Classroom, create_class, read_tokens
from sandbox.classmode.server import ANSWER_KEY_FIELDS, background_server, create_app
from sandbox.errors import SandboxError
from sandbox.personas import PERSONAS
from sandbox.scenario import scenario_path
from sandbox.session.session import Session, backend_of

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = scenario_path("tutorial")
POSTGRES_URL = os.environ.get("SANDBOX_TEST_POSTGRES_URL")


def make_class(directory: Path, trainees: int, mode: str,
               gradebook: str | None = None) -> tuple[Classroom, dict[str, str]]:
    class_file = directory / "klass.yaml"
    class_file.write_text(f"name: 测试班\nscenario: {TUTORIAL}\nmode: {mode}\n", encoding="utf-8")
    roster = directory / "roster.csv"
    roster.write_text("姓名,工号\n" + "".join(f"学员{i},W{i:03d}\n" for i in range(trainees)),
                      encoding="utf-8")
    classroom, tokens_file = create_class(class_file, roster, gradebook=gradebook)
    return classroom, read_tokens(tokens_file)


@pytest.fixture
def exam_class(tmp_path: Path) -> Iterator[tuple[Classroom, dict[str, str], object, str]]:
    classroom, tokens = make_class(tmp_path, 3, "exam")
    app = create_app(classroom)
    with background_server(app, lifetime_s=120) as url:
        yield classroom, tokens, app.state.class_server, url
    classroom.close()


class Recorder:
    """Every response body the client received, for scanning."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.statuses: list[int] = []

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        self.bodies.append(response.content)
        self.statuses.append(response.status_code)


def recorded_session(url: str, token: str) -> tuple[Session, Recorder]:
    session = Session.connect(url, token)
    recorder = Recorder()
    backend_of(session).on_response(recorder)
    return session, recorder


def test_a_served_session_scores_like_a_local_one(exam_class) -> None:
    classroom, tokens, _server, url = exam_class
    remote = Session.connect(url, tokens["W000"])
    PERSONAS["perfect"](remote)
    local = Session.start(TUTORIAL, trainee="学员0", seed=classroom.seed_for("W000"), mode="exam")
    PERSONAS["perfect"](local)
    assert remote.brief()["mode"] == "exam" and local.brief()["mode"] == "self-test"
    classroom.release_feedback()  # both sealed until now; once released, the same scores
    stages = remote.report().summary()["stages"]
    assert stages == local.end_self_test().summary()["stages"]
    assert all(score is not None for score in stages.values())


def test_neighbours_get_different_worlds(exam_class) -> None:
    _classroom, tokens, _server, url = exam_class
    first = Session.connect(url, tokens["W000"]).collection.forms()
    second = Session.connect(url, tokens["W001"]).collection.forms()
    assert set(first["id_number"]) != set(second["id_number"])


def test_tokens_reach_their_own_attempt_only(exam_class) -> None:
    _classroom, tokens, _server, url = exam_class
    owner = Session.connect(url, tokens["W000"])
    owner.brief()
    attempt_id = backend_of(owner).me()["attempt_id"]
    assert backend_of(owner).attempt_report(attempt_id)["attempt_id"] == attempt_id

    path = f"{url}/api/attempts/{attempt_id}/report"
    foreign = httpx.get(path, headers={"Authorization": f"Bearer {tokens['W001']}"})
    assert foreign.status_code == 403
    assert attempt_id not in json.dumps(httpx.get(f"{url}/api/me", headers={
        "Authorization": f"Bearer {tokens['W001']}"}).json())
    assert httpx.get(path, headers={"Authorization": "Bearer not-a-token"}).status_code == 401
    assert httpx.get(path).status_code == 401
    with pytest.raises(SandboxError, match="not known in this class"):
        Session.connect(url, "not-a-token").brief()


def test_user_errors_read_as_they_do_locally_and_the_server_carries_on(exam_class) -> None:
    classroom, tokens, _server, url = exam_class
    remote = Session.connect(url, tokens["W002"])
    local = Session.start(TUTORIAL, seed=classroom.seed_for("W002"), mode="exam")
    with pytest.raises(SandboxError) as served:
        remote.registries.get("no_such_registry")
    with pytest.raises(SandboxError) as here:
        local.registries.get("no_such_registry")
    assert str(served.value) == str(here.value)

    auth = {"Authorization": f"Bearer {tokens['W002']}"}
    bad_payload = httpx.post(f"{url}/api/call", headers=auth,
                             json={"action": "review.lookup", "payload": {"nonsense": 1}})
    assert bad_payload.status_code == 422 and "review.lookup" in bad_payload.json()["error"]
    not_json = httpx.post(f"{url}/api/call", headers=auth, content=b"{broken")
    assert not_json.status_code == 422
    unknown = httpx.post(f"{url}/api/call", headers=auth, json={"action": "steal.answers"})
    assert unknown.status_code == 422
    assert remote.brief()["entries"] > 0  # still serving


def test_behind_jupyterhub_the_api_lives_under_the_service_prefix(tmp_path: Path) -> None:
    classroom, tokens = make_class(tmp_path, 1, "practice")
    app = create_app(classroom, prefix="/services/yikatong-sandbox/")
    with background_server(app, lifetime_s=60) as url:
        session = Session.connect(f"{url}/services/yikatong-sandbox", tokens["W000"])
        assert session.brief()["trainee"] == "学员0"
        assert httpx.get(f"{url}/api/health").status_code == 404
    classroom.close()


def _answer_key_values(attempt, visited: set[str]) -> set[str]:
    """Evidence texts of the key, except for entries the trainee sent on a home visit (the
    visit report tells that one entry's truth, two simulated days later, by design)."""
    key = attempt.data.key[~attempt.data.key["entry_id"].isin(visited)]
    texts = set(key["evidence_zh"]) | set(key["evidence_en"])
    return {t for t in texts if isinstance(t, str) and len(t) > 8}


def _keys_and_columns(value: object) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        if "__frame__" in value:
            return set(value["__frame__"]["columns"])
        for key, inner in value.items():
            found.add(key)
            found |= _keys_and_columns(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= _keys_and_columns(inner)
    return found


def _nonempty_misses(value: object) -> bool:
    if isinstance(value, dict):
        if value.get("misses"):
            return True
        return any(_nonempty_misses(v) for v in value.values())
    if isinstance(value, list):
        return any(_nonempty_misses(v) for v in value)
    return False


@pytest.mark.parametrize("persona", ["perfect", "approve-all"])
def test_no_answer_key_leaves_the_server_in_an_exam(exam_class, persona: str) -> None:
    classroom, tokens, server, url = exam_class
    session, recorder = recorded_session(url, tokens["W001"])
    PERSONAS[persona](session)
    session.report()
    attempt = server.attempt_of("W001")
    secrets = _answer_key_values(attempt, set(session.review.visits()["entry_id"]))
    assert recorder.bodies and secrets
    for body in recorder.bodies:
        text = body.decode("utf-8")
        data = json.loads(text)
        assert not _keys_and_columns(data) & ANSWER_KEY_FIELDS
        assert not _nonempty_misses(data)
        assert not [s for s in secrets if s in text]
    assert set(recorder.statuses) == {200}

    classroom.release_feedback()
    released = session.report().summary()
    assert released["feedback_released"] is True
    assert attempt.feedback_released is True
    if persona == "approve-all":
        assert released["misses"], "after release the trainee sees what was missed"


def test_the_gradebook_holds_actions_scores_and_the_report(exam_class) -> None:
    classroom, tokens, _server, url = exam_class
    session = Session.connect(url, tokens["W000"])
    PERSONAS["approve-all"](session)
    attempt_id = backend_of(session).me()["attempt_id"]
    book = classroom.gradebook
    record = book.attempt(attempt_id)
    assert record["class_id"] == classroom.class_id and record["trainee"] == "W000"
    assert set(record["stages"]) == set(session.report().summary()["stages"])
    assert len(book.actions(attempt_id)) > len(record["stages"])
    # The trainer's copy keeps the misses; the trainee's view withholds them until release.
    assert book.report_data(attempt_id, full=True)["misses"]
    assert book.report_data(attempt_id)["misses"] == []


def _run_class(tmp_path: Path, trainees: int, gradebook: str | None = None) -> None:
    classroom, tokens = make_class(tmp_path, trainees, "practice", gradebook)
    failures: list[str] = []
    statuses: list[int] = []
    lock = threading.Lock()

    def trainee(token: str) -> None:
        try:
            session, recorder = recorded_session(url, token)
            PERSONAS["perfect"](session)
            with lock:
                statuses.extend(recorder.statuses)
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            with lock:
                failures.append(f"{type(exc).__name__}: {exc}")

    with background_server(classroom, lifetime_s=600) as url:
        threads = [threading.Thread(target=trainee, args=(t,)) for t in tokens.values()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
    assert failures == []
    assert statuses and max(statuses) < 500
    attempts = classroom.gradebook.attempts(class_id=classroom.class_id)
    assert sorted(attempts["trainee"]) == sorted(tokens)
    scores = classroom.gradebook.stage_scores(class_id=classroom.class_id)
    stages_per_attempt = scores.groupby("attempt_id")["stage"].nunique()
    assert len(stages_per_attempt) == trainees
    assert stages_per_attempt.nunique() == 1 and stages_per_attempt.iloc[0] >= 2
    review = scores[scores["stage"] == "review"]
    assert len(review) == trainees and (review["submissions"] >= 1).all()
    classroom.close()


def test_a_few_trainees_at_once_lose_nothing(tmp_path: Path) -> None:
    _run_class(tmp_path, 3)


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="SANDBOX_TEST_POSTGRES_URL is not set")
def test_a_few_trainees_at_once_on_postgresql(tmp_path: Path) -> None:
    assert POSTGRES_URL
    engine = sa.create_engine(POSTGRES_URL)
    tables = sa.MetaData()  # the test database outlives test runs: drop what is there
    tables.reflect(engine)
    tables.drop_all(engine)
    engine.dispose()
    _run_class(tmp_path, 3, gradebook=POSTGRES_URL)


# Fifty trainees at once, over real HTTP to a real server process: tests/test_class_fifty.py.


def read_response(sock: socket.socket) -> bytes:
    """One whole HTTP/1.1 response: a single recv may return the head without the body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def test_an_idle_connection_outlives_the_clients_keep_alive() -> None:
    """The client, not the server, retires idle connections. When the server closed them
    as the client's pool still offered them (both after 5 s), a trainee who paused about
    5 s got "Connection reset by peer": the fifty-trainee test's flake under load."""
    app = FastAPI()

    @app.get("/ping")
    def ping() -> dict:
        return {"ok": True}

    request = b"GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    client_expiry = httpx.Limits().keepalive_expiry  # what Session.connect's client uses
    assert client_expiry is not None
    with background_server(app, lifetime_s=60) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(request)
            assert read_response(sock).startswith(b"HTTP/1.1 200")
            time.sleep(client_expiry + 1)  # idle longer than the client would keep it
            sock.sendall(request)
            assert read_response(sock).startswith(b"HTTP/1.1 200")  # still open: same socket


def test_a_restarted_server_resumes_each_trainees_attempt(tmp_path: Path) -> None:
    classroom, tokens = make_class(tmp_path, 2, "practice")
    token = next(iter(tokens.values()))
    with background_server(create_app(classroom), lifetime_s=60) as url:
        s = Session.connect(url, token, lang="en")
        roster = s.review.roster()
        s.review.submit(pd.DataFrame({"entry_id": roster["entry_id"].head(4), "decision": "approve"}))
        before = s.brief()
    with background_server(create_app(classroom), lifetime_s=60) as url:  # the service restarted
        again = Session.connect(url, token, lang="en")
        brief = again.brief()
        assert brief["attempt_id"] == before["attempt_id"] and brief["resumed_actions"] == 1
        assert again.review.decisions()["entry_id"].tolist() == roster["entry_id"].head(4).tolist()
    classroom.close()


def test_confirmations_cross_the_wire_are_logged_and_replay_after_a_restart(tmp_path: Path) -> None:
    """`confirm` travels in the payload like any argument: unconfirmed, the served platform
    answers with its warning and changes nothing; confirmed, the gradebook logs it, and a
    restarted server replays the attempt to the same closed review."""
    from sandbox.common.wire import decode

    classroom, tokens = make_class(tmp_path, 1, "practice")
    token = next(iter(tokens.values()))
    with background_server(create_app(classroom), lifetime_s=60) as url:
        s = Session.connect(url, token, lang="en")
        s.review.submit(pd.DataFrame({"entry_id": s.review.roster()["entry_id"].head(4), "decision": "approve"}))
        s.review.post_notice()
        with pytest.raises(SandboxError, match="不能再改.*s.review.close\\(confirm=True\\)"):
            s.review.close()
        assert "review" not in s.brief()["stages_done"]
        s.review.close(confirm=True)
        attempt_id = s.brief()["attempt_id"]
    logged = classroom.gradebook.actions(attempt_id)
    closing = logged[logged["action"] == "review.close"]["payload"].tolist()
    assert len(closing) == 1 and decode(closing[0]["call"]) == {"confirm": True}
    with background_server(create_app(classroom), lifetime_s=60) as url:  # the service restarted
        again = Session.connect(url, token, lang="en")
        assert again.brief()["resumed_actions"] == 3  # submit, post_notice, close
        assert "review" in again.brief()["stages_done"]
        with pytest.raises(SandboxError, match="review is closed"):
            again.review.post_notice()
    classroom.close()
