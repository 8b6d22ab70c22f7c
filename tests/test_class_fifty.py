"""Issue 14, a class at full size: fifty trainees play whole attempts at once against a real
`sandbox serve` process over real HTTP (benchmarks/bench_class.py), on SQLite with one process
and on PostgreSQL with two (`--workers 2`). Every call must succeed, every trainee finish, and
the gradebook must hold one finished, gap-free, replayable attempt per trainee. The latencies
are printed (run with -s to see them), never asserted: speed is measured, not tested.

Also here: each trainee's world is built at `sandbox class new`, so a server (a fresh one, after
a restart) reads it instead of building it; and several processes refuse a SQLite gradebook."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_class import check_class, make_class, run_bench  # noqa: E402

from sandbox.gradebook.schemas import scratch_schema  # noqa: E402

POSTGRES_URL = os.environ.get("SANDBOX_TEST_POSTGRES_URL")
TRAINEES = 50
# A trainee's mean pause before a call (a person reads the answer first), and the seconds over
# which the class arrives: long enough to be a class, short enough for CI.
THINK_S = 0.2
SPREAD_S = 5.0


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A SANDBOX_HOME of the test's own: the class's world cache starts empty."""
    monkeypatch.setenv("SANDBOX_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SANDBOX_NO_CACHE", raising=False)
    return tmp_path / "home"


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    """A gradebook URL on a schema of its own in the test database, dropped afterwards."""
    assert POSTGRES_URL
    with scratch_schema(POSTGRES_URL, "fifty") as url:
        yield url


def play_and_check(directory: Path, gradebook: str | None, workers: int) -> None:
    result = run_bench(TRAINEES, gradebook, workers=workers, think_s=THINK_S, start_spread_s=SPREAD_S,
                       directory=directory)
    print()
    print(result.table())
    assert result.errors == []
    assert result.finished == TRAINEES
    assert len(result.all_latencies()) > TRAINEES * 100  # whole attempts were played, not a few calls
    assert check_class(result.class_file, result.gradebook, result.tokens) == []


@pytest.mark.slow
def test_fifty_trainees_on_sqlite_lose_nothing(tmp_path: Path, home: Path) -> None:
    play_and_check(tmp_path, None, workers=1)


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="SANDBOX_TEST_POSTGRES_URL is not set (make test "
                    "starts PostgreSQL with scripts/postgres.sh and sets it)")
def test_fifty_trainees_on_postgresql_with_two_server_processes_lose_nothing(
        tmp_path: Path, home: Path, postgres_schema: str) -> None:
    play_and_check(tmp_path, postgres_schema, workers=2)


def test_each_trainees_world_is_built_at_class_new_and_read_on_start_and_resume(
        tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sandbox.classmode.classroom import Classroom
    from sandbox.classmode.server import CallRequest, ClassServer
    from sandbox.common.wire import decode, encode
    from sandbox.platform import county_cache

    gradebook = f"sqlite:///{tmp_path / 'book.sqlite'}"
    class_file, tokens = make_class(tmp_path, 3, gradebook)
    classroom = Classroom.open(class_file, gradebook)
    folder = county_cache.class_worlds(classroom.class_id)
    kept = sorted(folder.glob("county-*.pickle"))
    assert len(kept) == 3  # one per trainee: each has a seed of their own
    assert folder.stat().st_mode & 0o077 == 0  # the answer keys: the server's owner only
    assert all(path.stat().st_mode & 0o077 == 0 for path in kept)

    def no_building(_scenario: object) -> None:
        raise AssertionError("a trainee's world was built again")

    monkeypatch.setattr(county_cache, "build_county", no_building)
    server = ClassServer(classroom)  # the first calls: every attempt starts from its cached county
    for token in tokens.values():
        attempt = server._attempt(server.trainee(f"Bearer {token}"), "zh")
        assert attempt.data.key is not None
    # Seeds differ, and so do the worlds: each trainee got their own county, not a shared one.
    assert len({server.attempt_of(t).scenario.seed for t in tokens}) == 3

    first = server.trainee(f"Bearer {next(iter(tokens.values()))}")
    roster = decode(server.call(first, CallRequest(action="review.roster")))
    decisions = pd.DataFrame({"entry_id": roster["entry_id"].head(3), "decision": "approve"})
    server.call(first, CallRequest(action="review.submit", payload=encode({"decisions": decisions})), "key-1")
    restarted = ClassServer(classroom)  # after a restart, or another process: the county + the log
    resumed = restarted._attempt(first, "zh")
    assert resumed.resumed_actions == 1
    assert sorted(resumed.stages["review"].state.decisions) == sorted(decisions["entry_id"])
    classroom.close()


def test_several_server_processes_refuse_a_sqlite_gradebook(tmp_path: Path, home: Path) -> None:
    gradebook = f"sqlite:///{tmp_path / 'book.sqlite'}"
    class_file, _tokens = make_class(tmp_path, 1, gradebook)
    done = subprocess.run(
        [sys.executable, "-m", "sandbox", "serve", str(class_file), "--gradebook", gradebook,
         "--workers", "2", "--port", "0"],
        cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "PostgreSQL" in done.stderr and "--workers 1" in done.stderr
    assert "Traceback" not in done.stderr
