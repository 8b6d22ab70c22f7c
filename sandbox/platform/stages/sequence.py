"""The stages of an attempt, in order: the one registry every other place reads.

Each stage is declared here once (order, zh/en title, whether it is scored, which scenarios
have it) beside the class that runs it, named by module so that it is imported only when an
attempt first uses the stage: a session starts without loading the eight stages' code. The
attempt builds its stages from this registry; the report takes the scored stages and titles
from it; the course, the notebooks, the CLI and the class report take order and titles from it.
A new stage is one module under stages/ whose class takes `info = STAGES["name"]`, and one
line in `_DECLARED` below.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sandbox.platform.stages.base import StageInfo

if TYPE_CHECKING:
    from sandbox.platform.stages.base import Stage


def _has_months(scenario: Any) -> bool:
    return scenario.periods > 1


# (declaration, "module:Class" under sandbox/platform/stages/)
_DECLARED: tuple[tuple[StageInfo, str], ...] = (
    (StageInfo("collection", order=1, title_zh="信息采集、录入", title_en="Collection"), "collection:CollectionStage"),
    (StageInfo("review", order=2, title_zh="审核、公示", title_en="Review and posting"), "review:ReviewStage"),
    (StageInfo("payout", order=3, title_zh="发放与补发", title_en="Payout and re-issue"), "payout:PayoutStage"),
    (StageInfo("failures", order=4, title_zh="失败处理、补发", title_en="Failures and re-issue", scored=False),
     "failures:FailuresStage"),
    (StageInfo("reconciliation", order=5, title_zh="对账", title_en="Reconciliation"),
     "reconciliation:ReconciliationStage"),
    (StageInfo("disclosure", order=6, title_zh="信息公开", title_en="Disclosure"), "disclosure:DisclosureStage"),
    (StageInfo("supervision", order=7, title_zh="监督检查", title_en="Supervision"), "supervision:SupervisionStage"),
    (StageInfo("monthly", order=8, title_zh="月度增减变动", title_en="Monthly changes", applies=_has_months),
     "monthly:MonthlyStage"),
)


def _in_order(declared: tuple[tuple[StageInfo, str], ...]) -> tuple[tuple[StageInfo, str], ...]:
    ordered = tuple(sorted(declared, key=lambda pair: pair[0].order))
    names = [info.name for info, _ in ordered]
    orders = [info.order for info, _ in ordered]
    if len(set(names)) != len(names) or len(set(orders)) != len(orders):
        raise ValueError(f"two stages share a name or an order: {list(zip(names, orders, strict=True))}")
    return ordered


_ORDERED = _in_order(_DECLARED)
# name -> declaration, in the order a trainee meets the stages.
STAGES: dict[str, StageInfo] = {info.name: info for info, _ in _ORDERED}
_WHERE: dict[str, str] = {info.name: where for info, where in _ORDERED}
# The stages the report scores, in order (failures is scored within payout).
SCORED: tuple[str, ...] = tuple(name for name, info in STAGES.items() if info.scored)


def stage_class(name: str) -> type[Stage]:
    """The class that runs stage `name`, its module imported on first use."""
    module, _, cls = _WHERE[name].partition(":")
    found = getattr(importlib.import_module(f"{__package__}.{module}"), cls)
    if found.info is not STAGES[name]:
        raise ValueError(f"{found.__name__}.info is not the declaration of {name!r} in sequence.py")
    return found


def __getattr__(name: str) -> Any:
    # STAGE_CLASSES imports every stage: for tools and tests that want them all, not for a start.
    if name == "STAGE_CLASSES":
        return tuple(stage_class(stage) for stage in STAGES)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def stage_title(name: str, lang: str) -> str:
    """A stage's title in `lang` ("zh" or "en"); an unknown name is shown as it is."""
    info = STAGES.get(name)
    return info.title(lang) if info else name
