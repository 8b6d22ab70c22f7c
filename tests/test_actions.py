"""Each action declares whether it only reads. A read-only call changes nothing and is not
logged; a resumed attempt replays only the actions that change state, and ends up the same."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from conftest import TUTORIAL, attempt_of

import sandbox.session as session_package
from sandbox import Session
from sandbox.course import resume_at
from sandbox.errors import SandboxError
from sandbox.gradebook.store import Gradebook
from sandbox.platform.attempt import Attempt
from sandbox.platform.stages.base import action
from sandbox.scenario import load_scenario
from sandbox.session.session import backend_of


def nothing(session: Session) -> dict:
    return {}


# A payload for every read-only action (built from what the trainee can see).
SAMPLES: dict[str, Callable[[Session], dict]] = {
    "brief": nothing, "programs": nothing, "report": nothing, "scores": nothing,
    "registries.list": nothing, "registries.get": lambda s: {"name": "deaths"},
    "collection.forms": nothing, "collection.village_files": nothing,
    "review.roster": nothing, "review.decisions": nothing, "review.visits": nothing, "review.objections": nothing,
    "review.lookup": lambda s: {"entry_id": str(s.review.roster()["entry_id"].iloc[0])},
    "payout.budget": nothing, "payout.build_request": nothing, "payout.results": nothing, "payout.result_files": nothing, "payout.timeline": nothing,
    "payout.kpis": nothing, "failures.table": nothing, "reconciliation.template": nothing,
    "failures.card_status": lambda s: {"line_id": _a_line(s)},
    "disclosure.draft": nothing, "disclosure.policy": nothing, "supervision.template": nothing,
}


def _a_line(session: Session) -> str:
    results = session.payout.results()
    return str(results["line_id"].iloc[0]) if not results.empty else "L00001"


def state_of(attempt: Attempt) -> tuple:
    """Everything a stage keeps between calls, as comparable values."""
    review, payout = attempt.stages["review"].state, attempt.stages["payout"]
    supervision, disclosure = attempt.stages["supervision"], attempt.stages["disclosure"]
    return (attempt.clock.now, len(attempt.log), {k: v.to_dict() for k, v in attempt.scores.items()},
            attempt.working.to_csv(), review.decisions_frame().to_csv(),
            review.visits_frame(attempt.clock.now).to_csv(), review.objections_frame().to_csv(),
            review.posted, review.final, dict(review.objection_responses),
            payout.lines.to_csv(), repr(payout.fixes), payout.closed, len(payout.runs),
            supervision.inspection_date, supervision.findings, disclosure.published is None)


def read_everything(session: Session) -> None:
    for name, payload in SAMPLES.items():
        try:
            backend_of(session).call(name, payload(session))
        except SandboxError:  # e.g. nothing paid yet: a refusal changes nothing either
            pass


def test_every_action_is_declared_and_every_read_only_one_is_sampled(start) -> None:
    actions = attempt_of(start()).actions
    assert all(isinstance(a.read_only, bool) for a in actions.values())
    assert {name for name, a in actions.items() if a.read_only} == set(SAMPLES)
    assert actions["disclosure.policy"].read_only
    with pytest.raises(TypeError):
        action("undeclared")  # read_only must be said, not assumed


def test_every_action_a_desk_calls_is_declared(start) -> None:
    """The session's desks name actions as strings: each must exist on the platform (the
    monthly desk's on a scenario with later pay periods)."""
    actions = attempt_of(start()).actions | attempt_of(start(scenario=load_scenario("zhoukou-2022"))).actions
    called = set()
    for path in Path(session_package.__path__[0]).glob("*.py"):
        called |= set(re.findall(r'(?:_call|\.call)\(\s*"([\w.]+)"', path.read_text(encoding="utf-8")))
    assert called and called <= set(actions), sorted(called - set(actions))


@pytest.mark.parametrize("stage", ["collection", "supervision"])
def test_read_only_calls_change_nothing_and_are_not_logged(start, stage: str) -> None:
    session = resume_at(stage, start())
    attempt = attempt_of(session)
    before = state_of(attempt)
    read_everything(session)
    assert state_of(attempt) == before


def test_views_that_start_the_inspection_are_declared_as_changing_state(start) -> None:
    session = resume_at("supervision", start())
    attempt = attempt_of(session)
    assert attempt.changes_state("supervision.payments")
    before = attempt.clock.now
    session.supervision.payments()
    assert attempt.clock.now > before and attempt.log[-1]["action"] == "supervision.payments"


def test_looking_at_the_draft_request_leaves_review_open(start) -> None:
    """build_request is a look: it drafts from the decisions as they stand and closes nothing."""
    session = resume_at("review", start())
    attempt = attempt_of(session)
    ids = session.review.roster()["entry_id"].tolist()
    session.review.submit(pd.DataFrame({"entry_id": ids[:5], "decision": "approve"}))
    before = state_of(attempt)
    draft = session.payout.build_request()
    assert not attempt.changes_state("payout.build_request")
    assert state_of(attempt) == before and not attempt.stages["review"].state.final
    assert sorted(draft["entry_id"]) == sorted(ids[:5])
    session.review.submit(pd.DataFrame({"entry_id": ids[5:7], "decision": "approve"}))  # still open
    assert sorted(session.payout.build_request()["entry_id"]) == sorted(ids[:7])


def test_policy_is_not_logged(start) -> None:
    session = resume_at("disclosure", start())
    attempt = attempt_of(session)
    logged = len(attempt.log)
    session.disclosure.policy()
    assert len(attempt.log) == logged
    assert "disclosure.policy" not in {entry["action"] for entry in attempt.log}


def test_resume_replays_only_the_actions_that_change_state(tmp_path) -> None:
    book = tmp_path / "mine.sqlite"
    first = Session.start(TUTORIAL, trainee="周八", lang="en", gradebook=book)
    resume_at("disclosure", first)
    first.disclosure.policy()
    read_everything(first)
    before = attempt_of(first)
    attempt_id = first.brief()["attempt_id"]
    logged = Gradebook(book).actions(attempt_id)
    trainee_actions = logged[logged["action"] != "score"]["action"].tolist()
    assert trainee_actions and all(before.changes_state(name) for name in trainee_actions)
    # an older version logged views too; a resume skips them
    Gradebook(book).log_action(attempt_id, "disclosure", "disclosure.policy", {"summary": {}, "call": {}})

    again = Session.start(TUTORIAL, trainee="周八", lang="en", gradebook=book)
    assert again.brief()["resumed_actions"] == len(trainee_actions)
    assert state_of(attempt_of(again)) == state_of(before)
    pd.testing.assert_frame_equal(again.payout.results(), first.payout.results())
