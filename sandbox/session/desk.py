"""Base of the trainee's desks: each desk forwards named actions to the session's backend.
Tables a trainee hands in are read here, on the trainee's side, and cross as plain data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sandbox.common.submissions import read_table

if TYPE_CHECKING:
    from sandbox.session.session import Session

# What a desk accepts as a table: a DataFrame, or a CSV/XLSX file.
Source = pd.DataFrame | str | Path


def as_frame(source: Source) -> tuple[pd.DataFrame, str]:
    """A DataFrame, or a CSV/XLSX file (GBK or UTF-8 with BOM) read on the trainee's side."""
    if isinstance(source, pd.DataFrame):
        return source, "DataFrame"
    return read_table(source)


class Desk:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _call(self, action_name: str, **payload: Any) -> Any:
        return self._session._backend.call(action_name, payload)
