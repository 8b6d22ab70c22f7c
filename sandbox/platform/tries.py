"""Each stage's first try beside its best, and which stages a practice attempt may try again.

Practice feedback teaches, so a second try scores better for what the first one taught: the
first try is what a trainee could do on their own, the best is what they learnt. Both are
kept (here, in the report's "tries" section, and in the gradebook's stage_scores); class
reports read the first.

Stages that may be tried again in practice (`s.try_again(stage)`) are those whose result
nothing later in the attempt depends on: reconciliation (a statement), disclosure (the
published table: a rehearsal, since a real publication cannot be withdrawn) and supervision
(the inspection report). Collection may be submitted again as it always could. Closing review
and sending payment stay final: everything after them is built on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sandbox.errors import SandboxError
from sandbox.platform.modes import PRACTICE, mode_name
from sandbox.platform.stages.sequence import stage_title

if TYPE_CHECKING:
    from sandbox.platform.attempt import Attempt
    from sandbox.platform.scoring import StageScore

# stage -> the attributes that make its submission final (reset to None for another try).
RETRIABLE: dict[str, tuple[str, ...]] = {
    "reconciliation": (),
    "disclosure": ("published",),
    "supervision": ("findings",),
}


@dataclass
class StageTry:
    first: float
    best: float
    latest: float
    tries: int = 1

    def add(self, score: float) -> None:
        self.best = max(self.best, score)
        self.latest = score
        self.tries += 1


class StageTries:
    """The scores of every submission of every stage of one attempt, in short."""

    def __init__(self) -> None:
        self._stages: dict[str, StageTry] = {}

    def record(self, score: StageScore) -> None:
        value = round(float(score.score), 2)
        if score.stage in self._stages:
            self._stages[score.stage].add(value)
        else:
            self._stages[score.stage] = StageTry(value, value, value)

    def get(self, stage: str) -> StageTry | None:
        return self._stages.get(stage)

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """stage -> first, best, latest and how many tries (the report's "tries" section)."""
        return {stage: {"first": t.first, "best": t.best, "latest": t.latest, "tries": t.tries}
                for stage, t in self._stages.items()}


def allow_retry(attempt: Attempt, stage: str) -> dict[str, Any]:
    """Open a scored stage for another try (practice only); the first try stays on record."""
    title = stage_title(stage, "zh")
    if attempt.mode != PRACTICE:
        raise SandboxError(f"只有练习模式可以重做环节，{mode_name(attempt.mode)}的每个环节只交一次",
                           "only practice mode lets a stage be tried again")
    if stage not in RETRIABLE or stage not in attempt.stages:
        allowed = "、".join(f"{stage_title(s, 'zh')}（{s}）" for s in RETRIABLE if s in attempt.stages)
        raise SandboxError(f"“{title}”不能重做，可以重做的环节：{allowed}",
                           f"{stage!r} cannot be tried again; these can: {', '.join(RETRIABLE)}")
    if stage not in attempt.scores:
        raise SandboxError(f"“{title}”还没有提交过，直接提交即可", f"{stage!r} has not been submitted yet: "
                           "just submit it")
    for attribute in RETRIABLE[stage]:
        setattr(attempt.stages[stage], attribute, None)
    done = attempt.tries.get(stage)
    return {"stage": stage, "tries": done.tries if done else 0, "first": done.first if done else None,
            "open": True}
