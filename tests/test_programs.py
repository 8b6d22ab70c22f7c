"""The subsidy catalogue: eligibility edges, amounts, scenario overrides, errors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

from sandbox import programs as prog
from sandbox.errors import SandboxError, ScenarioError
from sandbox.programs import (
    PROGRAMS,
    Condition,
    amount_for,
    beneficiary_frame,
    catalogue,
    eligible_mask,
    entitlements,
    explain,
)
from sandbox.scenario import (
    PROGRAM_CODES,
    ProgramOverride,
    Programs,
    Scenario,
    load_scenario,
    scenario_path,
)

REPO = Path(__file__).resolve().parents[1]
TUTORIAL = scenario_path("tutorial")
PERIOD_START = dt.date(2022, 5, 1)


@pytest.fixture(scope="module")
def tutorial() -> Scenario:
    return load_scenario(TUTORIAL)


def with_programs(scenario: Scenario, **programs: Any) -> Scenario:
    """The scenario with its `programs` section replaced, validated like a loaded file."""
    data = scenario.model_dump()
    data["programs"] = programs
    return Scenario.model_validate(data)


# --- hand-built worlds following docs/architecture.md ------------------------------------

PERSON_DEFAULTS: dict[str, Any] = {
    "name": "张三", "sex": "男", "age": 40, "relation": "户主", "alive": True,
    "death_date": pd.NaT, "disability_grade": 0, "tekun": False, "public_employee": False,
    "cadre": False, "cadre_relative_of": "", "owns_vehicle": False, "owns_business": False,
    "migrant": False, "pension_insured": True, "orphan": False, "family_planning": False,
}
HOUSEHOLD_DEFAULTS: dict[str, Any] = {
    "size": 1, "farmland_mu": 0.0, "grain_mu": 0.0, "forest_mu": 0.0,
    "dibao": False, "income_per_person": 1000.0,
}


@dataclass
class MiniWorld:
    persons: pd.DataFrame
    households: pd.DataFrame


def world_of(persons: list[dict], households: list[dict] | None = None) -> MiniWorld:
    """Persons (each its own household unless household_id is given) and their households."""
    rows = []
    for i, overrides in enumerate(persons, start=1):
        row = {"person_id": f"P{i:07d}", "household_id": f"H{i:06d}", **PERSON_DEFAULTS, **overrides}
        rows.append(row)
    persons_df = pd.DataFrame(rows)
    persons_df["death_date"] = pd.to_datetime(persons_df["death_date"])
    given = {h["household_id"]: h for h in households or []}
    heads = persons_df[persons_df["relation"] == "户主"].drop_duplicates("household_id")
    head_of = dict(zip(heads["household_id"], heads["person_id"], strict=True))
    households_df = pd.DataFrame([
        {"household_id": hid, "head_person_id": head_of.get(hid, ""),
         **HOUSEHOLD_DEFAULTS, **{k: v for k, v in given.get(hid, {}).items() if k != "household_id"}}
        for hid in sorted(persons_df["household_id"].unique())
    ])
    return MiniWorld(persons_df, households_df)


def frame_of(world: MiniWorld) -> pd.DataFrame:
    return beneficiary_frame(world.persons, world.households, PERIOD_START)


def eligible(code: str, world: MiniWorld, scenario: Scenario | None = None) -> list[bool]:
    program = next(p for p in catalogue(scenario) if p.code == code)
    return eligible_mask(program, frame_of(world)).tolist()


# --- eligibility edges ----------------------------------------------------------------------


def test_pension_starts_at_exactly_60_and_needs_insurance() -> None:
    world = world_of([{"age": 59}, {"age": 60}, {"age": 75, "pension_insured": False}])
    assert eligible("basic_pension", world) == [False, True, False]


@pytest.mark.parametrize(
    ("age", "amount"),
    [(79, None), (80, 50.0), (89, 50.0), (90, 100.0), (99, 100.0), (100, 300.0), (104, 300.0)],
)
def test_old_age_allowance_tier_boundaries(age: int, amount: float | None) -> None:
    world = world_of([{"age": age}])
    found = entitlements(world, load_scenario(TUTORIAL))
    rows = found[found["program"] == "old_age_allowance"]
    assert rows["amount"].tolist() == ([] if amount is None else [amount])


def test_death_before_the_period_excludes_and_after_it_does_not(tutorial: Scenario) -> None:
    world = world_of([
        {"age": 70, "alive": False, "death_date": dt.date(2022, 4, 30)},  # day before start
        {"age": 70, "alive": False, "death_date": dt.date(2022, 5, 1)},   # on the first day
        {"age": 70, "alive": False, "death_date": dt.date(2022, 5, 20)},  # within the period
        {"age": 70, "alive": False, "death_date": dt.date(2022, 6, 10)},  # after period_end
        {"age": 70},
    ])
    assert eligible("basic_pension", world) == [False, True, True, True, True]


def test_grade_3_disability_is_not_severe() -> None:
    world = world_of([{"disability_grade": g} for g in (0, 1, 2, 3, 4)])
    assert eligible("severe_disability_care", world) == [False, True, True, False, False]


def test_disabled_living_needs_a_dibao_household() -> None:
    world = world_of(
        [{"disability_grade": 3}, {"disability_grade": 3}, {"disability_grade": 0}],
        [{"household_id": "H000001", "dibao": True}, {"household_id": "H000003", "dibao": True}],
    )
    assert eligible("disabled_living", world) == [True, False, False]


def test_orphans_are_children_and_family_planning_starts_at_60() -> None:
    world = world_of([
        {"orphan": True, "age": 17}, {"orphan": True, "age": 18}, {"orphan": False, "age": 8},
    ])
    assert eligible("orphans", world) == [True, False, False]
    world = world_of([{"family_planning": True, "age": 59}, {"family_planning": True, "age": 60}])
    assert eligible("family_planning", world) == [False, True]


def test_missing_column_is_a_clear_error() -> None:
    frame = pd.DataFrame({"person_id": ["P0000001"], "age": [70], "alive_at_period_start": [True]})
    with pytest.raises(SandboxError, match="pension_insured"):
        eligible_mask(PROGRAMS["basic_pension"], frame)


def test_conditions_only_name_contract_columns() -> None:
    """Every rule reads a column of docs/architecture.md (or a derived one)."""
    architecture = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    derived = {"alive_at_period_start", "is_head"}
    for program in catalogue():
        for condition in program.all_conditions:
            assert condition.field in derived or f"`{condition.field}`" in architecture, (
                program.code, condition.field)


def test_condition_rejects_unknown_operator_and_field() -> None:
    with pytest.raises(ValueError, match="operator"):
        Condition("age", "=>", 60)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="field"):
        Condition("birthday", ">=", 60)


# --- amounts ---------------------------------------------------------------------------------


def test_dibao_is_the_gap_to_standard_times_size_paid_to_the_head(tutorial: Scenario) -> None:
    world = world_of(
        [{"relation": "户主"}, {"relation": "配偶", "household_id": "H000001"},
         {"relation": "子", "household_id": "H000001"}, {"relation": "户主"}],
        [{"household_id": "H000001", "size": 3, "dibao": True, "income_per_person": 250.5},
         {"household_id": "H000004", "size": 1, "dibao": True, "income_per_person": 450.0}],
    )
    rows = entitlements(world, tutorial)
    dibao = rows[rows["program"] == "dibao"]
    standard = PROGRAMS["dibao"].formula.standard
    # one line per household, to the head; the household above the standard gets nothing
    assert dibao[["household_id", "payee_person_id", "quantity"]].values.tolist() == [
        ["H000001", "P0000001", 3.0]
    ]
    assert dibao["amount"].iloc[0] == round((standard - 250.5) * 3, 2)


def test_per_mu_amount_is_rounded_to_the_fen_and_quantity_is_the_area(tutorial: Scenario) -> None:
    world = world_of([{}], [{"household_id": "H000001", "farmland_mu": 3.7, "forest_mu": 2.3}])
    rows = entitlements(world, tutorial).set_index("program")
    rate = PROGRAMS["farmland_fertility"].formula.rate
    assert rows.loc["farmland_fertility", "quantity"] == 3.7
    assert rows.loc["farmland_fertility", "amount"] == round(3.7 * rate, 2)
    assert rows.loc["ecological_forest", "amount"] == round(2.3 * 13.0, 2)


def test_household_programs_go_to_the_head_and_person_programs_to_the_person(
    tutorial: Scenario,
) -> None:
    world = world_of(
        [{"relation": "户主", "age": 50}, {"relation": "母亲", "age": 82, "household_id": "H000001"}],
        [{"household_id": "H000001", "size": 2, "farmland_mu": 4.0}],
    )
    rows = entitlements(world, tutorial).set_index("program")
    assert rows.loc["farmland_fertility", "payee_person_id"] == "P0000001"
    assert rows.loc["old_age_allowance", "person_id"] == "P0000002"
    assert rows.loc["old_age_allowance", "payee_person_id"] == "P0000002"


def test_tekun_is_a_multiple_of_the_dibao_standard(tutorial: Scenario) -> None:
    scenario = with_programs(tutorial, overrides={"dibao": {"standard": 500}})
    tekun = next(p for p in catalogue(scenario) if p.code == "tekun")
    world = world_of([{"tekun": True}])
    assert amount_for(tekun, frame_of(world)).tolist() == [650.0]


def test_entitlement_columns_and_order_are_fixed(tutorial: Scenario) -> None:
    world = world_of([{"age": 85}, {"age": 70}], [{"household_id": "H000002", "farmland_mu": 1.0}])
    shuffled = MiniWorld(world.persons.iloc[::-1], world.households.iloc[::-1])
    a, b = entitlements(world, tutorial), entitlements(shuffled, tutorial)
    assert list(a.columns) == prog.ENTITLEMENT_COLUMNS
    pd.testing.assert_frame_equal(a, b)
    assert a["program"].tolist() == ["farmland_fertility", "basic_pension", "basic_pension",
                                     "old_age_allowance"]


# --- scenario overrides ----------------------------------------------------------------------


def test_enabled_subset_and_disabling_by_override(tutorial: Scenario) -> None:
    scenario = with_programs(
        tutorial, enabled=["basic_pension", "dibao", "tekun"], overrides={"dibao": {"enabled": False}}
    )
    assert [p.code for p in catalogue(scenario)] == ["basic_pension", "tekun"]
    world = world_of([{"age": 70, "tekun": True}], [{"household_id": "H000001", "dibao": True}])
    assert set(entitlements(world, scenario)["program"]) == {"basic_pension", "tekun"}


def test_overrides_change_the_standard(tutorial: Scenario) -> None:
    scenario = with_programs(tutorial, overrides={
        "basic_pension": {"amount": 130},
        "farmland_fertility": {"rate_per_mu": 100},
        "old_age_allowance": {"tiers": [[75, 30], [85, 80]]},
    })
    world = world_of([{"age": 76}, {"age": 86}], [{"household_id": "H000001", "farmland_mu": 2.5}])
    rows = entitlements(world, scenario)
    pension = rows[rows["program"] == "basic_pension"]["amount"].tolist()
    allowance = rows[rows["program"] == "old_age_allowance"]["amount"].tolist()
    farmland = rows[rows["program"] == "farmland_fertility"]["amount"].tolist()
    assert pension == [130.0, 130.0]
    assert allowance == [30.0, 80.0]  # 76 is now in the first band
    assert farmland == [250.0]
    assert "75" in next(p for p in catalogue(scenario) if p.code == "old_age_allowance").rule("en")


def test_unknown_program_code_names_it_with_a_suggestion(tutorial: Scenario) -> None:
    # The loader already refuses unknown codes; catalogue() checks again for scenarios built
    # in code without validation, so neither path can run a program nobody defined.
    unchecked = tutorial.model_copy(update={"programs": Programs.model_construct(
        enabled=["dibao", "basic_pensoin"], overrides={"tekunn": ProgramOverride()})})
    with pytest.raises(ScenarioError) as caught:
        catalogue(unchecked)
    message = str(caught.value)
    assert "'basic_pensoin'" in message and "did you mean 'basic_pension'" in message
    assert "programs.overrides.tekunn" in message and "did you mean 'tekun'" in message


def test_unknown_program_code_in_a_file_fails_to_load(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text(f"extends: {TUTORIAL}\nprograms:\n  overrides:\n    dibo: {{standard: 500}}\n",
                    encoding="utf-8")
    with pytest.raises(ScenarioError, match="did you mean 'dibao'"):
        load_scenario(path)


def test_schema_and_catalogue_agree_on_program_codes() -> None:
    assert tuple(PROGRAMS) == PROGRAM_CODES


def test_override_key_that_does_not_fit_the_rule_is_rejected(tutorial: Scenario) -> None:
    scenario = with_programs(tutorial, overrides={"tekun": {"rate_per_mu": 5}})
    with pytest.raises(ScenarioError, match="rate_per_mu.*does not apply"):
        catalogue(scenario)


def test_string_formula_in_an_override_is_rejected_by_the_schema(tmp_path: Path) -> None:
    """Nothing evaluates scenario text: a formula where a number belongs fails to load."""
    path = tmp_path / "formula.yaml"
    path.write_text(
        f"extends: {TUTORIAL}\nprograms:\n  overrides:\n    dibao:\n"
        "      standard: \"__import__('os').system('echo hi') or 450\"\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert "programs.overrides.dibao.standard" in str(caught.value)
    assert ":5:" in str(caught.value)  # the line of the bad value


# --- words -----------------------------------------------------------------------------------


def test_explain_and_rule_text_follow_the_structure() -> None:
    pension = PROGRAMS["basic_pension"]
    assert pension.rule("en") == "age ≥ 60 and insured in the residents' pension"
    assert "年龄 ≥ 60" in pension.rule("zh")
    text = explain(pension, "zh")
    assert "城乡居民基础养老金" in text and "人社" in text and "¥118.00" in text
    assert "human resources" in explain(pension, "en")


def test_catalogue_has_the_codes_authors_use() -> None:
    codes = {"farmland_fertility", "grain_growers", "basic_pension", "old_age_allowance", "dibao",
             "tekun", "disabled_living", "severe_disability_care", "orphans", "family_planning",
             "ecological_forest"}
    assert codes <= set(PROGRAMS)
    for p in PROGRAMS.values():
        assert p.department in prog.DEPARTMENTS and p.zh and p.en and p.document


def test_cli_lists_the_scenarios_catalogue(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from sandbox.cli import main

    path = tmp_path / "few.yaml"
    path.write_text(f"extends: {TUTORIAL}\nprograms:\n  enabled: [dibao, basic_pension]\n",
                    encoding="utf-8")
    assert main(["programs", str(path)]) == 0
    out = capsys.readouterr().out
    assert "城乡低保" in out and "basic pension" in out and "耕地地力" not in out
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {TUTORIAL}\nprograms:\n  enabled: [dibaoo]\n", encoding="utf-8")
    assert main(["programs", str(bad)]) == 2
    assert "did you mean 'dibao'" in capsys.readouterr().err


# --- with the real world generator, when it exists ----------------------------------------


def _generate_world() -> Any:
    world_module = pytest.importorskip("sandbox.world")
    generate = getattr(world_module, "generate_world", None)
    if generate is None:
        pytest.skip("sandbox.world.generate_world is not written yet")
    return generate


def test_tutorial_world_entitlements_are_plausible(tutorial: Scenario) -> None:
    world = _generate_world()(tutorial)
    rows = entitlements(world, tutorial)
    p = world.persons
    alive_start = beneficiary_frame(p, world.households, tutorial.calendar.period_start)[
        "alive_at_period_start"]
    elderly = (p["age"] >= 60) & alive_start
    pensioners = rows[rows["program"] == "basic_pension"]["person_id"]
    # most living people of 60+ are insured and get the pension; nobody under 60 does
    assert pensioners.isin(p.loc[elderly, "person_id"]).all()
    assert len(pensioners) >= 0.7 * elderly.sum() > 0
    farmland = rows[rows["program"] == "farmland_fertility"]
    assert farmland["household_id"].is_unique and len(farmland) >= 0.5 * len(world.households)
    assert (rows["amount"] > 0).all() and (rows["amount"] == rows["amount"].round(2)).all()
    assert entitlements(world, tutorial).equals(rows)  # deterministic


def test_world_protocol_accepts_any_object_with_frames(tutorial: Scenario) -> None:
    world = world_of([{"age": 65}])
    as_namespace = SimpleNamespace(persons=world.persons, households=world.households)
    assert entitlements(as_namespace, tutorial)["program"].tolist() == ["basic_pension"]


def test_program_lookup_by_code(tutorial: Scenario) -> None:
    assert prog.program("dibao").zh == "城乡低保"
    with pytest.raises(SandboxError, match="did you mean 'orphans'"):
        prog.program("orphan")
    only_pension = with_programs(tutorial, enabled=["basic_pension"])
    with pytest.raises(SandboxError, match="not enabled"):
        prog.program("dibao", only_pension)
