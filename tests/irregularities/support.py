"""What the per-type tests share: a tutorial roster planted with one type only, and the careful
persona's review of the full tutorial (computed once per seed)."""

from __future__ import annotations

import functools

import pandas as pd
from conftest import TUTORIAL, attempt_of

from sandbox.irregularities import FAULTS
from sandbox.personas import Evidence, careful_decision, clean_forms
from sandbox.platform.attempt import Attempt, open_attempt
from sandbox.scenario import Irregularities, Scenario, load_scenario
from sandbox.session.session import Session


@functools.cache
def tutorial() -> Scenario:
    return load_scenario(TUTORIAL)


def planted(code: str, rate: float, others: float = 0.0) -> Attempt:
    """An attempt at the tutorial with this type planted at `rate` and every other at `others`."""
    rates = {kind: others for kind in FAULTS} | {code: rate}
    irregularities = Irregularities(**rates, messy_typing=tutorial().irregularities.messy_typing)
    return open_attempt(tutorial().model_copy(update={"irregularities": irregularities}), lang="en")


def faulty(attempt: Attempt, code: str) -> pd.DataFrame:
    """The key rows of this type beside their entries as planted (entry_*: the roster's values
    before harmless typing mess)."""
    key = attempt.data.key
    entries = attempt.data.truth.add_prefix("entry_").rename(columns={"entry_entry_id": "entry_id"})
    return key[key["fault"] == code].merge(entries, on="entry_id")


def planted_only_when_its_rate_is_above_zero(code: str) -> None:
    """Alone at a rate it is planted; at 0 among the others it is not."""
    alone = planted(code, 0.05).data.key
    assert (alone["fault"] == code).sum() > 0
    assert set(alone["fault"]) == {"", code}
    among = planted(code, 0.0, others=0.03).data.key
    assert (among["fault"] == code).sum() == 0 and (among["fault"] != "").sum() > 0


@functools.cache
def careful_review(seed: int | None = None) -> pd.DataFrame:
    """The full tutorial's answer key beside what the careful persona decides (with registries)
    for each entry, weighing the evidence (weigh=True: the careful reviewer, not the rules-only
    script): columns decision, reason, field, value, from its first pass."""
    session = Session.start(tutorial(), trainee="careful", lang="en", seed=seed)
    session.collection.submit(clean_forms(session))
    evidence, seen = Evidence(session), set()
    decided = pd.DataFrame([careful_decision(entry, evidence, seen, use_registries=True, weigh=True)
                            for entry in session.review.roster().to_dict("records")])
    attempt = attempt_of(session)
    key = attempt.data.key.assign(registry_defect=lambda k: k["person_id"].isin(attempt.world.defects["person_id"]))
    return key.merge(decided.drop(columns="note"), on="entry_id", how="left")


def caught_as_declared(code: str, seeds: tuple[int | None, ...] = (None, 20220602)) -> pd.DataFrame:
    """Every planted entry of this type on the tutorial (two seeds), and whether the careful
    reviewer decided what the type declares right: its fix with the key's value, or a
    rejection naming it."""
    irregularity = FAULTS[code]
    rows = pd.concat([careful_review(seed) for seed in seeds], ignore_index=True)
    # an entry whose person a registry defect touches (a death filed under a living person's ID…)
    # is a conflict for a home visit to settle, not for the type's rule on the first pass
    rows = rows[(rows["fault"] == code) & ~rows["registry_defect"]].copy()
    fixed = ((rows["decision"] == "correct") & (rows["field"] == rows["fix_field"])
             & (rows["value"].astype(str) == rows["fix_value"].astype(str)))
    rejected = (rows["decision"] == "reject") & (rows["reason"] == code)
    rows["right"] = fixed if irregularity.correctable else rejected
    if irregularity.rejecting_is_right_too:
        rows["right"] |= rejected
    return rows
