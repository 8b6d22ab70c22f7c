"""The platform's simulated clock: it starts at the scenario's as-of date and only moves
when a simulated process (home visits, posting, bank days) says so."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

WORKDAY_START_HOUR = 9


@dataclass
class SimClock:
    now: dt.datetime
    holidays: frozenset[dt.date] = field(default_factory=frozenset)

    @classmethod
    def starting(cls, as_of: dt.date, holidays: list[dt.date]) -> SimClock:
        return cls(dt.datetime.combine(as_of, dt.time(WORKDAY_START_HOUR)), frozenset(holidays))

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
        return day.weekday() < 5 and day not in self.holidays
