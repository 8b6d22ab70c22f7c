"""What the paying banks know about accounts: the truth the payout is checked against.

An ``AccountBook`` is the world's accounts joined with whether each holder is alive and
whether the bank has been told of a death. It is mutable between payout runs (a trainee
gets a card activated, a name corrected at the bank) and is read, never changed, during
a run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sandbox.common.cards import ACCOUNT_STATUSES
from sandbox.common.checkdigits import LUHN_MAX_DIGITS, luhn_valid
from sandbox.rng import rng_for

__all__ = ["AccountBook", "card_number_ok", "draw_bank_knows_death"]

BOOK_COLUMNS: tuple[str, ...] = (
    "account_number", "holder_name", "status", "person_id", "holder_alive", "bank_knows_death",
)

if TYPE_CHECKING:
    from sandbox.scenario import Scenario


def card_number_ok(numbers: pd.Series | np.ndarray) -> np.ndarray:
    """Is each number well formed as the bank reads it: 16–19 digits with a valid Luhn check
    digit (ends trimmed)? Vectorised: a million numbers take a fraction of a second."""
    text = np.strings.strip(np.asarray(numbers, dtype=object).astype(f"U{LUHN_MAX_DIGITS + 1}"))
    lengths = np.strings.str_len(text)  # longer than 19 stays longer than 19
    return (lengths >= 16) & (lengths <= LUHN_MAX_DIGITS) & luhn_valid(text)


def draw_bank_knows_death(persons: pd.DataFrame, scenario: Scenario) -> pd.Series:
    """Per person: has the bank been told of the death? (False for the living.)

    Drawn once per world with ``scenario.cards.bank_knows_death_rate``; persons are sorted
    by id first so the draw does not depend on row order.
    """
    ordered = persons.sort_values("person_id")
    draws = rng_for(scenario.seed, "bank", "knows_death").random(len(ordered))
    knows = ~ordered["alive"].to_numpy(dtype=bool) & (draws < scenario.cards.bank_knows_death_rate)
    return pd.Series(knows, index=ordered["person_id"].to_numpy(), name="bank_knows_death")


@dataclass
class AccountBook:
    """Accounts as the banks hold them, indexed by account number."""

    table: pd.DataFrame  # index account_number; the other BOOK_COLUMNS as columns

    def __post_init__(self) -> None:
        missing = set(BOOK_COLUMNS) - {"account_number"} - set(self.table.columns)
        if missing:
            raise ValueError(f"account book lacks columns {sorted(missing)}")
        if self.table.index.has_duplicates:
            dupes = self.table.index[self.table.index.duplicated()].unique()[:5].tolist()
            raise ValueError(f"account numbers appear twice in the account book: {dupes}")
        unknown = set(self.table["status"].unique()) - set(ACCOUNT_STATUSES)
        if unknown:
            raise ValueError(f"unknown account status {sorted(unknown)}; expected one of {ACCOUNT_STATUSES}")

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, object]]) -> AccountBook:
        """Build a book by hand: account_number, holder_name, status, and optionally
        person_id, holder_alive (default True), bank_knows_death (default False)."""
        frame = pd.DataFrame(list(records))
        defaults = {"person_id": "", "holder_alive": True, "bank_knows_death": False, "status": "active"}
        for column, value in defaults.items():
            if column not in frame:
                frame[column] = value
        return cls._from_frame(frame)

    @classmethod
    def from_world(
        cls,
        accounts: pd.DataFrame,
        persons: pd.DataFrame,
        bank_knows_death: pd.Series | Mapping[str, bool],
    ) -> AccountBook:
        """Join ``world.accounts`` with ``world.persons`` (alive) and, per person_id,
        whether the bank knows of the death (see ``draw_bank_knows_death``)."""
        alive = persons.set_index("person_id")["alive"]
        knows = pd.Series(bank_knows_death, dtype=bool)
        frame = accounts[["account_number", "holder_name", "status", "person_id"]].copy()
        frame["holder_alive"] = frame["person_id"].map(alive).fillna(True).astype(bool)
        frame["bank_knows_death"] = (
            frame["person_id"].map(knows).fillna(False).astype(bool) & ~frame["holder_alive"]
        )
        return cls._from_frame(frame)

    @classmethod
    def _from_frame(cls, frame: pd.DataFrame) -> AccountBook:
        frame = frame[list(BOOK_COLUMNS)].copy()
        frame["account_number"] = frame["account_number"].astype(str).str.strip()
        frame["holder_name"] = frame["holder_name"].astype(str).str.strip().astype(object)
        frame["holder_alive"] = frame["holder_alive"].astype(bool)
        frame["bank_knows_death"] = frame["bank_knows_death"].astype(bool)
        return cls(frame.set_index("account_number").sort_index())

    def __len__(self) -> int:
        return len(self.table)

    def status_of(self, account_number: str) -> str:
        return str(self.table.at[self._known(account_number), "status"])

    def set_status(self, account_numbers: str | Iterable[str], status: str) -> None:
        """Change account states between runs, e.g. ``set_status(card, "active")`` after
        the holder activated the card at a branch."""
        if status not in ACCOUNT_STATUSES:
            raise ValueError(f"unknown account status {status!r}; expected one of {ACCOUNT_STATUSES}")
        numbers = [account_numbers] if isinstance(account_numbers, str) else list(account_numbers)
        self.table.loc[[self._known(n) for n in numbers], "status"] = status

    def open_account(self, account_number: str, holder_name: str, person_id: str,
                     status: str = "active") -> None:
        """A new card the holder applied for at a branch (补办/换卡)."""
        if status not in ACCOUNT_STATUSES:
            raise ValueError(f"unknown account status {status!r}; expected one of {ACCOUNT_STATUSES}")
        self.table.loc[account_number] = {"holder_name": holder_name, "status": status, "person_id": person_id,
                                          "holder_alive": True, "bank_knows_death": False}

    def set_holder_name(self, account_number: str, name: str) -> None:
        self.table.at[self._known(account_number), "holder_name"] = name.strip()

    def record_death_known(self, account_numbers: Iterable[str]) -> None:
        """The bank has been told the holder died (only matters for dead holders)."""
        rows = [self._known(n) for n in account_numbers]
        self.table.loc[rows, "bank_knows_death"] = ~self.table.loc[rows, "holder_alive"]

    def _known(self, account_number: str) -> str:
        if account_number not in self.table.index:
            raise KeyError(f"account {account_number!r} is not in the account book")
        return account_number
