"""The trainee's desk for the later pay periods: 月度增减变动 (monthly changes)."""

from __future__ import annotations

import pandas as pd

from sandbox.session.desk import Desk, Source, as_frame
from sandbox.session.feedback import Feedback


class MonthlyDesk(Desk):
    """月度增减变动: each later month, read the change list and the standing roster, check
    them against that month's registries (`s.registries` shows the month open now), decide,
    and pay. A payee paid after their death is 冒领: stop and recover (追回) what was paid.

    Only scenarios with `periods` > 1 have this stage (`s.brief()["periods"]`)."""

    def brief(self) -> dict:
        """The month open now: period, month, dates, standing payees, pending changes, done."""
        return self._call("monthly.brief")

    def changes(self) -> pd.DataFrame:
        """增减变动: stop reports, new applications, tier changes and card changes (change_id…)."""
        return self._call("monthly.changes")

    def roster(self) -> pd.DataFrame:
        """The standing roster carried from last month, with months_paid and paid_total."""
        return self._call("monthly.roster")

    def history(self) -> pd.DataFrame:
        """Every monthly payment so far (period, month_start, entry_id, amount, status)."""
        return self._call("monthly.history")

    def template(self) -> pd.DataFrame:
        """The decision table's columns: id, decision, recover_amount."""
        return self._call("monthly.template")

    def decide(self, decisions: Source) -> dict:
        """Decisions for this month. Standing entries (id = entry_id): continue, stop, or
        stop_recover with recover_amount (¥ paid after the death). Changes (id = change_id):
        approve or reject. Entries left out continue; changes left out stay pending."""
        frame, source = as_frame(decisions)
        if "_row" not in frame.columns:
            frame = frame.assign(_row=range(2, len(frame) + 2))
        return self._call("monthly.decide", decisions=frame, source=source)

    def stop(self, entry_id: str, recover_amount: float = 0.0) -> dict:
        """Stop one payee; with a recover_amount, also recover what was paid after death."""
        decision = "stop_recover" if recover_amount else "stop"
        return self.decide(pd.DataFrame([{"id": entry_id, "decision": decision,
                                          "recover_amount": f"{recover_amount:.2f}"}]))

    def pay(self) -> dict:
        """Pay this month and open the next; after the last month the stage is scored (its
        feedback is under "feedback")."""
        result = self._call("monthly.pay")
        if "feedback" in result:
            result["feedback"] = Feedback(result["feedback"], self._session.lang)
        return result
