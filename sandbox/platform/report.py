"""The report of an attempt as plain data: total and stage scores (from the harm ledger,
docs/scoring.md), the harm itself in yuan and families, KPIs, misses with evidence and tips,
and what to practise next.

The trainee's side reads it as text (sandbox.session.report) and, when a display is chosen,
as an HTML page with charts (sandbox.ui.report).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from sandbox.irregularities import FAULTS
from sandbox.platform.harm_ledger import harm_section, ledger, stage_scores, total_score
from sandbox.platform.sealing import seal_report
from sandbox.platform.stages.disclosure import CREDITED, ISSUES, issue_name, issue_tip
from sandbox.platform.stages.sequence import SCORED

if TYPE_CHECKING:
    from sandbox.platform.attempt import Attempt

KPI_LABELS = {
    "money_paid": ("实际入账金额（元）", "money credited (¥)"),
    "money_stopped": ("拦截的问题资金（元）", "improper money stopped (¥)"),
    "money_let_through": ("放过的问题资金（元）", "improper money let through (¥)"),
    "wrongful_denials": ("错误拒绝（人次）", "wrongful denials"),
    "first_pass_success_rate": ("首次发放成功率", "first-pass success rate"),
    "final_success_rate": ("最终发放成功率", "final success rate"),
    "social_security_card_share": ("社保卡占比", "social security card share"),
    "days_to_pay": ("全部发放用时（天）", "days to pay everyone"),
    "money_returned": ("退票金额（元）", "money returned (¥)"),
    "money_recovered": ("追回金额（元）", "money recovered (¥)"),
    "privacy_violations": ("隐私泄露（处）", "privacy violations"),
}
RATE_KPIS = {"first_pass_success_rate", "final_success_rate", "social_security_card_share"}


def build_report(attempt: Attempt, trainer: bool = False) -> dict[str, Any]:
    """The report as plain data (what crosses to the session): sealed while an exam or a
    self-test withholds its feedback (platform/sealing.py), unless it is the `trainer`'s copy."""
    stages = [s for s in SCORED if s in attempt.stages]
    # Consequences that arrived since a stage closed move its score; a look changes nothing,
    # so the report computes the scores afresh rather than storing them (finish_stage stores).
    items = ledger(attempt)
    fresh = stage_scores(attempt, items)
    scores = {s: round(fresh.get(s, attempt.scores[s].score), 2) for s in stages if s in attempt.scores}
    # The total is the whole ledger's: a stage not done yet weighs what leaving it undone does.
    total = total_score(attempt, items)
    released = attempt.feedback_released
    misses = [m.__dict__ | {"stage": s} for s, sc in attempt.scores.items() for m in sc.misses] if released else []
    report = {
        "attempt_id": attempt.attempt_id, "trainee": attempt.trainee, "scenario": attempt.scenario.name,
        "seed": attempt.scenario.seed, "mode": attempt.mode, "lang": attempt.lang,
        "score": round(total, 2), "stages": {s: scores.get(s) for s in stages},
        "kpis": kpis(attempt), "misses": misses, "feedback_released": released,
        "harm": harm_section(attempt, items),
        "practise_next": practise_next(misses, attempt.lang),
        # Per irregularity type: how many were planted is answer-key knowledge, so only once released.
        "review_by_type": attempt.scores["review"].metrics.get("by_type", {})
        if released and "review" in attempt.scores else {},
        "timeline": attempt.stages["payout"].timeline_records() if "payout" in attempt.stages else [],
        "tries": attempt.tries.as_dict(),  # first try beside the best (platform/tries.py)
    }
    return report if trainer else seal_report(report, attempt)  # nothing from the key before release


def kpis(attempt: Attempt) -> dict[str, float | int | None]:
    review = attempt.scores.get("review")
    out: dict[str, float | int | None] = dict.fromkeys(KPI_LABELS)
    if review:
        # Money that would have been lost (fraud, error); data-entry delays are not counted.
        out["money_stopped"] = review.metrics.get("money_stopped", 0.0)
        out["money_let_through"] = review.metrics.get("money_let_through", 0.0)
        out["wrongful_denials"] = review.metrics.get("wrongful_denials", 0)
    for stage in ("payout", "reconciliation", "disclosure", "supervision"):
        score = attempt.scores.get(stage)
        if score:
            out.update({k: v for k, v in score.metrics.items() if k in KPI_LABELS})
    payout = attempt.stages.get("payout")
    if payout is not None and hasattr(payout, "payments"):
        payments = payout.payments()
        if not payments.empty:
            credited = payments.loc[payments["status"] == CREDITED, "amount"].astype(float)
            out["money_paid"] = round(float(credited.sum()), 2)
    return out


def group_code(miss: dict) -> str:
    """What a miss is grouped under: its irregularity, a stage issue, or its own title."""
    for code in (miss.get("fault") or "", miss.get("kind") or ""):
        if code in FAULTS or code in ISSUES:
            return code
    return miss["title"]


def practise_next(misses: list[dict], lang: str) -> list[str]:
    """The three types of miss that came up most often, as advice."""
    counts = Counter(group_code(m) for m in misses if m["entry_id"] != "…")
    advice = []
    for code, n in counts.most_common(3):
        name, tip = issue_name(code, lang), issue_tip(code, lang)
        if not tip:  # not a catalogued type: the first miss of the group has its own tip
            tip = next((m["tip"] for m in misses if group_code(m) == code), "")
        advice.append(f"{name}（{n}次）：{tip}" if lang == "zh" else f"{name} ({n}×): {tip}")
    return advice
