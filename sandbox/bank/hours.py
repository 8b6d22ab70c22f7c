"""The banks' hours during a payout run: simulated time on the attempt's business calendar.

A SimPy run counts time in hours from the moment the batch reached the banks (t = 0).
``BankTime`` converts between those hours, datetimes and the business days of the
calendar (business day 0 is the first one on or after the submission date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sandbox.common.calendar import BusinessCalendar
from sandbox.errors import ScenarioError, ScenarioProblem

if TYPE_CHECKING:
    from sandbox.scenario import Scenario


class BankTime:
    """Simulated hours since submission, read against a business calendar."""

    def __init__(self, submitted_at: dt.datetime, calendar: BusinessCalendar) -> None:
        self.submitted_at = pd.Timestamp(submitted_at)
        self.calendar = calendar

    def is_business_day(self, day: dt.date) -> bool:
        return self.calendar.is_business_day(day)

    def business_day(self, index: int) -> dt.date:
        """The index-th business day on or after the submission date (0 = the first)."""
        return self.calendar.offset(self.submitted_at.date(), index)

    def next_business_day(self, day: dt.date) -> dt.date:
        """The first business day after ``day``."""
        return self.calendar.roll_forward(day + dt.timedelta(days=1))

    def add_business_days(self, moments: pd.Series, days: int) -> pd.Series:
        return self.calendar.add_business_days(moments, days)

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


def processing_windows(bank_time: BankTime, scenario: Scenario) -> Iterator[tuple[float, float]]:
    """Endless (start, end) simulated-hour windows, from the submission on, when a bank
    processes lines.

    A bank processes from ``opening_hour`` to ``cutoff_hour`` on business days, except
    during outages (which may reach past midnight). A batch arriving after the cut-off
    therefore waits for the next business day.
    """
    bank = scenario.bank
    outages = sorted(
        (bank_time.hours_at(bank_time.business_day(o.day), o.start_hour), o.hours) for o in bank.outages
    )
    outage_spans = [(start, start + hours) for start, hours in outages]
    date = bank_time.business_day(0)
    while True:
        start = max(bank_time.hours_at(date, bank.opening_hour), 0.0)
        end = bank_time.hours_at(date, bank.cutoff_hour)
        yield from _subtract(start, end, outage_spans)
        date = bank_time.next_business_day(date)


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
