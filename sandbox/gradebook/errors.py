"""The gradebook's one error type."""

from __future__ import annotations

from sandbox.errors import SandboxError


class GradebookError(SandboxError):
    """Something asked of the gradebook that it cannot do (unknown id, bad mode, a schema
    this version cannot use…)."""
