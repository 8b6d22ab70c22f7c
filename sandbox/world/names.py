"""Chinese names drawn in bulk from Faker's zh_CN provider data.

Faker's per-call API runs at a few thousand names a second; here we read the provider's
word lists once (surnames with their frequency weights, male and female given names) and
draw whole columns with NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from sandbox.world.record_ids import redraw_repeats

# Share of given names made of two single-character names (伟 + 强 -> 伟强): rural names
# are more varied than Faker's list alone, and the parts stay Faker's own.
TWO_PART_SHARE = 0.35


@dataclass(frozen=True)
class NamePools:
    surnames: np.ndarray  # str
    surname_weights: np.ndarray  # probabilities, sum 1
    male: np.ndarray
    female: np.ndarray
    male_single: np.ndarray  # one-character names, for two-part names
    female_single: np.ndarray
    phone_prefixes: np.ndarray  # int, 3 digits


@lru_cache(maxsize=1)
def name_pools() -> NamePools:
    """Faker's zh_CN person data as NumPy arrays (read once per process)."""
    # Imported here, not at the top: Faker takes ~30 ms to import, and a county read back
    # from the cache (sandbox/platform/county_cache.py) draws no names.
    from faker.providers.person.zh_CN import Provider as PersonProvider
    from faker.providers.phone_number.zh_CN import Provider as PhoneProvider

    surnames = list(PersonProvider.last_names.keys())
    weights = np.array(list(PersonProvider.last_names.values()), dtype=float)
    male = list(PersonProvider.first_names_male)
    female = list(PersonProvider.first_names_female)
    return NamePools(
        surnames=np.array(surnames),
        surname_weights=weights / weights.sum(),
        male=np.array(male),
        female=np.array(female),
        male_single=np.array([n for n in male if len(n) == 1]),
        female_single=np.array([n for n in female if len(n) == 1]),
        phone_prefixes=np.array(sorted(set(PhoneProvider.phonenumber_prefixes)), dtype=np.int64),
    )


def draw_surnames(rng: np.random.Generator, n: int) -> np.ndarray:
    """n surnames weighted by Faker's frequency data (王 7.17, 李 7.0, 张 6.74 …); object array
    of str, gathered from the pool's own str objects (no new string per person)."""
    pools = name_pools()
    return pools.surnames.astype(object)[rng.choice(len(pools.surnames), size=n, p=pools.surname_weights)]


def _given(rng: np.random.Generator, full: np.ndarray, single: np.ndarray, n: int) -> np.ndarray:
    names = full.astype(object)[rng.integers(0, len(full), n)]
    two_part = rng.random(n) < TWO_PART_SHARE
    k = int(two_part.sum())
    first = single.astype(object)[rng.integers(0, len(single), k)]
    second = single.astype(object)[rng.integers(0, len(single), k)]
    names[two_part] = first + second
    return names


def draw_given_names(rng: np.random.Generator, male: np.ndarray) -> np.ndarray:
    """Given names by sex (``male`` is a bool array); object array of str."""
    pools = name_pools()
    out = np.empty(len(male), dtype=object)
    out[male] = _given(rng, pools.male, pools.male_single, int(male.sum()))
    out[~male] = _given(rng, pools.female, pools.female_single, int((~male).sum()))
    return out


def draw_phones(rng: np.random.Generator, n: int) -> np.ndarray:
    """Unique 11-digit mobile numbers: a Faker zh_CN prefix + 8 digits (int64)."""
    pools = name_pools()
    prefixes = pools.phone_prefixes[rng.integers(0, len(pools.phone_prefixes), n)]
    numbers = prefixes * 10**8 + rng.integers(0, 10**8, n)
    return _redraw_duplicates(rng, numbers, pools.phone_prefixes)


def _redraw_duplicates(rng: np.random.Generator, numbers: np.ndarray, prefixes: np.ndarray) -> np.ndarray:
    def draw(again: np.ndarray) -> np.ndarray:
        k = int(again.sum())
        return prefixes[rng.integers(0, len(prefixes), k)] * 10**8 + rng.integers(0, 10**8, k)

    if not redraw_repeats(numbers, draw, 50):
        raise RuntimeError("could not draw unique phone numbers")
    return numbers
