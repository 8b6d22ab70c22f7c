"""What went wrong in review, explained: each miss names the record, the evidence that was
available, the rule, and how to catch it next time. The scores themselves come from the harm
ledger (sandbox.platform.harm_ledger, docs/scoring.md); `StageScore.score` is filled in from it
when a stage closes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from sandbox.common.identifiers import clean_card_number, clean_id_number
from sandbox.common.parsing import parse_quantity
from sandbox.common.text import clean_text
from sandbox.irregularities import FAULTS, LOOK_ALIKES, Planting

if TYPE_CHECKING:
    from sandbox.scenario import Scenario

# A data-entry error delays a payment (the bank returns it); it does not lose the money.
DELAY_WEIGHT = 0.3
HELD_CREDIT = 0.5       # a faulty entry left undecided: not paid, but not resolved either
WRONG_REASON_CREDIT = 0.8
# Types planted as a second entry of another: the pair is one payment, stopping either is right.
COPY_FAULTS = tuple(kind.code for kind in FAULTS.where(planting=Planting.COPY))


@dataclass
class Miss:
    """One thing that went wrong, explained."""

    entry_id: str
    kind: str          # let_through | wrongful_denial | wrong_correction | wrong_reason | unresolved | ...
    fault: str
    title: str
    amount: float
    evidence: str
    rule: str
    tip: str


@dataclass
class StageScore:
    stage: str
    score: float                      # 0..100, from the harm ledger (harm_ledger.rescore)
    metrics: dict = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"stage": self.stage, "score": round(self.score, 2), "metrics": self.metrics,
                "misses": [asdict(m) for m in self.misses]}


_KIND_TEXT = {
    "let_through": ("放过了问题补贴", "let an improper payment through"),
    "wrongful_denial": ("错误拒绝了合规对象", "wrongly denied an entitled person"),
    "wrong_correction": ("更正错误", "corrected to a wrong value"),
    "wrong_reason": ("拒绝理由不对", "rejected for the wrong reason"),
    "reject_instead_of_fix": ("应更正而非拒绝", "rejected where a correction was due"),
    "unresolved": ("未作最终决定", "left without a final decision"),
    "delayed": ("合规对象被搁置", "an entitled person's payment was held up"),
    "left_off": ("应享未享", "an entitled person left off the roster"),
}
LEFT_OFF_RULE = ("符合条件的对象应纳入名册，漏报的应补录", "everyone entitled belongs on the roster; add (补录) those left off")
LEFT_OFF_TIP = ("把低保、残疾人、户籍（满80周岁）和土地承包登记与名册逐一比对，找出名册里没有的人",
                "compare the 低保, disability, residents (turned 80) and land registers with the roster: "
                "find who is missing")


def records(frame: pd.DataFrame) -> list[dict]:
    """`frame.to_dict("records")`, column by column (several times faster on text columns)."""
    columns = [str(c) for c in frame.columns]
    values = [frame[c].tolist() for c in frame.columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)] if columns else []


def _same(field_name: str, a: object, b: object) -> bool:
    """Compare a field as the platform would after normalising what was typed."""
    if str(a) == str(b):  # the same text is the same value, however it is normalised
        return True
    if field_name == "id_number":
        return clean_id_number(str(a)) == clean_id_number(str(b))
    if field_name == "account_number":
        return clean_card_number(str(a)) == clean_card_number(str(b))
    if field_name in {"quantity", "amount"}:
        try:
            return abs(float(a) - float(b)) < 0.051  # plain numbers, the usual case
        except (TypeError, ValueError):
            pass
        try:
            return abs(parse_quantity(str(a)) - parse_quantity(str(b))) < 0.051
        except Exception:  # noqa: BLE001 - an unparseable value is simply not the same
            return False
    return clean_text(str(a)) == clean_text(str(b))


def _miss(entry_id: str, kind: str, fault_code: str, amount: float, evidence: str, lang: str) -> Miss:
    zh, en = _KIND_TEXT[kind]
    if fault_code in FAULTS:
        f = FAULTS[fault_code]
        title = f"{zh}：{f.zh}" if lang == "zh" else f"{en}: {f.en}"
        return Miss(entry_id, kind, fault_code, title, round(amount, 2), evidence, f.rule(lang), f.tip(lang))
    alike = LOOK_ALIKES.get(fault_code)
    title = zh if lang == "zh" else en
    if alike:
        title += f"（{alike.zh}）" if lang == "zh" else f" ({alike.en})"
        why = alike.why_zh if lang == "zh" else alike.why_en
        return Miss(entry_id, kind, fault_code, title, round(amount, 2), evidence or why, why, alike.tip(lang))
    rule = "合规对象应予通过" if lang == "zh" else "an entitled person's entry must be approved"
    tip = ("拒绝前先找到登记中的证据；没有证据就入户核查" if lang == "zh"
           else "find the registry evidence before rejecting; without it, refer for a home visit")
    return Miss(entry_id, kind, fault_code, title, round(amount, 2), evidence, rule, tip)


def left_off_misses(omitted: pd.DataFrame | None, key: pd.DataFrame, lang: str) -> list[Miss]:
    """Misses of entitled people left off the roster and never added (补录).

    An omission counts as added when an entitled added entry (no fault) pays that person
    that program."""
    if omitted is None or omitted.empty:
        return []
    added = key[key["fault"] == ""]
    added_pairs = set(zip(added["person_id"], added["program"], strict=True))
    misses = []
    for row in omitted.to_dict("records"):
        if (row["payee_person_id"], row["program"]) in added_pairs or (row["person_id"], row["program"]) in added_pairs:
            continue
        amount = float(row["amount"])
        zh, en = _KIND_TEXT["left_off"]
        title = f"{zh}：{row['name']}（{row['program']}）" if lang == "zh" else f"{en}: {row['name']} ({row['program']})"
        evidence = row["evidence_zh"] if lang == "zh" else row["evidence_en"]
        rule, tip = (LEFT_OFF_RULE[0], LEFT_OFF_TIP[0]) if lang == "zh" else (LEFT_OFF_RULE[1], LEFT_OFF_TIP[1])
        misses.append(Miss("", "left_off", "", title, round(amount, 2), evidence, rule, tip))
    return misses


def score_review(key: pd.DataFrame, final: pd.DataFrame, scenario: Scenario, visits: int,
                 ignored_objections: int, lang: str = "zh", omitted: pd.DataFrame | None = None,
                 visit_days: float = 0.0) -> StageScore:
    """Misses and metrics of the final state of review (its score comes from the harm ledger).

    `final` has one row per entry: entry_id, decision (approve|reject|correct|refer|none),
    reason, and the entry's values after corrections (name, id_number, account_number,
    quantity, amount).
    """
    merged = key.merge(final, on="entry_id", how="left", suffixes=("", "_final"))
    merged["decision"] = merged["decision"].fillna("none")
    decided = merged.set_index("entry_id")["decision"].to_dict()
    paid_copies = merged[merged["fault"].isin(COPY_FAULTS) & merged["decision"].isin(["approve", "correct"])]
    covered = set(paid_copies["duplicate_of"])  # originals whose planted copy gets paid instead

    improper_w = stopped_w = credits = 0.0
    let_through = 0.0  # ¥ of improper money that would be paid as the review stands
    faults = 0
    misses: list[Miss] = []
    per_type: dict[str, dict[str, float]] = {}
    decoys: dict[str, dict[str, int]] = {}  # per imitated type: decoys shown, wrongly denied
    false_alarms = 0
    for row in records(merged):
        fault = row["fault"]
        decision = row["decision"]
        paid = decision in {"approve", "correct"}
        evidence = row["evidence_zh"] if lang == "zh" else row["evidence_en"]
        if fault:
            faults += 1
            stake = float(row["money_at_stake"])
            stake_w = stake * (DELAY_WEIGHT if FAULTS[fault].harm == "delay" else 1.0)
            improper_w += stake_w
            credit, kind = _fault_credit(row, paid, decided)
            stopped_w += stake_w * credit
            credits += credit
            stats = per_type.setdefault(fault, {"planted": 0, "caught": 0.0})
            stats["planted"] += 1
            stats["caught"] += credit
            if kind == "let_through" and FAULTS[fault].harm == "money_lost":
                let_through += stake
            if kind:
                misses.append(_miss(row["entry_id"], kind, fault, stake, evidence, lang))
        else:
            true_amount = float(row["true_amount"])
            kind = _legit_outcome(row, paid, row["entry_id"] in covered)
            imitated = LOOK_ALIKES[row["look_alike"]].imitates if row["look_alike"] in LOOK_ALIKES else ""
            if imitated:  # a decoy of that type: the mastery of it counts a denial as a slip (platform/skills.py)
                seen = decoys.setdefault(imitated, {"shown": 0, "denied": 0, "stray_false_alarms": 0})
                seen["shown"] += 1
                seen["denied"] += kind == "wrongful_denial"
            if kind == "wrongful_denial":
                false_alarms += 1
                reason = str(row.get("reason") or "")
                if reason in FAULTS:  # a false alarm of that type: lowers its precision
                    per_type.setdefault(reason, {"planted": 0, "caught": 0.0})
                    per_type[reason]["false_alarms"] = per_type[reason].get("false_alarms", 0) + 1
                    if reason != imitated:  # a denial of this type that no decoy of it explains
                        stray = decoys.setdefault(reason, {"shown": 0, "denied": 0, "stray_false_alarms": 0})
                        stray["stray_false_alarms"] += 1
            if kind:
                misses.append(_miss(row["entry_id"], kind, row["look_alike"], true_amount,
                                    evidence, lang))
    left_off = left_off_misses(omitted, key, lang)
    misses.extend(left_off)
    money = stopped_w / improper_w if improper_w else 1.0
    approved = merged[merged["decision"].isin(["approve", "correct"])]
    metrics = {
        "entries": int(len(merged)),
        "planted": faults,
        "caught": round(credits, 2),
        "money_improper": round(float(merged.loc[merged["fault"] != "", "money_at_stake"].sum()), 2),
        "money_stopped_share": round(money, 4),
        "money_lost_improper": round(lost_improper := float(merged.loc[merged["fault"].map(
            lambda f: bool(f) and FAULTS[f].harm == "money_lost"), "money_at_stake"].sum()), 2),
        "money_let_through": round(let_through, 2),
        "money_stopped": round(max(0.0, lost_improper - let_through), 2),
        "wrongful_denials": false_alarms,
        "home_visits": visits,
        "home_visit_days_waited": round(visit_days, 2),
        "left_off": len(omitted) if omitted is not None else 0,
        "left_off_not_added": len(left_off),
        "ignored_objections": ignored_objections,
        "approved": int(len(approved)),
        "by_type": {code: _type_metrics(s) for code, s in per_type.items()},
        "decoys_by_type": dict(sorted(decoys.items())),
        "precision": round(credits / (credits + false_alarms), 3) if credits + false_alarms else 1.0,
    }
    return StageScore("review", 100.0, metrics, misses)


def _type_metrics(stats: dict[str, float]) -> dict[str, float | int | None]:
    """Recall (planted cases caught) and precision (rejections of this type that were right)."""
    caught, alarms = stats["caught"], stats.get("false_alarms", 0)
    return {"planted": int(stats["planted"]), "caught": round(caught, 2), "false_alarms": int(alarms),
            "recall": round(caught / stats["planted"], 3) if stats["planted"] else None,
            "precision": round(caught / (caught + alarms), 3) if caught + alarms else None}


def _fault_credit(row: dict, paid: bool, decided: dict[str, str]) -> tuple[float, str]:
    fault = row["fault"]
    decision = row["decision"]
    if decision in {"none", "refer"}:
        return HELD_CREDIT, "unresolved"
    irregularity = FAULTS[fault]
    if fault in COPY_FAULTS and paid and decided.get(row["duplicate_of"]) == "reject":
        return 1.0, ""  # the trainee stopped the other copy: one payment either way
    if paid:
        if irregularity.correctable and row["fix_field"]:
            column = row["fix_field"]
            if _same(column, row.get(column, ""), row["fix_value"]):
                return 1.0, ""
        return 0.0, "let_through"
    # rejected
    if irregularity.correctable and not irregularity.rejecting_is_right_too:
        return 1.0, "reject_instead_of_fix"
    reason = str(row.get("reason") or "")
    return (1.0, "") if reason == fault else (WRONG_REASON_CREDIT, "wrong_reason")


def _legit_outcome(row: dict, paid: bool, copy_paid_instead: bool) -> str:
    decision = row["decision"]
    if not paid and copy_paid_instead:
        return ""  # rejected the original of a planted duplicate, paid the copy: one payment
    if decision in {"none", "refer"}:
        return "delayed"
    if not paid:
        return "wrongful_denial"
    for column, truth in (("name", row["true_name"]), ("id_number", row["true_id_number"]),
                          ("account_number", row["true_account_number"]),
                          ("amount", row["true_amount"])):
        if column in row and not _same(column, row[column], truth):
            return "wrong_correction"
    return ""
