"""Every stage by desk, in Chinese: a trainee who only clicks and types records what the same
line of code records, reads Chinese headers and values, never finalises a step without the
confirmation, and — choosing carefully — scores as well as the careful persona.

Clicks are simulated with `Button.click()` (it runs the on_click handlers as a browser click
does) and typing by setting a widget's `value`."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from sandbox.common.masking import publish_table
from sandbox.course import inspection_findings, resume_at
from sandbox.irregularities.evidence import Evidence as RegistryEvidence
from sandbox.irregularities.evidence import InspectionContext
from sandbox.personas import (
    PERSONAS,
    Evidence,
    _finding_fix,
    _inspected_lines,
    _reason_from,
    careful_decision,
    careful_fix,
    catalogue_of,
)
from sandbox.personas.omissions import find_omitted
from sandbox.personas.shortcuts import REPOST_DAYS_NEEDED
from sandbox.personas.visits import refer_conflicts
from sandbox.scenario import Masking, scenario_path
from sandbox.session.session import Session
from sandbox.ui import (
    CollectionDesk,
    DisclosureDesk,
    FailureDesk,
    PaymentDesk,
    PostingDesk,
    ReconciliationDesk,
    ReviewDesk,
    SupervisionDesk,
)

TUTORIAL = scenario_path("tutorial")
ENGLISH_HEADERS = re.compile(r"<th>(entry_id|line_id|program|payee_name|account_number|status|amount)</th>")


def start(lang: str = "zh", seed: int | None = None) -> Session:
    return Session.start(TUTORIAL, trainee="desk-test", lang=lang, seed=seed)


def at(stage: str, lang: str = "zh", **kwargs) -> Session:
    return resume_at(stage, start(lang), **kwargs)


def stage_score(s: Session, stage: str) -> float:
    return float(s.scores().set_index("stage").at[stage, "score"])


# --- Chinese on every desk ---------------------------------------------------------------------


def test_review_desk_in_chinese_shows_chinese_headers_program_names_and_decision_words() -> None:
    s = at("review")
    desk = ReviewDesk(s)
    programs = s.programs().set_index("program")["name"]
    entry = s.review.lookup(desk.entry_id)["entry"]
    assert desk.approve_button.description == "通过" and desk.reject_button.description == "不通过"
    view = desk.entry_view.value
    assert "<th>序号</th>" in view and "<th>补贴项目</th>" in view and not ENGLISH_HEADERS.search(view)
    assert programs[entry["program"]] in view and f"<td>{entry['program']}</td>" not in view
    first = desk.entry_id
    desk.approve_button.click()
    desk.go_to(first)
    assert "当前决定</td><td>通过" in desk.entry_view.value and "approve" not in desk.entry_view.value
    assert "✓" in desk.message.value or "✗" in desk.message.value


def test_english_session_keeps_english_headers() -> None:
    s = at("review", lang="en")
    desk = ReviewDesk(s)
    assert "<th>entry_id</th>" in desk.entry_view.value and "approve" in desk.approve_button.description


def test_rejection_reasons_come_from_the_platforms_fault_vocabulary() -> None:
    from sandbox.irregularities import FAULTS

    desk = ReviewDesk(at("review"))
    labels = dict((v, k) for k, v in desk.reason.options)
    assert {code: FAULTS[code].zh for code in FAULTS} == {c: labels[c] for c in FAULTS}


def test_payment_desk_in_chinese_and_shown_again_after_sending() -> None:
    s = at("payout")
    desk = PaymentDesk(s)
    desk.build_button.click()
    assert "<th>补贴项目</th>" in desk.view.value and "<th>指标</th>" in desk.view.value
    assert "不能撤回" in desk.widget.children[1].value  # said before anything is clicked
    desk.submit_button.click()
    assert s.payout.results().empty and "勾选确认框" in desk.message.value
    desk.confirm_send.value = True
    desk.submit_button.click()
    assert not s.payout.results().empty
    assert "已入账" in desk.view.value and "credited" not in desk.view.value
    again = PaymentDesk(s)  # the cell run again: the recorded result, not an error
    assert again.submit_button.disabled and "已经完成" in again.message.value
    again.submit_button.click()
    assert "已经完成" in again.message.value and "submitted" not in again.message.value


# --- failures: ✓/✗ per line ------------------------------------------------------------------------


def go_to_line(desk: FailureDesk, line_id: str) -> None:
    while desk.line_id != line_id and desk.index < len(desk.lines) - 1:
        desk.next_button.click()
    while desk.line_id != line_id and desk.index > 0:
        desk.previous_button.click()
    assert desk.line_id == line_id


def test_failure_desk_marks_each_fix_and_each_reissued_line() -> None:
    s = at("failures", review="typos_left")
    desk = FailureDesk(s)
    assert "<th>支付明细编号</th>" in desk.view.value and "<th>退回原因</th>" in desk.view.value
    lines = desk.lines.to_dict("records")
    name_line = next(line for line in lines if line["code"] == "BE01")
    go_to_line(desk, name_line["line_id"])
    desk.action.value = "correct_name"
    desk.value.value = "某某某"  # not the holder's name: told at once
    desk.apply_button.click()
    assert "✗" in desk.message.value
    holder = careful_fix(s, name_line)[1]
    assert holder in desk.message.value  # the evidence: the card's holder name
    go_to_line(desk, name_line["line_id"])
    desk.action.value = "correct_name"
    desk.value.value = holder
    desk.apply_button.click()
    assert "✓" in desk.message.value
    assert s.failures.table().set_index("line_id").at[name_line["line_id"], "fix"] == "correct_name"
    desk.confirm_reissue.value = True
    desk.reissue_button.click()
    credited = s.payout.results().query("source_line_id == @name_line['line_id']")["status"].iloc[-1]
    mark = "✓" if credited == "credited" else "✗"
    assert f"{mark} {name_line['line_id']}" in desk.log.value


def test_a_fix_the_bank_cannot_do_is_a_message_and_a_self_test_keeps_its_verdicts_sealed() -> None:
    s = resume_at("failures", Session.start(TUTORIAL, trainee="desk-test", lang="zh", mode="self-test"),
                  review="typos_left")
    desk = FailureDesk(s)
    mistyped = next(line for line in desk.lines.to_dict("records") if line["code"] == "AC01")
    go_to_line(desk, mistyped["line_id"])
    desk.action.value = "activate_card"  # no such account at the bank: nothing to activate
    desk.apply_button.click()
    assert "查无此账户" in desk.message.value
    assert s.failures.table().set_index("line_id").at[mistyped["line_id"], "fix"] == ""
    name_line = next(line for line in desk.lines.to_dict("records") if line["code"] == "BE01")
    go_to_line(desk, name_line["line_id"])
    desk.action.value = "correct_name"
    desk.value.value = "某某某"
    desk.apply_button.click()
    assert "已记录" in desk.message.value and "✗" not in desk.message.value and "✓" not in desk.message.value


# --- reconciliation: computed, checked, confirmed ---------------------------------------------------


def test_reconciliation_desk_shows_where_the_statement_does_not_balance() -> None:
    s = at("reconciliation")
    desk = ReconciliationDesk(s)
    assert desk.check().empty  # computed from the results: balances
    program = desk.template["program"].iloc[0]
    desk.cells[(program, "paid")].value += 10.0
    off = desk.check()
    assert off["program"].tolist() == [program] and off["difference"].iloc[0] == pytest.approx(-10.0)
    assert "✗" in desk.balance[program].value and "不平" in desk.check_view.value
    assert s.programs().set_index("program").at[program, "name"] in desk.check_view.value
    desk.confirm_submit.value = True
    desk.submit_button.click()  # does not balance: refused even when confirmed
    assert "reconciliation" not in s.brief()["stages_done"]
    desk.recompute_button.click()
    assert desk.check().empty
    desk.submit_button.click()
    assert "reconciliation" in s.brief()["stages_done"]


def test_reconciliation_desk_records_what_the_same_statement_in_code_records() -> None:
    by_desk, by_code = at("reconciliation"), at("reconciliation")
    desk = ReconciliationDesk(by_desk)
    statement = desk.statement()
    desk.confirm_submit.value = True
    desk.submit_button.click()
    by_code.reconciliation.submit(statement)
    assert stage_score(by_desk, "reconciliation") == stage_score(by_code, "reconciliation") == pytest.approx(100.0)
    again = ReconciliationDesk(by_desk)
    assert again.submit_button.disabled and "100.0" in again.message.value


# --- disclosure ------------------------------------------------------------------------------------


def test_disclosure_desk_masks_checks_and_publishes_once_confirmed() -> None:
    by_desk, by_code = at("disclosure"), at("disclosure")
    desk = DisclosureDesk(by_desk)
    assert "完整身份证号" not in desk.check_view.value
    desk.check_button.click()  # the raw draft: every ID and card is a leak
    assert "隐私泄露" in desk.check_view.value and "完整身份证号" in desk.check_view.value
    desk.mask_button.click()
    assert "没有发现隐私泄露" in desk.check_view.value and desk.leaks == []
    assert "<th>身份证号</th>" in desk.view.value and "<th>补贴项目</th>" in desk.view.value
    desk.publish_button.click()  # not confirmed: nothing published
    assert "disclosure" not in by_desk.brief()["stages_done"] and "不能撤回" in desk.message.value
    desk.confirm_publish.value = True
    desk.publish_button.click()
    assert "disclosure" in by_desk.brief()["stages_done"]
    policy = Masking(**by_code.disclosure.policy())
    by_code.disclosure.publish(publish_table(by_code.disclosure.draft(), policy), confirm=True)
    assert stage_score(by_desk, "disclosure") == stage_score(by_code, "disclosure")
    again = DisclosureDesk(by_desk)
    again.publish_button.click()
    assert again.publish_button.disabled and "已经完成" in again.message.value and "already" not in again.text


# --- supervision -----------------------------------------------------------------------------------


def mark_finding(desk: SupervisionDesk, finding: dict) -> None:
    desk.hits_only.value = False
    desk.line.value = finding["line_id"]
    desk.fault.value = finding["fault"]
    desk.recover.value = float(finding["recover_amount"])
    desk.add_button.click()


def test_supervision_desk_shows_registry_evidence_and_records_the_same_report_as_code() -> None:
    by_desk = at("supervision", review="no_registry_checks")
    by_code = at("supervision", review="no_registry_checks")
    desk = SupervisionDesk(by_desk)
    desk.submit_button.click()
    assert "开始检查" in desk.message.value  # start first
    desk.start_button.click()
    findings = inspection_findings(by_code)
    assert len(findings) and "检查日期" in desk.message.value
    dead = findings[findings["fault"] == "dead_payee"]["line_id"].iloc[0]
    assert len(desk.line.options) == len(desk.payments)  # every credited line of the period
    desk.hits_only.value = True  # only lines whose payee some registry records
    labels = dict((v, k) for k, v in desk.line.options)
    assert "死亡登记" in labels[dead] and len(labels) < len(desk.payments)
    desk.line.value = dead
    assert "死亡登记" in desk.line_view.value and "<th>死亡日期</th>" in desk.line_view.value
    for finding in findings.to_dict("records"):
        mark_finding(desk, finding)
    assert "死亡人员冒领" in desk.findings_view.value or "冒领" in desk.findings_view.value
    desk.submit_button.click()  # not confirmed: nothing submitted
    assert "supervision" not in by_desk.brief()["stages_done"] and "不能再改" in desk.message.value
    desk.confirm_submit.value = True
    desk.submit_button.click()
    assert "supervision" in by_desk.brief()["stages_done"]
    by_code.supervision.submit(desk.findings_table(), confirm=True)
    assert stage_score(by_desk, "supervision") == stage_score(by_code, "supervision")
    again = SupervisionDesk(by_desk)
    assert again.submit_button.disabled and "已经完成" in again.message.value


def test_supervision_finding_needs_a_fault_and_can_be_removed() -> None:
    desk = SupervisionDesk(at("supervision"))
    desk.start_button.click()
    desk.hits_only.value = False
    desk.line.value = desk.line.options[0][1]
    desk.add_button.click()
    assert "请先选择问题类型" in desk.message.value and desk.findings == {}
    desk.fault.value = "duplicate"
    assert desk.rectification.value  # the fault's rectification filled in, to adjust
    desk.add_button.click()
    assert list(desk.findings) == [desk.line.value]
    desk.remove_button.click()
    assert desk.findings == {} and desk.findings_table().empty


# --- the whole course, only by desks ----------------------------------------------------------------


def decide_on_desk(desk: ReviewDesk, row: dict) -> None:
    desk.go_to(row["entry_id"])
    if row["decision"] == "approve":
        desk.approve_button.click()
    elif row["decision"] == "refer":
        desk.refer_button.click()
    elif row["decision"] == "reject":
        desk.reason.value = row["reason"]
        desk.reject_button.click()
    else:
        desk.field.value = row["field"]
        desk.value.value = row["value"]
        desk.correct_button.click()


def answer_on_desk(posting: PostingDesk, s: Session, skip: set[str]) -> None:
    """Keep a checked approval (不属实); uphold an objection to a rejected entry with its reason."""
    for position, objection in enumerate(s.review.objections().to_dict("records")):
        if objection["objection_id"] in skip or objection["response"]:
            continue
        decision = s.review.lookup(objection["entry_id"])["decision"] or {}
        uphold, dismiss, _refer, reason = posting.objection_box.children[position].children[1].children
        if decision.get("decision") in {"approve", "correct"}:
            dismiss.click()
        else:
            reason.value = decision.get("reason") or "ineligible"
            uphold.click()


def play_by_desks(s: Session) -> None:
    """A careful trainee who only clicks and types: the careful persona's judgement, the desks' hands."""
    collection = CollectionDesk(s)
    collection.check_button.click()
    collection.submit_button.click()

    evidence = Evidence(s)
    seen: set[tuple[str, str]] = set()
    choices = pd.DataFrame([careful_decision(e, evidence, seen, True, weigh=True)
                            for e in s.review.roster().to_dict("records")])
    review = ReviewDesk(s)
    for row in refer_conflicts(s, choices).to_dict("records"):
        decide_on_desk(review, row)
    posting = PostingDesk(s)
    for row in find_omitted(s).to_dict("records"):
        posting.add_id.value = row["id_number"]
        posting.add_program.value = row["program"]
        posting.add_button.click()
    posting.post_button.click()
    first_notice = set(s.review.objections()["objection_id"])
    for _ in range(5):  # visits that found nobody home are sent again
        posting.visits_button.click()
        visits = s.review.visits()
        again = visits.loc[visits["inconclusive"].astype(bool), "entry_id"].tolist()
        if not again:
            break
        for entry_id in again:
            review.go_to(entry_id)
            review.refer_button.click()
    for visit in s.review.visits().to_dict("records"):  # follow each report
        finding = f"{visit['finding_zh']} {visit['finding_en']}"
        if "属实" in finding or "genuine" in finding:
            row = {"entry_id": visit["entry_id"], "decision": "approve"}
        elif "正确的" in finding and "为" in finding and _finding_fix(visit["finding_en"])[0]:
            field, value = _finding_fix(visit["finding_en"])
            row = {"entry_id": visit["entry_id"], "decision": "correct", "field": field, "value": value}
        else:
            row = {"entry_id": visit["entry_id"], "decision": "reject", "reason": _reason_from(finding)}
        decide_on_desk(review, row)
    answer_on_desk(posting, s, skip=set())
    if s.brief()["days_left"] >= REPOST_DAYS_NEEDED:  # corrections get their own full 公示
        posting.post_button.click()
        answer_on_desk(posting, s, skip=first_notice)
    posting.confirm_close.value = True
    posting.finalize_button.click()

    payment = PaymentDesk(s)
    payment.build_button.click()
    payment.confirm_send.value = True
    payment.submit_button.click()

    for _ in range(3):
        failures = FailureDesk(s)
        chosen = 0
        for line in failures.lines.to_dict("records"):
            fix = None if line["fix"] else careful_fix(s, line)
            if fix:
                go_to_line(failures, line["line_id"])
                failures.action.value, failures.value.value = fix
                failures.apply_button.click()
                chosen += fix[0] != "stop_recover"
        if not chosen:
            break
        failures.confirm_reissue.value = True
        failures.reissue_button.click()

    reconciliation = ReconciliationDesk(s)
    reconciliation.confirm_submit.value = True
    reconciliation.submit_button.click()

    disclosure = DisclosureDesk(s)
    disclosure.mask_button.click()
    disclosure.confirm_publish.value = True
    disclosure.publish_button.click()

    supervision = SupervisionDesk(s)
    supervision.start_button.click()
    credited = supervision.payments
    catalogue = catalogue_of(s)
    context = InspectionContext.of(credited, catalogue, RegistryEvidence(s.supervision.registries, catalogue))
    seen_lines: set[str] = set()
    for finding in _inspected_lines(credited, context, weigh=True):
        if finding["line_id"] not in seen_lines:
            seen_lines.add(finding["line_id"])
            mark_finding(supervision, finding)
    supervision.confirm_submit.value = True
    supervision.submit_button.click()


@pytest.mark.slow
def test_a_careful_trainee_who_only_uses_desks_scores_as_well_as_the_careful_persona() -> None:
    by_desks, by_persona = start(seed=None), start(seed=None)
    play_by_desks(by_desks)
    PERSONAS["careful"](by_persona)
    done = set(by_desks.brief()["stages_done"])
    assert {"collection", "review", "payout", "reconciliation", "disclosure", "supervision"} <= done
    desks, persona = by_desks.report().score, by_persona.report().score
    assert desks >= 85 and desks >= persona - 1.0, (desks, persona, by_desks.scores())
    # every cell run again after its step: the recorded result, never an error
    for desk_class in (CollectionDesk, ReviewDesk, PostingDesk, PaymentDesk, FailureDesk, ReconciliationDesk,
                       DisclosureDesk, SupervisionDesk):
        desk = desk_class(by_desks)
        assert "已经完成" in desk.text, (desk_class.__name__, desk.text)
