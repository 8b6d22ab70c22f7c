"""A validated scenario that reads like the pydantic model without importing pydantic.

A session's start reads a few dozen fields of its scenario. Importing pydantic and building
the schema's models to read them costs a tutorial start ~0.1 s, so the start path
(scenario/cached.py) keeps a validated Scenario as a tree of `Frozen` objects: the same
fields in the same order with the same values (`scenario.scoring.recovered`,
`scenario.bank.outages[0].hours`, `scenario.programs.overrides["dibao"].amount`), frozen like
the models. Whatever else a model offers — `model_dump()`, `with_seed(seed)`,
`calendar.period_label`, `region.household_count`, `registries.any()`, equality, repr — is
asked of the real model, unpickled on first use from the same validated data, so a frozen
scenario does all that a Scenario does and gives the same answers.

This module imports nothing heavy; `freeze` is handed a real model by its caller.
"""

from __future__ import annotations

import copy
import pickle
import sys
from typing import Any

Path_ = tuple[str | int, ...]  # from the scenario down to a section: field names, list indices, dict keys


class Frozen:
    """One section of a frozen scenario: its fields as attributes, the model behind it on demand."""

    def __init__(self, fields: dict[str, Any], root: FrozenScenario | None, path: Path_) -> None:
        object.__setattr__(self, "_frozen_root", root)
        object.__setattr__(self, "_frozen_path", path)
        self.__dict__.update(fields)

    def _real(self) -> Any:
        """The pydantic model this section stands for (imports pydantic the first time)."""
        real = self._frozen_root._real()  # type: ignore[union-attr]  # a section always has a root
        for step in self._frozen_path:
            real = real[step] if isinstance(step, int) or isinstance(real, dict) else getattr(real, step)
        return real

    def __getattr__(self, name: str) -> Any:
        # Only names that are not fields come here: methods, properties and pydantic's API.
        if name.startswith("__") or name.startswith("_frozen"):
            raise AttributeError(name)  # pickling and copying probe dunders before the state is set
        return getattr(self._real(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._real(), name, value)  # the model refuses, with its own error (frozen)

    def __delattr__(self, name: str) -> None:
        delattr(self._real(), name)

    def __eq__(self, other: object) -> bool:
        return self._real() == (other._real() if isinstance(other, Frozen) else other)

    def __hash__(self) -> int:
        return hash(self._real())

    def __iter__(self):  # like a model: (field, value) pairs
        return iter(self._real())

    def __repr__(self) -> str:
        return repr(self._real())

    def __str__(self) -> str:
        return str(self._real())

    def __copy__(self) -> Any:
        return copy.copy(self._real())

    def __deepcopy__(self, memo: dict) -> Any:
        return copy.deepcopy(self._real(), memo)


class FrozenScenario(Frozen):
    """The root of a frozen scenario: also holds the model's pickle and its JSON dump."""

    def __init__(self, fields: dict[str, Any], model_pickle: bytes, model_json: str) -> None:
        super().__init__(fields, None, ())
        object.__setattr__(self, "_frozen_pickle", model_pickle)
        object.__setattr__(self, "_frozen_json", model_json)
        object.__setattr__(self, "_frozen_model", None)

    def _real(self) -> Any:
        if self._frozen_model is None:
            object.__setattr__(self, "_frozen_model", pickle.loads(self._frozen_pickle))
        return self._frozen_model

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_frozen_model": None}  # the model comes back from its pickle

    def with_seed(self, seed: int | None) -> Any:
        """As Scenario.with_seed: the same scenario when no seed is given (no pydantic needed)."""
        return self if seed is None else self._real().with_seed(seed)

    def model_dump_json(self, **options: Any) -> str:
        return self._frozen_json if not options else self._real().model_dump_json(**options)


def freeze(scenario: Any) -> FrozenScenario:
    """A frozen copy of a validated Scenario (a FrozenScenario is returned as it is)."""
    if isinstance(scenario, FrozenScenario):
        return scenario
    root = FrozenScenario({}, pickle.dumps(scenario, protocol=pickle.HIGHEST_PROTOCOL),
                          scenario.model_dump_json())
    object.__setattr__(root, "_frozen_model", scenario)
    root.__dict__.update({name: _frozen_value(getattr(scenario, name), root, (name,))
                          for name in type(scenario).model_fields})
    return root


def _frozen_value(value: Any, root: FrozenScenario, path: Path_) -> Any:
    if hasattr(type(value), "model_fields"):  # a section (a pydantic model)
        names = type(value).model_fields
        return Frozen({name: _frozen_value(getattr(value, name), root, (*path, name)) for name in names},
                      root, path)
    if isinstance(value, list):
        return [_frozen_value(item, root, (*path, index)) for index, item in enumerate(value)]
    if isinstance(value, tuple):
        return tuple(_frozen_value(item, root, (*path, index)) for index, item in enumerate(value))
    if isinstance(value, dict):
        return {key: _frozen_value(item, root, (*path, key)) for key, item in value.items()}
    return value  # text, numbers, dates, None: immutable, shared with the model


def is_scenario(value: Any) -> bool:
    """Whether `value` is a loaded scenario (frozen or a pydantic Scenario). Without importing
    pydantic: no Scenario can exist before the schema module is imported."""
    if isinstance(value, FrozenScenario):
        return True
    schema = sys.modules.get("sandbox.scenario.schema")
    return schema is not None and isinstance(value, schema.Scenario)


def scenario_json(scenario: Any) -> str:
    """The scenario's `model_dump_json()`: what identifies it in a cache key."""
    return scenario.model_dump_json()
