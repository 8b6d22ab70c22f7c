"""The disclosure desk (信息公开): the draft with full personal data, masked by the scenario's
policy with the project's export helper, checked for leaks, published once confirmed."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd

from sandbox.common.masking import FINDING_KINDS, check_published, publish_table
from sandbox.ui.common import Desk, button, confirm_box, final_notice, message_html
from sandbox.ui.text import button_text


class DisclosureDesk(Desk):
    """`DisclosureDesk(session)`: mask the draft, check it, publish it (final).

    The same calls as code: `publish_table(s.disclosure.draft(), policy)`, `check_published`,
    then `s.disclosure.publish(table, confirm=True)`."""

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.draft: pd.DataFrame | None = None
        self.table_to_publish: pd.DataFrame | None = None
        self.masked = False
        self.leaks: list = []
        self.feedback: Any = None
        self.mask_button = button(button_text(self.lang, "mask"), "info")
        self.check_button = button(button_text(self.lang, "check_leaks"))
        self.publish_button = button(button_text(self.lang, "publish"), "danger")
        self.confirm_publish = confirm_box("publish", self.lang)  # a publication cannot be withdrawn
        self.check_view = widgets.HTML()
        self.view = widgets.HTML()
        self.mask_button.on_click(lambda _: self.mask())
        self.check_button.on_click(lambda _: self.check())
        self.publish_button.on_click(lambda _: self.publish())
        self.widget = widgets.VBox([widgets.HBox([self.mask_button, self.check_button]),
                                    final_notice("disclosure.publish", self.lang),
                                    widgets.HBox([self.publish_button, self.confirm_publish]),
                                    self.message, self.check_view, self.view])
        if self.stage_done("disclosure"):
            self.show_done("disclosure", self.mask_button, self.check_button, self.publish_button)
            return
        draft = self.guarded(self.session.disclosure.draft)
        if draft is not None:
            self.draft = draft
            self.table_to_publish = draft
            from sandbox.scenario import Masking  # pydantic, loaded when the desk first masks

            self.policy = Masking(**self.session.disclosure.policy())
            self.show(self.t("draft_warning"), "bad")
            self.view.value = self.table(draft, 10)

    def mask(self) -> pd.DataFrame | None:
        """The public-column table: allowed columns only, IDs and cards masked by the policy."""
        if self.draft is None:
            return None
        table = self.guarded(lambda: publish_table(self.draft, self.policy))
        if table is None:
            return None
        self.table_to_publish, self.masked = table, True
        self.show(self.t("masked", start=self.policy.id_keep_start, end=self.policy.id_keep_end,
                         card=self.policy.card_keep_end), "ok")
        self.view.value = self.table(table, 20)
        self.check()
        return table

    def check(self) -> list:
        """Every privacy leak in the table to publish (check_published, as the platform checks)."""
        if self.table_to_publish is None:
            return []
        self.leaks = check_published(self.table_to_publish, self.draft, self.policy)
        if not self.leaks:
            self.check_view.value = message_html(self.t("no_leaks"), "ok")
            return self.leaks
        rows = [{"row": f.row if f.row is not None else "—", "column": f.column,
                 "kind": FINDING_KINDS[f.kind][0 if self.lang == "zh" else 1], "shown": f.shown}
                for f in self.leaks]
        self.check_view.value = (message_html(self.t("leaks", n=len(self.leaks)), "bad")
                                 + self.table(pd.DataFrame(rows), 15))
        return self.leaks

    def publish(self) -> Any:
        if self.stage_done("disclosure"):  # published before: the recorded result, not an error
            self.show_done("disclosure", self.mask_button, self.check_button, self.publish_button)
            return None
        if self.table_to_publish is None:
            return None
        if not self.confirm_publish.value:
            self.check()  # what the platform will find, before anything becomes final
        table = self.table_to_publish
        feedback = self.final_step(self.confirm_publish,
                                   lambda confirm: self.session.disclosure.publish(table, confirm=confirm))
        if feedback is None:
            if not self.masked:
                self.show(self.text + "\n" + self.t("to_publish_raw"), "error")
            return None
        self.feedback = feedback
        self.show(self.t("published") + "\n" + self.recorded("disclosure"), "ok")
        self.view.value = self.feedback_html(feedback)
        for b in (self.mask_button, self.check_button, self.publish_button):
            b.disabled = True
        return feedback
