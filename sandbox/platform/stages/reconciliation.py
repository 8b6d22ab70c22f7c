"""Reconciliation (对账): allocated = paid + returned + pending + unspent, to the fen.

Its harm is the money the statement misreports: per program half the sum of the cells' errors
(a yuan put in the wrong column is wrong twice), a program left out counting its whole budget
line; until a statement is filed, every budget line paid from is unaccounted for."""

from __future__ import annotations

import pandas as pd

from sandbox.common.parsing import parse_amount
from sandbox.common.submissions import read_table
from sandbox.errors import RowProblem, SubmissionError
from sandbox.platform.harm import HarmItem, item
from sandbox.platform.scoring import Miss, StageScore
from sandbox.platform.stages.base import Stage, action
from sandbox.platform.stages.sequence import STAGES

STATEMENT_COLUMNS = ["program", "allocated", "paid", "returned", "pending", "unspent"]
LABELS = {"allocated": ("指标", "allocated"), "paid": ("已发放", "paid"), "returned": ("退回", "returned"),
          "pending": ("在途", "pending"), "unspent": ("结余", "unspent")}


class ReconciliationStage(Stage):
    info = STAGES["reconciliation"]

    def __init__(self, attempt) -> None:
        super().__init__(attempt)
        self.misreported: dict[str, float] | None = None  # per program, once a statement is filed

    @action("template", read_only=True)
    def template(self) -> pd.DataFrame:
        """The statement to fill in: one row per program with a budget line."""
        budget = self.attempt.stages["payout"].budget()
        frame = budget[["program", "allocated"]].copy()
        for column in STATEMENT_COLUMNS[2:]:
            frame[column] = None
        return frame

    def truth(self) -> pd.DataFrame:
        """The platform's own statement from the bank results."""
        payout = self.attempt.stages["payout"]
        latest = payout.latest()
        budget = payout.budget().set_index("program")["allocated"]
        table = pd.DataFrame(index=budget.index)
        table["allocated"] = budget
        for status, column in (("credited", "paid"), ("returned", "returned"), ("pending", "pending")):
            part = latest[latest["status"] == status] if not latest.empty else latest
            sums = part.groupby("program")["amount"].sum() if not part.empty else pd.Series(dtype=float)
            table[column] = sums.reindex(table.index, fill_value=0.0)
        table["unspent"] = table["allocated"] - table["paid"] - table["returned"] - table["pending"]
        return table.round(2).reset_index().rename(columns={"index": "program"})

    @action("submit", read_only=False)
    def submit(self, statement: pd.DataFrame, source: str = "statement") -> dict:
        payout = self.attempt.stages["payout"]
        frame, _ = read_table(statement)
        problems: list[RowProblem] = []
        missing = [c for c in STATEMENT_COLUMNS if c not in frame.columns]
        if missing:
            raise SubmissionError(source, [RowProblem(None, c, "required column missing", zh="缺少这一列") for c in missing])
        truth = self.truth().set_index("program")
        values: dict[str, dict[str, float]] = {}
        for row in frame.to_dict("records"):
            program = str(row["program"]).strip()
            if program not in truth.index:
                problems.append(RowProblem(row["_row"], "program", f"{program!r} has no budget line",
                                           zh=f"{program!r} 没有资金指标"))
                continue
            if program in values:
                problems.append(RowProblem(row["_row"], "program", f"{program} appears twice", zh=f"{program} 出现了两次"))
            parsed = {}
            for column in STATEMENT_COLUMNS[1:]:
                try:
                    parsed[column] = parse_amount(row[column])
                except Exception:  # noqa: BLE001 - reported below with the row
                    problems.append(RowProblem(row["_row"], column, f"{row[column]!r} is not an amount",
                                               zh=f"{row[column]!r} 不是金额"))
            values[program] = parsed
        if problems:
            raise SubmissionError(source, problems)
        payout.finalize()
        self.misreported = misreported(values, truth)
        return self.attempt.finish_stage(score_statement(values, truth, self.attempt.lang))

    def harm_items(self, sent: bool) -> list[HarmItem]:
        """Money the statement misreports, per program (nothing before anything was paid)."""
        if not sent:
            return []
        scoring = self.attempt.scenario.scoring
        if self.misreported is None:
            budget = self.truth().set_index("program")["allocated"]
            return [item(scoring, "reconciliation", "misreported", program, float(amount), families=0,
                         note=("未提交对账单", "no statement filed")) for program, amount in budget.items()]
        return [item(scoring, "reconciliation", "misreported", program, amount, families=0)
                for program, amount in self.misreported.items() if amount > 0.005]


def misreported(values: dict[str, dict[str, float]], truth: pd.DataFrame) -> dict[str, float]:
    """Per program: half the sum of the cells' errors (a yuan in the wrong column is counted in
    two cells), at least the imbalance of the row; a program left out: its whole budget line."""
    out = {}
    for program, row in truth.iterrows():
        given = values.get(program)
        if not given:
            out[program] = float(row["allocated"])
            continue
        errors = sum(abs(given.get(c, 0.0) - float(row[c])) for c in STATEMENT_COLUMNS[1:])
        imbalance = abs(sum(given.get(c, 0.0) for c in STATEMENT_COLUMNS[2:]) - given.get("allocated", 0.0))
        out[program] = round(max(errors / 2, imbalance), 2)
    return out


def score_statement(values: dict[str, dict[str, float]], truth: pd.DataFrame, lang: str) -> StageScore:
    misses: list[Miss] = []
    cells = wrong = 0
    for program, row in truth.iterrows():
        given = values.get(program, {})
        for column in STATEMENT_COLUMNS[1:]:
            cells += 1
            expected = float(row[column])
            got = given.get(column)
            if got is None or abs(got - expected) > 0.005:
                wrong += 1
                misses.append(_miss(program, column, got, expected, lang))
        if given and abs(sum(given.get(c, 0.0) for c in STATEMENT_COLUMNS[2:]) - given.get("allocated", 0.0)) > 0.005:
            wrong += 1
            misses.append(_miss(program, "balance", None, 0.0, lang))
    metrics = {"cells": cells, "cells_wrong": wrong,
               "money_misreported": round(sum(misreported(values, truth).values()), 2)}
    return StageScore("reconciliation", 100.0, metrics, misses)


def _miss(program: str, column: str, got: float | None, expected: float, lang: str) -> Miss:
    zh, en = LABELS.get(column, ("平衡", "balance"))
    if column == "balance":
        title = "对账不平：指标 ≠ 已发放 + 退回 + 在途 + 结余" if lang == "zh" else \
            "statement does not balance: allocated ≠ paid + returned + pending + unspent"
        return Miss(program, "reconciliation", "", title, 0.0, program, title, "")
    shown = "—" if got is None else f"{got:,.2f}"
    if lang == "zh":
        return Miss(program, "reconciliation", "", f"{program} {zh}不符", abs((got or 0) - expected),
                    f"填报 {shown}，银行结果为 {expected:,.2f}", "对账须精确到分",
                    "按银行回盘文件逐行汇总：成功计入已发放，失败计入退回，补发成功的以新行为准")
    return Miss(program, "reconciliation", "", f"{program}: {en} does not match", abs((got or 0) - expected),
                f"you gave {shown}; the bank results give {expected:,.2f}", "reconcile to the fen",
                "sum the banks' result files line by line: credited → paid, failed → returned; "
                "a re-issued line counts once, as its latest line")
