"""监督检查 (supervision): about a month after payout an inspection compares what was paid with the
registries as known by then; the trainee names each improper payment, what to recover and how
to rectify it (整改). Its harm in the ledger: improper money it did not recover, and correct
money it would take back from families (sandbox.platform.harm_money)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sandbox.common.columns import canonical_column, header_zh
from sandbox.common.identifiers import clean_card_number
from sandbox.common.parsing import parse_amount, parse_date
from sandbox.common.submissions import ROW, read_table
from sandbox.common.text import CleaningError, clean_text
from sandbox.errors import AlreadyFinal, RowProblem, SandboxError, SubmissionError
from sandbox.irregularities import FAULTS, LOOK_ALIKES, Money, parse_reason
from sandbox.platform.procedure import require_confirmation
from sandbox.platform.scoring import COPY_FAULTS, Miss, StageScore, records
from sandbox.platform.stages.base import Stage, action
from sandbox.platform.stages.disclosure import CREDITED, issue_miss, period_payments
from sandbox.platform.stages.sequence import STAGES
from sandbox.world import verified_registries_at

INSPECTION_DELAY_DAYS = 30      # the inspection comes about a month after payout
RECTIFICATION_MAX_DAYS = 90     # 整改期限: at most three months after the inspection
WRONG_FAULT_CREDIT = 0.8

# --- supervision -----------------------------------------------------------------------------

FINDING_COLUMNS = ["line_id", "entry_id", "fault", "recover_amount", "rectification", "responsible",
                   "due_date", "note"]
# The vocabulary column (sandbox.common.columns) each finding column is read from: a
# finding's fault is the column a rejection's reason is (问题类型).
FINDING_SOURCES: dict[str, str] = {"line_id": "line_id", "entry_id": "entry_id", "fault": "reason",
                                   "recover_amount": "recover_amount", "rectification": "rectification",
                                   "responsible": "responsible", "due_date": "due_date", "note": "note"}
FINDING_HEADERS_ZH = {column: header_zh(source) for column, source in FINDING_SOURCES.items()}
_FINDING_OF_SOURCE = {source: column for column, source in FINDING_SOURCES.items()}
MIN_RECTIFICATION_CHARS = 4


@dataclass
class Finding:
    entry_id: str
    fault: str
    recover_amount: float
    rows: list[int]


class SupervisionStage(Stage):
    info = STAGES["supervision"]

    def __init__(self, attempt) -> None:
        super().__init__(attempt)
        self.inspection_date: dt.date | None = None
        self.findings: list[Finding] | None = None
        self._verified: dict[str, pd.DataFrame] | None = None  # registries on the inspection date

    # --- what the inspector sees -------------------------------------------------------------
    @action("start", read_only=False)
    def start(self) -> dict:
        """Begin the inspection, INSPECTION_DELAY_DAYS after payout (idempotent)."""
        if self.inspection_date is None:
            period_payments(self.attempt)  # nothing to inspect before payout
            self.attempt.clock.advance_days(INSPECTION_DELAY_DAYS)
            self.inspection_date = self.attempt.clock.now.date()
        return {"inspection_date": self.inspection_date.isoformat(),
                "rectification_due_by": (self.inspection_date + dt.timedelta(days=RECTIFICATION_MAX_DAYS)).isoformat()}

    @action("payments", read_only=False)  # starts the inspection (the clock moves on)
    def payments(self) -> pd.DataFrame:
        """Every payment line of the period (inspectors see full data)."""
        self.start()
        return period_payments(self.attempt).sort_values("line_id", kind="stable").reset_index(drop=True)

    @action("registries", read_only=False)  # starts the inspection (the clock moves on)
    def registry(self, name: str) -> pd.DataFrame:
        """A registry as its office confirms it on the inspection date: late deaths have
        caught up, and the stale, missing and conflicting rows review met are put right."""
        self.start()
        self.attempt.registry(name)  # an unknown name: the same error as review's
        if self._verified is None:
            self._verified = verified_registries_at(self.attempt.world, self.inspection_date)
        return self._verified[name].copy()

    @action("template", read_only=True)
    def findings_template(self) -> pd.DataFrame:
        return pd.DataFrame(columns=[FINDING_HEADERS_ZH[c] for c in FINDING_COLUMNS])

    # --- what the inspector does -------------------------------------------------------------
    @action("submit", read_only=False)
    def submit(self, findings: pd.DataFrame, source: str = "findings", confirm: bool = False) -> dict:
        """The inspection report: improper payments, recovery and rectification. Final: needs
        confirm=True (without it nothing changes, the inspection is not even started)."""
        if self.findings is not None:
            raise AlreadyFinal("检查报告已经提交过了，提交后即为定稿，不能换一份再交"
                               "（练习模式可用 s.try_again(\"supervision\") 再练一次）",
                               "the inspection report was submitted already; it is final "
                               "(in practice, s.try_again(\"supervision\") gives another try)")
        period_payments(self.attempt)  # nothing to inspect before payout
        # Checked first, on the date the inspection has (or would have): a refusal changes nothing.
        inspection = self.inspection_date or (self.attempt.clock.now + dt.timedelta(days=INSPECTION_DELAY_DAYS)).date()
        found = self._read(findings, source, inspection)
        require_confirmation("supervision.submit", confirm)
        self.start()
        self.findings = found
        return self.attempt.finish_stage(self._score())

    def _read(self, findings: pd.DataFrame, source: str, inspection: dt.date) -> list[Finding]:
        if findings.empty:
            return []
        frame, name = read_table(findings, name=source)
        frame = _finding_columns(frame, name)
        lines = period_payments(self.attempt)
        return read_findings(frame, lines, inspection, name)

    def _score(self) -> StageScore:
        key = self.attempt.data.key
        targets = improper_payments(key, period_payments(self.attempt))
        return score_supervision(key, targets, self.findings or [], self.attempt.scenario, self.attempt.lang,
                                 self.inspection_date)


def _finding_columns(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    headers = frame.attrs.get("headers", {})
    renamed, typed = {}, {}
    problems = []
    for column in frame.columns:
        if column == ROW:
            continue
        target = _FINDING_OF_SOURCE.get(canonical_column(column) or "")
        if target is None:
            continue  # other columns (name, amount…) are the inspector's notes
        if target in typed:
            problems.append(RowProblem(1, headers.get(column, column),
                                       f"means the same as {typed[target]!r} ({target}); keep one",
                                       zh=f"与“{typed[target]}”是同一列，只保留一个"))
        typed.setdefault(target, headers.get(column, column))
        renamed[column] = target
    if "line_id" not in typed and "entry_id" not in typed:
        problems.append(RowProblem(1, "", "no line_id (支付明细编号) or entry_id (序号) column",
                                    zh="缺少“支付明细编号”或“序号”列"))
    for need in ("fault", "recover_amount", "rectification", "responsible", "due_date"):
        if need not in typed:
            problems.append(RowProblem(1, "", f"no {need} column ({FINDING_HEADERS_ZH[need]})",
                                        zh=f"缺少“{FINDING_HEADERS_ZH[need]}”列"))
    if problems:
        raise SubmissionError(name, problems)
    out = frame.rename(columns=renamed)
    out.attrs["headers"] = typed
    for column in FINDING_COLUMNS:
        if column not in out:
            out[column] = ""
    return out


def read_findings(frame: pd.DataFrame, lines: pd.DataFrame, inspection: dt.date, name: str) -> list[Finding]:
    """Findings, one per entry; every problem of the table raised at once (nothing recorded)."""
    headers = frame.attrs.get("headers", {})
    credited = lines[lines["status"] == CREDITED]
    entry_of_line = dict(zip(lines["line_id"].astype(str), lines["entry_id"].astype(str), strict=True))
    paid = credited.groupby("entry_id")["amount"].sum().round(2).to_dict()
    problems: list[RowProblem] = []

    def problem(row: int, column: str, text: str, zh: str = "") -> None:
        problems.append(RowProblem(row, headers.get(column, column), text, zh=zh))

    by_entry: dict[str, Finding] = {}
    for record in frame.to_dict("records"):
        row = int(record[ROW])
        entry = _finding_entry(record, entry_of_line, paid, row, problem)
        fault = _finding_fault(record["fault"], row, problem)
        amount = _finding_amount(record["recover_amount"], row, problem)
        _check_rectification(record, inspection, row, problem)
        if entry is None or fault is None or amount is None:
            continue
        if amount > paid.get(entry, 0.0) + 0.005:
            problem(row, "recover_amount", f"¥{amount:.2f} is more than the ¥{paid.get(entry, 0.0):.2f} "
                    f"credited for {entry}", f"追回 ¥{amount:.2f} 超过了 {entry} 实际到账的 ¥{paid.get(entry, 0.0):.2f}")
            continue
        earlier = by_entry.get(entry)
        if earlier is None:
            by_entry[entry] = Finding(entry, fault, amount, [row])
        elif earlier.fault != fault:
            problem(row, "fault", f"{entry} is named as {FAULTS[earlier.fault].zh} in row {earlier.rows[0]} "
                    f"and as {FAULTS[fault].zh} here; one payment has one finding",
                    f"{entry} 在第 {earlier.rows[0]} 行定为{FAULTS[earlier.fault].zh}，这里又定为{FAULTS[fault].zh}；"
                    "一笔发放只写一条问题")
        else:
            earlier.recover_amount = round(earlier.recover_amount + amount, 2)
            earlier.rows.append(row)
    if problems:
        raise SubmissionError(name, sorted(problems, key=lambda p: p.row or 0))
    return list(by_entry.values())


def _finding_entry(record: dict, entry_of_line: dict[str, str], paid: dict[str, float], row: int,
                   problem) -> str | None:
    line_id, entry_id = clean_text(record["line_id"]), clean_text(record["entry_id"])
    if line_id:
        if line_id not in entry_of_line:
            problem(row, "line_id", f"unknown payment line {line_id!r}", f"没有支付明细 {line_id!r}")
            return None
        if entry_id and entry_id != entry_of_line[line_id]:
            problem(row, "entry_id", f"line {line_id} pays entry {entry_of_line[line_id]}, not {entry_id}",
                    f"明细 {line_id} 发给的是条目 {entry_of_line[line_id]}，不是 {entry_id}")
            return None
        entry_id = entry_of_line[line_id]
    if not entry_id:
        problem(row, "line_id", "empty; name the payment line (支付明细编号) or the entry (序号)",
                "空白：请填写支付明细编号或序号")
        return None
    if entry_id not in paid:
        problem(row, "entry_id", f"nothing was credited for {entry_id!r}; only paid money can be recovered",
                f"{entry_id!r} 没有到账的钱；只能追回已经发出的资金")
        return None
    return entry_id


def _finding_fault(text: object, row: int, problem) -> str | None:
    try:
        return parse_reason(str(text))
    except SandboxError as exc:
        problem(row, "fault", exc.en, exc.zh)
        return None


def _finding_amount(text: object, row: int, problem) -> float | None:
    if not clean_text(text):
        problem(row, "recover_amount", "empty; type the amount to recover in yuan (0 if none)",
                "空白：请填写要追回的金额（元），没有则填 0")
        return None
    try:
        amount = parse_amount(text)
    except CleaningError as exc:
        problem(row, "recover_amount", exc.en, exc.zh)
        return None
    if amount < 0:
        problem(row, "recover_amount", f"{amount:.2f} is negative; expected the amount to recover in yuan",
                f"{amount:.2f} 是负数；请填写要追回的金额（元）")
        return None
    return amount


def _check_rectification(record: dict, inspection: dt.date, row: int, problem) -> None:
    if len(clean_text(record["rectification"])) < MIN_RECTIFICATION_CHARS:
        problem(row, "rectification", "say what must be done (整改要求), e.g. 停发并追回资金，补充入户核查记录",
                "请写明整改要求，例如：停发并追回资金，补充入户核查记录")
    if not clean_text(record["responsible"]):
        problem(row, "responsible", "empty; name who must do it (整改责任单位/责任人), e.g. 张集镇民政所",
                "空白：请写明整改责任单位或责任人，例如：张集镇民政所")
    latest = inspection + dt.timedelta(days=RECTIFICATION_MAX_DAYS)
    try:
        due = parse_date(record["due_date"])
    except CleaningError as exc:
        problem(row, "due_date", exc.en, exc.zh)
        return
    if not inspection < due <= latest:
        problem(row, "due_date", f"{due} is outside the rectification window: after the inspection "
                f"({inspection}) and by {latest}", f"{due} 不在整改期限内：应在检查日（{inspection}）之后、{latest} 之前")


# --- the truth about the payments ------------------------------------------------------------


def improper_payments(key: pd.DataFrame, payments: pd.DataFrame) -> pd.DataFrame:
    """Per entry: the credited money that should not have been paid, and which fault it is.

    Columns: entry_id, fault, paid, improper, lines. Besides the planted faults, an entry
    credited more than its entitlement (a payment made twice) counts as a duplicate.
    """
    credited = payments[payments["status"] == CREDITED].copy()
    credited["amount"] = credited["amount"].astype(float)
    paid = credited.groupby("entry_id")["amount"].sum().to_dict()
    lines = credited.groupby("entry_id")["line_id"].apply(lambda s: ",".join(map(str, s))).to_dict()
    rows = []
    for entry in records(key):
        entry_id, fault = entry["entry_id"], entry["fault"]
        got = round(paid.get(entry_id, 0.0), 2)
        if not got:
            continue
        improper, code = _improper(entry, got, credited, paid)
        if improper > 0.005:
            rows.append({"entry_id": entry_id, "fault": code, "paid": got, "improper": round(improper, 2),
                         "lines": lines[entry_id], "planted": bool(fault)})
    return pd.DataFrame(rows, columns=["entry_id", "fault", "paid", "improper", "lines", "planted"])


def _improper(entry: dict, got: float, credited: pd.DataFrame, paid: dict[str, float]) -> tuple[float, str]:
    """The improper part of what an entry was credited, and the irregularity it counts as
    (what its type's money is; a correct entry counts only what was credited twice)."""
    fault = entry["fault"]
    money = FAULTS[fault].money if fault else Money.ENTITLED
    if money == Money.NOT_ENTITLED:
        return got, fault
    if money == Money.SECOND_PAYMENT:
        # The copy is improper only when the original was paid too.
        return (got if paid.get(entry["duplicate_of"], 0.0) > 0 else 0.0), fault
    if money == Money.WRONG_ACCOUNT:
        mine = credited[credited["entry_id"] == entry["entry_id"]]
        own = clean_card_number(str(entry["true_account_number"]))
        wrong = mine[mine["account_number"].map(lambda a: clean_card_number(str(a))) != own]["amount"].sum()
        return float(wrong), fault
    entitled = float(entry["true_amount"])
    if money == Money.OVERPAID:
        return max(0.0, got - entitled), fault
    # A correct entry (or a slip of typing): only what was credited twice is improper.
    return max(0.0, got - entitled), FAULTS.payment_made_twice().code


def score_supervision(key: pd.DataFrame, targets: pd.DataFrame, findings: list[Finding], scenario: Any,
                      lang: str, inspection: dt.date | None) -> StageScore:
    """Misses and metrics: improper money found and recovered, false accusations (the score comes
    from the harm ledger)."""
    by_entry = {f.entry_id: f for f in findings}
    _credit_duplicate_originals(key, targets, by_entry)
    keyed = key.set_index("entry_id")
    misses: list[Miss] = []
    found = recovered = 0.0
    for target in targets.to_dict("records"):
        finding = by_entry.pop(target["entry_id"], None)
        row = keyed.loc[target["entry_id"]]
        credit, money, over, miss = _judge(target, finding, row, lang)
        found += credit
        recovered += money
        if miss:
            misses.append(miss)
    improper_total = float(targets["improper"].sum())
    for finding in by_entry.values():  # what is left accuses correct payments
        misses.append(_false_accusation(finding, keyed.loc[finding.entry_id], lang))
    money_share = recovered / improper_total if improper_total else 1.0
    metrics = {
        "inspection_date": inspection.isoformat() if inspection else None,
        "improper_paid": len(targets), "money_improper_paid": round(improper_total, 2),
        "found": round(found, 2), "money_recovered": round(recovered, 2),
        "money_recovered_share": round(money_share, 4), "false_accusations": len(by_entry),
        "findings": len(findings),
        "by_type": {code: int(n) for code, n in targets["fault"].value_counts().sort_index().items()},
    }
    return StageScore("supervision", 100.0, metrics, misses)


def _credit_duplicate_originals(key: pd.DataFrame, targets: pd.DataFrame, by_entry: dict[str, Finding]) -> None:
    """A duplicate pair is one case: a finding on the original counts for the paid copy."""
    copies = key[key["fault"].isin(COPY_FAULTS)].set_index("entry_id")["duplicate_of"].to_dict()
    for copy_id, fault in targets.loc[targets["fault"].isin(COPY_FAULTS), ["entry_id", "fault"]].itertuples(index=False):
        original = copies.get(copy_id)
        if copy_id not in by_entry and original in by_entry and by_entry[original].fault == fault:
            by_entry[copy_id] = by_entry.pop(original)


def _judge(target: dict, finding: Finding | None, row: pd.Series, lang: str) -> tuple[float, float, float, Miss | None]:
    """(case credit, money recovered, money over-recovered, miss) for one improper payment."""
    fault, improper = target["fault"], float(target["improper"])
    evidence = _target_evidence(target, row, lang)
    if finding is None:
        return 0.0, 0.0, 0.0, _fault_miss(target["entry_id"], "not_found", fault, improper, evidence, lang)
    credit = 1.0 if finding.fault == fault else WRONG_FAULT_CREDIT
    recover = finding.recover_amount
    if abs(recover - improper) <= 0.01:
        money, over, kind = improper, 0.0, ("" if credit == 1.0 else "wrong_fault")
    elif recover < improper:
        money, over, kind = recover, 0.0, "under_recovery"
    else:
        money, over, kind = improper, recover - improper, "over_recovery"
    if kind:
        evidence += (f"；应追回{improper:.2f}元，认定追回{recover:.2f}元" if lang == "zh"
                     else f"; recover ¥{improper:.2f}, you named ¥{recover:.2f}")
        return credit, money, over, _fault_miss(target["entry_id"], kind, fault, improper, evidence, lang)
    return credit, money, over, None


_SUPERVISION_KINDS = {
    "not_found": ("检查未发现的问题资金", "improper payment the inspection missed"),
    "wrong_fault": ("问题定性不准", "improper payment named as the wrong irregularity"),
    "under_recovery": ("追回金额不足", "recovery below what was paid improperly"),
    "over_recovery": ("追回金额过多", "recovery above what was paid improperly"),
}


def _fault_miss(entry_id: str, kind: str, fault: str, amount: float, evidence: str, lang: str) -> Miss:
    zh, en = _SUPERVISION_KINDS[kind]
    f = FAULTS[fault]
    title = f"{zh}：{f.zh}" if lang == "zh" else f"{en}: {f.en}"
    return Miss(entry_id, kind, fault, title, round(amount, 2), evidence, f.rule(lang), f.tip(lang))


def _target_evidence(target: dict, row: pd.Series, lang: str) -> str:
    planted = row["evidence_zh"] if lang == "zh" else row["evidence_en"]
    if target["planted"] and planted:
        return f"{planted}（支付明细 {target['lines']}）" if lang == "zh" else f"{planted} (lines {target['lines']})"
    return (f"支付明细 {target['lines']} 共入账{target['paid']:.2f}元，多于应发{target['paid'] - target['improper']:.2f}元"
            if lang == "zh" else f"lines {target['lines']} credited ¥{target['paid']:.2f}, more than the "
            f"¥{target['paid'] - target['improper']:.2f} due")


def _false_accusation(finding: Finding, row: pd.Series, lang: str) -> Miss:
    alike = LOOK_ALIKES.get(str(row["look_alike"] or ""))
    why = (alike.why_zh if lang == "zh" else alike.why_en) if alike else (
        "该笔发放合规、金额正确" if lang == "zh" else "this payment was correct and of the right amount")
    text = (f"认定为{FAULTS[finding.fault].zh}、追回{finding.recover_amount:.2f}元；{why}" if lang == "zh"
            else f"named {FAULTS[finding.fault].en}, recover ¥{finding.recover_amount:.2f}; {why}")
    miss = issue_miss(finding.entry_id, "false_accusation", "false_accusation", finding.recover_amount, text, lang)
    if alike:
        miss.tip = alike.tip(lang)
    return miss
