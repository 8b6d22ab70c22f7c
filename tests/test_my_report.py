"""Notebook 06 is the trainee's own report: what they did in notebooks 01–05, read back from
their gradebook, across notebooks and tries — not the reference operator's run that each
notebook plays before its lesson, and nothing a sealed self-test still withholds."""

from __future__ import annotations

import base64
import datetime as dt
import re
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from conftest import TUTORIAL

from sandbox import Session
from sandbox.common.masking import publish_table
from sandbox.course import MyReport, inspection_findings, lesson_until, my_report, resume_at
from sandbox.course.my_report import TEXT, course_notebooks
from sandbox.errors import SandboxError
from sandbox.personas import careful_fix, clean_forms, statement_from_results
from sandbox.scenario import Masking
from sandbox.ui.charts import has_cjk_font
from sandbox.ui.progress import TEXT as CHART_TEXT


def notebook(book: Path, name: str, mode: str = "practice") -> Session:
    """The first cell of a course notebook, as the trainee runs it (scenario, label, until)."""
    return Session.start(TUTORIAL, trainee="me", lang="zh", mode=mode, gradebook=book, label=name,
                         until=lesson_until(name))


def masked(session: Session) -> pd.DataFrame:
    return publish_table(session.disclosure.draft(), Masking(**session.disclosure.policy()))


class Played:
    """What the trainee was told, stage by stage, while playing the notebooks."""

    book: Path
    collection: list[float]
    payout: float
    reconciliation: list[float]
    disclosure: list[float]
    supervision: float
    id_numbers: set[str]


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Played:
    out = Played()
    out.book = tmp_path_factory.mktemp("gradebook") / "me.sqlite"

    # 01: the forms as typed, then cleaned (collection may be handed in again).
    s = notebook(out.book, "01_collection")
    out.id_numbers = set(s.collection.forms()["id_number"].astype(str))
    out.collection = [s.collection.submit(s.collection.forms()).score, s.collection.submit(clean_forms(s)).score]

    # 04: fix what came back, re-issue, a wrong statement first, then a right one.
    s = resume_at("failures", notebook(out.book, "04_failures_and_reconciliation"))
    for line in s.failures.table().to_dict("records"):
        fix = careful_fix(s, line)
        if fix:
            s.failures.act(line["line_id"], fix[0], fix[1])
    s.failures.reissue(confirm=True)
    wrong = statement_from_results(s).assign(returned=0.0, pending=0.0, unspent=0.0)
    wrong["paid"] = wrong["allocated"]
    first = s.reconciliation.submit(wrong).score
    s.try_again("reconciliation")
    out.reconciliation = [first, s.reconciliation.submit(statement_from_results(s)).score]
    out.payout = s.report().summary()["tries"]["payout"]["first"]  # scored when the statement went in

    # 05 in practice: published unmasked (full IDs!), tried again masked; then the inspection.
    s = resume_at("disclosure", notebook(out.book, "05_disclosure_and_supervision"))
    first = s.disclosure.publish(s.disclosure.draft(), confirm=True).score
    s.try_again("disclosure")
    out.disclosure = [first, s.disclosure.publish(masked(s), confirm=True).score]
    out.supervision = s.supervision.submit(inspection_findings(s), confirm=True).score

    # 05 again as a self-test: sealed until the trainee ends it.
    s = resume_at("disclosure", notebook(out.book, "05_disclosure_and_supervision", mode="self-test"))
    assert s.disclosure.publish(masked(s), confirm=True).score is None  # sealed, as the notebook shows it

    # 03: the request sent; payout is scored only when the statement goes in (in 04).
    s = resume_at("payout", notebook(out.book, "03_payout"))
    s.payout.submit(s.payout.build_request(), progress=False, confirm=True)

    # 06's own first cell plays every stage for "me": the reference operator's run, not the trainee's.
    resume_at("report", notebook(out.book, "06_my_report"))
    return out


def stage_row(report: MyReport, stage: str) -> dict:
    return next(r for r in report.data["stages"] if r["stage"] == stage)


def test_the_report_shows_exactly_the_trainees_own_scores_first_try_and_best(played: Played) -> None:
    report = my_report("me", gradebook=played.book)
    expected = {
        "collection": (played.collection[0], max(played.collection), 2),
        "payout": (played.payout, played.payout, 1),
        "reconciliation": (played.reconciliation[0], max(played.reconciliation), 2),
        "disclosure": (played.disclosure[0], max(played.disclosure), 2),  # the self-test is sealed
        "supervision": (played.supervision, played.supervision, 1),
    }
    assert played.reconciliation[0] < played.reconciliation[1] and played.disclosure[0] < played.disclosure[1]
    got = {r["stage"]: (r["first"], r["best"], r["tries"]) for r in report.data["stages"]}
    assert got == expected  # review was the reference operator's only: it is not here

    table = report.stages.set_index("环节")
    assert table.loc["对账", "第一次得分"] == played.reconciliation[0]
    assert table.loc["对账", "最好得分"] == played.reconciliation[1]
    assert table.loc["对账", "最好成绩所在笔记本"] == "04 · 失败处理、补发 / 对账"
    when = table.loc["对账", "模拟日期"]  # simulated (the tutorial pays May 2022 in June), never today's
    assert when.startswith("2022-06-") and when != dt.date.today().isoformat()
    assert table.loc["信息公开", "备注"] == "另有 1 次成绩待公布"


def test_one_row_and_one_point_per_attempt(played: Played) -> None:
    report = my_report("me", gradebook=played.book)
    attempts = report.attempts
    # 01, 04, 05, 05 as a self-test, 03; notebook 06's own run holds no work of the trainee's.
    assert attempts["第几次练习"].tolist() == [1, 2, 3, 4, 5]
    assert attempts["模式"].tolist() == ["练习", "练习", "练习", "自测", "练习"]
    assert attempts.loc[4, "笔记本"] == "03 · 发放与补发" and attempts.loc[4, "备注"] == TEXT["zh"]["no_score_payout"]
    assert report.missing_notebooks() == ["02_review_and_posting"]
    assert "还没有做的笔记本：02_review_and_posting。" in report.notes()
    assert attempts.loc[1, "对账"] == played.reconciliation[1]
    assert "对账：第一次" in attempts.loc[1, "备注"]
    assert attempts.loc[3, "备注"] == "成绩待公布" and pd.isna(attempts.loc[3, "信息公开"])

    lines = {line.get_gid(): line for line in report.progress_chart().axes[0].get_lines() if line.get_gid()}
    points = {stage: [round(x) for x in line.get_xdata()] for stage, line in lines.items()}
    assert points == {"collection": [1], "payout": [2], "reconciliation": [2], "disclosure": [3],
                      "supervision": [3]}
    assert list(lines["reconciliation"].get_ydata()) == [played.reconciliation[1]]


def test_the_page_has_the_trainees_numbers_and_no_full_id_number(played: Played, tmp_path: Path) -> None:
    report = my_report("me", gradebook=played.book)
    page = report.save(tmp_path / "mine.html").read_text(encoding="utf-8")
    for score in (played.reconciliation[0], played.disclosure[0], played.disclosure[1], played.supervision):
        assert f"{score:.1f}" in page
    assert page.count("<details>") == 5  # every attempt's full report
    assert "本笔记本之前的环节由参考操作员完成" in page
    text = re.sub(r"data:[^\"']+", "", page)  # pictures aside
    assert played.id_numbers and not [n for n in played.id_numbers if n in text]
    assert not re.search(r"\d{17}[\dX]", text)


def test_a_self_test_shows_no_figure_until_it_is_ended(played: Played, tmp_path: Path) -> None:
    before = my_report("me", gradebook=played.book)
    sealed = before.data["attempts"][3]
    assert sealed["sealed"] and sealed["stages"] == {"disclosure": None}
    assert "第4次练习是自测，还没有结束" in before.text()
    section = before.html().split("<details>")[4]
    assert "总分 / Total: — / 100" in section and "损害" not in section  # no harm, no score from the key
    assert 3.5 > max(x for line in before.progress_chart().axes[0].get_lines() for x in line.get_xdata())

    # Ended in a copy of the gradebook (the other tests read the sealed one): a restarted
    # kernel resumes the self-test, and the trainee ends it.
    copy = tmp_path / "copy.sqlite"
    with sqlite3.connect(played.book) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    released = notebook(copy, "05_disclosure_and_supervision", mode="self-test").end_self_test()
    after = my_report("me", gradebook=copy)
    released = released.data["stages"]["disclosure"]
    assert released is not None
    assert after.data["attempts"][3]["stages"]["disclosure"]["best"] == released
    assert stage_row(after, "disclosure")["tries"] == 3
    disclosure = next(line for line in after.progress_chart().axes[0].get_lines() if line.get_gid() == "disclosure")
    assert [round(x) for x in disclosure.get_xdata()] == [3, 4]


def test_an_empty_gradebook_says_which_notebooks_to_do_first(played: Played, tmp_path: Path) -> None:
    nowhere = tmp_path / "never.sqlite"
    empty = my_report("me", gradebook=nowhere)
    assert not nowhere.exists()  # reading creates nothing
    assert empty.empty and empty.stages.empty and empty.attempts.empty
    assert course_notebooks() == ["01_collection", "02_review_and_posting", "03_payout",
                                  "04_failures_and_reconciliation", "05_disclosure_and_supervision"]
    assert empty.text() == ("成绩册里还没有“me”自己做的练习：请先做笔记本 01_collection、02_review_and_posting、"
                            "03_payout、04_failures_and_reconciliation、05_disclosure_and_supervision，再回到这里。")
    assert empty._repr_html_() == f"<p>{empty.text()}</p>"
    someone_else = my_report("张三", lang="en", gradebook=played.book)
    assert someone_else.empty and someone_else.text().startswith("Your gradebook holds no work by “张三” yet")


def test_in_a_notebook_the_report_offers_its_page_for_download(played: Played) -> None:
    report = my_report("me", gradebook=played.book)
    shown = report._repr_html_()
    link = re.search(r'<a download="我的培训报告.html" href="data:text/html;charset=utf-8;base64,([^"]+)">', shown)
    assert link and base64.b64decode(link.group(1)).decode("utf-8") == report.html()
    assert "<img" in shown and "第一次得分" in shown
    title = report.progress_chart().axes[0].get_title()
    assert title == CHART_TEXT["zh" if has_cjk_font() else "en"]["title"]  # never boxes


def test_english_edition_and_a_plain_error_for_an_unknown_language(played: Played) -> None:
    report = my_report("me", lang="en", gradebook=played.book)
    assert list(report.stages["stage"]) == ["Collection", "Payout and re-issue", "Reconciliation", "Disclosure",
                                            "Supervision"]
    assert 'download="my_training_report.html"' in report._repr_html_()
    assert report.html().startswith('<!DOCTYPE html>\n<html lang="en">') and TEXT["en"]["title"] in report.html()
    with pytest.raises(SandboxError, match="zh 或 en"):
        my_report("me", lang="fr", gradebook=played.book)


def test_by_default_it_reads_the_gradebook_the_notebooks_keep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_HOME", str(tmp_path))
    assert my_report().empty  # nothing kept yet, and nothing created by looking
    assert not list(tmp_path.iterdir())
    s = Session.start(TUTORIAL, trainee="me", gradebook=True, label="01_collection", until="collection")
    score = s.collection.submit(clean_forms(s)).score
    assert stage_row(my_report(), "collection")["best"] == score
