"""The county an attempt starts from (world, entitlements, rosters and answer key), kept on disk.

Building it is deterministic in the scenario (seed included) and the code, and takes most of
a session's start (~0.15 s for the tutorial, seconds for a city). A course starts the same
scenario again and again (each notebook, each kernel restart), so the built county is
pickled once under $SANDBOX_HOME/cache (default ~/.yikatong-sandbox/cache) and read back
after. The key is a hash of the scenario and of the code that builds it
(`sandbox.common.disk_cache.code_fingerprint`: the sandbox's version and files, the versions
of the libraries that shape the data), so any change to any of them builds afresh. The pickle
is written before anyone can change the county, and read into new objects each time:
attempts never share state. The county includes the villages' forms as the platform imports
them, so a start does not parse them again.

Set SANDBOX_NO_CACHE=1 to build every time. A cache that cannot be read or written is
ignored: the county is built as if there were none.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from sandbox.common.disk_cache import (
    KEPT,
    cache_directory,
    cache_enabled,
    code_fingerprint,
    read_kept,
    write_kept,
)
from sandbox.scenario.frozen import scenario_json

if TYPE_CHECKING:
    import pandas as pd

    from sandbox.platform.rosters import CollectionData
    from sandbox.scenario import Scenario
    from sandbox.world import World

__all__ = ["build_county", "cache_directory", "class_worlds", "county", "county_key"]

class County(NamedTuple):
    """What every attempt at a scenario starts from."""

    world: World
    entitlements: pd.DataFrame  # who is truly due what
    data: CollectionData  # the villages' rosters and the answer key
    working: pd.DataFrame  # the villages' forms as the platform's import reads them (stages/collection.py)


def build_county(scenario: Scenario) -> County:
    """The world of the scenario, its true entitlements, the villages' rosters with the answer
    key, and those rosters as imported (the import's parsing is a start's work the cache keeps)."""
    import sandbox.programs as program_catalogue
    from sandbox.platform.rosters import build_collection
    from sandbox.platform.stages.collection import imported_roster
    from sandbox.world import generate_world

    world = generate_world(scenario)
    entitlements = program_catalogue.entitlements(world, scenario)
    data = build_collection(world, scenario, entitlements)
    return County(world, entitlements, data, imported_roster(data.typed))


def county(scenario: Scenario, folder: Path | None = None) -> County:
    """`build_county(scenario)`, read from the cache when it was built before. `folder`: a class's
    own world cache (`class_worlds`), private and never pruned, instead of the course's."""
    if not cache_enabled():
        return build_county(scenario)
    path = (folder or cache_directory()) / f"county-{county_key(scenario)}.pickle"
    cached = read_kept(path)
    if isinstance(cached, County):
        cached[0].scenario = scenario  # the caller's own object, not an equal copy
        return cached
    built = build_county(scenario)
    _write(path, built, private=folder is not None)
    return built


def class_worlds(class_id: str) -> Path:
    """Where a class server keeps its trainees' counties: one file per trainee seed (each holds
    an answer key: the folder is its owner's only). `sandbox class new` fills it
    (classmode/classroom.py); a server builds what is missing, once, and every process and
    every resume after reads it. Deleting it is safe: it is built again as it is needed."""
    return cache_directory() / "classes" / class_id


def county_key(scenario: Scenario) -> str:
    """The scenario (a Scenario, or the same frozen: scenario/frozen.py) with the code that builds
    its county."""
    digest = hashlib.sha256()
    digest.update(scenario_json(scenario).encode())
    digest.update(code_fingerprint().encode())
    return digest.hexdigest()[:32]


def _write(path: Path, county: County, private: bool = False) -> None:
    world = county[0]
    scenario, world.scenario = world.scenario, None  # the caller's scenario is put back on reading
    try:
        # A class keeps every trainee's county (no pruning), readable by its owner only.
        write_kept(path, county, keep=None if private else KEPT, private=private)
    finally:
        world.scenario = scenario
