"""A stage is a small object whose public actions the platform dispatches by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.platform.attempt import Attempt


def action(name: str) -> Callable:
    """Mark a stage method as an action the session may call as `<stage>.<name>`."""

    def mark(method: Callable) -> Callable:
        method.action_name = name
        return method

    return mark


class Stage:
    name: str = ""

    def __init__(self, attempt: Attempt) -> None:
        self.attempt = attempt

    def actions(self) -> dict[str, Callable[..., Any]]:
        found = {}
        for attr in dir(type(self)):
            method = getattr(type(self), attr)
            label = getattr(method, "action_name", None)
            if label:
                found[f"{self.name}.{label}"] = getattr(self, attr)
        return found
