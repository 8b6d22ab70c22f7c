"""Plain-JSON encoding of what crosses between a session and the platform.

Local and class mode pass the same payloads, so a notebook cannot tell them apart, and
nothing but what an operator may see ever crosses.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import numpy as np
import pandas as pd

FRAME = "__frame__"


def _scalar(value: Any) -> Any:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.isoformat(sep=" ") if (value.hour or value.minute or value.second) else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        return None if math.isnan(value) else float(value)
    return value


def _column(values: pd.Series) -> list:
    """One column as JSON-ready values, as `_scalar` gives them cell by cell (a column of one
    NumPy type is converted at once: frames of thousands of rows cross on every call)."""
    numpy = isinstance(values.dtype, np.dtype)
    kind = getattr(values.dtype, "kind", None)
    if numpy and kind in ("b", "i", "u"):
        return values.tolist()
    if numpy and kind == "f":
        return [None if v != v else v for v in values.tolist()]
    if kind == "O":  # object, and pandas' text dtype: Python strings, or a missing value
        return [v if type(v) is str else _scalar(v) for v in values.tolist()]
    if numpy and kind == "M":  # dates at midnight as YYYY-MM-DD at once; the others one by one
        timed = (values.dt.hour != 0) | (values.dt.minute != 0) | (values.dt.second != 0)
        dates = values.dt.strftime("%Y-%m-%d").tolist()
        return [None if v is None or v != v else (_scalar(t) if at else v)
                for v, at, t in zip(dates, timed.tolist(), values, strict=True)] if timed.any() else \
            [None if v is None or v != v else v for v in dates]
    return [_scalar(v) for v in values]


def encode(value: Any) -> Any:
    """Turn frames, dates and NumPy scalars into JSON-ready data."""
    if isinstance(value, pd.DataFrame):
        columns = [_column(value.iloc[:, i]) for i in range(value.shape[1])]
        data = [list(row) for row in zip(*columns, strict=True)] if columns else [[] for _ in range(len(value))]
        return {FRAME: {"columns": [str(c) for c in value.columns], "data": data}}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    return _scalar(value)


def decode(value: Any) -> Any:
    """The inverse of `encode` (dates stay ISO strings)."""
    if isinstance(value, dict):
        if FRAME in value and len(value) == 1:
            frame = value[FRAME]
            return pd.DataFrame(frame["data"], columns=frame["columns"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def round_trip(value: Any) -> Any:
    """What the other side would receive (used by the local backend for parity)."""
    return decode(json.loads(json.dumps(encode(value), ensure_ascii=False)))
