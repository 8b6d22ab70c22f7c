"""Same scenario + seed → the same rosters, answer key and bank outcomes, in any process,
on any day; another seed → another county."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT, TUTORIAL

from sandbox.personas import PERSONAS
from sandbox.session.session import Session, attempt_behind

# Volatile by design: wall-clock log times and random attempt ids.
VOLATILE = {"attempt_id", "wall_time"}


def frame_hash(frame: pd.DataFrame) -> str:
    text = frame.reset_index(drop=True).to_csv(index=False, date_format="%Y-%m-%dT%H:%M:%S")
    return hashlib.sha256(text.encode()).hexdigest()


def fingerprint(seed: int | None = None) -> dict[str, str]:
    """Hashes of what a seed decides: roster as typed, answer key, the banks' outcomes."""
    session = Session.start(TUTORIAL, trainee="determinism", lang="en", seed=seed)
    attempt = attempt_behind(session)
    PERSONAS["perfect"](session)
    return {"typed": frame_hash(attempt.data.typed), "key": frame_hash(attempt.data.key),
            "bank": frame_hash(attempt.stages["payout"].lines),
            "report": hashlib.sha256(repr(sorted(
                (k, v) for k, v in session.report().summary().items() if k not in VOLATILE)).encode()).hexdigest()}


SCRIPT = (
    "import json, sys; sys.path.insert(0, 'tests'); from test_determinism import fingerprint; "
    "print(json.dumps(fingerprint()))"
)


def test_same_seed_same_everything():
    assert fingerprint() == fingerprint()


def test_same_seed_in_another_process_and_time_zone():
    env = {**os.environ, "TZ": "Pacific/Kiritimati", "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=True)

    assert json.loads(done.stdout.strip().splitlines()[-1]) == fingerprint()


def test_another_seed_differs(tutorial):
    one, other = fingerprint(), fingerprint(tutorial.seed + 1)
    assert all(one[part] != other[part] for part in ("typed", "key", "bank"))


def test_the_clock_starts_at_the_scenarios_as_of_date(start, tutorial):
    session = start()
    today = dt.datetime.fromisoformat(session.brief()["today"])
    assert today.date() == tutorial.calendar.as_of


GENERATION = ["world", "bank", "platform", "programs", "irregularities", "scenario", "common"]
TODAY = re.compile(r"date\.today\(|datetime\.now\(|datetime\.utcnow\(|pd\.Timestamp\.now\(|Timestamp\.today\(")


@pytest.mark.parametrize("part", GENERATION)
def test_nothing_reads_todays_date(part):
    path = ROOT / "sandbox" / part
    files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
    found = [f"{f.relative_to(ROOT)}:{n}" for f in files
             for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if TODAY.search(line)]
    assert found == []


def zhoukou_export_digest(root) -> dict[str, str]:
    """Byte digests of the three-period Zhoukou world as exported, its timeline and the
    registries of its last month (with their defects)."""
    from sandbox.scenario import load_scenario
    from sandbox.world import generate_world, registries_at
    from sandbox.world.export import write_world
    from sandbox.world.timeline import build_timeline

    world = generate_world(load_scenario("zhoukou-2022", seed=3))
    digests = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in write_world(world, root)}
    timeline = build_timeline(world)
    digests["timeline"] = frame_hash(timeline.events)
    last = timeline.months[-1]
    digests.update({f"month_{name}": frame_hash(frame) for name, frame in registries_at(world, last.as_of).items()})
    return digests


def test_the_three_period_world_exports_byte_for_byte_the_same(tmp_path):
    first, second = zhoukou_export_digest(tmp_path / "a"), zhoukou_export_digest(tmp_path / "b")
    assert len(first) > 20 and first == second
