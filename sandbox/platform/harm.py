"""The harm ledger: every consequence of an attempt as one item in yuan (docs/scoring.md).

An item says which stage's decision caused it, what kind of harm it is, which entry, line or
person it concerns, how many families it touched, the yuan involved, the scenario's weight
for that kind and the weighted yuan. Scores come from the ledger alone:

    stage score = 100 / (1 + (H_stage / hR)²)      total = 100 / (1 + (ΣH / hR)²)

where H is weighted yuan, R the reference harm (sandbox.platform.reference): what paying the
roster as it arrived, with no checks at all, would have done, and h the scenario's
`scoring.half_score_harm` (default 0.25): harm of a quarter of doing nothing halves the score.
The curve is flat near no harm (a few home visits barely cost) and steep where judgement
matters; doing nothing scores about 6. The ledger itself is never capped, so the report shows
the harm in full.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.scenario.schema import Scoring


# kind -> (zh, en, the Scoring field that weighs it)
HARM_KINDS: dict[str, tuple[str, str, str]] = {
    # Improper money weighs `recovered` for the stage that let it through, and the rest
    # (money_let_through − recovered) for the stage that should have recovered it and did not.
    "improper_paid": ("问题资金已发放", "improper money paid", "recovered"),
    "not_recovered": ("问题资金未追回", "improper money not recovered", "money_let_through-recovered"),
    "recovery": ("问题整改成本", "the case it opens (整改, 追回)", "recovery_cost"),
    "wrongly_accused": ("合规资金被误追回", "correct payment recovered from a family", "wrongful_denial"),
    "denied": ("应发未发", "money due that the family did not get", "wrongful_denial"),
    "left_off": ("应享未享", "entitled family left off the roster", "left_off"),
    "late": ("超过发放时限", "paid after the payment deadline", "late_per_day"),
    "home_visit": ("入户核查成本", "home visits", "home_visit_cost"),
    "unposted": ("未经公示即发放", "paid without 公示", "unposted"),
    "unpublished": ("未公开或公开不实", "payment not published, or published wrong", "unpublished"),
    "misreported": ("对账不实", "money misreported in the statement", "misreported"),
    "privacy": ("个人信息泄露", "personal data exposed", "privacy_violation"),
}


@dataclass(frozen=True)
class HarmItem:
    """One consequence, in yuan. `yuan` is the money involved (for a late payment: the
    amount, with `days`); `weight` the per-yuan weight applied; `weighted` their product."""

    stage: str
    kind: str
    ref: str                # entry, line, change, person or program it concerns
    families: int           # families (people, for privacy) it touched
    yuan: float
    weight: float
    weighted: float
    note_zh: str = ""
    note_en: str = ""
    days: int = 0           # days late (kind "late")

    def to_dict(self) -> dict:
        return asdict(self)


def weight_of(scoring: Scoring, kind: str) -> float:
    spec = HARM_KINDS[kind][2]
    if spec == "money_let_through-recovered":
        return max(0.0, scoring.money_let_through - scoring.recovered)
    return float(getattr(scoring, spec))


def item(scoring: Scoring, stage: str, kind: str, ref: str, yuan: float, families: int = 1,
         factor: float = 1.0, note: tuple[str, str] = ("", ""), days: int = 0,
         cap: float | None = None) -> HarmItem:
    """An item weighed by the scenario: yuan × the kind's weight × `factor` (the vulnerable
    multiplier, days late…), at most `cap` weighted yuan when given."""
    weight = weight_of(scoring, kind) * factor
    weighted = yuan * weight
    if cap is not None and weighted > cap:
        weighted = cap
        weight = cap / yuan if yuan else 0.0
    return HarmItem(stage, kind, ref, int(families), round(float(yuan), 2), round(weight, 6),
                    round(float(weighted), 2), note[0], note[1], int(days))


def priced(scoring: Scoring, stage: str, kind: str, ref: str, count: float, families: int = 0,
           note: tuple[str, str] = ("", "")) -> HarmItem:
    """An item priced per unit (a visit, a person exposed): its yuan are the count times the
    scenario's ¥-equivalent, weighed 1."""
    yuan = count * weight_of(scoring, kind)
    return HarmItem(stage, kind, ref, int(families), round(yuan, 2), 1.0, round(yuan, 2), note[0], note[1])


def vulnerable_factor(scoring: Scoring, vulnerable: bool) -> float:
    return scoring.vulnerable_multiplier if vulnerable else 1.0


HALF_SCORE_HARM = 0.25  # the scenario's default scoring.half_score_harm


def score_of(harm: float, reference: float, half: float = HALF_SCORE_HARM) -> float:
    """100 / (1 + (harm / (half · reference))²): 100 without harm, 50 at `half` of the
    reference harm, about 6 at the reference harm itself."""
    if reference <= 0 or half <= 0:
        return 100.0
    return 100.0 / (1.0 + (max(0.0, harm) / (half * reference)) ** 2)


def total_of_stage_scores(scores: Iterable[float]) -> float:
    """The total that stage scores give: each names its stage's harm as a share of hR
    (sqrt(100/s − 1), the inverse of score_of), the shares add up and the total reads their
    sum — so a class report can total the first tries, whatever R and h were."""
    share = 0.0
    for score in scores:
        if score <= 0:
            return 0.0
        share += math.sqrt(max(0.0, 100.0 / score - 1.0))
    return 100.0 / (1.0 + share * share)


def by_stage(items: Iterable[HarmItem]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for it in items:
        totals[it.stage] = totals.get(it.stage, 0.0) + it.weighted
    return totals


def summary(items: list[HarmItem], reference: dict) -> dict:
    """The report's "harm" section: per stage and kind the yuan, families and weighted yuan,
    the totals and the reference R — uncapped, whatever the scores show."""
    rows: dict[tuple[str, str], dict] = {}
    for it in items:
        row = rows.setdefault((it.stage, it.kind), {"stage": it.stage, "kind": it.kind, "items": 0,
                                                    "yuan": 0.0, "families": 0, "weighted": 0.0})
        row["items"] += 1
        row["yuan"] += it.yuan
        row["families"] += it.families
        row["weighted"] += it.weighted
    table = [{**r, "yuan": round(r["yuan"], 2), "weighted": round(r["weighted"], 2)}
             for r in sorted(rows.values(), key=lambda r: (-r["weighted"], r["stage"], r["kind"]))]
    total = sum(it.weighted for it in items)
    touched = {it.ref for it in items if it.families > 0}
    # The money involved, each yuan once: the part not recovered is the same money as the
    # improper payment, and a late payment split between two stages is one payment.
    once = {(it.kind, it.ref): it.yuan for it in items if it.kind != "not_recovered"}
    return {"rows": table, "weighted_total": round(total, 2), "yuan_total": round(sum(once.values()), 2),
            # each family once, however many harms it met (people exposed count one by one)
            "families_total": len(touched),
            "by_stage": {s: round(v, 2) for s, v in by_stage(items).items()},
            "reference": reference}
