"""Households and their members: composition, ages, sex, relations and names.

Each household follows a template (an elderly widow alone, a couple with two children,
three generations under an elderly head, grandparents raising grandchildren …). Member
ages derive from the head's age with generation gaps, clipped to the template's age
bands so that every template has a fixed number of people aged 60+. Template weights
are then tilted (w · exp(a·size + b·elders)) so that the expected household size and
elderly share match the scenario exactly.

Ages of 60 and over follow the shape of the 2020 census (``ELDER_AGE_SHARES``, sources
in docs/calibration.md): an elderly head's age is drawn from it, cut to the template's
band, and a head's elderly parent is drawn from it between 22 and 36 years older than
the head. Spouses follow the head's age.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sandbox.common.regions import ZHOUKOU_COUNTIES
from sandbox.world.names import draw_given_names, draw_surnames
from sandbox.world.record_ids import same_str

YOUNG = (0.0, 59.9)  # age bands (years); 60.1 keeps whole-year ages on the right side of 60
ADULT_YOUNG = (20.0, 59.9)
ELDER = (60.1, 99.0)
# Draw shares of elderly heads and parents by age band (years from, to, share). The 2020
# census gives, of those 60+: 60–64 27.8 %, 60–69 55.8 %, 70–79 30.6 %, 80+ 13.6 %
# (docs/calibration.md). Spouses and parents shift the mix a little older than the heads'
# draw, so the draw leans young; the generated world lands on the census shape
# (tests/test_calibration.py holds it there).
ELDER_AGE_SHARES: tuple[tuple[float, float, float], ...] = (
    (60.0, 65.0, 0.300), (65.0, 70.0, 0.290), (70.0, 80.0, 0.275), (80.0, 90.0, 0.115), (90.0, 99.0, 0.020),
)
_ELDER_EDGES = np.array([ELDER_AGE_SHARES[0][0], *(hi for _, hi, _ in ELDER_AGE_SHARES)])
_ELDER_CDF = np.concatenate([[0.0], np.cumsum([share for _, _, share in ELDER_AGE_SHARES])])
_ELDER_CDF /= _ELDER_CDF[-1]
HEAD_MALE_SHARE = 0.88
NAMESAKE_SURNAME_SHARE = 0.45  # heads in 王庄村 who are themselves 王
MARRIED_IN_OTHER_COUNTY_SHARE = 0.25  # wives born in another Zhoukou county


@dataclass(frozen=True)
class Slot:
    """A household member other than the head; ``anchor`` is the slot whose age it follows."""

    kind: str  # spouse | child | son | daughter | child_spouse | grandchild | father | mother
    anchor: int = -1  # -1 = the head


@dataclass(frozen=True)
class Template:
    name: str
    head_ages: tuple[float, float]
    slots: tuple[Slot, ...]
    weight: float
    head_male_share: float = HEAD_MALE_SHARE

    @property
    def size(self) -> int:
        return 1 + len(self.slots)

    @property
    def elders(self) -> int:
        head_elder = self.head_ages[0] >= 60
        spouse_elder = head_elder and any(s.kind == "spouse" for s in self.slots)
        parents = sum(s.kind in {"father", "mother"} for s in self.slots)
        return int(head_elder) + int(spouse_elder) + parents


def _children(k: int) -> tuple[Slot, ...]:
    return tuple(Slot("child") for _ in range(k))


def _grandchildren(k: int, anchor: int) -> tuple[Slot, ...]:
    return tuple(Slot("grandchild", anchor) for _ in range(k))


SPOUSE = Slot("spouse")
# Base weights describe a rural Henan county; the tilt adjusts them to the scenario.
TEMPLATES: tuple[Template, ...] = (
    Template("single_elder", (60.1, 99.0), (), 8, head_male_share=0.45),
    Template("single_adult", (22.0, 59.9), (), 3, head_male_share=0.75),
    Template("elder_couple", (60.1, 95.0), (SPOUSE,), 12),
    Template("middle_couple", (40.0, 59.9), (SPOUSE,), 4),
    *(Template(f"nuclear_{k}", (25.0, 59.9), (SPOUSE, *_children(k)), w)
      for k, w in ((1, 14), (2, 16), (3, 5))),
    *(Template(f"nuclear_{k}_{p}parent", (38.0, 57.0),
               (SPOUSE, *_children(k), *((Slot("mother"),) if p == 1 else (Slot("father"), Slot("mother")))), w)
      for k, p, w in ((1, 1, 4), (2, 1, 5), (1, 2, 2), (2, 2, 3))),
    *(Template(f"stem_{k}", (60.1, 90.0), (SPOUSE, Slot("son"), Slot("child_spouse", 1), *_grandchildren(k, 1)), w)
      for k, w in ((0, 2), (1, 6), (2, 7), (3, 3))),
    *(Template(f"stem_young_{k}", (50.0, 59.9), (SPOUSE, Slot("son"), Slot("child_spouse", 1), *_grandchildren(k, 1)), w)
      for k, w in ((1, 2), (2, 2))),
    Template("uxorilocal_1", (50.0, 59.9), (SPOUSE, Slot("daughter"), Slot("child_spouse", 1), *_grandchildren(1, 1)), 1),
    *(Template(f"skip_generation_{k}", (60.1, 85.0), (SPOUSE, *_grandchildren(k, -1)), w) for k, w in ((1, 3), (2, 2))),
    *(Template(f"single_parent_{k}", (30.0, 59.9), _children(k), w, head_male_share=0.3) for k, w in ((1, 2), (2, 2))),
)

if TYPE_CHECKING:
    from sandbox.scenario import Scenario


def template_probabilities(mean_size: float, elderly_share: float) -> np.ndarray:
    """Tilted template weights matching mean household size and share aged 60+."""
    base = np.array([t.weight for t in TEMPLATES], dtype=float)
    size = np.array([t.size for t in TEMPLATES], dtype=float)
    elders = np.array([t.elders for t in TEMPLATES], dtype=float)
    log_base = np.log(base)

    def probs(a: float, b: float, b_elders: np.ndarray | None = None) -> np.ndarray:
        logw = log_base + a * size + (b * elders if b_elders is None else b_elders)
        w = np.exp(logw - logw.max())
        return w / w.sum()

    def solve_a(b: float) -> float:  # mean size rises with a
        lo, hi = -30.0, 30.0
        b_elders = b * elders  # the same in every step
        for _ in range(50):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if probs(mid, b, b_elders) @ size < mean_size else (lo, mid)
        return (lo + hi) / 2

    lo, hi = -30.0, 30.0  # elderly share rises with b (at fixed mean size)
    for _ in range(45):
        mid = (lo + hi) / 2
        p = probs(solve_a(mid), mid)
        lo, hi = (mid, hi) if (p @ elders) / (p @ size) < elderly_share else (lo, mid)
    b = (lo + hi) / 2
    return probs(solve_a(b), b)


def _clip_uniform(rng: np.random.Generator, lo: np.ndarray | float, hi: np.ndarray | float, n: int) -> np.ndarray:
    return lo + rng.random(n) * (np.asarray(hi) - lo)


def _elder_ages(rng: np.random.Generator, lo: np.ndarray | float, hi: np.ndarray | float, n: int) -> np.ndarray:
    """Ages between ``lo`` and ``hi`` (60+) following the census shape ``ELDER_AGE_SHARES``.

    One uniform draw per person, as ``_clip_uniform`` makes, through the piecewise-linear
    inverse of the census distribution cut to [lo, hi]."""
    low = np.interp(lo, _ELDER_EDGES, _ELDER_CDF)
    high = np.interp(hi, _ELDER_EDGES, _ELDER_CDF)
    return np.interp(low + rng.random(n) * (high - low), _ELDER_CDF, _ELDER_EDGES)


def _fit_band(rng: np.random.Generator, age: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Move ages outside [lo, hi] to a random point just inside the band.

    Hard clipping would pile many people onto one birth date, more than a county's
    order codes for that date can number."""
    width = min(2.0, hi - lo)
    age = age.copy()
    low, high = age < lo, age > hi
    age[low] = lo + rng.random(int(low.sum())) * width
    age[high] = hi - rng.random(int(high.sum())) * width
    return age


def _member_age(rng: np.random.Generator, kind: str, anchor_age: np.ndarray, anchor_elder: bool) -> np.ndarray:
    n = len(anchor_age)
    if kind == "spouse":
        band = ELDER if anchor_elder else ADULT_YOUNG
        return _fit_band(rng, anchor_age + rng.normal(-1.5, 3.0, n), *band)
    if kind in {"child", "son", "daughter"}:
        gap = _clip_uniform(rng, 20.0, np.minimum(36.0, anchor_age - 0.2), n)
        low = 0.0 if kind == "child" else 22.0
        return _fit_band(rng, anchor_age - gap, low, YOUNG[1])
    if kind == "child_spouse":
        return _fit_band(rng, anchor_age + rng.normal(0.0, 2.5, n), *ADULT_YOUNG)
    if kind == "grandchild":
        gap = _clip_uniform(rng, 20.0, np.minimum(34.0, anchor_age - 0.2), n)
        return _fit_band(rng, anchor_age - gap, *YOUNG)
    if kind in {"father", "mother"}:  # 22–36 years older than the head, and 60+
        lo = np.maximum(anchor_age + 22.0, ELDER[0])
        return _elder_ages(rng, lo, np.maximum(np.minimum(anchor_age + 36.0, ELDER[1]), lo), n)
    raise ValueError(kind)


def _sibling_age(rng: np.random.Generator, sibling_age: np.ndarray) -> np.ndarray:
    """1.5–5 years apart: younger where that is possible, otherwise older."""
    spacing = rng.uniform(1.5, 5.0, len(sibling_age))
    younger = sibling_age - spacing
    return np.where(younger >= 0.1, younger, sibling_age + spacing)


def _member_male(rng: np.random.Generator, kind: str, head_male: np.ndarray) -> np.ndarray:
    n = len(head_male)
    fixed = {"son": True, "father": True, "daughter": False, "mother": False}
    if kind in fixed:
        return np.full(n, fixed[kind])
    if kind == "spouse":
        return ~head_male
    if kind == "grandchild":
        return rng.random(n) < 0.53  # rural sex ratio at birth was high
    return rng.random(n) < 0.52


RELATION = {
    ("head", True): "户主", ("head", False): "户主",
    ("spouse", True): "配偶", ("spouse", False): "配偶",
    ("child", True): "子", ("child", False): "女", ("son", True): "子", ("daughter", False): "女",
    ("grandchild", True): "孙子", ("grandchild", False): "孙女",
    ("father", True): "父亲", ("mother", False): "母亲",
}


def _relation(kind: str, male: np.ndarray, anchor_kind: str) -> np.ndarray:
    if kind == "child_spouse":  # the spouse of a son is 儿媳, of a daughter 女婿
        return same_str(len(male), "儿媳" if anchor_kind == "son" else "女婿")
    labels = np.array([RELATION.get((kind, False), ""), RELATION.get((kind, True), "")], dtype=object)
    return labels[male.astype(np.intp)]


SHARES_HEAD_SURNAME = {"head", "child", "son", "daughter", "grandchild", "father"}


def build_members(scenario: Scenario, village_surnames: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Column arrays, one entry per person, ordered by household then member slot."""
    pop = scenario.population
    hpv = scenario.region.households_per_village
    n_households = len(village_surnames) * hpv
    probs = template_probabilities(pop.mean_household_size, pop.elderly_share)
    template_of = _assign_templates(rng, probs, n_households)

    parts: list[dict[str, np.ndarray]] = []
    for t_index, template in enumerate(TEMPLATES):
        households = np.flatnonzero(template_of == t_index)
        if len(households):
            parts.extend(_template_members(rng, template, households))
    # A member's place in the household-then-slot order is its household's first place plus
    # its slot (slots run 0, 1, … in every household): placed directly, no sort.
    size = np.array([t.size for t in TEMPLATES])[template_of]
    first = np.cumsum(size) - size
    places = [first[p["household"]] + p["slot"] for p in parts]
    cols = {}
    for key in parts[0]:
        column = np.empty(int(size.sum()), dtype=np.result_type(*(p[key] for p in parts)))
        for part, place in zip(parts, places, strict=True):
            column[place] = part[key]
        cols[key] = column
    _name_members(rng, cols, np.asarray(village_surnames, dtype=object)[cols["household"] // hpv])
    return cols


def _assign_templates(rng: np.random.Generator, probs: np.ndarray, n: int) -> np.ndarray:
    """Template per household with counts fixed to n·p (largest remainder), then shuffled:
    a one-village world gets the scenario's mean household size, not a noisy draw of it."""
    expected = probs * n
    counts = np.floor(expected).astype(np.int64)
    short = n - int(counts.sum())
    if short:
        remainder = expected - counts
        counts[rng.choice(len(probs), size=short, replace=False, p=remainder / remainder.sum())] += 1
    return rng.permutation(np.repeat(np.arange(len(probs)), counts))


def _template_members(rng: np.random.Generator, template: Template, households: np.ndarray) -> list[dict[str, np.ndarray]]:
    n = len(households)
    age_draw = _elder_ages if template.head_ages[0] >= 60 else _clip_uniform
    head_age = age_draw(rng, template.head_ages[0], template.head_ages[1], n)
    head_male = rng.random(n) < template.head_male_share
    head_elder = template.head_ages[0] >= 60
    ages, males, kinds = [head_age], [head_male], ["head"]
    for slot in template.slots:
        if slot.anchor == -1 and slot.kind == "grandchild":  # skip generation: an absent parent
            anchor_age = _fit_band(rng, head_age - _clip_uniform(rng, 22.0, 32.0, n), *ADULT_YOUNG)
            anchor_kind = "son"
        else:
            anchor_age = ages[slot.anchor + 1]
            anchor_kind = kinds[slot.anchor + 1]
        if kinds[-1] == slot.kind and slot.kind in {"child", "grandchild"}:
            age = _sibling_age(rng, ages[-1])  # a younger (or older) brother or sister
        else:
            age = _member_age(rng, slot.kind, anchor_age, head_elder and slot.anchor == -1)
        ages.append(age)
        male = _member_male(rng, slot.kind, head_male)
        if slot.kind == "child_spouse":
            male = np.full(n, anchor_kind == "daughter")
        males.append(male)
        kinds.append(slot.kind)
    parts = []
    for position, (age, male, kind) in enumerate(zip(ages, males, kinds, strict=True)):
        anchor_kind = kinds[template.slots[position - 1].anchor + 1] if position else "head"
        parts.append({
            "household": households,
            "slot": np.full(n, position),
            "age_years": age,
            "male": male,
            "relation": _relation(kind, male, anchor_kind),
            "shares_surname": np.full(n, kind in SHARES_HEAD_SURNAME),
            "married_in": np.full(n, kind in {"spouse", "child_spouse", "mother"}) & ~male,
            "skip_generation": np.full(n, template.name.startswith("skip_generation")),
        })
    return parts


def _name_members(rng: np.random.Generator, cols: dict[str, np.ndarray], namesakes: np.ndarray) -> None:
    n = len(cols["household"])
    is_head = cols["slot"] == 0
    head_surname = draw_surnames(rng, n)
    use_namesake = rng.random(n) < NAMESAKE_SURNAME_SHARE
    head_surname[use_namesake] = namesakes[use_namesake]
    # broadcast each household's head surname to its members (heads come first)
    head_row = np.maximum.accumulate(np.where(is_head, np.arange(n), 0))
    own_surname = draw_surnames(rng, n)
    surname = np.where(cols["shares_surname"], head_surname[head_row], own_surname)
    cols["surname"] = surname
    cols["name"] = surname + draw_given_names(rng, cols["male"])
    cols["head_row"] = head_row


def birth_dates(age_years: np.ndarray, period_start: dt.date) -> np.ndarray:
    """Birth dates (datetime64[D]) for continuous ages at the start of the period."""
    days = np.round(age_years * 365.2425).astype(np.int64)
    return np.datetime64(period_start, "D") - days.astype("timedelta64[D]")


def origin_counties(rng: np.random.Generator, home: np.ndarray, married_in: np.ndarray) -> np.ndarray:
    """County on each person's ID, as a position in sorted(ZHOUKOU_COUNTIES) like ``home``:
    home, or another Zhoukou county for some wives."""
    moved = married_in & (rng.random(len(home)) < MARRIED_IN_OTHER_COUNTY_SHARE)
    origin = home.copy()
    origin[moved] = rng.integers(0, len(ZHOUKOU_COUNTIES), int(moved.sum()))
    return origin
