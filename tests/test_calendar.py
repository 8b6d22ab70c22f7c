"""One business calendar per attempt: holidays and 调休 working days from the scenario, read
by the banks and by the clock alike."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sandbox.common.calendar as calendar_module
from sandbox.bank import AccountBook, schedule_activations, simulate_payout
from sandbox.common.calendar import BusinessCalendar
from sandbox.common.checkdigits import luhn_complete
from sandbox.errors import ScenarioError
from sandbox.platform.attempt import Attempt
from sandbox.scenario import Scenario, load_scenario, scenario_from_dict

THU = dt.date(2022, 6, 2)
FRI_HOLIDAY = dt.date(2022, 6, 3)  # 端午节 in the tutorial scenario
SAT, SUN, MON = dt.date(2022, 6, 4), dt.date(2022, 6, 5), dt.date(2022, 6, 6)
AFTER_CUTOFF_THU = dt.datetime.combine(THU, dt.time(17))


@pytest.fixture(scope="module")
def tutorial() -> Scenario:
    return load_scenario("tutorial")


def with_workdays(scenario: Scenario, *days: dt.date) -> Scenario:
    section = scenario.calendar.model_copy(update={"workdays": list(days)})
    return scenario.model_copy(update={"calendar": section})


# --- the calendar itself ----------------------------------------------------------------------


def test_a_saturday_worked_instead_of_a_holiday_is_a_business_day() -> None:
    calendar = BusinessCalendar(holidays=[FRI_HOLIDAY], workdays=[SAT])
    assert [calendar.is_business_day(d) for d in (THU, FRI_HOLIDAY, SAT, SUN, MON)] == [
        True, False, True, False, True]
    assert calendar.roll_forward(FRI_HOLIDAY) == SAT
    assert calendar.offset(THU, 2) == MON
    assert BusinessCalendar(holidays=[FRI_HOLIDAY]).offset(THU, 1) == MON


def test_a_day_cannot_be_both_holiday_and_working_day() -> None:
    with pytest.raises(ValueError, match="2022-06-04"):
        BusinessCalendar(holidays=[SAT], workdays=[SAT])


days = st.dates(dt.date(2021, 1, 1), dt.date(2023, 12, 31))


@given(st.lists(days, max_size=30), days, st.integers(0, 40))
def test_without_working_weekends_it_counts_like_numpy(holidays: list[dt.date], day: dt.date, n: int) -> None:
    """The banks counted business days with np.busday_offset before 调休 existed."""
    expected = np.busday_offset(np.datetime64(day, "D"), n, roll="forward", holidays=holidays)
    assert BusinessCalendar(holidays).offset(day, n) == pd.Timestamp(expected).date()


@given(st.lists(st.datetimes(dt.datetime(2022, 1, 1), dt.datetime(2022, 12, 31)), max_size=20),
       st.integers(0, 5))
def test_moving_moments_by_business_days_keeps_the_time_of_day(moments: list[dt.datetime], n: int) -> None:
    calendar = BusinessCalendar([FRI_HOLIDAY], [SAT])
    series = pd.Series(pd.to_datetime(moments + [None]), dtype="datetime64[ns]")
    moved = calendar.add_business_days(series, n)
    for before, after in zip(series[:-1], moved[:-1], strict=True):
        assert after.date() == calendar.offset(before.date(), n)
        assert after.time() == before.time()
    assert pd.isna(moved.iloc[-1])


# --- the scenario says which days -------------------------------------------------------------


def test_scenarios_without_workdays_are_unchanged(tutorial: Scenario) -> None:
    assert tutorial.calendar.workdays == []


def test_a_workday_must_be_a_weekend_day_and_not_a_holiday(tutorial: Scenario) -> None:
    data = tutorial.model_dump(mode="json")
    data["calendar"]["workdays"] = ["2022-06-02"]
    with pytest.raises(ScenarioError, match=r"calendar\.workdays\[1\].*Saturday or Sunday"):
        scenario_from_dict(data)
    data["calendar"]["workdays"] = ["2022-06-04"]
    data["calendar"]["holidays"] = ["2022-06-04"]
    with pytest.raises(ScenarioError, match="either a holiday or a working day"):
        scenario_from_dict(data)


# --- the banks and the clock read it ------------------------------------------------------------


def _one_line(scenario: Scenario) -> tuple[pd.DataFrame, AccountBook]:
    card = luhn_complete(["621700000000000001"])[0]
    lines = pd.DataFrame({"line_id": ["L1"], "program": ["dibao"], "payee_id_number": [""],
                          "payee_name": ["王一"], "account_number": [card],
                          "bank": [scenario.cards.banks[0]], "amount": [100.0]})
    return lines, AccountBook.from_records([{"account_number": card, "holder_name": "王一"}])


@pytest.mark.parametrize(("workdays", "paid_on"), [((), MON), ((SAT,), SAT)])
def test_banks_process_on_a_working_saturday(tutorial: Scenario, workdays: tuple, paid_on: dt.date) -> None:
    scenario = with_workdays(tutorial, *workdays)
    lines, book = _one_line(scenario)
    run = simulate_payout(lines, book, scenario, AFTER_CUTOFF_THU)  # Friday is the 端午 holiday
    assert run.outcomes["credited_at"].iloc[0].date() == paid_on


@pytest.mark.parametrize(("workdays", "served_on"), [((), MON), ((SAT,), SAT)])
def test_branch_counters_open_on_a_working_saturday(tutorial: Scenario, workdays: tuple,
                                                    served_on: dt.date) -> None:
    scenario = with_workdays(tutorial, *workdays)
    requests = pd.DataFrame({"account_number": ["x"], "bank": ["b"]})
    start = dt.datetime.combine(THU, dt.time(10)) - dt.timedelta(days=scenario.bank.branch_travel_days)
    served = schedule_activations(requests, scenario, start + dt.timedelta(hours=7))
    assert served["active_from"].iloc[0].date() == served_on


def test_the_attempt_has_one_calendar_that_clock_and_banks_share(tutorial: Scenario,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[BusinessCalendar] = []
    original = calendar_module.BusinessCalendar.__init__

    def counting(self: BusinessCalendar, *args, **kwargs) -> None:
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(calendar_module.BusinessCalendar, "__init__", counting)
    attempt = Attempt(with_workdays(tutorial, SAT))
    assert attempt.clock.calendar is attempt.calendar
    assert attempt.clock.is_business_day(SAT) and not attempt.clock.is_business_day(SUN)

    attempt.handle("collection.submit", {"roster": attempt.handle("collection.forms")})
    roster = attempt.handle("review.roster")
    attempt.handle("review.submit", {"decisions": pd.DataFrame({"entry_id": roster["entry_id"],
                                                                "decision": "approve"})})
    attempt.handle("review.post_notice")
    attempt.handle("review.finalize", {"confirm": True})
    attempt.handle("payout.submit", {"request": attempt.handle("payout.build_request"), "confirm": True})
    assert built == [attempt.calendar]  # the payout read the attempt's calendar, made no other
