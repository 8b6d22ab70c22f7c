"""Reconciliation (对账): allocated = paid + returned + pending + unspent, to the fen."""

from __future__ import annotations

import pytest
from conftest import attempt_of, oracle_decisions

from sandbox.common.normalize import clean_roster
from sandbox.errors import SubmissionError
from sandbox.personas import statement_from_results


@pytest.fixture
def paid_session(start, tutorial):
    cards = tutorial.cards.model_copy(
        update={"status_rates": tutorial.cards.status_rates.model_copy(update={"not_activated": 0.1})})
    session = start(scenario=tutorial.model_copy(update={"cards": cards}))
    session.collection.submit(clean_roster(session.collection.forms())[0])
    session.review.submit(oracle_decisions(attempt_of(session)))
    session.review.finalize(confirm=True)
    session.payout.submit(session.payout.build_request(), progress=False, confirm=True)
    return session


def test_the_right_statement_scores_100(paid_session):
    statement = statement_from_results(paid_session)
    assert (statement["returned"] > 0).any()
    feedback = paid_session.reconciliation.submit(statement)
    assert feedback.score == 100.0 and feedback.misses == []
    assert feedback["metrics"]["money_misreported"] == 0


def test_a_statement_off_by_a_fen_names_the_program_and_column(paid_session):
    statement = statement_from_results(paid_session)
    program = statement.loc[statement["paid"] > 0, "program"].iloc[0]
    statement.loc[statement["program"] == program, "paid"] += 0.01
    feedback = paid_session.reconciliation.submit(statement)
    # a fen misreported weighs a fen (docs/scoring.md): named, and in the ledger, barely scored
    assert feedback["metrics"]["money_misreported"] == pytest.approx(0.01)
    harm = paid_session.report().summary()["harm"]["by_stage"]
    assert harm["reconciliation"] == pytest.approx(0.01 * attempt_of(paid_session).scenario.scoring.misreported)
    titles = [m["title"] for m in feedback.misses]
    assert any(program in t and "paid" in t for t in titles), titles
    assert all(m["entry_id"] == program for m in feedback.misses)


@pytest.mark.parametrize("spoil", ["missing column", "not an amount", "unknown program"])
def test_a_malformed_statement_is_rejected_and_nothing_is_scored(paid_session, spoil):
    statement = statement_from_results(paid_session).astype({"paid": object})
    if spoil == "missing column":
        statement = statement.drop(columns=["unspent"])
    elif spoil == "not an amount":
        statement.loc[1, "paid"] = "很多"
    else:
        statement.loc[1, "program"] = "moon_landing"
    with pytest.raises(SubmissionError) as caught:
        paid_session.reconciliation.submit(statement)
    assert ("unspent" if spoil == "missing column" else "row 3") in str(caught.value)
    assert "reconciliation" not in paid_session.brief()["stages_done"]
    assert "payout" not in paid_session.brief()["stages_done"]  # payout still open
