"""The whole harm ledger of an attempt, and the scores it gives (docs/scoring.md).

The ledger counts what the attempt has done to the money and the families *as it stands*: a
stage not done yet weighs what leaving it undone would (review never closed: nobody paid; no
statement filed: the whole budget unaccounted; nothing published; the later months unpaid).
A stage's own score reads only its own items, so a stage is scored as soon as it closes and
its score moves only when a consequence of its own decisions arrives later (a messy card
number comes back from the bank after collection closed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.platform.harm import (
    HarmItem,
    by_stage,
    item,
    priced,
    score_of,
    summary,
    vulnerable_factor,
)
from sandbox.platform.harm_money import money_items, unsent_items
from sandbox.platform.reference import reference

if TYPE_CHECKING:
    from sandbox.platform.attempt import Attempt

REVIEW_NOT_CLOSED = ("审核未结束，名册未发放", "review not closed: nobody on the roster was paid")


def ledger(attempt: Attempt) -> list[HarmItem]:
    """Every harm item of the attempt as it stands."""
    review = attempt.stages["review"]
    closed = bool(review.state.final)
    payout = attempt.stages.get("payout")
    sent = payout is not None and not payout.lines.empty
    items = money_items(attempt, closed=closed, findings=_findings(attempt) if sent else None)
    if closed and not sent:
        items += unsent_items(attempt)
    items += review_items(attempt, closed=closed)
    for stage in ("reconciliation", "disclosure", "monthly"):
        owner = attempt.stages.get(stage)
        if owner is not None and hasattr(owner, "harm_items"):
            items += owner.harm_items(sent)
    return items


def _findings(attempt: Attempt) -> dict[str, float] | None:
    supervision = attempt.stages.get("supervision")
    if supervision is None or supervision.findings is None:
        return None
    return {f.entry_id: float(f.recover_amount) for f in supervision.findings}


def review_items(attempt: Attempt, closed: bool) -> list[HarmItem]:
    """Review's own items besides the money: home visits, 公示 skipped, families left off."""
    scoring = attempt.scenario.scoring
    review = attempt.stages["review"]
    items: list[HarmItem] = []
    visits = review.state.visit_count
    if visits:
        items.append(priced(scoring, "review", "home_visit", "visits", visits,
                            note=(f"入户核查{visits}次", f"{visits} home visits")))
    if closed:
        items += _unposted(attempt)
    items += left_off_items(attempt)
    return items


def _unposted(attempt: Attempt) -> list[HarmItem]:
    scoring = attempt.scenario.scoring
    review = attempt.stages["review"]
    ids = review.unposted_entry_ids()
    if not ids:
        return []
    payout = attempt.stages.get("payout")
    if payout is not None and not payout.lines.empty:
        lines = payout.lines
        paid = lines[lines["status"] == "credited"].groupby("entry_id")["amount"].sum()
    else:
        final = review.final_table().set_index("entry_id")
        paid = final["amount"].astype(float)
    return [item(scoring, "review", "unposted", entry_id, float(paid.get(entry_id, 0.0)))
            for entry_id in sorted(ids) if float(paid.get(entry_id, 0.0)) > 0.005]


def left_off_items(attempt: Attempt) -> list[HarmItem]:
    """应享未享: entitled people the villages left off and review did not add (补录)."""
    omitted = attempt.data.omitted
    if omitted is None or omitted.empty:
        return []
    scoring = attempt.scenario.scoring
    key = attempt.data.key
    added = key[key["fault"] == ""]
    pairs = set(zip(added["person_id"], added["program"], strict=True))
    out = []
    for row in omitted.to_dict("records"):
        if (row["payee_person_id"], row["program"]) in pairs or (row["person_id"], row["program"]) in pairs:
            continue
        out.append(item(scoring, "review", "left_off", f"{row['person_id']}:{row['program']}", float(row["amount"]),
                        factor=vulnerable_factor(scoring, bool(row["vulnerable"])),
                        note=(f"{row['name']}（{row['program']}）", f"{row['name']} ({row['program']})")))
    return out


def stage_scores(attempt: Attempt, items: list[HarmItem] | None = None) -> dict[str, float]:
    """Each scored stage's score from its own items."""
    items = ledger(attempt) if items is None else items
    value = reference(attempt)["value"]
    per = by_stage(items)
    half = attempt.scenario.scoring.half_score_harm
    return {stage: score_of(per.get(stage, 0.0), value, half) for stage in attempt.scores}


def rescore(attempt: Attempt) -> list[HarmItem]:
    """Bring every scored stage's score up to date with the ledger; returns the items."""
    items = ledger(attempt)
    for stage, value in stage_scores(attempt, items).items():
        attempt.scores[stage].score = value
    return items


def total_score(attempt: Attempt, items: list[HarmItem]) -> float:
    return score_of(sum(it.weighted for it in items), reference(attempt)["value"], attempt.scenario.scoring.half_score_harm)


def harm_section(attempt: Attempt, items: list[HarmItem]) -> dict:
    """The report's "harm" section (key-derived: exam mode seals it until feedback is released)."""
    return summary(items, reference(attempt))


def review_interim(attempt: Attempt) -> float:
    """Review's score if it closed now (progress feedback in practice mode)."""
    items = [it for it in money_items(attempt, closed=True) if it.stage == "review"]
    items += [it for it in review_items(attempt, closed=False)]
    return score_of(sum(it.weighted for it in items), reference(attempt)["value"], attempt.scenario.scoring.half_score_harm)
