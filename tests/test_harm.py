"""The harm ledger (docs/scoring.md): its weights come from the scenario, its reference R has
a floor, days past the payment deadline are counted and attributed, and a removed setting is
named when a scenario still uses it."""

from __future__ import annotations

import pytest

from sandbox.errors import ScenarioError
from sandbox.personas import PERSONAS
from sandbox.platform.deadline import payment_deadline
from sandbox.platform.harm import score_of
from sandbox.platform.reference import FLOOR_SHARE, reference
from sandbox.scenario import load_scenario, scenario_from_dict
from sandbox.session.session import Session, attempt_behind


def tutorial_with(**sections) -> dict:
    data = load_scenario("tutorial").model_dump(mode="json")
    for name, values in sections.items():
        data[name] = {**data.get(name, {}), **values}
    return data


def test_money_stopped_is_refused_by_name_with_what_replaced_it():
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict(tutorial_with(scoring={"money_stopped": 1.0}))
    text = str(caught.value)
    assert "money_stopped" in text and "removed" in text and "recovered" in text


def test_recovered_money_never_weighs_more_than_money_kept():
    with pytest.raises(ScenarioError, match="recovered"):
        scenario_from_dict(tutorial_with(scoring={"money_let_through": 0.5, "recovered": 0.8}))


def test_a_quarter_of_the_reference_halves_the_score_and_no_harm_scores_100():
    assert score_of(0.0, 1234.0) == 100.0
    assert score_of(1234.0 / 4, 1234.0) == pytest.approx(50.0)
    assert score_of(1234.0, 1234.0) == pytest.approx(100 / 17)  # doing nothing: about 6
    assert score_of(1234.0 / 2, 1234.0, half=0.5) == pytest.approx(50.0)  # the scenario's half_score_harm
    assert score_of(2000.0, 1234.0) < score_of(1000.0, 1234.0)


def test_small_harms_barely_cost_and_a_fifth_of_the_reference_costs_a_third():
    # flat near no harm: the few home visits a careful review needs; steep where judgement matters
    assert score_of(0.05 * 1000, 1000.0) > 96
    assert 60 < score_of(0.2 * 1000, 1000.0) < 62


def test_a_clean_roster_is_measured_against_the_floor():
    """Nothing improper, nobody left off: R is the floor, a share of the money due."""
    rates = {code: 0.0 for code in load_scenario("tutorial").irregularities.model_dump() if code != "messy_typing"}
    scenario = scenario_from_dict(tutorial_with(irregularities=rates, review={"omitted_share": 0.0}))
    session = Session.start(scenario, lang="en")
    ref = reference(attempt_behind(session))
    assert ref["improper"] == 0 and ref["left_off_weighted"] == 0
    assert ref["value"] == pytest.approx(FLOOR_SHARE * ref["money_due"], abs=0.01)


def test_days_past_the_deadline_are_counted_and_review_holds_them_up_to_its_close():
    """A deadline on the first working day: whatever careful does, review (visits and the seven
    days of 公示) closes after it, and every family waits; those days are review's."""
    scenario = scenario_from_dict(tutorial_with(calendar={"payment_deadline_workdays": 1}))
    session = Session.start(scenario, lang="en")
    PERSONAS["careful"](session)
    attempt = attempt_behind(session)
    deadline = payment_deadline(scenario.calendar)
    closed = attempt.stages["review"].state.closed_at
    assert closed.date() > deadline
    report = session.report().summary()
    late = [r for r in report["harm"]["rows"] if r["kind"] == "late"]
    assert late and {r["stage"] for r in late} >= {"review"}
    review_late = next(r for r in late if r["stage"] == "review")
    assert review_late["families"] > 0.9 * len(attempt.data.typed)  # (nearly) everyone paid late
    weights = scenario.scoring
    # at most what not paying would weigh, at least the days review held them
    assert review_late["weighted"] <= review_late["yuan"] * weights.wrongful_denial * weights.vulnerable_multiplier
    assert review_late["weighted"] >= review_late["yuan"] * weights.late_per_day * (closed.date() - deadline).days
    assert report["stages"]["review"] < 90
