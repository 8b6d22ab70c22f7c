"""The trainee's payout desks: payment request, failures and re-issue, reconciliation."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pandas as pd

from sandbox.session.desk import Desk
from sandbox.session.feedback import Feedback

if TYPE_CHECKING:
    from sandbox.session.session import Source

PROGRESS_SECONDS = 1.5  # how long the simulated days take to scroll past in a notebook


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and shell.__class__.__name__ == "ZMQInteractiveShell"


class PayoutDesk(Desk):
    """发放: build the payment request (支付申请), send it, read the banks' result files."""

    def budget(self) -> pd.DataFrame:
        return self._call("payout.budget")

    def build_request(self) -> pd.DataFrame:
        return self._call("payout.build_request")

    def submit(self, request: Source, progress: bool | None = None) -> Feedback:
        from sandbox.session.session import _as_frame

        frame, source = _as_frame(request)
        result = self._call("payout.submit", request=frame, source=source)
        if progress if progress is not None else _in_notebook():
            self._show_progress()
        return Feedback(result, self._session.lang)

    def _show_progress(self) -> None:
        """Let the banks' simulated days pass on screen: a progress bar, then a chart."""
        import ipywidgets as widgets
        from IPython.display import display

        timeline = self.timeline()
        days = timeline["date"].astype(str).tolist() if not timeline.empty else []
        bar = widgets.IntProgress(min=0, max=max(len(days), 1), description="银行处理")
        label = widgets.Label()
        display(widgets.HBox([bar, label]))
        for index, day in enumerate(days, start=1):
            bar.value = index
            label.value = f"{day}"
            time.sleep(PROGRESS_SECONDS / max(len(days), 1))
        self.chart()

    def chart(self):
        """Credited and failed lines over simulated days (matplotlib)."""
        import matplotlib.pyplot as plt

        timeline = self.timeline()
        fig, ax = plt.subplots(figsize=(7, 3))
        if not timeline.empty:
            daily = timeline.groupby("date")[["credited", "failed"]].sum()
            ax.bar(daily.index.astype(str), daily["credited"], label="credited 入账")
            ax.bar(daily.index.astype(str), daily["failed"], bottom=daily["credited"], label="failed 失败")
            ax.tick_params(axis="x", rotation=45, labelsize=7)
            ax.legend()
        ax.set_title("Bank processing by simulated day")
        fig.tight_layout()
        return fig

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

    def reissue(self) -> Feedback:
        return Feedback(self._call("failures.reissue"), self._session.lang)


class ReconciliationDesk(Desk):
    """对账: allocated = paid + returned + pending + unspent, per program, to the fen."""

    def template(self) -> pd.DataFrame:
        return self._call("reconciliation.template")

    def submit(self, statement: Source) -> Feedback:
        from sandbox.session.session import _as_frame

        frame, source = _as_frame(statement)
        return Feedback(self._call("reconciliation.submit", statement=frame, source=source), self._session.lang)
