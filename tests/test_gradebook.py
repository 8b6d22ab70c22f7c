"""The gradebook on SQLite (always) and PostgreSQL (when SANDBOX_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa

from sandbox.gradebook.store import Gradebook, GradebookError
from sandbox.scenario import scenario_path

POSTGRES_URL = os.environ.get("SANDBOX_TEST_POSTGRES_URL")

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgres",
        id="postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                not POSTGRES_URL,
                reason="SANDBOX_TEST_POSTGRES_URL is not set (make test starts PostgreSQL "
                "with scripts/postgres.sh and sets it)",
            ),
        ],
    ),
]

T0 = dt.datetime(2022, 6, 1, 9, 0, 0)


def fresh_postgres(url: str) -> None:
    """Start every test on an empty database (tables and their revision): the test database
    outlives test runs."""
    engine = sa.create_engine(url)
    try:
        tables = sa.MetaData()
        tables.reflect(engine)
        tables.drop_all(engine)
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def gradebook(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Gradebook]:
    if request.param == "postgres":
        assert POSTGRES_URL
        fresh_postgres(POSTGRES_URL)
        book = Gradebook(POSTGRES_URL)
    else:
        book = Gradebook(tmp_path / "gradebook.sqlite")
    yield book
    book.close()


# --- where the database lives ----------------------------------------------------------------


def test_default_location_is_a_sqlite_file_in_sandbox_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANDBOX_HOME", str(tmp_path / "home"))
    with Gradebook() as book:
        assert book.is_sqlite
        book.create_attempt("张三", "tutorial", seed=1)
    assert (tmp_path / "home" / "gradebook.sqlite").is_file()


def test_a_directory_gets_the_default_file_name(tmp_path: Path) -> None:
    with Gradebook(tmp_path) as book:
        assert book.url == f"sqlite:///{tmp_path / 'gradebook.sqlite'}"


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    with Gradebook(tmp_path / "g.sqlite") as book, book.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_data_survives_reopening_the_file(tmp_path: Path) -> None:
    path = tmp_path / "g.sqlite"
    with Gradebook(path) as book:
        attempt_id = book.create_attempt("张三", "tutorial", seed=3, started_at=T0)
        book.log_action(attempt_id, "collection", "submit", {"rows": 12}, wall_time=T0)
    with Gradebook(f"sqlite:///{path}") as book:
        assert book.attempt(attempt_id)["trainee"] == "张三"
        assert book.actions(attempt_id)["payload"].tolist() == [{"rows": 12}]


def test_an_unreachable_server_is_a_clear_error_that_hides_the_password() -> None:
    with pytest.raises(GradebookError, match="cannot open the gradebook") as caught:
        Gradebook("postgresql+psycopg://sandbox:s3cret@127.0.0.1:1/nowhere")
    assert "s3cret" not in str(caught.value) and "sandbox:***@127.0.0.1:1" in str(caught.value)


# --- round trips (both backends) -------------------------------------------------------------


def test_attempt_round_trip(gradebook: Gradebook) -> None:
    attempt_id = gradebook.create_attempt(
        "李四", "zhoukou-2022", seed=2**62, mode="practice", started_at=T0
    )
    sim = dt.datetime(2022, 5, 3, 10, 30)
    payload = {"entry_id": "E0007", "reason": "死亡", "count": np.int64(3), "when": dt.date(2022, 5, 1)}
    assert gradebook.log_action(attempt_id, "review", "reject", payload, sim_time=sim, wall_time=T0) == 1
    assert gradebook.log_action(attempt_id, "review", "approve", None, wall_time=T0) == 2

    frame = gradebook.actions(attempt_id)
    assert frame["seq"].tolist() == [1, 2]
    assert frame["action"].tolist() == ["reject", "approve"]
    assert frame.loc[0, "payload"] == {
        "entry_id": "E0007", "reason": "死亡", "count": 3, "when": "2022-05-01",
    }
    assert frame.loc[0, "sim_time"] == sim
    assert frame.loc[0, "wall_time"] == T0

    record = gradebook.attempt(attempt_id)
    assert {k: record[k] for k in ("trainee", "scenario", "seed", "mode", "class_id")} == {
        "trainee": "李四", "scenario": "zhoukou-2022", "seed": 2**62, "mode": "practice",
        "class_id": None,
    }
    assert record["started_at"] == T0 and record["finished_at"] is None

    gradebook.finish_attempt(attempt_id, finished_at=T0 + dt.timedelta(hours=2))
    assert gradebook.attempt(attempt_id)["finished_at"] == T0 + dt.timedelta(hours=2)


def test_resubmission_replaces_the_score_and_keeps_history(gradebook: Gradebook) -> None:
    attempt_id = gradebook.create_attempt("王五", "tutorial", seed=1)
    first = {"misses": [{"entry_id": "E1", "fault": "dead_payee"}]}
    assert gradebook.record_stage_score(attempt_id, "review", 60, 100, first) == 1
    assert gradebook.record_stage_score(attempt_id, "review", 85.5, 100, {"misses": []}) == 2
    assert gradebook.record_stage_score(attempt_id, "payout", 40, 50) == 1

    scores = gradebook.stage_scores(attempt_id=attempt_id)
    assert scores[["stage", "score", "max_score", "submissions"]].to_dict("records") == [
        {"stage": "payout", "score": 40.0, "max_score": 50.0, "submissions": 1},
        {"stage": "review", "score": 85.5, "max_score": 100.0, "submissions": 2},
    ]
    history = gradebook.actions(attempt_id)
    review = history[history["stage"] == "review"]
    assert review["action"].tolist() == ["score", "score"]
    assert [p["score"] for p in review["payload"]] == [60.0, 85.5]
    assert review["payload"].iloc[0]["details"] == first

    record = gradebook.attempt(attempt_id)
    assert (record["score"], record["max_score"]) == (125.5, 150.0)
    assert record["stages"]["review"]["details"] == {"misses": []}


def test_class_attempts_and_feedback_release(gradebook: Gradebook) -> None:
    gradebook.create_class("C1", "商水县培训班", "zhoukou-2022", mode="exam")
    gradebook.add_trainee("C1", "T01", "张三", token="tok-1", id_number="41162319900101123X")
    in_class = gradebook.create_attempt("张三", "zhoukou-2022", seed=5, mode="exam",
                                        class_id="C1", started_at=T0)
    alone = gradebook.create_attempt("自学者", "tutorial", seed=5, started_at=T0 - dt.timedelta(days=1))
    gradebook.record_stage_score(in_class, "review", 70, 100)

    assert gradebook.trainee_for_token("tok-1")["trainee_id"] == "T01"
    assert gradebook.trainee_for_token("wrong") is None
    assert gradebook.trainees("C1")["name"].tolist() == ["张三"]

    assert gradebook.attempts()["attempt_id"].tolist() == [alone, in_class]  # oldest first
    assert gradebook.attempts(class_id="C1")["attempt_id"].tolist() == [in_class]
    assert gradebook.stage_scores(class_id="C1")["attempt_id"].tolist() == [in_class]

    assert gradebook.feedback_released("C1") is False
    assert gradebook.attempt(in_class)["feedback_released"] is False
    assert gradebook.attempt(alone)["feedback_released"] is True  # practice: always shown
    gradebook.release_feedback("C1", released_at=T0)
    assert gradebook.feedback_released("C1") is True
    assert gradebook.attempt(in_class)["feedback_released"] is True


def test_mistakes_get_clear_errors_and_change_nothing(gradebook: Gradebook) -> None:
    with pytest.raises(GradebookError, match="no attempt 'nope'"):
        gradebook.log_action("nope", "review", "approve")
    with pytest.raises(GradebookError, match="no attempt 'nope'"):
        gradebook.record_stage_score("nope", "review", 1, 2)
    assert gradebook.actions("nope").empty and gradebook.stage_scores().empty

    with pytest.raises(GradebookError, match="mode 'test'.*practice, exam"):
        gradebook.create_attempt("张三", "tutorial", seed=1, mode="test")  # type: ignore[arg-type]
    with pytest.raises(GradebookError, match="no class 'C9'"):
        gradebook.create_attempt("张三", "tutorial", seed=1, class_id="C9")
    with pytest.raises(GradebookError, match="no class 'C9'"):
        gradebook.release_feedback("C9")
    assert gradebook.attempts().empty

    gradebook.create_class("C1", "班", "tutorial")
    with pytest.raises(GradebookError, match="class 'C1' already exists"):
        gradebook.create_class("C1", "另一个班", "tutorial")
    assert gradebook.class_info("C1")["name"] == "班"


def test_wall_time_is_taken_at_call_time(gradebook: Gradebook) -> None:
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    attempt_id = gradebook.create_attempt("张三", "tutorial", seed=1)
    gradebook.log_action(attempt_id, "collection", "open")
    after = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(seconds=1)
    logged = gradebook.actions(attempt_id).loc[0, "wall_time"]
    assert before <= logged <= after
    assert before <= gradebook.attempt(attempt_id)["started_at"] <= after


# --- concurrency ----------------------------------------------------------------------------

THREADS = 20
ACTIONS_PER_THREAD = 20


def test_many_threads_writing_at_once_lose_nothing(gradebook: Gradebook) -> None:
    """20 trainee threads log into one attempt and re-submit one stage at the same time."""
    attempt_id = gradebook.create_attempt("全班", "tutorial", seed=9)
    start = threading.Barrier(THREADS)

    def trainee(thread: int) -> list[int]:
        start.wait()
        seqs = []
        for i in range(ACTIONS_PER_THREAD):
            seqs.append(gradebook.log_action(attempt_id, "review", "approve", {"t": thread, "i": i}))
            if i % 10 == 9:
                gradebook.record_stage_score(attempt_id, "review", thread, 100)
        return seqs

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        returned = [seq for seqs in pool.map(trainee, range(THREADS)) for seq in seqs]

    scores_per_thread = ACTIONS_PER_THREAD // 10
    total = THREADS * (ACTIONS_PER_THREAD + scores_per_thread)
    logged = gradebook.actions(attempt_id)
    assert logged["seq"].tolist() == list(range(1, total + 1))  # no gaps, no duplicates
    approvals = logged[logged["action"] == "approve"]["payload"]
    assert sorted((p["t"], p["i"]) for p in approvals) == [
        (t, i) for t in range(THREADS) for i in range(ACTIONS_PER_THREAD)
    ]
    assert len(set(returned)) == THREADS * ACTIONS_PER_THREAD
    review = gradebook.stage_scores(attempt_id=attempt_id).iloc[0]
    assert review["submissions"] == THREADS * scores_per_thread


# --- class mode: enrolment, secrets, live attempts and stored reports -------------------------

TUTORIAL = scenario_path("tutorial")


def _rows(*ids: str) -> list[dict]:
    return [{"trainee_id": i, "name": f"学员{i}", "token": f"tok-{i}"} for i in ids]


def test_enrolling_a_class_is_all_or_nothing(gradebook: Gradebook) -> None:
    with pytest.raises(GradebookError, match="nothing was stored"):
        gradebook.enrol_class("C1", "班", "tutorial", "exam", "ab" * 16, _rows("T1", "T1"))
    with pytest.raises(GradebookError):
        gradebook.class_info("C1")
    gradebook.enrol_class("C1", "班", "tutorial", "exam", "ab" * 16, _rows("T1", "T2"))
    assert gradebook.class_secret("C1") == "ab" * 16
    assert gradebook.trainee_for_token("tok-T2")["trainee_id"] == "T2"
    with pytest.raises(GradebookError, match="already exists"):
        gradebook.enrol_class("C1", "班", "tutorial", "exam", "cd" * 16, _rows("T3"))
    # Trainee ids are per class: 工号 T1 may attend another class too.
    gradebook.enrol_class("C2", "二班", "tutorial", "practice", "cd" * 16,
                          [{"trainee_id": "T1", "name": "学员", "token": "other"}])
    assert len(gradebook.trainees("C2")) == 1
    with pytest.raises(GradebookError, match="no secret"):
        gradebook.class_secret("C9")


def test_a_registered_attempt_logs_scores_and_its_report(gradebook: Gradebook) -> None:
    from sandbox.personas import PERSONAS
    from sandbox.platform.attempt import open_attempt
    from sandbox.session.session import LocalBackend, Session

    gradebook.enrol_class("C1", "班", "tutorial", "exam", "ab" * 16, _rows("T1"))
    attempt = open_attempt(TUTORIAL, trainee="学员T1", mode="exam")
    attempt_id = gradebook.register_attempt(attempt, class_id="C1", trainee="T1")
    PERSONAS["approve-all"](Session(LocalBackend(attempt)))

    record = gradebook.attempt(attempt_id)
    assert record["trainee"] == "T1" and set(record["stages"]) == set(attempt.scores)
    assert record["finished_at"] is not None  # every stage scored
    logged = gradebook.actions(attempt_id)
    assert {"collection.submit", "review.submit", "score"} <= set(logged["action"])
    details = record["stages"]["review"]["details"]
    assert details["misses"] and {"fault", "evidence"} <= set(details["misses"][0])

    withheld = gradebook.report_data(attempt_id)
    assert withheld["misses"] == [] and withheld["feedback_released"] is False
    assert withheld["score"] == attempt.report()["score"]
    assert gradebook.report_data(attempt_id, full=True)["misses"]
    gradebook.release_feedback("C1")
    assert gradebook.report_data(attempt_id)["misses"]



# --- SQLite: many writer threads, never "database is locked" ----------------------------------

HAMMER_THREADS = 24
HAMMER_ROUNDS = 8


def test_concurrent_writers_on_one_sqlite_file_never_see_database_is_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a class server does, harder: trainee threads write actions, scores and reports
    while others read, through three Gradebooks on one file. SQLite's busy handler is turned
    off, so any two of our threads contending for the file fail at once: the writer lock
    (database.py) must keep them from ever contending."""
    from sandbox.gradebook import database

    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_S", 0)
    path = tmp_path / "class.sqlite"
    books = [Gradebook(path) for _ in range(3)]
    with books[0].engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 0
    report = {"misses": [{"entry_id": f"E{i:04d}", "why": "死亡人员仍在册"} for i in range(200)]}
    start = threading.Barrier(HAMMER_THREADS)
    errors: list[str] = []

    def trainee(number: int) -> str:
        book = books[number % len(books)]
        start.wait()
        try:
            attempt_id = book.create_attempt(f"学员{number}", "tutorial", seed=number)
            for i in range(HAMMER_ROUNDS):
                book.log_action(attempt_id, "review", "approve", {"i": i})
                book.record_stage_score(attempt_id, "review", i, 100, {"misses": report["misses"][:i]})
                book.save_report(attempt_id, report)
                book.attempt(attempt_id)  # a reader among the writers
            book.finish_attempt(attempt_id)
            return attempt_id
        except Exception as exc:  # noqa: BLE001 - every failure is reported below
            errors.append(f"{type(exc).__name__}: {exc}")
            raise

    with ThreadPoolExecutor(max_workers=HAMMER_THREADS) as pool:
        futures = [pool.submit(trainee, n) for n in range(HAMMER_THREADS)]
    assert errors == []
    attempt_ids = [f.result() for f in futures]
    book = books[0]
    assert len(book.attempts()) == HAMMER_THREADS
    for attempt_id in attempt_ids:
        assert book.actions(attempt_id)["seq"].tolist() == list(range(1, 2 * HAMMER_ROUNDS + 1))
        assert book.attempt(attempt_id)["stages"]["review"]["submissions"] == HAMMER_ROUNDS
    for each in books:
        each.close()


# --- payloads stored once, compressed (blobs.py) ----------------------------------------------


def two_megabyte_call(rng_seed: int = 7) -> dict:
    """A call as a class server logs it: a table of ~2 MB of varied text, wire-encoded."""
    rng = np.random.default_rng(rng_seed)
    ids = [f"4101{n:014d}" for n in rng.integers(0, 10**14, 20_000)]
    notes = ["".join(rng.choice(list("核查通过死亡重复面积公职人员亲属车辆"), 30)) for _ in range(20_000)]
    return {"decisions": {"__frame__": {"columns": ["entry_id", "note"],
                                        "data": [list(row) for row in zip(ids, notes, strict=True)]}}}


def database_bytes(book: Gradebook, path: Path | None) -> int:
    """The gradebook's size on disk (SQLite) or in the database (PostgreSQL)."""
    if path is None:
        with book.engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT pg_database_size(current_database())")).scalar())
    book.close()  # the last connection checkpoints the WAL into the file
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


@pytest.mark.parametrize("backend", BACKENDS)
def test_twenty_identical_large_submissions_are_stored_once(backend: str, tmp_path: Path) -> None:
    """Twenty 2 MB submissions had made a gradebook 55 MB: each call is now one compressed blob
    shared by every action that sent it, and replay reads each back whole."""
    path = None if backend == "postgres" else tmp_path / "gradebook.sqlite"
    if path is None:
        assert POSTGRES_URL
        fresh_postgres(POSTGRES_URL)
    book = Gradebook(path or POSTGRES_URL)
    attempt_id = book.create_attempt("张三", "tutorial", seed=1)
    book.log_action(attempt_id, "review", "review.lookup", {"summary": {}, "call": {"entry_id": "E1"}})
    before = database_bytes(book, path)
    call = two_megabyte_call()
    size = len(json.dumps(call, ensure_ascii=False).encode())
    assert size > 2_000_000
    book = Gradebook(path or POSTGRES_URL)
    for _ in range(20):
        book.log_action(attempt_id, "review", "review.submit", {"summary": {"decisions": "20000 rows"}, "call": call})
    grown = database_bytes(book, path) - before
    print(f"{backend}: twenty {size / 1e6:.1f} MB calls grew the gradebook by {grown / 1e6:.2f} MB")
    assert grown < size, f"{grown / 1e6:.1f} MB for twenty identical {size / 1e6:.1f} MB calls"
    book = Gradebook(path or POSTGRES_URL)
    logged = book.actions(attempt_id)
    assert [p["call"] for p in logged["payload"]] == [{"entry_id": "E1"}] + [call] * 20
    assert logged["payload"].iloc[1]["summary"] == {"decisions": "20000 rows"}
    assert "call" not in book.actions(attempt_id, calls=False)["payload"].iloc[1]
    book.close()
