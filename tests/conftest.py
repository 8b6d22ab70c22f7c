"""Shared fixtures: tutorial sessions (about 0.1–0.3 s each) and a look behind the session.

Tests drive the platform through the public Session API, as trainees do; `attempt_of`
reaches the platform side (world, answer key) only to check what the trainee should see.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sandbox.platform.attempt import Attempt
from sandbox.scenario import Scenario, load_scenario, scenario_path
from sandbox.session.session import LocalBackend, Session, backend_of

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = scenario_path("tutorial")


@pytest.fixture(scope="session")
def tutorial() -> Scenario:
    return load_scenario(TUTORIAL)


@pytest.fixture
def start(tutorial: Scenario) -> Callable[..., Session]:
    """start(seed=None, mode=None, lang="en", scenario=None) -> a fresh local Session."""

    def _start(seed: int | None = None, mode: str | None = None, lang: str = "en",
               scenario: Scenario | None = None) -> Session:
        return Session.start(scenario or tutorial, trainee="test", lang=lang, seed=seed, mode=mode)

    return _start


def attempt_of(session: Session) -> Attempt:
    """The platform behind a local session (tests only: trainees never hold it)."""
    backend = backend_of(session)
    assert isinstance(backend, LocalBackend)
    return backend.attempt


@pytest.fixture(name="attempt_of")
def attempt_of_fixture() -> Callable[[Session], Attempt]:
    return attempt_of


class RecordingBackend:
    """A local backend that keeps every result the session received."""

    def __init__(self, inner: LocalBackend) -> None:
        self._inner = inner
        self._attempt = inner.attempt
        self.calls: list[tuple[str, Any]] = []

    def call(self, action: str, payload: dict | None = None) -> Any:
        result = self._inner.call(action, payload)
        self.calls.append((action, result))
        return result


def oracle_decisions(attempt: Attempt) -> pd.DataFrame:
    """What the answer key says each entry deserves: approve, correct, or reject with the fault."""
    rows = []
    for key in attempt.data.key.to_dict("records"):
        row = {"entry_id": key["entry_id"], "decision": "approve", "reason": "", "field": "", "value": ""}
        if key["fault"] and key["fix_field"]:
            row.update(decision="correct", field=key["fix_field"], value=str(key["fix_value"]))
        elif key["fault"]:
            row.update(decision="reject", reason=key["fault"])
        rows.append(row)
    return pd.DataFrame(rows)


@pytest.fixture(name="oracle_decisions")
def oracle_decisions_fixture() -> Callable[[Attempt], pd.DataFrame]:
    return oracle_decisions
