"""Small pieces every gradebook module shares: the modes an attempt is kept in and how they
are stored, and how wall-clock and simulated times are written (naive UTC; the scenario
calendar's naive datetimes)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pandas as pd

from sandbox.gradebook.errors import GradebookError

Mode = Literal["practice", "exam", "self-test"]
MODES: tuple[str, ...] = ("practice", "exam", "self-test")
# A self-test is an exam run on the trainee's own machine: stored as "exam" with no class (the
# table's CHECK constraint predates it), and read back as "self-test".
SELF_TEST = "self-test"


# --- helpers ---------------------------------------------------------------------------------


def _utc_naive(moment: dt.datetime | None) -> dt.datetime:
    """`moment` (or now) as naive UTC: both SQLite and PostgreSQL store it the same way."""
    moment = moment or dt.datetime.now(dt.UTC)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _sim_time(value: dt.datetime | dt.date | pd.Timestamp | None) -> dt.datetime | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time())


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise GradebookError(f"mode {mode!r} is not known; expected one of {', '.join(MODES)}")


def _stored_mode(mode: str, class_id: str | None = None) -> str:
    """How a mode is stored: a self-test as an exam without a class."""
    _check_mode(mode)
    if mode == SELF_TEST and class_id is not None:
        raise GradebookError("a self-test is the trainee's own and belongs to no class; "
                             "a class runs exams (mode exam)")
    return "exam" if mode == SELF_TEST else mode


def _shown_mode(mode: str, class_id: str | None) -> str:
    return SELF_TEST if mode == "exam" and class_id is None else mode
