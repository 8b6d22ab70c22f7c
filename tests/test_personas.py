"""Scripted trainees: the tutorial rewards care and punishes shortcuts, on every seed."""

from __future__ import annotations

import statistics

import pytest

from sandbox.personas import PERSONAS
from sandbox.session.session import Session

SEEDS = 20  # about 30 s in all: slow; test_personas_quick covers two seeds in every run
COMPARED = ("careful", "rules-only", "no-registry-checks", "approve-all", "reject-suspicious")
# tests/test_score_skill.py holds issue 12's measure (careful ≥ 90 on seeds 1–5 of both
# scenarios). Over twenty tutorial seeds the scripted careful operator makes a real mistake now
# and then, which the score now shows plainly (docs/scoring.md): seed offset 8 wrongly denies a
# family (72.9), offset 14 needs eight ¥100 home visits and misses one left-off family (67.0).
# It stays above 65 everywhere, and 90 on average (93.7 measured).
CAREFUL_AT_LEAST = 65
CAREFUL_MEAN_AT_LEAST = 90


def play_seeds(tutorial, seeds: int) -> dict[str, list[float]]:
    """Total report score per persona, seed by seed."""
    out: dict[str, list[float]] = {}
    for persona in COMPARED:
        out[persona] = []
        for seed in range(tutorial.seed, tutorial.seed + seeds):
            session = Session.start(tutorial, trainee=persona, lang="en", seed=seed)
            PERSONAS[persona](session)
            out[persona].append(session.report().score)
    return out


@pytest.fixture(scope="module")
def totals(tutorial) -> dict[str, list[float]]:
    return play_seeds(tutorial, SEEDS)


@pytest.mark.slow
def test_careful_scores_high_on_every_seed(totals):
    check_perfect(totals)


@pytest.mark.slow
def test_shortcuts_score_well_below_care(totals):
    check_ordering(totals)


def test_personas_quick(tutorial):
    totals = play_seeds(tutorial, 2)
    check_perfect(totals)
    check_ordering(totals)


def check_perfect(totals: dict[str, list[float]]) -> None:
    low = {i: s for i, s in enumerate(totals["careful"]) if s < CAREFUL_AT_LEAST}
    assert low == {}, f"careful persona below {CAREFUL_AT_LEAST} on seeds (offset: score) {low}"
    assert statistics.mean(totals["careful"]) >= CAREFUL_MEAN_AT_LEAST, totals["careful"]


def check_ordering(totals: dict[str, list[float]]) -> None:
    """Every review shortcut, the fixed rule script included, lands far below care on average
    and never matches it on a seed; rejecting on any registry hit (denying hundreds of entitled
    families) does more harm than letting everything through."""
    mean = {p: statistics.mean(s) for p, s in totals.items()}
    for persona in COMPARED[1:]:
        assert mean[persona] < mean["careful"] - 15, (persona, mean)
        beaten = [i for i, (p, s) in enumerate(zip(totals["careful"], totals[persona], strict=True)) if s >= p]
        assert beaten == [], f"{persona} matched careful on seeds {beaten}"
    assert mean["reject-suspicious"] < mean["approve-all"], mean


def test_random_persona_plays_through(start):
    session = start(seed=7)
    PERSONAS["random"](session)
    report = session.report().summary()
    assert all(score is not None for score in report["stages"].values())
    assert 0 <= report["score"] <= 100
