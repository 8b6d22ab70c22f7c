"""Errors a user can act on: each names where the problem is and what was expected."""

from __future__ import annotations

from dataclasses import dataclass


class SandboxError(Exception):
    """Base class for errors caused by user input (shown without a traceback)."""


@dataclass(frozen=True)
class ScenarioProblem:
    file: str
    line: int | None
    field: str
    found: str
    expected: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} found {self.found}; expected {self.expected}"


class ScenarioError(SandboxError):
    def __init__(self, problems: list[ScenarioProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class RowProblem:
    row: int | None  # 1-based data row as a spreadsheet user counts it (header = row 1)
    column: str
    problem: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        col = f", column {self.column!r}" if self.column else ""
        return f"{where}{col}: {self.problem}"


class SubmissionError(SandboxError):
    """A submission rejected whole; nothing of it was recorded."""

    def __init__(self, source: str, problems: list[RowProblem]) -> None:
        self.source = source
        self.problems = problems
        shown = "\n  ".join(str(p) for p in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(
            f"{source}: submission rejected, nothing was recorded "
            f"({len(problems)} problem{'s' if len(problems) != 1 else ''}):\n  {shown}{more}"
        )
