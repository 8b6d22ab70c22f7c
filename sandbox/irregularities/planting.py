"""The roster being planted, and the tools every type's `plant` uses.

A `PlantingSite` holds the true entries of a roster (one per entitlement), an answer-key row
for each, the world's tables and the one random generator of planting. Types change entries,
add made-up ones or copy clean ones through it; `plant_all` runs them in registry order phase
by phase, so each draw keeps its place and a scenario's roster never changes by accident.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sandbox.rng import rng_for

if TYPE_CHECKING:
    from sandbox.scenario import Scenario
    from sandbox.world import World

KEY_COLUMNS = [
    "entry_id", "person_id", "program", "fault", "pattern", "look_alike", "claimed_amount", "true_amount",
    "money_at_stake", "fix_field", "fix_value", "evidence_registry", "evidence_zh", "evidence_en",
    "blatant", "vulnerable", "duplicate_of", "true_name", "true_id_number",
    "true_account_number", "true_quantity",
]


def key_row(entry: dict[str, Any], fault: str = "", **extra: Any) -> dict[str, Any]:
    """The answer key's row for an entry (clean unless `fault` is given)."""
    key = {
        "entry_id": entry["entry_id"], "person_id": entry["person_id"],
        "program": entry["program"], "fault": fault, "pattern": "", "look_alike": "",
        "claimed_amount": entry["amount"], "true_amount": entry["amount"],
        "money_at_stake": 0.0, "fix_field": "", "fix_value": "",
        "evidence_registry": "", "evidence_zh": "", "evidence_en": "",
        "blatant": False, "vulnerable": False, "duplicate_of": "",
        "true_name": entry["name"], "true_id_number": entry["id_number"],
        "true_account_number": entry["account_number"], "true_quantity": entry["quantity"],
    }
    key.update(extra)
    return key


def count_for(rate: float, entries: int) -> int:
    """How many entries a rate plants: none at 0, at least two above (so two forms can show)."""
    return 0 if rate <= 0 else max(2, int(round(rate * entries)))  # two at least: two forms


class PlantingSite:
    """True entries and their key rows, the world's tables, and the generator of planting."""

    def __init__(self, world: World, scenario: Scenario, base: pd.DataFrame) -> None:
        self.rng = rng_for(scenario.seed, "collection", "plant")
        self.forms_rng = rng_for(scenario.seed, "collection", "plant", "forms")  # draws of the varied forms
        self.base = base
        self.period_start = pd.Timestamp(scenario.calendar.period_start)
        self.as_of = pd.Timestamp(scenario.calendar.as_of)
        self.persons = world.persons.set_index("person_id")
        primary = world.accounts[world.accounts["primary"]].drop_duplicates("person_id")
        self.primary = primary.set_index("person_id")
        # active accounts besides the primary one (a savings account): person -> (number, bank)
        others = world.accounts[~world.accounts["primary"] & (world.accounts["status"] == "active")
                                & ~world.accounts["account_number"].isin(primary["account_number"])]
        others = others.drop_duplicates("person_id")
        self.other_accounts = dict(zip(others["person_id"], zip(others["account_number"], others["bank"],
                                                                 strict=True), strict=True))
        self.households = world.households.set_index("household_id")
        self.dibao_members = set(world.households.loc[world.households["dibao"], "household_id"])
        self.village_names = sorted(world.households["village"].unique())
        # Base rows are altered at most once each, taken in one random order.
        self._order = self.rng.permutation(len(base))
        self._used = np.zeros(len(base), dtype=bool)
        # Rows the world itself made irregular (their type marks every one): no other type takes them.
        self._reserved = np.zeros(len(base), dtype=bool)
        for kind in _faults().values():
            self._reserved[np.asarray(kind.reserved_rows(self), dtype=np.int64)] = True
        self.entries: list[dict[str, Any]] = [dict(row) for row in base.to_dict("records")]
        self.keys: list[dict[str, Any]] = [key_row({**e, "entry_id": ""}) for e in self.entries]
        self.added: list[tuple[dict[str, Any], dict[str, Any]]] = []
        self.copies: list[tuple[int, dict[str, Any], dict[str, Any]]] = []  # (source row, entry, key)

    # --- choosing ------------------------------------------------------------------------------
    def count(self, rate: float) -> int:
        return count_for(rate, len(self.base))

    def take(self, k: int, allowed: np.ndarray | None = None) -> list[int]:
        """The first k base rows, in the random order, still unaltered (and allowed)."""
        free = ~(self._used | self._reserved)[self._order]
        if allowed is not None:
            free &= allowed[self._order]
        picked = self._order[free][:k]
        self._used[picked] = True
        return picked.tolist()

    def take_spread(self, k: int, allowed: np.ndarray | None = None, groups: np.ndarray | None = None) -> list[int]:
        """Like `take`, but round-robin over programs (or `groups`): the first case of each
        program in the random order, then the second of each…, so two or more cases fall in
        two or more programs wherever the roster has them."""
        free = ~(self._used | self._reserved)[self._order]
        if allowed is not None:
            free &= allowed[self._order]
        candidates = self._order[free]
        if k <= 0 or not len(candidates):
            return []
        labels = (self.base["program"].to_numpy() if groups is None else groups)[candidates]
        rank = pd.Series(labels).groupby(labels, sort=False).cumcount().to_numpy()
        _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
        group_rank = np.argsort(np.argsort(first))[inverse]  # groups in order of first appearance
        picked = candidates[np.lexsort((group_rank, rank))][:k]
        self._used[picked] = True
        return picked.tolist()

    def take_rows(self, rows: np.ndarray) -> list[int]:
        """These base rows, all of them, marked as altered (a form the registries prove wherever
        the world has it, so none may stay unmarked)."""
        picked = [int(i) for i in rows if not self._used[i]]
        self._used[picked] = True
        return picked

    def plant_forms(self, pools: Mapping[str, pd.Index], k: int, plant: Callable[[str, str], bool]) -> int:
        """Plant k cases spread over the forms in turn (form 1, form 2, …), each from its pool
        of person ids in a random order. A form whose pool runs dry (or whose claims cannot be
        made) drops out and the others carry on, so the count is met while any form has
        candidates, in two or more forms wherever the world has them. `plant(form, person_id)`
        plants one case and says whether it did; a person is planted once. Returns how many."""
        queues = {form: np.asarray(ids, dtype=object)[self.forms_rng.permutation(len(ids))].tolist()
                  for form, ids in pools.items() if len(ids)}
        active, done, turn = list(queues), 0, 0
        while done < k and active:
            form = active[turn % len(active)]
            queue, taken = queues[form], self.payees_added()
            while queue and queue[-1] in taken:
                queue.pop()
            if not queue:
                active.remove(form)
                continue
            if plant(form, queue.pop()):
                done += 1
                turn += 1
        return done

    def has_program(self, program: str) -> bool:
        return bool(self.program_is(program).any())

    def per_mu(self, program: str) -> float | None:
        """The program's rate per mu, read from its true entries."""
        rows = self.base[(self.base["program"] == program) & (self.base["quantity"] > 0)]
        return None if rows.empty else round(float((rows["amount"] / rows["quantity"]).median()), 2)

    def pick(self, candidates: pd.Index | list, k: int) -> list:
        """k of the candidates at random, in their own order."""
        pool = np.asarray(candidates, dtype=object)
        if not len(pool) or k <= 0:
            return []
        chosen = self.rng.choice(len(pool), size=min(k, len(pool)), replace=False)
        return pool[np.sort(chosen)].tolist()

    def program_is(self, *programs: str) -> np.ndarray:
        """Which base rows pay one of these programs."""
        return np.isin(self.base["program"].to_numpy(), programs)

    def payees_added(self) -> set[str]:
        """Persons a made-up entry was planted for already (one case a person)."""
        return {entry["person_id"] for entry, _ in self.added}

    def payees(self) -> np.ndarray:
        return np.array([e["payee_person_id"] for e in self.entries], dtype=object)

    def adults_outside_dibao(self) -> pd.Series:
        """Living adults whose household does not get 低保: who could claim it falsely."""
        p = self.persons
        return p["alive"] & (p["age"] >= 18) & ~p["household_id"].isin(self.dibao_members)

    # --- amounts and entries -------------------------------------------------------------------
    def typical_amount(self, program: str) -> float | None:
        amounts = self.base.loc[self.base["program"] == program, "amount"]
        return None if amounts.empty else float(amounts.mode().iloc[0])

    def dibao_per_person(self) -> float | None:
        """The usual 低保 amount per household member."""
        per_unit = self.base.assign(amount=self.base["amount"] / self.base["quantity"].clip(lower=1))
        amounts = per_unit.loc[per_unit["program"] == "dibao", "amount"]
        return None if amounts.empty else float(amounts.mode().iloc[0])

    def dibao_claim(self, person_id: str, per_person: float) -> tuple[dict[str, Any], float]:
        """A 低保 entry for this person's whole household, and its amount."""
        size = int(self.households.loc[self.persons.at[person_id, "household_id"], "size"])
        amount = round(per_person * size, 2)
        return self.entry_for(person_id, "dibao", amount, float(size)), amount

    def claim(self, person_id: str, program: str) -> tuple[dict[str, Any], float] | None:
        """An entry claiming `program` for this person, and its amount: 低保 for the whole
        household, farmland for a few mu held by no contract, anything else at its usual
        amount; None when the roster does not pay the program."""
        if program == "dibao":
            per_person = self.dibao_per_person()
            return None if per_person is None else self.dibao_claim(person_id, per_person)
        if program == "farmland_fertility":
            return self.farmland_claim(person_id)
        amount = self.typical_amount(program)
        return None if amount is None else (self.entry_for(person_id, program, amount), amount)

    def farmland_claim(self, person_id: str) -> tuple[dict[str, Any], float] | None:
        """A farmland-subsidy entry for a few mu this person holds no contract for."""
        per_mu = self.per_mu("farmland_fertility")
        if per_mu is None:
            return None
        mu = round(float(self.forms_rng.uniform(2.0, 8.0)), 1)
        amount = round(mu * per_mu, 2)
        return self.entry_for(person_id, "farmland_fertility", amount, mu), amount

    def without_land(self) -> pd.Series:
        """Persons who head no household with contracted land or land rented in."""
        p, h = self.persons, self.households
        head = h.loc[p["household_id"], "head_person_id"].to_numpy() == p.index.to_numpy()
        land = (h.loc[p["household_id"], "farmland_mu"].to_numpy() > 0) | (
            h.loc[p["household_id"], "rented_in_mu"].to_numpy() > 0)
        return pd.Series(~(head & land), index=p.index)

    def entry_for(self, person_id: str, program: str, amount: float, quantity: float = 1.0) -> dict[str, Any]:
        person = self.persons.loc[person_id]
        account = self.primary.loc[person_id]
        return {
            "person_id": person_id, "payee_person_id": person_id,
            "household_id": person["household_id"], "program": program, "quantity": quantity,
            "amount": round(amount, 2), "village": person["village"], "name": person["name"],
            "id_number": person["id_number"], "bank": account["bank"],
            "account_number": account["account_number"],
        }

    def mistype_digit(self, number: str, start: int) -> str:
        """One digit typed wrong, before the check character; the check then fails (both
        GB 11643's MOD 11-2 and Luhn catch every single-digit slip)."""
        position = int(self.rng.integers(start, len(number) - 1))
        digit = str((int(number[position]) + int(self.rng.integers(1, 10))) % 10)
        return number[:position] + digit + number[position + 1:]

    def key_row(self, entry: dict[str, Any], fault: str, **extra: Any) -> dict[str, Any]:
        return key_row({**entry, "entry_id": ""}, fault, **extra)

    # --- planting ------------------------------------------------------------------------------
    def add(self, entry: dict[str, Any], fault: str, stake: float, registry: str, zh: str, en: str,
            blatant: bool, pattern: str = "") -> None:
        """A made-up entry: nothing of it is due. `pattern` names the form (the key's column)."""
        self.added.append((entry, self.key_row(entry, fault, true_amount=0.0, money_at_stake=stake,
                                               evidence_registry=registry, evidence_zh=zh,
                                               evidence_en=en, blatant=blatant, pattern=pattern)))

    def copy(self, source: int, entry: dict[str, Any], key: dict[str, Any]) -> None:
        """A second entry of base row `source`; it is shuffled in somewhere after its original."""
        self.copies.append((source, entry, key))


@dataclass(frozen=True)
class PlantingCount:
    """One type's line of the planting report: what its rate asked for, what it planted.

    A type plants what the world can supply (deaths, public employees, farmland entries…);
    ``planted < asked`` means the world supplied fewer, and the trainer is told, not left
    to find out from the roster."""

    code: str
    rate: float
    entries: int  # true entries the rate applies to
    asked: int
    planted: int

    @property
    def short(self) -> bool:
        return self.planted < self.asked

    def message(self, lang: str = "zh") -> str:
        kind = _faults()[self.code]
        if lang == "zh":
            return (f"{self.code}（{kind.zh}）：要求 {self.asked} 条（比例 {self.rate:g} × 名册 {self.entries} 条），"
                    f"这个世界只能生成 {self.planted} 条")
        return (f"{self.code} ({kind.en}): asked for {self.asked} (rate {self.rate:g} × {self.entries} entries), "
                f"the world can supply only {self.planted}")


def _faults() -> Any:
    """The registry of types, loaded when planting (not when a kept count is read back)."""
    from sandbox.irregularities.registry import FAULTS

    return FAULTS


def plant_all(site: PlantingSite, rates: Any) -> tuple[PlantingCount, ...]:
    """Plant every type at its scenario rate (`scenario.irregularities`), phase by phase;
    return per type what was asked and what the roster now holds (the planting report)."""
    asked = {}
    for kind in _faults().in_planting_order():
        rate = float(getattr(rates, kind.code))
        asked[kind.code] = (rate, site.count(rate))
        kind.plant(site, rate)
    # One pass over the finished roster: a row counts for the fault it ends up with.
    held = Counter(key["fault"] for key in site.keys)
    held.update(key["fault"] for _, key in site.added)
    held.update(key["fault"] for _, _, key in site.copies)
    return tuple(PlantingCount(code, rate, len(site.base), count, held.get(code, 0))
                 for code, (rate, count) in asked.items())
