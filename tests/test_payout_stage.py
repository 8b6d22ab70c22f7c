"""Payout (发放), the failure desk (失败处理) and re-issue (补发)."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import attempt_of, oracle_decisions

import sandbox.programs as programs
from sandbox.common.normalize import clean_roster
from sandbox.errors import SandboxError, SubmissionError


def approved(session, decisions: pd.DataFrame | None = None):
    """The forms cleaned; review done: the answer key's decisions (or the ones given), final."""
    session.collection.submit(clean_roster(session.collection.forms())[0])
    session.review.submit(oracle_decisions(attempt_of(session)) if decisions is None else decisions)
    session.review.finalize(confirm=True)
    return session


def with_card_trouble(tutorial, **rates):
    cards = tutorial.cards.model_copy(update={"status_rates": tutorial.cards.status_rates.model_copy(update=rates)})
    return tutorial.model_copy(update={"cards": cards})


def test_request_pays_household_programs_to_the_heads_own_card(start, tutorial):
    session = approved(start())
    world = attempt_of(session).world
    request = session.payout.build_request()
    assert len(request) == (oracle_decisions(attempt_of(session))["decision"] != "reject").sum()
    persons = world.persons.set_index("id_number")
    primary = world.accounts[world.accounts["primary"]].set_index("person_id")["account_number"]
    per_household = {p.code for p in programs.catalogue(tutorial) if p.unit == "household"}
    lines = request[request["program"].isin(per_household)]
    assert len(lines) > 0
    for line in lines.to_dict("records"):
        payee = persons.loc[line["payee_id_number"]]
        assert payee["relation"] == "户主", line
        assert line["account_number"] == primary[payee["person_id"]]
        assert line["payee_name"] == payee["name"]


def spoil(request: pd.DataFrame, how: str) -> tuple[pd.DataFrame, str]:
    bad = request.astype({"amount": object}).copy()
    if how == "unknown entry":
        bad.loc[3, "entry_id"] = "E9999"
        return bad, "E9999"
    if how == "negative amount":
        bad.loc[3, "amount"] = -5.0
        return bad, "above zero"
    if how == "non-numeric amount":
        bad.loc[3, "amount"] = "一百"
        return bad, "not a number"
    if how == "over budget":
        bad.loc[3, "amount"] = 1_000_000.0
        return bad, "budget line"
    if how == "wrong period":
        bad.loc[3, "period"] = "2022-04"
        return bad, "row 5, column 'period'"
    bad = pd.concat([bad, bad.iloc[[3]]], ignore_index=True)
    return bad, "twice"


@pytest.mark.parametrize("how", ["unknown entry", "negative amount", "non-numeric amount", "over budget",
                                 "wrong period", "duplicated line"])
def test_bad_payment_files_are_rejected_and_nothing_goes_to_the_bank(start, how):
    session = approved(start())
    bad, words = spoil(session.payout.build_request(), how)
    today = session.brief()["today"]
    with pytest.raises(SubmissionError) as caught:
        session.payout.submit(bad, progress=False, confirm=True)
    assert words in str(caught.value)
    assert session.payout.results().empty
    assert session.brief()["today"] == today
    assert session.payout.kpis() == {}


def test_outcomes_follow_the_world(start, tutorial):
    session = start(scenario=with_card_trouble(tutorial, not_activated=0.15))
    attempt = attempt_of(session)
    decisions = oracle_decisions(attempt)
    key = attempt.data.key.set_index("entry_id")
    # let a name typo through, on an entry whose card is fine
    book = attempt.stages["payout"].book
    typos = [e for e in key.index[key["fault"] == "data_entry_name"]
             if book.status_of(key.at[e, "true_account_number"]) == "active"]
    assert typos, "no name typo on an active card in this world"
    decisions.loc[decisions["entry_id"] == typos[0], ["decision", "field", "value"]] = ["approve", "", ""]
    approved(session, decisions)
    session.payout.submit(session.payout.build_request(), progress=False, confirm=True)
    results = session.payout.results().set_index("entry_id")
    assert results.at[typos[0], "code"] == "BE01"
    statuses = results["account_number"].map(book.status_of)
    not_activated = statuses == "not_activated"
    assert not_activated.sum() >= 3
    assert (results.loc[not_activated, "code"] == "AG01").all()
    fine = (statuses == "active") & (results.index != typos[0])
    assert (results.loc[fine, "status"] == "credited").all()


@pytest.fixture
def failed_session(start, tutorial):
    session = approved(start(scenario=with_card_trouble(tutorial, not_activated=0.15)))
    session.payout.submit(session.payout.build_request(), progress=False, confirm=True)
    failures = session.failures.table()
    assert (failures["code"] == "AG01").sum() >= 2
    return session, failures


def test_activating_a_card_waits_for_the_branch_then_the_reissue_credits(failed_session):
    session, failures = failed_session
    line = failures[failures["code"] == "AG01"].iloc[0]
    fix = session.failures.act(line["line_id"], "activate_card")
    active_from = pd.Timestamp(fix["active_from"])
    assert active_from > pd.Timestamp(session.brief()["today"]) - pd.Timedelta(days=30)
    session.failures.reissue(confirm=True)
    results = session.payout.results()
    reissued = results[results["source_line_id"] == line["line_id"]]
    assert len(reissued) == 1
    assert reissued["status"].iloc[0] == "credited"
    assert pd.Timestamp(reissued["credited_at"].iloc[0]) >= active_from
    assert reissued["entry_id"].iloc[0] == line["entry_id"]
    # the re-issued line replaced its source: nothing left to re-issue for it
    assert line["line_id"] not in set(session.failures.table()["line_id"])


def test_paying_someone_elses_account_is_refused(failed_session):
    session, failures = failed_session
    line = failures.iloc[0]
    cards = attempt_of(session).world.registries["card_status"]
    other = cards.loc[cards["id_number"] != line["payee_id_number"], "account_number"].iloc[0]
    with pytest.raises(SandboxError, match="someone else"):
        session.failures.act(line["line_id"], "pay_other_account", other)
    assert session.failures.table().set_index("line_id").at[line["line_id"], "fix"] == ""


def test_a_credited_line_cannot_be_paid_again_by_a_second_reissue(failed_session):
    session, failures = failed_session
    line = failures[failures["code"] == "AG01"].iloc[0]
    session.failures.act(line["line_id"], "activate_card")
    session.failures.reissue(confirm=True)
    credited = session.payout.results().query("source_line_id == @line.line_id").iloc[0]
    again = pd.DataFrame([{**{c: credited[c] for c in ("entry_id", "program", "payee_id_number", "payee_name",
                                                        "account_number", "bank", "amount")},
                           "line_id": f"{line['line_id']}-R9", "source_line_id": credited["line_id"]}])
    session.payout.submit(again, progress=False, confirm=True)
    last = session.payout.results().iloc[-1]
    assert last["line_id"] == f"{line['line_id']}-R9"
    assert last["code"] == "AM05" and last["status"] == "returned"


def test_kpis_are_reported(failed_session):
    session, failures = failed_session
    kpis = session.payout.kpis()
    assert set(kpis) >= {"first_pass_success_rate", "final_success_rate", "social_security_card_share",
                         "days_to_pay", "money_returned", "lines"}
    assert kpis["first_pass_success_rate"] == pytest.approx(1 - len(failures) / kpis["lines"], abs=1e-4)
    assert kpis["money_returned"] == pytest.approx(failures["amount"].sum())
    assert 0 < kpis["social_security_card_share"] <= 1 and kpis["days_to_pay"] >= 0
