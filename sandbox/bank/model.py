"""SimPy model of the contracted paying banks (代发银行).

One SimPy process per bank takes the whole batch and works through it window by window
(business hours between outages); each window settles all its lines at once with
vectorised NumPy/pandas, so a city-scale payout runs in seconds.

Outcome of a line, in order of precedence (the first rule that applies wins):

1. TM01 — the batch missed the day's cut-off and ``bank.late_is_tm01`` is set;
2. AM05 — the line, or the payment it re-issues, was already credited (earlier run or
   earlier in this run): a duplicate is refused on its reference before the account is
   looked at;
3. AC01 — the account number is malformed, fails its Luhn check, or is not in the book;
4. MD07 — the holder is dead and the bank knows it (whatever the card's state);
5. AC04 closed · AC06 frozen/pin_locked/reported_lost · AG01 not_activated ·
   NOCM dormant — the account's state;
6. BE01 — the payee name differs from the holder name (ends trimmed, nothing else);
7. otherwise credited, with an SMS to the holder.

Failed lines (退票) come back to the finance account ``bank.return_lag_days`` business days
after the bank processed them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sandbox.bank.accounts import AccountBook, card_number_ok
from sandbox.bank.codes import RETURN_CODES
from sandbox.bank.hours import BankTime, check_bank_hours, processing_windows
from sandbox.bank.ledger import PaymentLedger
from sandbox.common.calendar import BusinessCalendar
from sandbox.common.cards import ACCOUNT_STATUSES
from sandbox.common.text import trimmed
from sandbox.errors import RowProblem, SubmissionError

if TYPE_CHECKING:
    import simpy

    from sandbox.scenario import Scenario

LINE_COLUMNS: tuple[str, ...] = (
    "line_id", "program", "payee_id_number", "payee_name", "account_number", "bank", "amount",
    "source_line_id",
)
Progress = Callable[[float], None]

_STATUS_CODE_OF: dict[str, str] = {
    "closed": "AC04", "frozen": "AC06", "pin_locked": "AC06", "reported_lost": "AC06",
    "not_activated": "AG01", "dormant": "NOCM",
}


@dataclass
class PayoutRun:
    """What a payout run produced, seen at ``until`` (or after everything settled)."""

    submitted_at: pd.Timestamp
    until: pd.Timestamp | None
    outcomes: pd.DataFrame  # one row per line, in request order
    result_files: dict[str, pd.DataFrame]  # 银行回盘文件 per bank
    timeline: pd.DataFrame  # one row per simulated calendar day
    ledger: PaymentLedger = field(repr=False)

    @property
    def summary(self) -> dict[str, float | int]:
        """Totals in yuan and the success rate (补贴发放成功率) of settled lines."""
        by_status = self.outcomes.groupby("status")["amount"].sum()
        counts = self.outcomes["status"].value_counts()
        settled = counts.get("credited", 0) + counts.get("returned", 0)
        return {
            "lines": len(self.outcomes),
            "submitted": round(float(self.outcomes["amount"].sum()), 2),
            "credited": round(float(by_status.get("credited", 0.0)), 2),
            "returned": round(float(by_status.get("returned", 0.0)), 2),
            "pending": round(float(by_status.get("pending", 0.0)), 2),
            "success_rate": float(counts.get("credited", 0) / settled) if settled else float("nan"),
        }


# --- input ----------------------------------------------------------------------------------


def validate_lines(lines: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The payment request as the banks read it; reject it whole on any problem."""
    missing = [c for c in LINE_COLUMNS if c not in lines.columns and c != "source_line_id"]
    if missing:
        raise SubmissionError("payment request", [RowProblem(None, c, "column is missing", zh="缺少这一列") for c in missing])
    frame = pd.DataFrame({c: lines[c].to_numpy() for c in LINE_COLUMNS if c in lines.columns})
    if "source_line_id" not in frame:
        frame["source_line_id"] = ""
    for column in ("line_id", "program", "payee_id_number", "payee_name", "account_number", "bank", "source_line_id"):
        frame[column] = trimmed(frame[column].to_numpy(dtype=object))
    frame["amount"] = pd.to_numeric(frame["amount"], errors="coerce")
    problems = _row_problems(frame, scenario)
    if problems:
        raise SubmissionError("payment request", problems)
    return frame


def _row_problems(frame: pd.DataFrame, scenario: Scenario) -> list[RowProblem]:
    checks = [
        ("line_id", frame["line_id"] == "", "line_id is empty", "明细编号是空的"),
        ("amount", ~np.isfinite(frame["amount"].to_numpy(dtype=float, na_value=np.nan)), "amount is not a number", "金额不是数字"),
        ("amount", frame["amount"] <= 0, "amount must be more than 0 yuan", "金额必须大于 0 元"),
        ("amount", (frame["amount"] * 100).round(6) % 1 != 0, "amount has more than 2 decimals (fen)", "金额超过两位小数（分）"),
        ("bank", ~frame["bank"].isin(scenario.cards.banks),
         f"bank is not a contracted paying bank; expected one of {', '.join(scenario.cards.banks)}",
         f"不是签约代发银行；可选：{'、'.join(scenario.cards.banks)}"),
    ]
    problems = []
    for column, bad, message, zh in checks:
        for row in np.flatnonzero(np.asarray(bad, dtype=bool))[:20]:
            problems.append(RowProblem(int(row) + 2, column, message, zh=zh))  # header is row 1
    return sorted(problems, key=lambda p: (p.row or 0, p.column))


# --- the rules --------------------------------------------------------------------------------


@dataclass
class _Settlement:
    """Per-line state of one run, filled in window by window."""

    lines: pd.DataFrame
    roots: np.ndarray
    account_ok: np.ndarray  # well-formed and Luhn-valid
    processed_h: np.ndarray  # simulated hours; NaN until processed
    code: np.ndarray  # "" = credited

    @property
    def done(self) -> int:
        return int(np.count_nonzero(~np.isnan(self.processed_h)))


def _account_codes(s: _Settlement, pos: np.ndarray, book: AccountBook, ledger: PaymentLedger) -> np.ndarray:
    """Codes for lines at positions ``pos`` from the book as it is now ("" = no problem)."""
    table = book.table
    accounts = s.lines["account_number"].to_numpy()[pos]
    where = table.index.get_indexer(accounts)
    found = (where >= 0) & s.account_ok[pos]
    at = np.where(found, where, 0)  # a safe row for lines whose account is unknown
    status = pd.Categorical(table["status"].to_numpy()[at], categories=ACCOUNT_STATUSES)
    status_code = np.asarray(
        pd.Series(status).map(_STATUS_CODE_OF).fillna("").to_numpy(dtype=object)
    )
    holder = table["holder_name"].to_numpy(dtype=object)[at]
    payee = s.lines["payee_name"].to_numpy(dtype=object)[pos]
    dead_known = table["bank_knows_death"].to_numpy(dtype=bool)[at] & ~table["holder_alive"].to_numpy(dtype=bool)[at]
    names_differ = holder != payee  # both trimmed when the book and the request were read
    duplicate = ledger.already_credited(s.lines["line_id"].to_numpy()[pos], s.roots[pos])
    return np.select(
        [duplicate, ~found, dead_known, status_code != "", names_differ],
        ["AM05", "AC01", "MD07", status_code, "BE01"],
        default="",
    ).astype(object)


def _settle_window(s: _Settlement, pos: np.ndarray, hours: np.ndarray, book: AccountBook,
                   ledger: PaymentLedger) -> None:
    """Settle lines ``pos`` processed at ``hours``, in queue order, and post credits."""
    codes = _account_codes(s, pos, book, ledger)
    clear = codes == ""
    # a second line for the same root in this window is a duplicate of the first that clears
    repeat = pd.Series(s.roots[pos][clear]).duplicated(keep="first").to_numpy()
    clear_pos = np.flatnonzero(clear)
    codes[clear_pos[repeat]] = "AM05"
    credited = codes == ""
    ledger.record_credits(s.lines["line_id"].to_numpy()[pos][credited], s.roots[pos][credited])
    s.code[pos] = codes
    s.processed_h[pos] = hours


# --- the simulation ------------------------------------------------------------------------------


def _bank_process(
    env: simpy.Environment, queue: np.ndarray, windows: Iterator[tuple[float, float]],
    capacity_per_hour: int, settle: Callable[[np.ndarray, np.ndarray], None],
) -> simpy.events.ProcessGenerator:
    """Work through one bank's queue, a processing window at a time."""
    done, capacity_used, last = 0, 0.0, env.now  # capacity: lines' worth of open hours so far
    for start, end in windows:
        if start > env.now:
            yield env.timeout(start - env.now)
        capacity_after = capacity_used + (end - start) * capacity_per_hour
        take = min(len(queue) - done, int(np.floor(capacity_after + 1e-9)) - done)
        if take > 0:
            # line k finishes when the open hours worked reach (k + 1) / capacity
            ordinal = np.arange(done + 1, done + take + 1, dtype=float)
            hours = start + (ordinal - capacity_used) / capacity_per_hour
            settle(queue[done:done + take], hours)
            done, last = done + take, float(hours[-1])
        if done == len(queue):
            yield env.timeout(max(0.0, last - env.now))
            return
        yield env.timeout(end - env.now)
        capacity_used = capacity_after


def simulate_payout(
    lines: pd.DataFrame,
    book: AccountBook,
    scenario: Scenario,
    submitted_at: dt.datetime,
    *,
    calendar: BusinessCalendar | None = None,
    ledger: PaymentLedger | None = None,
    until: dt.datetime | None = None,
    progress: Progress | None = None,
) -> PayoutRun:
    """Send a payment request (one batch per bank, arriving at ``submitted_at``) to the banks.

    ``calendar`` is the attempt's business calendar (default: the scenario's). ``ledger``
    carries credits across runs (pass the previous run's ``ledger``); it is updated in
    place. The banks settle every line; ``until`` only chooses the moment the result is
    seen at (lines not yet settled then are ``pending``).
    """
    check_bank_hours(scenario)
    frame = validate_lines(lines, scenario)
    ledger = ledger if ledger is not None else PaymentLedger()
    bank_time = BankTime(submitted_at, calendar if calendar is not None else BusinessCalendar.of(scenario.calendar))
    settlement = _Settlement(
        lines=frame,
        roots=ledger.roots(frame["line_id"], frame["source_line_id"]),
        account_ok=card_number_ok(frame["account_number"]),
        processed_h=np.full(len(frame), np.nan),
        code=np.full(len(frame), "", dtype=object),
    )
    if bank_time.is_late(scenario.bank.cutoff_hour) and scenario.bank.late_is_tm01:
        settlement.processed_h[:] = 0.0  # refused on arrival
        settlement.code[:] = "TM01"
    else:
        _run_banks(settlement, book, ledger, scenario, bank_time, progress)
    ledger.record_sources(frame["line_id"], frame["source_line_id"])
    if progress is not None:
        progress(1.0)
    return _result(settlement, scenario, bank_time, until, ledger)


def _run_banks(s: _Settlement, book: AccountBook, ledger: PaymentLedger, scenario: Scenario,
               bank_time: BankTime, progress: Progress | None) -> None:
    import simpy  # here: SimPy finds its version with importlib.metadata (~10 ms), which a start needs not

    env = simpy.Environment()
    total = len(s.lines)

    def settle(pos: np.ndarray, hours: np.ndarray) -> None:
        _settle_window(s, pos, hours, book, ledger)
        if progress is not None:
            progress(min(s.done / total, 0.999))

    banks = s.lines["bank"].to_numpy()
    for bank in sorted(set(banks)):  # sorted: same-time events run in a fixed order
        queue = np.flatnonzero(banks == bank)
        windows = processing_windows(bank_time, scenario)
        env.process(_bank_process(env, queue, windows, scenario.bank.capacity_per_hour, settle))
    env.run()


# --- the result ------------------------------------------------------------------------------------


def _result(s: _Settlement, scenario: Scenario, bank_time: BankTime,
            until: dt.datetime | None, ledger: PaymentLedger) -> PayoutRun:
    limit = pd.Timestamp(until) if until is not None else None
    outcomes = _outcomes(s, scenario, bank_time, limit)
    return PayoutRun(
        submitted_at=bank_time.submitted_at,
        until=limit,
        outcomes=outcomes,
        result_files=_result_files(outcomes),
        timeline=_timeline(outcomes, bank_time, limit),
        ledger=ledger,
    )


def _outcomes(s: _Settlement, scenario: Scenario, bank_time: BankTime,
              limit: pd.Timestamp | None) -> pd.DataFrame:
    processed_at = bank_time.to_datetime(s.processed_h)
    seen = processed_at.notna() if limit is None else processed_at <= limit
    ok = pd.Series(s.code == "")
    credited_at = processed_at.where(ok & seen)
    returned_at = bank_time.add_business_days(processed_at.where(~ok & seen), scenario.bank.return_lag_days)
    if limit is not None:
        returned_at = returned_at.where(returned_at <= limit)
    status = np.select([credited_at.notna(), returned_at.notna()], ["credited", "returned"], default="pending")
    code = pd.Series(s.code).where(seen & ~ok, "")
    label_zh = {"": "", **{c: r.zh for c, r in RETURN_CODES.items()}}
    label_en = {"": "", **{c: r.en for c, r in RETURN_CODES.items()}}
    frame = s.lines
    return pd.DataFrame({
        "line_id": frame["line_id"],
        "program": frame["program"],
        "bank": frame["bank"],
        "payee_name": frame["payee_name"],
        "account_number": frame["account_number"],
        "amount": frame["amount"].to_numpy(),
        "source_line_id": frame["source_line_id"],
        "status": status,
        "code": code,
        "reason_zh": code.map(label_zh),
        "reason_en": code.map(label_en),
        "processed_at": processed_at.where(seen),
        "credited_at": credited_at,
        "returned_at": returned_at,
        "sms_sent": credited_at.notna(),
        "sms_at": credited_at,  # the bank texts the holder when the credit posts
    })


def _result_files(outcomes: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """银行回盘文件: each bank's answer line by line, for the lines it has processed."""
    processed = outcomes[outcomes["processed_at"].notna()]
    files = {}
    for bank, part in processed.groupby("bank", sort=True):
        part = part.sort_values("processed_at", kind="stable")
        files[str(bank)] = pd.DataFrame({
            "line_id": part["line_id"].to_numpy(),
            "payee_name": part["payee_name"].to_numpy(),
            "account_number": part["account_number"].to_numpy(),  # full: for the finance operator
            "amount": part["amount"].to_numpy(),
            "result": np.where(part["code"] == "", "成功", "失败"),
            "code": part["code"].to_numpy(),
            "reason": part["reason_zh"].to_numpy(),
            "processed_at": part["processed_at"].to_numpy(),
        })
    return files


def _timeline(outcomes: pd.DataFrame, bank_time: BankTime, limit: pd.Timestamp | None) -> pd.DataFrame:
    """Per calendar day: credits, failures reported, money returned, and running totals."""
    failed = outcomes["code"] != ""
    events = {
        "credited": outcomes["credited_at"],
        "failed": outcomes["processed_at"].where(failed),
        "returned": outcomes["returned_at"],
    }
    last_moments = [m.max() for m in events.values() if m.notna().any()]
    first = bank_time.submitted_at.normalize()
    last = limit.normalize() if limit is not None else max(last_moments, default=first).normalize()
    days = pd.date_range(first, max(first, last), freq="D")
    table = pd.DataFrame(index=days)
    for name, moments in events.items():
        day = moments.dt.normalize()
        table[name] = day.value_counts().reindex(days, fill_value=0).astype(int)
        if name != "failed":
            amounts = outcomes["amount"].groupby(day).sum()
            table[f"{name}_amount"] = amounts.reindex(days, fill_value=0.0).round(2)
    table["cumulative_credited_amount"] = table["credited_amount"].cumsum().round(2)
    table["cumulative_returned_amount"] = table["returned_amount"].cumsum().round(2)
    total = float(outcomes["amount"].sum())
    table["outstanding_amount"] = (
        total - table["cumulative_credited_amount"] - table["cumulative_returned_amount"]
    ).round(2)
    return table.rename_axis("date").reset_index()
