"""The paying banks: return codes from account states, calendar, capacity, ledger, branches."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from stdnum import luhn

from sandbox.bank import (
    RETURN_CODES,
    AccountBook,
    PaymentLedger,
    card_number_ok,
    draw_bank_knows_death,
    schedule_activations,
    simulate_payout,
)
from sandbox.common.checkdigits import luhn_complete
from sandbox.errors import ScenarioError, SubmissionError
from sandbox.scenario import Outage, load_scenario

WED_10 = dt.datetime(2022, 6, 1, 10, 0)  # tutorial calendar: Fri 2022-06-03 is a holiday (端午节)


@pytest.fixture(scope="module")
def base():
    return load_scenario("tutorial")  # a shipped scenario, by name


def tweak(scenario, **bank):
    return scenario.model_copy(update={"bank": scenario.bank.model_copy(update=bank)})


def card(i: int) -> str:
    return luhn_complete(pd.Series([f"62170000{i:09d}"]))[0]


def make_book(*rows: dict) -> AccountBook:
    return AccountBook.from_records(
        {"account_number": card(i), "holder_name": f"王{i}", **row} for i, row in enumerate(rows)
    )


def make_lines(scenario, accounts: list[int], *, names: dict[int, str] | None = None,
               ids: list[str] | None = None, sources: list[str] | None = None, amount: float = 100.0,
               bank: str | None = None) -> pd.DataFrame:
    names = names or {}
    return pd.DataFrame({
        "line_id": ids or [f"L{k:04d}" for k in range(len(accounts))],
        "program": "elderly_allowance",
        "payee_id_number": "",
        "payee_name": [names.get(i, f"王{i}") for i in accounts],
        "account_number": [card(i) for i in accounts],
        "bank": bank or scenario.cards.banks[0],
        "amount": amount,
        "source_line_id": sources or "",
    })


def outcome(run, line_id: str) -> pd.Series:
    return run.outcomes.set_index("line_id").loc[line_id]


# --- return codes ----------------------------------------------------------------------------


def test_catalogue_has_every_payout_code_in_both_languages():
    required = {"AC01", "AC04", "AC06", "AG01", "BE01", "MD07", "AM05", "TM01", "NOCM", "NARR"}
    assert required <= set(RETURN_CODES)
    for code, entry in RETURN_CODES.items():
        assert entry.code == code
        for text in (entry.zh, entry.en, entry.cause.zh, entry.cause.en, entry.what_to_do.zh, entry.what_to_do.en):
            assert text.strip()
    assert not RETURN_CODES["MD07"].reissue_allowed  # the dead are not paid again


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"status": "active"}, ""),
        ({"status": "closed"}, "AC04"),
        ({"status": "frozen"}, "AC06"),
        ({"status": "pin_locked"}, "AC06"),
        ({"status": "reported_lost"}, "AC06"),
        ({"status": "not_activated"}, "AG01"),
        ({"status": "dormant"}, "NOCM"),
        ({"status": "active", "holder_alive": False, "bank_knows_death": True}, "MD07"),
        ({"status": "active", "holder_alive": False, "bank_knows_death": False}, ""),  # 冒领 slips through
    ],
)
def test_each_account_state_gives_its_code(base, row, expected):
    run = simulate_payout(make_lines(base, [0]), make_book(row), base, WED_10)
    line = outcome(run, "L0000")
    assert line["code"] == expected
    assert line["status"] == ("credited" if expected == "" else "returned")
    assert line["sms_sent"] == (expected == "")


def test_name_differing_from_holder_is_be01_but_trimmed_spaces_are_not(base):
    book = make_book({"status": "active"}, {"status": "active"})
    lines = make_lines(base, [0, 1], names={0: "汪0", 1: " 王1\u3000"})
    run = simulate_payout(lines, book, base, WED_10)
    assert run.outcomes["code"].tolist() == ["BE01", ""]


def test_unknown_or_mistyped_card_number_is_ac01(base):
    book = make_book({"status": "active"})
    lines = make_lines(base, [0, 0, 0], ids=["L1", "L2", "L3"])
    good = card(0)
    lines["account_number"] = [good[:-1] + str((int(good[-1]) + 1) % 10), card(7), "62170000"]
    run = simulate_payout(lines, book, base, WED_10)
    assert run.outcomes["code"].tolist() == ["AC01", "AC01", "AC01"]


def test_precedence_death_before_state_before_name(base):
    book = make_book(
        {"status": "closed", "holder_alive": False, "bank_knows_death": True},
        {"status": "not_activated"},
    )
    lines = make_lines(base, [0, 1], names={0: "别人", 1: "别人"})
    run = simulate_payout(lines, book, base, WED_10)
    assert run.outcomes["code"].tolist() == ["MD07", "AG01"]


# --- duplicates and state changes across runs -----------------------------------------------------


def test_same_line_paid_twice_in_one_batch_is_am05(base):
    book = make_book({"status": "active"})
    run = simulate_payout(make_lines(base, [0, 0], ids=["L1", "L1"]), book, base, WED_10)
    assert run.outcomes["code"].tolist() == ["", "AM05"]
    assert run.summary["credited"] == 100.0


def test_line_paid_again_in_a_later_run_is_am05(base):
    book = make_book({"status": "active"})
    ledger = PaymentLedger()
    first = simulate_payout(make_lines(base, [0], ids=["L1"]), book, base, WED_10, ledger=ledger)
    again = simulate_payout(make_lines(base, [0], ids=["L1"]), book, base, WED_10, ledger=ledger)
    reissue = simulate_payout(make_lines(base, [0], ids=["R1"], sources=["L1"]), book, base, WED_10, ledger=ledger)
    assert outcome(first, "L1")["code"] == ""
    assert outcome(again, "L1")["code"] == "AM05"
    assert outcome(reissue, "R1")["code"] == "AM05"


def test_activation_between_runs_lets_the_reissue_through_once(base):
    book = make_book({"status": "not_activated"})
    ledger = PaymentLedger()
    first = simulate_payout(make_lines(base, [0], ids=["L1"]), book, base, WED_10, ledger=ledger)
    assert outcome(first, "L1")["code"] == "AG01"

    book.set_status(card(0), "active")  # the holder went to the branch
    later = dt.datetime(2022, 6, 6, 10)
    fixed = simulate_payout(make_lines(base, [0], ids=["R1"], sources=["L1"]), book, base, later, ledger=ledger)
    assert outcome(fixed, "R1")["code"] == ""
    # a second re-issue of the same failed line, even via a chain, would pay twice
    chain = make_lines(base, [0, 0], ids=["R2", "R3"], sources=["L1", "R1"])
    twice = simulate_payout(chain, book, base, later, ledger=ledger)
    assert twice.outcomes["code"].tolist() == ["AM05", "AM05"]


# --- calendar, cut-off, outages, capacity ----------------------------------------------------------


def test_batch_after_cutoff_waits_for_next_business_day(base):
    book = make_book({"status": "active"})
    run = simulate_payout(make_lines(base, [0]), book, tweak(base, cutoff_hour=16.0), dt.datetime(2022, 6, 1, 17))
    credited = outcome(run, "L0000")["credited_at"]
    assert credited.date() == dt.date(2022, 6, 2)
    assert credited.hour == int(base.bank.opening_hour)


def test_weekend_and_holiday_are_skipped(base):
    book = make_book({"status": "active"})
    # Thursday after cut-off: Friday is a holiday, then the weekend
    run = simulate_payout(make_lines(base, [0]), book, base, dt.datetime(2022, 6, 2, 18))
    assert outcome(run, "L0000")["credited_at"].date() == dt.date(2022, 6, 6)
    sunday = simulate_payout(make_lines(base, [0]), book, base, dt.datetime(2022, 6, 5, 11))
    assert sunday.outcomes["credited_at"].iloc[0].date() == dt.date(2022, 6, 6)


def test_late_batch_is_returned_tm01_when_configured(base):
    book = make_book({"status": "active"}, {"status": "closed"})
    strict = tweak(base, late_is_tm01=True)
    late = simulate_payout(make_lines(base, [0, 1]), book, strict, dt.datetime(2022, 6, 1, 16, 30))
    assert late.outcomes["code"].tolist() == ["TM01", "TM01"]
    assert late.summary["credited"] == 0
    on_time = simulate_payout(make_lines(base, [0, 1]), book, strict, dt.datetime(2022, 6, 1, 15, 0))
    assert on_time.outcomes["code"].tolist() == ["", "AC04"]


def test_outage_stops_processing(base):
    scenario = tweak(base, capacity_per_hour=10, outages=[Outage(day=0, start_hour=10, hours=3)])
    book = make_book(*({"status": "active"} for _ in range(20)))
    run = simulate_payout(make_lines(base, list(range(20))), book, scenario, dt.datetime(2022, 6, 1, 9))
    hours = (run.outcomes["processed_at"] - pd.Timestamp("2022-06-01")) / pd.Timedelta(hours=1)
    assert not ((hours > 10) & (hours < 13)).any()
    assert (hours <= 10).sum() == 10  # one hour before the outage at 10 lines an hour
    assert hours.max() == pytest.approx(14.0)  # the other ten in the hour after it


@pytest.mark.parametrize(("count", "capacity"), [(50, 10), (35, 7), (200, 30)])
def test_capacity_bounds_processing_time(base, count, capacity):
    scenario = tweak(base, capacity_per_hour=capacity)
    book = make_book(*({"status": "active"} for _ in range(count)))
    submitted = dt.datetime(2022, 6, 1, 9)
    run = simulate_payout(make_lines(base, list(range(count))), book, scenario, submitted)
    processed = run.outcomes["processed_at"]
    open_hours = _open_hours_between(scenario, pd.Timestamp(submitted), processed.max())
    assert open_hours >= count / capacity - 1e-6
    per_hour = processed.dt.floor("h").value_counts()
    assert per_hour.max() <= capacity


def _open_hours_between(scenario, start: pd.Timestamp, end: pd.Timestamp) -> float:
    total, day = 0.0, start.normalize()
    while day <= end:
        if day.weekday() < 5 and day.date() not in scenario.calendar.holidays:
            lo = max(start, day + pd.Timedelta(hours=scenario.bank.opening_hour))
            hi = min(end, day + pd.Timedelta(hours=scenario.bank.cutoff_hour))
            total += max(0.0, (hi - lo) / pd.Timedelta(hours=1))
        day += pd.Timedelta(days=1)
    return total


def test_batches_of_several_banks_run_in_parallel(base):
    scenario = tweak(base, capacity_per_hour=10)
    book = make_book(*({"status": "active"} for _ in range(20)))
    lines = make_lines(base, list(range(20)))
    lines["bank"] = [base.cards.banks[k % 2] for k in range(20)]
    run = simulate_payout(lines, book, scenario, dt.datetime(2022, 6, 1, 9))
    assert run.outcomes["processed_at"].max() == pd.Timestamp("2022-06-01 10:00")
    assert set(run.result_files) == set(base.cards.banks[:2])


def test_failed_lines_come_back_after_return_lag_in_business_days(base):
    book = make_book({"status": "frozen"})
    run = simulate_payout(make_lines(base, [0]), book, tweak(base, return_lag_days=2), WED_10)
    line = outcome(run, "L0000")
    # Wed → Thu (1) → Fri holiday, weekend → Mon (2), same time of day
    assert line["returned_at"] == line["processed_at"] + pd.Timedelta(days=5)
    assert pd.isna(line["credited_at"])


# --- results ------------------------------------------------------------------------------------


def mixed_case(base, n: int = 60):
    states = ["active", "active", "active", "not_activated", "closed", "frozen", "dormant"]
    book = make_book(*({"status": states[i % len(states)]} for i in range(n)))
    lines = make_lines(base, list(range(n)), names={5: "错名"})
    lines["amount"] = [round(50 + 7.31 * i, 2) for i in range(n)]
    return lines, book


def test_amounts_are_conserved_to_the_fen(base):
    lines, book = mixed_case(base)
    scenario = tweak(base, capacity_per_hour=10)
    for until in (None, dt.datetime(2022, 6, 2, 12), dt.datetime(2022, 6, 1, 11)):
        run = simulate_payout(lines, book, scenario, WED_10, until=until)
        s = run.summary
        assert round(s["credited"] + s["returned"] + s["pending"], 2) == round(lines["amount"].sum(), 2)
        last = run.timeline.iloc[-1]
        assert round(last["cumulative_credited_amount"], 2) == s["credited"]
        assert round(last["outstanding_amount"], 2) == s["pending"]
    assert s["pending"] > 0  # at 11:00 on day one, most lines are still with the bank


def test_until_hides_what_the_bank_has_not_done_yet(base):
    lines, book = mixed_case(base)
    run = simulate_payout(lines, book, tweak(base, capacity_per_hour=10), WED_10, until=dt.datetime(2022, 6, 1, 12))
    pending = run.outcomes[run.outcomes["status"] == "pending"]
    assert len(pending) > 0
    unprocessed = pending[pending["processed_at"].isna()]
    assert (unprocessed["code"] == "").all()
    shown = sum(len(f) for f in run.result_files.values())
    assert shown == run.outcomes["processed_at"].notna().sum()


def test_result_file_and_timeline_agree_with_outcomes(base):
    lines, book = mixed_case(base)
    run = simulate_payout(lines, book, base, WED_10)
    file = run.result_files[base.cards.banks[0]]
    assert list(file.columns[:6]) == ["line_id", "payee_name", "account_number", "amount", "result", "code"]
    assert (file["result"] == "成功").sum() == (run.outcomes["status"] == "credited").sum()
    assert set(file.loc[file["result"] == "失败", "reason"]) == {
        RETURN_CODES[c].zh for c in run.outcomes["code"] if c
    }
    assert run.timeline["credited"].sum() == (run.outcomes["status"] == "credited").sum()
    assert run.timeline["returned"].sum() == (run.outcomes["status"] == "returned").sum()


def test_same_inputs_give_identical_results(base):
    lines, book = mixed_case(base)
    first = simulate_payout(lines, book, base, WED_10)
    second = simulate_payout(lines, book, base, WED_10)
    pd.testing.assert_frame_equal(first.outcomes, second.outcomes)
    pd.testing.assert_frame_equal(first.timeline, second.timeline)


def test_progress_reports_rising_fractions_up_to_one(base):
    lines, book = mixed_case(base)
    seen: list[float] = []
    simulate_payout(lines, book, tweak(base, capacity_per_hour=5), WED_10, progress=seen.append)
    assert len(seen) > 2
    assert seen == sorted(seen) and seen[-1] == 1.0 and 0 < seen[0] < 1


def test_bad_request_is_rejected_whole_with_row_and_column(base):
    lines = make_lines(base, [0, 1])
    lines.loc[1, "amount"] = -5
    lines.loc[0, "bank"] = "某某银行"
    with pytest.raises(SubmissionError) as err:
        simulate_payout(lines, make_book({}, {}), base, WED_10)
    text = str(err.value)
    assert "row 2, column 'bank'" in text and "row 3, column 'amount'" in text
    with pytest.raises(SubmissionError, match="account_number"):
        simulate_payout(lines.drop(columns="account_number"), make_book({}), base, WED_10)


def test_cutoff_before_opening_is_a_scenario_error(base):
    with pytest.raises(ScenarioError, match="cutoff_hour"):
        simulate_payout(make_lines(base, [0]), make_book({}), tweak(base, cutoff_hour=8.0), WED_10)


# --- accounts ---------------------------------------------------------------------------------


def test_bank_reads_card_numbers_as_16_to_19_luhn_valid_digits():
    rng = np.random.default_rng(7)
    numbers = pd.Series(["62" + "".join(map(str, rng.integers(0, 10, int(rng.integers(14, 18))))) for _ in range(300)])
    numbers = pd.concat([numbers, luhn_complete(numbers.str[:-1]),
                         pd.Series(["6217x", "", "62" * 12, "0" * 16, " " + card(3) + " "])])
    expected = [len(n.strip()) in range(16, 20) and n.strip().isdigit() and luhn.is_valid(n.strip())
                for n in numbers]
    assert card_number_ok(numbers).tolist() == expected
    assert 0 < sum(expected) < len(expected)


def test_book_from_world_knows_only_deaths_it_was_told_of(base):
    persons = pd.DataFrame({"person_id": ["P1", "P2", "P3"], "alive": [True, False, False]})
    accounts = pd.DataFrame({
        "account_number": [card(1), card(2), card(3)], "person_id": ["P1", "P2", "P3"],
        "holder_name": ["甲", "乙", "丙"], "status": "active",
    })
    book = AccountBook.from_world(accounts, persons, {"P1": True, "P2": True, "P3": False})
    assert book.table["bank_knows_death"].tolist() == [False, True, False]  # P1 is alive
    drawn = draw_bank_knows_death(persons, base.model_copy(update={"cards": base.cards.model_copy(update={"bank_knows_death_rate": 1.0})}))
    assert drawn.to_dict() == {"P1": False, "P2": True, "P3": True}
    assert draw_bank_knows_death(persons, base).equals(draw_bank_knows_death(persons.iloc[::-1], base))


# --- branch counters --------------------------------------------------------------------------


def test_branch_activations_respect_daily_capacity_and_calendar(base):
    scenario = tweak(base, branch_capacity_per_day=2, branch_travel_days=1)
    requests = pd.DataFrame({"account_number": [card(i) for i in range(5)], "bank": base.cards.banks[0]})
    plan = schedule_activations(requests, scenario, dt.datetime(2022, 6, 1, 10))
    days = plan["active_from"].dt.date.tolist()
    # arrive Thu; two a business day; Fri holiday and the weekend closed
    assert days == [dt.date(2022, 6, 2)] * 2 + [dt.date(2022, 6, 6)] * 2 + [dt.date(2022, 6, 7)]
    assert (plan["active_from"] >= plan["visit_at"]).all()
    assert plan["account_number"].tolist() == requests["account_number"].tolist()


def test_each_bank_has_its_own_branch_counter(base):
    scenario = tweak(base, branch_capacity_per_day=1, branch_travel_days=0)
    requests = pd.DataFrame({"account_number": [card(i) for i in range(4)],
                             "bank": [base.cards.banks[i % 2] for i in range(4)]})
    plan = schedule_activations(requests, scenario, dt.datetime(2022, 6, 1, 10))
    assert plan["active_from"].dt.date.value_counts().max() == 2
    assert plan.groupby("bank")["active_from"].apply(lambda s: s.dt.date.nunique()).tolist() == [2, 2]
