"""Scenario files: the schema a trainer writes, and a loader whose errors a trainer can act on.

Every error names the file, the line, the field, what was found and what was expected,
in words a trainer who does not program can follow ("a number from 0 to 0.5", not
"Input should be less than or equal to 0.5"). A scenario may ``extends:`` another file (a
path relative to itself, or a shipped name such as `tutorial`) and override fields; mappings
merge key by key, everything else (numbers, text, lists) replaces.

- `schema`: the pydantic models (each field's description is its documentation)
- `yamllines`: YAML read with the line of every key
- `loader`: `load_scenario`, `scenario_from_dict`, `extends`
- `library`: the scenarios shipped inside the package, by name (`tutorial`, `zhoukou-2022`, …)
- `messages`: pydantic errors in a trainer's words
- `docs`: the field table of docs/authoring.md
- `cached`, `frozen`: a session's start reads its validated scenario back from disk, without pydantic
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.scenario.library import copy_scenario, scenario_path, shipped_scenarios
    from sandbox.scenario.loader import load_scenario, scenario_from_dict
    from sandbox.scenario.schema import (
        MAX_SEED,
        PROGRAM_CODES,
        ZHOUKOU_COUNTIES,
        Irregularities,
        Masking,
        Outage,
        ProgramOverride,
        Programs,
        Scenario,
    )

# Loaded on first use: a session's start reads its scenario from the cache (`cached`) and
# `frozen` objects, and needs neither pydantic nor the schema's models.
_LAZY = {
    "copy_scenario": "library", "scenario_path": "library", "shipped_scenarios": "library",
    "load_scenario": "loader", "scenario_from_dict": "loader",
    **{name: "schema" for name in ("MAX_SEED", "PROGRAM_CODES", "ZHOUKOU_COUNTIES", "Irregularities",
                                   "Masking", "Outage", "ProgramOverride", "Programs", "Scenario")},
}

__all__ = [
    "MAX_SEED", "PROGRAM_CODES", "ZHOUKOU_COUNTIES", "Irregularities", "Masking", "Outage",
    "ProgramOverride", "Programs", "Scenario", "copy_scenario", "load_scenario", "scenario_from_dict",
    "scenario_path", "shipped_scenarios",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f"sandbox.scenario.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'sandbox.scenario' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
