"""A code cell that does a stage's work acts only when the trainee chose to do it by code.

Most trainees do the course on the desks, and "运行全部单元格" (run all cells) after a kernel
restart runs every code cell again: a cell that submitted, closed or published would override
or pre-empt what the trainee did on the desk. So each such cell in the trainee edition starts
with a switch, `SUBMIT = False`, and asks `by_code(s, SUBMIT, "…")` before it acts:

    SUBMIT = False  # 改成 True 再运行：用代码提交（不写代码的，在操作台上做这一步）
    if by_code(s, SUBMIT, "提交上面的对账单", stage="reconciliation"):
        print(s.reconciliation.submit(statement))

Off, the cell says what it would do and that the desk is the other way. On, it acts; when the
step is final and done already (on the desk, or by an earlier run), it shows the recorded
result instead. The trainer edition turns the switches on (scripts/build_notebooks.py).
"""

from __future__ import annotations

from typing import Any

SKIPPED = {
    "zh": "（这个单元格没有执行：它会{doing}。）\n"
          "用代码做这一步：把本单元格里的 {switch} 改成 True，再运行这个单元格。\n"
          "不写代码：在操作台上做这一步，这个单元格就不用管了。",
    "en": "(This cell did nothing: it would {doing}.)\n"
          "To do this step by code: set {switch} = True in this cell and run it again.\n"
          "Without code: do this step on the desk and leave this cell as it is.",
}


def by_code(session: Any, switch: bool, doing: str, stage: str | None = None, *, name: str = "SUBMIT") -> bool:
    """Whether the cell should act: only with its switch on, and not when `stage`'s final step
    is done already (then the recorded result is printed). Off, it prints what the cell would do."""
    lang = "zh" if session.lang == "zh" else "en"
    if not switch:
        print(SKIPPED[lang].format(doing=doing, switch=name))
        return False
    if stage is not None and step_done(session, stage):
        print(recorded_result(session, stage))
        return False
    return True


def step_done(session: Any, stage: str) -> bool:
    """Whether the stage's final step is done: its score is recorded, or (payout, scored only
    at reconciliation) the payment request has been sent."""
    if stage == "payout":
        return not session.payout.results().empty
    return stage in session.brief()["stages_done"]


def recorded_result(session: Any, stage: str) -> str:
    """What the desk shows for a step done already: the same words here."""
    from sandbox.ui.common import done_already  # the desks' own words; the notebook has ui loaded
    from sandbox.ui.text import label

    if stage == "payout" and stage not in session.brief()["stages_done"]:
        return label(session.lang, "done_already") + "\n" + label(session.lang, "payout_sent")
    return done_already(session, stage)
