"""A code cell that does desk work acts only when its switch is on (sandbox.course.by_code): off,
it says in the trainee's language what it would do and that the desk is the other way; on,
after the step was done (on the desk or by an earlier run), it shows the recorded result."""

from __future__ import annotations

import pytest

from sandbox.course import by_code, resume_at
from sandbox.personas import clean_forms


def test_off_the_cell_only_says_what_it_would_do(start, capsys: pytest.CaptureFixture[str]) -> None:
    s = start(lang="zh")
    assert by_code(s, False, "提交清理好的名单", stage="collection") is False
    said = capsys.readouterr().out
    assert "没有执行" in said and "提交清理好的名单" in said and "SUBMIT 改成 True" in said and "操作台" in said
    assert "collection" not in s.brief()["stages_done"]


def test_on_it_acts_until_the_step_is_done_then_shows_the_recorded_score(start, capsys) -> None:
    s = start(lang="zh")
    assert by_code(s, True, "提交清理好的名单", stage="collection") is True
    assert capsys.readouterr().out == ""
    feedback = s.collection.submit(clean_forms(s))  # as on the desk
    assert by_code(s, True, "提交清理好的名单", stage="collection") is False
    said = capsys.readouterr().out
    assert "这一步已经完成" in said and f"{feedback.score:.1f} / 100" in said


def test_a_sent_payment_request_counts_as_done_before_payout_is_scored(start, capsys) -> None:
    s = start(lang="en")
    resume_at("failures", s)  # the request is sent; payout is scored with the statement
    assert "payout" not in s.brief()["stages_done"]
    assert by_code(s, True, "send the request", stage="payout") is False
    assert "payment request was sent" in capsys.readouterr().out
    assert by_code(s, False, "send the request", stage="payout") is False
    assert "set SUBMIT = True" in capsys.readouterr().out
