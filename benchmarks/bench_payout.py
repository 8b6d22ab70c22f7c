"""Payout speed: the windowed, vectorised bank model against one SimPy process per payment.

Run: .venv/bin/python benchmarks/bench_payout.py [--lines 1000000] [--baseline-lines 20000]

Both models see the same synthetic city (three banks, realistic card states, a few name
typos) in the same run; the baseline's rate is measured on a smaller batch and
extrapolated, since at its speed a million lines would take minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import numpy as np
import pandas as pd
import simpy
from stdnum import luhn

from sandbox.bank import (
    AccountBook,
    BankTime,
    processing_windows,
    simulate_payout,
)
from sandbox.common.calendar import BusinessCalendar
from sandbox.common.cards import ACCOUNT_STATUSES
from sandbox.common.checkdigits import luhn_complete
from sandbox.rng import rng_for
from sandbox.scenario import Scenario, load_scenario

SUBMITTED_AT = dt.datetime(2022, 6, 1, 10, 0)
STATUS_SHARES = (0.977, 0.012, 0.002, 0.002, 0.001, 0.003, 0.003)  # ACCOUNT_STATUSES order


def synthetic_city(n: int, scenario: Scenario) -> tuple[pd.DataFrame, AccountBook]:
    """``n`` payment lines to ``n`` accounts, with card states and typos drawn per account."""
    rng = rng_for(scenario.seed, "bench", "city")
    serial = pd.Series(np.arange(n) + 10**9).astype(str)
    numbers = luhn_complete("6217" + serial.str.zfill(14))
    names = "张" + serial.str[-6:]
    status = rng.choice(np.array(ACCOUNT_STATUSES, dtype=object), size=n, p=STATUS_SHARES)
    dead = rng.random(n) < 0.01
    book = AccountBook._from_frame(pd.DataFrame({
        "account_number": numbers, "holder_name": names, "status": status,
        "person_id": "P" + serial, "holder_alive": ~dead, "bank_knows_death": dead & (rng.random(n) < 0.5),
    }))
    typo = rng.random(n) < 0.01
    lines = pd.DataFrame({
        "line_id": "L" + serial,
        "program": "basic_pension",
        "payee_id_number": "",
        "payee_name": names.where(~typo, "李" + serial.str[-6:]),
        "account_number": numbers,
        "bank": np.array(scenario.cards.banks[:3], dtype=object)[np.arange(n) % 3],
        "amount": np.round(rng.uniform(50, 500, n), 2),
        "source_line_id": "",
    })
    return lines, book


def baseline_payout(lines: pd.DataFrame, book: AccountBook, scenario: Scenario) -> dict[str, str]:
    """The plain way: one SimPy process per payment, a per-row lookup of the same rules."""
    env = simpy.Environment()
    bank_time = BankTime(SUBMITTED_AT, BusinessCalendar.of(scenario.calendar))
    # only the accounts this batch touches: a million-row dict would time the set-up, not the model
    touched = book.table.index.intersection(pd.Index(lines["account_number"]))
    accounts = book.table.loc[touched].to_dict("index")
    status_codes = {"closed": "AC04", "frozen": "AC06", "pin_locked": "AC06", "reported_lost": "AC06",
                    "not_activated": "AG01", "dormant": "NOCM"}
    banks = {b: simpy.Resource(env, capacity=1) for b in sorted(set(lines["bank"]))}
    windows = {b: list(_first_windows(bank_time, scenario)) for b in banks}
    codes: dict[str, str] = {}
    service = 1.0 / scenario.bank.capacity_per_hour

    def open_at(bank: str, now: float) -> float:
        for start, end in windows[bank]:
            if now < end:
                return max(now, start)
        raise RuntimeError("benchmark ran past its precomputed windows")

    def payment(row: dict) -> simpy.events.ProcessGenerator:
        with banks[row["bank"]].request() as turn:
            yield turn
            yield env.timeout(open_at(row["bank"], env.now) - env.now + service)
            account = accounts.get(row["account_number"])
            if account is None or not luhn.is_valid(row["account_number"]):
                codes[row["line_id"]] = "AC01"
            elif account["bank_knows_death"] and not account["holder_alive"]:
                codes[row["line_id"]] = "MD07"
            elif account["status"] in status_codes:
                codes[row["line_id"]] = status_codes[account["status"]]
            elif account["holder_name"] != row["payee_name"]:
                codes[row["line_id"]] = "BE01"
            else:
                codes[row["line_id"]] = ""

    for row in lines.to_dict("records"):
        env.process(payment(row))
    env.run()
    return codes


def _first_windows(bank_time: BankTime, scenario: Scenario) -> list[tuple[float, float]]:
    windows = processing_windows(bank_time, scenario)
    return [next(windows) for _ in range(60)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--baseline-lines", type=int, default=20_000)
    args = parser.parse_args()
    scenario = load_scenario("tutorial")  # a shipped scenario, by name

    started = time.perf_counter()
    lines, book = synthetic_city(args.lines, scenario)
    print(f"built {len(lines):,} lines and accounts in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    run = simulate_payout(lines, book, scenario, SUBMITTED_AT)
    model_s = time.perf_counter() - started
    model_rate = len(lines) / model_s

    small = lines.iloc[: args.baseline_lines]
    started = time.perf_counter()
    codes = baseline_payout(small, book, scenario)
    base_s = time.perf_counter() - started
    base_rate = len(small) / base_s

    # both models must agree where they overlap, or the comparison means nothing
    mine = run.outcomes.set_index("line_id")["code"].loc[list(codes)]
    agree = (mine.to_numpy() == np.array(list(codes.values()), dtype=object)).mean()

    summary = run.summary
    print(f"windowed model : {len(lines):>9,} lines in {model_s:6.2f} s = {model_rate:>12,.0f} lines/s")
    print(f"per-payment    : {len(small):>9,} lines in {base_s:6.2f} s = {base_rate:>12,.0f} lines/s "
          f"(1M lines ≈ {1_000_000 / base_rate:,.0f} s)")
    print(f"speed-up       : {model_rate / base_rate:.1f}x   outcome agreement on the overlap: {agree:.2%}")
    print(f"success rate {summary['success_rate']:.2%}; last credit "
          f"{run.outcomes['credited_at'].max():%Y-%m-%d %H:%M}; "
          f"credited + returned = submitted: "
          f"{round(summary['credited'] + summary['returned'], 2) == summary['submitted']}")


if __name__ == "__main__":
    main()
