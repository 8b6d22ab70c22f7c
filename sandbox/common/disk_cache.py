"""What a start keeps on disk between kernels: where, under which key, and how it is written.

Two things are kept, both pickled under $SANDBOX_HOME/cache (default ~/.yikatong-sandbox/cache):
the validated scenario (sandbox/scenario/cached.py) and the county built from it
(sandbox/platform/county_cache.py). Each key includes `code_fingerprint()`: the size and
modification time of every .py and .yaml file in the package (version.py among them; code and
data, such as common/data/zhoukou.yaml), and the versions of
the libraries that shape the results, so any change to any of them reads and builds afresh.

Set SANDBOX_NO_CACHE=1 to use no cache. A cache that cannot be read or written is ignored:
everything is built as if there were none.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import pickle
import secrets
from pathlib import Path
from typing import Any

from sandbox.common.home import sandbox_home

PACKAGE = Path(__file__).resolve().parents[1]
KEPT = 8  # files of each kind kept (the newest used): a course uses one or two


def cache_enabled() -> bool:
    return not os.environ.get("SANDBOX_NO_CACHE")


def cache_directory() -> Path:
    """Beside the local gradebook (the same rule as sandbox/gradebook/database.py, which
    this module does not import: the gradebook needs SQLAlchemy)."""
    return sandbox_home() / "cache"


@functools.cache
def code_fingerprint() -> str:
    """A hash of the code that turns a scenario file into a county. Computed once a process:
    the code a process runs does not change under it."""
    digest = hashlib.sha256()
    digest.update(_library_versions().encode())
    root = len(str(PACKAGE)) + 1
    for path, stat in _source_files(str(PACKAGE)):
        digest.update(f"{path[root:]}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _source_files(folder: str) -> list[tuple[str, os.stat_result]]:
    """Every .py and .yaml file under the package with its stat, in a fixed order (os.scandir: a few
    ms for the whole package, where pathlib's rglob and sort take several times that)."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                found.extend(_source_files(entry.path))
            elif entry.name.endswith((".py", ".yaml")):
                found.append((entry.path, entry.stat()))
    return sorted(found, key=lambda item: item[0])


# The libraries whose behaviour shapes a validated scenario or a county, each known by the file
# that holds its version and by its package's own file (its size and time change when it is
# installed again): read from disk, so a start that finds everything cached imports none of them
# (pydantic and PyYAML alone cost a start ~60 ms; Faker and python-stdnum ~45 ms).
VERSION_FILES = {"numpy": ("version.py",), "pandas": ("_version_meson.py", "_version.py"),
                 "pydantic": ("version.py",), "yaml": (), "faker": (), "stdnum": (), "simpy": ()}


def _library_versions() -> str:
    texts = []
    for name, files in VERSION_FILES.items():
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin:
            texts.append(f"no {name}")
            continue
        origin = Path(spec.origin)
        for candidate in (*(origin.with_name(file) for file in files), origin):
            try:
                stat = candidate.stat()
                texts.append(f"{name} {stat.st_size} {stat.st_mtime_ns}\n{candidate.read_text(encoding='utf-8')}")
                break
            except OSError:  # laid out differently in this version: the next file stands for it
                continue
    return "\n".join(texts)


def read_kept(path: Path) -> Any | None:
    """The object pickled at `path`, or None when there is none that can be read."""
    try:
        with path.open("rb") as file:
            kept = pickle.load(file)  # our own file, in the trainee's own directory
    except Exception:  # missing, half-written by a crash, or from another Python: build instead
        return None
    try:
        os.utime(path)  # newest used: kept longest
    except OSError:  # a read-only cache still serves
        pass
    return kept


def write_kept(path: Path, kept: Any, keep: int | None = KEPT, private: bool = False) -> None:
    """Pickle `kept` to `path`, whole or not at all; keep only the `keep` newest of its kind (None:
    all). `private`: the folder 0700 and the file 0600, for what holds an answer key (a class's
    worlds on a shared server)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o777)
        # A name of its own per writer (process, host, thread): two servers writing the same
        # county at once each replace the file whole, with the same county.
        partial = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o666)
        with open(descriptor, "wb") as file:
            pickle.dump(kept, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)  # whole or not at all, even with two kernels starting at once
        if keep is not None:
            _prune(path.parent, path.name.split("-", 1)[0], keep)
    except OSError:  # a read-only home: no cache, nothing else changes
        pass


def _prune(directory: Path, kind: str, keep: int) -> None:
    kept = sorted(directory.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[keep:]:
        old.unlink(missing_ok=True)
