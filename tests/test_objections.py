"""No oracles: what villagers say during 公示 carries no information about the truth.

Villagers object to real cases more often (that is how villages are), but the wording of an
objection is drawn apart from the truth. Over many worlds and 公示 draws (high objection rates
so that there are enough of both kinds), two things are tested on the texts a trainee reads:

1. specific or vague: the share of specific wording among real objections equals the share
   among false ones (two-proportion z-test, |z| < 3, at least 200 objections of each kind);
2. the claim named: among specific objections on entries of the same program, the type the
   words name is independent of whether the objection is real (Pearson χ² of the real/false ×
   named-type table, summed over programs, below the 0.1 % critical value). So a trainee who
   believes objections that name, say, a car or a death does no better than chance.

Home-visit reports that settle nothing (家中无人) come for entitled entries as for the others.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sandbox.irregularities import FAULTS
from sandbox.platform.attempt import open_attempt
from sandbox.platform.clock import SimClock
from sandbox.platform.objections import VAGUE_WORDING
from sandbox.platform.visits import draw_objections
from sandbox.scenario import Scenario

WORLDS = range(1, 7)  # tutorial worlds (seeds)
DRAWS = range(6)      # 公示 draws on each world's posted roster


def loud(scenario: Scenario, **review) -> Scenario:
    """Villagers who object a lot, so that few worlds give enough objections of each kind."""
    rates = {"objection_rate_blatant": 0.95, "objection_rate_subtle": 0.8, "objection_rate_false": 0.25, **review}
    return scenario.model_copy(update={"review": scenario.review.model_copy(update=rates)})


def classify(text_zh: str, name: str) -> str:
    """What the words name, as a trainee reads them: a type's code, or "" for generic words."""
    named = [code for code, kind in FAULTS.items() if kind.objection(name, "zh") == text_zh]
    if named:
        return named[0]
    assert text_zh in {zh.format(name=name) for zh, _ in VAGUE_WORDING}, text_zh
    return ""


def objections(tutorial: Scenario, **review) -> pd.DataFrame:
    """Every objection of every draw: is it real, its program, what its words name."""
    rows = []
    for world in WORLDS:
        attempt = open_attempt(loud(tutorial, **review), seed=world)
        posted = attempt.working  # everything approved and posted
        key = attempt.data.key.set_index("entry_id")
        names = posted.set_index("entry_id")["name"]
        for draw in DRAWS:
            scenario = attempt.scenario.with_seed(world * 1000 + draw)
            clock = SimClock.starting(scenario.calendar.as_of, attempt.calendar)
            for o in draw_objections(posted, attempt.data.key, clock, scenario):
                rows.append({"real": bool(key.at[o.entry_id, "fault"]), "program": key.at[o.entry_id, "program"],
                             "named": classify(o.text_zh, names[o.entry_id]),
                             "true_type": key.at[o.entry_id, "fault"]})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def drawn(tutorial: Scenario) -> pd.DataFrame:
    return objections(tutorial)


def two_proportion_z(hits_a: int, n_a: int, hits_b: int, n_b: int) -> float:
    pooled = (hits_a + hits_b) / (n_a + n_b)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    return (hits_a / n_a - hits_b / n_b) / spread


def chi_square_critical(df: int, alpha_z: float = 3.09) -> float:
    """The χ² value with upper tail 0.1 % (z = 3.09), by Wilson–Hilferty."""
    h = 2 / (9 * df)
    return df * (1 - h + alpha_z * math.sqrt(h)) ** 3


def test_real_and_false_objections_are_specific_equally_often(drawn: pd.DataFrame, tutorial: Scenario) -> None:
    real, false = drawn[drawn["real"]], drawn[~drawn["real"]]
    assert len(real) >= 200 and len(false) >= 200
    specific_real, specific_false = int((real["named"] != "").sum()), int((false["named"] != "").sum())
    z = two_proportion_z(specific_real, len(real), specific_false, len(false))
    assert abs(z) < 3, (specific_real / len(real), specific_false / len(false))
    share = tutorial.review.objection_specific_share
    overall = (specific_real + specific_false) / len(drawn)
    assert abs(overall - share) < 3 * math.sqrt(share * (1 - share) / len(drawn))
    # villagers still object to real cases more often: only the words carry nothing
    assert real["true_type"].ne("").all() and (real["named"].isin(["", *FAULTS])).all()


def test_the_claim_named_says_nothing_about_the_truth_given_the_program(drawn: pd.DataFrame) -> None:
    specific = drawn[drawn["named"] != ""]
    real = specific[specific["real"]]
    assert (real["named"] == real["true_type"]).all()  # a real specific objection names its own type
    assert (specific[~specific["real"]]["named"] != "").all()
    statistic, df = 0.0, 0
    for _program, group in specific.groupby("program"):
        table = pd.crosstab(group["real"], group["named"])
        if table.shape[0] < 2 or table.shape[1] < 2:
            continue  # one kind only in this program: nothing to compare
        expected = table.sum(axis=1).to_numpy()[:, None] * table.sum(axis=0).to_numpy()[None, :] / table.to_numpy().sum()
        statistic += float(((table.to_numpy() - expected) ** 2 / expected).sum())
        df += (table.shape[0] - 1) * (table.shape[1] - 1)
    assert df >= 5, "too few programs with both kinds of specific objection to test"
    assert statistic < chi_square_critical(df), (statistic, df)


def test_the_share_of_specific_wording_is_the_scenarios(tutorial: Scenario) -> None:
    for share, expect in ((0.0, {""}), (1.0, set(FAULTS))):
        named = objections(tutorial, objection_specific_share=share)["named"]
        assert set(named) <= expect and len(named) > 0


def test_visits_settle_nothing_now_and_then_for_every_kind_of_entry(start, tutorial: Scenario) -> None:
    review = tutorial.review.model_copy(update={"visit_inconclusive_rate": 0.3, "home_visit_capacity_per_day": 200})
    counts = {True: [0, 0], False: [0, 0]}  # entitled? -> [inconclusive, visits]
    for seed in range(1, 5):
        session = start(seed=seed, scenario=tutorial.model_copy(update={"review": review}))
        key = session._backend.attempt.data.key.set_index("entry_id")
        ids = session.review.roster()["entry_id"]
        session.review.submit(pd.DataFrame({"entry_id": ids, "decision": "refer"}))
        for visit in session.review.wait_for_visits().to_dict("records"):
            entitled = not key.at[visit["entry_id"], "fault"]
            counts[entitled][0] += bool(visit["inconclusive"])
            counts[entitled][1] += 1
    (inconclusive_ok, visits_ok), (inconclusive_bad, visits_bad) = counts[True], counts[False]
    assert inconclusive_ok > 0 and inconclusive_bad > 0
    assert abs(two_proportion_z(inconclusive_ok, visits_ok, inconclusive_bad, visits_bad)) < 3
