"""Disclosure and supervision (信息公开、监督检查), the last two stages of an attempt.

Disclosure: the trainee publishes the period's results in the public column (一个专栏管公开)
— who received what, from which program, for which period — with personal data masked
per `scenario.masking`. The platform checks every cell for leaks (sandbox.masking) and
compares the table with what the banks credited.

Supervision: some simulated weeks after payout the trainee, now an inspector, runs the
comparisons of domain.md over the period's payments (with a death register that has
caught up since), names each improper payment, how much to recover (追回) and who must
rectify what by when (整改). Findings are scored against the answer key.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sandbox import programs as program_catalogue
from sandbox.errors import RowProblem, SandboxError, SubmissionError
from sandbox.faults import FAULTS, LOOK_ALIKES, parse_reason
from sandbox.masking import (
    FINDING_KINDS,
    PrivacyFinding,
    canonical_column,
    check_published,
    mask_id_number,
    mask_name,
)
from sandbox.normalize import CleaningError, clean_card_number, clean_text, parse_amount, parse_date
from sandbox.scenario import ZHOUKOU_COUNTIES
from sandbox.scoring import Miss, StageScore
from sandbox.stages.base import Stage, action
from sandbox.submissions import ROW, read_table

CREDITED = "credited"
INSPECTION_DELAY_DAYS = 30      # the inspection comes about a month after payout
RECTIFICATION_MAX_DAYS = 90     # 整改期限: at most three months after the inspection
SHOWN_PER_KIND = 20             # named misses per kind; the rest are summarised in one line
MONEY_SHARE = 0.6               # as in review: money matters more than case counts
WRONG_FAULT_CREDIT = 0.8
FALSE_ACCUSATION_POINTS = 5.0   # per finding on a correct payment (×vulnerable multiplier)
NO_PERIOD_POINTS = 5.0
SEVERE_PRIVACY = {"full_id", "full_card", "phone"}  # the rest (address detail…) count half

# Stage-level issues that are not irregularities of the roster (report groups them too).
ISSUES: dict[str, tuple[str, str, str, str]] = {
    "privacy": ("隐私泄露", "privacy leak",
                "公开表只显示姓名、身份证号前6位和后4位、卡号后4位，不含电话和村以下地址",
                "publish the name, the ID's first 6 and last 4 characters, the card's last 4 digits; "
                "no phone, no address below the village"),
    "not_published": ("漏公开", "paid but not published",
                      "本期每一笔已入账的补贴都要公开", "publish every payment credited this period"),
    "amount_mismatch": ("公开金额与实发不符", "published amount differs from what was paid",
                        "公开金额以银行实际入账为准", "publish what the bank actually credited"),
    "not_paid_published": ("公开了未发放的记录", "published a payment that was not made",
                           "只公开本期实际入账的记录", "publish only payments credited this period"),
    "no_period": ("未注明发放期间", "period not shown",
                  "公开表须注明发放期间", "the public table must say which period it covers"),
    "false_accusation": ("误认定问题资金", "correct payment flagged as improper",
                         "认定问题前先核实证据，合规发放不应追回",
                         "check the evidence before naming a payment improper; a correct payment is not recovered"),
}
ISSUE_TIPS: dict[str, tuple[str, str]] = {
    "privacy": ("用 sandbox.masking.publish_table 导出公开表，发布前用 check_published 自查",
                "export with sandbox.masking.publish_table and run check_published before publishing"),
    "not_published": ("以已入账明细为底稿，公开前核对行数", "start from the credited lines and count rows before publishing"),
    "amount_mismatch": ("金额直接取自入账明细，不要手工改动", "take amounts from the credited lines; do not retype them"),
    "not_paid_published": ("退票、未发放的记录不公开", "returned or unpaid lines are not published"),
    "no_period": ("加上“发放期间”列", "add a 发放期间 (period) column"),
    "false_accusation": ("每条认定都要有登记中的证据；死亡在发放期开始之后、户主代领等属正常情况",
                         "every finding needs registry evidence; a death after the period start or a head's card is normal"),
}


def issue_name(code: str, lang: str) -> str:
    """The zh/en name of a stage issue or fault code (for reports)."""
    if code in FAULTS:
        return FAULTS[code].name(lang)
    if code in ISSUES:
        return ISSUES[code][0 if lang == "zh" else 1]
    return code


def issue_tip(code: str, lang: str) -> str:
    if code in FAULTS:
        return FAULTS[code].tip(lang)
    if code in ISSUE_TIPS:
        return ISSUE_TIPS[code][0 if lang == "zh" else 1]
    return ""


def _issue_miss(ref: str, code: str, kind: str, amount: float, evidence: str, lang: str) -> Miss:
    zh, en, rule_zh, rule_en = ISSUES[code]
    return Miss(ref, kind, code, zh if lang == "zh" else en, round(amount, 2), evidence,
                rule_zh if lang == "zh" else rule_en, issue_tip(code, lang))


# --- what was paid --------------------------------------------------------------------------


def period_payments(attempt) -> pd.DataFrame:
    """Every payment line of the period, from the payout stage."""
    payout = attempt.stages.get("payout")
    if payout is None:
        raise SandboxError("payout is not available on this platform, so there is nothing to publish or inspect")
    payments = payout.payments()
    if payments.empty:
        raise SandboxError("nothing has been paid yet: send the payment request first (s.payout)")
    return payments.copy()


def credited_lines(attempt) -> pd.DataFrame:
    payments = period_payments(attempt)
    credited = payments[payments["status"] == CREDITED].copy()
    credited["amount"] = credited["amount"].astype(float).round(2)
    return credited.sort_values("line_id", kind="stable").reset_index(drop=True)


def _program_names(attempt) -> dict[str, tuple[str, str]]:
    return {p.code: (p.zh, p.en) for p in program_catalogue.catalogue(attempt.scenario)}


def _program_code(value: object, names: dict[str, tuple[str, str]]) -> str | None:
    text = clean_text(value)
    for code, (zh, en) in names.items():
        if text in (code, zh) or text.lower() == en.lower():
            return code
    return None


# --- disclosure ------------------------------------------------------------------------------


@dataclass
class Publication:
    """What the platform checked in one published table."""

    findings: list[PrivacyFinding]
    rows: int
    groups: int
    missing: list[dict]
    mismatched: list[dict]
    extra: list[int]         # spreadsheet rows published that match no payment
    period_shown: bool


class DisclosureStage(Stage):
    name = "disclosure"

    def __init__(self, attempt) -> None:
        super().__init__(attempt)
        self.published: pd.DataFrame | None = None

    @action("draft")
    def draft(self) -> pd.DataFrame:
        """The credited lines with full personal data: the trainee masks them before publishing."""
        credited = credited_lines(self.attempt)
        persons = self.attempt.world.persons.drop_duplicates("id_number").set_index("id_number")
        households = self.attempt.world.households.set_index("household_id")
        ids = credited["payee_id_number"]
        household = ids.map(persons["household_id"])
        names = _program_names(self.attempt)
        return pd.DataFrame({
            "line_id": credited["line_id"], "entry_id": credited["entry_id"],
            "county": ids.map(persons["county_code"]).map(ZHOUKOU_COUNTIES).fillna(""),
            "township": ids.map(persons["township"]).fillna(""),
            "village": credited["village"],
            "address": household.map(households["address"]).fillna(credited["village"]),
            "name": credited["payee_name"], "id_number": ids,
            "phone": ids.map(persons["phone"]).fillna(""),
            "account_number": credited["account_number"], "bank": credited["bank"],
            "program": credited["program"].map(lambda c: names.get(c, (c, c))[0]),
            "program_code": credited["program"],
            "period": self.attempt.scenario.calendar.period_label,
            "amount": credited["amount"],
            "credited_at": credited["credited_at"],
        })

    @action("policy")
    def policy(self) -> dict:
        """The masking policy of this scenario (what may be shown)."""
        return self.attempt.scenario.masking.model_dump()

    @action("publish")
    def publish(self, table: pd.DataFrame, source: str = "publication") -> dict:
        """Publish the public-column table; it is checked and scored, and cannot be withdrawn."""
        if self.published is not None:
            raise SandboxError("the results are published already; a publication cannot be withdrawn")
        frame, name = read_table(table, name=source)
        checked = self._check(frame, name)
        self.published = frame
        return self.attempt.finish_stage(self._score(checked))

    # --- checks ------------------------------------------------------------------------------
    def _check(self, frame: pd.DataFrame, name: str) -> Publication:
        columns = _public_columns(frame)
        _require_columns(columns, frame, name)
        draft = self.draft()
        rows = frame[ROW].tolist()
        body = frame.drop(columns=[ROW]).rename(columns=frame.attrs.get("headers", {}))
        findings = [_at_sheet_row(f, rows) for f in
                    check_published(body, draft, self.attempt.scenario.masking)]
        published = self._published_keys(frame, columns, name)
        expected = self._expected(draft, use_id="id_number" in columns)
        return _compare(published, expected, findings, len(frame), "period" in columns)

    def _person_key(self, id_number: object, name: object, use_id: bool) -> str:
        policy = self.attempt.scenario.masking
        return mask_id_number(id_number, policy) if use_id else mask_name(name, policy)

    def _expected(self, draft: pd.DataFrame, use_id: bool) -> pd.DataFrame:
        keys = [self._person_key(i, n, use_id) for i, n in zip(draft["id_number"], draft["name"], strict=True)]
        return (draft.assign(person=keys).groupby(["person", "program_code"], sort=True)
                .agg(amount=("amount", "sum"), entry_id=("entry_id", "first"), name=("name", "first"))
                .reset_index())

    def _published_keys(self, frame: pd.DataFrame, columns: dict[str, str], name: str) -> pd.DataFrame:
        names = _program_names(self.attempt)
        problems, rows = [], []
        use_id = "id_number" in columns
        for record in frame.to_dict("records"):
            row = int(record[ROW])
            program = _program_code(record[columns["program"]], names)
            try:
                amount = parse_amount(record[columns["amount"]])
            except CleaningError as exc:
                problems.append(RowProblem(row, columns["amount"], str(exc)))
                continue
            person = self._person_key(record.get(columns.get("id_number", ""), ""),
                                      record.get(columns.get("name", ""), ""), use_id)
            rows.append({"row": row, "person": person, "program_code": program or "?", "amount": amount})
        if problems:
            raise SubmissionError(name, problems)
        return pd.DataFrame(rows, columns=["row", "person", "program_code", "amount"])

    # --- score -------------------------------------------------------------------------------
    def _score(self, checked: Publication) -> StageScore:
        lang = self.attempt.lang
        weight = self.attempt.scenario.scoring.privacy_violation
        severe = sum(f.kind in SEVERE_PRIVACY for f in checked.findings)
        minor = len(checked.findings) - severe
        groups = max(checked.groups, 1)
        completeness = 1 - len(checked.missing) / groups
        accuracy = max(0.0, 1 - (len(checked.mismatched) + len(checked.extra)) / groups)
        score = (100 * (0.6 * completeness + 0.4 * accuracy) - weight * (severe + 0.5 * minor)
                 - (0 if checked.period_shown else NO_PERIOD_POINTS))
        metrics = {
            "published_rows": checked.rows, "paid_groups": checked.groups,
            "privacy_violations": len(checked.findings), "privacy_severe": severe,
            "privacy_by_kind": _count_by(f.kind for f in checked.findings),
            "rows_missing": len(checked.missing), "amount_mismatches": len(checked.mismatched),
            "rows_extra": len(checked.extra), "period_shown": checked.period_shown,
        }
        return StageScore("disclosure", max(0.0, min(100.0, score)), metrics, self._misses(checked, lang))

    def _misses(self, checked: Publication, lang: str) -> list[Miss]:
        misses = _privacy_misses(checked.findings, lang)
        names = _program_names(self.attempt)
        zh = lang == "zh"

        def program(code: str) -> str:
            return names.get(code, (code, code))[0 if zh else 1]

        for group in checked.missing:
            text = (f"{group['person']} 的{program(group['program_code'])}已入账{group['amount']:.2f}元，公开表中没有"
                    if zh else f"{group['person']}: {program(group['program_code'])} ¥{group['amount']:.2f} "
                    "was credited but is not in the published table")
            misses.append(_issue_miss(group["entry_id"], "not_published", "not_published", group["amount"], text, lang))
        for group in checked.mismatched:
            text = (f"{group['person']} 的{program(group['program_code'])}实发{group['amount']:.2f}元，"
                    f"公开{group['published']:.2f}元" if zh else
                    f"{group['person']}: {program(group['program_code'])} paid ¥{group['amount']:.2f}, "
                    f"published ¥{group['published']:.2f}")
            misses.append(_issue_miss(group["entry_id"], "amount_mismatch", "amount_mismatch",
                                      abs(group["amount"] - group["published"]), text, lang))
        for row in checked.extra:
            text = f"第{row}行与本期任何入账记录都对不上" if zh else f"row {row} matches no payment credited this period"
            misses.append(_issue_miss(f"row {row}", "not_paid_published", "not_paid_published", 0.0, text, lang))
        if not checked.period_shown:
            text = "公开表没有“发放期间”列" if zh else "the table has no period (发放期间) column"
            misses.append(_issue_miss("—", "no_period", "no_period", 0.0, text, lang))
        return _capped(misses, lang)


def _public_columns(frame: pd.DataFrame) -> dict[str, str]:
    """canonical public column -> the frame's column (first spelling wins)."""
    found: dict[str, str] = {}
    for column in frame.columns:
        canonical = canonical_column(column) or str(column)
        found.setdefault(canonical, column)
    return found


def _require_columns(columns: dict[str, str], frame: pd.DataFrame, name: str) -> None:
    problems = []
    headers = frame.attrs.get("headers", {})
    typed = ", ".join(headers.get(c, str(c)) for c in frame.columns if c != ROW)
    for need, example in (("program", "补贴项目"), ("amount", "金额(元)")):
        if need not in columns:
            problems.append(RowProblem(1, "", f"no {need} column ({example}); the table has: {typed}"))
    if "name" not in columns and "id_number" not in columns:
        problems.append(RowProblem(1, "", f"no name (姓名) or ID (身份证号) column; the table has: {typed}"))
    if problems:
        raise SubmissionError(name, problems)


def _at_sheet_row(finding: PrivacyFinding, rows: list[int]) -> PrivacyFinding:
    """The checker counts rows by position; the trainee's sheet may skip blank rows."""
    if finding.row is None or not 2 <= finding.row < len(rows) + 2:
        return finding
    return PrivacyFinding(rows[finding.row - 2], finding.column, finding.kind, finding.shown)


def _compare(published: pd.DataFrame, expected: pd.DataFrame, findings: list[PrivacyFinding],
             rows: int, period_shown: bool) -> Publication:
    sums = published.groupby(["person", "program_code"])["amount"].sum()
    missing, mismatched = [], []
    matched = set()
    for group in expected.to_dict("records"):
        key = (group["person"], group["program_code"])
        if key not in sums.index:
            missing.append(group)
            continue
        matched.add(key)
        if abs(float(sums[key]) - group["amount"]) > 0.005:
            mismatched.append(group | {"published": round(float(sums[key]), 2)})
    extra = [int(r["row"]) for r in published.to_dict("records")
             if (r["person"], r["program_code"]) not in matched]
    return Publication(findings, rows, len(expected), missing, mismatched, extra, period_shown)


def _privacy_misses(findings: list[PrivacyFinding], lang: str) -> list[Miss]:
    zh = lang == "zh"
    out = []
    for f in findings:
        where = (f"第{f.row}行" if zh else f"row {f.row}") if f.row is not None else ("整列" if zh else "every row")
        label = FINDING_KINDS[f.kind][0 if zh else 1]
        text = f"{where}，“{f.column}”列：{label}（{f.shown}）" if zh else f"{where}, column {f.column!r}: {label} ({f.shown})"
        miss = _issue_miss(where, "privacy", f.kind, 0.0, text, lang)
        miss.title = f"{miss.title}：{label}" if zh else f"{miss.title}: {label}"
        out.append(miss)
    return out


def _capped(misses: list[Miss], lang: str) -> list[Miss]:
    """At most SHOWN_PER_KIND misses of each kind, then one line saying how many more."""
    shown: dict[str, int] = {}
    out = []
    for miss in misses:
        shown[miss.kind] = shown.get(miss.kind, 0) + 1
        if shown[miss.kind] <= SHOWN_PER_KIND:
            out.append(miss)
    for kind, n in shown.items():
        if n > SHOWN_PER_KIND:
            first = next(m for m in misses if m.kind == kind)
            more = n - SHOWN_PER_KIND
            text = f"同类问题还有{more}处" if lang == "zh" else f"{more} more of the same kind"
            out.append(Miss("…", kind, first.fault, first.title, 0.0, text, first.rule, first.tip))
    return out


def _count_by(values) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


# --- supervision -----------------------------------------------------------------------------

FINDING_COLUMNS = ["line_id", "entry_id", "fault", "recover_amount", "rectification", "responsible",
                   "due_date", "note"]
FINDING_HEADERS_ZH = {"line_id": "支付明细编号", "entry_id": "序号", "fault": "问题类型",
                      "recover_amount": "追回金额", "rectification": "整改要求",
                      "responsible": "整改责任单位", "due_date": "整改期限", "note": "备注"}
FINDING_ALIASES: dict[str, tuple[str, ...]] = {
    "line_id": ("line_id", "支付明细编号", "明细编号", "流水号", "支付编号"),
    "entry_id": ("entry_id",),
    "fault": ("fault", "reason", "问题类型", "问题", "问题类别", "违规类型", "违规问题"),
    "recover_amount": ("recover_amount", "recover", "recovery", "追回金额", "追回", "应追回金额", "追缴金额"),
    "rectification": ("rectification", "整改要求", "整改", "整改措施", "整改意见"),
    "responsible": ("responsible", "整改责任单位", "责任单位", "责任人", "整改责任人"),
    "due_date": ("due_date", "due", "整改期限", "期限", "完成时限", "整改时限"),
    "note": ("note",),
}
_FINDING_ALIAS_TO_COLUMN = {a.lower(): c for c, aliases in FINDING_ALIASES.items() for a in aliases}
MIN_RECTIFICATION_CHARS = 4
_UNIT_SUFFIX = re.compile(r"[(（][^()（）]*[)）]\s*$")  # "追回金额（元）"


@dataclass
class Finding:
    entry_id: str
    fault: str
    recover_amount: float
    rows: list[int]


class SupervisionStage(Stage):
    name = "supervision"

    def __init__(self, attempt) -> None:
        super().__init__(attempt)
        self.inspection_date: dt.date | None = None
        self.findings: list[Finding] | None = None

    # --- what the inspector sees -------------------------------------------------------------
    @action("start")
    def start(self) -> dict:
        """Begin the inspection, INSPECTION_DELAY_DAYS after payout (idempotent)."""
        if self.inspection_date is None:
            period_payments(self.attempt)  # nothing to inspect before payout
            self.attempt.clock.advance_days(INSPECTION_DELAY_DAYS)
            self.inspection_date = self.attempt.clock.now.date()
        return {"inspection_date": self.inspection_date.isoformat(),
                "rectification_due_by": (self.inspection_date + dt.timedelta(days=RECTIFICATION_MAX_DAYS)).isoformat()}

    @action("payments")
    def payments(self) -> pd.DataFrame:
        """Every payment line of the period (inspectors see full data)."""
        self.start()
        return period_payments(self.attempt).sort_values("line_id", kind="stable").reset_index(drop=True)

    @action("registries")
    def registry(self, name: str) -> pd.DataFrame:
        """A registry as its office knows it on the inspection date (deaths have caught up)."""
        self.start()
        if name == "deaths":
            return updated_deaths(self.attempt, self.inspection_date)
        return self.attempt.registry(name)

    @action("template")
    def findings_template(self) -> pd.DataFrame:
        return pd.DataFrame(columns=[FINDING_HEADERS_ZH[c] for c in FINDING_COLUMNS])

    # --- what the inspector does -------------------------------------------------------------
    @action("submit")
    def submit(self, findings: pd.DataFrame, source: str = "findings") -> dict:
        """The inspection report: improper payments, recovery and rectification. Final."""
        self.start()
        if self.findings is not None:
            raise SandboxError("the inspection report was submitted already")
        self.findings = self._read(findings, source)
        return self.attempt.finish_stage(self._score())

    def _read(self, findings: pd.DataFrame, source: str) -> list[Finding]:
        if findings.empty:
            return []
        frame, name = read_table(findings, name=source)
        frame = _finding_columns(frame, name)
        lines = period_payments(self.attempt)
        return read_findings(frame, lines, self.inspection_date, name)

    def _score(self) -> StageScore:
        key = self.attempt.data.key
        targets = improper_payments(key, period_payments(self.attempt))
        return score_supervision(key, targets, self.findings or [], self.attempt.scenario, self.attempt.lang,
                                 self.inspection_date)


def updated_deaths(attempt, on: dt.date) -> pd.DataFrame:
    """The death register as of `on`: deaths registered since the exercise began show now."""
    known = attempt.world.registries["deaths"]
    persons = attempt.world.persons
    registered = pd.to_datetime(persons["death_registered_date"])
    late = persons[registered.notna() & (registered <= pd.Timestamp(on))
                   & ~persons["id_number"].isin(known["id_number"])]
    # Offices are not named for late registrations: 公安 registers most deaths (户籍注销).
    added = late[["id_number", "name", "death_date"]].assign(registered_date=late["death_registered_date"],
                                                              source="公安")
    out = pd.concat([known, added], ignore_index=True)
    return out.sort_values(["registered_date", "id_number"], kind="stable").reset_index(drop=True)


def _finding_columns(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    headers = frame.attrs.get("headers", {})
    renamed, typed = {}, {}
    problems = []
    for column in frame.columns:
        if column == ROW:
            continue
        target = _FINDING_ALIAS_TO_COLUMN.get(_UNIT_SUFFIX.sub("", str(column)).strip().lower())
        if target is None:
            continue  # other columns (name, amount…) are the inspector's notes
        if target in typed:
            problems.append(RowProblem(1, headers.get(column, column),
                                       f"means the same as {typed[target]!r} ({target}); keep one"))
        typed.setdefault(target, headers.get(column, column))
        renamed[column] = target
    if "line_id" not in typed and "entry_id" not in typed:
        problems.append(RowProblem(1, "", "no line_id (支付明细编号) or entry_id (序号) column"))
    for need in ("fault", "recover_amount", "rectification", "responsible", "due_date"):
        if need not in typed:
            problems.append(RowProblem(1, "", f"no {need} column ({FINDING_HEADERS_ZH[need]})"))
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

    def problem(row: int, column: str, text: str) -> None:
        problems.append(RowProblem(row, headers.get(column, column), text))

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
                    f"credited for {entry}")
            continue
        earlier = by_entry.get(entry)
        if earlier is None:
            by_entry[entry] = Finding(entry, fault, amount, [row])
        elif earlier.fault != fault:
            problem(row, "fault", f"{entry} is named as {FAULTS[earlier.fault].zh} in row {earlier.rows[0]} "
                    f"and as {FAULTS[fault].zh} here; one payment has one finding")
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
            problem(row, "line_id", f"unknown payment line {line_id!r}")
            return None
        if entry_id and entry_id != entry_of_line[line_id]:
            problem(row, "entry_id", f"line {line_id} pays entry {entry_of_line[line_id]}, not {entry_id}")
            return None
        entry_id = entry_of_line[line_id]
    if not entry_id:
        problem(row, "line_id", "empty; name the payment line (支付明细编号) or the entry (序号)")
        return None
    if entry_id not in paid:
        problem(row, "entry_id", f"nothing was credited for {entry_id!r}; only paid money can be recovered")
        return None
    return entry_id


def _finding_fault(text: object, row: int, problem) -> str | None:
    try:
        return parse_reason(str(text))
    except SandboxError as exc:
        problem(row, "fault", str(exc))
        return None


def _finding_amount(text: object, row: int, problem) -> float | None:
    if not clean_text(text):
        problem(row, "recover_amount", "empty; type the amount to recover in yuan (0 if none)")
        return None
    try:
        amount = parse_amount(text)
    except CleaningError as exc:
        problem(row, "recover_amount", str(exc))
        return None
    if amount < 0:
        problem(row, "recover_amount", f"{amount:.2f} is negative; expected the amount to recover in yuan")
        return None
    return amount


def _check_rectification(record: dict, inspection: dt.date, row: int, problem) -> None:
    if len(clean_text(record["rectification"])) < MIN_RECTIFICATION_CHARS:
        problem(row, "rectification", "say what must be done (整改要求), e.g. 停发并追回资金，补充入户核查记录")
    if not clean_text(record["responsible"]):
        problem(row, "responsible", "empty; name who must do it (整改责任单位/责任人), e.g. 张集镇民政所")
    latest = inspection + dt.timedelta(days=RECTIFICATION_MAX_DAYS)
    try:
        due = parse_date(record["due_date"])
    except CleaningError as exc:
        problem(row, "due_date", str(exc))
        return
    if not inspection < due <= latest:
        problem(row, "due_date", f"{due} is outside the rectification window: after the inspection "
                f"({inspection}) and by {latest}")


# --- the truth about the payments ------------------------------------------------------------

NOT_ENTITLED = {"dead_payee", "public_employee", "cadre_relative", "ineligible"}
OVERPAID = {"over_standard", "inflated_area"}


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
    for entry in key.to_dict("records"):
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
    fault = entry["fault"]
    if fault in NOT_ENTITLED:
        return got, fault
    if fault == "duplicate":
        # The copy is improper only when the original was paid too.
        return (got if paid.get(entry["duplicate_of"], 0.0) > 0 else 0.0), fault
    if fault == "proxy_account":
        mine = credited[credited["entry_id"] == entry["entry_id"]]
        own = clean_card_number(str(entry["true_account_number"]))
        wrong = mine[mine["account_number"].map(lambda a: clean_card_number(str(a))) != own]["amount"].sum()
        return float(wrong), fault
    entitled = float(entry["true_amount"])
    if fault in OVERPAID:
        return max(0.0, got - entitled), fault
    return max(0.0, got - entitled), "duplicate"  # an entitled entry credited twice


def score_supervision(key: pd.DataFrame, targets: pd.DataFrame, findings: list[Finding], scenario: Any,
                      lang: str, inspection: dt.date | None) -> StageScore:
    """Money found and recovered against what review let through; false accusations cost."""
    by_entry = {f.entry_id: f for f in findings}
    _credit_duplicate_originals(key, targets, by_entry)
    keyed = key.set_index("entry_id")
    weights = scenario.scoring
    misses: list[Miss] = []
    found = recovered = harm = 0.0
    for target in targets.to_dict("records"):
        finding = by_entry.pop(target["entry_id"], None)
        row = keyed.loc[target["entry_id"]]
        credit, money, over, miss = _judge(target, finding, row, lang)
        found += credit
        recovered += money
        harm += over * weights.wrongful_denial
        if miss:
            misses.append(miss)
    improper_total = float(targets["improper"].sum())
    false_points = 0.0
    for finding in by_entry.values():  # what is left accuses correct payments
        row = keyed.loc[finding.entry_id]
        false_points += FALSE_ACCUSATION_POINTS * (weights.vulnerable_multiplier if row["vulnerable"] else 1.0)
        misses.append(_false_accusation(finding, row, lang))
    money_share = recovered / improper_total if improper_total else 1.0
    recall = found / len(targets) if len(targets) else 1.0
    harm_points = 100 * MONEY_SHARE * harm / improper_total if improper_total else 0.0
    score = 100 * (MONEY_SHARE * money_share + (1 - MONEY_SHARE) * recall) - harm_points - false_points
    metrics = {
        "inspection_date": inspection.isoformat() if inspection else None,
        "improper_paid": len(targets), "money_improper_paid": round(improper_total, 2),
        "found": round(found, 2), "money_recovered": round(recovered, 2),
        "money_recovered_share": round(money_share, 4), "false_accusations": len(by_entry),
        "findings": len(findings),
        "by_type": {code: int(n) for code, n in targets["fault"].value_counts().sort_index().items()},
    }
    return StageScore("supervision", max(0.0, min(100.0, score)), metrics, misses)


def _credit_duplicate_originals(key: pd.DataFrame, targets: pd.DataFrame, by_entry: dict[str, Finding]) -> None:
    """A duplicate pair is one case: a finding on the original counts for the paid copy."""
    copies = key[key["fault"] == "duplicate"].set_index("entry_id")["duplicate_of"].to_dict()
    for copy_id in targets.loc[targets["fault"] == "duplicate", "entry_id"]:
        original = copies.get(copy_id)
        if copy_id not in by_entry and original in by_entry and by_entry[original].fault == "duplicate":
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
    miss = _issue_miss(finding.entry_id, "false_accusation", "false_accusation", finding.recover_amount, text, lang)
    if alike:
        miss.tip = alike.tip(lang)
    return miss
