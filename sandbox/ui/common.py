"""What every desk shares: HTML for tables and messages, and the display protocol."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import pandas as pd

from sandbox.errors import SandboxError
from sandbox.ui.text import CONFIRMS, label

TABLE_STYLE = ("<style>.sbx-table{border-collapse:collapse}.sbx-table td,.sbx-table th"
               "{border:1px solid #d0d7de;padding:2px 8px;text-align:left}</style>")


def table_html(frame: pd.DataFrame, max_rows: int = 20) -> str:
    """A small DataFrame as an HTML table (escaped; long tables cut with a note)."""
    shown = frame.head(max_rows)
    body = shown.to_html(index=False, escape=True, border=0, na_rep="", classes="sbx-table")
    more = f"<p><i>… {len(frame) - max_rows} more</i></p>" if len(frame) > max_rows else ""
    return f'{TABLE_STYLE}<div style="overflow-x:auto;font-size:90%">{body}</div>{more}'


def message_html(text: str, kind: str = "info") -> str:
    colours = {"info": "#1f4e79", "ok": "#2e7d32", "bad": "#b03a2e", "error": "#b03a2e"}
    lines = "<br>".join(html.escape(line) for line in str(text).splitlines())
    return f'<div style="color:{colours.get(kind, "#333")};padding:4px 0">{lines}</div>'


def button(description: str, style: str = "", width: str = "auto") -> widgets.Button:
    return widgets.Button(description=description, button_style=style,
                          layout=widgets.Layout(width=width))


def confirm_box(key: str) -> widgets.Checkbox:
    """The box an irreversible button needs ticked before it acts (CONFIRMS[key])."""
    return widgets.Checkbox(value=False, description=CONFIRMS[key], indent=False,
                            layout=widgets.Layout(width="auto"))


class Desk:
    """A face over the Session API: subclasses build `self.widget` (a VBox) and call the
    session only through its public desks, so clicks and code record the same thing."""

    widget: widgets.Widget

    def __init__(self, session: Any) -> None:
        self.session = session
        self.lang = session.lang
        self.message = widgets.HTML()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def show(self, text: str, kind: str = "info") -> None:
        self.message.value = message_html(text, kind)

    def guarded(self, action: Callable[[], Any]) -> Any:
        """Run an action; a user error becomes a message on the desk, not a traceback."""
        try:
            return action()
        except SandboxError as error:
            self.show(str(error), "error")
            return None

    def final_step(self, box: widgets.Checkbox, action: Callable[[bool], Any]) -> Any:
        """A step that cannot be undone: `action(confirm)` with the box's tick. Unticked, the
        platform changes nothing and says what would become final; the desk adds how to confirm.
        The box is cleared after the step, so the next final step needs a fresh tick."""
        confirmed = bool(box.value)
        try:
            result = action(confirmed)
        except SandboxError as error:
            hint = "" if confirmed else "\n" + label(self.lang, "tick_to_confirm")
            self.show(str(error) + hint, "error")
            return None
        box.value = False
        return result
