"""The reference harm R that scores are measured against (docs/scoring.md).

R is the weighted harm of paying the roster as it arrived, with no checks at all: every
improper yuan on it paid, every entitled family the villages left off still left off, and
(in scenarios with later pay periods) every later month paid to the same list as it stood.
It has a floor, a share of the money due, so that a roster with almost nothing wrong does
not turn a tiny slip into a large loss of score.

Computed once per attempt from the answer key (the platform's knowledge only), and cached.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from sandbox.irregularities import FAULTS
from sandbox.platform.harm_money import due_nothing
from sandbox.platform.months import due_table, monthly_programs, never_due
from sandbox.world import registries_at
from sandbox.world.timeline import build_timeline, world_at

if TYPE_CHECKING:
    from sandbox.platform.attempt import Attempt

FLOOR_SHARE = 0.02  # R is at least 2% of the money due (period and later months)


def reference(attempt: Attempt) -> dict:
    """R and its parts, in (weighted) yuan. Cached on the attempt: the key of the roster as it
    arrived does not change (补录 entries added later are not part of it)."""
    cached = getattr(attempt, "_harm_reference", None)
    if cached is None:
        cached = _compute(attempt)
        attempt._harm_reference = cached
    return cached


def _compute(attempt: Attempt) -> dict:
    scoring = attempt.scenario.scoring
    typed = set(attempt.data.typed["entry_id"])
    key = attempt.data.key[attempt.data.key["entry_id"].isin(typed)]
    lost = key["fault"].map(lambda f: bool(f) and FAULTS[f].harm == "money_lost")
    improper = float(key.loc[lost, "money_at_stake"].astype(float).sum())
    entitled = ~key["fault"].astype(str).map(due_nothing)
    due = float(key.loc[entitled, "true_amount"].astype(float).sum())
    omitted = attempt.data.omitted
    left_off = 0.0
    if omitted is not None and len(omitted):
        factor = omitted["vulnerable"].map(lambda v: scoring.vulnerable_multiplier if v else 1.0)
        left_off = float((omitted["amount"].astype(float) * factor).sum()) * scoring.left_off
        due += float(omitted["amount"].astype(float).sum())
    months = later_months(attempt)
    raw = improper * scoring.money_let_through + left_off + months["improper"] * scoring.money_let_through
    due_all = due + months["due"]
    value = max(raw, FLOOR_SHARE * due_all, 1.0)
    return {"value": round(value, 2), "improper": round(improper, 2), "left_off_weighted": round(left_off, 2),
            "later_months_improper": round(months["improper"], 2), "money_due": round(due_all, 2),
            "floor": round(FLOOR_SHARE * due_all, 2), "floor_share": FLOOR_SHARE,
            "months_due": months["by_month"]}


def later_months(attempt: Attempt) -> dict:
    """Months 2..N paid to the roster as it arrived: the improper money (paid where nothing,
    or less, was due) and the money due, per month."""
    scenario = attempt.scenario
    if scenario.periods <= 1:
        return {"improper": 0.0, "due": 0.0, "by_month": {}}
    codes = {p.code for p in monthly_programs(scenario)}
    typed = attempt.data.typed
    key = attempt.data.key.set_index("entry_id")
    truth = attempt.data.truth.set_index("entry_id")
    standing = typed[typed["program"].isin(codes)]
    claimed = key.loc[standing["entry_id"], "claimed_amount"].astype(float).to_numpy()
    payee = truth.loc[standing["entry_id"], "payee_person_id"].to_numpy()
    faults = key.loc[standing["entry_id"], "fault"].astype(str).to_numpy()
    timeline = attempt_timeline(attempt)
    improper = due_total = 0.0
    by_month: dict[int, float] = {}
    for month in timeline.months[1:]:
        _, due = month_view(attempt, month.period)
        month_registries(attempt, month.period)  # built once, before any copy of the attempt
        owed = pd.Series([0.0 if never_due(f) else float(due.get((p, who), 0.0))
                          for f, p, who in zip(faults, standing["program"], payee, strict=True)])
        improper += float((claimed - owed).clip(lower=0).sum())
        by_month[month.period] = round(float(owed.sum()), 2)
        due_total += by_month[month.period]
    return {"improper": improper, "due": due_total, "by_month": by_month}


def attempt_timeline(attempt: Attempt):
    """The world's later months (built once per attempt; the monthly stage uses the same)."""
    timeline = getattr(attempt, "_timeline", None)
    if timeline is None:
        timeline = build_timeline(attempt.world)
        attempt._timeline = timeline
    return timeline


def month_view(attempt: Attempt, period: int):
    """(the world as it stands in month `period`, the money due that month): pure functions of
    the generated world and its timeline — nothing a trainee does changes them — built once."""
    cache = attempt.__dict__.setdefault("_month_views", {})
    if period not in cache:
        timeline = attempt_timeline(attempt)
        view = world_at(attempt.world, timeline, period)
        cache[period] = (view, due_table(view, attempt.scenario, timeline.months[period - 1]))
    return cache[period]


def month_registries(attempt: Attempt, period: int) -> dict[str, pd.DataFrame]:
    """The registries as the offices hold them when month `period` is decided; ages stay as
    registered (the registries carry birth dates), 低保 and cards as they stand then. Built once."""
    cache = attempt.__dict__.setdefault("_month_registries", {})
    if period not in cache:
        world = attempt.world
        view, _ = month_view(attempt, period)
        dated = type(world)(world.scenario, world.regions, view.households, world.persons, view.accounts,
                            links=view.links)
        cache[period] = registries_at(dated, attempt_timeline(attempt).months[period - 1].as_of)
    return cache[period]
