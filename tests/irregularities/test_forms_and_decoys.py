"""Issue 11, from the answer key: every irregularity type appears in more than one form, and
every shipped scenario has grey cases (entitled look-alikes) of several kinds, at least as many
as its faulty entries. And the two reviewers: the careful one weighs the grey cases right, the
rules-only one does not."""

from __future__ import annotations

import functools

import pandas as pd
import pytest

from sandbox.cli.play import play
from sandbox.irregularities import FAULTS, LOOK_ALIKES
from sandbox.platform.rosters import build_collection
from sandbox.programs import entitlements
from sandbox.programs.choices import catalogue
from sandbox.scenario import Scenario, load_scenario
from sandbox.scenario.library import shipped_names
from sandbox.world import generate_world

# The programs a type can be planted in; a scenario that enables none of them cannot show it.
PLANTED_IN = {
    "public_employee": {"dibao", "tekun", "farmland_fertility"},
    "cadre_relative": {"dibao", "tekun", "farmland_fertility"},
    "dead_payee": {"basic_pension", "old_age_allowance", "severe_disability_care", "dibao"},
    "inflated_area": {"farmland_fertility", "grain_growers", "ecological_forest"},
    "ineligible": {"basic_pension", "severe_disability_care", "old_age_allowance", "disabled_living"},
}
SEEDS = (1, 2, 3, 4, 5)


@functools.cache
def key_of(name: str, seed: int) -> tuple[Scenario, pd.DataFrame]:
    scenario = load_scenario(name, seed=seed)
    world = generate_world(scenario)
    return scenario, build_collection(world, scenario, entitlements(world, scenario)).key


def expected_types(scenario: Scenario) -> list[str]:
    enabled = {program.code for program in catalogue(scenario)}
    return [code for code in FAULTS if getattr(scenario.irregularities, code) > 0
            and (code not in PLANTED_IN or PLANTED_IN[code] & enabled)]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", shipped_names())
def test_every_type_shows_two_forms(name: str, seed: int) -> None:
    scenario, key = key_of(name, seed)
    faults = key[key["fault"] != ""]
    for code in expected_types(scenario):
        cases = faults[faults["fault"] == code]
        assert len(cases), f"{name} seed {seed}: no {code} planted"
        forms = max(cases["program"].nunique(), cases["pattern"].nunique())
        assert forms >= 2, (f"{name} seed {seed}: {code} in one form only "
                            f"({cases['program'].unique()}, {cases['pattern'].unique()})")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", shipped_names())
def test_decoys_of_three_kinds_outnumber_the_faults(name: str, seed: int) -> None:
    _, key = key_of(name, seed)
    decoys = key[(key["look_alike"] != "") & (key["fault"] == "")]
    assert decoys["look_alike"].nunique() >= 3, decoys["look_alike"].value_counts().to_dict()
    assert len(decoys) >= (key["fault"] != "").sum()
    assert set(decoys["look_alike"]) <= set(LOOK_ALIKES)


def test_the_richer_forms_are_planted_on_zhoukou() -> None:
    """The forms the issue names, on the Zhoukou township (seed 1)."""
    _, key = key_of("zhoukou-2022", 1)
    faults = key[key["fault"] != ""]
    pairs = set(zip(faults["fault"], faults["pattern"], strict=True))
    for pair in [("dead_payee", "late_registration"), ("dead_payee", "registered_death"),
                 ("public_employee", "farmland_no_contract"), ("public_employee", "tekun_claim"),
                 ("cadre_relative", "farmland_no_contract"), ("ineligible", "allowance_under_80"),
                 ("inflated_area", "grain_growers"), ("inflated_area", "ecological_forest")]:
        assert pair in pairs, pair
    dead = faults[faults["fault"] == "dead_payee"]
    assert dead["program"].nunique() >= 2
    late = dead[dead["pattern"] == "late_registration"]
    assert set(late["evidence_registry"]) <= {"cremations", "medical_insurance"}
    decoys = set(key["look_alike"])
    assert {"farm_vehicle", "retired_staff", "rented_in", "former_name", "same_name", "late_death"} <= decoys


def test_every_look_alike_explains_itself_in_both_languages() -> None:
    for alike in LOOK_ALIKES.values():
        assert all((alike.zh, alike.en, alike.why_zh, alike.why_en, alike.tip_zh, alike.tip_en))


@pytest.mark.parametrize("seed", (1, 2))
def test_careful_weighs_grey_cases_and_rules_only_does_not(seed: int) -> None:
    careful = play("tutorial", "careful", seed, "en").report().summary()
    rules = play("tutorial", "rules-only", seed, "en").report().summary()
    assert careful["stages"]["review"] >= 90  # a few home visits cost what they cost (docs/scoring.md)
    assert rules["stages"]["review"] < careful["stages"]["review"] - 10
    denied = [m for m in careful["misses"] if m["stage"] == "review" and m["kind"] == "wrongful_denial"]
    assert not denied
    # the rules-only script misses the deaths that are not registered yet, and miscorrects
    # former names: both appear among its misses, named
    faults = {(m["kind"], m["fault"]) for m in rules["misses"] if m["stage"] == "review"}
    assert ("let_through", "dead_payee") in faults
    assert ("wrong_correction", "former_name") in faults
