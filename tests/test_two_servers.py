"""Issue 14, more than one process: two real `sandbox serve` processes on one PostgreSQL
gradebook serve one class. A first call to both at once creates one attempt; a client
alternating between them ends with one attempt and one action log that both servers agree
with; calls for one attempt at the same time on both are serialised by the database; a
failed write on PostgreSQL changes nothing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pandas as pd
import pytest
import sqlalchemy as sa

from sandbox.classmode.classroom import Classroom, create_class, read_tokens
from sandbox.gradebook.schemas import scratch_schema
from sandbox.scenario import scenario_path
from sandbox.session.http import ClassServerError
from sandbox.session.session import Session

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = scenario_path("tutorial")
POSTGRES_URL = os.environ.get("SANDBOX_TEST_POSTGRES_URL")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="SANDBOX_TEST_POSTGRES_URL is not set (make test "
                       "starts PostgreSQL with scripts/postgres.sh and sets it)"),
]


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    """A gradebook URL on a schema of its own in the test database (dropped afterwards), so
    that other tests sharing the database neither see nor drop its tables."""
    assert POSTGRES_URL
    with scratch_schema(POSTGRES_URL, "durable") as url:
        yield url


def make_class(directory: Path, gradebook: str, trainees: int = 2) -> tuple[Classroom, Path, list[str]]:
    class_file = directory / "klass.yaml"
    class_file.write_text(f"name: 测试班\nscenario: {TUTORIAL}\nmode: practice\n", encoding="utf-8")
    roster = directory / "roster.csv"
    roster.write_text("姓名,工号\n" + "".join(f"学员{i},W{i:03d}\n" for i in range(trainees)),
                      encoding="utf-8")
    classroom, tokens_file = create_class(class_file, roster, gradebook=gradebook)
    return classroom, class_file, list(read_tokens(tokens_file).values())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """`sandbox serve CLASS --gradebook URL` as its own process."""

    def __init__(self, class_file: Path, gradebook: str, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log.open("wb")
        env = os.environ | {"PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sandbox", "serve", str(class_file), "--gradebook", gradebook,
             "--port", str(self.port)], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, within_s: float = 60) -> None:
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped; see {self.log.name}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError(f"the server did not start; see {self.log.name}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def two_servers(tmp_path: Path, postgres_schema: str) -> Iterator[tuple[Classroom, list[str], str, str]]:
    classroom, class_file, tokens = make_class(tmp_path, postgres_schema)
    servers = [ServerProcess(class_file, postgres_schema, tmp_path / f"server-{n}.log") for n in "ab"]
    try:
        for server in servers:
            server.wait_ready()
        yield classroom, tokens, servers[0].url, servers[1].url
    finally:
        for server in servers:
            server.stop()
        classroom.close()


def both_at_once(*calls) -> list:
    """Run the calls in threads released together; their results (or exceptions) in order."""
    start = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int) -> None:
        start.wait()
        try:
            results[index] = calls[index]()
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


def decide(session: Session, entry_ids: list[str], decision: str) -> None:
    session.review.submit(pd.DataFrame({"entry_id": entry_ids, "decision": decision}))


def test_a_first_call_to_both_servers_at_once_makes_one_attempt(two_servers) -> None:
    classroom, tokens, url_a, url_b = two_servers
    briefs = both_at_once(lambda: Session.connect(url_a, tokens[0]).brief(),
                          lambda: Session.connect(url_b, tokens[0]).brief())
    assert not [b for b in briefs if isinstance(b, Exception)], briefs
    assert briefs[0]["attempt_id"] == briefs[1]["attempt_id"]
    attempts = classroom.gradebook.attempts(classroom.class_id)
    assert attempts["attempt_id"].tolist() == [briefs[0]["attempt_id"]]


def test_a_client_alternating_between_two_servers_sees_one_attempt(two_servers) -> None:
    """The issue: alternating calls left server A showing 140 approvals and server B 50
    referrals, the gradebook interleaving both."""
    classroom, tokens, url_a, url_b = two_servers
    a, b = Session.connect(url_a, tokens[0], lang="en"), Session.connect(url_b, tokens[0], lang="en")
    entries = a.review.roster()["entry_id"].tolist()
    batches = [entries[i:i + 5] for i in range(0, 40, 5)]
    expected: dict[str, str] = {}
    for number, batch in enumerate(batches):
        session, decision = (a, "approve") if number % 2 == 0 else (b, "refer")
        decide(session, batch, decision)
        expected.update(dict.fromkeys(batch, decision))
    # At the same time on both: the database serialises them, neither is lost.
    same_time = [entries[40:45], entries[45:50]]
    results = both_at_once(lambda: decide(a, same_time[0], "approve"),
                           lambda: decide(b, same_time[1], "refer"))
    assert results == [None, None]
    expected.update(dict.fromkeys(same_time[0], "approve") | dict.fromkeys(same_time[1], "refer"))

    seen_a, seen_b = a.review.decisions(), b.review.decisions()
    assert seen_a.equals(seen_b)
    shown = dict(zip(seen_a["entry_id"], seen_a["decision"].astype(str), strict=True))
    assert set(shown) == set(expected)
    assert {e for e, d in expected.items() if d == "approve"} == {
        e for e, d in shown.items() if d in {"approve", "通过"}}
    assert a.brief()["attempt_id"] == b.brief()["attempt_id"]

    attempts = classroom.gradebook.attempts(classroom.class_id)
    assert len(attempts) == 1
    logged = classroom.gradebook.actions(attempts["attempt_id"].iloc[0])
    assert logged["seq"].tolist() == list(range(1, len(logged) + 1))  # one log, no gap, no clash
    assert logged["action"].tolist() == ["review.submit"] * (len(batches) + 2)


def test_a_failed_write_on_postgresql_changes_nothing(two_servers) -> None:
    """A PostgreSQL error while a call is logged (here a trigger refusing every new action):
    the trainee is told it was not recorded, and neither server shows it."""
    classroom, tokens, url_a, url_b = two_servers
    a, b = Session.connect(url_a, tokens[1]), Session.connect(url_b, tokens[1])
    entries = a.review.roster()["entry_id"].tolist()
    decide(a, entries[:3], "approve")
    with classroom.gradebook.engine.begin() as conn:
        conn.execute(sa.text("CREATE FUNCTION refuse_actions() RETURNS trigger AS $$ BEGIN "
                             "RAISE EXCEPTION 'no space left on device (simulated)'; END $$ "
                             "LANGUAGE plpgsql"))
        conn.execute(sa.text("CREATE TRIGGER refuse BEFORE INSERT ON actions FOR EACH ROW "
                             "EXECUTE FUNCTION refuse_actions()"))
    try:
        with pytest.raises(ClassServerError) as caught:
            decide(a, entries[3:8], "approve")
    finally:
        with classroom.gradebook.engine.begin() as conn:
            conn.execute(sa.text("DROP TRIGGER refuse ON actions"))
            conn.execute(sa.text("DROP FUNCTION refuse_actions()"))
    assert caught.value.message("zh").startswith("这一步没有记进成绩册")
    assert a.review.decisions()["entry_id"].tolist() == entries[:3]
    assert b.review.decisions()["entry_id"].tolist() == entries[:3]
    decide(a, entries[3:8], "approve")  # done again: recorded now, seen by both
    assert b.review.decisions()["entry_id"].tolist() == entries[:8]
