"""A pytest plugin, enabled in pyproject.toml: every test run — tests and notebooks alike, the
kernels inherit it — gets a private, empty SANDBOX_HOME, so nothing resumes work from an
earlier run and nothing touches the developer's own gradebook.

Under pytest-xdist each worker is a run of its own: its own SANDBOX_HOME, and its own schema in
the PostgreSQL test database, since the PostgreSQL tests empty that database before they start
and would otherwise drop each other's tables."""

from __future__ import annotations

import os
import tempfile

POSTGRES_URL_VARIABLE = "SANDBOX_TEST_POSTGRES_URL"


def pytest_configure(config) -> None:  # noqa: ARG001 - pytest's hook signature
    os.environ["SANDBOX_HOME"] = tempfile.mkdtemp(prefix="sandbox-home-")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if worker and url:
        os.environ[POSTGRES_URL_VARIABLE] = _schema_of_its_own(url, f"worker_{worker}")


def _schema_of_its_own(url: str, schema: str) -> str:
    """The same database with `schema` (made empty) first on the search path."""
    import sqlalchemy as sa  # only PostgreSQL runs under xdist need it

    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    finally:
        engine.dispose()
    own = sa.make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return own.render_as_string(hide_password=False)
