"""Final steps are safe to run again: the same call shows the recorded result once more.

A trainee who runs a cell a second time (or "run all cells" after a restart) has not asked
to publish twice. So for each final step the platform keeps the last call that succeeded and
what it answered; the same call with the same data gets that answer again, marked `again`
(the session's Feedback says so in the trainee's language), and nothing changes. A different table after the step is final is still refused by the
stage, in plain words. Kept here, in the platform, so it holds locally and on a class server.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.common.wire import encode
from sandbox.errors import SandboxError

# The final steps, by action. Re-issue (补发) can rightly be called again with the same words
# in a later round (new fixes chosen), so it runs first and only a refusal shows the record.
FINAL_ACTIONS: dict[str, str] = {
    "review.finalize": "review", "review.close": "review", "payout.submit": "payout",
    "failures.reissue": "failures", "reconciliation.submit": "reconciliation",
    "disclosure.publish": "disclosure", "supervision.submit": "supervision",
}
RUN_FIRST = frozenset({"failures.reissue"})
# review.close and review.finalize are one step under two names.
_SAME_STEP = {"review.close": "review.finalize"}


@dataclass
class _Done:
    key: str
    result: Any


def call_key(payload: dict) -> str:
    """The same call with the same data gives the same key (tables included)."""
    text = json.dumps(encode(payload), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class FinalSteps:
    """The last successful call of each final step, and its answer."""

    def __init__(self) -> None:
        self._done: dict[str, _Done] = {}

    def run(self, name: str, payload: dict, handler: Callable[[], Any]) -> tuple[Any, bool]:
        """Run a call; returns (result, repeated). A repeat of a done final step returns the
        recorded answer (repeated=True) and changes nothing."""
        if name not in FINAL_ACTIONS:
            return handler(), False
        step = _SAME_STEP.get(name, name)
        key = call_key(payload)
        done = self._done.get(step)
        if done is not None and done.key == key and name not in RUN_FIRST:
            return _again(done.result), True
        try:
            result = handler()
        except SandboxError:
            if done is not None and done.key == key:
                return _again(done.result), True
            raise
        self._done[step] = _Done(key, copy.deepcopy(result))
        return result, False

    def reopen(self, stage: str) -> None:
        """A stage opened for another try (practice): its next submission runs afresh."""
        for name in [n for n in self._done if FINAL_ACTIONS.get(n) == stage]:
            del self._done[name]


def _again(result: Any) -> Any:
    answer = copy.deepcopy(result)
    if isinstance(answer, dict):
        answer["again"] = True
    return answer
