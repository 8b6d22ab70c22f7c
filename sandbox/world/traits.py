"""What the registries record about people and households: deaths, disability, 特困 and
低保, public employment, village cadres and their relatives, vehicles, businesses, land.

Each trait draws from its own generator (``rng_for(seed, "world", purpose)``), so tuning
one never shifts another. Selections of "exactly k people, likelier if …" use weighted
sampling without replacement by exponential keys (Efraimidis–Spirakis), which is
vectorised and stable.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from sandbox.scenario import Scenario

DIBAO_INCOME_CEILING = 380.0  # ¥/person/month; below every plausible 低保 standard (¥400–600)
DISABILITY_GRADE_P = (0.12, 0.18, 0.30, 0.40)  # grades 1 (most severe) to 4


def pick_weighted(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of k items drawn without replacement, probability ∝ weight (0 = never)."""
    eligible = np.flatnonzero(weights > 0)
    k = min(k, len(eligible))
    if k <= 0:
        return np.array([], dtype=np.int64)
    keys = rng.exponential(size=len(eligible)) / weights[eligible]
    chosen = eligible[np.argpartition(keys, k - 1)[:k]] if k < len(eligible) else eligible
    return np.sort(chosen)


def mask_of(indices: np.ndarray, n: int) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[indices] = True
    return mask


def _days(date: dt.date) -> np.datetime64:
    return np.datetime64(date, "D")


def draw_deaths(rng: np.random.Generator, scenario: Scenario, age: np.ndarray, birth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(death_date, death_registered_date) as datetime64[D] with NaT for the living.

    Deaths fall in the year before ``as_of``, a tenth of them inside or after the
    payment period; older people are likelier to die (Gompertz-like hazard).
    """
    pop, cal = scenario.population, scenario.calendar
    n = len(age)
    dead = pick_weighted(rng, np.exp(0.09 * (age - 80.0)) + 1e-3, round(pop.dead_share * n))
    as_of = _days(cal.as_of)
    days_before = rng.integers(0, 366, len(dead))
    death = as_of - days_before.astype("timedelta64[D]")
    recent_start = _days(min(cal.period_start, cal.as_of))
    recent = rng.random(len(dead)) < 0.1
    span = int((as_of - recent_start).astype(int)) + 1
    death[recent] = recent_start + rng.integers(0, span, int(recent.sum())).astype("timedelta64[D]")
    death = np.maximum(death, birth[dead])
    lag_mean = pop.death_registration_lag_days
    lag = np.round(rng.gamma(2.0, lag_mean / 2.0, len(dead))) if lag_mean else np.zeros(len(dead))
    death_date = np.full(n, np.datetime64("NaT", "D"))  # a unit: NumPy 2.5 deprecates the generic one
    registered = death_date.copy()
    death_date[dead] = death
    registered[dead] = death + lag.astype(np.int64).astype("timedelta64[D]")
    return death_date, registered


def draw_disability(rng: np.random.Generator, share: float, age: np.ndarray) -> np.ndarray:
    """Disability grade per person: 0 none, 1–4; likelier with age."""
    chosen = pick_weighted(rng, 0.3 + (age / 60.0) ** 2, round(share * len(age)))
    grade = np.zeros(len(age), dtype=np.int64)
    grade[chosen] = rng.choice(np.arange(1, 5), size=len(chosen), p=DISABILITY_GRADE_P)
    return grade


def draw_tekun(rng: np.random.Generator, share: float, age: np.ndarray, disabled: np.ndarray,
               alone: np.ndarray, alive: np.ndarray) -> np.ndarray:
    """特困: people living alone, elderly or disabled (no income, no able supporter)."""
    weights = (alone & alive & ((age >= 60) | disabled)) * (1.0 + (age >= 75) + 2.0 * disabled)
    return mask_of(pick_weighted(rng, weights.astype(float), round(share * len(age))), len(age))


def top_k_per_group(rng: np.random.Generator, group: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of up to k items per group (weighted, without replacement), by group then rank."""
    eligible = np.flatnonzero(weights > 0)
    keys = rng.exponential(size=len(eligible)) / weights[eligible]
    order = np.lexsort((keys, group[eligible]))
    ranked = eligible[order]
    groups = group[ranked]
    starts = np.r_[0, np.flatnonzero(np.diff(groups)) + 1]
    rank = np.arange(len(ranked)) - np.repeat(starts, np.diff(np.r_[starts, len(ranked)]))
    return ranked[rank < k]


def draw_cadre_relatives(
    rng: np.random.Generator, cadres: np.ndarray, village: np.ndarray, household: np.ndarray,
    eligible: np.ndarray, surname: np.ndarray,
) -> np.ndarray:
    """For each person, the index of the cadre they are a relative of, or -1.

    Relatives live in other households of the cadre's village (siblings and in-laws who
    split off); persons are ordered by village, so a village is a contiguous range. Half
    the links look first for someone of the cadre's surname (a brother or sister).
    """
    n = len(village)
    relative_of = np.full(n, -1, dtype=np.int64)
    starts = np.searchsorted(village, village[cadres], side="left")
    ends = np.searchsorted(village, village[cadres], side="right")
    wanted = rng.choice([1, 2, 3], size=len(cadres), p=[0.3, 0.4, 0.3])
    slot_cadre = np.repeat(np.arange(len(cadres)), wanted)
    pending = np.arange(len(slot_cadre))
    wants_kin = rng.random(len(slot_cadre)) < 0.5
    for round_no in range(40):
        if not len(pending):
            break
        c = slot_cadre[pending]
        pick = starts[c] + (rng.random(len(pending)) * (ends[c] - starts[c])).astype(np.int64)
        ok = eligible[pick] & (household[pick] != household[cadres[c]]) & (relative_of[pick] == -1)
        if round_no < 20:
            ok &= ~wants_kin[pending] | (surname[pick] == surname[cadres[c]])
        _, first = np.unique(pick, return_index=True)  # two slots on one person: first wins
        ok &= mask_of(first, len(pick))
        relative_of[pick[ok]] = cadres[c[ok]]
        pending = pending[~ok]
    return relative_of


def draw_incomes(rng: np.random.Generator, dibao: np.ndarray, tekun_household: np.ndarray) -> np.ndarray:
    """Monthly income per person (¥): 低保 households below the standard, 特困 none."""
    n = len(dibao)
    income = 600.0 + rng.lognormal(np.log(700.0), 0.6, n)
    income[dibao] = rng.uniform(0.0, DIBAO_INCOME_CEILING, int(dibao.sum()))
    income[tekun_household] = 0.0
    return np.round(income, 2)


def draw_land(rng: np.random.Generator, mu_per_person: float, size: np.ndarray, forest_share: float) -> dict[str, np.ndarray]:
    """Contracted farmland, grain actually grown (≤ contracted) and forest, in 0.1 mu."""
    n = len(size)
    farmland = np.round(mu_per_person * size * rng.gamma(6.0, 1 / 6.0, n), 1)
    farmland[rng.random(n) < 0.03] = 0.0  # no contracted land (moved in, urban hukou …)
    grows_grain = rng.random(n) < 0.78  # the rest rent their land out or grow other crops
    grain = np.floor(farmland * rng.uniform(0.7, 1.0, n) * 10.0) / 10.0
    grain[~grows_grain] = 0.0
    forest = np.where(rng.random(n) < forest_share, np.maximum(0.3, np.round(rng.gamma(2.0, 1.2, n), 1)), 0.0)
    return {"farmland_mu": farmland, "grain_mu": np.minimum(grain, farmland), "forest_mu": forest}

