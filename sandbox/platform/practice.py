"""The next exercise of a trainee: a scenario that extends their last one and aims at what they
still miss (docs/adaptive.md).

From a trainee's mastery (platform/mastery.py) it picks the weakest skills the scenario can
dial up, raises their rates (the weakest to TARGET_FACTOR × its base rate or more), adds
decoys of the same kinds (entitled entries that look like them), keeps everything else at the
base scenario's rates, and sizes the county for about PRACTICE_MINUTES. Same mastery, same
base, same trainee and number: the same file, byte for byte.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sandbox.irregularities import FAULTS, LOOK_ALIKES
from sandbox.platform.mastery import Mastery, weakest
from sandbox.platform.skills import BANK_PREFIX, OBJECTIONS, SKILLS, skill_name

PRACTICE_SUFFIX = "-practice"
PRACTICE_MINUTES = 20
# A planning figure, not a measurement: about a quarter of a minute per household for review
# (≈2.7 roster entries each) and five minutes for the other stages.
MINUTES_PER_HOUSEHOLD = 0.25
OTHER_STAGES_MINUTES = 5
PRACTICE_HOUSEHOLDS = round((PRACTICE_MINUTES - OTHER_STAGES_MINUTES) / MINUTES_PER_HOUSEHOLD)
TARGETS = 2                  # skills aimed at in one exercise: the weakest, then the next
TARGET_FACTOR = 4.0          # the weakest target's rate: 4 × its base rate, so that the cases a small
#                              county can hold (whole cases, two at least) still come to 3 × or more
NEXT_FACTOR = 2.0            # the next target's
MIN_TARGET_RATE = 0.03       # a type the base scenario plants rarely or never still shows a few cases
DECOY_FACTOR = 2.0           # the decoys of a targeted type: twice the base share
MAX_PLANTED = 0.6            # the schema's cap on all planted rates together
MAX_CARD_PROBLEMS = 0.5      # the schema's cap on the card status rates together

# What makes decoys of each irregularity type in the world: population shares whose entitled
# people look like that type (sandbox/irregularities/look_alikes.py). Types without one have
# decoys by nature (namesakes, the head's card for per-household programs) or none.
DECOY_LEVERS: dict[str, tuple[tuple[str, str, float], ...]] = {
    "cadre_relative": (("population", "farm_vehicle_dibao_share", DECOY_FACTOR),
                       ("population", "cadres_per_village", DECOY_FACTOR),
                       ("population", "dibao_household_share", DECOY_FACTOR)),
    "public_employee": (("population", "retired_staff_share", DECOY_FACTOR),),
    "inflated_area": (("population", "rented_in_share", DECOY_FACTOR),),
    "data_entry_name": (("population", "renamed_share", DECOY_FACTOR),),
    # deaths make both the cases (a dead payee) and the decoys (a death during the period)
    "dead_payee": (("population", "dead_share", TARGET_FACTOR),),
}
# The card statuses a bank return code comes from (sandbox/bank/model.py).
CODE_STATUSES: dict[str, tuple[str, ...]] = {
    "AG01": ("not_activated",), "AC04": ("closed",), "AC06": ("frozen", "pin_locked", "reported_lost"),
    "NOCM": ("dormant",),
}
# 公示 objections: more of them, real and false (a false one is the decoy: dismissing it is right).
OBJECTION_RATES = ("objection_rate_blatant", "objection_rate_subtle", "objection_rate_false")


@dataclass(frozen=True)
class PracticePlan:
    """What the next exercise aims at, and the scenario that does it (YAML-ready data)."""

    trainee: str
    base: str                      # the scenario it extends, as `extends` names it
    targets: tuple[str, ...]       # skill codes, weakest first
    changes: dict[str, Any]        # the scenario mapping written (extends and all)
    mastery: dict[str, Mastery] = field(default_factory=dict)

    def message(self, path: Path | str | None = None, lang: str = "zh") -> str:
        names = "、".join(skill_name(t, "zh") for t in self.targets) if lang == "zh" else \
            ", ".join(skill_name(t, "en") for t in self.targets)
        where = f"：{path}" if lang == "zh" and path else (f": {path}" if path else "")
        decoys = any(SKILLS.get(t) is not None and SKILLS[t].kind == "irregularity" for t in self.targets)
        if lang == "zh":
            note = "（同类的“看似有问题、其实合规”的对象也加多了，别一律拒绝）" if decoys else ""
            return f"已为{self.trainee}生成针对性练习{where}。重点练：{names}{note}。约{PRACTICE_MINUTES}分钟。"
        note = " (with more entitled look-alikes of the same kinds: rejecting everything does not pay)" if decoys else ""
        return (f"A targeted exercise for {self.trainee} was written{where}. It practises: {names}{note}. "
                f"About {PRACTICE_MINUTES} minutes.")


def root_name(name: str) -> str:
    """The scenario a practice scenario was made from (its name without the practice suffix)."""
    return name.removesuffix(PRACTICE_SUFFIX)


def plan_practice(base: Any, base_ref: str, trainee: str, mastery: Mapping[str, Mastery],
                  number: int) -> PracticePlan:
    """The next exercise for `trainee` on top of the validated `base` scenario (named in the
    file as `base_ref`); `number` counts the attempts so far (it picks a fresh seed)."""
    targets = pick_targets(mastery, base)
    changes: dict[str, Any] = {"extends": base_ref, "name": _practice_name(base.name)}
    names_zh = "、".join(skill_name(t, "zh") for t in targets)
    names_en = ", ".join(skill_name(t, "en") for t in targets)
    changes["title"] = {"zh": f"针对性练习：{names_zh}"[:200], "en": f"Targeted practice: {names_en}"[:200]}
    changes["description"] = {
        "zh": f"根据你以往的练习生成：{names_zh}的问题更多，同类的合规对象也更多；其余与原场景相同。"[:200],
        "en": f"Made from your earlier attempts: more cases of {names_en}, and more entitled "
              "look-alikes of the same kinds; the rest as the base scenario."[:200]}
    changes["seed"] = practice_seed(base.seed, trainee, number)
    changes["mode"] = "practice"
    changes["periods"] = 1
    changes["region"] = {"counties": [base.region.counties[0]], "scale": "township", "townships_per_county": 1,
                         "villages_per_township": 1, "households_per_village": PRACTICE_HOUSEHOLDS,
                         "people_per_village": None}
    for rank, skill in enumerate(targets):
        factor = TARGET_FACTOR if rank == 0 else NEXT_FACTOR
        _aim(changes, base, skill, factor)
    return PracticePlan(trainee, base_ref, tuple(targets), changes, dict(mastery))


def pick_targets(mastery: Mapping[str, Mastery], base: Any) -> list[str]:
    """The weakest skills a scenario can dial up (irregularity types, bank codes with a card
    status behind them, objections), at most TARGETS; with no evidence of any of them, the
    irregularity types the base scenario plants least (the trainee has met them least)."""
    dialable = {s for s in mastery if _dialable(s)}
    ranked = [m.skill for m in weakest(mastery, dialable)]
    if ranked:
        return ranked[:TARGETS]
    rates = base.irregularities.model_dump()
    return sorted(FAULTS, key=lambda code: (rates[code], code))[:TARGETS]


def _dialable(skill: str) -> bool:
    if skill.startswith(BANK_PREFIX):
        return skill.removeprefix(BANK_PREFIX) in CODE_STATUSES
    return skill == OBJECTIONS or (skill in SKILLS and SKILLS[skill].kind == "irregularity")


def _aim(changes: dict[str, Any], base: Any, skill: str, factor: float) -> None:
    """Raise what makes cases of `skill` (and its decoys) in the practice scenario."""
    if skill == OBJECTIONS:
        review = changes.setdefault("review", {})
        for name in OBJECTION_RATES:
            review[name] = _rounded(min(1.0, getattr(base.review, name) * factor))
        return
    if skill.startswith(BANK_PREFIX):
        statuses = CODE_STATUSES[skill.removeprefix(BANK_PREFIX)]
        rates = {**base.cards.status_rates.model_dump(), **changes.get("cards", {}).get("status_rates", {})}
        for status in statuses:
            rates[status] = max(rates[status] * factor, MIN_TARGET_RATE / len(statuses))
        scale = min(1.0, MAX_CARD_PROBLEMS / sum(rates.values()))
        changes.setdefault("cards", {})["status_rates"] = _changed(
            {k: v * scale for k, v in rates.items()}, base.cards.status_rates.model_dump())
        return
    rates = {**base.irregularities.model_dump(), **changes.get("irregularities", {})}
    maximum = type(base.irregularities).model_fields[skill].metadata
    ceiling = min([getattr(m, "le", 1.0) for m in maximum if getattr(m, "le", None) is not None] or [1.0])
    rates[skill] = min(ceiling, max(rates[skill] * factor, MIN_TARGET_RATE))
    others = sum(v for k, v in rates.items() if k not in (skill, "messy_typing"))
    if others + rates[skill] > MAX_PLANTED:  # the rest gives way, the target keeps its rate
        shrink = (MAX_PLANTED - rates[skill]) / others
        rates = {k: (v if k in (skill, "messy_typing") else v * shrink) for k, v in rates.items()}
    changes["irregularities"] = _changed(rates, base.irregularities.model_dump())
    for section, name, times in DECOY_LEVERS.get(skill, ()):
        current = getattr(getattr(base, section), name)
        upper = _upper(type(getattr(base, section)), name)
        raised = min(upper, current * times)
        changes.setdefault(section, {})[name] = int(raised) if isinstance(current, int) else _rounded(raised)


def _changed(rates: Mapping[str, float], base: Mapping[str, float]) -> dict[str, float]:
    """The rates that differ from the base's (the file says only what the practice changes)."""
    return {k: _rounded(v) for k, v in rates.items() if _rounded(v) != _rounded(base[k])}


def _upper(model: type, name: str) -> float:
    for meta in model.model_fields[name].metadata:
        if getattr(meta, "le", None) is not None:
            return float(meta.le)
    return 1.0


def _rounded(value: float) -> float:
    return round(float(value), 4)


def _practice_name(base_name: str) -> str:
    root = root_name(base_name)
    return root[:64 - len(PRACTICE_SUFFIX)] + PRACTICE_SUFFIX


def practice_seed(base_seed: int, trainee: str, number: int) -> int:
    """A fresh county for every exercise, the same one for the same trainee and number."""
    digest = hashlib.sha256(f"{base_seed}:{trainee}:{number}".encode()).hexdigest()
    return int(digest[:12], 16) % 1_000_000_000


def practice_yaml(plan: PracticePlan) -> str:
    """The scenario file: a comment saying what was aimed at and why, then the changes."""
    lines = [f"# 针对性练习 / targeted practice for {plan.trainee} (sandbox practise; docs/adaptive.md)",
             "# 掌握程度（平均值，90%可信区间，案例数） / mastery (mean, 90% interval, cases):"]
    for skill in plan.targets:
        m = plan.mastery.get(skill)
        shown = (f"{m.mean:.2f} [{m.low:.2f}, {m.high:.2f}], {m.cases:g}" if m else "no evidence yet")
        lines.append(f"#   {skill} {skill_name(skill, 'zh')}: {shown}")
    lines.append("# 培训老师可以直接改下面的数值 / a trainer may edit any value below")
    body = yaml.safe_dump(plan.changes, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return "\n".join(lines) + "\n" + body


def decoys_imitating(kind: str) -> tuple[str, ...]:
    """The look-alike kinds that imitate an irregularity type."""
    return tuple(code for code, alike in LOOK_ALIKES.items() if alike.imitates == kind)
