"""The widget desks record through the Session API: a click must leave the same decision on
the platform that the equivalent line of code would. Clicks are simulated with
`Button.click()`, which runs the on_click handlers as a browser click does."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sandbox.course import entry_verdicts, inspection_findings, resume_at
from sandbox.scenario import scenario_path
from sandbox.session.session import Session
from sandbox.ui import (
    CollectionDesk,
    FailureDesk,
    PaymentDesk,
    PostingDesk,
    ReconciliationDesk,
    ReviewDesk,
)

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = scenario_path("tutorial")


def session_at(stage: str, lang: str = "en", mode: str = "practice", **kwargs) -> Session:
    return resume_at(stage, Session.start(TUTORIAL, trainee="ui-test", lang=lang, mode=mode), **kwargs)


@pytest.fixture(scope="module")
def review_session_factory():
    return lambda **kw: session_at("review", **kw)


def misspelt_entry(session: Session) -> tuple[str, str]:
    """An entry whose name differs from the residents register for its ID (a typo to correct)."""
    roster = session.review.roster()
    residents = session.registries.residents.drop_duplicates("id_number").set_index("id_number")
    registered = roster["id_number"].map(residents["name"])
    former = roster["id_number"].map(residents["former_name"])  # a former name (曾用名) is no typo
    differs = roster[registered.notna() & (registered != roster["name"]) & (former != roster["name"])]
    assert not differs.empty, "the tutorial roster should hold a misspelt name"
    entry_id = differs["entry_id"].iloc[0]
    return entry_id, residents.at[differs["id_number"].iloc[0], "name"]


def decision_of(session: Session, entry_id: str) -> dict:
    decisions = session.review.decisions().set_index("entry_id")
    assert entry_id in decisions.index, f"{entry_id} was not recorded"
    return decisions.loc[entry_id].to_dict()


def test_approve_click_records_the_decision_and_moves_on(review_session_factory) -> None:
    s = review_session_factory()
    desk = ReviewDesk(s)
    first = desk.entry_id
    desk.approve_button.click()
    assert decision_of(s, first)["decision"] == "approve"
    assert desk.entry_id != first  # auto-advance to the next entry
    assert "1 of" in desk.progress.value


def test_reject_click_records_the_reason_chosen_in_the_dropdown(review_session_factory) -> None:
    s = review_session_factory()
    desk = ReviewDesk(s)
    target = desk.entry_ids[4]
    desk.go_to(target)
    desk.reason.value = "dead_payee"
    desk.reject_button.click()
    recorded = decision_of(s, target)
    assert (recorded["decision"], recorded["reason"]) == ("reject", "dead_payee")


def test_reject_without_a_reason_records_nothing_and_says_why(review_session_factory) -> None:
    s = review_session_factory()
    desk = ReviewDesk(s)
    desk.reject_button.click()
    assert s.review.decisions().empty
    assert "reason" in desk.message.value


def test_correct_click_records_field_and_value(review_session_factory) -> None:
    s = review_session_factory()
    desk = ReviewDesk(s)
    entry_id, right_name = misspelt_entry(s)
    desk.go_to(entry_id)
    desk.field.value = "name"
    desk.value.value = right_name
    desk.correct_button.click()
    recorded = decision_of(s, entry_id)
    assert (recorded["decision"], recorded["field"], recorded["value"]) == ("correct", "name", right_name)
    assert "✓" in desk.message.value  # practice mode: the correction fits the registry


def test_refer_click_schedules_a_home_visit(review_session_factory) -> None:
    s = review_session_factory()
    desk = ReviewDesk(s)
    entry_id = desk.entry_id
    desk.refer_button.click()
    assert decision_of(s, entry_id)["decision"] == "refer"
    assert entry_id in set(s.review.visits()["entry_id"])


def test_desk_and_code_record_the_same_decision() -> None:
    by_click, by_code = session_at("review"), session_at("review")
    desk = ReviewDesk(by_click)
    target = desk.entry_ids[6]
    desk.go_to(target)
    desk.reason.value = "duplicate"
    desk.reject_button.click()
    by_code.review.decide(target, "reject", reason="duplicate")
    columns = ["entry_id", "decision", "reason", "field", "value"]
    pd.testing.assert_frame_equal(by_click.review.decisions()[columns], by_code.review.decisions()[columns])


def test_practice_feedback_names_the_evidence_for_a_wrong_decision() -> None:
    by_code, by_click = session_at("review"), session_at("review")
    entry_id, right_name = misspelt_entry(by_code)
    wrong = entry_verdicts(by_code.review.decide(entry_id, "approve"), [entry_id]).iloc[0]
    assert not wrong["ok"] and right_name in wrong["evidence"]
    desk = ReviewDesk(by_click)
    desk.go_to(entry_id)
    desk.approve_button.click()
    assert "✗" in desk.message.value and right_name in desk.message.value


def test_exam_mode_desk_records_but_shows_no_verdict() -> None:
    s = session_at("review", mode="exam")
    desk = ReviewDesk(s)
    desk.approve_button.click()
    assert len(s.review.decisions()) == 1
    assert "self-test" in desk.message.value  # a local exam is a self-test
    assert "✗" not in desk.message.value and "✓" not in desk.message.value


def test_autosave_writes_what_the_platform_recorded(tmp_path: Path) -> None:
    s = session_at("review")
    target = tmp_path / "my_decisions.csv"
    desk = ReviewDesk(s, autosave=target)
    desk.approve_button.click()
    saved = pd.read_csv(target, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert saved[["entry_id", "decision"]].values.tolist() == \
        s.review.decisions()[["entry_id", "decision"]].values.tolist()


def test_navigation_stays_inside_the_roster() -> None:
    s = session_at("review")
    desk = ReviewDesk(s)
    desk.previous_button.click()
    assert desk.index == 0
    desk.jump.value = desk.entry_ids[-1]
    assert desk.entry_id == desk.entry_ids[-1]
    desk.next_button.click()
    assert desk.entry_id == desk.entry_ids[-1]
    assert desk.entry_ids[-1] in desk.entry_view.value


def test_zh_session_shows_chinese_progress() -> None:
    s = session_at("review", lang="zh")
    desk = ReviewDesk(s)
    assert "审核进度" in desk.progress.value


def test_posting_desk_posts_answers_and_closes_review() -> None:
    s = session_at("review")
    s.review.submit(pd.DataFrame({"entry_id": s.review.roster()["entry_id"], "decision": "approve"}))
    desk = PostingDesk(s)
    desk.post_button.click()
    objections = s.review.objections()
    assert not objections.empty
    first = objections["objection_id"].iloc[0]
    uphold, _dismiss, _refer, reason = desk.objection_box.children[0].children[1].children
    uphold.click()  # without a reason: refused, nothing recorded
    assert s.review.objections().set_index("objection_id").at[first, "response"] == ""
    reason.value = "ineligible"
    uphold.click()
    assert s.review.objections().set_index("objection_id").at[first, "response"] == "reject"
    assert "不可撤销" in desk.finalize_button.description  # labelled as final before anyone clicks
    desk.finalize_button.click()  # the box not ticked: the platform's warning, nothing closed
    assert "review" not in s.brief()["stages_done"]
    assert "不能再改" in desk.message.value and "tick the confirm box" in desk.message.value
    assert "未经公示" not in desk.message.value  # every approved entry was on the 公示
    desk.confirm_close.value = True
    desk.finalize_button.click()
    assert "review" in s.brief()["stages_done"]
    assert desk.confirm_close.value is False  # a later final step needs a fresh tick


def test_closing_review_on_the_desk_without_a_posting_warns_of_the_violation() -> None:
    s = session_at("review")
    s.review.submit(pd.DataFrame({"entry_id": s.review.roster()["entry_id"], "decision": "approve"}))
    desk = PostingDesk(s)
    desk.finalize_button.click()
    assert "未经公示" in desk.message.value and "review" not in s.brief()["stages_done"]
    desk.confirm_close.value = True
    desk.finalize_button.click()  # the trainee's choice: closed, and told again
    assert "review" in s.brief()["stages_done"] and "未经公示" in desk.message.value


def test_collection_desk_checks_then_submits() -> None:
    s = Session.start(TUTORIAL, trainee="ui-test", lang="en")
    desk = CollectionDesk(s)
    desk.check_button.click()
    assert desk.issues is not None and len(desk.issues) > 0
    desk.submit_button.click()
    assert "collection" in s.brief()["stages_done"]


def test_payment_desk_sends_the_request_only_once_confirmed() -> None:
    s = session_at("payout")
    desk = PaymentDesk(s)
    desk.build_button.click()
    assert desk.request is not None and len(desk.request) > 0
    assert "不可撤销" in desk.submit_button.description
    desk.submit_button.click()  # not confirmed: nothing sent
    assert s.payout.results().empty and "不能撤回" in desk.message.value
    desk.confirm_send.value = True
    desk.submit_button.click()
    assert set(s.payout.results()["line_id"]) == set(desk.request["line_id"])
    assert desk.confirm_send.value is False


def test_failure_desk_fixes_and_reissues() -> None:
    s = session_at("failures", review="typos_left")
    desk = FailureDesk(s)
    assert len(desk.lines) > 1  # typos let through come back from the bank
    name_returns = desk.lines.index[desk.lines["code"] == "BE01"]
    assert len(name_returns), "a misspelt name approved as typed should come back as BE01"
    while desk.index < name_returns[0]:
        desk.next_button.click()
    line = desk.lines.iloc[desk.index]
    cards = s.failures.card_status(str(line["line_id"]))
    holder = cards.loc[cards["account_number"] == line["account_number"], "holder_name"]
    assert len(holder) == 1 and line["line_id"] in desk.view.value
    desk.action.value = "correct_name"
    desk.value.value = holder.iloc[0]
    desk.apply_button.click()
    assert s.failures.table().set_index("line_id").at[line["line_id"], "fix"] == "correct_name"
    sent = len(s.payout.results())
    desk.reissue_button.click()  # not confirmed: nothing re-issued
    assert len(s.payout.results()) == sent and "不能撤回" in desk.message.value
    desk.confirm_reissue.value = True
    desk.reissue_button.click()
    reissued = s.payout.results()
    assert line["line_id"] in set(reissued["source_line_id"])


def test_reconciliation_desk_fills_from_results_and_files_only_once_confirmed() -> None:
    s = session_at("reconciliation")
    desk = ReconciliationDesk(s)
    totals = desk.bank_totals()
    statement = desk.statement().set_index("program")
    for program in totals.index:  # paid is what the banks credited (latest line per entry)
        credited = float(totals.at[program, "credited"]) if "credited" in totals.columns else 0.0
        assert statement.at[program, "paid"] == pytest.approx(credited, abs=0.005)
    assert desk.check().empty and "✓" in desk.check_view.value
    assert "不可撤销" in desk.submit_button.description
    desk.submit_button.click()  # not confirmed: nothing filed
    assert "reconciliation" not in s.brief()["stages_done"]
    desk.confirm_submit.value = True
    desk.submit_button.click()
    assert "reconciliation" in s.brief()["stages_done"]
    assert s.scores().set_index("stage").at["reconciliation", "score"] == pytest.approx(100.0)


def test_resume_at_is_idempotent_and_rejects_unknown_stages() -> None:
    s = session_at("payout")
    assert {"collection", "review"} <= set(s.brief()["stages_done"])
    decisions = s.review.decisions()
    resume_at("payout", s)
    pd.testing.assert_frame_equal(decisions, s.review.decisions())
    with pytest.raises(Exception, match="unknown stage"):
        resume_at("lunch", s)


def test_undecided_only_skips_what_is_already_decided() -> None:
    s = session_at("review")
    ids = s.review.roster()["entry_id"].tolist()
    s.review.submit(pd.DataFrame({"entry_id": ids[1:4], "decision": "approve"}))
    desk = ReviewDesk(s)
    desk.undecided_only.value = True
    desk.next_button.click()
    assert desk.entry_id == ids[4]
    desk.previous_button.click()
    assert desk.entry_id == ids[0]


def test_inspection_finds_what_a_review_without_registries_let_through() -> None:
    careless = session_at("supervision", review="no_registry_checks")
    findings = inspection_findings(careless)
    assert {"dead_payee", "public_employee"} <= set(findings["fault"])
    paid = careless.supervision.payments().set_index("line_id")
    assert (findings["recover_amount"] == paid.loc[findings["line_id"], "amount"].to_numpy()).all()
    feedback = careless.supervision.submit(findings, confirm=True)
    flagged = {m["entry_id"] for m in feedback.misses}
    assert not flagged & set(paid.loc[findings["line_id"], "entry_id"])  # every finding was right
    careful = session_at("supervision")
    assert inspection_findings(careful).empty or set(inspection_findings(careful)["fault"]) <= {"dead_payee"}
