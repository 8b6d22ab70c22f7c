"""Base of the trainee's desks: each desk forwards named actions to the session's backend.
Tables a trainee hands in are read here, on the trainee's side, and cross as plain data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sandbox.errors import SandboxError

if TYPE_CHECKING:
    from sandbox.session.session import Session

# What a desk accepts as a table: a DataFrame, or a CSV/XLSX file.
Source = pd.DataFrame | str | Path


def as_frame(source: Source) -> tuple[pd.DataFrame, str]:
    """A DataFrame, or a CSV/XLSX file (GBK or UTF-8 with BOM) read on the trainee's side.
    A list of rows (dicts) is a table too; anything else is a plain error, not a TypeError."""
    if isinstance(source, pd.DataFrame):
        return source, "DataFrame"
    if isinstance(source, list | tuple) and source and all(isinstance(row, dict) for row in source):
        return pd.DataFrame(list(source)), "DataFrame"
    if not isinstance(source, str | Path):
        kind = type(source).__name__
        raise SandboxError(f"这里需要一张表（pandas DataFrame）或 CSV/XLSX 文件的路径，收到的是 {kind}："
                           "请先把它做成表，例如 pd.DataFrame(rows)",
                           f"this needs a table (a pandas DataFrame) or the path of a CSV/XLSX file, not a {kind}; "
                           "make it a table first, e.g. pd.DataFrame(rows)")
    from sandbox.common.submissions import read_file  # here: a file's readers, when a file is given

    return read_file(source)


class Desk:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _call(self, action_name: str, **payload: Any) -> Any:
        return self._session._backend.call(action_name, payload)
