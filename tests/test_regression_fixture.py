"""Behaviour is pinned: every persona's report and the world export match the committed
fixture (tests/fixtures/regression.json, written by scripts/regression_fixture.py).

A refactor leaves the fixture alone; a deliberate change of behaviour regenerates it in
the same commit. CI checks the tutorial grid and one Zhoukou seed; the script checks all.
"""

from __future__ import annotations

import json
import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import regression_fixture as fixture  # noqa: E402

EXPECTED = json.loads(fixture.FIXTURE.read_text(encoding="utf-8"))
CASES = fixture.all_cases(("tutorial",)) + fixture.all_cases(("zhoukou-2022",), (1,), ("careful",))


@pytest.mark.parametrize("case", CASES, ids=lambda case: fixture.case_key(*case))
def test_behaviour_matches_fixture(case):
    key, value = fixture.run_case(case)
    assert value == EXPECTED[key]


def test_fixture_covers_the_whole_grid():
    assert set(EXPECTED) == {fixture.case_key(*case) for case in fixture.all_cases()}
