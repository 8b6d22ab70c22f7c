"""Bring a gradebook's tables to the schema this code uses: Alembic, configured in code.

When a `Gradebook` is opened (`prepare`):

- an empty database gets every table, at the newest revision (SQLite and PostgreSQL alike);
- a gradebook at the newest revision is used as it is;
- an older gradebook — an earlier revision, or a file written before the gradebook used
  Alembic (release 0.1.0 and before: no ``alembic_version`` table) — is upgraded on open
  when it is a SQLite file. A shared database (PostgreSQL for a class server) is upgraded
  only on purpose, once, with ``sandbox gradebook upgrade URL`` (see docs/deploy.md), so
  that two servers never change one schema at the same time;
- a gradebook written by a newer sandbox (a revision this code does not know) is refused
  with one plain message.

An upgrade runs in one transaction (on SQLite the DDL included), so it happens whole or not
at all. To add a migration: change models.py, then run
``python -c "from sandbox.gradebook.migrate import new_revision; new_revision('what changed')"``
and read the file it writes into migrations/versions/.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sandbox.gradebook.database import Database
from sandbox.gradebook.errors import GradebookError

# Alembic is imported where it is used: opening a gradebook already at the newest revision
# (every start after the first) reads one row and need not pay ~60 ms to import it.
if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Gradebooks written before Alembic, by the tables they have: frozen, whatever models.py says.
UNVERSIONED_TABLES = frozenset({
    "classes", "trainees", "attempts", "actions", "stage_scores", "class_secrets",
    "attempt_reports",
})
FIRST_REVISION = "0001_first_schema"  # attempts without label and version
RELEASE_0_1_0_REVISION = "0002_attempt_label_version"
# Every upgrader of one PostgreSQL database queues on this advisory lock (any fixed number).
POSTGRES_UPGRADE_LOCK = 0x59_4B_54_0001


def __getattr__(name: str) -> Any:
    """`migrate.command` (Alembic's commands) as before, imported when first asked for."""
    if name == "command":
        from alembic import command

        return command
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class SchemaState:
    """What a database holds, as far as the gradebook's schema goes."""

    revision: str | None  # from alembic_version; None when there is no such table
    tables: frozenset[str]  # the gradebook's own tables present
    attempt_columns: frozenset[str]

    @property
    def is_empty(self) -> bool:
        return self.revision is None and not self.tables

    @property
    def is_unversioned(self) -> bool:
        """Written before the gradebook used Alembic."""
        return self.revision is None and bool(self.tables)

    def describe(self) -> str:
        if self.is_empty:
            return "empty"
        if self.is_unversioned:
            return f"written before migrations (like revision {unversioned_revision(self)})"
        return f"revision {self.revision}"


@dataclass(frozen=True)
class Upgrade:
    """What `upgrade` did: from which revision (None: empty) to which."""

    before: str | None
    after: str
    was_unversioned: bool = False

    @property
    def changed(self) -> bool:
        return self.before != self.after or self.was_unversioned


def head() -> str:
    """The newest revision: the schema this code reads and writes."""
    revision = _scripts().get_current_head()
    assert revision is not None, "migrations/versions holds no revision"
    return revision


def newest_revision_file() -> str:
    """The newest revision, read from the file names alone (each file is named by its
    revision id, numbered in order): `head()` without loading Alembic."""
    return max(path.stem for path in (MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def known_revisions() -> frozenset[str]:
    return frozenset(script.revision for script in _scripts().walk_revisions())


def read_state(conn: Connection) -> SchemaState:
    from alembic.runtime.migration import MigrationContext

    revision = MigrationContext.configure(conn).get_current_revision()
    inspector = sa.inspect(conn)
    tables = frozenset(inspector.get_table_names()) & UNVERSIONED_TABLES
    columns = (frozenset(c["name"] for c in inspector.get_columns("attempts"))
               if "attempts" in tables else frozenset())
    return SchemaState(revision, tables, columns)


def unversioned_revision(state: SchemaState) -> str:
    """The revision whose schema an unversioned gradebook has, or a plain error."""
    if state.tables != UNVERSIONED_TABLES:
        missing = ", ".join(sorted(UNVERSIONED_TABLES - state.tables))
        raise GradebookError(f"this database has some gradebook tables but not {missing}; "
                             "it was not written by a released sandbox and cannot be upgraded")
    added_in_0_1_0 = {"label", "version"} & state.attempt_columns
    if added_in_0_1_0 == {"label", "version"}:
        return RELEASE_0_1_0_REVISION
    if not added_in_0_1_0:
        return FIRST_REVISION
    raise GradebookError("this gradebook's attempts table has only one of label and version; "
                         "it was not written by a released sandbox and cannot be upgraded")


def status(database: Database) -> SchemaState:
    with database.read() as conn:
        return read_state(conn)


def prepare(database: Database) -> None:
    """Make an opened gradebook usable: create, upgrade or refuse it (rules above)."""
    if stamped_revision(database) == newest_revision_file():  # the usual case, quickly
        return
    state = status(database)
    if state.revision == head():
        return
    refuse_newer(state, database)
    if not (state.is_empty or database.is_sqlite):
        raise GradebookError(
            f"the gradebook at {database.shown_url} is {state.describe()}; this version of the "
            f"sandbox needs revision {head()}. Stop the class server, back the database up, and "
            "run once: sandbox gradebook upgrade URL")
    upgrade(database)


def stamped_revision(database: Database) -> str | None:
    """The revision in the alembic_version table, read with one query (None: no table)."""
    with database.read() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(database: Database) -> Upgrade:
    """Upgrade to the newest revision in one transaction; a no-op when already there."""
    from alembic import command

    with database.write() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"),
                         {"key": POSTGRES_UPGRADE_LOCK})
        state = read_state(conn)  # again, now that no one else can be upgrading
        refuse_newer(state, database)
        config = alembic_config(conn)
        before = state.revision
        if state.is_unversioned:
            before = unversioned_revision(state)
            command.stamp(config, before)
        if before != head():
            command.upgrade(config, "head")
    return Upgrade(before, head(), state.is_unversioned)


def refuse_newer(state: SchemaState, database: Database) -> None:
    if state.revision is not None and state.revision not in known_revisions():
        raise GradebookError(
            f"{database.shown_url} 的成绩册是新版沙盘写的，这个版本读不了：请更新沙盘（pip install -U yikatong-sandbox）",
            f"the gradebook at {database.shown_url} was written by a newer version of the "
            f"sandbox (schema revision {state.revision}; this version knows up to {head()}). "
            "Update the sandbox: pip install -U yikatong-sandbox")


def new_revision(message: str) -> Path:
    """Write migrations/versions/NNNN_<what>.py from how models.py differs from the newest
    revision (for maintainers: read and edit the file it writes)."""
    number = len(known_revisions()) + 1
    from alembic import command

    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")
    with tempfile.TemporaryDirectory() as tmp:
        database = Database(Path(tmp) / "head.sqlite")
        upgrade(database)
        with database.write() as conn:
            config = alembic_config(conn)
            script = command.revision(config, message, autogenerate=True,
                                      rev_id=f"{number:04d}_{slug}"[:32])
        database.dispose()
    _scripts.cache_clear()
    assert script is not None and not isinstance(script, list)
    return Path(script.path)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(rev)s")  # the revision id names the file
    if connection is not None:
        config.attributes["connection"] = connection  # migrations/env.py runs on it
    return config


@lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())
