"""Social security cards and bank accounts, with UnionPay numbers and card statuses.

Numbers are 19 digits: a 6-digit issuer prefix starting 62 (UnionPay), 12 account digits
and a Luhn check digit. The prefixes are illustrative, derived from the bank's name so
that each (bank, kind) has its own — they are not the banks' real BINs.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sandbox.common.checkdigits import luhn_check_digits
from sandbox.rng import rng_for
from sandbox.world.record_ids import (
    digit_strings,
    fixed_width_ids,
    redraw_repeats,
    same_str,
    str_array,
)

if TYPE_CHECKING:
    from sandbox.scenario import Scenario

ACCOUNT_COLUMNS = ["account_id", "person_id", "account_number", "bank", "kind", "status",
                   "holder_name", "primary", "replaces"]
SSC, BANK_ACCOUNT = "social_security_card", "bank_account"
KINDS = (BANK_ACCOUNT, SSC)  # by "is a social security card"
TOWNSHIP_BANK_SHARE = 0.8  # most people bank at the branch in their township
SECOND_ACCOUNT_SHARE = 0.08  # adults who also keep an ordinary savings account
FORMAL_LOSS_SHARE = 0.5  # of cards reported lost, formally (new number) rather than temporarily


def issuer_prefix(bank: str, kind: str) -> int:
    """A stable illustrative 6-digit UnionPay prefix (62xxxx) per bank and account kind."""
    digest = hashlib.sha256(f"{bank}\x1f{kind}".encode()).digest()
    return 620000 + int.from_bytes(digest[:4], "little") % 10000


def draw_account_numbers(rng: np.random.Generator, prefixes: np.ndarray) -> np.ndarray:
    """Unique 19-digit Luhn-valid numbers (int64) under the given 6-digit prefixes."""
    bodies = prefixes * 10**12 + rng.integers(0, 10**12, len(prefixes))
    if not redraw_repeats(bodies, lambda again: prefixes[again] * 10**12 + rng.integers(0, 10**12, int(again.sum())), 100):
        raise RuntimeError("could not draw unique account numbers")
    return bodies * 10 + luhn_check_digits(bodies)


def _bank_codes(rng: np.random.Generator, banks: int, township: np.ndarray) -> np.ndarray:
    """Each person's bank, as a position in the scenario's list of banks."""
    which, townships = pd.factorize(township, sort=True)
    township_bank = rng.integers(0, banks, len(townships))
    own = rng.random(len(township)) < TOWNSHIP_BANK_SHARE
    return np.where(own, township_bank[which], rng.integers(0, banks, len(township)))


def _statuses(rng: np.random.Generator, rates: dict[str, float], n: int) -> np.ndarray:
    names = np.array(["active", *rates], dtype=object)
    p = np.array([1.0 - sum(rates.values()), *rates.values()])
    return names[rng.choice(len(names), size=n, p=p)]


def build_accounts(scenario: Scenario, persons: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """One primary account per person, the old card of a formal loss, and some savings accounts.

    Returns the accounts table and each account's owner as a row position in ``persons``."""
    cards = scenario.cards
    rng = rng_for(scenario.seed, "world", "accounts")
    n = len(persons)
    bank = _bank_codes(rng, len(cards.banks), persons["township"].to_numpy())
    is_card = (rng.random(n) < cards.social_security_card_share).astype(np.intp)  # a position in KINDS
    status = _statuses(rng, cards.status_rates.model_dump(), n)
    formal_loss = (status == "reported_lost") & (rng.random(n) < FORMAL_LOSS_SHARE)
    second = (persons["age"].to_numpy() >= 18) & (rng.random(n) < SECOND_ACCOUNT_SHARE)
    second_bank = rng.integers(0, len(cards.banks), int(second.sum()))

    # Each owner's accounts in a row: the own one, the new card of a formal loss, the savings
    # account. Positions are computed, not sorted for.
    count = 1 + formal_loss + second
    own = np.cumsum(count) - count
    new = own[formal_loss] + 1
    savings = own[second] + 1 + formal_loss[second]
    total = int(count.sum())
    owner = np.repeat(np.arange(n), count)
    bank_of = np.empty(total, dtype=np.int64)
    kind_of = np.zeros(total, dtype=np.intp)  # savings accounts are bank accounts
    status_of = same_str(total, "active")
    primary = np.zeros(total, dtype=bool)
    bank_of[own], kind_of[own], status_of[own], primary[own] = bank, is_card, status, ~formal_loss
    bank_of[new], kind_of[new], primary[new] = bank[formal_loss], is_card[formal_loss], True
    bank_of[savings] = second_bank

    prefixes = np.array([[issuer_prefix(b, k) for k in KINDS] for b in cards.banks], dtype=np.int64)
    numbers = digit_strings(draw_account_numbers(rng, prefixes[bank_of, kind_of]), 19)
    replaces = same_str(total, "")
    replaces[new] = numbers[new - 1]  # the old card sorts just before

    accounts = pd.DataFrame({
        "account_id": fixed_width_ids("A", total, 7),
        "person_id": persons["person_id"].array.take(owner),
        "account_number": numbers,
        "bank": str_array(cards.banks).take(bank_of),
        "kind": str_array(KINDS).take(kind_of),
        "status": status_of,
        "holder_name": persons["name"].array.take(owner),
        "primary": primary,
        "replaces": replaces,
    }, copy=False)[ACCOUNT_COLUMNS]  # fresh arrays: no second copy
    return accounts, owner
