"""The later pay periods (月度增减变动): a three-period Zhoukou-like scenario played end to end
through the Session API; a payment after death in period 2 caught or missed, and scored."""

from __future__ import annotations

import pandas as pd
import pytest

from sandbox.course import resume_at
from sandbox.errors import SandboxError
from sandbox.personas import PERSONAS
from sandbox.personas.monthly import play_months
from sandbox.scenario import Scenario, load_scenario
from sandbox.session.session import Session, attempt_behind
from sandbox.world import generate_world
from sandbox.world.timeline import build_timeline, pay_months


@pytest.fixture(scope="module")
def three_months() -> Scenario:
    """Zhoukou 2022 (periods: 3), three villages, more deaths so every month has some."""
    base = load_scenario("zhoukou-2022")
    assert base.periods == 3
    return base.model_copy(update={
        "region": base.region.model_copy(update={"villages_per_township": 3, "households_per_village": 80}),
        "population": base.population.model_copy(update={"dead_share": 0.04}),
    })


def _at_month_two(scenario: Scenario) -> Session:
    session = Session.start(scenario, trainee="test", lang="en")
    resume_at("monthly", session)  # every earlier stage played carefully
    assert session.monthly.brief()["period"] == 2
    return session


def _died_before_june(session: Session) -> pd.DataFrame:
    """Standing entries whose payee died in period 1 (so June's payment is 冒领)."""
    attempt = attempt_behind(session)
    roster = session.monthly.roster()
    persons = attempt.world.persons.set_index("id_number")
    death = pd.to_datetime(roster["id_number"].map(persons["death_date"]))
    return roster[(death >= pd.Timestamp("2022-05-01")) & (death < pd.Timestamp("2022-06-01"))]


def test_months_follow_the_period_by_calendar_month(three_months: Scenario) -> None:
    months = pay_months(three_months)
    assert [(m.start.isoformat(), m.end.isoformat(), m.as_of.isoformat()) for m in months] == [
        ("2022-05-01", "2022-05-31", "2022-06-01"), ("2022-06-01", "2022-06-30", "2022-07-01"),
        ("2022-07-01", "2022-07-31", "2022-08-01")]


def test_the_timeline_is_deterministic_and_has_deaths_in_every_month(three_months: Scenario) -> None:
    first, second = build_timeline(generate_world(three_months)), build_timeline(generate_world(three_months))
    pd.testing.assert_frame_equal(first.events, second.events)
    pd.testing.assert_frame_equal(first.new_accounts, second.new_accounts)
    deaths = first.events[first.events["kind"] == "death"]
    assert set(deaths["period"]) == {2, 3}
    assert {"dibao_new", "dibao_ended", "dibao_claim", "card_lost"} <= set(first.events["kind"])
    assert first.new_accounts["account_number"].is_unique


def test_a_one_period_scenario_has_no_monthly_stage(start) -> None:
    session = start()
    assert session.brief()["periods"] == 1
    with pytest.raises(SandboxError, match="unknown action"):
        session.monthly.brief()


def test_registries_show_the_month_open_now(three_months: Scenario) -> None:
    session = _at_month_two(three_months)
    june = set(session.registries.get("deaths")["id_number"])
    session.monthly.pay()
    july = set(session.registries.get("deaths")["id_number"])
    assert june < july  # deaths registered during July show in month 3's register


def test_a_payment_after_death_in_period_two_is_caught_and_recovered(three_months: Scenario) -> None:
    session = _at_month_two(three_months)
    dead = _died_before_june(session)
    assert len(dead), "the scenario should have a payee who died in May"
    target = dead.iloc[0]
    # June: missed (paid after the death); July: stopped, and June's payment recovered.
    session.monthly.pay()
    history = session.monthly.history()
    june = history[(history["entry_id"] == target["entry_id"]) & (history["status"] == "credited")]
    paid = float(june["amount"].sum())
    assert paid > 0
    session.monthly.stop(target["entry_id"], recover_amount=paid)
    result = session.monthly.pay()
    assert result["done"]
    score = attempt_behind(session).scores["monthly"]
    assert score.metrics["money_recovered"] >= paid
    assert target["entry_id"] not in {m.entry_id for m in score.misses}


def test_a_payment_after_death_never_stopped_is_a_miss(three_months: Scenario) -> None:
    session = _at_month_two(three_months)
    target = _died_before_june(session).iloc[0]
    while not session.monthly.brief()["done"]:
        session.monthly.pay()  # nothing checked: everyone continues
    score = attempt_behind(session).scores["monthly"]
    missed = [m for m in score.misses if m.entry_id == target["entry_id"]]
    assert missed and missed[0].kind == "kept_paying" and missed[0].fault == "dead_payee"
    assert score.metrics["money_paid_after_death"] > 0
    assert score.metrics["money_recovered"] == 0


def test_personas_play_every_month_and_care_pays(three_months: Scenario) -> None:
    """The careful months against months where everyone continues and every change is approved
    (every other stage careful): paying the dead and unchecked applications costs."""
    careful = PERSONAS["careful"]
    plays = {"careful": careful, "trusting": careful.but(monthly=lambda s: play_months(s, "trusting"))}
    scores, harm = {}, {}
    for name, play in plays.items():
        session = Session.start(three_months, trainee=name, lang="en")
        play(session)
        report = session.report().summary()
        assert report["stages"]["monthly"] is not None
        scores[name] = report["stages"]["monthly"]
        harm[name] = report["harm"]["by_stage"].get("monthly", 0.0)
    assert scores["careful"] >= 80
    assert harm["trusting"] > 2 * harm["careful"] and scores["trusting"] < scores["careful"]


def test_monthly_decisions_are_checked(three_months: Scenario) -> None:
    session = _at_month_two(three_months)
    entry = session.monthly.roster()["entry_id"].iloc[0]
    with pytest.raises(SandboxError):
        session.monthly.decide(pd.DataFrame([{"id": entry, "decision": "approve"}]))
    with pytest.raises(SandboxError):
        session.monthly.decide(pd.DataFrame([{"id": "E9999999", "decision": "continue"}]))


def test_resume_replays_the_monthly_actions(three_months: Scenario, tmp_path) -> None:
    book = tmp_path / "book.sqlite"
    first = Session.start(three_months, trainee="t", lang="en", gradebook=str(book))
    resume_at("monthly", first)
    target = _died_before_june(first).iloc[0]["entry_id"]
    first.monthly.stop(target)
    first.monthly.pay()
    before = first.monthly.history()
    again = Session.start(three_months, trainee="t", lang="en", gradebook=str(book))
    assert again.monthly.brief()["period"] == 3
    pd.testing.assert_frame_equal(again.monthly.history(), before)
    assert target not in set(again.monthly.roster()["entry_id"])
