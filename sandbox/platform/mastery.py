"""Mastery per skill: a Beta posterior over the share of cases a trainee gets right.

The model (docs/adaptive.md). Each skill's chance of getting a case right is unknown; before
any case it is Beta(PRIOR_RIGHT, PRIOR_WRONG) — uniform, "no idea". Every case of every
attempt adds its right/wrong to the two counts, older attempts weighed down by DECAY per later
attempt, so a trainee who has learnt something is not held to old mistakes for ever. The
estimate is the posterior mean; its uncertainty the central credible interval (LEVEL): three
cases give a wide interval, thirty a narrow one.

The quantiles are computed on a fixed grid (no SciPy): deterministic and to about 0.001.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from sandbox.platform.skills import DECOYS, Cases, skill_name

PRIOR_RIGHT = 1.0   # Beta(1, 1): every share of right cases equally likely before any evidence
PRIOR_WRONG = 1.0
DECAY = 0.7         # an attempt's weight for each later attempt (1.0: every attempt counts alike)
LEVEL = 0.9         # the credible interval shown: 90 % of the posterior lies inside
WEAK_BELOW = 0.8    # a skill whose mean is below this is weak (practice targets it)
_GRID = np.linspace(0.0, 1.0, 2001)


@dataclass(frozen=True)
class Mastery:
    """One skill's estimate: mean and credible interval of the share of cases got right, from
    `cases` cases (weighted by recency, so not always a whole number)."""

    skill: str
    mean: float
    low: float
    high: float
    cases: float
    right: float
    part: str = ""  # for an irregularity type: "caught" or "decoys", whichever is weaker

    @property
    def weak(self) -> bool:
        return self.mean < WEAK_BELOW

    def as_dict(self, lang: str = "zh") -> dict[str, object]:
        return {"skill": self.skill, "name": skill_name(self.skill, lang), "mean": round(self.mean, 3),
                "low": round(self.low, 3), "high": round(self.high, 3), "cases": round(self.cases, 2),
                "right": round(self.right, 2)}


def estimate(attempts: Sequence[Mapping[str, Cases]], decay: float = DECAY,
             prior: tuple[float, float] = (PRIOR_RIGHT, PRIOR_WRONG), level: float = LEVEL) -> dict[str, Mastery]:
    """Mastery of every skill seen in `attempts` (each attempt's cases per skill, oldest first)."""
    totals: dict[str, Cases] = {}
    for age, attempt in enumerate(reversed(attempts)):
        weight = decay ** age
        for skill, cases in attempt.items():
            totals[skill] = totals.get(skill, Cases(0.0, 0.0)) + Cases(cases.right * weight, cases.cases * weight)
    out = {}
    for skill, seen in totals.items():
        a = prior[0] + seen.right
        b = prior[1] + max(seen.cases - seen.right, 0.0)
        low, high = beta_interval(a, b, level)
        out[skill] = Mastery(skill, a / (a + b), low, high, seen.cases, seen.right)
    return _weaker_part(out)


def _weaker_part(found: dict[str, Mastery]) -> dict[str, Mastery]:
    """An irregularity type's cases caught and its decoys left alone are one skill: it stands
    at the weaker of the two (a type approved whole, or rejected whole, is not mastered)."""
    out: dict[str, Mastery] = {}
    for skill, m in found.items():
        if skill.endswith(DECOYS):
            continue
        decoys = found.get(skill + DECOYS)
        if decoys is not None:
            m = replace(m, part="caught") if m.mean <= decoys.mean else replace(decoys, skill=skill, part="decoys")
        out[skill] = m
    for skill, m in found.items():  # decoys of a type none of whose cases was planted
        base = skill.removesuffix(DECOYS)
        if skill.endswith(DECOYS) and base not in out:
            out[base] = replace(m, skill=base, part="decoys")
    return out


def beta_interval(a: float, b: float, level: float = LEVEL) -> tuple[float, float]:
    """The central `level` credible interval of Beta(a, b), from its density on a fixed grid."""
    inner = _GRID[1:-1]
    log_density = ((a - 1) * np.log(inner) + (b - 1) * np.log1p(-inner)
                   + math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b))
    density = np.concatenate([[0.0], np.exp(log_density), [0.0]])
    cdf = np.concatenate([[0.0], np.cumsum((density[1:] + density[:-1]) / 2 * np.diff(_GRID))])
    cdf /= cdf[-1]
    tail = (1 - level) / 2
    return float(np.interp(tail, cdf, _GRID)), float(np.interp(1 - tail, cdf, _GRID))


def weakest(mastery: Mapping[str, Mastery], among: set[str] | None = None) -> list[Mastery]:
    """Skills from weakest to strongest: by mean, then by the upper end of the interval (of two
    alike, the one we are surer is weak first), then by code (a fixed order)."""
    chosen = [m for s, m in mastery.items() if among is None or s in among]
    return sorted(chosen, key=lambda m: (round(m.mean, 6), round(m.high, 6), m.skill))
