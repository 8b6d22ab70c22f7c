"""A served exam gives its trainees nothing to rebuild their world with, and no figure from the
answer key before the trainer releases feedback; per-trainee worlds come from an HMAC of the
class secret. (Issue 12: "the exam key can be rebuilt".)"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_actions import SAMPLES
from test_server import make_class

from sandbox.classmode.classroom import Classroom
from sandbox.classmode.server import background_server, create_app
from sandbox.errors import SandboxError
from sandbox.gradebook.store import trainer_report
from sandbox.personas import PERSONAS
from sandbox.platform.sealing import OPEN_KPIS, SEALED_NOTE
from sandbox.scenario import load_scenario
from sandbox.scenario.schema import MAX_SEED
from sandbox.session.session import Session, backend_of

# Report and feedback fields computed from the answer key (or from scores that are).
KEY_DERIVED = {"score", "money_let_through", "money_stopped", "wrongful_denials", "privacy_violations",
               "money_recovered", "harm", "misses", "practise_next", "review_by_type", "by_type", "planted",
               "caught", "metrics", "tries", "first", "best", "latest"}


class Wire:
    """Every response the trainee's client received: status, headers and body."""

    def __init__(self) -> None:
        self.responses: list[tuple[int, str, str]] = []

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        self.responses.append((response.status_code, headers, response.text))


@pytest.fixture
def served_exam(tmp_path: Path) -> Iterator[tuple[Classroom, dict[str, str], Any, str]]:
    classroom, tokens = make_class(tmp_path, 2, "exam")
    app = create_app(classroom)
    with background_server(app, lifetime_s=240) as url:
        yield classroom, tokens, app.state.class_server, url
    classroom.close()


def play_everything(session: Session) -> None:
    """A whole attempt (the persona), then every read-only view, the report both ways, and the
    refusals a trainee may provoke (their messages are responses too)."""
    backend = backend_of(session)
    for name, payload in SAMPLES.items():
        try:
            backend.call(name, payload(session))
        except SandboxError:
            pass  # a refusal is a response as well: the Wire kept it
    session.scores()
    session.report()
    backend.attempt_report(backend.me()["attempt_id"])
    for refused in (lambda: session.end_self_test(), lambda: session.try_again("reconciliation"),
                    lambda: session.registries.get("no_such_registry")):
        with pytest.raises(SandboxError):
            refused()


def seed_forms(seed: int) -> list[re.Pattern[str]]:
    """The seed as a number in any way a response could write it."""
    texts = {str(seed), f"{seed:,}", f"{seed:_}", f"{seed:x}", f"{seed:X}", f"{float(seed):e}",
             f"{float(seed):.6e}", f"{float(seed)!r}"}
    return [re.compile(rf"(?<![0-9A-Za-z]){re.escape(t)}(?![0-9A-Za-z])") for t in texts]


def money_forms(amount: float) -> list[re.Pattern[str]]:
    texts = {f"{amount:.2f}", f"{amount:,.2f}", repr(round(amount, 2)), f"{amount:.1f}"}
    return [re.compile(rf"(?<![0-9.,]){re.escape(t)}(?![0-9])") for t in texts]


def key_derived_values(value: Any, path: str = "") -> list[str]:
    """Where a response carries a key-derived field with something in it."""
    found = []
    if isinstance(value, dict):
        if "__frame__" in value:  # a table: a key-derived column must be empty
            frame = value["__frame__"]
            return [f"{path}[{column}]" for index, column in enumerate(frame["columns"])
                    if column in KEY_DERIVED and any(row[index] is not None for row in frame["data"])]
        for key, inner in value.items():
            if key in KEY_DERIVED and inner not in (None, [], {}):
                found.append(f"{path}.{key}={inner!r:.60}")
            elif key == "stages" and isinstance(inner, dict) and any(v is not None for v in inner.values()):
                found.append(f"{path}.stages={inner!r:.60}")
            elif key == "kpis" and isinstance(inner, dict):
                found += [f"{path}.kpis.{k}" for k, v in inner.items() if k not in OPEN_KPIS and v is not None]
            else:
                found += key_derived_values(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += key_derived_values(inner, f"{path}[{index}]")
    return found


@pytest.mark.parametrize("persona", ["careful", "approve-all"])
def test_a_served_exam_shows_no_seed_and_no_key_figure_before_release(served_exam, persona: str) -> None:
    classroom, tokens, server, url = served_exam
    session = Session.connect(url, tokens["W001"])
    wire = Wire()
    backend_of(session).on_response(wire)
    PERSONAS[persona](session)
    play_everything(session)

    attempt = server.attempt_of("W001")
    truth = trainer_report(attempt)  # the trainer's copy: what the key says
    seed = attempt.scenario.seed
    assert seed == classroom.seed_for("W001") and truth["seed"] == seed
    review = attempt.scores["review"].metrics
    sums = [value for value in (*(review[k] for k in ("money_let_through", "money_stopped", "money_improper")),
                                truth["harm"]["weighted_total"]) if value >= 1000]
    assert sums, "the persona leaves a key figure large enough to look for"
    assert len(wire.responses) > 40 and {status for status, _h, _b in wire.responses} == {200, 422}
    for status, headers, body in wire.responses:
        for pattern in seed_forms(seed):
            assert not pattern.search(headers) and not pattern.search(body), (pattern.pattern, body[:200])
        assert '"seed"' not in body
        for amount in sums:
            assert not any(p.search(body) for p in money_forms(amount)), (amount, body[:200])
        if status == 200:
            assert key_derived_values(json.loads(body)) == []
    report = session.report()
    assert report.score is None and report.sealed_note == SEALED_NOTE
    assert SEALED_NOTE in report.text()
    stored = classroom.gradebook  # the trainer's: full; what `sandbox report` shows otherwise: sealed
    assert stored.report_data(attempt.attempt_id)["score"] is None
    assert stored.report_data(attempt.attempt_id, full=True)["stages"] == truth["stages"]

    classroom.release_feedback()
    released = session.report().summary()
    assert released["sealed"] is False and "seed" not in released  # the seed stays on the server
    assert released["stages"] == {s: truth["stages"][s] for s in released["stages"]}
    assert released["kpis"]["money_let_through"] == review["money_let_through"]
    assert released["kpis"]["wrongful_denials"] == review["wrongful_denials"]
    assert released["review_by_type"] == review["by_type"]
    if persona == "approve-all":
        assert released["misses"] and review["money_let_through"] > 0


def test_the_seed_is_an_hmac_of_the_class_secret_over_the_whole_range(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first, _ = make_class(tmp_path / "one", 40, "exam")
    second, _ = make_class(tmp_path / "two", 40, "exam")  # the same roster, another class
    ids = [f"W{i:03d}" for i in range(40)]
    secret = first.gradebook.class_secret(first.class_id)
    expected = [int.from_bytes(hmac.new(secret.encode(), i.encode(), hashlib.sha256).digest(), "big")
                % (MAX_SEED + 1) for i in ids]
    assert [first.seed_for(i) for i in ids] == expected
    # Not from the id alone: another secret, other seeds for every trainee.
    assert all(first.seed_for(i) != second.seed_for(i) for i in ids)
    # The whole range a scenario allows, not a small space to search.
    assert max(expected) > MAX_SEED // 2 and len(set(expected)) == len(ids)
    tutorial = load_scenario(first.config.scenario_path)
    worlds = [Session.start(tutorial, seed=c.seed_for("W000")).collection.forms() for c in (first, second)]
    assert set(worlds[0]["id_number"]) != set(worlds[1]["id_number"])
    first.close()
    second.close()


def test_a_practice_class_does_not_send_the_seed_either(tmp_path: Path) -> None:
    classroom, tokens = make_class(tmp_path, 1, "practice")
    with background_server(create_app(classroom), lifetime_s=60) as url:
        session = Session.connect(url, tokens["W000"])
        wire = Wire()
        backend_of(session).on_response(wire)
        data = session.report().summary()
        assert "seed" not in data and data["sealed"] is False
        assert session.brief()["mode"] == "practice"
        seed = classroom.seed_for("W000")
        assert not any(p.search(body) for _s, _h, body in wire.responses for p in seed_forms(seed))
        assert "seed" not in session.report().text()
    classroom.close()
