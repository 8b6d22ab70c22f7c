"""What every desk shares: HTML for tables and messages, and the display protocol."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import pandas as pd

from sandbox.errors import SandboxError
from sandbox.ui.text import confirm_text, label
from sandbox.ui.vocabulary import localise

TABLE_STYLE = ("<style>.sbx-table{border-collapse:collapse}.sbx-table td,.sbx-table th"
               "{border:1px solid #d0d7de;padding:2px 8px;text-align:left}</style>")


def table_html(frame: pd.DataFrame, max_rows: int = 20, lang: str = "en") -> str:
    """A small DataFrame as an HTML table (escaped; long tables cut with a note)."""
    shown = frame.head(max_rows)
    body = shown.to_html(index=False, escape=True, border=0, na_rep="", classes="sbx-table")
    rest = len(frame) - max_rows
    more = f"<p><i>… {'另有 ' + str(rest) + ' 行' if lang == 'zh' else str(rest) + ' more'}</i></p>" if rest > 0 else ""
    return f'{TABLE_STYLE}<div style="overflow-x:auto;font-size:90%">{body}</div>{more}'


def message_html(text: str, kind: str = "info") -> str:
    colours = {"info": "#1f4e79", "ok": "#2e7d32", "bad": "#b03a2e", "error": "#b03a2e"}
    lines = "<br>".join(html.escape(line) for line in str(text).splitlines())
    return f'<div style="color:{colours.get(kind, "#333")};padding:4px 0">{lines}</div>'


_CJK = re.compile(r"[\u4e00-\u9fff]")
# "核对无误后请用 s.review.close(confirm=True)。" / "; when you have checked, call s.…": for code.
_CODE_HINT = re.compile(r"核对无误后请用 s\.[^。]*。|;? when you have checked, call s\.\S*(?: \S+)*?\.(?=\s|$)")


def in_language(text: str, lang: str) -> str:
    """The platform says things "中文 / English": a Chinese desk shows the Chinese half; an
    English desk keeps both (operators meet the Chinese terms)."""
    if lang != "zh" or " / " not in text:
        return text
    first, _, rest = text.partition(" / ")
    return first if _CJK.search(first) and not _CJK.search(rest.split("。")[0][:40]) else text


def button(description: str, style: str = "", width: str = "auto") -> widgets.Button:
    return widgets.Button(description=description, button_style=style,
                          layout=widgets.Layout(width=width))


def confirm_box(key: str, lang: str = "en") -> widgets.Checkbox:
    """The box an irreversible button needs ticked before it acts (text.CONFIRMS[key])."""
    return widgets.Checkbox(value=False, description=confirm_text(lang, key), indent=False,
                            layout=widgets.Layout(width="auto"))


def final_notice(action: str, lang: str) -> widgets.HTML:
    """What a final step makes final, shown beside its button before anyone clicks: the
    platform's own sentence for its final steps (sandbox.platform.procedure)."""
    from sandbox.platform.procedure import FINAL_STEPS  # here: it loads the scenario schema

    step = FINAL_STEPS.get(action)
    what = (step.final_zh if lang == "zh" else step.final_en) if step else label(lang, action)
    return widgets.HTML(message_html(label(lang, "final_before", what=what), "bad"))


def recorded_line(session: Any, stage: str) -> str:
    """One line for a finished stage: its recorded score (or that the score is sealed)."""
    lang = session.lang
    brief = session.brief()
    scores = session.scores()
    title = brief.get("stage_titles", {}).get(stage, stage) if lang == "zh" else stage
    row = scores[scores["stage"] == stage] if not scores.empty else scores
    if len(row) and pd.notna(row["score"].iloc[0]):
        return label(lang, "stage_score", stage=title, score=f"{float(row['score'].iloc[0]):.1f} / 100")
    sealed = brief.get("mode", "practice") != "practice"
    return label(lang, "stage_recorded", stage=title) + (label(lang, "sealed") if sealed else "")


def done_already(session: Any, stage: str) -> str:
    """What a desk, or a code cell, shows when the stage's final step is done already."""
    return label(session.lang, "done_already") + "\n" + recorded_line(session, stage)


class Desk:
    """A face over the Session API: subclasses build `self.widget` (a VBox) and call the
    session only through its public desks, so clicks and code record the same thing."""

    widget: widgets.Widget

    def __init__(self, session: Any) -> None:
        self.session = session
        self.lang = session.lang
        self.message = widgets.HTML()
        self.text = ""
        self._programs: dict[str, str] | None = None

    def t(self, key: str, **values: object) -> str:
        return label(self.lang, key, **values)

    @property
    def program_names(self) -> dict[str, str]:
        """Program code → the catalogue's Chinese name (fetched once per desk)."""
        if self._programs is None:
            programs = self.session.programs()
            self._programs = dict(zip(programs["program"], programs["name"], strict=True))
        return self._programs

    def program_label(self, code: str) -> str:
        name = self.program_names.get(code, code)
        return name if self.lang == "zh" else f"{name} {code}"

    def table(self, frame: pd.DataFrame, max_rows: int = 20, headers: dict[str, str] | None = None) -> str:
        """A table in the session's language (Chinese headers and values with lang="zh")."""
        shown = localise(frame, self.lang, self.program_names, headers)
        return table_html(shown, max_rows, self.lang)

    def practice(self) -> bool:
        """Practice mode shows right and wrong at once; a self-test or exam seals it."""
        return self.session.brief().get("mode", "practice") == "practice"

    def stage_done(self, stage: str) -> bool:
        return stage in self.session.brief()["stages_done"]

    def recorded(self, stage: str) -> str:
        return recorded_line(self.session, stage)

    def feedback_html(self, feedback: Any) -> str:
        """A submission's feedback, headed by the stage's title in the session's language."""
        stage = str(feedback.get("stage", ""))
        title = self.session.brief().get("stage_titles", {}).get(stage, stage) if self.lang == "zh" else stage
        return feedback._repr_html_().replace(f"<b>{html.escape(stage)}</b>", f"<b>{html.escape(title)}</b>", 1)

    def show_done(self, stage: str, *buttons: widgets.Button) -> None:
        """A desk shown again after its final step: the recorded result, its buttons disabled."""
        for b in buttons:
            b.disabled = True
        self.show(done_already(self.session, stage), "ok")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def show(self, text: str, kind: str = "info") -> None:
        self.text = str(text)  # the message as plain text, for tests and for adding a line
        self.message.value = message_html(text, kind)

    def guarded(self, action: Callable[[], Any]) -> Any:
        """Run an action; a user error becomes a message on the desk, not a traceback."""
        try:
            return action()
        except SandboxError as error:
            self.show(in_language(str(error), self.lang), "error")
            return None

    def final_step(self, box: widgets.Checkbox, action: Callable[[bool], Any]) -> Any:
        """A step that cannot be undone: `action(confirm)` with the box's tick. Unticked, the
        platform changes nothing and says what would become final; the desk adds how to confirm.
        The box is cleared after the step, so the next final step needs a fresh tick."""
        confirmed = bool(box.value)
        try:
            result = action(confirmed)
        except SandboxError as error:
            text = in_language(str(error), self.lang)
            if not confirmed:  # the platform names the call to type; on a desk the box is the way
                text = _CODE_HINT.sub("", text) + "\n" + label(self.lang, "tick_to_confirm")
            self.show(text, "error")
            return None
        box.value = False
        return result
