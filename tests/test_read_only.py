"""Looking never changes state: a full attempt is played, and between its steps every action
declared read_only=True — of every stage, the monthly changes included — is called; the
attempt must stay exactly as it was (a digest of everything it holds: decisions, clock, stage
flags, payment lines, log, scores, world…)."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from conftest import attempt_of
from digest import attempt_digest

from sandbox.common.wire import decode, round_trip
from sandbox.errors import SandboxError
from sandbox.personas import PERSONAS
from sandbox.platform.attempt import Attempt
from sandbox.scenario import Scenario, load_scenario
from sandbox.session.session import LocalBackend, Session


@pytest.fixture(scope="module")
def three_months() -> Scenario:
    """Zhoukou 2022 (periods: 3) on a few villages: every stage, the monthly one too."""
    base = load_scenario("zhoukou-2022")
    return base.model_copy(update={
        "region": base.region.model_copy(update={"villages_per_township": 3, "households_per_village": 80}),
    })


def sample_payload(attempt: Attempt, name: str, handler: Any) -> dict:
    """Arguments for a look, from what the trainee can see; an argument no rule here knows
    fails the test, so a new read-only action cannot slip past unsampled."""
    lines = attempt.stages["payout"].lines
    known = {"entry_id": str(attempt.working["entry_id"].iloc[0]),
             "line_id": str(lines["line_id"].iloc[0]) if not lines.empty else "L00001",
             "name": "deaths"}
    required = [p.name for p in inspect.signature(handler).parameters.values()
                if p.default is inspect.Parameter.empty and p.kind is not p.VAR_KEYWORD]
    unknown = [p for p in required if p not in known]
    assert not unknown, f"{name}: no sample for {unknown}"
    return {p: known[p] for p in required}


class LookingBackend:
    """Plays through the local backend; after each step that changes state, calls every
    read-only action and checks that the attempt is unchanged."""

    def __init__(self, inner: LocalBackend) -> None:
        self.inner = inner
        self.attempt: Attempt = inner.attempt
        self.steps: list[str] = []
        self.looks: set[str] = set()

    def call(self, action: str, payload: dict | None = None) -> Any:
        result = self.inner.call(action, payload)
        repeat = bool(self.steps) and self.steps[-1] == action
        if self.attempt.changes_state(action) and not repeat:  # a run of one action: looked at once
            self.steps.append(action)
            self.look_at_everything(after=action)
        return result

    def look_at_everything(self, after: str) -> None:
        before = attempt_digest(self.attempt)
        for name in read_only(self.attempt):
            look(self.attempt, name)
            self.looks.add(name)
        # one digest for all the looks (fast); on a change, the look that made it is named
        assert attempt_digest(self.attempt) == before, f"{culprit(self.attempt)}, looked at after {after}"


def read_only(attempt: Attempt) -> list[str]:
    return [name for name, declared in attempt.actions.items() if declared.read_only]


def look(attempt: Attempt, name: str) -> None:
    try:
        attempt.handle(name, round_trip(sample_payload(attempt, name, attempt.actions[name].handler)))
    except SandboxError:
        pass  # a refusal (e.g. nothing paid yet) must change nothing either


def culprit(attempt: Attempt) -> str:
    """Which look changed the attempt: the state before the looks is rebuilt from the log (looks
    are not logged), then each look is tried alone."""
    fresh = Attempt(attempt.scenario, trainee=attempt.trainee, lang=attempt.lang, mode=attempt.mode)
    for entry in attempt.log:
        fresh.handle(entry["action"], decode(entry["call"]))
    for name in read_only(fresh):
        now = attempt_digest(fresh)
        look(fresh, name)
        if attempt_digest(fresh) != now:
            return f"{name} changed the attempt"
    return "the looks changed the attempt"


def test_every_look_leaves_a_full_attempt_as_it_was(three_months: Scenario) -> None:
    session = Session.start(three_months, trainee="looker", lang="en")
    looking = LookingBackend(session._backend)
    looking.look_at_everything(after="the start")
    session._backend = looking
    PERSONAS["careful"](session)
    attempt = looking.attempt
    looks = set(read_only(attempt))
    assert looking.looks == looks and {"payout.build_request", "monthly.history"} <= looks
    # the play went through every stage, so every look saw every state
    assert {"review.finalize", "payout.submit", "failures.reissue", "disclosure.publish",
            "supervision.submit", "monthly.pay"} <= set(looking.steps)
    assert set(attempt.scores) >= {"collection", "review", "payout", "reconciliation", "disclosure",
                                   "supervision", "monthly"}


def test_the_digest_sees_a_change_anywhere(start) -> None:
    """The check can fail: a decision, a clock tick or a flag changes the digest."""
    session = start()
    attempt = attempt_of(session)
    first = attempt_digest(attempt)
    assert attempt_digest(attempt) == first
    attempt.stages["review"].state.final = True
    flagged = attempt_digest(attempt)
    assert flagged != first
    attempt.clock.advance_days(1)
    assert attempt_digest(attempt) != flagged
    ticked = attempt_digest(attempt)
    attempt.stages["payout"].fixes["L00001"] = {"action": "stop_recover"}
    assert attempt_digest(attempt) != ticked
