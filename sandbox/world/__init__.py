"""The synthetic county: ground truth generated from a scenario and its seed.

>>> from sandbox.scenario import load_scenario
>>> world = generate_world(load_scenario("tutorial"))   # doctest: +SKIP
>>> world.persons.head()                                               # doctest: +SKIP

Tables and columns follow docs/architecture.md. The same scenario and seed give the
same tables, byte for byte, in any process on any day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from sandbox.scenario import Scenario
    from sandbox.world.defects import DEFECT_COLUMNS
    from sandbox.world.registries import REGISTRY_COLUMNS

# The builders are imported when a world is built or dated, not with the World class: a start
# that reads its county from the cache (platform/county_cache.py) unpickles a World and builds none.
_LAZY = {"DEFECT_COLUMNS": "sandbox.world.defects", "REGISTRY_COLUMNS": "sandbox.world.registries"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sandbox.world' has no attribute {name!r}")


def _empty_defects() -> pd.DataFrame:
    from sandbox.world.defects import empty_defects

    return empty_defects()

__all__ = ["DEFECT_COLUMNS", "REGISTRY_COLUMNS", "World", "generate_world", "registries_and_defects_at",
           "registries_at", "verified_registries_at"]


@dataclass
class World:
    """Ground truth of one county: only the platform may hold it whole."""

    scenario: Scenario
    regions: pd.DataFrame
    households: pd.DataFrame
    persons: pd.DataFrame
    accounts: pd.DataFrame
    registries: dict[str, pd.DataFrame] = field(default_factory=dict)
    # Hidden: which registry defects touch which persons (DEFECT_COLUMNS); never a registry.
    defects: pd.DataFrame = field(default_factory=_empty_defects)
    # Row links the registries are built from (household heads and members, account owners, cadres).
    links: dict = field(default_factory=dict, repr=False)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by its file stem: persons, households, accounts, regions, registry_<key>."""
        tables = {"persons": self.persons, "households": self.households,
                  "accounts": self.accounts, "regions": self.regions}
        tables.update({f"registry_{key}": frame for key, frame in self.registries.items()})
        return tables


def generate_world(scenario: Scenario) -> World:
    """Generate the county described by ``scenario`` (deterministic in scenario.seed).

    A city-scale scenario is the census city (9,026,015 people): too many for one world of
    village detail, so it runs county by county (sandbox.city); this says so."""
    if scenario.region.scale == "city":
        from sandbox.errors import SandboxError

        raise SandboxError(
            "全市规模（2020年普查 9,026,015 人）按县逐个生成和发放：用 sandbox calibrate 场景 --scale city；"
            "要村级明细的多县世界，把 region.scale 设为 county 并列出这些县区",
            "the city scale (the 2020 census, 9,026,015 people) is generated and paid county by county: run "
            "sandbox calibrate SCENARIO --scale city; for a world of village detail over several counties, set "
            "region.scale to county and list the counties")
    from sandbox.world.cards import build_accounts
    from sandbox.world.generate import build_people
    from sandbox.world.regions import build_regions
    from sandbox.world.timeline import add_later_deaths

    regions, namesakes = build_regions(scenario)
    persons, households, extras = build_people(scenario, regions, namesakes)
    persons = add_later_deaths(scenario, persons)  # deaths during later pay periods (periods > 1)
    accounts, extras["account_owner_row"] = build_accounts(scenario, persons)
    world = World(scenario, regions, households, persons, accounts, links=extras)
    world.registries, world.defects = registries_and_defects_at(world, scenario.calendar.as_of)
    return world


def registries_and_defects_at(world: World, as_of: dt.date) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The registries as the offices hold them on `as_of` (defects applied), and the hidden
    table of those defects (DEFECT_COLUMNS)."""
    from sandbox.world.defects import apply_defects
    from sandbox.world.registries import registries_with_rows

    scenario = world.scenario
    dated = scenario.model_copy(update={"calendar": scenario.calendar.model_copy(update={"as_of": as_of})})
    perfect, rows = registries_with_rows(dated, world.persons, world.households, world.accounts, world.links)
    return apply_defects(perfect, {"persons": world.persons, "households": world.households}, scenario, as_of,
                         person_rows=rows, member_household=world.links.get("member_household_row"))


def verified_registries_at(world: World, as_of: dt.date) -> dict[str, pd.DataFrame]:
    """The registries on `as_of` after the offices have checked them (no lag, gaps, stale rows
    or conflicts): what a formal inspection (监督检查) confirms with each office."""
    from sandbox.world.registries import build_registries

    scenario = world.scenario
    dated = scenario.model_copy(update={"calendar": scenario.calendar.model_copy(update={"as_of": as_of})})
    return build_registries(dated, world.persons, world.households, world.accounts, world.links)


def registries_at(world: World, as_of: dt.date) -> dict[str, pd.DataFrame]:
    """The registries as the offices hold them on `as_of` (for later pay periods)."""
    return registries_and_defects_at(world, as_of)[0]
