"""Resident identity numbers (GB 11643-1999), built in bulk.

18 characters: 6-digit address code, 8-digit birth date, 3-digit order code (odd for men,
even for women) and an ISO 7064 MOD 11-2 check character. The address code is the one
in force when the number was assigned; python-stdnum (stdnum/cn/loc.dat) checks it
against the birth year, so we pick it by birth year:

* until 2000 Zhoukou was 周口地区 (4127xx) — note its county order differs from 4116xx;
* 项城 was 项城县 412729 until 1993, then 项城市 412702;
* 淮阳 was 淮阳县 411626 from 2000 and became 淮阳区 411603 in 2019.
"""

from __future__ import annotations

import numpy as np

from sandbox.common.checkdigits import ric_check_chars
from sandbox.common.regions import ADDRESS_CODE_ERAS
from sandbox.world.record_ids import digit_strings


def address_code_for(county_code: str, birth_year: int) -> str:
    """The address code a person from this county born in this year carries."""
    code = ""
    for first_year, era_code in ADDRESS_CODE_ERAS[county_code]:
        if birth_year >= first_year:
            code = era_code
    return code


COUNTY_CODES = tuple(sorted(ADDRESS_CODE_ERAS))  # the Zhoukou counties, by code


def address_codes(county: np.ndarray, birth_years: np.ndarray) -> np.ndarray:
    """Vectorised address_code_for: int64 codes for arrays of counties (positions in
    COUNTY_CODES) and birth years."""
    out = np.zeros(len(county), dtype=np.int64)
    for position, code in enumerate(COUNTY_CODES):
        in_county = county == position
        for first_year, era_code in ADDRESS_CODE_ERAS[code]:
            out[in_county & (birth_years >= first_year)] = int(era_code)
    return out


ORDER_SLOTS = 499  # order codes per sex and (address, birth date): 1–997 odd, 2–998 even


def order_codes(rng: np.random.Generator, stems: np.ndarray, male: np.ndarray) -> np.ndarray:
    """Distinct 3-digit order codes within each (address, birth date, sex) group.

    Members of a group get slot (offset + rank · stride) mod 499 — distinct because 499
    is prime — so one sort replaces draw-and-retry; offset and stride are per group.
    """
    key = stems * 2 + male
    order = stable_order(key)
    sorted_key = key[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_key)) + 1]
    lengths = np.diff(np.r_[starts, len(key)])
    if lengths.max(initial=0) > ORDER_SLOTS:
        raise ValueError("more than 499 people of one sex share an address code and birth date")
    rank = np.arange(len(key)) - np.repeat(starts, lengths)
    offset = np.repeat(rng.integers(0, ORDER_SLOTS, len(starts)), lengths)
    stride = np.repeat(rng.integers(1, ORDER_SLOTS, len(starts)), lengths)
    slot = np.empty(len(key), dtype=np.int64)
    slot[order] = (offset + rank * stride) % ORDER_SLOTS + 1  # 1…499
    return 2 * slot - male.astype(np.int64)


def stable_order(key: np.ndarray) -> np.ndarray:
    """``np.argsort(key, kind="stable")`` for int64 keys; below 2**48 sorted as three 16-bit
    digits (NumPy sorts 16-bit integers by radix: a few times faster than its stable int64 sort)."""
    if not len(key) or key.min() < 0 or key.max() >= 2**48:
        return np.argsort(key, kind="stable")
    return np.lexsort([((key >> shift) & 0xFFFF).astype(np.uint16) for shift in (0, 16, 32)])


def build_id_numbers(
    rng: np.random.Generator, address: np.ndarray, birth_ymd: np.ndarray, male: np.ndarray
) -> np.ndarray:
    """Unique 18-character ID numbers (object array of str)."""
    stems = address * 10**8 + birth_ymd
    bodies = stems * 10**3 + order_codes(rng, stems, male)
    return digit_strings(bodies, 17, suffix=ric_check_chars(bodies))
