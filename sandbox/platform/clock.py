"""The platform's simulated clock: it starts at the scenario's as-of date and only moves
when a simulated process (home visits, posting, bank days) says so.

An attempt has one clock, and the clock reads the attempt's one business calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sandbox.common.calendar import BusinessCalendar

WORKDAY_START_HOUR = 9


@dataclass
class SimClock:
    now: dt.datetime
    calendar: BusinessCalendar

    @classmethod
    def starting(cls, as_of: dt.date, calendar: BusinessCalendar) -> SimClock:
        return cls(dt.datetime.combine(as_of, dt.time(WORKDAY_START_HOUR)), calendar)

    def at_hours(self, hours: float) -> dt.datetime:
        """The datetime `hours` after now (SimPy runs count hours from now)."""
        moment = self.now + dt.timedelta(hours=hours)
        return moment.replace(second=0, microsecond=0)  # a simulated clock reads to the minute

    def advance_to(self, moment: dt.datetime) -> None:
        if moment > self.now:
            self.now = moment.replace(second=0, microsecond=0)

    def advance_days(self, days: float) -> None:
        self.now += dt.timedelta(days=days)

    def is_business_day(self, day: dt.date) -> bool:
        return self.calendar.is_business_day(day)
