"""Final steps are safe to re-run: the same cell run again shows the recorded result (marked as
such) and changes nothing; a different table after the step is final is refused in plain words;
and without confirm=True each final step says beforehand, in the trainee's language, what
becomes final and how to confirm. Locally and through the class server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from sandbox.common.masking import publish_table
from sandbox.course.lessons import inspection_findings, resume_at
from sandbox.errors import SandboxError, has_chinese
from sandbox.personas import careful_fix, statement_from_results
from sandbox.scenario import Masking, scenario_path
from sandbox.session.session import Session


def _log_length(session: Session, attempt_of) -> int:
    return len(attempt_of(session).log)


def _same_result(first, second) -> None:
    assert second.get("again") is True and not first.get("again")
    assert {k: v for k, v in second.items() if k != "again"} == dict(first)


def test_closing_review_and_sending_payment_twice_show_the_first_answer(start, attempt_of) -> None:
    s = start(lang="zh")
    resume_at("payout", s)  # the careful reviewer closed review: s.review.finalize(confirm=True)
    logged = _log_length(s, attempt_of)
    again = s.review.close(confirm=True)  # the course's name for the same step, run again
    assert again.get("again") is True and "已经做过" in str(again)
    assert again.score == pytest.approx(float(s.scores().set_index("stage").loc["review", "score"]), abs=0.01)
    assert _log_length(s, attempt_of) == logged

    request = s.payout.build_request()
    sent = s.payout.submit(request, confirm=True, progress=False)
    results = s.payout.results()
    resent = s.payout.submit(request, confirm=True, progress=False)
    _same_result(sent, resent)
    pd.testing.assert_frame_equal(s.payout.results(), results)  # nothing sent twice
    assert "[payout]" not in str(resent) and "资金发放" in str(resent)


def test_reissue_reconciliation_disclosure_and_inspection_run_twice(start, attempt_of) -> None:
    s = start(lang="zh")
    resume_at("failures", s, review="typos_left")  # lines come back for the failure desk
    for line in s.failures.table().to_dict("records"):
        fix = careful_fix(s, line)
        if fix:
            s.failures.act(line["line_id"], fix[0], fix[1])
    reissued = s.failures.reissue(confirm=True)
    assert "补发" in str(reissued) and "[payout]" not in str(reissued)
    _same_result(reissued, s.failures.reissue(confirm=True))

    statement = statement_from_results(s)
    tries = s.report().summary().get("tries", {})
    first = s.reconciliation.submit(statement)
    _same_result(first, s.reconciliation.submit(statement))
    assert s.report().summary()["tries"]["reconciliation"]["tries"] == \
        tries.get("reconciliation", {}).get("tries", 0) + 1  # the repeat is not a new try

    table = publish_table(s.disclosure.draft(), Masking(**s.disclosure.policy()))
    published = s.disclosure.publish(table, confirm=True)
    logged = _log_length(s, attempt_of)
    _same_result(published, s.disclosure.publish(table, confirm=True))
    assert _log_length(s, attempt_of) == logged
    with pytest.raises(SandboxError) as refused:  # a different table: refused, plainly
        s.disclosure.publish(table.head(1), confirm=True)
    assert "已经公开" in refused.value.message("zh") and "published already" in refused.value.message("en")

    findings = inspection_findings(s)
    report = s.supervision.submit(findings, confirm=True)
    _same_result(report, s.supervision.submit(findings, confirm=True))


def test_another_try_after_a_repeat_runs_afresh(start) -> None:
    s = start(lang="zh")
    resume_at("disclosure", s)
    table = publish_table(s.disclosure.draft(), Masking(**s.disclosure.policy()))
    s.disclosure.publish(table, confirm=True)
    s.try_again("disclosure")
    fresh = s.disclosure.publish(table, confirm=True)
    assert not fresh.get("again")
    assert s.report().summary()["tries"]["disclosure"]["tries"] == 2


def test_final_steps_say_beforehand_what_becomes_final(start) -> None:
    s = start(lang="zh")
    resume_at("disclosure", s)
    table = publish_table(s.disclosure.draft(), Masking(**s.disclosure.policy()))
    warnings = []
    for call in (lambda: s.disclosure.publish(table), lambda: s.supervision.submit(inspection_findings(s))):
        with pytest.raises(SandboxError) as told:
            call()
        warnings.append(told.value)
    for told in warnings:
        assert "不能" in told.message("zh") and "confirm=True" in told.message("zh")
        assert has_chinese(told.message("zh")) and "cannot" in told.message("en")
    assert "公开" in warnings[0].message("zh") and "检查报告" in warnings[1].message("zh")
    assert s.brief()["next_stage"] == "disclosure"  # nothing became final


# --- through the class server ---------------------------------------------------------------


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str]]:
    from sandbox.classmode.classroom import create_class, read_tokens
    from sandbox.classmode.server import background_server, create_app

    class_file = tmp_path / "klass.yaml"
    class_file.write_text(f"name: 测试班\nscenario: {scenario_path('tutorial')}\nmode: practice\n", encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("姓名,工号\n学员0,W000\n", encoding="utf-8")
    classroom, tokens_file = create_class(class_file, roster)
    with background_server(create_app(classroom), lifetime_s=120) as url:
        yield url, read_tokens(tokens_file)["W000"]
    classroom.close()


def test_a_served_publication_run_twice_shows_the_recorded_result(served) -> None:
    url, token = served
    s = Session.connect(url, token, lang="zh")
    resume_at("disclosure", s)
    table = publish_table(s.disclosure.draft(), Masking(**s.disclosure.policy()))
    _same_result(s.disclosure.publish(table, confirm=True), s.disclosure.publish(table, confirm=True))
    with pytest.raises(SandboxError) as refused:
        s.disclosure.publish(table.head(1), confirm=True)
    assert refused.value.message("zh").startswith("发放结果已经公开过了")  # Chinese alone, across the wire
    assert "published already" in refused.value.message("en")


def test_a_self_test_step_run_again_after_the_end_shows_its_feedback(start) -> None:
    s = start(lang="zh", mode="self-test")
    resume_at("disclosure", s)
    table = publish_table(s.disclosure.draft(), Masking(**s.disclosure.policy()))
    sealed = s.disclosure.publish(table, confirm=True)
    assert sealed.get("withheld") and sealed.score is None
    assert s.disclosure.publish(table, confirm=True).get("withheld")  # still sealed: as recorded
    s.end_self_test()
    shown = s.disclosure.publish(table, confirm=True)
    assert shown.get("again") is True and not shown.get("withheld") and shown.score is not None
