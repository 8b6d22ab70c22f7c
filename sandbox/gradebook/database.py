"""Where a gradebook lives and how its connections behave.

SQLite (the default, one file) is tuned for a class server's many threads:

- WAL mode, so readers never wait for the writer and the writer never waits for readers;
- one writer at a time *per file in this process*, queued on a `threading.Lock`. SQLite's own
  busy handler waits by sleeping and retrying (up to 100 ms a nap), so threads that contend
  for the file lock waste most of the time asleep and an unlucky one can starve past any
  timeout: that was the "database is locked" of the fifty-trainee test. Behind the lock no
  two of our threads ever contend; `busy_timeout` is left for other processes (a trainer's
  `sandbox class report` beside `sandbox serve`, two notebook kernels);
- write transactions start with ``BEGIN IMMEDIATE`` (the file lock is taken up front, never
  upgraded from a read halfway through), and DDL runs inside them, so a migration either
  happens whole or not at all.

Any other SQLAlchemy URL (PostgreSQL for a class server) is used as it is: row locks and MVCC
need none of this.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from sandbox.common.home import sandbox_home

DEFAULT_FILE_NAME = "gradebook.sqlite"
SQLITE_BUSY_TIMEOUT_S = 30  # only other processes can keep a writer waiting (see above)
_WRITE_OPTION = "sandbox_write"  # marks a connection whose transaction writes


def default_directory() -> Path:
    """Where the local gradebook lives: $SANDBOX_HOME, else ~/.yikatong-sandbox."""
    return sandbox_home()


def resolve_url(url: str | Path | None) -> str:
    """A SQLAlchemy URL from None (default file), a file or directory path, or a URL."""
    if url is None:
        return f"sqlite:///{default_directory() / DEFAULT_FILE_NAME}"
    text = str(url)
    if "://" in text:
        return text
    path = Path(text)
    if path.is_dir():
        path = path / DEFAULT_FILE_NAME
    return f"sqlite:///{path}"


class Database:
    """An engine, and the one way to write to it (`write()`)."""

    def __init__(self, url: str | Path | None) -> None:
        self.url = sa.make_url(resolve_url(url))
        self.engine = _make_engine(self.url)
        self._writer_lock = _writer_lock_for(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def shown_url(self) -> str:
        """The URL with any password hidden (safe to print)."""
        return self.url.render_as_string(hide_password=True)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: committed when the block ends, rolled back on an error."""
        with self._writer_lock, self.engine.connect() as conn:
            conn.execution_options(**{_WRITE_OPTION: True})
            with conn.begin():
                yield conn

    def read(self) -> Connection:
        """A connection for reading (use it in a `with` block)."""
        return self.engine.connect()

    def dispose(self) -> None:
        self.engine.dispose()


def _make_engine(url: sa.URL) -> Engine:
    serializer = partial(json.dumps, default=json_default, ensure_ascii=False)
    if url.get_backend_name() != "sqlite":
        return sa.create_engine(url, json_serializer=serializer, pool_pre_ping=True)
    if _is_memory(url):
        # One shared in-memory database: for quick experiments, one thread at a time.
        engine = sa.create_engine(
            url, json_serializer=serializer, poolclass=StaticPool,
            connect_args={"check_same_thread": False},
        )
    else:
        create_private_file(Path(url.database).expanduser())
        engine = sa.create_engine(
            url, json_serializer=serializer,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
        )
    sa.event.listen(engine, "connect", _configure_sqlite)
    sa.event.listen(engine, "begin", _begin_sqlite)
    return engine


def create_private_file(path: Path) -> None:
    """Create a new SQLite file readable by its owner only (0600): a gradebook holds a class's
    secret and every trainee's misses. SQLite gives its -wal and -shm files the same mode.
    An existing file is left as it is."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def _is_memory(url: sa.URL) -> bool:
    return url.database in (None, "", ":memory:")


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling would BEGIN only before INSERT/UPDATE/DELETE,
    # never before DDL; `_begin_sqlite` emits every BEGIN instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # WAL is a property of the file: switch once, not on every connection.
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] not in ("wal", "memory"):
            cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()


def _begin_sqlite(conn: Connection) -> None:
    """Writers take the file lock at BEGIN; readers read a snapshot and lock nothing."""
    writes = conn.get_execution_options().get(_WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


_writer_locks: dict[str, threading.Lock] = {}
_writer_locks_guard = threading.Lock()


def _writer_lock_for(url: sa.URL) -> AbstractContextManager[Any]:
    """One lock per SQLite file in this process, shared by every Gradebook opened on it."""
    if url.get_backend_name() != "sqlite":
        return nullcontext()
    if _is_memory(url):
        return threading.Lock()  # each in-memory engine is a database of its own
    key = os.path.realpath(Path(url.database).expanduser())
    with _writer_locks_guard:
        return _writer_locks.setdefault(key, threading.Lock())


def json_default(value: Any) -> Any:
    """Make what notebooks pass (NumPy numbers, dates, sets, frames) storable as JSON."""
    if hasattr(value, "item") and callable(value.item):  # NumPy scalars
        return value.item()
    if isinstance(value, dt.date | dt.datetime | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if isinstance(value, pd.DataFrame):
        return value.to_dict("records")
    if isinstance(value, pd.Series):
        return value.tolist()
    if isinstance(value, Decimal):
        return float(value)
    return str(value)
