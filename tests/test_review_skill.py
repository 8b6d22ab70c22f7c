"""Issue 11's measure: on the calibrated Zhoukou scenario a fixed rule script no longer solves
review, while a careful operator (weighing conflicting evidence, visiting only where the
registries cannot settle a case) still scores high over the whole job, every month included."""

from __future__ import annotations

import pytest

from sandbox.personas import PERSONAS
from sandbox.scenario import load_scenario
from sandbox.session.session import Session

SEEDS = (1, 2, 3, 4, 5)


@pytest.fixture(scope="module")
def zhoukou():
    return load_scenario("zhoukou-2022")


def _play(scenario, persona: str, seed: int):
    session = Session.start(scenario, trainee=f"persona:{persona}", lang="en", seed=seed)
    PERSONAS[persona](session)
    return session.report().summary()


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_rules_only_no_longer_solves_review(zhoukou, seed):
    report = _play(zhoukou, "rules-only", seed)
    assert report["stages"]["review"] <= 85, report["stages"]


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_careful_operator_scores_high_over_the_whole_job(zhoukou, seed):
    report = _play(zhoukou, "careful", seed)
    assert report["score"] >= 95, report["stages"]
