"""Text written to a file a spreadsheet will open, made safe to open.

Excel and LibreOffice run a cell that starts with = + - @ (or a tab or carriage return
before one) as a formula, even in a CSV: a roster name typed as ``=HYPERLINK(...)`` would
become a live link in the trainer's tokens sheet. Such text gets a leading apostrophe, which
the spreadsheet shows as text (OWASP's "CSV injection" advice). Numbers stay numbers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value`, with a leading ' when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unsafe_cell(value: Any) -> Any:
    """The text `safe_cell` was given (for reading back a file the sandbox wrote)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells (and headers) are safe to open in a spreadsheet."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(safe_cell)
    safe.columns = [safe_cell(c) for c in safe.columns]
    return safe
