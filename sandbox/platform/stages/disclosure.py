"""Disclosure (信息公开): the trainee publishes the period's results in the public column (一个专栏管公开)
— who received what, from which program, for which period — with personal data masked
per `scenario.masking`. The platform checks every cell for leaks (sandbox.common.masking) and
compares the table with what the banks credited. What was paid (`period_payments`) is
shared with supervision (stages/supervision.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import sandbox.programs as program_catalogue
from sandbox.common.columns import data_kind
from sandbox.common.masking import (
    FINDING_KINDS,
    PrivacyFinding,
    check_published,
    mask_id_number,
    mask_name,
)
from sandbox.common.parsing import parse_amount
from sandbox.common.submissions import ROW, read_table
from sandbox.common.text import CleaningError, clean_text
from sandbox.errors import AlreadyFinal, RowProblem, SandboxError, SubmissionError
from sandbox.irregularities import FAULTS
from sandbox.platform.harm import HarmItem, item, priced
from sandbox.platform.procedure import require_confirmation
from sandbox.platform.scoring import Miss, StageScore
from sandbox.platform.stages.base import Stage, action
from sandbox.platform.stages.sequence import STAGES

CREDITED = "credited"
SHOWN_PER_KIND = 20             # named misses per kind; the rest are summarised in one line
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
    "privacy": ("用 sandbox.course.publish_table 导出公开表，发布前用 check_published 自查",
                "export with sandbox.course.publish_table and run check_published before publishing"),
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


def issue_miss(ref: str, code: str, kind: str, amount: float, evidence: str, lang: str) -> Miss:
    zh, en, rule_zh, rule_en = ISSUES[code]
    return Miss(ref, kind, code, zh if lang == "zh" else en, round(amount, 2), evidence,
                rule_zh if lang == "zh" else rule_en, issue_tip(code, lang))


# --- what was paid --------------------------------------------------------------------------


def period_payments(attempt) -> pd.DataFrame:
    """Every payment line of the period, from the payout stage."""
    payout = attempt.stages.get("payout")
    if payout is None:
        raise SandboxError("这个平台没有发放环节，没有可公开或检查的内容",
                           "payout is not available on this platform, so there is nothing to publish or inspect")
    payments = payout.payments()
    if payments.empty:
        raise SandboxError("还没有发放任何资金：请先发送支付申请（s.payout）",
                           "nothing has been paid yet: send the payment request first (s.payout)")
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
    extra_amount: float = 0.0  # the money those rows publish


class DisclosureStage(Stage):
    info = STAGES["disclosure"]

    def __init__(self, attempt) -> None:
        super().__init__(attempt)
        self.published: pd.DataFrame | None = None
        self.checked: Publication | None = None

    @action("draft", read_only=True)
    def draft(self) -> pd.DataFrame:
        """The credited lines with full personal data: the trainee masks them before publishing."""
        from sandbox.common.regions import (
            ZHOUKOU_COUNTIES,  # here: the city's data (YAML) is read when asked
        )

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

    @action("policy", read_only=True)
    def policy(self) -> dict:
        """The masking policy of this scenario (what may be shown)."""
        return self.attempt.scenario.masking.model_dump()

    @action("publish", read_only=False)
    def publish(self, table: pd.DataFrame, source: str = "publication", confirm: bool = False) -> dict:
        """Publish the public-column table; it is checked and scored, and cannot be withdrawn
        (needs confirm=True)."""
        if self.published is not None:
            raise AlreadyFinal("发放结果已经公开过了，公开后不能撤回，也不能换一张表再公开"
                               "（练习模式可用 s.try_again(\"disclosure\") 再练一次）",
                               "the results are published already; a publication cannot be withdrawn "
                               "(in practice, s.try_again(\"disclosure\") gives another try)")
        frame, name = read_table(table, name=source)
        checked = self._check(frame, name)
        require_confirmation("disclosure.publish", confirm)
        self.published = frame
        self.checked = checked
        return self.attempt.finish_stage(self._score(checked))

    def harm_items(self, sent: bool) -> list[HarmItem]:
        """People whose data the publication exposed, and money the public column leaves out or
        states wrong; before anything is published, every credited yuan is left out."""
        scoring = self.attempt.scenario.scoring
        if self.checked is None:
            if not sent:
                return []
            credited = credited_lines(self.attempt)
            return [item(scoring, "disclosure", "unpublished", "all", float(credited["amount"].sum()),
                         families=0, note=("未公开", "nothing published"))] if len(credited) else []
        checked = self.checked
        items = [priced(scoring, "disclosure", "privacy", f"row {row}", share, families=1)
                 for row, share in exposed_people(checked.findings, checked.rows).items()]
        left_out = sum(g["amount"] for g in checked.missing)
        wrong = sum(abs(g["amount"] - g["published"]) for g in checked.mismatched) + checked.extra_amount
        for ref, yuan, families in (("left out", left_out, len(checked.missing)),
                                    ("misstated", wrong, len(checked.mismatched) + len(checked.extra))):
            if yuan > 0.005:
                items.append(item(scoring, "disclosure", "unpublished", ref, yuan, families=families))
        return items

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
                problems.append(RowProblem.of(row, columns["amount"], exc))
                continue
            person = self._person_key(record.get(columns.get("id_number", ""), ""),
                                      record.get(columns.get("name", ""), ""), use_id)
            rows.append({"row": row, "person": person, "program_code": program or "?", "amount": amount})
        if problems:
            raise SubmissionError(name, problems)
        return pd.DataFrame(rows, columns=["row", "person", "program_code", "amount"])

    # --- score -------------------------------------------------------------------------------
    def _score(self, checked: Publication) -> StageScore:
        """Misses and metrics (the score comes from the harm ledger: people exposed, money left out)."""
        lang = self.attempt.lang
        severe = sum(f.kind in SEVERE_PRIVACY for f in checked.findings)
        metrics = {
            "published_rows": checked.rows, "paid_groups": checked.groups,
            "privacy_violations": len(checked.findings), "privacy_severe": severe,
            "privacy_by_kind": _count_by(f.kind for f in checked.findings),
            "rows_missing": len(checked.missing), "amount_mismatches": len(checked.mismatched),
            "rows_extra": len(checked.extra), "period_shown": checked.period_shown,
            "people_exposed": len(exposed_people(checked.findings, checked.rows)),
        }
        return StageScore("disclosure", 100.0, metrics, self._misses(checked, lang))

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
            misses.append(issue_miss(group["entry_id"], "not_published", "not_published", group["amount"], text, lang))
        for group in checked.mismatched:
            text = (f"{group['person']} 的{program(group['program_code'])}实发{group['amount']:.2f}元，"
                    f"公开{group['published']:.2f}元" if zh else
                    f"{group['person']}: {program(group['program_code'])} paid ¥{group['amount']:.2f}, "
                    f"published ¥{group['published']:.2f}")
            misses.append(issue_miss(group["entry_id"], "amount_mismatch", "amount_mismatch",
                                      abs(group["amount"] - group["published"]), text, lang))
        for row in checked.extra:
            text = f"第{row}行与本期任何入账记录都对不上" if zh else f"row {row} matches no payment credited this period"
            misses.append(issue_miss(f"row {row}", "not_paid_published", "not_paid_published", 0.0, text, lang))
        if not checked.period_shown:
            text = "公开表没有“发放期间”列" if zh else "the table has no period (发放期间) column"
            misses.append(issue_miss("—", "no_period", "no_period", 0.0, text, lang))
        return _capped(misses, lang)


def exposed_people(findings: list[PrivacyFinding], rows: int) -> dict[int, float]:
    """Per published row (one person): 1 when a full ID, card number or phone shows, ½ for a
    lesser detail. A finding on a whole column exposes every row."""
    out: dict[int, float] = {}
    for finding in findings:
        share = 1.0 if finding.kind in SEVERE_PRIVACY else 0.5
        targets = [finding.row] if finding.row is not None else range(2, rows + 2)
        for row in targets:
            out[row] = max(out.get(row, 0.0), share)
    return out


def _public_columns(frame: pd.DataFrame) -> dict[str, str]:
    """canonical public column -> the frame's column (first spelling wins)."""
    found: dict[str, str] = {}
    for column in frame.columns:
        canonical = data_kind(column) or str(column)
        found.setdefault(canonical, column)
    return found


def _require_columns(columns: dict[str, str], frame: pd.DataFrame, name: str) -> None:
    problems = []
    headers = frame.attrs.get("headers", {})
    typed = ", ".join(headers.get(c, str(c)) for c in frame.columns if c != ROW)
    for need, example in (("program", "补贴项目"), ("amount", "金额(元)")):
        if need not in columns:
            problems.append(RowProblem(1, "", f"no {need} column ({example}); the table has: {typed}",
                                        zh=f"缺少“{example}”列；表里现有：{typed}"))
    if "name" not in columns and "id_number" not in columns:
        problems.append(RowProblem(1, "", f"no name (姓名) or ID (身份证号) column; the table has: {typed}",
                                    zh=f"缺少“姓名”或“身份证号”列；表里现有：{typed}"))
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
    unmatched = [r for r in published.to_dict("records") if (r["person"], r["program_code"]) not in matched]
    return Publication(findings, rows, len(expected), missing, mismatched, [int(r["row"]) for r in unmatched],
                       period_shown, round(sum(float(r["amount"]) for r in unmatched), 2))


def _privacy_misses(findings: list[PrivacyFinding], lang: str) -> list[Miss]:
    zh = lang == "zh"
    out = []
    for f in findings:
        where = (f"第{f.row}行" if zh else f"row {f.row}") if f.row is not None else ("整列" if zh else "every row")
        label = FINDING_KINDS[f.kind][0 if zh else 1]
        text = f"{where}，“{f.column}”列：{label}（{f.shown}）" if zh else f"{where}, column {f.column!r}: {label} ({f.shown})"
        miss = issue_miss(where, "privacy", f.kind, 0.0, text, lang)
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
