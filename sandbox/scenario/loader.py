"""Loading a scenario: a file (or a dict), its `extends` chain, validation, errors with lines."""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import (
    ValidationError,
)

from sandbox.errors import ScenarioError, ScenarioProblem
from sandbox.programs import check_programs
from sandbox.scenario.library import scenario_path
from sandbox.scenario.messages import describe, field_path, locate, problems_of, value_at
from sandbox.scenario.schema import MAX_EXTENDS_DEPTH, Scenario
from sandbox.scenario.yamllines import LinedDict, LinedList, read_yaml

RELATIVE_PARENT = "the path of another scenario file, relative to this one"

# --- extends: merging a scenario onto its parent --------------------------------------------


def _merge(base: Any, override: Any) -> Any:
    """Mappings merge key by key (remembering each key's line and file); all else replaces."""
    if not (isinstance(base, dict) and isinstance(override, dict)):
        return override
    merged = LinedDict(dict(base), {}, getattr(override, "line", None))
    merged.key_lines = {**getattr(base, "key_lines", {}), **getattr(override, "key_lines", {})}
    merged.sources = {**getattr(base, "sources", {}), **getattr(override, "sources", {})}
    for key, value in override.items():
        merged[key] = _merge(base[key], value) if key in base else value
    return merged


def _adopt(data: Any, source: str) -> Any:
    """Make plain dicts/lists carry line (unknown) and source tags, like loaded YAML."""
    if isinstance(data, dict):
        lined = data if isinstance(data, LinedDict) else LinedDict(
            {k: _adopt(v, source) for k, v in data.items()}, {}, None
        )
        lined.sources = {key: source for key in lined}
        if lined is data:
            for value in lined.values():
                _adopt(value, source)
        return lined
    if isinstance(data, list):
        if isinstance(data, LinedList):
            for value in data:
                _adopt(value, source)
            return data
        return [_adopt(v, source) for v in data]
    return data


def _display(path: Path) -> Path:
    return Path(os.path.normpath(path))


@dataclass
class SourceRecord:
    """What a load read: each file's bytes and where each ``extends`` led (scenario/cached.py
    keeps a validated scenario only as long as both stay the same)."""

    files: list[tuple[str, bytes]] = field(default_factory=list)  # (path, content), in reading order
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (name as written, folder, file found)

    def read(self, path: Path, content: bytes) -> None:
        self.files.append((str(path), content))


def _with_parent(data: LinedDict, source: str, base_dir: Path, chain: tuple[Path, ...],
                 record: SourceRecord | None = None) -> LinedDict:
    """Pop ``extends`` from a scenario mapping and merge it onto the file it names."""
    parent = data.pop("extends", None)
    if parent is None:
        return data
    line = data.key_lines.get("extends")

    def refuse(found: str, expected: str) -> ScenarioError:
        return ScenarioError([ScenarioProblem(source, line, "extends", found, expected)])

    if not isinstance(parent, str) or not parent.strip():
        raise refuse(describe(parent), f"{RELATIVE_PARENT}, or a shipped scenario's name")
    # a file beside this one wins over a shipped scenario of the same name
    parent_path = _display(scenario_path(parent.strip(), base_dir, source=source, field="extends",
                                         line=line, what=RELATIVE_PARENT))
    if record is not None:
        record.links.append((parent.strip(), str(base_dir), str(parent_path)))
    if not parent_path.is_file():
        raise refuse(f"{parent!r} (a folder: {parent_path})", RELATIVE_PARENT)
    resolved = parent_path.resolve()
    if resolved in chain:
        loop = " → ".join(p.name for p in (*chain[chain.index(resolved):], resolved))
        raise refuse(f"a circle of extends ({loop})", "a chain of extends that ends in a file without extends")
    if len(chain) > MAX_EXTENDS_DEPTH:
        raise refuse(f"more than {MAX_EXTENDS_DEPTH} levels of extends", "a shorter chain of extends")
    return _merge(_load_raw(parent_path, chain, record), data)


def _load_raw(path: Path, chain: tuple[Path, ...] = (), record: SourceRecord | None = None) -> LinedDict:
    data = _adopt(read_yaml(path, on_read=record.read if record else None), str(path))
    return _with_parent(data, str(path), path.parent, (*chain, path.resolve()), record)


def _catalogue_problems(scenario: Scenario, data: dict, source: str) -> list[ScenarioProblem]:
    """Overrides that do not fit a program's amount rule (e.g. `amount` for a per-亩 program).

    Which key fits which program is a fact of the catalogue (sandbox.programs), so it is
    asked there; the problems it returns are given the file and line of the override.
    """
    located = []
    for problem in check_programs(scenario, file=source):
        loc: tuple = tuple(problem.field.split(".")) if problem.field else ()
        given = value_at(data, loc)
        key = next((k for k in given if f"`{k}`" in problem.found), None) if isinstance(given, dict) else None
        loc = (*loc, key) if key else loc
        file, line = locate(data, loc, source)
        located.append(ScenarioProblem(file, line, field_path(loc), problem.found, problem.expected))
    return located


def _validate(data: LinedDict, source: str) -> Scenario:
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems_of(exc, data, source)) from None
    problems = _catalogue_problems(scenario, data, source)
    if problems:
        raise ScenarioError(problems)
    return scenario


# --- public entry points --------------------------------------------------------------------


def load_scenario(path: str | Path, seed: int | None = None, record: SourceRecord | None = None) -> Scenario:
    """Load and validate a scenario file or a shipped scenario by name ("tutorial").

    Raise ScenarioError naming file, line and field. `record`, when given, is told every file
    read and every ``extends`` followed.
    """
    path = scenario_path(path)
    return _validate(_load_raw(path, (), record), str(path)).with_seed(seed)


def scenario_from_dict(data: dict, source: str = "<dict>") -> Scenario:
    """Validate a scenario given as a dict (notebooks, tests), with the same error messages.

    ``extends`` is resolved relative to the folder of ``source`` when it names a file,
    else relative to the current folder; a shipped scenario's name works from anywhere. The
    caller's dict is not changed.
    """
    if not isinstance(data, dict):
        raise ScenarioError([ScenarioProblem(source, None, "", describe(data), "a dict of scenario fields")])
    try:
        lined = _adopt(copy.deepcopy(data), source)
    except RecursionError:
        raise ScenarioError([ScenarioProblem(source, None, "", "a dict that contains itself", "plain nested data")]) from None
    base_dir = Path(source).parent if not source.startswith("<") else Path.cwd()
    chain = (Path(source).resolve(),) if not source.startswith("<") else ()
    return _validate(_with_parent(lined, source, base_dir, chain), source)


