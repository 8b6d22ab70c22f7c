"""What a stage is: its declaration (`StageInfo`) and its actions (`@action`).

Each stage is declared once, in sequence.py, and its class carries that declaration: order,
zh/en title and whether it is scored (a stage's score comes from its own items in the harm ledger, docs/scoring.md; the
total from the whole ledger, so stages carry no weight of their own). Each action declares whether it only reads (and so is not
logged, nor replayed on resume) or changes the attempt's state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from sandbox.platform.attempt import Attempt


@dataclass(frozen=True)
class StageInfo:
    """A stage's declaration: everything outside the stage reads these fields."""

    name: str
    order: int       # the order a trainee meets the stages in (1 = first)
    title_zh: str
    title_en: str
    scored: bool = True  # a stage scored on its own (failures' harm is payout's)
    # Whether a scenario has this stage at all (None: every scenario). A stage that does not
    # apply is not built, so it has no actions and the report's total does not count it.
    applies: Callable[[Any], bool] | None = None

    def applies_to(self, scenario: Any) -> bool:
        return self.applies is None or bool(self.applies(scenario))

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en


@dataclass(frozen=True)
class Action:
    """One action the session may call by name: its handler and whether it only reads."""

    name: str
    handler: Callable[..., Any]
    read_only: bool


def action(name: str, *, read_only: bool) -> Callable:
    """Mark a method as an action the session may call (as `<stage>.<name>` on a stage).

    read_only=True: the call never changes the attempt (a view), so it is neither logged nor
    replayed on resume. Anything that may move the clock, record, close or score is False.
    """

    def mark(method: Callable) -> Callable:
        method.action_name = name
        method.read_only = read_only
        return method

    return mark


def declared_actions(owner: object, prefix: str = "") -> dict[str, Action]:
    """The @action methods of `owner`, bound, by their full name (`prefix.name`)."""
    found = {}
    for attr in dir(type(owner)):
        method = getattr(type(owner), attr)
        label = getattr(method, "action_name", None)
        if label:
            full = f"{prefix}.{label}" if prefix else label
            found[full] = Action(full, getattr(owner, attr), bool(method.read_only))
    return found


class Stage:
    info: ClassVar[StageInfo]

    def __init__(self, attempt: Attempt) -> None:
        self.attempt = attempt

    @property
    def name(self) -> str:
        return self.info.name

    def actions(self) -> dict[str, Action]:
        return declared_actions(self, self.info.name)
