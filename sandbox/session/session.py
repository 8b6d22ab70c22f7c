"""The trainee's handle on the platform: what an operator sees and may do, nothing more.

The session never holds the answer key. `Session.start` runs the platform in this process
(local mode); `Session.connect` talks to a class server over HTTP. Both pass the same
plain-JSON payloads, so notebooks, widgets, personas and tests drive them identically.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd

from sandbox.common.wire import round_trip
from sandbox.errors import SandboxError
from sandbox.session.brief import Brief
from sandbox.session.desk import Desk, Source, as_frame
from sandbox.session.disclosure import DisclosureDesk, SupervisionDesk
from sandbox.session.display import Display
from sandbox.session.feedback import Feedback
from sandbox.session.monthly import MonthlyDesk
from sandbox.session.payout import FailureDesk, PayoutDesk, ReconciliationDesk

if TYPE_CHECKING:
    from sandbox.session.report import Report



class Backend(Protocol):
    def call(self, action: str, payload: dict | None = None) -> Any: ...


class LocalBackend:
    """The platform in this process; payloads still make the JSON round trip."""

    def __init__(self, attempt) -> None:
        self._attempt = attempt  # private: a trainee's code should not reach for it

    @property
    def attempt(self):
        """The platform behind a local session: for trainers and tests that read the truth.
        A trainee in class mode has no LocalBackend; their platform lives on the server."""
        return self._attempt

    def call(self, action: str, payload: dict | None = None) -> Any:
        result = self._attempt.handle(action, round_trip(payload or {}))
        return round_trip(result)


class CollectionDesk(Desk):
    """信息采集、录入: what the villages typed, and your cleaned roster."""

    def forms(self) -> pd.DataFrame:
        return self._call("collection.forms")

    def village_files(self) -> dict[str, pd.DataFrame]:
        return self._call("collection.village_files")

    def submit(self, roster: Source) -> Feedback:
        frame, source = as_frame(roster)
        return Feedback(self._call("collection.submit", roster=frame), self._session.lang)


class Registries(Desk):
    """大数据比对: registry tables, e.g. `s.registries.deaths`."""

    def list(self) -> pd.DataFrame:
        return self._call("registries.list")

    def get(self, name: str) -> pd.DataFrame:
        return self._call("registries.get", name=name)

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.get(name)


class ReviewDesk(Desk):
    """审核、公示: decide each entry, send households for a home visit, post the list."""

    def roster(self) -> pd.DataFrame:
        return self._call("review.roster")

    def lookup(self, entry_id: str) -> dict:
        return self._call("review.lookup", entry_id=entry_id)

    def submit(self, decisions: Source) -> Feedback:
        frame, source = as_frame(decisions)
        if "_row" not in frame.columns:
            frame = frame.assign(_row=range(2, len(frame) + 2))
        return Feedback(self._call("review.submit", decisions=frame, source=source), self._session.lang)

    def decide(self, entry_id: str, decision: str, reason: str = "", field: str = "",
               value: str = "", note: str = "") -> Feedback:
        """One decision (what the widget desk calls)."""
        row = {"entry_id": entry_id, "decision": decision, "reason": reason, "field": field,
               "value": value, "note": note}
        return self.submit(pd.DataFrame([row]))

    def add(self, table: Source) -> Feedback:
        """补录: add entitled people left off the roster (应享未享). Columns: id_number, program
        (code or Chinese name); name, bank, account_number optional — the platform fills them
        from its records. Added entries go on the roster as approved."""
        frame, source = as_frame(table)
        if "_row" not in frame.columns:
            frame = frame.assign(_row=range(2, len(frame) + 2))
        return Feedback(self._call("review.add", table=frame, source=source), self._session.lang)

    def decisions(self) -> pd.DataFrame:
        return self._call("review.decisions")

    def visits(self) -> pd.DataFrame:
        return self._call("review.visits")

    def wait_for_visits(self) -> pd.DataFrame:
        return self._call("review.wait_for_visits")

    def post_notice(self) -> pd.DataFrame:
        """公示: the approved list goes up in the village for the full posting days (the clock
        moves on). Posting again posts what was approved, added or corrected since."""
        return self._call("review.post_notice")

    def objections(self) -> pd.DataFrame:
        return self._call("review.objections")

    def respond(self, objection_id: str, response: str, reason: str = "") -> dict:
        return self._call("review.respond", objection_id=objection_id, response=response, reason=reason)

    def close(self, confirm: bool = False) -> Feedback:
        """结束审核: the approved list goes to payout and cannot be changed again. Without
        confirm=True nothing happens: the platform says what would become final (and whether
        any approved entry has not been on a full 公示)."""
        return Feedback(self._call("review.close", confirm=confirm), self._session.lang)

    def finalize(self, confirm: bool = False) -> Feedback:
        """The same as close(confirm=...)."""
        return Feedback(self._call("review.finalize", confirm=confirm), self._session.lang)


class Session:
    """A trainee's session. Start one with `Session.start(scenario)`.

    `display` (default None) is how the session shows itself: None draws nothing; a display
    from sandbox.ui (e.g. `NotebookDisplay()`) shows the banks' days passing and the report
    as a page with charts."""

    def __init__(self, backend: Backend, lang: str = "zh", display: Display | None = None) -> None:
        self._backend = backend
        self.lang = lang
        self._display = display  # private like the backend: nothing public leads elsewhere
        self.collection = CollectionDesk(self)
        self.registries = Registries(self)
        self.review = ReviewDesk(self)
        self.disclosure = DisclosureDesk(self)
        self.supervision = SupervisionDesk(self)
        self.payout = PayoutDesk(self)
        self.failures = FailureDesk(self)
        self.reconciliation = ReconciliationDesk(self)
        self.monthly = MonthlyDesk(self)
        # Which of an attempt's logged actions are the trainee's own (the course sets it: the
        # reference operator's play of earlier stages is not); None: all of them.
        self._own_work: Any = None

    def count_only_own_work(self, own_work: Any) -> None:
        """Mastery and practice count only the actions `own_work(actions, label)` keeps (the
        course passes its filter: the reference operator's play of earlier stages is not the
        trainee's)."""
        self._own_work = own_work

    @classmethod
    def start(cls, scenario: str | Path = "tutorial", trainee: str = "trainee",
              lang: str = "zh", seed: int | None = None, mode: str | None = None,
              gradebook: Any = None, resume: bool = True, label: str | None = None,
              until: str | None = None, display: Display | None = None) -> Session:
        """Start a session on a scenario, in this process.

        `scenario` is a shipped scenario's name ("tutorial", "zhoukou-2022"; see
        `sandbox scenarios`), the path of a YAML file, or a loaded Scenario.
        `gradebook` keeps the attempt: True for your own local gradebook
        (~/.yikatong-sandbox, or $SANDBOX_HOME), a file path or SQLAlchemy URL, or a
        Gradebook. With a gradebook, your unfinished attempt at the same scenario, seed and
        mode (and `label`, e.g. the notebook's name) is resumed — a restarted kernel carries
        on where you left off. `resume=False` starts afresh, and so does an attempt whose
        `until` stage (the stage that ends this piece of work) is already scored.
        `mode`: "practice" (练习: feedback at once) or "self-test" (自测: scores and feedback
        sealed until you end it with `s.end_self_test()`); "exam" is accepted as another name
        for a self-test here. Only a class server (`Session.connect`) gives a sealed exam: a
        self-test runs on your own machine, and whoever owns the machine can open it
        (docs/modes.md). Replaying a seed you practised is simply a self-test on a known world.
        `display`: see the class; None (the default) draws nothing.
        """
        from sandbox.gradebook.recording import open_recorded

        attempt = open_recorded(scenario, trainee, lang, seed, mode, gradebook, resume, label, until)
        return cls(LocalBackend(attempt), lang=lang, display=display)

    @classmethod
    def connect(cls, url: str, token: str, lang: str = "zh", display: Display | None = None,
                max_body_mb: float | None = None) -> Session:
        """A session on the class server at `url`. `max_body_mb`: the server's body limit, when
        the trainer raised it (`sandbox serve --max-body-mb`); larger requests are refused here."""
        from sandbox.session.http import HttpBackend

        limit = {} if max_body_mb is None else {"max_body_mb": max_body_mb}
        return cls(HttpBackend(url, token, lang=lang, **limit), lang=lang, display=display)

    def brief(self) -> Brief:
        """Where you are, what is due, by which simulated date (发放时限), and the next step:
        a dict (s.brief()["days_left"]) that shows as a card."""
        return Brief(self._backend.call("brief"), self.lang)

    def programs(self) -> pd.DataFrame:
        return self._backend.call("programs")

    def scores(self) -> pd.DataFrame:
        return self._backend.call("scores")

    def report(self) -> Report:
        # Imported here: the report's texts come with the platform's catalogues, which a
        # session that only talks to a class server need not load until it asks for a report.
        from sandbox.session.report import Report

        return Report(self._backend.call("report"), self.lang, display=self._display)

    def end_self_test(self) -> Report:
        """End a self-test: its scores, misses and report show from now on (and the local
        gradebook stores them). A class exam is released by the trainer instead."""
        from sandbox.session.report import Report

        return Report(self._backend.call("self_test.end"), self.lang, display=self._display)

    def practise_next(self, folder: str | Path | None = None) -> Any:
        """Write your next exercise (针对性练习): a scenario extending your last one, with more of
        what you still miss and more look-alikes of it (docs/adaptive.md). It goes to `folder`
        (default: the practice folder beside your gradebook); start it with
        `Session.start(path, gradebook=True)`. Returns the file and what it practises."""
        from sandbox.gradebook.practice import write_practice

        backend = self._backend
        if not isinstance(backend, LocalBackend):
            raise SandboxError("培训班上的针对性练习由培训老师布置（sandbox practise --class）：请向老师要。",
                               "in a class, your trainer issues targeted practice (sandbox practise --class): "
                               "ask them for it.")
        attempt = backend.attempt
        book, opened = _gradebook_of(attempt.on_action)
        try:
            return write_practice(book, attempt.trainee, folder, own_work=self._own_work, lang=self.lang)
        finally:
            if opened:
                book.close()

    def try_again(self, stage: str) -> dict:
        """Practice only: open a submitted stage (reconciliation, disclosure, supervision) for
        another try. The first try stays on record beside the best."""
        return self._backend.call("practice.retry", {"stage": stage})


def _gradebook_of(recorder: Any) -> tuple[Any, bool]:
    """The gradebook an attempt records into (its recorder's, down the chain of callbacks), else
    the trainee's own local one; and whether it was opened here (the caller closes it then)."""
    from sandbox.gradebook.store import Gradebook

    while recorder is not None:
        if getattr(recorder, "gradebook", None) is not None:
            return recorder.gradebook, False
        if hasattr(recorder, "choice"):
            choice = recorder.choice
            if isinstance(choice, Gradebook):
                return choice, False
            return Gradebook(None if choice is True else choice), True
        recorder = getattr(recorder, "then", None)
    return Gradebook(None), True


def backend_of(session: Session) -> Backend:
    """How a session reaches its platform: a LocalBackend (this process) or an HttpBackend
    (a class server). For tools and tests; the session itself shows nothing that leads there."""
    return session._backend


def attempt_behind(session: Session):
    """The platform behind a local session, for trainers' tools and tests that read the truth.
    A class-mode session has none: its platform lives on the server."""
    backend = session._backend
    if not isinstance(backend, LocalBackend):
        raise TypeError("only a local session (Session.start) has its platform in this process")
    return backend.attempt
