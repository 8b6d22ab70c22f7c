"""A trainee's mastery per skill, from every attempt the gradebook keeps (docs/adaptive.md).

Every stage submission is logged with its details (metrics, misses) as a `score` action; the
first submission of each stage is what the trainee could do on their own (a practice stage
tried again learnt from the feedback), so each attempt's evidence is read from those. Nothing
is stored twice: the gradebook already keeps it, and mastery is read back from it on demand.

In the course, a notebook's attempt holds the reference operator's play of the stages before
its lesson: `own_work` (the course passes its own) keeps only the trainee's actions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from sandbox.platform.mastery import Mastery, estimate
from sandbox.platform.skills import Cases, evidence_of

if TYPE_CHECKING:
    from sandbox.gradebook.store import Gradebook

OwnWork = Callable[[pd.DataFrame, "str | None"], pd.DataFrame]  # (actions, label) -> the trainee's


@dataclass(frozen=True)
class AttemptCases:
    """One attempt's evidence: its scenario and seed, and the cases of each skill it showed."""

    attempt_id: str
    scenario: str
    seed: int
    cases: dict[str, Cases]


def attempt_cases(book: Gradebook, trainee: str, class_id: str | None = None,
                  own_work: OwnWork | None = None) -> list[AttemptCases]:
    """The trainee's attempts with any evidence (of one class, if given), oldest first."""
    frame = book.attempts(class_id=class_id)
    out = []
    for row in frame[frame["trainee"] == trainee].to_dict("records"):
        attempt_id = str(row["attempt_id"])
        actions = book.actions(attempt_id, calls=False)
        label = row["label"] if isinstance(row["label"], str) else None
        if own_work is not None:
            actions = own_work(actions, label)
        details = _first_details(book, attempt_id, actions)
        cases = evidence_of(details)
        if cases:
            out.append(AttemptCases(attempt_id, str(row["scenario"]), int(row["seed"]), cases))
    return out


def _first_details(book: Gradebook, attempt_id: str, actions: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Each stage's details at its first submission among `actions`; a self-test's withheld
    details are read from the stage as stored once it was ended."""
    first: dict[str, dict[str, Any]] = {}
    for row in actions[actions["action"] == "score"].to_dict("records") if not actions.empty else []:
        payload = row["payload"] if isinstance(row["payload"], dict) else {}
        first.setdefault(row["stage"], payload.get("details") or {})
    withheld = [stage for stage, details in first.items() if details.get("withheld")]
    if withheld:
        stored = book.stage_scores(attempt_id=attempt_id).set_index("stage")["details"]
        for stage in withheld:
            details = stored.get(stage) or {}
            first[stage] = {} if details.get("withheld") else details
    return first


def mastery_of(book: Gradebook, trainee: str, class_id: str | None = None,
               own_work: OwnWork | None = None, **model: Any) -> dict[str, Mastery]:
    """The trainee's mastery of every skill their attempts showed (`model`: the estimate's
    parameters, platform/mastery.py)."""
    return estimate([a.cases for a in attempt_cases(book, trainee, class_id, own_work)], **model)
