"""What villagers say during 公示, drawn so that the wording tells nothing about the truth.

Whether villagers object depends on the truth (a blatant case draws more objections: that is
how villages are). How they word it does not: every objection first draws whether it is
specific (`review.objection_specific_share`, the same chance for a real and a false one).
A specific objection names a concrete claim — a real one its own type's claim, a false one the
claim of a type drawn in the proportions the real objections on the same program would name
(so naming "a car" or "a relative" is no sign of truth); a vague one uses generic words,
whatever the truth. Only checking the registries or a home visit tells them apart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sandbox.irregularities import (
    FAULTS,
    MEANS_TESTED,
    cadre_relative,
    inflated_area,
    over_standard,
    public_employee,
)
from sandbox.rng import rng_for

# Types villagers notice: objected to at the blatant rate (other cases only when the key says so).
BLATANT_FAULTS = frozenset(kind.code for kind in FAULTS.where(blatant=True))
# Generic words, used for a vague objection whether or not anything is wrong.
VAGUE_WORDING: tuple[tuple[str, str], ...] = (
    ("村民反映：{name}家条件不错，不该领补贴。", "A villager: {name}'s family is well off and should get nothing."),
    ("村民反映：{name}这笔补贴有问题，请核实。", "A villager: something is wrong with {name}'s subsidy; please check."),
    ("村民反映：对{name}领这笔补贴有意见。", "A villager objects to {name} getting this subsidy."),
)

if TYPE_CHECKING:
    from sandbox.scenario import Scenario

# Types planted only in some programs (from their modules): a borrowed claim must fit the
# entry's program, or its oddness would mark the objection as false.
PROGRAM_BOUND: dict[str, frozenset[str]] = {
    "inflated_area": frozenset({inflated_area.PROGRAM, inflated_area.GRAIN, inflated_area.FOREST}),
    "over_standard": frozenset(over_standard.FIXED_STANDARD),
    "public_employee": frozenset(MEANS_TESTED) | frozenset(public_employee.FORMS.values()),
    "cadre_relative": frozenset(MEANS_TESTED) | frozenset(cadre_relative.FORMS.values()),
}


@dataclass(frozen=True)
class Wording:
    zh: str
    en: str
    named: str  # the type code a specific objection names; "" for vague words


def objection_chance(fault: str, blatant: bool, scenario: Scenario) -> float:
    """The chance villagers object to an entry during one 公示 (this is where truth counts)."""
    rules = scenario.review
    if fault in BLATANT_FAULTS or (fault and blatant):
        return rules.objection_rate_blatant
    return rules.objection_rate_subtle if fault else rules.objection_rate_false


def claim_weights(posted: pd.DataFrame, key: pd.DataFrame, scenario: Scenario) -> dict[str, dict[str, float]]:
    """Per program, the types real objections to the posted entries would name, each weighted
    by its chance to be objected to; a false specific objection names a type drawn from these.
    `key` is indexed by entry_id. A program with no real case posted borrows the weights of
    every posted program, keeping the types that fit it (its false objections still name
    something a villager might say about it)."""
    weights: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    overall: dict[str, float] = defaultdict(float)
    for entry_id, program in zip(posted["entry_id"], posted["program"], strict=True):
        if entry_id not in key.index or not key.at[entry_id, "fault"]:
            continue
        fault = str(key.at[entry_id, "fault"])
        chance = objection_chance(fault, bool(key.at[entry_id, "blatant"]), scenario)
        weights[str(program)][fault] += chance
        overall[fault] += chance
    borrowed = {program: {code: w for code, w in overall.items()
                          if code not in PROGRAM_BOUND or program in PROGRAM_BOUND[code]}
                for program in posted["program"].astype(str).unique() if program not in weights}
    return {**{program: dict(w) for program, w in weights.items()}, **borrowed}


def word_objection(name: str, fault: str, claims: dict[str, float], scenario: Scenario,
                   notice: int, entry_id: str) -> Wording:
    """The words of one objection. `fault` is the entry's true type ("" when nothing is wrong);
    `claims` the types a false one may name (claim_weights, for the entry's program). Its own
    draws per notice and entry: which entries object never moves these."""
    rng = rng_for(scenario.seed, "review", "objection_wording", notice, entry_id)
    specific = rng.random() < scenario.review.objection_specific_share
    pick = rng.random()  # drawn for every objection, so a real and a false one use as many draws
    if specific:
        named = fault or _claim(claims, pick)
        if named:
            kind = FAULTS[named]
            return Wording(kind.objection(name, "zh"), kind.objection(name, "en"), named)
    zh, en = VAGUE_WORDING[min(int(pick * len(VAGUE_WORDING)), len(VAGUE_WORDING) - 1)]
    return Wording(zh.format(name=name), en.format(name=name), "")


def _claim(claims: dict[str, float], pick: float) -> str:
    """The type at `pick` (0–1) of the weighted list, in a fixed order; "" when there is none."""
    codes = [code for code in FAULTS if claims.get(code, 0.0) > 0]
    if not codes:
        return ""
    cumulative = np.cumsum([claims[code] for code in codes])
    return codes[min(int(np.searchsorted(cumulative, pick * cumulative[-1], side="right")), len(codes) - 1)]
