"""应享未享: entitled people the villages left off the roster, and the platform's key of them.

Only programs whose entitlement the registries show are left off (a reviewer can find the
person by comparing registries with the roster and the catalogue's rules): a new
80-year-old (户籍 birth date), a 低保 or 特困 household (民政 register), a grade-1/2 disabled
person (残疾人证), a contracted farm household (土地承包).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sandbox.rng import rng_for

if TYPE_CHECKING:
    from sandbox.scenario import Scenario

OMITTABLE = ("old_age_allowance", "dibao", "tekun", "severe_disability_care", "disabled_living",
             "farmland_fertility")
FARMLAND_WEIGHT = 0.2
OMITTED_COLUMNS = [
    "program", "person_id", "payee_person_id", "household_id", "village", "name", "id_number",
    "bank", "account_number", "quantity", "amount", "vulnerable", "evidence_zh", "evidence_en",
]


def empty_omitted() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in OMITTED_COLUMNS})


def omit_entitled(world, scenario: Scenario, base: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(roster base without the omitted rows, the omitted rows: OMITTED_COLUMNS).

    `base` is the payee table of true entitlements (one row per program and beneficiary).
    """
    from sandbox.irregularities import (
        MEANS_TESTED,  # here: building, not reading a built county back
    )

    share = scenario.review.omitted_share
    persons = world.persons.set_index("person_id")
    payee = persons.loc[base["payee_person_id"]]
    # A household the world made irregular (a cadre's relative on aid with a car or business
    # hidden) is planted as such, never left off as if it were owed.
    hiding = ((payee["owns_vehicle"] | payee["owns_business"]) & (payee["cadre_relative_of"] != "")).to_numpy()
    candidates = np.flatnonzero(base["program"].isin(OMITTABLE).to_numpy() & ~hiding)
    if share <= 0 or len(candidates) == 0:
        return base, empty_omitted()
    k = max(1, int(round(share * len(candidates))))
    rng = rng_for(scenario.seed, "collection", "omitted")
    # Farmland rows are most of the candidates; the social programs are where omissions hurt.
    weight = np.where(base["program"].to_numpy()[candidates] == "farmland_fertility", FARMLAND_WEIGHT, 1.0)
    chosen = np.sort(rng.choice(candidates, size=min(k, len(candidates)), replace=False, p=weight / weight.sum()))
    left_off = base.iloc[chosen].copy()
    households = world.households.set_index("household_id")
    person = persons.loc[left_off["person_id"]]
    dibao = person["household_id"].map(households["dibao"]).fillna(False).to_numpy(dtype=bool)
    left_off["vulnerable"] = (left_off["program"].isin(MEANS_TESTED).to_numpy() | dibao
                              | person["tekun"].to_numpy(dtype=bool)
                              | (person["disability_grade"].to_numpy() > 0))
    texts = [_evidence(row, persons.loc[row["person_id"]], households.loc[row["household_id"]])
             for row in left_off.to_dict("records")]
    left_off["evidence_zh"] = [zh for zh, _ in texts]
    left_off["evidence_en"] = [en for _, en in texts]
    kept = base.drop(base.index[chosen]).reset_index(drop=True)
    return kept, left_off[OMITTED_COLUMNS].reset_index(drop=True)


def _evidence(row: dict, person: pd.Series, household: pd.Series) -> tuple[str, str]:
    """Where a reviewer finds this entitled person: the registry and the rule."""
    name, program = row["name"], row["program"]
    if program == "old_age_allowance":
        born = pd.Timestamp(person["birth_date"])
        return (f"户籍：{person['name']}生于{born:%Y-%m-%d}，已满{person['age']}周岁，应享高龄津贴，名册中没有",
                f"residents: {person['name']} was born {born:%Y-%m-%d}, aged {person['age']}: owed the "
                "old-age allowance, but not on the roster")
    if program in {"dibao", "tekun"}:
        kind = "低保" if program == "dibao" else "特困"
        return (f"{kind}名册：{name}在册，发放名册中没有", f"{kind} register lists {name}; the roster does not")
    if program in {"severe_disability_care", "disabled_living"}:
        grade = int(person["disability_grade"])
        return (f"残疾人证：{person['name']}为{grade}级残疾，符合条件，名册中没有",
                f"disability certificates: {person['name']} has grade {grade}, entitled, but not on the roster")
    return (f"土地承包：{name}户承包耕地{float(household['farmland_mu']):.1f}亩，名册中没有",
            f"land contracts: {name}'s household holds {float(household['farmland_mu']):.1f} mu, not on the roster")
