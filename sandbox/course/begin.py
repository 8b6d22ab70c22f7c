"""The one setup call at the top of every course notebook: `s = begin("03_payout")`.

It starts (or resumes, from the trainee's own gradebook) the session of that notebook, plays
the stages before the notebook's lesson the way a careful operator would, and sets up the
notebook: errors the sandbox raises show as one short message in the trainee's language,
tables show rules and tips uncut, and the banks' days and reports are drawn. After a kernel
restart, "运行全部单元格" (run all cells) restores everything; calling it again in the same
kernel returns the same session and changes nothing.
"""

from __future__ import annotations

import sys
from typing import Any

import pandas as pd

from sandbox.course.lessons import LESSONS, REVIEW_STYLES, STAGES, lesson_until, resume_at
from sandbox.course.my_report import own_work
from sandbox.course.trainee_errors import install_error_handler, running_in_ipython
from sandbox.errors import SandboxError
from sandbox.session.session import Session

# 00 starts where the course starts; the other notebooks where their lesson begins.
FIRST_NOTEBOOK = "00_start_here"
NOTEBOOKS: dict[str, str] = {FIRST_NOTEBOOK: STAGES[0], **LESSONS}
LANGS = ("zh", "en")

# The sessions begun in this kernel: calling begin() again with the same words returns the same one.
_BEGUN: dict[tuple, Session] = {}


def begin(notebook: str, *, lang: str = "zh", mode: str = "practice", start_over: bool = False,
          trainee: str = "me", scenario: str = "tutorial", review: str = "careful") -> Session:
    """The trainee's session for `notebook` (e.g. "03_payout"), ready at the notebook's lesson.

    lang: "zh" (中文) or "en", for feedback, desks and error messages.
    mode: "practice" (练习: feedback at once) or "self-test" (自测: sealed until s.end_self_test()).
    start_over: True begins this notebook afresh (your earlier work on it stays on record).
    review: how the earlier review is played for this notebook (see sandbox.course.resume_at).
    Your work is kept in your own gradebook: after a kernel restart, run all cells and you
    carry on where you left off (断点续做).
    """
    _check(notebook, lang, review)
    ipython = running_in_ipython()
    install_error_handler(lang)  # no tracebacks for SandboxError (a no-op outside IPython)
    show_tables_uncut()
    switch_on_chinese_font(ipython)
    key = (notebook, lang, mode, start_over, trainee, scenario, review)
    if key in _BEGUN:
        return _BEGUN[key]
    stage = NOTEBOOKS[notebook]
    session = Session.start(scenario, trainee=trainee, lang=lang, mode=mode, gradebook=True, label=notebook,
                            until=None if notebook == FIRST_NOTEBOOK else lesson_until(notebook),
                            resume=not start_over, display=_notebook_display() if ipython else None)
    resume_at(stage, session, review)
    session.count_only_own_work(own_work)  # the reference operator's stages are not the trainee's
    show_tables_in(lang, session, ipython)
    _BEGUN[key] = session
    return session


def show_tables_in(lang: str, session: Session, shell: Any) -> None:
    """Tables a cell shows: Chinese headers and values in a Chinese course (tables_zh)."""
    if shell is None:
        return
    from sandbox.course.tables_zh import show_tables_as_they_are, show_tables_in_chinese

    if lang == "zh":
        programs = session.programs()
        show_tables_in_chinese(dict(zip(programs["program"], programs["name"], strict=True)), shell)
    else:
        show_tables_as_they_are(shell)


def _check(notebook: str, lang: str, review: str) -> None:
    if notebook not in NOTEBOOKS:
        known = "、".join(NOTEBOOKS)
        raise SandboxError(f"没有叫“{notebook}”的课程笔记本；可用：{known}",
                           f"there is no course notebook called {notebook!r}; notebooks: {', '.join(NOTEBOOKS)}")
    if lang not in LANGS:
        raise SandboxError(f"没有“{lang}”这种语言，可用 \"zh\"（中文）或 \"en\"（英文）",
                           f"unknown language {lang!r}; use \"zh\" (Chinese) or \"en\" (English)")
    if review not in REVIEW_STYLES:
        raise SandboxError(f"没有“{review}”这种审核方式，可用：{'、'.join(REVIEW_STYLES)}",
                           f"unknown review style {review!r}; expected one of {', '.join(REVIEW_STYLES)}")


def show_tables_uncut() -> None:
    """Rules, tips and evidence are long sentences: show them whole, never cut with "…"."""
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_columns", 60)
    pd.set_option("display.width", 250)


def switch_on_chinese_font(shell: Any = None) -> None:
    """Chinese in the trainee's own matplotlib charts as in the sandbox's (sandbox/ui/fonts.py),
    set before a cell draws, so a start that draws nothing does not import matplotlib."""
    if shell is None and "matplotlib" not in sys.modules:
        return  # a script that has not drawn: nothing to set, and sandbox.ui not imported
    from sandbox.ui.fonts import use_chinese_font_in_notebook

    use_chinese_font_in_notebook(shell)


def _notebook_display() -> Any:
    from sandbox.ui.display import NotebookDisplay  # drawing code, only in a notebook

    return NotebookDisplay()


def forget_begun() -> None:
    """Forget the sessions begun in this kernel (for tests; a restart does the same)."""
    _BEGUN.clear()
