"""The county an attempt starts from (world, entitlements, rosters and answer key), kept on disk.

Building it is deterministic in the scenario (seed included) and the code, and takes most of
a session's start (~0.15 s for the tutorial, seconds for a city). A course starts the same
scenario again and again (each notebook, each kernel restart), so the built county is
pickled once under $SANDBOX_HOME/cache (default ~/.yikatong-sandbox/cache) and read back
after. The key is a hash of the scenario, the sandbox's version and source files (size and
modification time of every .py file) and the versions of the libraries that shape the data,
so any change to any of them builds afresh. The pickle is written before anyone can change
the county, and read into new objects each time: attempts never share state.

Set SANDBOX_NO_CACHE=1 to build every time. A cache that cannot be read or written is
ignored: the county is built as if there were none.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

from sandbox.version import __version__

if TYPE_CHECKING:
    import pandas as pd

    from sandbox.platform.rosters import CollectionData
    from sandbox.scenario import Scenario
    from sandbox.world import World

PACKAGE = Path(__file__).resolve().parents[1]
KEPT = 8  # counties kept (the newest used): a course uses one or two
County = tuple["World", "pd.DataFrame", "CollectionData"]


def cache_directory() -> Path:
    """Beside the local gradebook (the same rule as sandbox/gradebook/database.py, which
    this module does not import: the gradebook needs SQLAlchemy)."""
    home = Path(os.environ.get("SANDBOX_HOME") or Path.home() / ".yikatong-sandbox")
    return home / "cache"


def build_county(scenario: Scenario) -> County:
    """The world of the scenario, its true entitlements, and the villages' rosters with the answer key."""
    import sandbox.programs as program_catalogue
    from sandbox.platform.rosters import build_collection
    from sandbox.world import generate_world

    world = generate_world(scenario)
    entitlements = program_catalogue.entitlements(world, scenario)
    return world, entitlements, build_collection(world, scenario, entitlements)


def county(scenario: Scenario) -> County:
    """`build_county(scenario)`, read from the cache when it was built before."""
    if os.environ.get("SANDBOX_NO_CACHE"):
        return build_county(scenario)
    path = cache_directory() / f"county-{county_key(scenario)}.pickle"
    cached = _read(path)
    if cached is not None:
        cached[0].scenario = scenario  # the caller's own object, not an equal copy
        return cached
    built = build_county(scenario)
    _write(path, built)
    return built


def county_key(scenario: Scenario) -> str:
    digest = hashlib.sha256()
    digest.update(scenario.model_dump_json().encode())
    digest.update(__version__.encode())
    digest.update(_library_versions().encode())
    for path, stat in _source_files(str(PACKAGE)):
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def _source_files(folder: str) -> list[tuple[str, os.stat_result]]:
    """Every .py file under the package with its stat, in a fixed order (os.scandir: a few
    ms for the whole package, where pathlib's rglob and sort take several times that)."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                found.extend(_source_files(entry.path))
            elif entry.name.endswith(".py"):
                found.append((os.path.relpath(entry.path, PACKAGE), entry.stat()))
    return sorted(found, key=lambda item: item[0])


def _library_versions() -> str:
    """The libraries whose data or results shape the county. A start imports numpy, pandas
    and pydantic anyway; Faker and python-stdnum, which it need not import (~45 ms), are
    known by their __init__.py, which holds their version."""
    import numpy
    import pandas
    import pydantic

    files = []
    for name in ("faker", "stdnum"):
        spec = importlib.util.find_spec(name)
        files.append(Path(spec.origin).read_text(encoding="utf-8") if spec and spec.origin else f"no {name}")
    return " ".join([numpy.__version__, pandas.__version__, pydantic.VERSION, *files])


def _read(path: Path) -> County | None:
    try:
        with path.open("rb") as file:
            cached = pickle.load(file)  # our own file, in the trainee's own directory
    except Exception:  # missing, half-written by a crash, or from another Python: build instead
        return None
    try:
        os.utime(path)  # newest used: kept longest
    except OSError:  # a read-only cache still serves
        pass
    return cached


def _write(path: Path, county: County) -> None:
    world = county[0]
    scenario, world.scenario = world.scenario, None  # the caller's scenario is put back on reading
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        with partial.open("wb") as file:
            pickle.dump(county, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)  # whole or not at all, even with two kernels starting at once
        _prune(path.parent)
    except OSError:  # a read-only home: no cache, nothing else changes
        pass
    finally:
        world.scenario = scenario


def _prune(directory: Path) -> None:
    kept = sorted(directory.glob("county-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[KEPT:]:
        old.unlink(missing_ok=True)
