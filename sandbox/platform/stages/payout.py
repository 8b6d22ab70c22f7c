"""Payout (发放): the payment request, the banks' simulated days and their result files, and the
payout score (which counts the failed lines fixed at the failures desk, stages/failures.py)."""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from sandbox.bank import (
    RETURN_CODES,
    AccountBook,
    PaymentLedger,
    draw_bank_knows_death,
    simulate_payout,
)
from sandbox.common.identifiers import clean_card_number
from sandbox.common.submissions import read_table
from sandbox.common.text import clean_text
from sandbox.errors import AlreadyFinal, RowProblem, SandboxError, SubmissionError
from sandbox.platform.procedure import REVIEW_STILL_OPEN, require_confirmation
from sandbox.platform.scoring import Miss, StageScore
from sandbox.platform.stages.base import Stage, action
from sandbox.platform.stages.sequence import STAGES

REQUEST_COLUMNS = ["line_id", "entry_id", "program", "payee_id_number", "payee_name",
                   "account_number", "bank", "amount"]


class PayoutStage(Stage):
    info = STAGES["payout"]

    def __init__(self, attempt) -> None:
        super().__init__(attempt)
        self.ledger = PaymentLedger()
        self.lines = pd.DataFrame()       # every line sent, with its latest outcome
        self.runs: list = []
        self.fixes: dict[str, dict] = {}  # line_id -> the fix chosen at the failure desk
        self.first_pass: pd.DataFrame | None = None
        self.closed = False

    @cached_property
    def book(self) -> AccountBook:
        """The banks' accounts, opened at the first look (a start that pays nothing needs none)."""
        world = self.attempt.world
        knows = draw_bank_knows_death(world.persons, self.attempt.scenario)
        return AccountBook.from_world(world.accounts, world.persons, knows)

    # --- the payment request ---------------------------------------------------------------
    def approved(self) -> pd.DataFrame:
        """The entries approved so far (corrections applied): a look, it never closes review."""
        final = self.attempt.stages["review"].final_table()
        return final[final["decision"].isin(["approve", "correct"])].reset_index(drop=True)

    @action("budget", read_only=True)
    def budget(self) -> pd.DataFrame:
        """指标: the budget line per program, as allocated on the declared totals (补录 included).
        Computed afresh on every call, so looking early keeps nothing: once review has closed the
        roster no longer changes, and neither does the budget."""
        typed = self.attempt.data.truth.assign(claimed=self.attempt.data.key["claimed_amount"].to_numpy())
        table = typed.groupby("program", as_index=False)["claimed"].sum()
        table["allocated"] = (np.ceil(table["claimed"] / 100.0) * 100.0).round(2)
        return table[["program", "allocated"]]

    @action("build_request", read_only=True)
    def build_request(self) -> pd.DataFrame:
        """The draft 支付申请 from the decisions as they stand (per-household programs to the
        head). A look at the draft: it changes nothing, and review stays open until closed."""
        approved = self.approved()
        width = max(5, len(str(len(approved))))
        return pd.DataFrame({
            "line_id": [f"L{i + 1:0{width}d}" for i in range(len(approved))],
            "entry_id": approved["entry_id"],
            "program": approved["program"],
            "period": self.attempt.scenario.calendar.period_label,
            "payee_id_number": approved["id_number"],
            "payee_name": approved["name"],
            "account_number": approved["account_number"],
            "bank": approved["bank"],
            "amount": approved["amount"].astype(float).round(2),
        })

    @action("submit", read_only=False)
    def submit(self, request: pd.DataFrame, source: str = "payment request", confirm: bool = False) -> dict:
        """Send a payment file to the banks; their simulated days pass until all lines settle.
        Money sent cannot be called back: needs confirm=True, and review closed first."""
        if self.closed:
            raise AlreadyFinal("发放已经结束：对账单已经提交，不能再发送支付申请",
                               "payout is closed; reconciliation has been submitted")
        if not self.attempt.stages["review"].state.final:
            raise SandboxError(*REVIEW_STILL_OPEN)
        frame = self._validated(request, source)
        require_confirmation("payout.submit", confirm)
        run = self._send(frame)
        if self.first_pass is None:
            self.first_pass = self.lines.copy()
        summary = run.summary
        return {"stage": "payout", "lines": summary["lines"], "credited": summary["credited"],
                "returned": summary["returned"], "pending": summary["pending"],
                "success_rate": round(summary["success_rate"], 4), "today": self.attempt.clock.now.isoformat(sep=" "),
                "banks": sorted(run.result_files)}

    def _validated(self, request: pd.DataFrame, source: str) -> pd.DataFrame:
        frame, _ = read_table(request)
        problems: list[RowProblem] = []
        missing = [c for c in REQUEST_COLUMNS if c not in frame.columns]
        if missing:
            raise SubmissionError(source, [RowProblem(None, c, "required column missing", zh="缺少这一列") for c in missing])
        approved = self.approved().set_index("entry_id")
        rows = frame["_row"].tolist()
        amounts = pd.to_numeric(frame["amount"].map(lambda v: clean_text(v).replace(",", "")), errors="coerce")
        seen_lines: set[str] = set()
        seen_entries: set[str] = set()
        sent = set(self.lines["line_id"]) if not self.lines.empty else set()
        for row, line_id, entry_id, amount, source_line in zip(
                rows, frame["line_id"], frame["entry_id"], amounts,
                frame.get("source_line_id", pd.Series([""] * len(frame))), strict=True):
            if line_id in seen_lines:
                problems.append(RowProblem(row, "line_id", f"line {line_id} appears twice in this file",
                                           zh=f"明细 {line_id} 在本文件中出现了两次"))
            seen_lines.add(line_id)
            if entry_id not in approved.index:
                problems.append(RowProblem(row, "entry_id", f"{entry_id!r} is not an approved entry of the roster",
                                           zh=f"{entry_id!r} 不是名单上审核通过的条目"))
            elif entry_id in seen_entries and not source_line:
                problems.append(RowProblem(row, "entry_id", f"entry {entry_id} is paid twice in this file",
                                           zh=f"条目 {entry_id} 在本文件中发放了两次"))
            seen_entries.add(entry_id)
            if line_id in sent and not source_line:
                problems.append(RowProblem(row, "line_id", f"line {line_id} was already sent in an earlier file; "
                                           "failed lines are re-issued from the failure desk (补发)",
                                           zh=f"明细 {line_id} 已在之前的文件中发送过；失败的明细请在失败处理台补发"))
            if pd.isna(amount):
                problems.append(RowProblem(row, "amount", "not a number", zh="不是数字"))
            elif amount <= 0:
                problems.append(RowProblem(row, "amount", f"{amount} — an amount must be above zero",
                                           zh=f"{amount}：金额必须大于零"))
        if "period" in frame.columns:
            period = self.attempt.scenario.calendar.period_label
            for row, value in zip(rows, frame["period"], strict=True):
                if clean_text(value) not in {"", period}:
                    problems.append(RowProblem(row, "period", f"{value!r} is not this payout's period ({period})",
                                               zh=f"{value!r} 不是本次发放的期间（{period}）"))
        problems += self._over_budget(frame.assign(amount=amounts))
        if problems:
            raise SubmissionError(source, problems)
        # The banks read a card number as it is sent (ends trimmed): one typed with spaces is AC01.
        frame = frame.assign(amount=amounts.round(2), account_number=frame["account_number"].astype(str).str.strip())
        if "source_line_id" not in frame:
            frame["source_line_id"] = ""
        return frame[[*REQUEST_COLUMNS, "source_line_id"]]

    def _over_budget(self, frame: pd.DataFrame) -> list[RowProblem]:
        budget = self.budget().set_index("program")["allocated"]
        # Only money actually credited uses up the budget line; returned money comes back.
        credited = self.lines[self.lines["status"] == "credited"].groupby("program")["amount"].sum() \
            if not self.lines.empty else pd.Series(dtype=float)
        problems = []
        for program, total in frame.groupby("program")["amount"].sum().items():
            if program not in budget.index:
                problems.append(RowProblem(None, "program", f"{program!r} has no budget line (指标)",
                                           zh=f"{program!r} 没有资金指标"))
                continue
            used = float(credited.get(program, 0.0))
            if total + used > budget[program] + 0.005:
                problems.append(RowProblem(None, "amount", (
                    f"{program}: ¥{total:,.2f} requested + ¥{used:,.2f} already paid is above the "
                    f"budget line (指标) of ¥{budget[program]:,.2f}"),
                    zh=f"{program}：本次申请 ¥{total:,.2f} 加已发 ¥{used:,.2f}，超过资金指标 ¥{budget[program]:,.2f}"))
        return problems

    def _send(self, frame: pd.DataFrame):
        run = simulate_payout(frame, self.book, self.attempt.scenario, self.attempt.clock.now,
                              calendar=self.attempt.calendar, ledger=self.ledger)
        self.runs.append(run)
        outcomes = run.outcomes.merge(frame[["line_id", "entry_id", "payee_id_number"]], on="line_id")
        for column in ("processed_at", "credited_at", "returned_at", "sms_at"):
            outcomes[column] = outcomes[column].dt.floor("s")
        outcomes["run"] = len(self.runs)
        self.lines = pd.concat([self.lines, outcomes], ignore_index=True) if not self.lines.empty else outcomes
        settled = pd.concat([outcomes["credited_at"], outcomes["returned_at"]]).max()
        if pd.notna(settled):
            self.attempt.clock.advance_to(settled.to_pydatetime())
        return run

    # --- what the trainee sees -------------------------------------------------------------
    @action("results", read_only=True)
    def results(self) -> pd.DataFrame:
        return self.lines.copy()

    @action("result_files", read_only=True)
    def result_files(self) -> dict[str, pd.DataFrame]:
        files: dict[str, list[pd.DataFrame]] = {}
        for run in self.runs:
            for bank, frame in run.result_files.items():
                files.setdefault(bank, []).append(frame)
        return {bank: pd.concat(parts, ignore_index=True) for bank, parts in files.items()}

    @action("timeline", read_only=True)
    def timeline(self) -> pd.DataFrame:
        if not self.runs:
            return pd.DataFrame()
        frames = [run.timeline.assign(run=i + 1) for i, run in enumerate(self.runs)]
        return pd.concat(frames, ignore_index=True)

    def timeline_records(self) -> list[dict]:
        """Per simulated day since the first request: cumulative credited and returned lines."""
        if self.lines.empty:
            return []
        start = self.runs[0].submitted_at.normalize()
        credited = self.lines["credited_at"].dropna().dt.normalize()
        returned = self.lines["returned_at"].dropna().dt.normalize()
        end = max([start, *credited.tolist(), *returned.tolist()])
        days = pd.date_range(start, end, freq="D")
        return [{"day": int((d - start).days), "date": d.date().isoformat(),
                 "credited_cumulative": int((credited <= d).sum()),
                 "returned_cumulative": int((returned <= d).sum())} for d in days]

    @action("kpis", read_only=True)
    def kpis(self) -> dict:
        return self._kpis()

    def _kpis(self) -> dict:
        if self.first_pass is None:
            return {}
        first = self.first_pass
        settled_first = first[first["status"] != "pending"]
        latest = self.latest()
        kinds = self.attempt.world.accounts.set_index("account_number")["kind"]
        credited = latest[latest["status"] == "credited"]
        card_share = float((credited["account_number"].map(kinds) == "social_security_card").mean()) \
            if len(credited) else 0.0
        start = self.runs[0].submitted_at
        last_credit = credited["credited_at"].max() if len(credited) else pd.NaT
        return {
            "first_pass_success_rate": round(float((settled_first["status"] == "credited").mean()), 4)
            if len(settled_first) else 0.0,
            "final_success_rate": round(float((latest["status"] == "credited").mean()), 4) if len(latest) else 0.0,
            "social_security_card_share": round(card_share, 4),
            "days_to_pay": round((last_credit - start) / pd.Timedelta(days=1), 1) if pd.notna(last_credit) else None,
            "money_returned": round(float(self.lines.loc[self.lines["status"] == "returned", "amount"].sum()), 2),
            "lines": int(len(latest)),
        }

    def latest(self) -> pd.DataFrame:
        """One row per entry: its most recent line (a re-issue replaces the failed source).
        Kept until the next run (the failure desk reads it for every line it shows): callers
        read it and copy before they change anything."""
        if self.lines.empty:
            return self.lines
        cached = getattr(self, "_latest", None)
        if cached is None or cached[0] is not self.lines:
            cached = self._latest = (self.lines, self.lines.drop_duplicates("entry_id", keep="last")
                                     .reset_index(drop=True))
        return cached[1]

    def payments(self) -> pd.DataFrame:
        """Every line of the period with its final status (for disclosure and supervision)."""
        if self.lines.empty:
            return pd.DataFrame(columns=["line_id", "entry_id", "program", "village", "payee_name",
                                         "payee_id_number", "account_number", "bank", "amount", "status",
                                         "code", "credited_at", "source_line_id"])
        lines = self.lines.copy()
        stopped = {line for line, fix in self.fixes.items() if fix["action"] == "stop_recover"}
        lines.loc[lines["line_id"].isin(stopped) & (lines["status"] == "returned"), "status"] = "stopped"
        villages = self.attempt.working.set_index("entry_id")["village"]
        lines["village"] = lines["entry_id"].map(villages)
        return lines[["line_id", "entry_id", "program", "village", "payee_name", "payee_id_number",
                      "account_number", "bank", "amount", "status", "code", "credited_at", "source_line_id"]]

    @action("finalize", read_only=False)
    def finalize(self) -> dict:
        if not self.closed:
            self.closed = True
            return self.attempt.finish_stage(score_payout(self))
        return self.attempt.feedback_for("payout")


def score_payout(payout: PayoutStage) -> StageScore:
    """Failures left unresolved and money paid to somebody else's account, as misses; the score
    comes from the harm ledger (money not received, days late)."""
    attempt = payout.attempt
    key = attempt.data.key.set_index("entry_id")
    lang = attempt.lang
    latest = payout.latest()
    kpis = payout._kpis()
    if latest.empty:
        return StageScore("payout", 100.0, kpis, [])
    first = payout.first_pass
    failed_first = first[first["status"] == "returned"]
    misses: list[Miss] = []
    resolved = 0
    final_of = latest.set_index("entry_id")
    for line in failed_first.to_dict("records"):
        final = final_of.loc[line["entry_id"]]
        fix = payout.fixes.get(final["line_id"]) or payout.fixes.get(line["line_id"], {})
        dead = line["code"] == "MD07"
        if (final["status"] == "credited") or (dead and fix.get("action") == "stop_recover"):
            resolved += 1
            continue
        misses.append(_payout_miss(line, final, dead, lang))
    # Whose account it is, not which number: a replacement card (补卡) or the payee's own
    # other account is right; only someone else's account is wrong.
    holders = payout.book.table["person_id"]
    payees = attempt.data.truth.set_index("entry_id")["payee_person_id"]
    credited = latest[latest["status"] == "credited"]
    holder = credited["account_number"].map(clean_card_number).map(holders).fillna("")
    wrong = int(((credited["entry_id"].map(key["fault"]) == "")
                 & (holder.to_numpy() != credited["entry_id"].map(payees).to_numpy())).sum())
    metrics = {**kpis, "first_pass_failures": int(len(failed_first)), "failures_resolved": resolved,
               "paid_to_other_account": wrong, "fixes_by_code": fixes_by_code(payout, failed_first)}
    return StageScore("payout", 100.0, metrics, misses)


def fixes_by_code(payout: PayoutStage, failed_first: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Per return code: lines the banks returned at first, and lines fixed right the first time —
    the first re-issue (补发, line id + "-R1") credited, or a dead payee's line stopped for
    recovery (the mastery of each code, platform/skills.py)."""
    status = dict(zip(payout.lines["line_id"], payout.lines["status"], strict=True))
    out: dict[str, dict[str, int]] = {}
    for line_id, code in zip(failed_first["line_id"], failed_first["code"], strict=True):
        fix = payout.fixes.get(line_id, {})
        right = (fix.get("action") == "stop_recover" if code == "MD07"
                 else status.get(f"{line_id}-R1") == "credited")
        counts = out.setdefault(str(code), {"returned": 0, "fixed_first_time": 0})
        counts["returned"] += 1
        counts["fixed_first_time"] += int(right)
    return dict(sorted(out.items()))


def _payout_miss(line: dict, final: pd.Series, dead: bool, lang: str) -> Miss:
    code = RETURN_CODES.get(line["code"])
    reason = (code.zh if lang == "zh" else code.en) if code else line["code"]
    fix = (code.what_to_do.zh if lang == "zh" else code.what_to_do.en) if code else ""
    if lang == "zh":
        title = f"退票未处理：{line['code']} {reason}"
        evidence = f"{line['line_id']} ¥{line['amount']:.2f} 于{line['returned_at']}退回，最终状态：{final['status']}"
        rule = "退票须核实原因、整改后补发；持卡人死亡的应停发并追回"
    else:
        title = f"returned payment left unresolved: {line['code']} {reason}"
        evidence = f"{line['line_id']} ¥{line['amount']:.2f} returned {line['returned_at']}; final status {final['status']}"
        rule = "every returned line is investigated, fixed and re-issued; a dead holder's line is stopped and recovered"
    return Miss(line["entry_id"], "unresolved_failure", line["code"], title, float(line["amount"]), evidence, rule, fix)
