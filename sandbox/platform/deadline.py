"""The payment deadline (发放时限): the working day by which money must reach the card.

Every stage that takes simulated days (home visits, 公示, the banks' days, re-issues) takes
them out of the same window; a family paid after the deadline has waited, and that is a harm."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sandbox.common.calendar import BusinessCalendar

if TYPE_CHECKING:
    from sandbox.scenario.schema import Calendar


def payment_deadline(calendar: Calendar, business: BusinessCalendar | None = None) -> dt.date:
    """The `payment_deadline_workdays`-th working day after the period's last day (counted on
    `business`, the attempt's one calendar, when given)."""
    business = business or BusinessCalendar.of(calendar)
    first = business.roll_forward(calendar.period_end + dt.timedelta(days=1))
    return business.offset(first, calendar.payment_deadline_workdays - 1)


def days_late(credited: dt.datetime | dt.date, deadline: dt.date) -> int:
    """Whole calendar days after the deadline (0 when on time)."""
    day = credited.date() if isinstance(credited, dt.datetime) else credited
    return max(0, (day - deadline).days)
