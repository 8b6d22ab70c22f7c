"""The synthetic county: ground truth generated from a scenario and its seed.

>>> from sandbox.scenario import load_scenario
>>> world = generate_world(load_scenario("tutorial"))   # doctest: +SKIP
>>> world.persons.head()                                               # doctest: +SKIP

Tables and columns follow docs/architecture.md. The same scenario and seed give the
same tables, byte for byte, in any process on any day.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from sandbox.scenario import Scenario
from sandbox.world.cards import build_accounts
from sandbox.world.generate import build_people
from sandbox.world.regions import build_regions
from sandbox.world.registries import REGISTRY_COLUMNS, build_registries

__all__ = ["World", "generate_world", "REGISTRY_COLUMNS"]


@dataclass
class World:
    """Ground truth of one county: only the platform may hold it whole."""

    scenario: Scenario
    regions: pd.DataFrame
    households: pd.DataFrame
    persons: pd.DataFrame
    accounts: pd.DataFrame
    registries: dict[str, pd.DataFrame] = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by its file stem: persons, households, accounts, regions, registry_<key>."""
        tables = {"persons": self.persons, "households": self.households,
                  "accounts": self.accounts, "regions": self.regions}
        tables.update({f"registry_{key}": frame for key, frame in self.registries.items()})
        return tables


def generate_world(scenario: Scenario) -> World:
    """Generate the county described by ``scenario`` (deterministic in scenario.seed)."""
    regions, namesakes = build_regions(scenario)
    persons, households, extras = build_people(scenario, regions, namesakes)
    accounts, extras["account_owner_row"] = build_accounts(scenario, persons)
    registries = build_registries(scenario, persons, households, accounts, extras)
    return World(scenario, regions, households, persons, accounts, registries)
