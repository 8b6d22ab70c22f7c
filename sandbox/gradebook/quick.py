"""The trainee's own gradebook at a session's start, with the standard library's sqlite3.

Every course notebook starts with `gradebook=True`: find the unfinished attempt to resume and
read its actions, or register a new one. SQLAlchemy takes ~0.1 s to import, as long as the
rest of a start; so a local gradebook file that is already at the newest schema is read (and
the new attempt's row written) here, and the full `Gradebook` (store.py) is opened only when
the attempt first records something (`DeferredRecorder`). Anything else — no file yet, an
older or newer schema, a URL, a `Gradebook` object — takes the full path in recording.py.

The queries mirror store.py's `open_attempt_of`, `stage_scores`, `actions` and
`create_attempt`; tests/test_quick_gradebook.py checks that both give the same answers.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pandas as pd

from sandbox.common.home import sandbox_home
from sandbox.version import __version__

if TYPE_CHECKING:
    import sqlite3

# The same names as database.py and migrate.py, which this module does not import (they
# import SQLAlchemy); tests/test_quick_gradebook.py checks they agree.
DEFAULT_FILE_NAME = "gradebook.sqlite"
VERSIONS_DIR = Path(__file__).with_name("migrations") / "versions"
BUSY_TIMEOUT_S = 30.0


def newest_revision() -> str:
    """The newest schema revision, from the file names alone (each file is named by its
    revision id, numbered in order): migrate.head() without loading Alembic."""
    return max(path.stem for path in VERSIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.py"))


def local_file(choice: Any) -> Path | None:
    """The existing SQLite file a local gradebook choice (True, or a file or folder path) names."""
    if choice is True:
        path = sandbox_home() / DEFAULT_FILE_NAME
    elif isinstance(choice, str | Path) and "://" not in str(choice) and str(choice) != ":memory:":
        path = Path(choice)
        if path.is_dir():
            path = path / DEFAULT_FILE_NAME
    else:
        return None
    return path if path.is_file() else None


def stored_mode(mode: str) -> str:
    """A self-test is stored as an exam without a class (store.py's `_stored_mode`)."""
    return "exam" if mode == "self-test" else mode


class QuickGradebook:
    """Reads (and registers attempts in) a local gradebook file at the newest schema."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def open(cls, choice: Any) -> QuickGradebook | None:
        """The quick reader for this choice, or None when the full path must be taken."""
        path = local_file(choice)
        if path is None:
            return None
        import sqlite3  # here: a start without a gradebook file need not load it

        book = cls(path)
        try:
            with book._connect() as conn:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error:  # no such table (an old file), locked, damaged: the full path says why
            return None
        return book if row is not None and row[0] == newest_revision() else None

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection to the existing file (never creates one), committed and closed after."""
        import sqlite3

        conn = sqlite3.connect(f"file:{quote(str(self.path.resolve()))}?mode=rw", uri=True,
                               timeout=BUSY_TIMEOUT_S)
        try:
            with conn:  # commits, or rolls back on an error
                yield conn
        finally:
            conn.close()

    def open_attempt_of(self, trainee: str, scenario: str, seed: int, mode: str,
                        label: str | None = None) -> str | None:
        label_test = "label IS NULL" if label is None else "label = ?"
        query = ("SELECT attempt_id FROM attempts WHERE trainee = ? AND scenario = ? AND seed = ? "
                 "AND mode = ? AND finished_at IS NULL AND version = ? AND class_id IS NULL "
                 f"AND {label_test} ORDER BY started_at DESC, attempt_id DESC LIMIT 1")
        values = [trainee, scenario, int(seed), stored_mode(mode), __version__]
        with self._connect() as conn:
            row = conn.execute(query, values if label is None else [*values, label]).fetchone()
        return None if row is None else str(row[0])

    def scored_stages(self, attempt_id: str) -> set[str]:
        with self._connect() as conn:
            rows = conn.execute("SELECT stage FROM stage_scores WHERE attempt_id = ?", [attempt_id])
            return {str(row[0]) for row in rows}

    def actions(self, attempt_id: str) -> pd.DataFrame:
        """The attempt's logged actions in order: action and payload (what replay reads), each
        call read back from its blob (blobs.py)."""
        from sandbox.gradebook.blobs import call_of, digests_in, restored

        with self._connect() as conn:
            rows = conn.execute("SELECT action, payload FROM actions WHERE attempt_id = ? ORDER BY seq",
                                [attempt_id]).fetchall()
            payloads = [None if payload is None else json.loads(payload) for _, payload in rows]
            digests = sorted(digests_in(payloads))
            marks = ", ".join("?" * len(digests))
            calls = {digest: call_of(data) for digest, data in conn.execute(
                f"SELECT digest, data FROM payload_blobs WHERE digest IN ({marks})", digests)} if digests else {}
        return pd.DataFrame([{"action": action, "payload": restored(payload, calls)}
                             for (action, _), payload in zip(rows, payloads, strict=True)],
                            columns=["action", "payload"])

    def register(self, attempt: Any, label: str | None, started_at: dt.datetime) -> None:
        """The attempt's row, as store.py's `create_attempt` writes it."""
        row = {"attempt_id": attempt.attempt_id, "trainee": attempt.trainee, "class_id": None,
               "scenario": attempt.scenario.name, "seed": int(attempt.scenario.seed),
               "mode": stored_mode(attempt.mode), "started_at": sqlite_datetime(started_at),
               "finished_at": None, "label": label, "version": __version__, "last_seq": 0}
        columns = ", ".join(row)
        with self._connect() as conn:
            conn.execute(f"INSERT INTO attempts ({columns}) VALUES ({', '.join('?' * len(row))})",
                         list(row.values()))


def sqlite_datetime(moment: dt.datetime) -> str:
    """A naive UTC datetime as SQLAlchemy's SQLite DateTime stores it."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class DeferredRecorder:
    """`Attempt.on_action` until the attempt first records something: then the full
    Gradebook is opened and its AttemptRecorder takes over (and records this first entry)."""

    def __init__(self, choice: Any, attempt: Any) -> None:
        self.choice = choice
        self.attempt = attempt
        self.then = attempt.on_action  # a callback that was there before, still called

    def __call__(self, entry: dict[str, Any]) -> None:
        from sandbox.gradebook.store import Gradebook

        book = Gradebook(None if self.choice is True else self.choice)
        self.attempt.on_action = self.then  # attach wraps what was there before this one
        book.attach(self.attempt)
        self.attempt.on_action(entry)
