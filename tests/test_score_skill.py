"""Issue 12's measure: the score separates a careful operator from every shortcut, and orders
them by the harm they do, in yuan and families, as the scenario weighs it (docs/scoring.md).

Every shortcut persona takes ONE shortcut (in review, or in one other stage) and plays every
other stage exactly as the careful persona does (sandbox/personas/shortcuts.py). Played over
seeds 1–5 of the tutorial and of the three-period Zhoukou scenario.

Speed: a shortcut shares its first steps with the careful play, and the platform is
deterministic, so the shared steps are played once: the careful session is copied before each
step, and a shortcut carries on from the copy taken before its own first step.
`test_a_shortcut_played_from_a_copy_is_the_same_as_played_afresh` checks that this changes
nothing.
"""

from __future__ import annotations

import copy
import statistics

import pytest

from sandbox.personas import PERSONAS
from sandbox.personas.shortcuts import REVIEW_SHORTCUTS
from sandbox.session.session import Session

SCENARIOS = ("tutorial", "zhoukou-2022")
SEEDS = (1, 2, 3, 4, 5)
REVIEW = tuple(name for name in REVIEW_SHORTCUTS if name != "rules-only")  # the six
STAGE = ("raw-forms", "bank-totals", "publish-unchecked")  # the three
EXTRA = ("reissue-unfixed", "supervision-unchecked")  # cheap extras: played once, quick test below
PLAYED = ("careful", *REVIEW, *STAGE)
CAREFUL_AT_LEAST = 90.0
REVIEW_SHORTCUT_AT_MOST = 40.0
# Mean total below careful's, per scenario: "far below". A stage shortcut costs what its
# consequences cost in that world; the tutorial's teaching rates give every stage work whose
# care changes the outcome (docs/calibration.md). Measured: docs/scoring.md.
FAR_BELOW = 30.0
MARGIN = {("tutorial", "publish-unchecked"): 80.0, ("zhoukou-2022", "publish-unchecked"): 80.0,
          ("tutorial", "raw-forms"): FAR_BELOW, ("zhoukou-2022", "raw-forms"): FAR_BELOW,
          ("tutorial", "bank-totals"): FAR_BELOW, ("zhoukou-2022", "bank-totals"): FAR_BELOW}


def _first_difference(play, careful) -> int:
    return next((i for i, (a, b) in enumerate(zip(careful.steps, play.steps, strict=True)) if a[1] is not b[1]),
                len(play.steps))


def play_all(scenario: str, seed: int, personas: tuple[str, ...] = PLAYED) -> dict[str, dict]:
    """Each persona's report, the shared first steps played once."""
    careful = PERSONAS["careful"]
    starts = {name: _first_difference(PERSONAS[name], careful) for name in personas if name != "careful"}
    forks = {start: [n for n in starts if starts[n] == start] for start in set(starts.values())}
    session = Session.start(scenario, trainee="careful", lang="en", seed=seed)
    before: dict[int, Session] = {}  # the careful session before each step a shortcut replaces
    for index, (_, step) in enumerate(careful.steps):
        if index in forks:
            before[index] = copy.deepcopy(session)
        step(session)
    reports = {"careful": session.report().summary()}
    for start, names in forks.items():
        for i, name in enumerate(names):  # the last one plays on the copy itself
            fork = before[start] if i == len(names) - 1 else copy.deepcopy(before[start])
            for _, step in PERSONAS[name].steps[start:]:
                step(fork)
            reports[name] = fork.report().summary()
    return reports


@pytest.fixture(scope="module")
def played() -> dict[tuple[str, int], dict[str, dict]]:
    return {(scenario, seed): play_all(scenario, seed) for scenario in SCENARIOS for seed in SEEDS}


def table(played: dict, personas: tuple[str, ...] = PLAYED) -> str:
    """Total, weighted harm and families affected per persona and attempt (for messages)."""
    lines = []
    for (scenario, seed), reports in played.items():
        for name in personas:
            r = reports[name]
            harm = r["harm"]
            lines.append(f"{scenario:13s} {seed} {name:22s} total {r['score']:6.1f}  harm ¥{harm['weighted_total']:>12,.0f}"
                         f"  families {harm['families_total']:5d}")
    return "\n".join(lines)


@pytest.mark.slow
def test_careful_scores_at_least_90(played):
    low = {key: r["careful"]["score"] for key, r in played.items() if r["careful"]["score"] < CAREFUL_AT_LEAST}
    assert low == {}, table(played, ("careful",))


@pytest.mark.slow
def test_every_review_shortcut_scores_at_most_40(played):
    high = {(key, name): r[name]["score"] for key, r in played.items() for name in REVIEW
            if r[name]["score"] > REVIEW_SHORTCUT_AT_MOST}
    assert high == {}, table(played, ("careful", *REVIEW))


@pytest.mark.slow
def test_every_stage_shortcut_lands_below_careful(played):
    """Never above careful in any attempt; on average below it by the margin of its kind."""
    for scenario in SCENARIOS:
        runs = [r for (s, _), r in played.items() if s == scenario]
        careful = statistics.mean(r["careful"]["score"] for r in runs)
        for name in STAGE:
            scores = [r[name]["score"] for r in runs]
            assert all(s <= r["careful"]["score"] + 1e-9 for s, r in zip(scores, runs, strict=True)), \
                table(played, ("careful", name))
            assert statistics.mean(scores) <= careful - MARGIN[(scenario, name)], \
                (scenario, name, table(played, ("careful", name)))


@pytest.mark.slow
def test_the_order_of_the_totals_is_the_order_of_the_harm(played):
    """Within an attempt's world, more weighted harm always means a lower total, and the harm
    the report shows is what the total was computed from."""
    for key, reports in played.items():
        by_score = sorted(reports, key=lambda n: -reports[n]["score"])
        by_harm = sorted(reports, key=lambda n: reports[n]["harm"]["weighted_total"])
        scores = [reports[n]["score"] for n in by_harm]
        assert all(a >= b for a, b in zip(scores, scores[1:], strict=False)), (key, by_score, by_harm)
        reference = {reports[n]["harm"]["reference"]["value"] for n in reports}
        assert len(reference) == 1, (key, reference)  # one world, one yardstick


@pytest.mark.slow
def test_careful_does_least_harm_to_families(played):
    """Families affected (reported with every total): careful touches fewer than any review shortcut."""
    for key, reports in played.items():
        careful = reports["careful"]["harm"]["families_total"]
        worse = {n: reports[n]["harm"]["families_total"] for n in REVIEW
                 if reports[n]["harm"]["families_total"] < careful}
        assert worse == {}, (key, careful, worse)


def test_a_shortcut_played_from_a_copy_is_the_same_as_played_afresh():
    """The copies the fixture plays from change nothing: a shortcut played from the careful
    session's copy reports exactly what it reports when played from the start."""
    forked = play_all("tutorial", 3, ("careful", "bank-totals", "approve-all"))
    for name in ("bank-totals", "approve-all"):
        session = Session.start("tutorial", trainee="careful", lang="en", seed=3)
        PERSONAS[name](session)
        fresh = session.report().summary()
        for part in ("score", "stages", "kpis", "harm", "misses"):
            assert fresh[part] == forked[name][part], (name, part)


def test_the_extra_stage_shortcuts_play_through_and_do_not_beat_care():
    reports = play_all("tutorial", 1, ("careful", *EXTRA))
    for name in EXTRA:
        assert all(score is not None for score in reports[name]["stages"].values()), name
        assert reports[name]["score"] <= reports["careful"]["score"] + 1e-9, name
