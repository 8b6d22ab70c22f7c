"""Issue 11's measure: on the calibrated three-period Zhoukou scenario a fixed rule script no
longer solves review, while a careful operator (weighing conflicting evidence, visiting only
where the registries cannot settle a case) still scores high over the whole job, the later
months included. Played the way `sandbox play zhoukou-2022 --persona NAME` plays them."""

from __future__ import annotations

import pytest

from sandbox.cli.play import play

SEEDS = (1, 2, 3, 4, 5)


def _report(persona: str, seed: int) -> dict:
    return play("zhoukou-2022", persona, seed, "en").report().summary()


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_rules_only_no_longer_solves_review(seed):
    report = _report("rules-only", seed)
    assert report["stages"]["review"] <= 85, report["stages"]


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_careful_operator_scores_high_over_the_whole_job(seed):
    report = _report("careful", seed)
    assert report["stages"]["monthly"] is not None, "the later months were not played"
    assert report["score"] >= 95, report["stages"]
