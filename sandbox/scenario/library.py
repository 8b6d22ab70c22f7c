"""The scenarios shipped inside the package, found by name from any folder.

`tutorial`, `zhoukou-2022` and the small variations in `shipped/examples/` travel with the
package (pyproject's package-data), so `Session.start("tutorial")` and
`sandbox play tutorial` need no checkout. Wherever a scenario is asked for, a name or a
path is accepted: a file that exists wins, then a shipped name. `sandbox scenarios` lists
them, and `sandbox scenarios copy NAME DEST` gives a trainer a file to change.
"""

from __future__ import annotations

import functools
import os
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sandbox.errors import SandboxError, ScenarioError, ScenarioProblem

# The folders of shipped/ and what a trainer is told each holds, in listing order.
GROUPS = {"": "course scenarios", "examples": "small variations, each `extends` one above"}


@dataclass(frozen=True)
class ShippedScenario:
    """One YAML file inside the package."""

    name: str  # the file name without .yaml: what a trainer types
    path: Path
    group: str  # "" for the course's own scenarios, "examples" for the variations

    def title(self, lang: str = "zh") -> str:
        """The scenario's own title, read without validating (listing must stay cheap)."""
        import yaml  # here: finding a scenario by name (every start) needs no YAML reader

        data = yaml.safe_load(self.path.read_text(encoding="utf-8")) or {}
        title = data.get("title") if isinstance(data, dict) else None
        return str(title.get(lang, "")) if isinstance(title, dict) else str(title or "")


def shipped_root() -> Path:
    """The folder of shipped scenarios; it must be real files (extends and lines need them)."""
    root = resources.files("sandbox.scenario").joinpath("shipped")
    if not isinstance(root, Path):  # a zipped install; pip always unpacks, so say so plainly
        raise SandboxError(f"the shipped scenarios are inside an archive ({root}); "
                           "install the sandbox unpacked (pip install) to use them by name")
    return root


@functools.cache
def shipped_scenarios() -> dict[str, ShippedScenario]:
    """Every shipped scenario by name, the course's own first."""
    root = shipped_root()
    found: dict[str, ShippedScenario] = {}
    for group in GROUPS:
        for path in sorted((root / group).glob("*.yaml")):
            if path.stem in found:  # a name must mean one file, whichever folder it is in
                raise SandboxError(f"two shipped scenarios are named {path.stem!r}: "
                                   f"{found[path.stem].path} and {path}")
            found[path.stem] = ShippedScenario(path.stem, path, group)
    return found


def shipped_names() -> list[str]:
    return list(shipped_scenarios())


def _expected(what: str) -> str:
    return f"{what}, or the name of a shipped scenario ({', '.join(shipped_names())})"


def _unknown(given: str, looked_at: Path, source: str, field: str, line: int | None,
             what: str) -> ScenarioError:
    """A name or path that is neither: suggest the shipped name it most likely meant."""
    from sandbox.scenario.words import did_you_mean  # here: it brings pydantic, a start needs none

    stem = Path(given).stem
    if stem in shipped_scenarios() and stem != given:  # e.g. `my-folder/tutorial.yaml`
        hint = f" — the shipped scenario of that name is {stem!r}"
    else:
        hint = did_you_mean(stem, shipped_names())
    where = os.path.normpath(looked_at)
    where = f" ({where})" if where != os.path.normpath(given) else ""  # relative to another file
    return ScenarioError([ScenarioProblem(source, line, field, f"{given!r}: no such file{where}{hint}",
                                          _expected(what))])


def scenario_path(name_or_path: str | Path, base: Path | None = None, *, source: str | None = None,
                  field: str = "", line: int | None = None,
                  what: str = "the path of a scenario YAML file") -> Path:
    """The file a scenario name or path stands for.

    A path (relative to ``base`` if given, else to the current folder) that exists as a
    file wins; else a shipped name (also written ``scenarios/NAME.yaml``, the old layout); else
    a folder as it is (the reader says why it is not a scenario). Anything else raises a ScenarioError that names ``source``, ``field`` and
    ``line`` when the name was written in a file (``extends:``, a class file's ``scenario:``).
    """
    given = str(name_or_path).strip()
    path = Path(name_or_path)
    candidate = base / path if base is not None else path
    if candidate.is_file():
        return candidate
    shipped = shipped_scenarios().get(given)
    if shipped is None and path.parent.name == "scenarios" and path.suffix == ".yaml" and not candidate.exists():
        shipped = shipped_scenarios().get(path.stem)  # scenarios/zhoukou-2022.yaml, as the docs write it
    if shipped is not None:
        return shipped.path
    if candidate.is_dir():
        return candidate
    raise _unknown(given, candidate, source or given, field, line, what)


def copy_scenario(name: str, destination: str | Path) -> Path:
    """Copy a shipped scenario to a file (or into a folder) a trainer can change; never overwrite."""
    shipped = shipped_scenarios().get(name)
    if shipped is None:
        from sandbox.scenario.words import did_you_mean

        raise SandboxError(f"no shipped scenario is named {name!r}{did_you_mean(name, shipped_names())}; "
                           f"shipped: {', '.join(shipped_names())}")
    target = Path(destination)
    if target.is_dir():
        target = target / shipped.path.name
    if target.exists():
        raise SandboxError(f"{target} already exists; give another file name (nothing was copied)")
    if not target.parent.is_dir():
        raise SandboxError(f"{target.parent} is not a folder; create it first (nothing was copied)")
    shutil.copyfile(shipped.path, target)
    return target
