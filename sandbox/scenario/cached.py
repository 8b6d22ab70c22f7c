"""A session's start reads its scenario from a cache: no YAML parsed, nothing validated again.

Every notebook of a course, and every kernel restart, starts the same scenario file. Reading it
with line numbers and validating it with pydantic costs a start ~0.1 s (most of it importing
pydantic and building the schema's models), and gives the same Scenario each time. So the
validated scenario is kept, frozen (scenario/frozen.py), under $SANDBOX_HOME/cache
(common/disk_cache.py), keyed by:

- the file's own bytes and resolved path, and the seed asked for;
- the sandbox's code and data files and the versions of pydantic and PyYAML (`code_fingerprint`).

It is used again only while every file of its ``extends`` chain still has the bytes it was
validated from, and every ``extends`` still leads to the same file. A scenario that does not
validate is never kept, so its errors are raised every time, as `load_scenario` raises them.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from sandbox.common.disk_cache import (
    cache_directory,
    cache_enabled,
    code_fingerprint,
    read_kept,
    write_kept,
)
from sandbox.errors import ScenarioError
from sandbox.scenario.frozen import FrozenScenario, freeze
from sandbox.scenario.library import scenario_path

FORMAT = "scenario-cache 1"  # raised when what is kept changes shape


@dataclass(frozen=True)
class KeptScenario:
    scenario: FrozenScenario
    files: tuple[tuple[str, str], ...]  # (path, sha256 of its bytes): every file the load read
    links: tuple[tuple[str, str, str], ...]  # (extends as written, its folder, the file it led to)

    def still_holds(self) -> bool:
        """Whether loading now would read the same bytes through the same extends."""
        for written, folder, found in self.links:
            try:
                if os.path.normpath(scenario_path(written, Path(folder))) != found:
                    return False
            except ScenarioError:
                return False
        for path, digest in self.files:
            try:
                if _sha(Path(path).read_bytes()) != digest:
                    return False
            except OSError:
                return False
        return True


def load_for_start(name_or_path: str | Path, seed: int | None = None) -> FrozenScenario:
    """`load_scenario(name_or_path, seed)`, frozen, read from the cache when it was loaded before.

    Raises exactly what `load_scenario` raises: a scenario with a problem is never kept."""
    path = scenario_path(name_or_path)
    if not cache_enabled():
        return _load(path, seed)
    try:
        content = path.read_bytes()
    except OSError:  # a folder, a missing or unreadable file: the loader says which
        return _load(path, seed)
    key = _key(path, content, seed)
    where = cache_directory() / f"scenario-{key}.pickle"
    kept = read_kept(where)
    if isinstance(kept, KeptScenario) and kept.still_holds():
        return kept.scenario
    from sandbox.scenario.loader import SourceRecord, load_scenario  # pydantic: only when not kept

    record = SourceRecord()
    frozen = freeze(load_scenario(path, seed, record=record))
    if record.files and record.files[0][1] == content:  # not changed while it was being read
        write_kept(where, KeptScenario(frozen, tuple((p, _sha(b)) for p, b in record.files),
                                       tuple(record.links)))
    return frozen


def _load(path: Path, seed: int | None) -> FrozenScenario:
    from sandbox.scenario.loader import load_scenario

    return freeze(load_scenario(path, seed))


def _key(path: Path, content: bytes, seed: int | None) -> str:
    digest = hashlib.sha256()
    for part in (FORMAT, str(path.resolve()), _sha(content), repr(seed), code_fingerprint()):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
