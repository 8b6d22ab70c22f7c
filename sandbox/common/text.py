"""Cells as text: the one place that says how a typed cell becomes a string.

Three readings of a cell exist on purpose, and all live here:

- ``clean_text`` tidies what villages typed for *cleaning*: NFKC (full-width → half-width),
  Excel's ``12.0`` back to ``12``, spaces collapsed and dropped next to Chinese characters.
- ``plain_text`` reads a cell for *publication checks*: NFKC and trimmed, nothing else,
  so a leak is reported exactly as it would be published.
- ``trimmed`` is how a *bank* reads a payment line: ends trimmed, nothing normalised (a
  name typed with a full-width letter does not match the account holder).

Likewise two separator sets: ``NUMBER_SEPARATORS`` (everything people type inside a long
number, slashes and long dashes included) for cleaning, and the narrower
``MASK_SEPARATORS`` for masking, which keeps other marks as typed. Merging either pair
would change what trainees see, so both are kept and named.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from sandbox.errors import SandboxError


class CleaningError(SandboxError, ValueError):
    """A value that cannot be read as what its column needs (the message says what)."""


CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
SPACE_NEAR_CJK = re.compile(rf"(?<=[{CJK}])\s+|\s+(?=[{CJK}])")
RUNS_OF_SPACE = re.compile(r"\s+")
# Separators people type inside long numbers: spaces, dashes of every width, dots, slashes.
NUMBER_SEPARATORS = re.compile(r"[\s\-_.·—–‐−/]+")
# What masking removes from an ID or card number before starring it.
MASK_SEPARATORS = re.compile(r"[\s\-_.·]+")


def is_missing(value: Any) -> bool:
    """None, NaN, NaT or pd.NA: a cell with nothing in it (lists and other non-scalars are not)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, str):
        return False
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(pd.isna(value))  # NumPy scalars: float32 NaN, datetime64 NaT …
    except (TypeError, ValueError):  # an array of several values has no single truth
        return False


def is_blank(value: Any) -> bool:
    """Missing, or text that is only spaces."""
    return is_missing(value) or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    """A cell as text; a float that is a whole number loses its '.0' (Excel's habit)."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def clean_text(value: Any, *, code: bool = False) -> str:
    """NFKC-normalise (full-width → half-width), strip and tidy spaces.

    For text (names, villages) runs of spaces collapse to one and spaces next to Chinese
    characters go ("张 三" → "张三"). With ``code=True`` every internal space goes, as a
    code never contains one. Chinese characters are kept as they are.
    """
    text = nfkc(as_text(value)).strip()
    if code:
        return RUNS_OF_SPACE.sub("", text)
    return RUNS_OF_SPACE.sub(" ", SPACE_NEAR_CJK.sub("", text))


def without_separators(text: str) -> str:
    """A number typed with spaces, dashes, dots or slashes, as one run of characters."""
    return NUMBER_SEPARATORS.sub("", text)


def nfkc(text: str) -> str:
    """Full-width digits, letters and brackets as their ASCII forms; nothing else changes."""
    return unicodedata.normalize("NFKC", text)


def plain_text(value: Any) -> str:
    """A cell as published: missing → "", full-width digits and letters → ASCII, trimmed."""
    if is_missing(value):
        return ""
    return nfkc(str(value)).strip()


def compact(value: Any) -> str:
    """``plain_text`` without the separators masking ignores ("6212 3456" → "62123456")."""
    return MASK_SEPARATORS.sub("", plain_text(value))


# --- whole columns at once ----------------------------------------------------------------


def text_series(series: pd.Series) -> pd.Series:
    """Cells as text (``as_text``), blanks as ""; per-cell conversion only for mixed columns."""
    if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
        return series.fillna("").astype(str)
    return series.map(as_text).astype(str)


def clean_text_series(series: pd.Series, *, code: bool = False) -> pd.Series:
    """``clean_text`` over a column with pandas str methods (no Python loop per row)."""
    text = text_series(series).str.normalize("NFKC").str.strip()
    if code:
        return text.str.replace(r"\s+", "", regex=True)
    text = text.str.replace(SPACE_NEAR_CJK.pattern, "", regex=True)
    return text.str.replace(r"\s+", " ", regex=True)


def trimmed(values: np.ndarray) -> np.ndarray:
    """Text as a bank reads it: ends trimmed, "" for missing values, nothing normalised (a
    plain loop over Python strings is several times faster than pandas' object .str here)."""
    if pd.api.types.infer_dtype(values, skipna=False) == "string":  # all str: no test per cell
        return np.fromiter(map(str.strip, values), dtype=object, count=len(values))
    return np.array(
        [v.strip() if isinstance(v, str) else ("" if v is None or v != v else str(v).strip()) for v in values],
        dtype=object,
    )
