"""The gradebook's schema under Alembic: new gradebooks at head, gradebooks written by earlier
releases upgraded with every row kept, newer ones refused; SQLite and PostgreSQL.

The files in tests/fixtures/ were written by the old code itself (gradebook-fixtures.md).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.pool import NullPool

from sandbox.cli import main
from sandbox.gradebook import migrate
from sandbox.gradebook.blobs import call_of, restored
from sandbox.gradebook.database import Database
from sandbox.gradebook.models import metadata
from sandbox.gradebook.store import Gradebook, GradebookError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RELEASE_0_1_0 = FIXTURES / "gradebook-0.1.0.sqlite"
BEFORE_LABEL = FIXTURES / "gradebook-before-label.sqlite"
RELEASE_0_1_0_POSTGRES = FIXTURES / "gradebook-0.1.0.postgres.sql"
POSTGRES_URL = os.environ.get("SANDBOX_TEST_POSTGRES_URL")
PLAYED_ATTEMPT = "145abab2653d"  # in the 0.1.0 fixture: a tutorial played to the end
WRITTEN_ATTEMPT = "00000000-0000-4000-8000-000000000001"
# Columns revision 0003 adds: first try and best beside the latest score; a self-test's end.
ADDED_IN_0003 = {"attempts": {"feedback_released_at"}, "stage_scores": {"first_score", "best_score"}}
TABLES_ADDED_IN_0004 = {"class_attempts", "call_results"}
TABLES_ADDED_LATER = TABLES_ADDED_IN_0004 | {"payload_blobs"}  # 0005: calls stored once, compressed


# --- helpers ---------------------------------------------------------------------------------


def copy_fixture(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name
    shutil.copyfile(source, target)
    return target


def raw_rows(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, as SQLite stores it (no SQLAlchemy in between)."""
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                          "AND name != 'alembic_version' ORDER BY name")]
        return {name: sorted((dict(row) for row in db.execute(f"SELECT * FROM {name}")), key=repr)
                for name in names}


def calls_in_place(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Raw rows with each action's payload parsed and its call read back from payload_blobs
    (0005 moves calls there): the values a replay reads, whichever way they are stored."""
    calls = {row["digest"]: call_of(row["data"]) for row in rows.get("payload_blobs", [])}
    actions = [{**row, "payload": restored(json.loads(row["payload"]), calls) if row["payload"] else None}
               for row in rows["actions"]]
    return {**rows, "actions": actions}


def sqlite_master(path: Path) -> list[tuple[str, str, str | None]]:
    """Every table, index and its SQL in a SQLite file."""
    with sqlite3.connect(path) as db:
        return sorted(db.execute("SELECT type, name, sql FROM sqlite_master"))


def typed_rows(url: str, old_columns_only: bool = False) -> dict[str, list[dict[str, Any]]]:
    """Every row of the gradebook's tables as Python values (comparable across backends);
    `old_columns_only`: without the columns revision 0003 added and the tables of 0004, and each
    call back in its action rather than in payload_blobs (0005), to compare with 0.1.0."""
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            present = {t: {c["name"] for c in sa.inspect(conn).get_columns(t)}
                       for t in sa.inspect(conn).get_table_names()}
            rows = {}
            for table in metadata.sorted_tables:
                if table.name not in present or (old_columns_only and table.name in TABLES_ADDED_IN_0004):
                    continue
                skip = ADDED_IN_0003.get(table.name, set()) if old_columns_only else set()
                columns = [c for c in table.columns if c.name in present[table.name] and c.name not in skip]
                query = sa.select(*columns).order_by(*table.primary_key.columns)
                rows[table.name] = [dict(row) for row in conn.execute(query).mappings()]
            if old_columns_only:  # and the calls back in the actions, as 0.1.0 kept them
                calls = {row["digest"]: call_of(row["data"]) for row in rows.pop("payload_blobs", [])}
                rows["actions"] = [{**row, "payload": restored(row["payload"], calls)} for row in rows["actions"]]
            return rows
    finally:
        engine.dispose()


def revision_of(url: str) -> str | None:
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def schema_of(url: str) -> dict[str, Any]:
    """Columns (type, nullable), keys and constraints of each gradebook table, by name."""
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        inspector = sa.inspect(engine)
        return {
            table: {
                "columns": {c["name"]: (str(c["type"]), c["nullable"])
                            for c in inspector.get_columns(table)},
                "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
                "foreign_keys": sorted((tuple(fk["constrained_columns"]), fk["referred_table"])
                                       for fk in inspector.get_foreign_keys(table)),
                "unique": sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)),
                "checks": sorted(c["name"] for c in inspector.get_check_constraints(table)),
            }
            for table in sorted(set(inspector.get_table_names()) - {"alembic_version"})
        }
    finally:
        engine.dispose()


def without_0003(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema as it was before revision 0003 added its columns (and later revisions their tables)."""
    return {table: {**info, "columns": {c: v for c, v in info["columns"].items()
                                        if c not in ADDED_IN_0003.get(table, set())}}
            for table, info in schema.items() if table not in TABLES_ADDED_LATER}


def models_differ_from(url: str) -> list[Any]:
    """What Alembic's autogenerate would change to make the database match models.py."""
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


# --- new gradebooks --------------------------------------------------------------------------


def test_a_new_gradebook_is_created_at_head_with_the_tables_of_models(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    Gradebook(path).close()
    assert revision_of(sqlite_url(path)) == migrate.head()
    assert models_differ_from(sqlite_url(path)) == []


def test_the_migrations_create_what_release_0_1_0_created(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.sqlite"
    Gradebook(fresh).close()
    # Column order aside (0002 appends label and version), the same tables, types and keys,
    # and the nullable columns 0003 adds.
    fresh_schema = schema_of(sqlite_url(fresh))
    assert without_0003(fresh_schema) == schema_of(sqlite_url(RELEASE_0_1_0))
    for table, columns in ADDED_IN_0003.items():
        assert all(fresh_schema[table]["columns"][c][1] for c in columns)  # nullable


# --- gradebooks written by earlier releases (SQLite: upgraded on open) ------------------------


def test_a_0_1_0_file_is_adopted_on_open_and_keeps_every_row(tmp_path: Path) -> None:
    path = copy_fixture(RELEASE_0_1_0, tmp_path)
    before = calls_in_place(raw_rows(path))
    assert revision_of(sqlite_url(path)) is None  # written before Alembic

    with Gradebook(path) as book:
        assert revision_of(sqlite_url(path)) == migrate.head()
        after = calls_in_place(raw_rows(path))
        for table, rows in before.items():  # every old value kept
            assert [{k: row[k] for k in rows[0]} for row in after[table]] == rows, table
        # The first try and the best are filled from the scores the old code logged.
        assert all(row["first_score"] is not None and row["best_score"] >= row["score"]
                   for row in after["stage_scores"])
        played = book.attempt(PLAYED_ATTEMPT)
        assert played["label"] == "02" and played["finished_at"] is not None
        assert set(played["stages"]) >= {"collection", "review", "payout"}
        assert book.report_data(PLAYED_ATTEMPT, full=True)["misses"]
        assert book.trainee_for_token("tok-W001")["name"] == "张三"
        # Writing goes on where the old code stopped.
        assert book.log_action(WRITTEN_ATTEMPT, "review", "reject", {"entry_id": "E0002"}) == 3
    assert models_differ_from(sqlite_url(path)) == []


def test_a_file_from_before_label_and_version_gains_them_and_keeps_every_row(tmp_path: Path) -> None:
    path = copy_fixture(BEFORE_LABEL, tmp_path)
    before = calls_in_place(raw_rows(path))

    with Gradebook(path) as book:
        after = calls_in_place(raw_rows(path))
        assert after.keys() - TABLES_ADDED_LATER == before.keys()  # new tables start empty
        for table, rows in before.items():  # every old value kept; new columns empty
            assert [{k: row[k] for k in rows[0]} for row in after[table]] == rows, table
        assert {row["label"] for row in after["attempts"]} == {None}
        attempt_id = book.create_attempt("张三", "tutorial", seed=1, label="02")
        assert book.attempts().set_index("attempt_id").at[attempt_id, "label"] == "02"
        assert book.attempt("00000000-0000-4000-8000-0000000000a0")["stages"]["review"]["score"] == 50.0
    assert revision_of(sqlite_url(path)) == migrate.head()
    assert models_differ_from(sqlite_url(path)) == []


def test_an_older_revision_is_upgraded_on_open_and_downgrades_cleanly(tmp_path: Path) -> None:
    path = copy_fixture(RELEASE_0_1_0, tmp_path)
    Gradebook(path).close()
    database = Database(path)
    with database.write() as conn:  # back to the first revision: label and version dropped
        config = migrate.alembic_config(conn)
        command.downgrade(config, migrate.FIRST_REVISION)
    database.dispose()
    assert revision_of(sqlite_url(path)) == migrate.FIRST_REVISION
    assert "label" not in schema_of(sqlite_url(path))["attempts"]["columns"]

    with Gradebook(path) as book:
        assert book.attempt(PLAYED_ATTEMPT)["label"] is None  # dropped by the downgrade
    assert revision_of(sqlite_url(path)) == migrate.head()


def test_an_upgrade_that_fails_halfway_changes_nothing(tmp_path: Path, monkeypatch) -> None:
    path = copy_fixture(BEFORE_LABEL, tmp_path)
    before, schema_before = raw_rows(path), sqlite_master(path)
    real_upgrade = command.upgrade

    def upgrade_then_fail(config, revision):
        real_upgrade(config, revision)  # the columns are added and the revision stamped …
        raise RuntimeError("power cut")  # … and then the process dies

    monkeypatch.setattr(migrate.command, "upgrade", upgrade_then_fail)
    with pytest.raises(RuntimeError, match="power cut"):
        Gradebook(path)
    assert sqlite_master(path) == schema_before  # no alembic_version, no new column
    assert raw_rows(path) == before


def test_a_gradebook_newer_than_the_code_is_refused_plainly(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    Gradebook(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    with pytest.raises(GradebookError, match="newer version of the sandbox") as caught:
        Gradebook(path)
    assert "0099_from_the_future" in str(caught.value)
    assert revision_of(sqlite_url(path)) == "0099_from_the_future"  # left alone


def test_a_database_with_only_some_gradebook_tables_is_not_guessed_at(tmp_path: Path) -> None:
    path = tmp_path / "odd.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE attempts (attempt_id TEXT PRIMARY KEY)")
    with pytest.raises(GradebookError, match="cannot be upgraded"):
        Gradebook(path)


# --- the command line ------------------------------------------------------------------------


def test_sandbox_gradebook_current_and_upgrade(tmp_path: Path, capsys) -> None:
    path = copy_fixture(BEFORE_LABEL, tmp_path)
    assert main(["gradebook", "current", str(path)]) == 0
    assert "written before migrations" in capsys.readouterr().out
    assert main(["gradebook", "upgrade", str(path)]) == 0
    assert f"upgraded from revision {migrate.FIRST_REVISION}" in capsys.readouterr().out
    assert main(["gradebook", "current", str(path)]) == 0
    assert f"revision {migrate.head()} — up to date" in capsys.readouterr().out
    assert main(["gradebook", "upgrade", str(path)]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert main(["gradebook", "upgrade", str(tmp_path / "typo.sqlite")]) == 2
    assert "no gradebook file" in capsys.readouterr().err
    assert not (tmp_path / "typo.sqlite").exists()


# --- PostgreSQL: a shared database is upgraded on purpose ------------------------------------


@pytest.fixture
def empty_postgres() -> Iterator[str]:
    """The test database, emptied: it outlives test runs."""
    assert POSTGRES_URL
    drop_everything(POSTGRES_URL)
    yield POSTGRES_URL
    drop_everything(POSTGRES_URL)


def drop_everything(url: str) -> None:
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        tables = sa.MetaData()
        tables.reflect(engine)
        tables.drop_all(engine)
    finally:
        engine.dispose()


def load_sql_dump(url: str, dump: Path) -> None:
    sql = dump.read_text(encoding="utf-8")
    schema = search_path_of(url)
    if schema:  # a schema of its own (pytest-xdist workers): the dump names `public` outright
        sql = re.sub(r"\b(TABLE ONLY|INSERT INTO|CREATE TABLE|REFERENCES) public\.",
                     lambda m: f'{m.group(1)} "{schema}".', sql)
    engine = sa.create_engine(url, poolclass=NullPool)  # the dump changes search_path: no reuse
    try:
        raw = engine.raw_connection()
        try:
            raw.cursor().execute(sql)
            raw.commit()
        finally:
            raw.close()
    finally:
        engine.dispose()


def search_path_of(url: str) -> str | None:
    """The schema a URL's `options=-csearch_path=…` puts first, if it sets one."""
    options = sa.make_url(url).query.get("options", "")
    found = re.search(r"-csearch_path=([\w]+)", options if isinstance(options, str) else " ".join(options))
    return found.group(1) if found else None


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="SANDBOX_TEST_POSTGRES_URL is not set")
def test_postgres_new_gradebook_is_created_at_head(empty_postgres: str) -> None:
    Gradebook(empty_postgres).close()
    assert revision_of(empty_postgres) == migrate.head()
    assert models_differ_from(empty_postgres) == []


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="SANDBOX_TEST_POSTGRES_URL is not set")
def test_postgres_0_1_0_database_is_upgraded_on_purpose_and_keeps_every_row(
    empty_postgres: str, tmp_path: Path, capsys
) -> None:
    load_sql_dump(empty_postgres, RELEASE_0_1_0_POSTGRES)
    expected = typed_rows(sqlite_url(copy_fixture(RELEASE_0_1_0, tmp_path)))
    assert typed_rows(empty_postgres) == expected  # the dump holds the SQLite fixture's rows
    schema_0_1_0 = schema_of(empty_postgres)

    with pytest.raises(GradebookError, match="sandbox gradebook upgrade") as caught:
        Gradebook(empty_postgres)  # a shared database is not changed behind anyone's back
    assert "sandbox:***@" in str(caught.value)
    assert revision_of(empty_postgres) is None

    assert main(["gradebook", "upgrade", empty_postgres]) == 0
    assert "written before migrations" in capsys.readouterr().out
    assert revision_of(empty_postgres) == migrate.head()
    assert typed_rows(empty_postgres, old_columns_only=True) == expected
    assert without_0003(schema_of(empty_postgres)) == schema_0_1_0
    assert models_differ_from(empty_postgres) == []
    with Gradebook(empty_postgres) as book:
        assert book.attempt(PLAYED_ATTEMPT)["label"] == "02"
        assert book.log_action(WRITTEN_ATTEMPT, "review", "reject", {"entry_id": "E0002"}) == 3


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="SANDBOX_TEST_POSTGRES_URL is not set")
def test_postgres_first_revision_is_upgraded_by_the_command(empty_postgres: str, capsys) -> None:
    Gradebook(empty_postgres).close()
    database = Database(empty_postgres)
    with database.write() as conn:
        command.downgrade(migrate.alembic_config(conn), migrate.FIRST_REVISION)
    database.dispose()
    with pytest.raises(GradebookError, match=f"revision {migrate.FIRST_REVISION}"):
        Gradebook(empty_postgres)
    assert main(["gradebook", "upgrade", empty_postgres]) == 0
    assert f"from revision {migrate.FIRST_REVISION}" in capsys.readouterr().out
    assert revision_of(empty_postgres) == migrate.head()
    assert models_differ_from(empty_postgres) == []
