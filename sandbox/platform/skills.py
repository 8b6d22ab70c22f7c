"""The skills adaptive practice tracks, and the evidence one attempt gives of each.

A skill is a thing an operator gets right or wrong case by case (docs/adaptive.md):

- each irregularity type (its code, e.g. `cadre_relative`): a planted case caught counts as
  right, one let through as wrong; and apart from those (`cadre_relative:decoys`), a decoy of
  that type (an entitled entry that looks like it, sandbox.irregularities.look_alikes)
  approved counts as right, denied as wrong, and a denial for that type that no decoy
  explains counts as wrong too. The type's mastery is the weaker of the two (mastery.py):
  approving every case of a type earns nothing from its decoys, rejecting them all nothing
  from its planted cases;
- each bank return code (`bank:AG01`…): a returned line fixed right the first time;
- `reconciliation`: the statement right to the fen (one case per attempt);
- `masking`: a publication with nothing exposed (one case per attempt);
- `objections`: each 公示 objection answered so that the entry ends as it should.

The evidence is read from a stage's stored details (`metrics`), as the gradebook keeps them,
so it can be gathered again from any gradebook.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sandbox.bank.codes import RETURN_CODES
from sandbox.irregularities import FAULTS

BANK_PREFIX = "bank:"
DECOYS = ":decoys"  # an irregularity type's decoys, kept apart from its planted cases (mastery.py)
RECONCILIATION = "reconciliation"
MASKING = "masking"
OBJECTIONS = "objections"


@dataclass(frozen=True)
class Skill:
    code: str
    zh: str
    en: str
    kind: str  # irregularity | bank | reconciliation | masking | objections

    def name(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


def _skills() -> dict[str, Skill]:
    found = {kind.code: Skill(kind.code, kind.zh, kind.en, "irregularity") for kind in FAULTS.values()}
    found |= {f"{BANK_PREFIX}{code}": Skill(f"{BANK_PREFIX}{code}", f"退票{code}：{c.zh}", f"return {code}: {c.en}", "bank")
              for code, c in RETURN_CODES.items()}
    found[RECONCILIATION] = Skill(RECONCILIATION, "对账准确到分", "reconciliation to the fen", RECONCILIATION)
    found[MASKING] = Skill(MASKING, "公开时脱敏", "masking what is published", MASKING)
    found[OBJECTIONS] = Skill(OBJECTIONS, "公示异议答复正确", "公示 objections answered right", OBJECTIONS)
    return found


# Every skill, in a fixed order: irregularity types (registry order), bank codes, then the rest.
SKILLS: dict[str, Skill] = _skills()


@dataclass(frozen=True)
class Cases:
    """What one attempt showed of one skill: cases met and cases got right (credit may be
    partial: a case held undecided in review counts half, as the score does)."""

    right: float
    cases: float

    def __add__(self, other: Cases) -> Cases:
        return Cases(self.right + other.right, self.cases + other.cases)


def skill_name(code: str, lang: str = "zh") -> str:
    skill = SKILLS.get(code)
    return skill.name(lang) if skill else code


def evidence_of(stages: Mapping[str, Mapping[str, Any]]) -> dict[str, Cases]:
    """Each skill's cases in one attempt, from its stages' stored details ({stage: {"metrics":
    ...}}); a skill the attempt did not exercise is left out."""
    out: dict[str, Cases] = {}

    def add(code: str, right: float, cases: float) -> None:
        if cases > 0:
            out[code] = out.get(code, Cases(0.0, 0.0)) + Cases(float(right), float(cases))

    review = _metrics(stages, "review")
    for code, typed in (review.get("by_type") or {}).items():
        add(code, typed.get("caught", 0.0), typed.get("planted", 0))
    for code, decoys in (review.get("decoys_by_type") or {}).items():
        shown, denied = decoys.get("shown", 0), decoys.get("denied", 0)
        add(code + DECOYS, shown - denied, shown + decoys.get("stray_false_alarms", 0))
    objections = review.get("objections") or {}
    add(OBJECTIONS, objections.get("answered_right", 0), objections.get("raised", 0))
    for code, fixes in (_metrics(stages, "payout").get("fixes_by_code") or {}).items():
        add(f"{BANK_PREFIX}{code}", fixes.get("fixed_first_time", 0), fixes.get("returned", 0))
    statement = _metrics(stages, "reconciliation")
    if statement.get("cells"):
        add(RECONCILIATION, float(statement.get("cells_wrong", 0) == 0), 1)
    published = _metrics(stages, "disclosure")
    if "privacy_violations" in published:
        add(MASKING, float(published["privacy_violations"] == 0), 1)
    return {code: out[code] for code in sorted(out, key=_order)}


def _metrics(stages: Mapping[str, Mapping[str, Any]], stage: str) -> Mapping[str, Any]:
    details = stages.get(stage) or {}
    return details.get("metrics") or {}


def _order(code: str) -> tuple[int, str]:
    order, skill = list(SKILLS), code.removesuffix(DECOYS)
    return (order.index(skill), code) if skill in SKILLS else (len(order), code)
