"""The trainee's desks for disclosure (信息公开) and supervision (监督检查).

Both are faces over platform actions, like the other desks in sandbox.session.session: tables
and files are read on the trainee's side and cross as plain data.
"""

from __future__ import annotations

import pandas as pd

from sandbox.session.desk import Desk, Source, as_frame
from sandbox.session.feedback import Feedback


class DisclosureDesk(Desk):
    """信息公开: publish who received what, from which program, for which period — masked.

    Start from `draft()` (full personal data: mask it!), e.g. with
    `sandbox.common.masking.publish_table(draft, policy)`, then `publish(table, confirm=True)`.
    A publication cannot be withdrawn.
    """

    def draft(self) -> pd.DataFrame:
        return self._call("disclosure.draft")

    def policy(self) -> dict:
        """The scenario's masking policy (id_keep_start, id_keep_end, card_keep_end, show_name)."""
        return self._call("disclosure.policy")

    def publish(self, table: Source, confirm: bool = False) -> Feedback:
        """Publish (cannot be withdrawn): without confirm=True nothing is published."""
        frame, source = as_frame(table)
        return Feedback(self._call("disclosure.publish", table=frame, source=source, confirm=confirm),
                        self._session.lang)


class SupervisionDesk(Desk):
    """监督检查: weeks after payout, compare the period's payments with the registries,
    name each improper payment, the money to recover (追回) and the rectification (整改)."""

    def start(self) -> dict:
        """Begin the inspection (the simulated clock moves on); returns the dates that matter."""
        return self._call("supervision.start")

    def payments(self) -> pd.DataFrame:
        return self._call("supervision.payments")

    def registries(self, name: str) -> pd.DataFrame:
        """A registry as known on the inspection date (the death register has caught up)."""
        return self._call("supervision.registries", name=name)

    def template(self) -> pd.DataFrame:
        """An empty findings table with the expected (Chinese) headers."""
        return self._call("supervision.template")

    def submit(self, findings: Source, confirm: bool = False) -> Feedback:
        """Findings: line_id (or entry_id), fault, recover_amount, rectification, responsible,
        due_date. An empty table reports that nothing improper was found. The report is final:
        without confirm=True nothing is submitted."""
        frame, source = as_frame(findings)
        if "_row" not in frame.columns and not frame.empty:
            frame = frame.assign(_row=range(2, len(frame) + 2))
        return Feedback(self._call("supervision.submit", findings=frame, source=source, confirm=confirm),
                        self._session.lang)
