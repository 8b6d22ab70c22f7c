"""One county's residents at census scale, as column arrays (no Python object per person).

Ages follow the county's 2020 census age bands exactly in expectation; households follow the
county's census family-household size (鹿邑县 2.56 … 商水县 3.11; the city 2.88). Each household's head is drawn from the adult
bands first, the other members from what the bands have left, so the county's age marginal
is the census one. Traits reuse the village world's draws (sandbox/world/traits.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sandbox.common.cards import PROBLEM_STATUSES
from sandbox.common.regions import (
    AGE_BAND_STARTS,
    COUNTY_AGE_BANDS_2020,
    COUNTY_HOUSEHOLD_SIZE_2020,
    COUNTY_POPULATION_2020,
    ZHOUKOU_COUNTIES,
)
from sandbox.rng import rng_for
from sandbox.world import traits
from sandbox.world.generate import date_parts
from sandbox.world.idnumbers import COUNTY_CODES, address_codes

YEAR_START = dt.date(2022, 1, 1)  # ages are taken on the first day of the five months
# Household sizes 1–6 (judgement, shaped like Henan's census table of family households) with
# mean exactly 2.88, the city's census figure: 0.17 + 2·0.30 + 3·0.21 + 4·0.17 + 5·0.10 + 6·0.05;
# each county's shares are tilted to its own census mean (`size_shares`).
SIZE_SHARES = np.array([0.17, 0.30, 0.21, 0.17, 0.10, 0.05])
SIZES = np.arange(1, 7)
HEAD_FIRST_BAND = 4  # heads are 20 or older
MALE_SHARE = 0.4934  # 2020 census sex ratio 97.43 (docs/calibration.md)
OLDEST = 100.0
ORPHAN_SHARE = 0.0008         # of minors; judgement
FAMILY_PLANNING_SHARE = 0.05  # of people 60+, as in the village world
ACTIVE_STATUS = len(PROBLEM_STATUSES)  # card_status of an active card; 0… index PROBLEM_STATUSES


@dataclass
class CountyPeople:
    """Residents of one county: person columns in `persons`, household columns in `households`."""

    code: str
    name: str
    persons: pd.DataFrame      # one row per person (household = row of `households`)
    households: pd.DataFrame   # one row per household (head = row of `persons`)


def county_size(code: str, fraction: float) -> int:
    return max(50, round(COUNTY_POPULATION_2020[code] * fraction))


def size_shares(mean: float) -> np.ndarray:
    """SIZE_SHARES tilted (∝ share · e^(t·size)) so that the mean household size is `mean`."""
    low, high = -5.0, 5.0
    for _ in range(60):
        tilt = (low + high) / 2
        shares = SIZE_SHARES * np.exp(tilt * SIZES)
        shares /= shares.sum()
        low, high = (tilt, high) if shares @ SIZES < mean else (low, tilt)
    return shares


def _household_sizes(rng: np.random.Generator, n: int, mean: float) -> np.ndarray:
    shares = size_shares(mean)
    sizes = rng.choice(SIZES, size=int(n / mean * 1.05) + 50, p=shares)
    while sizes.sum() < n:  # a small county's draw can fall short: draw on
        sizes = np.concatenate([sizes, rng.choice(SIZES, size=50, p=shares)])
    total = np.cumsum(sizes)
    last = int(np.searchsorted(total, n))
    sizes = sizes[:last + 1].copy()
    sizes[-1] -= int(total[last] - n)  # the last household is cut to the county's exact size
    return sizes


def _ages_from_bands(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    band = rng.choice(len(weights), size=n, p=weights / weights.sum())
    start = np.asarray(AGE_BAND_STARTS, dtype=float)[band]
    width = np.where(band == len(AGE_BAND_STARTS) - 1, OLDEST - AGE_BAND_STARTS[-1], 5.0)
    return start + rng.random(n) * width


def _ages(rng: np.random.Generator, code: str, sizes: np.ndarray) -> np.ndarray:
    """Ages in years on 1 January 2022, heads first in each household."""
    bands = np.asarray(COUNTY_AGE_BANDS_2020[code])
    n, n_households = int(sizes.sum()), len(sizes)
    adult = bands.copy()
    adult[:HEAD_FIRST_BAND] = 0.0
    head_counts = n_households * adult / adult.sum()
    member_weights = np.clip(n * bands / bands.sum() - head_counts, 0.0, None)
    heads = _ages_from_bands(rng, adult, n_households)
    members = _ages_from_bands(rng, member_weights, n - n_households)
    first = np.cumsum(sizes) - sizes
    age = np.empty(n)
    is_head = np.zeros(n, dtype=bool)
    is_head[first] = True
    age[first] = heads
    age[~is_head] = members
    return age


def county_people(scenario, code: str, fraction: float = 1.0) -> CountyPeople:
    """The residents of county `code` (a share `fraction` of its census size), deterministic in
    the scenario's seed."""
    def rng(purpose: str) -> np.random.Generator:
        return rng_for(scenario.seed, "city", code, purpose)

    pop = scenario.population
    sizes = _household_sizes(rng("sizes"), county_size(code, fraction), COUNTY_HOUSEHOLD_SIZE_2020[code])
    n, n_households = int(sizes.sum()), len(sizes)
    household = np.repeat(np.arange(n_households, dtype=np.int32), sizes)
    age = _ages(rng("ages"), code, sizes)
    is_head = np.zeros(n, dtype=bool)
    is_head[np.cumsum(sizes) - sizes] = True
    male = rng("sex").random(n) < MALE_SHARE
    grade = traits.draw_disability(rng("disability"), pop.disability_share, age).astype(np.int8)
    alone = (sizes == 1)[household]
    tekun = traits.draw_tekun(rng("tekun"), pop.tekun_share, age, grade > 0, alone, np.ones(n, dtype=bool))
    needy = (1.0 + 2.0 * (np.bincount(household, grade > 0, n_households) > 0)
             + 2.0 * np.bincount(household, age >= 60, n_households) / sizes)
    tekun_hh = np.bincount(household, tekun, n_households) > 0
    dibao_share = scenario.city.dibao_household_share or pop.dibao_household_share
    dibao = traits.mask_of(traits.pick_weighted(rng("dibao"), np.where(tekun_hh, 0.0, needy),
                                                round(dibao_share * n_households)), n_households)
    land = traits.draw_land(rng("land"), pop.farmland_mu_per_person, sizes, pop.forest_household_share)
    flags = rng("flags")
    adult = (age >= 22) & (age < 60)
    public_employee = adult & (flags.random(n) < pop.public_employee_share)
    orphan = (age < 18) & (flags.random(n) < ORPHAN_SHARE)
    family_planning = (age >= 60) & (flags.random(n) < FAMILY_PLANNING_SHARE)
    cards = scenario.cards
    draw = rng("cards").random(n)
    edges = np.cumsum([getattr(cards.status_rates, s) for s in PROBLEM_STATUSES])
    status = np.searchsorted(edges, draw, side="right").astype(np.int8)  # len(PROBLEM_STATUSES) = active
    social_card = rng("card_kind").random(n) < cards.social_security_card_share
    birth = np.datetime64(YEAR_START, "D") - np.round(age * 365.2425).astype("timedelta64[D]")
    years = date_parts(birth)[0]
    home = np.full(n, COUNTY_CODES.index(code))
    persons = pd.DataFrame({
        "household": household, "age_years": age, "is_head": is_head, "sex": np.where(male, "男", "女"),
        "disability_grade": grade, "tekun": tekun, "public_employee": public_employee, "orphan": orphan,
        "family_planning": family_planning, "card_status": status, "social_security_card": social_card,
        "address_code": address_codes(home, years).astype(np.int32), "birth_year": years.astype(np.int16),
    }, copy=False)
    households = pd.DataFrame({
        "size": sizes.astype(np.int16), "dibao": dibao, "tekun_household": tekun_hh,
        "income_per_person": traits.draw_incomes(rng("income"), dibao, tekun_hh),
        "farmland_mu": land["farmland_mu"], "grain_mu": land["grain_mu"], "forest_mu": land["forest_mu"],
    }, copy=False)
    return CountyPeople(code, ZHOUKOU_COUNTIES[code], persons, households)
