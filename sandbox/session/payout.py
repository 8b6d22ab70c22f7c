"""The trainee's payout desks: payment request, failures and re-issue, reconciliation."""

from __future__ import annotations

import pandas as pd

from sandbox.errors import SandboxError
from sandbox.session.desk import Desk, Source, as_frame
from sandbox.session.feedback import Feedback


class PayoutDesk(Desk):
    """发放: build the payment request (支付申请), send it, read the banks' result files."""

    def budget(self) -> pd.DataFrame:
        return self._call("payout.budget")

    def build_request(self) -> pd.DataFrame:
        """The draft request from the decisions as they stand: a look, it changes nothing."""
        return self._call("payout.build_request")

    def submit(self, request: Source, progress: bool | None = None, confirm: bool = False) -> Feedback:
        """Send the request; the banks' simulated days pass until every line settles.

        Money sent cannot be called back: without confirm=True nothing is sent and the platform
        says so. Review must be closed first (s.review.close(confirm=True)).
        progress: None shows the days passing when the session has a display; False never;
        True always (and needs a display)."""
        display = self._session._display
        if progress and display is None:
            raise SandboxError("progress=True 需要显示界面：Session.start(..., display=NotebookDisplay())",
                               "progress=True needs a display: Session.start(..., display=NotebookDisplay())")
        frame, source = as_frame(request)
        feedback = Feedback(self._call("payout.submit", request=frame, source=source, confirm=confirm),
                            self._session.lang)
        if display is not None and progress is not False:
            display.payment_sent(self._session, feedback)
        return feedback

    def results(self) -> pd.DataFrame:
        return self._call("payout.results")

    def result_files(self) -> dict[str, pd.DataFrame]:
        return self._call("payout.result_files")

    def timeline(self) -> pd.DataFrame:
        return self._call("payout.timeline")

    def kpis(self) -> dict:
        return self._call("payout.kpis")


class FailureDesk(Desk):
    """失败处理、补发: find out why each line came back, fix it, re-issue."""

    def table(self) -> pd.DataFrame:
        return self._call("failures.table")

    def card_status(self, line_id: str) -> pd.DataFrame:
        return self._call("failures.card_status", line_id=line_id)

    def act(self, line_id: str, action: str, value: str = "") -> dict:
        return self._call("failures.act", line_id=line_id, action=action, value=value)

    def reissue(self, confirm: bool = False) -> Feedback:
        """补发 every fixed line; money sent cannot be called back, so it needs confirm=True."""
        return Feedback(self._call("failures.reissue", confirm=confirm), self._session.lang, step="reissue")


class ReconciliationDesk(Desk):
    """对账: allocated = paid + returned + pending + unspent, per program, to the fen."""

    def template(self) -> pd.DataFrame:
        return self._call("reconciliation.template")

    def submit(self, statement: Source) -> Feedback:
        frame, source = as_frame(statement)
        return Feedback(self._call("reconciliation.submit", statement=frame, source=source), self._session.lang)
