"""A class server sealed by construction: a payload is data, never a path on the server; a
body is read only after the token is known and only up to a limit; malformed calls get 422
with a plain message; a crash does not break the client's connection."""

from __future__ import annotations

import inspect
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_server import make_class, read_response

from sandbox.classmode.classroom import Classroom
from sandbox.classmode.server import (
    DEFAULT_MAX_BODY_MB,
    CallRequest,
    ClassServer,
    background_server,
    create_app,
)
from sandbox.cli import classmode as cli_classmode
from sandbox.errors import SandboxError
from sandbox.session.session import Session

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Classroom, str, str]]:
    classroom, tokens = make_class(tmp_path, 1, "practice")
    with background_server(create_app(classroom), lifetime_s=120) as url:
        yield classroom, url, tokens["W000"]
    classroom.close()


def post(url: str, token: str, body: dict | bytes) -> httpx.Response:
    auth = {"Authorization": f"Bearer {token}"}
    if isinstance(body, bytes):
        return httpx.post(f"{url}/api/call", headers=auth, content=body, timeout=60)
    return httpx.post(f"{url}/api/call", headers=auth, json=body, timeout=60)


# --- a payload is data ---------------------------------------------------------------------

TABLE_ARGUMENTS = [("review.submit", "decisions"), ("collection.submit", "roster"),
                   ("disclosure.publish", "table"), ("reconciliation.submit", "statement"),
                   ("payout.submit", "request"), ("review.add", "table")]


@pytest.mark.parametrize(("action", "argument"), TABLE_ARGUMENTS)
def test_a_file_name_where_a_table_belongs_is_refused_and_never_opened(
        served, tmp_path: Path, action: str, argument: str) -> None:
    """The issue's attack: a path in the payload listed the server's file's headers, and
    "file not found" told which files exist. Now an existing and a missing file get the same
    422, and nothing of the file comes back."""
    _classroom, url, token = served
    secret = tmp_path / "exam-tokens.csv"
    secret.write_text("编号 trainee_id,姓名 name,令牌 token\nW000,学员0,SECRET-TOKEN-XYZ\n", encoding="utf-8")
    answers = []
    for path in (str(secret), str(tmp_path / "no-such-file.csv")):
        response = post(url, token, {"action": action, "payload": {argument: path}})
        assert response.status_code == 422, response.text
        assert "send the table, not a file name" in response.json()["en"]
        assert "SECRET" not in response.text and "令牌" not in response.text
        answers.append(response.json()["en"])
    assert answers[0] == answers[1]  # no oracle for which files exist


def test_a_trainees_file_is_read_on_their_side_and_crosses_as_a_table(served, tmp_path: Path) -> None:
    _classroom, url, token = served
    session = Session.connect(url, token)
    entry = session.review.roster()["entry_id"].iloc[0]
    decisions = tmp_path / "审核意见.csv"
    decisions.write_text(f"序号,审核结果\n{entry},通过\n", encoding="gbk")
    session.review.submit(str(decisions))  # the client reads it; the server gets the rows
    assert session.review.decisions()["entry_id"].tolist() == [entry]


# --- malformed calls -------------------------------------------------------------------------

MALFORMED = [
    {"action": "review.submit", "payload": {"decisions": {"__frame__": {}}}},
    {"action": "review.submit", "payload": {"decisions": {"__frame__": None}}},
    {"action": "review.submit", "payload": {"decisions": {"__frame__": {"columns": "entry_id", "data": []}}}},
    {"action": "review.submit", "payload": {"decisions": {"__frame__": {"columns": ["a"], "data": [[1, 2]]}}}},
    {"action": "review.submit", "payload": {"decisions": {"__frame__": {"columns": ["a"], "data": [[[1]]]}}}},
    {"action": "review.submit", "payload": {"decisions": {"__frame__": {"columns": [1], "data": []}}}},
    {"action": "review.submit", "payload": {"decisions": 5}},
    {"action": "review.submit", "payload": {"decisions": [1, 2]}},
    {"action": "review.lookup", "payload": {"entry_id": {"a": 1}}},
    {"action": "review.lookup", "payload": {"entry_id": 7}},
    {"action": "review.close", "payload": {"confirm": "yes"}},
    {"action": "failures.act", "payload": {"line_id": ["L1"], "action": "activate_card"}},
    {"action": "registries.get", "payload": {"name": None}},
    {"action": 5},
    {"action": "brief", "payload": []},
    {"action": "brief", "lang": "fr"},
    [],
    "brief",
]


@pytest.mark.parametrize("body", MALFORMED, ids=[str(i) for i in range(len(MALFORMED))])
def test_malformed_calls_get_422_with_a_plain_message(served, body) -> None:
    _classroom, url, token = served
    response = httpx.post(f"{url}/api/call", headers={"Authorization": f"Bearer {token}"}, json=body, timeout=60)
    assert response.status_code == 422, response.text
    message = response.json()["error"]
    assert message and "Traceback" not in message


def test_not_json_gets_422(served) -> None:
    _classroom, url, token = served
    for body in (b"{broken", b"\xff\xfe", b""):
        response = post(url, token, body)
        assert response.status_code == 422 and "JSON" in response.json()["en"]


def test_after_a_crash_the_connection_stays_open_and_the_next_call_works(served, monkeypatch) -> None:
    """Starlette answered a crash with a 500 and then raised again, and uvicorn closed the
    connection under the client: its next call failed with "cannot reach the class server"."""
    classroom, _url, token = served
    app = create_app(classroom)
    with background_server(app, lifetime_s=60) as url:
        session = Session.connect(url, token)
        session.brief()
        real = app.state.class_server.call

        def crash(*args, **kwargs):
            raise RuntimeError("a bug")

        monkeypatch.setattr(app.state.class_server, "call", crash)
        with pytest.raises(SandboxError, match="HTTP 500"):
            session.brief()
        # On one socket: the 500, then the next request answered on the same connection.
        body = b'{"action": "brief"}'
        request = (b"POST /api/call HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token.encode() +
                   b"\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(request)
            assert read_response(sock).startswith(b"HTTP/1.1 500")
            monkeypatch.setattr(app.state.class_server, "call", real)
            sock.sendall(request)
            assert read_response(sock).startswith(b"HTTP/1.1 200")
        for _ in range(3):  # the same client, its pooled connection
            assert session.brief()["entries"] > 0


# --- size limit and token first, against a real `sandbox serve` -------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.fixture
def real_server(tmp_path: Path) -> Iterator[tuple[str, str, int]]:
    if not Path("/proc/self/status").exists():
        pytest.skip("reads the server's memory from /proc (Linux)")
    classroom, tokens = make_class(tmp_path, 1, "practice")
    class_file = classroom.config.path
    classroom.close()
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "sandbox", "serve", str(class_file), "--port", str(port)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "sandbox serve did not start"
            time.sleep(0.2)
        yield url, tokens["W000"], process.pid
    finally:
        process.terminate()
        process.wait(timeout=20)


def raw_exchange(url: str, head: bytes, body_chunks: Iterator[bytes]) -> bytes:
    """Send a request's head and as much of its body as the server takes; return its answer."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        sock.sendall(head)
        try:
            for chunk in body_chunks:
                sock.sendall(chunk)
        except OSError:
            pass  # the server answered and closed without reading the rest: what we want
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def test_an_oversized_body_is_refused_while_it_is_read(real_server) -> None:
    url, token, pid = real_server
    assert cli_classmode.DEFAULT_MAX_BODY_MB == DEFAULT_MAX_BODY_MB == 20
    httpx.post(f"{url}/api/call", headers={"Authorization": f"Bearer {token}"}, json={"action": "brief"},
               timeout=120)  # the world is built: what is measured next is the body alone
    before = rss_mb(pid)
    size = 30 * 1024 * 1024
    megabyte = b"x" * (1024 * 1024)
    auth = f"Authorization: Bearer {token}\r\n".encode()
    # Declared size: refused before a byte of the body is read.
    declared = (b"POST /api/call HTTP/1.1\r\nHost: x\r\n" + auth +
                f"Content-Type: application/json\r\nContent-Length: {size}\r\n\r\n".encode())
    answer = raw_exchange(url, declared, iter([megabyte] * 30))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    # No declared size (chunked): read up to the limit, then refused.
    chunked = (b"POST /api/call HTTP/1.1\r\nHost: x\r\n" + auth +
               b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    framed = (b"%x\r\n" % len(megabyte)) + megabyte + b"\r\n"
    answer = raw_exchange(url, chunked, iter([framed] * 30))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert rss_mb(pid) - before < size / 1024 / 1024  # never the whole 30 MB held, let alone twice
    # And the server carries on.
    ok = httpx.post(f"{url}/api/call", headers={"Authorization": f"Bearer {token}"}, json={"action": "brief"},
                    timeout=60)
    assert ok.status_code == 200


def test_a_body_without_a_token_is_never_read(real_server) -> None:
    url, _token, pid = real_server
    before = rss_mb(pid)
    head = (b"POST /api/call HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 209715200\r\n\r\n")  # 200 MB announced, none of it sent
    # The body never comes: a server that waited for it before checking the token would leave
    # this socket silent until it times out.
    answer = raw_exchange(url, head, iter([]))
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
    wrong = head.replace(b"Host: x\r\n", b"Host: x\r\nAuthorization: Bearer not-a-token\r\n")
    assert raw_exchange(url, wrong, iter([])).startswith(b"HTTP/1.1 401")
    assert rss_mb(pid) - before < 50


def test_a_trainee_sending_too_large_a_table_is_told_so_in_plain_words(tmp_path: Path) -> None:
    classroom, tokens = make_class(tmp_path, 1, "practice")
    with background_server(create_app(classroom, max_body_mb=1), lifetime_s=60) as url:
        session = Session.connect(url, tokens["W000"])
        big = pd.DataFrame({"entry_id": ["E" * 100] * 30_000})  # ~3 MB on the wire
        with pytest.raises(SandboxError) as refused:
            session.review.submit(big)
        assert "1 MB" in refused.value.message("zh") and "上限" in refused.value.message("zh")
        assert session.brief()["entries"] > 0  # and the next call goes through
    classroom.close()


def test_a_token_typed_in_full_width_or_with_spaces_logs_in(served) -> None:
    _classroom, url, token = served
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in token)
    typed = f"  {full_width[:5]} {full_width[5:]} "
    assert Session.connect(url, typed).brief()["entries"] > 0
    with pytest.raises(SandboxError, match="letters, digits"):
        Session.connect(url, "令牌")


# --- any payload of any kind: a 422 or an answer, never a crash --------------------------------

NOT_FUZZED: set[str] = set()  # every action takes any payload
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10, 10**6),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=8))
FRAMES = st.builds(
    lambda columns, rows: {"__frame__": {"columns": columns, "data": [
        (row + [None] * len(columns))[:len(columns)] for row in rows]}},
    st.lists(st.sampled_from(["entry_id", "decision", "reason", "field", "value", "id_number", "program",
                              "amount", "line_id", "name", "account_number", "note", "x"]),
             max_size=4, unique=True),
    st.lists(st.lists(SCALARS, max_size=4), max_size=3))
VALUES = st.one_of(SCALARS, FRAMES, st.lists(SCALARS, max_size=3),
                   st.dictionaries(st.text(max_size=3), SCALARS, max_size=2))


@pytest.fixture(scope="module")
def one_trainee(tmp_path_factory) -> Iterator[tuple[ClassServer, dict]]:
    classroom, tokens = make_class(tmp_path_factory.mktemp("fuzz"), 1, "practice")
    server = ClassServer(classroom)
    trainee = server.gradebook.trainee_for_token(tokens["W000"])
    server.call(trainee, CallRequest(action="brief"))
    yield server, trainee
    classroom.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_payload_is_answered_or_refused_never_a_crash(one_trainee, data) -> None:
    server, trainee = one_trainee
    attempt = server.attempt_of(trainee["trainee_id"])
    action = data.draw(st.sampled_from(sorted(set(attempt.actions) - NOT_FUZZED)))
    names = list(inspect.signature(attempt.actions[action].handler).parameters)
    chosen = data.draw(st.lists(st.sampled_from(names), unique=True)) if names else []
    payload = {name: data.draw(VALUES) for name in chosen}
    try:
        server.call(trainee, CallRequest(action=action, payload=payload))
    except SandboxError:
        pass  # a 422 with its plain message
