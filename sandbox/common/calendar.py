"""The business calendar: which days the banks and the offices work.

A business day is a weekday that is not a holiday, or a weekend day worked in exchange
for a holiday (调休: China moves working days onto a Saturday or Sunday around the long
holidays). Both lists come from the scenario's ``calendar`` section, never from today's
date. An attempt builds one calendar; its clock and its banks both read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol

import numpy as np
import pandas as pd

ONE_DAY = dt.timedelta(days=1)
SATURDAY = 5


class CalendarSection(Protocol):
    """The scenario's ``calendar`` section, as far as business days go."""

    @property
    def holidays(self) -> Sequence[dt.date]: ...

    @property
    def workdays(self) -> Sequence[dt.date]: ...


class BusinessCalendar:
    """Weekdays, minus holidays, plus the weekend days worked instead (调休)."""

    def __init__(self, holidays: Iterable[dt.date] = (), workdays: Iterable[dt.date] = ()) -> None:
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)
        both = sorted(self.holidays & self.workdays)
        if both:
            raise ValueError(f"{both[0]} is listed both as a holiday and as a working day")

    @classmethod
    def of(cls, section: CalendarSection) -> BusinessCalendar:
        return cls(section.holidays, section.workdays)

    def __repr__(self) -> str:
        return f"BusinessCalendar(holidays={sorted(self.holidays)}, workdays={sorted(self.workdays)})"

    def is_business_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < SATURDAY and day not in self.holidays

    def roll_forward(self, day: dt.date) -> dt.date:
        """The day itself if it is a business day, else the next business day."""
        while not self.is_business_day(day):
            day += ONE_DAY
        return day

    def offset(self, day: dt.date, days: int) -> dt.date:
        """Roll ``day`` forward to a business day, then move ``days`` business days on."""
        if days < 0:
            raise ValueError("business days are only counted forward")
        day = self.roll_forward(day)
        for _ in range(days):
            day = self.roll_forward(day + ONE_DAY)
        return day

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
        day_values = dates.to_numpy().astype("datetime64[D]")
        # a payout's moments fall on a handful of days: move each distinct day once
        distinct = np.unique(day_values)
        moved = np.array([self.offset(day.astype(dt.date), days) for day in distinct], dtype="datetime64[D]")
        shifted = moved[np.searchsorted(distinct, day_values)]
        out[valid] = pd.to_datetime(shifted.astype("datetime64[ns]")) + (stamps - dates).to_numpy()
        return out
