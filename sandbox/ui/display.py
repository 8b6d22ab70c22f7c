"""The displays a session can be started with (`Session.start(..., display=...)`).

- `NotebookDisplay()`: in JupyterLab — the banks' simulated days scroll past as a progress
  bar and a chart, and `s.report()` shows as a page with charts.
- `HtmlDisplay()`: draws nothing while you work; the report can still be an HTML page
  (`report.save_html(path)`), e.g. for `sandbox play --html`.

Without a display (the default) a session only returns data and text.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pandas as pd

from sandbox.ui.charts import pyplot
from sandbox.ui.report import report_html

if TYPE_CHECKING:
    from sandbox.session.feedback import Feedback
    from sandbox.session.report import Report
    from sandbox.session.session import Session


class HtmlDisplay:
    """Reports as HTML pages; nothing drawn on screen, nothing waited for."""

    def payment_sent(self, session: Session, feedback: Feedback) -> None:
        return None

    def report_html(self, report: Report) -> str:
        return report_html(report)


class NotebookDisplay(HtmlDisplay):
    """Draws in a notebook: a progress bar over the banks' simulated days, then a chart."""

    def __init__(self, progress_seconds: float = 1.5) -> None:
        self.progress_seconds = progress_seconds  # how long the simulated days take to scroll past

    def payment_sent(self, session: Session, feedback: Feedback) -> None:
        import ipywidgets as widgets
        from IPython.display import display

        timeline = session.payout.timeline()
        days = timeline["date"].astype(str).tolist() if not timeline.empty else []
        bar = widgets.IntProgress(min=0, max=max(len(days), 1), description="银行处理")
        label = widgets.Label()
        display(widgets.HBox([bar, label]))
        for index, day in enumerate(days, start=1):
            bar.value = index
            label.value = f"{day}"
            time.sleep(self.progress_seconds / max(len(days), 1))
        payout_chart(timeline)


def payout_chart(timeline: pd.DataFrame) -> Any:
    """Credited and failed lines per simulated day (`s.payout.timeline()`), as a figure."""
    plt, cjk = pyplot()
    fig, ax = plt.subplots(figsize=(7, 3))
    if not timeline.empty:
        daily = timeline.groupby("date")[["credited", "failed"]].sum()
        # Chinese labels only with a font that has the glyphs (else they would be boxes).
        credited, failed = ("credited 入账", "failed 失败") if cjk else ("credited", "failed")
        ax.bar(daily.index.astype(str), daily["credited"], label=credited)
        ax.bar(daily.index.astype(str), daily["failed"], bottom=daily["credited"], label=failed)
        ax.tick_params(axis="x", rotation=45, labelsize=7)
        ax.legend()
    ax.set_title("Bank processing by simulated day")
    fig.tight_layout()
    return fig
