"""Bank branch counters where holders activate, unlock or replace cards (网点柜台).

A holder asked to go to the branch needs ``bank.branch_travel_days`` calendar days to get
there; each bank's counter then serves at most ``bank.branch_capacity_per_day`` visits a
business day, first come first served, between ``opening_hour`` and ``cutoff_hour``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sandbox.bank.hours import BankTime, check_bank_hours
from sandbox.common.calendar import BusinessCalendar
from sandbox.errors import RowProblem, SubmissionError

if TYPE_CHECKING:
    import simpy

    from sandbox.scenario import Scenario


class BranchDesk:
    """One bank's counter: a SimPy resource whose slots are visits in one business day."""

    def __init__(self, env: simpy.Environment, bank_time: BankTime, scenario: Scenario) -> None:
        import simpy  # here: SimPy finds its version with importlib.metadata (~10 ms), which a start needs not

        self.env = env
        self.bank_time = bank_time
        self.opening = scenario.bank.opening_hour
        self.closing = scenario.bank.cutoff_hour
        # a visit keeps its slot until the counter closes, so a day serves at most capacity
        self.slots = simpy.Resource(env, capacity=scenario.bank.branch_capacity_per_day)

    def next_open(self, hours: float) -> float:
        """The first moment at or after ``hours`` when the counter is open."""
        moment = self.bank_time.submitted_at + pd.Timedelta(hours=hours)
        day = moment.date()
        if self.bank_time.is_business_day(day):
            if hours < self.bank_time.hours_at(day, self.opening):
                return self.bank_time.hours_at(day, self.opening)
            if hours < self.bank_time.hours_at(day, self.closing):
                return hours
        return self.bank_time.hours_at(self.bank_time.next_business_day(day), self.opening)

    def visit(self, arrive_at: float, served: np.ndarray, index: int) -> simpy.events.ProcessGenerator:
        """A holder arrives, waits for a slot and for opening time, and is served."""
        yield self.env.timeout(arrive_at)
        with self.slots.request() as slot:
            yield slot
            start = self.next_open(self.env.now)
            yield self.env.timeout(start - self.env.now)
            served[index] = start
            day = (self.bank_time.submitted_at + pd.Timedelta(hours=start)).date()
            yield self.env.timeout(self.bank_time.hours_at(day, self.closing) - self.env.now)


def schedule_activations(requests: pd.DataFrame, scenario: Scenario, start: dt.datetime,
                         calendar: BusinessCalendar | None = None) -> pd.DataFrame:
    """When does each card become active after its holder was asked to visit the branch?

    ``requests`` has ``account_number`` and optionally ``bank`` (one counter per bank) and
    ``requested_at`` (default and minimum: ``start``). ``calendar`` is the attempt's
    business calendar (default: the scenario's). Returns the requests, in their order,
    with ``visit_at`` (arrival at the branch) and ``active_from`` (served).
    """
    check_bank_hours(scenario)
    frame = _validated_requests(requests, start)
    bank_time = BankTime(start, calendar if calendar is not None else BusinessCalendar.of(scenario.calendar))
    travel = pd.Timedelta(days=scenario.bank.branch_travel_days)
    frame["visit_at"] = frame["requested_at"] + travel
    arrive_h = ((frame["visit_at"] - bank_time.submitted_at) / pd.Timedelta(hours=1)).to_numpy(dtype=float)
    served = np.full(len(frame), np.nan)
    import simpy  # here: SimPy finds its version with importlib.metadata (~10 ms), which a start needs not

    env = simpy.Environment()
    banks = frame["bank"].to_numpy()
    desks = {bank: BranchDesk(env, bank_time, scenario) for bank in sorted(set(banks))}
    # processes start in arrival order (ties: request order), so each queue is first come first served
    for index in np.argsort(arrive_h, kind="stable"):
        env.process(desks[banks[index]].visit(float(arrive_h[index]), served, int(index)))
    env.run()
    frame["active_from"] = bank_time.to_datetime(served).to_numpy()
    return frame


def _validated_requests(requests: pd.DataFrame, start: dt.datetime) -> pd.DataFrame:
    if "account_number" not in requests.columns:
        raise SubmissionError("activation requests", [RowProblem(None, "account_number", "column is missing", zh="缺少这一列")])
    frame = requests.reset_index(drop=True).copy()
    if "bank" not in frame:
        frame["bank"] = ""
    frame["bank"] = frame["bank"].fillna("").astype(str)
    begin = pd.Timestamp(start)
    if "requested_at" not in frame:
        frame["requested_at"] = begin
    when = pd.to_datetime(frame["requested_at"], errors="coerce")
    bad = np.flatnonzero(when.isna().to_numpy())
    if len(bad):
        raise SubmissionError(
            "activation requests",
            [RowProblem(int(r) + 2, "requested_at", "not a date and time", zh="不是日期时间") for r in bad[:20]],
        )
    frame["requested_at"] = when.where(when >= begin, begin).astype("datetime64[ns]")
    return frame
