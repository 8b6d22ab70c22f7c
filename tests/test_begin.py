"""The course's one setup call: `begin(notebook)` starts or resumes the trainee's session at the
notebook's lesson, is harmless to call again, survives a kernel restart, and sets the notebook
up (no tracebacks for sandbox errors, tables uncut)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from sandbox.course import begin
from sandbox.course.begin import forget_begun
from sandbox.errors import SandboxError
from sandbox.session.session import attempt_behind


@pytest.fixture(autouse=True)
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test its own gradebook, and a fresh kernel (no session begun yet)."""
    monkeypatch.setenv("SANDBOX_HOME", str(tmp_path / "home"))
    forget_begun()
    yield
    forget_begun()


def test_begin_starts_at_the_notebooks_lesson() -> None:
    s = begin("03_payout")
    brief = s.brief()
    assert brief["next_stage"] == "payout" and "review" in brief["stages_done"]
    assert s.lang == "zh" and brief["mode"] == "practice"


def test_calling_it_again_returns_the_same_session_and_changes_nothing() -> None:
    s = begin("02_review_and_posting")
    logged = len(attempt_behind(s).log)
    assert begin("02_review_and_posting") is s
    assert len(attempt_behind(s).log) == logged


def test_a_kernel_restart_resumes_the_trainees_kept_work() -> None:
    s = begin("02_review_and_posting")
    entry = s.review.roster()["entry_id"].iloc[0]
    s.review.decide(entry, "refer")
    attempt_id = s.brief()["attempt_id"]
    forget_begun()  # what a kernel restart forgets; the gradebook on disk stays
    again = begin("02_review_and_posting")
    assert again is not s and again.brief()["attempt_id"] == attempt_id
    assert entry in set(again.review.decisions()["entry_id"])


def test_start_over_begins_the_notebook_afresh() -> None:
    s = begin("02_review_and_posting")
    s.review.decide(s.review.roster()["entry_id"].iloc[0], "refer")
    forget_begun()
    fresh = begin("02_review_and_posting", start_over=True)
    assert fresh.brief()["attempt_id"] != s.brief()["attempt_id"] and fresh.review.decisions().empty


def test_rule_and_tip_text_is_never_cut() -> None:
    pd.set_option("display.max_colwidth", 50)
    begin("01_collection")
    long = "x" * 300
    assert "…" not in pd.DataFrame({"rule": [long]}).to_string() and long in pd.DataFrame({"rule": [long]}).to_string()


def test_an_unknown_notebook_is_told_in_chinese() -> None:
    with pytest.raises(SandboxError) as refused:
        begin("03_payuot")
    assert "没有叫“03_payuot”的课程笔记本" in refused.value.message("zh")


def test_in_a_notebook_errors_show_without_traceback() -> None:
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    out = io.StringIO()
    try:
        with redirect_stdout(out):
            shell.run_cell("from sandbox.course import begin\ns = begin('02_review_and_posting')")
            shell.run_cell("s.review.lookup('E9999')")
            shell.run_cell("s = begin('02_review_and_posting')")  # run all cells again: harmless
            shell.run_cell("print(s.brief()['next_stage'])")
    finally:
        shell.set_custom_exc((), None)
    shown = out.getvalue()
    assert "Traceback" not in shown and "名单上没有序号为 'E9999' 的条目" in shown
    assert shown.strip().endswith("review")
