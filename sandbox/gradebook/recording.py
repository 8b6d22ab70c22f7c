"""Keeping a trainee's attempt in a gradebook, and resuming it after a kernel restart.

Everything an attempt does is deterministic given the scenario, the seed and the actions
in order, so an attempt is resumed by replaying its logged actions on a fresh platform.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

import pandas as pd

from sandbox.common.wire import decode
from sandbox.gradebook.quick import DeferredRecorder, QuickGradebook, utc_now
from sandbox.platform.attempt import Attempt
from sandbox.platform.modes import local_mode
from sandbox.scenario.cached import load_for_start
from sandbox.scenario.frozen import is_scenario

if TYPE_CHECKING:
    from sandbox.gradebook.store import Gradebook
    from sandbox.scenario import Scenario

GradebookChoice: TypeAlias = "Gradebook | str | Path | bool | None"


def gradebook_for(choice: GradebookChoice) -> Gradebook | None:
    """None/False: keep nothing; True: the trainee's own local gradebook; else a path or URL."""
    if choice is None or choice is False:
        return None
    # Imported here: SQLAlchemy and Alembic cost a session that keeps nothing ~0.15 s to import.
    from sandbox.gradebook.store import Gradebook

    if isinstance(choice, Gradebook):
        return choice
    return Gradebook(None if choice is True else choice)


def replay(attempt: Attempt, actions: pd.DataFrame) -> int:
    """Re-apply the logged actions that change state, in order, to a fresh attempt; returns how many."""
    replayed = 0
    for row in actions.to_dict("records"):
        payload = row["payload"] if isinstance(row["payload"], dict) else {}
        call = payload.get("call")
        if call is None:  # score records and other notes, not trainee actions
            continue
        if not attempt.changes_state(row["action"]):  # a view an older version logged: nothing to redo
            continue
        attempt.handle(row["action"], decode(call))
        replayed += 1
    return replayed


def open_recorded(scenario: str | Path | Scenario, trainee: str, lang: str, seed: int | None,
                  mode: str | None, gradebook: GradebookChoice, resume: bool = True,
                  label: str | None = None, until: str | None = None) -> Attempt:
    """A new attempt, or the trainee's unfinished one replayed, recording into the gradebook.

    `until` names the stage that ends this piece of work (a notebook's own stage): an attempt
    that has it scored is done, so running the notebook again starts it afresh.

    The platform runs in the trainee's own process here, so an exam is a self-test
    (platform/modes.py): `mode="exam"` and `mode="self-test"` give the same attempt."""
    # A name or path is read back validated from the cache (scenario/cached.py): no pydantic.
    loaded = scenario.with_seed(seed) if is_scenario(scenario) else load_for_start(scenario, seed)
    mode = local_mode(mode or loaded.mode)
    quick = QuickGradebook.open(gradebook)  # the trainee's own file: no SQLAlchemy at the start
    if quick is not None:
        return _open_quick(quick, gradebook, loaded, trainee, lang, mode, resume, label, until)
    book = gradebook_for(gradebook)
    if book is None:
        return Attempt(loaded, trainee=trainee, lang=lang, mode=mode)
    previous = book.open_attempt_of(trainee, loaded.name, loaded.seed, mode, label=label) if resume else None
    if previous is not None and until is not None and until in set(book.stage_scores(previous)["stage"]):
        previous = None
    if previous is None:
        attempt = Attempt(loaded, trainee=trainee, lang=lang, mode=mode)
        book.register_attempt(attempt, label=label)
        return attempt
    attempt = Attempt(loaded, trainee=trainee, lang=lang, mode=mode, attempt_id=previous)
    attempt.resumed_actions = replay(attempt, book.actions(previous))
    book.attach(attempt)
    return attempt


def _open_quick(quick: QuickGradebook, choice: GradebookChoice, loaded: Scenario, trainee: str,
                lang: str, mode: str, resume: bool, label: str | None, until: str | None) -> Attempt:
    """`open_recorded` on a local gradebook file at the newest schema (gradebook/quick.py)."""
    previous = quick.open_attempt_of(trainee, loaded.name, loaded.seed, mode, label=label) if resume else None
    if previous is not None and until is not None and until in quick.scored_stages(previous):
        previous = None
    if previous is None:
        attempt = Attempt(loaded, trainee=trainee, lang=lang, mode=mode)
        quick.register(attempt, label, utc_now())
    else:
        attempt = Attempt(loaded, trainee=trainee, lang=lang, mode=mode, attempt_id=previous)
        attempt.resumed_actions = replay(attempt, quick.actions(previous))
    attempt.on_action = DeferredRecorder(choice, attempt)
    return attempt
