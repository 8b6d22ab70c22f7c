"""The brief is a readable card and still a dict: today's simulated date, what is due, by which
date (发放时限), the days left and the next step, in the session's language."""

from __future__ import annotations

from sandbox.course.lessons import resume_at


def test_the_brief_stays_a_dict(start) -> None:
    brief = start(lang="zh").brief()
    assert isinstance(brief, dict) and brief["days_left"] == 14 and brief["payment_deadline"] == "2022-06-15"


def test_the_card_says_date_due_deadline_days_left_and_next_step_in_chinese(start) -> None:
    text = str(start(lang="zh").brief())
    for shown in ("今天（模拟日期）", "2022-06-01 09:00", "待办", "信息采集、录入", "发放时限", "2022-06-15",
                  "剩余天数", "14 天（10 个工作日）", "下一步", "s.collection.submit(clean)"):
        assert shown in text, shown


def test_the_card_follows_the_trainee_and_the_clock(start) -> None:
    s = start(lang="zh")
    resume_at("payout", s)
    brief = s.brief()
    assert brief["days_left"] < 14
    text = str(brief)
    assert "s.payout.submit(s.payout.build_request(), confirm=True)" in text
    assert f"{brief['days_left']} 天" in text and "审核、公示" in text  # done so far


def test_the_card_in_a_notebook_and_in_english(start) -> None:
    zh = start(lang="zh").brief()._repr_html_()
    assert "<table>" in zh and "发放时限" in zh and "2022-06-15" in zh
    en = str(start(lang="en").brief())
    assert "payment deadline" in en and "next step" in en and "14 days" in en and "下一步" not in en


def test_once_paid_the_card_stops_counting_down(start) -> None:
    s = start(lang="zh")
    resume_at("disclosure", s)
    text = str(s.brief())
    assert "已发放" in text and "已超过" not in text and "信息公开" in text
    assert "审核、公示；发放与补发" in text  # done stages kept apart (their titles hold "、")


# The next step the card names at each point of the course, and words only that step's text has.
NEXT_STEPS = {
    "collection": "s.collection.submit(clean)",
    "review": "s.review.close(confirm=True)",
    "payout": "s.payout.submit(s.payout.build_request(), confirm=True)",
    "failures": "s.reconciliation.submit(statement)",  # the request is sent: fix, re-issue, file
    "disclosure": "s.disclosure.publish(table, confirm=True)",
    "supervision": "s.supervision.submit(findings, confirm=True)",
    "report": "全部环节已完成",
}


def test_the_next_step_is_the_one_still_to_do_at_every_stage(start) -> None:
    s = start(lang="zh")
    for stage, step in NEXT_STEPS.items():
        resume_at(stage, s)  # every stage before `stage` played by the careful operator
        shown = dict(s.brief().rows())["下一步"]
        assert step in shown, (stage, shown)
        assert not [other for other in NEXT_STEPS.values() if other != step and other in shown], (stage, shown)
