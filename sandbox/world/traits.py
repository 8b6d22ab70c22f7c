"""What the registries record about people and households: deaths, disability, 特困 and
低保, public employment, village cadres and their relatives, vehicles, businesses, land.

Each trait draws from its own generator (``rng_for(seed, "world", purpose)``), so tuning
one never shifts another. Selections of "exactly k people, likelier if …" use weighted
sampling without replacement by exponential keys (Efraimidis–Spirakis), which is
vectorised and stable.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sandbox.world.record_ids import same_str

if TYPE_CHECKING:
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


def tekun_weights(age: np.ndarray, disabled: np.ndarray, alone: np.ndarray, alive: np.ndarray) -> np.ndarray:
    return ((alone & alive & ((age >= 60) | disabled)) * (1.0 + (age >= 75) + 2.0 * disabled)).astype(float)


def sort_key(codes: np.ndarray) -> np.ndarray:
    """The same non-negative integer codes in 16 bits where they fit: NumPy's stable sorts
    (lexsort too) sort 16-bit integers by radix, several times faster, in the same order."""
    if len(codes) and codes.min() >= 0 and codes.max() < 2**16:
        return codes.astype(np.uint16)
    return codes


def sorted_codes(values: np.ndarray) -> np.ndarray:
    """Integer codes that order (and tie) exactly as the values do: a sort by them is a sort by
    the values."""
    codes, uniques = pd.factorize(values)
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[np.argsort(np.asarray(uniques, dtype=object), kind="stable")] = np.arange(len(uniques))
    return rank[codes]


def draw_namesakes(rng: np.random.Generator, village: np.ndarray, household: np.ndarray, names: np.ndarray,
                   surname_text: np.ndarray, male: np.ndarray, age: np.ndarray, alive: np.ndarray) -> np.ndarray:
    """Names with NAMESAKE_PAIRS pairs per village of people 60+ sharing one name (王秀英 and
    王秀英: common names, two people): a second person takes the first's name, same surname and
    sex, another household."""
    names = names.copy()
    eligible = np.flatnonzero((age >= 60) & alive)
    if not len(eligible):
        return names
    surname = np.zeros(len(surname_text), dtype=np.int64)
    surname[eligible] = sorted_codes(surname_text[eligible])  # integers sort far faster than str
    order = eligible[np.lexsort((rng.random(len(eligible)), male[eligible], sort_key(surname[eligible]),
                                 sort_key(village[eligible])))]
    same = ((village[order][1:] == village[order][:-1]) & (surname[order][1:] == surname[order][:-1])
            & (male[order][1:] == male[order][:-1]) & (household[order][1:] != household[order][:-1]))
    first, second = order[:-1][same], order[1:][same]
    keep = ~np.isin(first, second)  # a person is in one pair only
    first, second = first[keep], second[keep]
    keep = ~np.isin(second, first)
    first, second = first[keep], second[keep]
    pick = top_up_per_group(rng, village, np.zeros(len(village), dtype=bool),
                            mask_of(second, len(village)).astype(float), NAMESAKE_PAIRS)
    partner = dict(zip(second.tolist(), first.tolist(), strict=True))
    for b in pick.tolist():  # a few per village
        names[b] = names[partner[b]]
    return names


def top_k_per_group(rng: np.random.Generator, group: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of up to k items per group (weighted, without replacement), by group then rank."""
    eligible = np.flatnonzero(weights > 0)
    keys = rng.exponential(size=len(eligible)) / weights[eligible]
    order = np.lexsort((keys, sort_key(group[eligible])))
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



# --- raw material of the varied forms and of grey cases (issue 11) ---------------------------
CREMATION_SHARE = 0.7            # deaths with a cremation record (殡葬改革 areas cremate most)
MEDICAL_INSURANCE_SHARE = 0.96   # people enrolled in 城乡居民医保
FARM_VEHICLE_P = (0.08, 0.6)    # households owning a 三轮汽车/低速货车: others, 低保 of a cadre's relative
HIDDEN_ASSETS_P = 0.2            # 低保 households headed by a cadre's relative that own a car or business
WHOLE_LAND_SHARE = 0.4           # grain growers who sow all their contracted land
# Floors per village, so a one-village world still holds every form and grey kind (issue 11):
# a village of a few hundred people has a couple of deaths a year, a 五保 person, retirees…
MIN_DEATHS_BEFORE_PERIOD = 2     # people 60+ who died in the year before the period (dead_payee's material)
MIN_DEATHS_IN_PERIOD = 1         # people 60+ who died during the period: entitled for it (late_death)
MIN_LATE_REGISTERED = 1          # of those before the period: registered late, and registered in time
MIN_TEKUN = 1                    # 特困 people
MIN_RETIRED_STAFF = 2            # retired public staff 60+
MIN_WEALTHY_RELATIVES = 2        # cadres' relatives outside 低保 owning a car or business
NAMESAKE_PAIRS = 1               # two people 60+ of one name (same name, different person)


def top_up_per_group(rng: np.random.Generator, group: np.ndarray, have: np.ndarray, weights: np.ndarray,
                     minimum: int) -> np.ndarray:
    """Indices to add so each group holds at least `minimum` of `have`: drawn per group among
    the rows with weight > 0 that are not `have` yet (weighted, without replacement)."""
    n_groups = int(group.max()) + 1 if len(group) else 0
    deficit = np.maximum(0, minimum - np.bincount(group, have, minlength=n_groups)).astype(np.int64)
    w = np.where(have, 0.0, weights.astype(float))
    eligible = np.flatnonzero((w > 0) & (deficit[group] > 0))
    if not len(eligible):
        return np.array([], dtype=np.int64)
    keys = rng.exponential(size=len(eligible)) / w[eligible]
    ranked = eligible[np.lexsort((keys, sort_key(group[eligible])))]
    groups = group[ranked]
    rank = np.arange(len(ranked)) - np.searchsorted(groups, groups, side="left")
    return np.sort(ranked[rank < deficit[groups]])


def ensure_deaths(rng: np.random.Generator, scenario: Scenario, village: np.ndarray, age: np.ndarray,
                  birth: np.ndarray, death: np.ndarray, registered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Deaths added where a village has fewer than the floors: people 60+ (who draw a pension
    or allowance) dead in the year before the period, and dead during it."""
    cal = scenario.calendar
    start, as_of = _days(cal.period_start), _days(cal.as_of)
    end = min(_days(cal.period_end), as_of)
    old, dead = age >= 60, ~np.isnat(death)
    weights = np.where(old & ~dead, np.exp(0.09 * (age - 80.0)), 0.0)
    before = top_up_per_group(rng, village, dead & old & (death < start), weights, MIN_DEATHS_BEFORE_PERIOD)
    weights[before] = 0.0
    inside = top_up_per_group(rng, village, dead & old & (death >= start) & (death <= end), weights,
                              MIN_DEATHS_IN_PERIOD)
    death, registered = death.copy(), registered.copy()
    # as many deaths as the floors add are undone where no floor needs them (people under 60,
    # deaths after the period), so the scenario's dead_share still holds
    spare = np.flatnonzero(dead & (~old | (death > end)))
    undone = spare[rng.permutation(len(spare))[:len(before) + len(inside)]]
    death[undone] = np.datetime64("NaT", "D")
    registered[undone] = np.datetime64("NaT", "D")
    death[before] = start - rng.integers(1, 335, len(before)).astype("timedelta64[D]")
    span = max(1, int((end - start).astype(int)) + 1)
    death[inside] = start + rng.integers(0, span, len(inside)).astype("timedelta64[D]")
    new = np.r_[before, inside].astype(np.int64)
    death[new] = np.maximum(death[new], birth[new])
    lag_mean = scenario.population.death_registration_lag_days
    lag = np.round(rng.gamma(2.0, lag_mean / 2.0, len(new))) if lag_mean else np.zeros(len(new))
    registered[new] = death[new] + lag.astype(np.int64).astype("timedelta64[D]")
    return death, registered


def ensure_late_registrations(rng: np.random.Generator, village: np.ndarray, age: np.ndarray, death: np.ndarray,
                              registered: np.ndarray, late_registered: np.ndarray, period_start: dt.date,
                              as_of: dt.date) -> np.ndarray:
    """Each village's deaths of people 60+ before the period: at least one registered late and
    one registered in time, where it has two, so both forms of dead_payee exist."""
    before = ~np.isnat(death) & (death < _days(period_start)) & (age >= 60)
    out = late_registered.copy()
    late = out > _days(as_of)
    made_late = top_up_per_group(rng, village, before & late, before & ~late, MIN_LATE_REGISTERED)
    out[made_late] = _days(as_of) + rng.integers(3, 120, len(made_late)).astype("timedelta64[D]")
    late = out > _days(as_of)
    in_time = top_up_per_group(rng, village, before & ~late, before & late, MIN_LATE_REGISTERED)
    out[in_time] = np.minimum(registered[in_time], _days(as_of))
    return out


def draw_late_registrations(rng: np.random.Generator, death: np.ndarray, registered: np.ndarray,
                            period_start: dt.date, as_of: dt.date, share: float) -> np.ndarray:
    """Registration dates with a share of the deaths before the period registered only after
    `as_of` (rural deaths reach the 户籍/民政 registers late; they show first elsewhere)."""
    before = np.flatnonzero(~np.isnat(death) & (death < _days(period_start)))
    # a fixed share, at least one and never all where there are two or more: both forms exist
    k = min(max(1, round(share * len(before))), max(len(before) - 1, 0)) if len(before) else 0
    late = mask_of(rng.permutation(before)[:k], len(death))
    out = registered.copy()
    out[late] = _days(as_of) + rng.integers(3, 120, int(late.sum())).astype("timedelta64[D]")
    return out


def draw_death_traces(rng: np.random.Generator, death: np.ndarray, late: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cremation_date, insurance_ended_date): where a death shows outside the death register.
    Every late-registered death leaves at least one trace."""
    n = len(death)
    dead = ~np.isnat(death)
    cremated = dead & (rng.random(n) < CREMATION_SHARE)
    insured = dead & (rng.random(n) < MEDICAL_INSURANCE_SHARE)
    insured |= late & ~cremated
    cremation = np.full(n, np.datetime64("NaT", "D"))
    ended = cremation.copy()
    cremation[cremated] = death[cremated] + rng.integers(1, 4, int(cremated.sum())).astype("timedelta64[D]")
    ended[insured] = death[insured] + rng.integers(3, 30, int(insured.sum())).astype("timedelta64[D]")
    return cremation, ended


def draw_retired_staff(rng: np.random.Generator, age: np.ndarray, alive: np.ndarray, excluded: np.ndarray,
                       share: float, village: np.ndarray) -> np.ndarray:
    """Retired public staff living in the village: 60+, off the payroll, drawing a staff pension;
    at least MIN_RETIRED_STAFF in every village."""
    weights = ((age >= 60) & alive & ~excluded).astype(float)
    k = round(share * int(((age >= 60) & alive).sum()))
    retired = mask_of(pick_weighted(rng, weights, k), len(age))
    retired[top_up_per_group(rng, village, retired, weights, MIN_RETIRED_STAFF)] = True
    return retired


def draw_farm_vehicles(rng: np.random.Generator, head: np.ndarray, poor: np.ndarray, relative: np.ndarray,
                       alive: np.ndarray, poor_share: float) -> np.ndarray:
    """Farm vehicles (三轮汽车, 低速货车) of household heads: common, and no sign of wealth."""
    p = np.where(poor & relative, max(poor_share, FARM_VEHICLE_P[1]), np.where(poor, poor_share, FARM_VEHICLE_P[0]))
    return head & alive & (rng.random(len(head)) < p)


def draw_hidden_assets(rng: np.random.Generator, head: np.ndarray, poor: np.ndarray, relative: np.ndarray,
                       alive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(car, business): 低保 households of a cadre's relative whose income was understated."""
    hiding = head & poor & relative & alive & (rng.random(len(head)) < HIDDEN_ASSETS_P)
    car = hiding & (rng.random(len(head)) < 0.6)
    return car, hiding & ~car


def draw_land_transfers(rng: np.random.Generator, farmland: np.ndarray, grain: np.ndarray,
                        households_per_village: int, share: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(grain_mu, rented_in_mu, rented_from): some growers sow all their land, some rent land
    in from another household of their village (流转), so grain area exceeds the contract."""
    n = len(farmland)
    grows = grain > 0
    grain = np.where(grows & (rng.random(n) < WHOLE_LAND_SHARE), farmland, grain)
    renting = grows & (rng.random(n) < share)
    rented = np.where(renting, np.round(0.5 + rng.gamma(2.0, 1.5, n), 1), 0.0)
    village_start = np.arange(n) // households_per_village * households_per_village
    offset = rng.integers(1, max(2, households_per_village), n)
    lessor = village_start + (np.arange(n) - village_start + offset) % households_per_village
    lessor = np.minimum(lessor, n - 1)
    renting &= lessor != np.arange(n)
    rented[~renting] = 0.0
    return np.round(grain + rented, 1), rented, np.where(renting, lessor, -1)


def draw_renames(rng: np.random.Generator, names: np.ndarray, surname: np.ndarray, age: np.ndarray,
                 alive: np.ndarray, share: float) -> np.ndarray:
    """The new 户籍 name of people who changed it (曾用名 is then the old one), or "". Their bank
    card and the village's rosters still carry the old name: entitled, and paid as typed. Older
    people are likelier (names registered again after 1958 and in the 1980s re-registration)."""
    n = len(names)
    weights = ((age >= 30) & alive) * (1.0 + (age >= 60))
    chosen = pick_weighted(rng, weights.astype(float), round(share * int((age >= 30).sum())))
    donors = rng.integers(0, n, len(chosen))
    # another person's given name (their name after their surname), as whole string columns
    given = np.strings.slice(names[donors].astype(str), np.strings.str_len(surname[donors].astype(str)), None)
    given = np.where(given == "", "明", given)
    renamed = np.strings.add(surname[chosen].astype(str), given).astype(object)
    same = renamed == names[chosen]
    renamed[same] = renamed[same] + "华"
    out = same_str(n, "")
    out[chosen] = renamed
    return out
