"""Social security cards and bank accounts, with UnionPay numbers and card statuses.

Numbers are 19 digits: a 6-digit issuer prefix starting 62 (UnionPay), 12 account digits
and a Luhn check digit. The prefixes are illustrative, derived from the bank's name so
that each (bank, kind) has its own — they are not the banks' real BINs.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from sandbox.common.checkdigits import luhn_check_digits
from sandbox.rng import rng_for
from sandbox.scenario import Scenario
from sandbox.world.record_ids import digit_strings, fixed_width_ids

ACCOUNT_COLUMNS = ["account_id", "person_id", "account_number", "bank", "kind", "status",
                   "holder_name", "primary", "replaces"]
SSC, BANK_ACCOUNT = "social_security_card", "bank_account"
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
    for _ in range(100):
        _, first = np.unique(bodies, return_index=True)
        dup = np.ones(len(bodies), dtype=bool)
        dup[first] = False
        if not dup.any():
            return bodies * 10 + luhn_check_digits(bodies)
        bodies[dup] = prefixes[dup] * 10**12 + rng.integers(0, 10**12, int(dup.sum()))
    raise RuntimeError("could not draw unique account numbers")


def _banks_by_person(rng: np.random.Generator, banks: list[str], township: np.ndarray) -> np.ndarray:
    names = np.array(banks, dtype=object)
    which, townships = pd.factorize(township, sort=True)
    township_bank = rng.integers(0, len(banks), len(townships))
    own = rng.random(len(township)) < TOWNSHIP_BANK_SHARE
    chosen = np.where(own, township_bank[which], rng.integers(0, len(banks), len(township)))
    return names[chosen]


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
    person_index = np.arange(n)
    bank = _banks_by_person(rng, cards.banks, persons["township"].to_numpy())
    kind = np.where(rng.random(n) < cards.social_security_card_share, SSC, BANK_ACCOUNT).astype(object)
    status = _statuses(rng, cards.status_rates.model_dump(), n)
    formal_loss = (status == "reported_lost") & (rng.random(n) < FORMAL_LOSS_SHARE)
    second = (persons["age"].to_numpy() >= 18) & (rng.random(n) < SECOND_ACCOUNT_SHARE)
    second_bank = np.array(cards.banks, dtype=object)[rng.integers(0, len(cards.banks), int(second.sum()))]

    rows = pd.DataFrame({
        "owner": np.concatenate([person_index, person_index[formal_loss], person_index[second]]),
        "order": np.repeat([0, 1, 2], [n, int(formal_loss.sum()), int(second.sum())]),
        "bank": np.concatenate([bank, bank[formal_loss], second_bank]),
        "kind": np.concatenate([kind, kind[formal_loss], np.full(int(second.sum()), BANK_ACCOUNT, dtype=object)]),
        "status": np.concatenate([status, np.full(int(formal_loss.sum()) + int(second.sum()), "active", dtype=object)]),
        "primary": np.concatenate([~formal_loss, np.ones(int(formal_loss.sum()), bool), np.zeros(int(second.sum()), bool)]),
    }).sort_values(["owner", "order"], kind="stable", ignore_index=True)

    prefixes = _prefixes(rows["bank"].to_numpy(), rows["kind"].to_numpy())
    numbers = digit_strings(draw_account_numbers(rng, prefixes), 19)
    replaces = np.full(len(rows), "", dtype=object)
    new_card = (rows["order"] == 1).to_numpy()
    replaces[new_card] = numbers[np.flatnonzero(new_card) - 1]  # the old card sorts just before

    owner = rows["owner"].to_numpy()
    accounts = pd.DataFrame({
        "account_id": fixed_width_ids("A", len(rows), 7),
        "person_id": persons["person_id"].to_numpy()[owner],
        "account_number": numbers,
        "bank": rows["bank"].to_numpy(),
        "kind": rows["kind"].to_numpy(),
        "status": rows["status"].to_numpy(),
        "holder_name": persons["name"].to_numpy()[owner],
        "primary": rows["primary"].to_numpy(),
        "replaces": replaces,
    })[ACCOUNT_COLUMNS]
    return accounts, owner


def _prefixes(bank: np.ndarray, kind: np.ndarray) -> np.ndarray:
    bank_code, banks = pd.factorize(bank)
    kind_code, kinds = pd.factorize(kind)
    table = np.array([[issuer_prefix(b, k) for k in kinds] for b in banks], dtype=np.int64)
    return table[bank_code, kind_code]
