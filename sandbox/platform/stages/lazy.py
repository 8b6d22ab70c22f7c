"""An attempt's stages, each built the first time something asks for it.

A session that only starts (or resumes and shows the brief) needs none of the stages' code:
the mapping knows the names of the stages the scenario has, in order, and imports and builds
a stage when it is first looked up. Building is cheap and has no side effects (a stage's
constructor only sets its empty state), so the order in which stages are built changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from sandbox.platform.stages.sequence import stage_class

if TYPE_CHECKING:
    from sandbox.platform.stages.base import Stage


class LazyStages(Mapping):
    """name -> Stage for the stages an attempt has, in the declared order."""

    def __init__(self, attempt: Any, names: list[str]) -> None:
        self._attempt = attempt
        self._names = list(names)
        self._built: dict[str, Stage] = {}

    def __getitem__(self, name: str) -> Stage:
        stage = self._built.get(name)
        if stage is None:
            if name not in self._names:
                raise KeyError(name)
            stage = self._built[name] = stage_class(name)(self._attempt)
        return stage

    def __setitem__(self, name: str, stage: Any) -> None:
        """Put a stage in place of the declared one (a test's stand-in): it is the one used."""
        if name not in self._names:
            raise KeyError(name)
        self._built[name] = stage

    def built(self, name: str) -> Stage | None:
        """The stage if something has used it already, else None (and nothing is built)."""
        return self._built.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)
