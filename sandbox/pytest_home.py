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
        from sandbox.gradebook.schemas import (
            create_schema,  # only PostgreSQL runs under xdist need it
        )

        os.environ[POSTGRES_URL_VARIABLE] = create_schema(url, f"worker_{worker}", empty_first=True)
