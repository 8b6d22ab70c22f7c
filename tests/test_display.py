"""A session draws only through the display it was given (none by default), the way a
Gymnasium environment renders only in the render_mode it was made with."""

from __future__ import annotations

import pytest
from conftest import TUTORIAL

from sandbox import Session
from sandbox.course import resume_at
from sandbox.errors import SandboxError
from sandbox.session.feedback import Feedback
from sandbox.session.report import Report
from sandbox.ui import HtmlDisplay, NotebookDisplay


class RecordingDisplay:
    """A display that draws nothing and remembers what it was asked to show."""

    def __init__(self) -> None:
        self.payments: list[Feedback] = []

    def payment_sent(self, session: Session, feedback: Feedback) -> None:
        self.payments.append(feedback)

    def report_html(self, report: Report) -> str:
        return f"<!DOCTYPE html><html><body><p>{report.score:.1f}</p></body></html>"


def at_payout(display=None) -> Session:
    return resume_at("payout", Session.start(TUTORIAL, trainee="display", lang="en", display=display))


def test_by_default_a_session_has_no_display_and_shows_nothing() -> None:
    session = at_payout()
    with pytest.raises(SandboxError, match="display"):
        session.payout.submit(session.payout.build_request(), progress=True, confirm=True)
    assert session.payout.results().empty  # refused before anything was sent
    feedback = session.payout.submit(session.payout.build_request(), confirm=True)
    assert feedback["lines"] > 0
    assert session.report()._repr_html_() is None


def test_the_chosen_display_is_called_when_the_banks_run() -> None:
    display = RecordingDisplay()
    session = at_payout(display)
    request = session.payout.build_request()
    session.payout.submit(request.head(3), progress=False, confirm=True)
    assert display.payments == []
    feedback = session.payout.submit(request.iloc[3:], confirm=True)
    assert display.payments == [feedback]


def test_the_report_page_is_the_displays() -> None:
    display = RecordingDisplay()
    session = Session.start(TUTORIAL, trainee="display", lang="en", display=display)
    report = session.report()
    assert report._repr_html_() == f"<p>{report.score:.1f}</p>"
    assert report.html() == display.report_html(report)


def test_the_notebook_display_shows_the_days_and_a_chart(monkeypatch) -> None:
    import matplotlib.pyplot as plt

    waited: list[float] = []
    monkeypatch.setattr("sandbox.ui.display.time.sleep", waited.append)
    session = at_payout(NotebookDisplay(progress_seconds=1.0))
    figures = len(plt.get_fignums())
    session.payout.submit(session.payout.build_request(), confirm=True)
    assert len(waited) == len(session.payout.timeline()) > 0  # one step per day of the banks' timeline
    assert sum(waited) == pytest.approx(1.0)
    assert len(plt.get_fignums()) == figures + 1
    plt.close("all")


def test_the_html_display_draws_only_the_page() -> None:
    session = at_payout(HtmlDisplay())
    session.payout.submit(session.payout.build_request(), confirm=True)
    assert session.report().html().startswith("<!DOCTYPE html>")
