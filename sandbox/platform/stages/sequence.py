"""The stages of an attempt, in order: the one registry every other place reads.

The attempt builds its stages from it; the report takes the scored stages and titles from it; the
course, the notebooks, the CLI and the class report take order and titles from it. A new
stage is one module under stages/ with its `StageInfo`, and one line in `_DECLARED` below.
"""

from __future__ import annotations

from sandbox.platform.stages.base import Stage, StageInfo
from sandbox.platform.stages.collection import CollectionStage
from sandbox.platform.stages.disclosure import DisclosureStage
from sandbox.platform.stages.failures import FailuresStage
from sandbox.platform.stages.monthly import MonthlyStage
from sandbox.platform.stages.payout import PayoutStage
from sandbox.platform.stages.reconciliation import ReconciliationStage
from sandbox.platform.stages.review import ReviewStage
from sandbox.platform.stages.supervision import SupervisionStage

_DECLARED: tuple[type[Stage], ...] = (CollectionStage, ReviewStage, PayoutStage, FailuresStage,
                                      ReconciliationStage, DisclosureStage, SupervisionStage, MonthlyStage)


def _in_order(classes: tuple[type[Stage], ...]) -> tuple[type[Stage], ...]:
    ordered = tuple(sorted(classes, key=lambda cls: cls.info.order))
    names = [cls.info.name for cls in ordered]
    orders = [cls.info.order for cls in ordered]
    if len(set(names)) != len(names) or len(set(orders)) != len(orders):
        raise ValueError(f"two stages share a name or an order: {list(zip(names, orders, strict=True))}")
    return ordered


STAGE_CLASSES: tuple[type[Stage], ...] = _in_order(_DECLARED)
# name -> declaration, in the order a trainee meets the stages.
STAGES: dict[str, StageInfo] = {cls.info.name: cls.info for cls in STAGE_CLASSES}
# The stages the report scores, in order (failures is scored within payout).
SCORED: tuple[str, ...] = tuple(name for name, info in STAGES.items() if info.scored)


def stage_title(name: str, lang: str) -> str:
    """A stage's title in `lang` ("zh" or "en"); an unknown name is shown as it is."""
    info = STAGES.get(name)
    return info.title(lang) if info else name
