"""What a trainee may do about their own attempt rather than a stage: end a self-test (and so
see its feedback), or try a practice stage again. Both change the attempt, so both are
logged and replayed on resume like any stage action."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.errors import SandboxError
from sandbox.platform.modes import SELF_TEST
from sandbox.platform.stages.base import action
from sandbox.platform.tries import allow_retry

if TYPE_CHECKING:
    from sandbox.platform.attempt import Attempt


class StudyActions:
    """The attempt-level actions `self_test.end` and `practice.retry`."""

    def __init__(self, attempt: Attempt) -> None:
        self.attempt = attempt

    @action("self_test.end", read_only=False)
    def end_self_test(self) -> dict[str, Any]:
        """End a self-test: from now on its scores, misses and report show in full."""
        release_self_test(self.attempt)
        return self.attempt.report()

    @action("practice.retry", read_only=False)
    def retry(self, stage: str) -> dict[str, Any]:
        return allow_retry(self.attempt, stage)


def release_self_test(attempt: Attempt) -> None:
    """Release a self-test's feedback (idempotent); the gradebook is told, so it stores what
    it withheld. A class exam is released by its trainer only."""
    if attempt.mode != SELF_TEST:
        raise SandboxError("只有自测可以自己结束并查看反馈；考试的反馈由培训师发布", "only a self-test can be "
                           "ended by the trainee; an exam's feedback is released by the trainer")
    if attempt.feedback_released:
        return
    attempt.feedback_released = True
    if attempt.on_action:
        attempt.on_action({"attempt_id": attempt.attempt_id, "feedback_released": True})
