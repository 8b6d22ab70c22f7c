"""A pytest plugin, enabled in pyproject.toml: every test run — tests and notebooks alike, the
kernels inherit it — gets a private, empty SANDBOX_HOME, so nothing resumes work from an
earlier run and nothing touches the developer's own gradebook."""

from __future__ import annotations

import os
import tempfile


def pytest_configure(config) -> None:  # noqa: ARG001 - pytest's hook signature
    os.environ["SANDBOX_HOME"] = tempfile.mkdtemp(prefix="sandbox-home-")
