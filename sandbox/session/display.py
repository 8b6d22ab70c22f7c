"""How a session shows itself, chosen explicitly (as Gymnasium's `render_mode` is).

A session draws nothing and never waits by itself. Start it with a display from sandbox.ui
(`Session.start(..., display=NotebookDisplay())`) and the session calls that display's hooks
at the moments worth showing; without one (the default) it only returns data and text. The
session never imports sandbox.ui: the display is handed to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sandbox.session.feedback import Feedback
    from sandbox.session.report import Report
    from sandbox.session.session import Session


class Display(Protocol):
    def payment_sent(self, session: Session, feedback: Feedback) -> None:
        """A payment request went to the banks: show their simulated days passing."""

    def report_html(self, report: Report) -> str:
        """The report as one self-contained HTML page (charts inlined)."""
