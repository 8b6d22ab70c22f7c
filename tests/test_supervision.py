"""Supervision (监督检查): an inspector finds what review let through, recovers it, and
says who must rectify what by when."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from sandbox.common.normalize import clean_roster
from sandbox.errors import SandboxError, SubmissionError
from sandbox.personas import decision_row, play_supervision
from sandbox.platform.attempt import open_attempt
from sandbox.platform.harm import score_of
from sandbox.platform.reference import reference
from sandbox.platform.stages.supervision import (
    INSPECTION_DELAY_DAYS,
    improper_payments,
)
from sandbox.session.session import Session, attempt_behind
from sandbox.world import verified_registries_at

TUTORIAL = "tutorial"  # a shipped scenario, by name


def approve_all_and_pay(lang: str = "en") -> Session:
    """Review lets everything through and the period is paid: plenty for an inspector."""
    session = Session.start(TUTORIAL, lang=lang)
    session.collection.submit(clean_roster(session.collection.forms())[0])
    roster = session.review.roster()
    session.review.submit(pd.DataFrame([decision_row(e, "approve") for e in roster["entry_id"]]))
    session.review.post_notice()
    session.review.finalize(confirm=True)
    session.payout.submit(session.payout.build_request(), progress=False, confirm=True)
    return session


@pytest.fixture
def session() -> Session:
    return approve_all_and_pay()


def attempt_of(session: Session):
    return attempt_behind(session)  # tests only: the answer key lives on the platform


def targets_of(session: Session) -> pd.DataFrame:
    attempt = attempt_of(session)
    return improper_payments(attempt.data.key, attempt.stages["payout"].payments())


def finding(line_id: str, fault: str, recover: float, due: str) -> dict:
    return {"line_id": line_id, "fault": fault, "recover_amount": f"{recover:.2f}",
            "rectification": "停发并追回资金，重新审核资格", "responsible": "李营乡民政所", "due_date": due}


def due_date(session: Session, days: int = 30) -> str:
    start = dt.date.fromisoformat(session.supervision.start()["inspection_date"])
    return (start + dt.timedelta(days=days)).isoformat()


def findings_for(session: Session, targets: pd.DataFrame) -> list[dict]:
    due = due_date(session)
    return [finding(t["lines"].split(",")[0], t["fault"], t["improper"], due) for t in targets.to_dict("records")]


def test_review_that_approves_everything_leaves_improper_money_paid(session: Session) -> None:
    targets = targets_of(session)
    planted = attempt_of(session).data.key
    assert len(targets) >= 5
    assert set(targets["fault"]) <= set(planted["fault"])
    assert (targets["improper"] > 0).all() and (targets["improper"] <= targets["paid"] + 0.005).all()


def test_the_inspection_comes_weeks_after_payout(session: Session) -> None:
    before = attempt_of(session).clock.now
    dates = session.supervision.start()
    assert attempt_of(session).clock.now - before == dt.timedelta(days=INSPECTION_DELAY_DAYS)
    assert dates["inspection_date"] == attempt_of(session).clock.now.date().isoformat()
    assert session.supervision.start() == dates  # starting twice does not move the clock again


def test_finding_every_improper_payment_recovers_all_of_it(session: Session) -> None:
    targets = targets_of(session)
    feedback = session.supervision.submit(pd.DataFrame(findings_for(session, targets)), confirm=True)
    assert feedback.score == 100
    assert feedback["metrics"]["money_recovered"] == pytest.approx(targets["improper"].sum())
    assert feedback.misses == []


def test_the_careful_inspector_persona_finds_everything(session: Session) -> None:
    play_supervision(session, careful=True, weigh=True)
    score = attempt_of(session).scores["supervision"]
    assert score.score == pytest.approx(100), [m.evidence for m in score.misses]
    assert score.metrics["money_recovered"] == pytest.approx(targets_of(session)["improper"].sum())
    with pytest.raises(SandboxError, match="submitted already"):
        session.supervision.submit(pd.DataFrame(), confirm=True)


def test_no_findings_misses_every_improper_payment_with_evidence(session: Session) -> None:
    targets = targets_of(session)
    feedback = session.supervision.submit(pd.DataFrame(), confirm=True)
    # what nobody recovers weighs the rest of money_let_through (docs/scoring.md)
    scoring = attempt_of(session).scenario.scoring
    unrecovered = (scoring.money_let_through - scoring.recovered) * targets["improper"].sum()
    R = reference(attempt_of(session))["value"]
    assert feedback.score == pytest.approx(score_of(unrecovered, R), abs=0.05)
    assert feedback.score < 100
    missed = {m["entry_id"] for m in feedback.misses if m["kind"] == "not_found"}
    assert missed == set(targets["entry_id"])
    assert all(m["evidence"] and m["tip"] for m in feedback.misses)


def test_a_finding_on_a_correct_payment_is_a_false_accusation(session: Session) -> None:
    targets = targets_of(session)
    payments = session.supervision.payments()
    correct = payments[(payments["status"] == "credited") & ~payments["entry_id"].isin(targets["entry_id"])]
    line = correct.iloc[0]
    rows = findings_for(session, targets) + [finding(line["line_id"], "冒领", line["amount"], due_date(session))]
    feedback = session.supervision.submit(pd.DataFrame(rows), confirm=True)
    assert feedback["metrics"]["false_accusations"] == 1
    assert feedback.score < 100
    (miss,) = feedback.misses
    assert miss["kind"] == "false_accusation" and miss["entry_id"] == line["entry_id"]


def test_recovery_must_be_right_to_the_fen(session: Session) -> None:
    targets = targets_of(session)
    rows = findings_for(session, targets)
    rows[0]["recover_amount"] = f"{targets.iloc[0]['improper'] - 1:.2f}"   # a yuan short
    rows[1]["recover_amount"] = f"{targets.iloc[1]['improper'] - 0.01:.2f}"  # a fen short: fine
    feedback = session.supervision.submit(pd.DataFrame(rows), confirm=True)
    (miss,) = feedback.misses
    assert miss["kind"] == "under_recovery" and miss["entry_id"] == targets.iloc[0]["entry_id"]
    assert feedback["metrics"]["money_recovered"] == pytest.approx(targets["improper"].sum() - 1, abs=0.02)


def test_chinese_fault_words_are_understood(session: Session) -> None:
    targets = targets_of(session)
    words = {"dead_payee": "冒领", "public_employee": "公职人员", "duplicate": "重复发放", "over_standard": "超标准",
             "inflated_area": "虚报面积", "ineligible": "资格不符", "cadre_relative": "优亲厚友",
             "proxy_account": "代领"}
    rows = findings_for(session, targets)
    for row in rows:
        row["fault"] = words[row["fault"]]
    assert session.supervision.submit(pd.DataFrame(rows), confirm=True).score == 100


def test_a_bad_report_is_rejected_whole_with_row_messages(session: Session) -> None:
    targets = targets_of(session)
    rows = findings_for(session, targets)
    rows[0]["line_id"] = "L99999"
    rows[1]["rectification"] = ""
    rows[2]["due_date"] = "2030-01-01"
    rows[3]["recover_amount"] = "99999"
    with pytest.raises(SubmissionError) as caught:
        session.supervision.submit(pd.DataFrame(rows), confirm=True)
    message = str(caught.value)
    assert "row 2, column 'line_id': unknown payment line 'L99999'" in message
    assert "row 3, column 'rectification'" in message
    assert "row 4, column 'due_date'" in message and "rectification window" in message
    assert "row 5, column 'recover_amount'" in message
    # Nothing was recorded: a corrected report is still accepted.
    assert session.supervision.submit(pd.DataFrame(findings_for(session, targets)), confirm=True).score == 100


def test_a_report_without_rectification_columns_is_rejected(session: Session) -> None:
    targets = targets_of(session)
    table = pd.DataFrame(findings_for(session, targets)).drop(columns=["responsible", "due_date"])
    with pytest.raises(SubmissionError, match="no responsible column"):
        session.supervision.submit(table, confirm=True)


def test_an_excel_report_with_chinese_headers_is_accepted(session: Session, tmp_path: Path) -> None:
    targets = targets_of(session)
    table = pd.DataFrame(findings_for(session, targets)).rename(columns={
        "line_id": "支付明细编号", "fault": "问题类型", "recover_amount": "追回金额（元）",
        "rectification": "整改要求", "responsible": "整改责任单位", "due_date": "整改期限"})
    path = tmp_path / "检查报告.xlsx"
    table.to_excel(path, index=False)
    assert session.supervision.submit(path, confirm=True).score == 100


def test_nothing_to_inspect_before_payout() -> None:
    with pytest.raises(SandboxError, match="nothing has been paid"):
        Session.start(TUTORIAL).supervision.payments()


def test_the_death_register_catches_up_by_the_inspection() -> None:
    attempt = open_attempt(TUTORIAL)
    as_of = pd.Timestamp(attempt.scenario.calendar.as_of)
    persons = attempt.world.persons
    late = persons.index[persons["alive"]][0]
    persons.loc[late, "death_date"] = as_of - pd.Timedelta(days=60)
    persons.loc[late, "death_registered_date"] = as_of + pd.Timedelta(days=10)
    id_number = persons.loc[late, "id_number"]
    assert id_number not in set(attempt.registry("deaths")["id_number"])
    early = verified_registries_at(attempt.world, (as_of + pd.Timedelta(days=5)).date())["deaths"]
    assert id_number not in set(early["id_number"])
    caught_up = verified_registries_at(attempt.world, (as_of + pd.Timedelta(days=30)).date())["deaths"]
    assert id_number in set(caught_up["id_number"])
    registered = persons.loc[persons["death_registered_date"] <= as_of, "id_number"]
    assert set(registered) <= set(caught_up["id_number"])
    assert set(caught_up["id_number"]) <= set(persons.loc[persons["death_date"].notna(), "id_number"])  # none alive
