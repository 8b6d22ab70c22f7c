"""The collection desk (信息采集、录入): see what the villages typed, run the automatic
checks (校验), and submit the cleaned roster."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd

from sandbox.common.normalize import clean_roster
from sandbox.ui.common import Desk, button
from sandbox.ui.text import button_text, label


class CollectionDesk(Desk):
    """`CollectionDesk(session)`: check every row, then submit the cleaned roster."""

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.forms = session.collection.forms()
        self.clean: pd.DataFrame | None = None
        self.issues: pd.DataFrame | None = None
        self.feedback: Any = None
        self.check_button = button(button_text(self.lang, "check_rows"), "info")
        self.submit_button = button(button_text(self.lang, "submit_roster"), "success")
        self.view = widgets.HTML(self.table(self.forms, 10))
        self.check_button.on_click(lambda _: self.check())
        self.submit_button.on_click(lambda _: self.submit())
        self.widget = widgets.VBox([widgets.HBox([self.check_button, self.submit_button]),
                                    self.message, self.view])
        if self.stage_done("collection"):
            self.show_done("collection", self.submit_button)

    def check(self) -> pd.DataFrame | None:
        """Normalise every row (full-width digits, spaces, 亩/分…) and list what is invalid."""
        result = self.guarded(lambda: clean_roster(self.forms))
        if result is None:
            return None
        self.clean, self.issues = result
        self.show(label(self.lang, "collection_rows", rows=len(self.forms), issues=len(self.issues)))
        self.view.value = self.table(self.issues, 40)
        return self.issues

    def submit(self) -> Any:
        if self.stage_done("collection"):  # submitted before: show what was recorded
            self.show_done("collection", self.submit_button)
            return None
        if self.clean is None:
            self.check()
        if self.clean is None:
            return None
        clean = self.clean
        feedback = self.guarded(lambda: self.session.collection.submit(clean))
        if feedback is not None:
            self.feedback = feedback
            self.view.value = self.feedback_html(feedback)
            self.show(label(self.lang, "recorded"), "ok")
        return feedback
