"""The trainee's own report (notebook 06): what they did in the course notebooks, read back
from their gradebook — each stage's first try and best, progress over attempts, and every
attempt's full report in one HTML page to download.

Whose score is whose. Each notebook starts its own attempt and lets the reference operator
play the stages before its lesson (`resume_at`), in the same attempt and the same gradebook.
So a score is the trainee's only when the action that produced it came after the trainee
began the notebook's own work: their first action at or after the notebook's first stage. (A
payout is scored when the statement is handed in, so in notebook 04 it is the trainee's: the
failures they fixed are in it.) An attempt with no label, or a label no notebook uses, is all
the trainee's. Notebook 06 itself plays every stage for the trainee, so it adds nothing.

Sealing: a self-test not yet ended (or a class exam not yet released) shows which stages were
done and when, never a score (platform/sealing.py); its stored report comes sealed.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sandbox.course.lessons import LESSONS, STAGES
from sandbox.errors import SandboxError
from sandbox.platform.modes import EXAM, mode_name
from sandbox.platform.stages.sequence import SCORED, stage_title

if TYPE_CHECKING:
    from sandbox.gradebook.store import Gradebook

TEXT = {
    "zh": {
        "title": "我的培训报告", "trainee": "学员", "stages": "各环节成绩：第一次与最好",
        "progress": "进步情况", "attempts": "每一次练习", "reports": "每一次练习的完整报告",
        "download": "下载我的培训报告（HTML，含每次练习的完整报告）", "file": "我的培训报告.html",
        "empty": "成绩册里还没有“{trainee}”自己做的练习：请先做笔记本 {notebooks}，再回到这里。",
        "missing": "还没有做的笔记本：{notebooks}。",
        "sealed_self_test": "第{n}次练习是自测，还没有结束：成绩在结束自测（s.end_self_test()）后显示。",
        "sealed_exam": "第{n}次练习是考试：成绩在培训老师公布后显示。",
        "sealed_cell": "成绩待公布", "no_score": "还没有得分：这一环节还没有完成",
        "no_score_payout": "还没有得分：发放在交对账单时评分（笔记本 04）",
        "retried": "{stage}：第一次 {first:.1f}，共交 {tries} 次", "sealed_count": "另有 {n} 次成绩待公布",
        "reference": "本笔记本之前的环节由参考操作员完成", "own": "自己开始的练习",
        "summary": "第{n}次 · {notebook} · {mode}",
    },
    "en": {
        "title": "My training report", "trainee": "trainee", "stages": "Each stage: first try and best",
        "progress": "Progress", "attempts": "Every attempt", "reports": "Every attempt's full report",
        "download": "Download my training report (HTML, with every attempt's full report)",
        "file": "my_training_report.html",
        "empty": "Your gradebook holds no work by “{trainee}” yet: do notebooks {notebooks} first, then "
                 "come back here.",
        "missing": "Notebooks not done yet: {notebooks}.",
        "sealed_self_test": "Attempt {n} is a self-test not yet ended: its scores show once you end it "
                            "(s.end_self_test()).",
        "sealed_exam": "Attempt {n} is an exam: its scores show once your trainer releases them.",
        "sealed_cell": "sealed", "no_score": "no score yet: the stage is not finished",
        "no_score_payout": "no score yet: payout is scored when the statement is handed in (notebook 04)",
        "retried": "{stage}: first try {first:.1f}, {tries} submissions", "sealed_count": "{n} more sealed",
        "reference": "the stages before this notebook were played by the reference operator",
        "own": "own session", "summary": "attempt {n} · {notebook} · {mode}",
    },
}
STAGE_COLUMNS = {
    "zh": {"stage": "环节", "first": "第一次得分", "best": "最好得分", "tries": "提交次数",
           "notebook": "最好成绩所在笔记本", "attempt": "第几次练习", "date": "模拟日期", "note": "备注"},
    "en": {"stage": "stage", "first": "first try", "best": "best", "tries": "submissions",
           "notebook": "best in notebook", "attempt": "attempt", "date": "simulated date", "note": "note"},
}
ATTEMPT_COLUMNS = {
    "zh": {"attempt": "第几次练习", "notebook": "笔记本", "mode": "模式", "date": "模拟日期", "note": "备注"},
    "en": {"attempt": "attempt", "notebook": "notebook", "mode": "mode", "date": "simulated date", "note": "note"},
}
TABLE_STYLE = ("{scope}table{{border-collapse:collapse}}{scope}td,{scope}th{{border:1px solid #ccc;"
               "padding:.2em .6em;text-align:left}}{scope}img{{max-width:100%}}")
PAGE_STYLE = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
              + TABLE_STYLE.format(scope="") +
              "details{margin:.6em 0;border:1px solid #ddd;padding:.3em .8em}summary{cursor:pointer;font-weight:bold}")
# In a notebook the style must reach the report's own tables only, not the rest of the page.
NOTEBOOK_STYLE = TABLE_STYLE.format(scope=".sbx-my-report ")


# --- what the gradebook holds ----------------------------------------------------------------


@dataclass(frozen=True)
class StageWork:
    """One stage as the trainee did it in one attempt: every submission, in order."""

    stage: str
    scores: tuple[float, ...]
    dates: tuple[str, ...]  # the simulated date of each submission

    @property
    def first(self) -> float:
        return self.scores[0]

    @property
    def best(self) -> float:
        return max(self.scores)

    @property
    def tries(self) -> int:
        return len(self.scores)

    @property
    def best_date(self) -> str:
        return self.dates[self.scores.index(self.best)]


@dataclass(frozen=True)
class AttemptWork:
    """One attempt with the trainee's own work in it (stages empty: nothing scored yet)."""

    number: int
    attempt_id: str
    label: str | None
    scenario: str
    mode: str
    released: bool
    date: str  # the simulated date of the trainee's last action in it
    stages: dict[str, StageWork] = field(default_factory=dict)
    report: dict | None = None  # the stored report, sealed while the attempt is


def lesson_of_label(label: str | None) -> str | None:
    """The course notebook an attempt was started in, from its label ("02_review_and_posting",
    a path to it, or another edition's copy with the same number)."""
    if not label:
        return None
    stem = Path(str(label)).name.removesuffix(".ipynb")
    if stem in LESSONS:
        return stem
    number = re.match(r"\d\d_", stem)
    return next((nb for nb in LESSONS if number and nb.startswith(number.group())), None)


def first_own_stage(label: str | None) -> int:
    """Where in STAGES the trainee's own work begins in an attempt with this label."""
    lesson = lesson_of_label(label)
    return STAGES.index(LESSONS[lesson]) if lesson else 0


def own_actions(actions: pd.DataFrame, begin: int) -> pd.DataFrame:
    """The actions of one attempt (ordered by seq) that are the trainee's: from their first
    action at or after STAGES[begin] on. A stage's score is logged just before the action that
    produced it, so a score belongs to the next action that is not a score."""
    if actions.empty:
        return actions
    actions = actions.reset_index(drop=True)
    is_score = actions["action"] == "score"
    position = actions["stage"].map(lambda s: STAGES.index(s) if s in STAGES else -1)
    started = actions.loc[~is_score & (position >= begin), "seq"]
    if started.empty:
        return actions.iloc[0:0]
    producer = actions["seq"].where(~is_score).bfill().fillna(actions["seq"])
    return actions[producer >= started.min()]


def own_work(actions: pd.DataFrame, label: str | None) -> pd.DataFrame:
    """The trainee's own actions of an attempt with this label (what mastery counts: the
    reference operator's play is not the trainee's; gradebook/mastery.py)."""
    return own_actions(actions, first_own_stage(label))


def _sim_date(value: Any) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def stage_work(own: pd.DataFrame) -> dict[str, StageWork]:
    """Each scored stage among the trainee's own actions, in course order."""
    found: dict[str, tuple[list[float], list[str]]] = {}
    for row in own[own["action"] == "score"].to_dict("records"):
        payload = row["payload"] if isinstance(row["payload"], dict) else {}
        if payload.get("score") is None:
            continue
        scores, dates = found.setdefault(row["stage"], ([], []))
        scores.append(round(float(payload["score"]), 2))
        dates.append(_sim_date(row["sim_time"]))
    return {s: StageWork(s, tuple(found[s][0]), tuple(found[s][1])) for s in SCORED if s in found}


def gather(book: Gradebook, trainee: str) -> list[AttemptWork]:
    """The trainee's attempts that hold work of their own, oldest first."""
    from sandbox.gradebook.errors import GradebookError

    frame = book.attempts()
    works: list[AttemptWork] = []
    for row in frame[frame["trainee"] == trainee].to_dict("records"):
        attempt_id = str(row["attempt_id"])
        label = row["label"] if isinstance(row["label"], str) else None
        own = own_actions(book.actions(attempt_id), first_own_stage(label))
        if own.empty:
            continue  # only the reference operator played in it (e.g. notebook 06's own start)
        try:
            report = book.report_data(attempt_id)  # sealed while the attempt is
        except GradebookError:
            report = None  # nothing scored in it yet
        works.append(AttemptWork(
            number=len(works) + 1, attempt_id=attempt_id, label=label, scenario=str(row["scenario"]),
            mode=str(row["mode"]), released=bool(book.attempt(attempt_id)["feedback_released"]),
            date=_sim_date(own["sim_time"].dropna().max() if own["sim_time"].notna().any() else None),
            stages=stage_work(own), report=report))
    return works


# --- the report ------------------------------------------------------------------------------


def course_notebooks() -> list[str]:
    """The notebooks to do before this report: those before the one that begins at the report."""
    order = list(LESSONS)
    return order[: next(i for i, nb in enumerate(order) if LESSONS[nb] == "report")]


def notebook_name(label: str | None, lang: str) -> str:
    """A notebook as the trainee knows it: its number and the stages it teaches."""
    lesson = lesson_of_label(label)
    if lesson is None:
        return str(label) if label else TEXT[lang]["own"]
    starts = sorted(STAGES.index(first) for first in LESSONS.values())
    begin = STAGES.index(LESSONS[lesson])
    end = min((s for s in starts if s > begin), default=len(STAGES))
    titles = [stage_title(s, lang) for s in STAGES[begin:end] if s != "report"]
    return f"{lesson[:2]} · {' / '.join(titles)}" if titles else lesson


class MyReport:
    """The trainee's own report across notebooks and tries; build it with `my_report()`.

    `.stages` and `.attempts` are tables in the trainee's language; `.data` is the same in
    plain data (English keys, scores None where sealed); `.progress_chart()` a figure;
    `.html()` / `.save(path)` one self-contained page. In a notebook it shows itself."""

    def __init__(self, trainee: str, work: list[AttemptWork], lang: str = "zh") -> None:
        self.trainee = trainee
        self.lang = lang
        self._work = list(work)
        self._html: str | None = None
        self._chart_png: str | None = None

    # --- plain data ---------------------------------------------------------------------------
    @property
    def empty(self) -> bool:
        return not self._work

    @property
    def message(self) -> str:
        """What to do first, when there is nothing to report yet."""
        names = "、".join(course_notebooks()) if self.lang == "zh" else ", ".join(course_notebooks())
        return TEXT[self.lang]["empty"].format(trainee=self.trainee, notebooks=names)

    @property
    def data(self) -> dict[str, Any]:
        return {"trainee": self.trainee, "lang": self.lang, "stages": self._stage_rows(),
                "attempts": [self._attempt_record(w) for w in self._work], "notes": self.notes(),
                "missing_notebooks": self.missing_notebooks()}

    def _attempt_record(self, work: AttemptWork) -> dict[str, Any]:
        def shown(done: StageWork) -> dict[str, Any] | None:
            if not work.released:
                return None
            return {"first": done.first, "best": done.best, "tries": done.tries, "date": done.best_date}

        return {"number": work.number, "attempt_id": work.attempt_id, "label": work.label,
                "notebook": notebook_name(work.label, self.lang), "scenario": work.scenario, "mode": work.mode,
                "sealed": not work.released, "date": work.date,
                "stages": {s: shown(done) for s, done in work.stages.items()}}

    def _stage_rows(self) -> list[dict[str, Any]]:
        """Per stage, over every attempt: the first try and the best, from released attempts only."""
        rows = []
        for stage in SCORED:
            done = [(w, w.stages[stage]) for w in self._work if stage in w.stages]
            if not done:
                continue
            shown = [(w, s) for w, s in done if w.released]
            row: dict[str, Any] = {"stage": stage, "first": None, "best": None, "tries": 0, "notebook": None,
                                   "attempt": None, "date": None, "sealed_attempts": len(done) - len(shown)}
            if shown:
                best_work, best = max(shown, key=lambda pair: pair[1].best)  # the earliest, on a tie
                row |= {"first": shown[0][1].first, "best": best.best, "tries": sum(s.tries for _, s in shown),
                        "notebook": notebook_name(best_work.label, self.lang), "attempt": best_work.number,
                        "date": best.best_date}
            rows.append(row)
        return rows

    def missing_notebooks(self) -> list[str]:
        done = {lesson_of_label(w.label) for w in self._work}
        return [nb for nb in course_notebooks() if nb not in done]

    def notes(self) -> list[str]:
        text = TEXT[self.lang]
        notes = [text["sealed_exam" if w.mode == EXAM else "sealed_self_test"].format(n=w.number)
                 for w in self._work if not w.released]
        missing = self.missing_notebooks()
        if missing and not self.empty:
            notes.append(text["missing"].format(notebooks=("、" if self.lang == "zh" else ", ").join(missing)))
        return notes

    # --- tables in the trainee's language -----------------------------------------------------
    @property
    def stages(self) -> pd.DataFrame:
        """One row per stage: first try, best, submissions, where and when (simulated) the best was."""
        names = STAGE_COLUMNS[self.lang]
        rows = [{names["stage"]: stage_title(r["stage"], self.lang), names["first"]: r["first"],
                 names["best"]: r["best"], names["tries"]: r["tries"], names["notebook"]: r["notebook"],
                 names["attempt"]: r["attempt"], names["date"]: r["date"],
                 names["note"]: TEXT[self.lang]["sealed_count"].format(n=r["sealed_attempts"])
                 if r["sealed_attempts"] else ""} for r in self._stage_rows()]
        frame = pd.DataFrame(rows, columns=list(names.values()))
        return frame.astype({names["first"]: "float64", names["best"]: "float64", names["tries"]: "Int64",
                             names["attempt"]: "Int64"})

    @property
    def attempts(self) -> pd.DataFrame:
        """One row per attempt, oldest first: the best score it reached in each of its stages."""
        names, text = ATTEMPT_COLUMNS[self.lang], TEXT[self.lang]
        scored = [s for s in SCORED if any(s in w.stages for w in self._work)]
        titles = {s: stage_title(s, self.lang) for s in scored}
        rows = []
        for work in self._work:
            row: dict[str, Any] = {names["attempt"]: work.number, names["notebook"]: notebook_name(work.label, self.lang),
                                   names["mode"]: mode_name(work.mode, self.lang)}
            row |= {titles[s]: work.stages[s].best if work.released and s in work.stages else None for s in scored}
            if not work.released:
                note = text["sealed_cell"]
            elif not work.stages:
                note = _no_score(work, self.lang)
            else:
                note = ("；" if self.lang == "zh" else "; ").join(text["retried"].format(stage=titles[s], first=d.first, tries=d.tries)
                                for s, d in work.stages.items() if d.tries > 1)
            rows.append(row | {names["date"]: work.date, names["note"]: note})
        columns = [names["attempt"], names["notebook"], names["mode"], *titles.values(), names["date"], names["note"]]
        return pd.DataFrame(rows, columns=columns).astype({t: "float64" for t in titles.values()})

    def text(self) -> str:
        if self.empty:
            return self.message
        head = f"{TEXT[self.lang]['title']} — {self.trainee}"
        table = _shown(self.stages).to_string(index=False)
        return "\n".join([head, table, *self.notes()])

    __str__ = text

    def __repr__(self) -> str:
        return self.text()

    # --- pictures and pages -------------------------------------------------------------------
    def progress_chart(self) -> Any:
        """Score per stage over attempts, as a matplotlib Figure (Chinese labels by default)."""
        from sandbox.ui.progress import progress_chart

        points = [{"number": w.number, "tick": (lesson_of_label(w.label) or "")[:2], "sealed": not w.released,
                   "stages": {s: {"first": d.first, "best": d.best} for s, d in w.stages.items()}}
                  for w in self._work]
        return progress_chart(points, self.lang)

    def _chart(self) -> str:
        if self._chart_png is None:
            from sandbox.ui.charts import png_base64

            self._chart_png = png_base64(self.progress_chart())
        return self._chart_png

    def html(self) -> str:
        """One self-contained page: the stage results, progress, every attempt and its full report."""
        if self._html is None:
            self._html = self._page()
        return self._html

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(self.html(), encoding="utf-8")
        return path

    def _page(self) -> str:
        text, esc = TEXT[self.lang], html.escape
        colon = "：" if self.lang == "zh" else ": "
        parts = [f"<h1>{esc(text['title'])}</h1>", f"<p>{esc(text['trainee'])}{colon}{esc(self.trainee)}</p>"]
        if self.empty:
            parts.append(f"<p>{esc(self.message)}</p>")
        else:
            parts += [f"<h2>{esc(text['stages'])}</h2>", _table(self.stages), self._notes_html(),
                      f"<h2>{esc(text['progress'])}</h2>", self._chart_img(),
                      f"<h2>{esc(text['attempts'])}</h2>", _table(self.attempts),
                      f"<h2>{esc(text['reports'])}</h2>", *(self._attempt_html(w) for w in self._work)]
        body = "\n".join(parts)
        return (f'<!DOCTYPE html>\n<html lang="{self.lang}"><head><meta charset="utf-8">'
                f"<title>{esc(text['title'])} — {esc(self.trainee)}</title><style>{PAGE_STYLE}</style></head>"
                f"<body>\n{body}\n</body></html>")

    def _notes_html(self) -> str:
        return "".join(f"<p><i>{html.escape(note)}</i></p>" for note in self.notes())

    def _chart_img(self) -> str:
        return f'<img alt="{html.escape(TEXT[self.lang]["progress"])}" src="data:image/png;base64,{self._chart()}">'

    def _attempt_html(self, work: AttemptWork) -> str:
        """One attempt's full report (the existing report page's body), folded under a summary."""
        from sandbox.session.report import Report
        from sandbox.ui.report import report_html

        text, esc = TEXT[self.lang], html.escape
        summary = text["summary"].format(n=work.number, notebook=notebook_name(work.label, self.lang),
                                         mode=mode_name(work.mode, self.lang))
        note = f"<p><small>{esc(text['reference'])}</small></p>" if first_own_stage(work.label) > 0 else ""
        if work.report is None:
            inner = f"<p>{esc(_no_score(work, self.lang))}</p>"
        else:
            page = report_html(Report(work.report, self.lang))
            inner = page[page.index("<body>") + len("<body>"): page.index("</body>")]
        return f"<details><summary>{esc(summary)}</summary>{note}{inner}</details>"

    def _repr_html_(self) -> str:
        """In a notebook: the stage results, the progress chart and a link to download the page
        (a data: URI, so JupyterLab needs no server route for it)."""
        text, esc = TEXT[self.lang], html.escape
        if self.empty:
            return f"<p>{esc(self.message)}</p>"
        link = base64.b64encode(self.html().encode("utf-8")).decode()
        return (f"<style>{NOTEBOOK_STYLE}</style>"
                f'<div class="sbx-my-report"><h3>{esc(text["title"])} — {esc(self.trainee)}</h3>'
                f"{_table(self.stages)}{self._notes_html()}{self._chart_img()}"
                f'<p><a download="{esc(text["file"])}" href="data:text/html;charset=utf-8;base64,{link}">'
                f"{esc(text['download'])}</a></p></div>")


def _no_score(work: AttemptWork, lang: str) -> str:
    """Why an attempt with the trainee's work in it has no score yet (notebook 03: payout is
    scored only when the statement is handed in, in notebook 04)."""
    payout = first_own_stage(work.label) == STAGES.index("payout")
    return TEXT[lang]["no_score_payout" if payout else "no_score"]


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as the trainee reads it: scores to one decimal (as the reports show them), — for
    what is missing or sealed."""
    def cell(value: Any) -> Any:
        if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
            return "—"
        return f"{value:.1f}" if isinstance(value, float) else value

    return frame.astype(object).apply(lambda column: column.map(cell))


def _table(frame: pd.DataFrame) -> str:
    return _shown(frame).to_html(index=False, escape=True, border=0)


def my_report(trainee: str = "me", *, lang: str = "zh",
              gradebook: Gradebook | str | Path | bool | None = None) -> MyReport:
    """The trainee's own report from their gradebook: every attempt they made in the course
    notebooks (each notebook keeps its own), each stage's first try and best, progress over
    attempts, and a page with every attempt's full report to download.

    gradebook: None or True for the trainee's own local gradebook (the one
    `Session.start(..., gradebook=True)` keeps), a file path or SQLAlchemy URL, or a Gradebook.
    Nothing is created: a gradebook that does not exist yet simply holds nothing."""
    if lang not in TEXT:
        raise SandboxError(f"没有“{lang}”这种语言，请用 zh 或 en", f"unknown language {lang!r}: use zh or en")
    book, opened = _open(gradebook, lang)
    if book is None:
        return MyReport(trainee, [], lang)
    try:
        return MyReport(trainee, gather(book, trainee), lang)
    finally:
        if opened:
            book.close()


def _open(choice: Any, lang: str) -> tuple[Gradebook | None, bool]:
    """The gradebook to read and whether it was opened here; None when it does not exist."""
    from sandbox.gradebook.database import resolve_url
    from sandbox.gradebook.store import Gradebook

    if isinstance(choice, Gradebook):
        return choice, False
    if choice is False:
        raise SandboxError("这份报告从成绩册里读取：请去掉 gradebook=False。" if lang == "zh" else
                           "This report is read from your gradebook: leave out gradebook=False.")
    url = resolve_url(None if choice is None or choice is True else choice)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None, False
    return Gradebook(url), True
