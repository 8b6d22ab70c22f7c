"""The next step after notebook 06: the trainee's mastery and a targeted exercise, without code
(docs/adaptive.md).

`my_mastery()` reads the trainee's own gradebook (the reference operator's play does not
count); `mastery_chart()` draws it; `PracticePanel(s)` is the button that writes the exercise
(`s.practise_next()`) and the button that starts it right below: the collection is done by the
reference operator, and the review desk of the new county opens.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from sandbox.course.lessons import resume_at
from sandbox.course.my_report import own_work
from sandbox.errors import SandboxError
from sandbox.platform.mastery import Mastery, weakest
from sandbox.session.session import Session, _gradebook_of, attempt_behind

PRACTICE_LABEL = "practice"  # the label of a practice attempt in the gradebook (all of it the trainee's)
TEXT = {
    "zh": {"write": "生成我的针对性练习", "start": "开始练习（在下面做审核）", "started": "练习已开始：下面是新县的审核台。",
           "columns": {"name": "技能", "mean": "掌握程度", "low": "可信区间下限", "high": "可信区间上限",
                       "cases": "案例数", "weak": "需加强"},
           "yes": "是", "no": ""},
    "en": {"write": "Write my targeted practice", "start": "Start it (review below)",
           "started": "Practice started: the new county's review desk is below.",
           "columns": {"name": "skill", "mean": "mastery", "low": "interval low", "high": "interval high",
                       "cases": "cases", "weak": "weak"},
           "yes": "yes", "no": ""},
}


def my_mastery(trainee: str = "me", *, lang: str = "zh", gradebook: Any = None) -> dict[str, Mastery]:
    """The trainee's mastery of every skill their own work showed, from their gradebook (None
    or True: the trainee's own local one). Nothing yet: an empty dict."""
    from sandbox.course.my_report import _open
    from sandbox.gradebook.mastery import mastery_of

    book, opened = _open(gradebook, lang)
    if book is None:
        return {}
    try:
        return mastery_of(book, trainee, own_work=own_work)
    finally:
        if opened:
            book.close()


def mastery_table(mastery: dict[str, Mastery], lang: str = "zh") -> pd.DataFrame:
    """Weakest first: skill, mean, credible interval, cases, and whether it is weak."""
    t = TEXT[lang]
    rows = [{**{k: v for k, v in m.as_dict(lang).items() if k in ("name", "mean", "low", "high", "cases")},
             "weak": t["yes"] if m.weak else t["no"]} for m in weakest(mastery)]
    frame = pd.DataFrame(rows, columns=["name", "mean", "low", "high", "cases", "weak"])
    return frame.rename(columns=t["columns"])


def mastery_chart(mastery: dict[str, Mastery], lang: str = "zh") -> Any:
    """Each skill's mastery with its credible interval, weakest on top (Chinese labels); shows
    itself in a cell, `.figure` is the matplotlib figure."""
    from sandbox.ui.mastery_charts import Chart, plot_trainee_mastery

    return Chart(plot_trainee_mastery(mastery, lang))


class PracticePanel:
    """Two buttons under notebook 06: write the targeted exercise, then start it here.

    After the second click, `panel.practice` is the practice Session (its review desk is shown)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.lang = session.lang
        t = TEXT[self.lang]
        self.written: Any = None
        self.practice: Session | None = None
        self.write_button = widgets.Button(description=t["write"], button_style="primary",
                                           layout=widgets.Layout(width="auto"))
        self.start_button = widgets.Button(description=t["start"], button_style="success",
                                           layout=widgets.Layout(width="auto", display="none"))
        self.output = widgets.Output()
        self.write_button.on_click(lambda _b: self.write())
        self.start_button.on_click(lambda _b: self.start())
        self.widget = widgets.VBox([widgets.HBox([self.write_button, self.start_button]), self.output])

    def _ipython_display_(self) -> None:
        display(self.widget)

    def write(self) -> Any:
        """Write the exercise (what the first button does); say where it is and how to open it."""
        with self.output:
            self.output.clear_output()
            try:
                self.written = self.session.practise_next()
            except SandboxError as exc:
                print(exc.message(self.lang))
                return None
            print(self.written.message(self.lang))
            print(_how_to_open(self.written.path, self.lang))
        self.start_button.layout.display = ""
        return self.written

    def start(self) -> Session | None:
        """Start the written exercise here (what the second button does): the collection by the
        reference operator, then the review desk of the new county."""
        from sandbox.course.begin import _notebook_display
        from sandbox.ui import ReviewDesk

        if self.written is None:
            return None
        attempt = attempt_behind(self.session)
        book, _opened = _gradebook_of(attempt.on_action)  # the same gradebook: kept open by the new session
        with self.output:
            self.practice = Session.start(self.written.path, trainee=attempt.trainee, lang=self.lang,
                                          gradebook=book, label=PRACTICE_LABEL, display=_notebook_display())
            resume_at("review", self.practice, "careful")
            print(TEXT[self.lang]["started"])
            display(self.practice.brief())
            display(ReviewDesk(self.practice))
        self.start_button.disabled = True
        return self.practice


def _how_to_open(path: Any, lang: str) -> str:
    if lang == "zh":
        return (f"点“开始练习”就在下面做；也可以在新的笔记本里运行 "
                f"s = Session.start(r\"{path}\", trainee=\"me\", gradebook=True)。")
    return (f"Click “Start it” to work below; or in a new notebook run "
            f"s = Session.start(r\"{path}\", trainee=\"me\", gradebook=True).")
