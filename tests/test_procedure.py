"""The real procedure: steps that cannot be undone ask for confirm=True and say beforehand
what becomes final; 公示 runs its full days and covers every approved entry as it is paid;
the brief shows the deadline; time spent on visits and 公示 is real."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import attempt_of, oracle_decisions
from digest import attempt_digest

from sandbox.course import inspection_findings, resume_at
from sandbox.errors import SandboxError
from sandbox.personas import careful_fix
from sandbox.platform.deadline import payment_deadline


def approve(session, ids) -> None:
    session.review.submit(pd.DataFrame({"entry_id": list(ids), "decision": "approve"}))


def refused(call, attempt, *words: str) -> str:
    """Call an unconfirmed final step: it must raise one sentence and change nothing."""
    before, logged = attempt_digest(attempt), len(attempt.log)
    with pytest.raises(SandboxError) as error:
        call()
    message = str(error.value)
    assert attempt_digest(attempt) == before and len(attempt.log) == logged
    zh, _, en = message.partition(" / ")
    assert zh and en and "\n" not in message and "confirm=True" in zh
    for word in words:
        assert word in message
    return message


# --- confirmations ------------------------------------------------------------------------------

def test_closing_review_asks_for_confirmation_and_both_names_close_it(start) -> None:
    for name in ("close", "finalize"):
        session = start()
        attempt = attempt_of(session)
        approve(session, session.review.roster()["entry_id"])
        session.review.post_notice()
        message = refused(getattr(session.review, name), attempt, "结束审核后名单将送去发放，不能再改",
                          "s.review.close(confirm=True)")
        assert "未经公示" not in message  # every approved entry was on the 公示
        feedback = getattr(session.review, name)(confirm=True)
        assert "review" in session.brief()["stages_done"] and "warning" not in feedback
        assert attempt.log[-1]["action"] == f"review.{name}" and attempt.log[-1]["payload"]["confirm"] is True


def test_payment_needs_review_closed_and_a_confirmation(start) -> None:
    session = start()
    attempt = attempt_of(session)
    session.review.submit(oracle_decisions(attempt))
    session.review.post_notice()
    draft = session.payout.build_request()  # a look at the draft: review stays open
    refused(lambda: session.payout.submit(draft, confirm=True), attempt, "审核还没有结束", "s.review.close")
    session.review.close(confirm=True)
    refused(lambda: session.payout.submit(draft), attempt, "不能撤回", "s.payout.submit(request, confirm=True)")
    assert session.payout.results().empty
    assert session.payout.submit(draft, confirm=True)["lines"] == len(draft)


def test_reissue_publish_and_the_inspection_report_ask_first(start) -> None:
    session = resume_at("failures", start(), review="typos_left")
    attempt = attempt_of(session)
    fixes = [(line["line_id"], careful_fix(session, line)) for line in session.failures.table().to_dict("records")]
    line_id, (fix, value) = next((i, f) for i, f in fixes if f and f[0] != "stop_recover")
    session.failures.act(line_id, fix, value)
    sent = len(session.payout.results())
    refused(session.failures.reissue, attempt, "补发后钱会打到卡上，不能撤回", "s.failures.reissue(confirm=True)")
    assert len(session.payout.results()) == sent
    resume_at("disclosure", session)
    table = session.disclosure.draft()
    refused(lambda: session.disclosure.publish(table), attempt, "公开后名单挂在公开专栏，不能撤回")
    assert "disclosure" not in session.brief()["stages_done"]
    resume_at("supervision", session)
    findings = inspection_findings(session)
    refused(lambda: session.supervision.submit(findings), attempt, "检查报告提交后即为定稿")
    assert session.supervision.submit(findings, confirm=True).score is not None


def test_an_unconfirmed_inspection_report_does_not_even_start_the_inspection(start) -> None:
    session = resume_at("supervision", start())
    attempt = attempt_of(session)
    before = attempt.clock.now
    refused(lambda: session.supervision.submit(pd.DataFrame()), attempt, "检查报告")
    assert attempt.clock.now == before and attempt.stages["supervision"].inspection_date is None


def test_a_broken_file_is_reported_before_any_confirmation(start) -> None:
    """Problems in the file come first: nobody confirms a request that cannot be sent."""
    session = resume_at("payout", start())
    request = session.payout.build_request().drop(columns=["amount"])
    with pytest.raises(SandboxError, match="required column missing"):
        session.payout.submit(request)


# --- 公示 --------------------------------------------------------------------------------------

def test_closing_without_a_posting_is_allowed_but_called_a_violation_twice(start) -> None:
    session = start()
    attempt = attempt_of(session)
    ids = session.review.roster()["entry_id"]
    approve(session, ids)
    review = attempt.stages["review"]
    assert review.unposted_entry_ids() == set(ids) and not review.posting_complete()
    refused(session.review.close, attempt, "未经公示", f"{len(ids)} 条", "violation")
    feedback = session.review.close(confirm=True)
    assert "未经公示" in feedback["warning"] and "未经公示" in str(feedback)
    assert review.unposted_entry_ids() == set(ids) and not review.posting_complete()


def test_entries_approved_added_or_corrected_after_the_notice_need_a_new_one(start) -> None:
    session = start()
    attempt = attempt_of(session)
    review = attempt.stages["review"]
    days = attempt.scenario.review.posting_days
    ids = session.review.roster()["entry_id"].tolist()
    approve(session, ids[:-3])
    first = session.review.post_notice()
    assert review.posting_complete() and review.unposted_entry_ids() == set()
    approve(session, ids[-3:-1])  # approved after the notice went up
    session.review.decide(ids[0], "correct", field="amount", value="1.00")  # a paid amount changed
    omitted = attempt.data.omitted[["id_number", "program"]].head(1)
    assert len(omitted), "the tutorial leaves entitled people off the roster"
    session.review.add(omitted)  # 补录 after the notice
    added = set(session.review.decisions().query("note == '补录'")["entry_id"])
    expected = {*ids[-3:-1], ids[0]} | added
    assert len(added) == 1 and review.unposted_entry_ids() == expected and not review.posting_complete()
    refused(session.review.close, attempt, "未经公示", f"{len(expected)} 条")
    before = attempt.clock.now
    both = session.review.post_notice()  # a second 公示: only what the first did not show
    assert attempt.clock.now - before == dt.timedelta(days=days)
    assert review.state.notices[1].shown.keys() == expected
    pd.testing.assert_frame_equal(both[both["notice"] == 1].reset_index(drop=True), first)
    assert set(both.loc[both["notice"] == 2, "entry_id"]) <= expected and both["objection_id"].is_unique
    assert review.posting_complete() and review.unposted_entry_ids() == set()
    again = session.review.post_notice()  # nothing new: the same 公示, no more days
    assert attempt.clock.now - before == dt.timedelta(days=days)
    pd.testing.assert_frame_equal(again, both)
    assert "warning" not in session.review.close(confirm=True)


def test_a_correction_of_a_field_no_notice_shows_needs_no_new_posting(start) -> None:
    session = start()
    review = attempt_of(session).stages["review"]
    ids = session.review.roster()["entry_id"].tolist()
    approve(session, ids)
    session.review.post_notice()
    session.review.decide(ids[1], "correct", field="bank", value="中国农业银行")
    assert review.unposted_entry_ids() == set()


# --- the brief and the clock ---------------------------------------------------------------------

def test_the_brief_shows_the_deadline_days_left_and_the_final_steps(start, tutorial) -> None:
    session = start(lang="zh")
    brief = session.brief()
    deadline = payment_deadline(tutorial.calendar)
    today = dt.date.fromisoformat(brief["today"][:10])
    assert brief["payment_deadline"] == deadline.isoformat() == "2022-06-15"
    assert brief["days_left"] == (deadline - today).days == 14
    assert 0 < brief["working_days_left"] <= brief["days_left"] + 1
    assert brief["deadline"].startswith("发放时限 2022-06-15，还有 14 天")
    steps = " ".join(brief["final_steps"])
    for step in ("结束审核", "发送支付申请", "补发", "公开发放结果", "提交检查报告"):
        assert step in steps
    assert all(s.index("confirm=True") < s.index(" / ") for s in brief["final_steps"])  # Chinese first


def test_referring_everyone_takes_the_visits_days_and_pays_after_the_deadline(start, tutorial) -> None:
    """Nothing resets or skips the clock: visits, 公示 and the banks each take their days, so a
    trainee who sends every household on a home visit pays late."""
    session = start()
    attempt = attempt_of(session)
    rules = tutorial.review
    ids = session.review.roster()["entry_id"]
    session.review.submit(pd.DataFrame({"entry_id": ids, "decision": "refer"}))
    visits = session.review.wait_for_visits()
    days = (attempt.clock.now - dt.datetime(2022, 6, 1, 9)) / dt.timedelta(days=1)
    assert days >= len(ids) / rules.home_visit_capacity_per_day + rules.home_visit_days - 1
    found = visits.assign(genuine=visits["finding_en"].str.contains("genuine"))
    approve(session, found.loc[found["genuine"], "entry_id"])
    posted_at = attempt.clock.now
    session.review.post_notice()
    assert attempt.clock.now - posted_at == dt.timedelta(days=rules.posting_days)
    session.review.close(confirm=True)
    sent_at = attempt.clock.now
    session.payout.submit(session.payout.build_request(), confirm=True)
    lines = session.payout.results()
    assert pd.to_datetime(lines["processed_at"]).min() >= pd.Timestamp(sent_at)  # payout starts now
    credited = pd.to_datetime(lines["credited_at"]).dropna()
    assert len(credited) and credited.dt.date.min() > payment_deadline(tutorial.calendar)
    assert session.brief()["days_left"] == 0 and "已超过" in session.brief()["deadline"]
