"""The banks' business-day calendar and the simulated clock.

Simulated time is measured in hours from the submission moment (t = 0). Business days are
weekdays that are not in ``scenario.calendar.holidays``; business day 0 is the first one on
or after the submission date. Everything here is computed from the scenario and the
submission moment, never from today's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd

from sandbox.errors import ScenarioError, ScenarioProblem
from sandbox.scenario import Scenario

HOUR = np.timedelta64(1, "h")


class BusinessCalendar:
    """Converts between datetimes, business days and simulated hours."""

    def __init__(self, submitted_at: dt.datetime, holidays: Iterable[dt.date] = ()) -> None:
        self.submitted_at = pd.Timestamp(submitted_at)
        self.holidays = np.array(sorted(set(holidays)), dtype="datetime64[D]")
        self._start_day = np.datetime64(self.submitted_at.date(), "D")

    @classmethod
    def for_scenario(cls, scenario: Scenario, submitted_at: dt.datetime) -> BusinessCalendar:
        return cls(submitted_at, scenario.calendar.holidays)

    def is_business_day(self, day: dt.date) -> bool:
        return bool(np.is_busday(np.datetime64(day, "D"), holidays=self.holidays))

    def business_day(self, index: int) -> dt.date:
        """The index-th business day on or after the submission date (0 = the first)."""
        day = np.busday_offset(self._start_day, index, roll="forward", holidays=self.holidays)
        return pd.Timestamp(day).date()

    def add_business_days(self, moments: pd.Series, days: int) -> pd.Series:
        """Each moment moved ``days`` business days on, keeping its time of day.

        A moment on a closed day first rolls forward to the next business day.
        """
        valid = moments.notna()
        out = pd.Series(pd.NaT, index=moments.index, dtype="datetime64[ns]")
        if not valid.any():
            return out
        stamps = moments[valid]
        dates = stamps.dt.normalize()
        shifted = np.busday_offset(
            dates.to_numpy().astype("datetime64[D]"), days, roll="forward", holidays=self.holidays
        )
        out[valid] = pd.to_datetime(shifted.astype("datetime64[ns]")) + (stamps - dates).to_numpy()
        return out

    def hours_at(self, day: dt.date, hour: float) -> float:
        """Simulated hours from submission to ``hour`` o'clock on ``day``."""
        moment = pd.Timestamp(day) + pd.Timedelta(hours=hour)
        return (moment - self.submitted_at) / pd.Timedelta(hours=1)

    def to_datetime(self, hours: np.ndarray | pd.Series) -> pd.Series:
        """Simulated hours (NaN = never) as datetimes."""
        values = np.asarray(hours, dtype="float64")
        # whole microseconds keep the conversion exact and stable across platforms
        micros = np.round(values * 3_600_000_000)
        deltas = pd.to_timedelta(micros, unit="us")
        return pd.Series(self.submitted_at + deltas).astype("datetime64[ns]")

    def is_late(self, cutoff_hour: float) -> bool:
        """Did a batch arriving at submission miss the cut-off of its day?

        A batch is in time only on a business day before the cut-off; one that arrives
        after it, or on a weekend or holiday, has missed the cut-off of its day.
        """
        day = self.submitted_at.date()
        return not self.is_business_day(day) or self.hours_at(day, cutoff_hour) <= 0


def check_bank_hours(scenario: Scenario) -> None:
    """The banks must be open for some part of each business day."""
    bank = scenario.bank
    if bank.cutoff_hour <= bank.opening_hour:
        raise ScenarioError([
            ScenarioProblem(
                f"scenario {scenario.name!r}", None, "bank.cutoff_hour",
                f"{bank.cutoff_hour} (opening_hour is {bank.opening_hour})",
                "a cut-off later than the opening hour, so the banks can process something each day",
            )
        ])


def processing_windows(calendar: BusinessCalendar, scenario: Scenario) -> Iterator[tuple[float, float]]:
    """Endless (start, end) simulated-hour windows, from the submission on, when a bank
    processes lines.

    A bank processes from ``opening_hour`` to ``cutoff_hour`` on business days, except
    during outages (which may reach past midnight). A batch arriving after the cut-off
    therefore waits for the next business day.
    """
    bank = scenario.bank
    outages = sorted(
        (calendar.hours_at(calendar.business_day(o.day), o.start_hour), o.hours) for o in bank.outages
    )
    outage_spans = [(start, start + hours) for start, hours in outages]
    day = 0
    while True:
        date = calendar.business_day(day)
        start = max(calendar.hours_at(date, bank.opening_hour), 0.0)
        end = calendar.hours_at(date, bank.cutoff_hour)
        yield from _subtract(start, end, outage_spans)
        day += 1


def _subtract(start: float, end: float, spans: list[tuple[float, float]]) -> Iterator[tuple[float, float]]:
    """The parts of [start, end) not covered by any span (spans sorted by start)."""
    cursor = start
    for span_start, span_end in spans:
        if span_end <= cursor or span_start >= end:
            continue
        if span_start > cursor:
            yield cursor, span_start
        cursor = max(cursor, span_end)
    if cursor < end:
        yield cursor, end
