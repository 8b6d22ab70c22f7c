"""Scenario files: every malformed file is refused with file, line, field, found and expected."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sandbox.errors import ScenarioError, ScenarioProblem
from sandbox.scenario import (
    PROGRAM_CODES,
    ZHOUKOU_COUNTIES,
    Scenario,
    load_scenario,
    scenario_from_dict,
)
from sandbox.scenario.docs import FIELDS_END, FIELDS_START, fields_markdown, schema_fields
from sandbox.scenario.library import shipped_root

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = shipped_root()
AUTHORING = ROOT / "docs" / "authoring.md"
MARK = "# <-"  # marks the line an error must point at

BASE = """\
name: base
title:
  zh: 基础
  en: Base
seed: 7
calendar:
  as_of: 2022-06-01
  period_start: 2022-05-01
  period_end: 2022-05-31
region:
  counties: [商水县]
  households_per_village: 60
"""


def base_with(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new)


def base_plus(text: str) -> str:
    return BASE + text


@dataclass
class Case:
    id: str
    files: dict[str, str]  # "main.yaml" is the one loaded
    field: str
    found: list[str]
    expected: list[str]
    at: str = "main.yaml"  # the file the error must name; its MARK line is the line
    line: int | None = -1  # -1: take the MARK line; else this line (None: no line)
    extra: dict[str, str] = field(default_factory=dict)


def main(text: str) -> dict[str, str]:
    return {"main.yaml": text}


CASES = [
    Case("unknown top-level key", main(base_plus("regoin: 1  # <-\n")),
         "regoin", ["unknown key 'regoin'", "did you mean 'region'"], ["one of the keys", "region"]),
    Case("key in the wrong section", main(base_plus("households_per_village: 90  # <-\n")),
         "households_per_village", ["belongs under 'region:'"], ["keys of the top level"]),
    Case("misspelt nested key", main(base_with("  households_per_village: 60", "  househods_per_village: 60  # <-")),
         "region.househods_per_village", ["did you mean 'households_per_village'"], ["keys of region"]),
    Case("rate 1.5", main(base_plus("population:\n  elderly_share: 1.5  # <-\n")),
         "population.elderly_share", ["1.5"], ["a number from 0 to 1"]),
    Case("small rate above its bound", main(base_plus("population:\n  dead_share: 0.7  # <-\n")),
         "population.dead_share", ["0.7"], ["a number from 0 to 0.5"]),
    Case("negative households", main(base_with("households_per_village: 60", "households_per_village: -3  # <-")),
         "region.households_per_village", ["-3"], ["a whole number from 5 to 2000"]),
    Case("households 10**12", main(base_with("households_per_village: 60", "households_per_village: 1000000000000  # <-")),
         "region.households_per_village", ["1000000000000"], ["a whole number from 5 to 2000"]),
    Case("region too large in total",
         main(base_with("  households_per_village: 60",
                        "  townships_per_county: 40\n  villages_per_township: 60\n  households_per_village: 2000")
              .replace("region:", "region:  # <-")),
         "region", ["4,800,000 households", "40 townships"], ["at most 1,000,000 households"]),
    Case("string for a whole number", main(base_with("households_per_village: 60", "households_per_village: sixty  # <-")),
         "region.households_per_village", ["'sixty'"], ["a whole number"]),
    Case("yes for a number", main(base_plus("population:\n  vehicle_share: yes  # <-\n")),
         "population.vehicle_share", ["true"], ["a number from 0 to 1"]),
    Case("bad date", main(base_with("period_end: 2022-05-31", "period_end: 2022-13-01  # <-")),
         "calendar.period_end", ["'2022-13-01'"], ["YYYY-MM-DD"]),
    Case("period_end before start", main(base_with("period_end: 2022-05-31", "period_end: 2022-04-30  # <-")),
         "calendar.period_end", ["2022-04-30", "before period_start 2022-05-01"], ["on or after period_start"]),
    Case("date out of range", main(base_with("as_of: 2022-06-01", "as_of: 1900-06-01  # <-")),
         "calendar.as_of", ["1900-06-01"], ["from 1990-01-01"]),
    Case("unknown county", main(base_with("  counties: [商水县]", "  counties:\n    - 411623\n    - 商水  # <-")),
         "region.counties[2]", ["unknown county '商水'", "did you mean '商水县'"], ["411623 商水县"]),
    Case("duplicate county", main(base_with("  counties: [商水县]", "  counties:\n    - 商水县\n    - '411623'  # <-")),
         "region.counties[2]", ["'411623' a second time"], ["each county listed once"]),
    Case("missing required field: line of its section",
         main(base_with("  period_end: 2022-05-31\n", "").replace("calendar:", "calendar:  # <-")),
         "calendar.period_end", ["no period_end"], ["required", "YYYY-MM-DD"]),
    Case("missing top-level field", main(base_with("seed: 7\n", "")),
         "seed", ["no seed"], ["required", "a whole number"], line=1),
    Case("wrong mode with suggestion", main(base_plus("mode: exams  # <-\n")),
         "mode", ["'exams'", "did you mean 'exam'"], ["practice, exam"]),
    Case("bad name pattern", main(base_with("name: base", "name: My Scenario  # <-")),
         "name", ["'My Scenario'"], ["lowercase letters", "zhoukou-2022"]),
    Case("text where a section is expected", main(base_with("title:\n  zh: 基础\n  en: Base", "title: hello  # <-")),
         "title", ["'hello'"], ["a section", "zh, en"]),
    Case("card status rates sum over 0.5",
         main(base_plus("cards:\n  status_rates:  # <-\n    not_activated: 0.3\n    frozen: 0.3\n")),
         "cards.status_rates", ["adding up to 0.6"], ["at most 0.5"]),
    Case("irregularities sum too large",
         main(base_plus("irregularities:  # <-\n" + "".join(
             f"  {k}: 0.1\n" for k in ("dead_payee", "duplicate", "ineligible", "over_standard",
                                       "public_employee", "proxy_account", "inflated_area")))),
         "irregularities", ["adding up to 0.7"], ["at most 0.6"]),
    Case("masking reveals too much", main(base_plus("masking:\n  id_keep_start: 10\n  id_keep_end: 6  # <-\n")),
         "masking.id_keep_end", ["16 of the 18"], ["at most 12"]),
    Case("bank cut-off before opening", main(base_plus("bank:\n  opening_hour: 9\n  cutoff_hour: 8  # <-\n")),
         "bank.cutoff_hour", ["8 (opening_hour is 9)"], ["later than the opening hour"]),
    Case("outage missing its length", main(base_plus("bank:\n  outages:\n    - day: 1  # <-\n      start_hour: 10\n")),
         "bank.outages[1].hours", ["no hours"], ["required", "above 0 and at most 24"]),
    Case("unknown program with suggestion", main(base_plus("programs:\n  enabled: [dibao, grain_grower]  # <-\n")),
         "programs.enabled[2]", ["'grain_grower'", "did you mean 'grain_growers'"], ["farmland_fertility"]),
    Case("unknown program override", main(base_plus("programs:\n  overrides:\n    old_age:  # <-\n      amount: 60\n")),
         "programs.overrides.old_age", ["did you mean 'old_age_allowance'"], ["program codes"]),
    Case("tier without amount",
         main(base_plus("programs:\n  overrides:\n    old_age_allowance:\n      tiers:\n"
                        "        - [80, 50]\n        - [90]  # <-\n")),
         "programs.overrides.old_age_allowance.tiers[2]", ["[90]"], ["a pair [min_age, amount]"]),
    Case("tier amount not a number",
         main(base_plus("programs:\n  overrides:\n    old_age_allowance:\n      tiers:\n"
                        "        - [80, fifty]  # <-\n")),
         "programs.overrides.old_age_allowance.tiers[1].amount", ["'fifty'"], ["a number of yuan"]),
    Case("tiers not rising",
         main(base_plus("programs:\n  overrides:\n    old_age_allowance:\n      tiers:\n"
                        "        - [90, 100]\n        - [80, 50]  # <-\n")),
         "programs.overrides.old_age_allowance.tiers[2].min_age", ["min_age 80 after min_age 90"], ["higher"]),
    Case("override amount negative",
         main(base_plus("programs:\n  overrides:\n    dibao:\n      standard: -5  # <-\n")),
         "programs.overrides.dibao.standard", ["-5"], ["a number from 0 to 100000"]),
    Case("a number as a key", main(base_plus("review:\n  1: 2  # <-\n")),
         "review", ["the key 1"], ["keys written as words"]),
    Case(".nan for a number", main(base_plus("calibration:\n  first_pass_success_rate: .nan  # <-\n")),
         "calibration.first_pass_success_rate", ["nan"], ["not .inf or .nan"]),
    Case("YAML syntax error", main(base_plus("population:\n  elderly_share: [0.2\n  migrant_share: 0.3  # <-\n")),
         "", ["not closed"], ["valid YAML"]),
    Case("tab-indented YAML", main(base_plus("population:\n\telderly_share: 0.2  # <-\n")),
         "", ["a tab character"], ["spaces, never tabs"]),
    Case("duplicate key", main(base_plus("seed: 8  # <-\n")),
         "", ["the key 'seed' twice", "first on line 5"], ["each key once"]),
    Case("empty file", main(""), "", ["an empty file"], ["name, title, seed"], line=None),
    Case("only comments", main("# nothing yet\n"), "", ["an empty file"], ["scenario fields"], line=None),
    Case("list at top level", main("- name: base\n"), "", ["a list at the top level"], ["a mapping"], line=1),
    Case("extends a missing file", main("extends: nope.yaml  # <-\nname: child\n"),
         "extends", ["'nope.yaml'", "no such file"], ["relative to this one"]),
    Case("extends cycle", {"main.yaml": "extends: other.yaml\n", "other.yaml": "extends: main.yaml  # <-\n"},
         "extends", ["circle", "main.yaml → other.yaml → main.yaml"], ["ends in a file without extends"],
         at="other.yaml"),
    Case("extends a number", main("extends: 3  # <-\n"), "extends", ["3"], ["path of another scenario file"]),
    Case("invalid inherited field is reported against the parent",
         {"parent.yaml": base_with("households_per_village: 60", "households_per_village: 2  # <-"),
          "main.yaml": "extends: parent.yaml\nname: child\nregion:\n  townships_per_county: 2\n"},
         "region.households_per_village", ["2"], ["from 5 to 2000"], at="parent.yaml"),
    Case("invalid override is reported against the child",
         {"parent.yaml": BASE,
          "main.yaml": "extends: parent.yaml\nname: child\nregion:\n  villages_per_township: 0  # <-\n"},
         "region.villages_per_township", ["0"], ["from 1 to 60"]),
]


def write_files(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path / "main.yaml"


def expected_line(case: Case, tmp_path: Path) -> int | None:
    if case.line != -1:
        return case.line
    lines = (tmp_path / case.at).read_text(encoding="utf-8").splitlines()
    marked = [number for number, text in enumerate(lines, 1) if MARK in text]
    assert len(marked) == 1, f"case {case.id!r} must mark exactly one line"
    return marked[0]


def load_problems(path: Path) -> list[ScenarioProblem]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return caught.value.problems


def test_there_are_many_malformed_cases() -> None:
    assert len(CASES) >= 20
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_malformed_scenario_is_refused_precisely(case: Case, tmp_path: Path) -> None:
    problems = load_problems(write_files(tmp_path, case.files))
    assert len(problems) == 1, "\n".join(map(str, problems))
    problem = problems[0]
    assert Path(problem.file).name == case.at
    assert problem.line == expected_line(case, tmp_path)
    assert problem.field == case.field
    for fragment in case.found:
        assert fragment in problem.found
    for fragment in case.expected:
        assert fragment in problem.expected
    # the one-line form a trainer reads carries all of it
    text = str(problem)
    assert text.startswith(f"{problem.file}:{problem.line}" if problem.line else problem.file)
    assert problem.found in text and problem.expected in text


def test_messages_avoid_pydantic_jargon(tmp_path: Path) -> None:
    """Trainers read these: no 'Input should be', 'valid integer', or Python type names."""
    for case in CASES:
        folder = tmp_path / re.sub(r"\W+", "_", case.id)
        folder.mkdir()
        for problem in load_problems(write_files(folder, case.files)):
            text = str(problem)
            for jargon in ("Input should", "valid integer", "float", "NoneType", "dict", "Value error"):
                assert jargon not in text, f"{case.id}: {text}"


def test_several_problems_are_reported_together_in_line_order(tmp_path: Path) -> None:
    text = base_with("households_per_village: 60", "households_per_village: 1") + "mode: test\nseedd: 3\n"
    problems = load_problems(write_files(tmp_path, main(text)))
    assert [p.field for p in problems] == ["region.households_per_village", "mode", "seedd"]
    assert [p.line for p in problems] == sorted(p.line or 0 for p in problems)


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_scenarios_load(path: Path) -> None:
    scenario = load_scenario(path)
    assert isinstance(scenario, Scenario)
    assert set(scenario.region.counties) <= set(ZHOUKOU_COUNTIES)


def test_shipped_examples_load() -> None:
    examples = sorted((SCENARIOS / "examples").glob("*.yaml"))
    assert examples, "docs/authoring.md points at the shipped examples"
    for path in examples:
        load_scenario(path)


def test_tutorial_resolves_county_names_to_codes() -> None:
    assert load_scenario(SCENARIOS / "tutorial.yaml").region.counties == ["411623"]


def test_seed_argument_replaces_the_files_seed() -> None:
    assert load_scenario(SCENARIOS / "tutorial.yaml", seed=5).seed == 5
    assert load_scenario(SCENARIOS / "tutorial.yaml").seed == 20220601


@pytest.mark.parametrize("seed", [-1, 10**13, True])
def test_seed_argument_is_checked(seed: object) -> None:
    with pytest.raises(ScenarioError, match="seed"):
        load_scenario(SCENARIOS / "tutorial.yaml", seed=seed)  # type: ignore[arg-type]


def test_extends_overrides_only_what_it_says(tmp_path: Path) -> None:
    parent = base_plus("population:\n  elderly_share: 0.3\n  migrant_share: 0.4\n"
                       "programs:\n  overrides:\n    dibao:\n      standard: 500\n      enabled: false\n")
    child = ("extends: parent.yaml\nname: child\nregion:\n  townships_per_county: 3\n"
             "population:\n  elderly_share: 0.25\nprograms:\n  overrides:\n    dibao:\n      standard: 520\n")
    (tmp_path / "parent.yaml").write_text(parent, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "child.yaml").write_text(child.replace("parent.yaml", "../parent.yaml"), encoding="utf-8")
    scenario = load_scenario(tmp_path / "sub" / "child.yaml")
    assert scenario.name == "child"
    assert scenario.region.townships_per_county == 3
    assert scenario.region.households_per_village == 60  # inherited beside the override
    assert scenario.region.counties == ["411623"]
    assert scenario.population.elderly_share == 0.25
    assert scenario.population.migrant_share == 0.4
    dibao = scenario.programs.overrides["dibao"]
    assert (dibao.standard, dibao.enabled) == (520, False)
    assert scenario.seed == 7


def test_extends_replaces_lists_whole(tmp_path: Path) -> None:
    (tmp_path / "parent.yaml").write_text(base_with("[商水县]", "[商水县, 沈丘县]"), encoding="utf-8")
    (tmp_path / "main.yaml").write_text("extends: parent.yaml\nregion:\n  counties: [项城市]\n", encoding="utf-8")
    assert load_scenario(tmp_path / "main.yaml").region.counties == ["411681"]


def test_extends_chain_too_long(tmp_path: Path) -> None:
    (tmp_path / "s0.yaml").write_text(BASE, encoding="utf-8")
    for index in range(1, 8):
        (tmp_path / f"s{index}.yaml").write_text(f"extends: s{index - 1}.yaml\n", encoding="utf-8")
    load_scenario(tmp_path / "s5.yaml")
    with pytest.raises(ScenarioError, match="levels of extends"):
        load_scenario(tmp_path / "s7.yaml")


def test_scenario_from_dict_matches_the_file_loader() -> None:
    import yaml

    data = yaml.safe_load((SCENARIOS / "zhoukou-2022.yaml").read_text(encoding="utf-8"))
    assert scenario_from_dict(data) == load_scenario(SCENARIOS / "zhoukou-2022.yaml")


def test_scenario_from_dict_reports_source_field_and_words() -> None:
    data = {"name": "x", "title": {"zh": "甲", "en": "A"}, "seed": 1,
            "calendar": {"as_of": "2022-06-01", "period_start": "2022-05-01", "period_end": "2022-05-31"},
            "region": {"counties": ["商水县"], "households_per_village": 10**12}}
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict(data, source="notebook cell 3")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.field) == ("notebook cell 3", None, "region.households_per_village")
    assert problem.expected == "a whole number from 5 to 2000"
    assert data["region"]["households_per_village"] == 10**12  # the caller's dict is untouched


def test_scenario_from_dict_extends_relative_to_source(tmp_path: Path) -> None:
    (tmp_path / "parent.yaml").write_text(BASE, encoding="utf-8")
    scenario = scenario_from_dict({"extends": "parent.yaml", "name": "nb"}, source=str(tmp_path / "cell.yaml"))
    assert (scenario.name, scenario.seed) == ("nb", 7)


def test_scenario_from_dict_refuses_a_non_dict() -> None:
    with pytest.raises(ScenarioError, match="a dict of scenario fields"):
        scenario_from_dict(["name"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("content", "found"),
    [
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "a binary file"),
        ("name: 周口\ntitle: 商水县\n".encode("gbk"), "GBK"),
        ("name: x\n".encode("utf-16"), "UTF-16"),
        (b"name: caf\xe9\n", "not UTF-8"),
    ],
    ids=["binary", "gbk", "utf-16", "latin-1"],
)
def test_files_that_are_not_utf8_text_are_refused(tmp_path: Path, content: bytes, found: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(content)
    (problem,) = load_problems(path)
    assert found in problem.found
    assert "UTF-8" in problem.expected or "text" in problem.expected


def test_utf8_with_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.encode("utf-8"))
    assert load_scenario(path).title.zh == "基础"


def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (problem,) = load_problems(path)
    assert "values" in problem.found


def test_directory_and_missing_file(tmp_path: Path) -> None:
    assert "a folder" in load_problems(tmp_path)[0].found
    assert "no such file" in load_problems(tmp_path / "none.yaml")[0].found


def test_every_program_code_can_be_overridden(tmp_path: Path) -> None:
    overrides = "".join(f"    {code}:\n      enabled: false\n" for code in PROGRAM_CODES)
    path = write_files(tmp_path, main(base_plus("programs:\n  overrides:\n" + overrides)))
    scenario = load_scenario(path)
    assert not any(o.enabled for o in scenario.programs.overrides.values())


def test_program_codes_agree_with_the_catalogue() -> None:
    programs = pytest.importorskip("sandbox.programs")
    catalogue = getattr(programs, "PROGRAMS", None) or getattr(programs, "CATALOGUE", None)
    if catalogue is None:
        pytest.skip("sandbox.programs has no PROGRAMS/CATALOGUE yet")
    codes = set(catalogue) if isinstance(catalogue, dict) else {getattr(p, "code", p) for p in catalogue}
    assert codes == set(PROGRAM_CODES)


# --- the field reference in docs/authoring.md cannot rot -------------------------------------


def test_authoring_doc_field_table_matches_the_schema() -> None:
    doc = AUTHORING.read_text(encoding="utf-8")
    start, end = doc.index(FIELDS_START), doc.index(FIELDS_END) + len(FIELDS_END)
    assert doc[start:end] == fields_markdown(), (
        "docs/authoring.md's field table is out of date: replace it with the output of "
        "`.venv/bin/python -m sandbox.scenario.docs --fields-markdown`"
    )


def test_every_schema_field_is_documented_with_a_meaning() -> None:
    doc = AUTHORING.read_text(encoding="utf-8")
    for field_doc in schema_fields():
        assert f"`{field_doc.path}`" in doc
        assert field_doc.meaning, f"{field_doc.path} needs a description in sandbox/scenario/schema.py"


def yaml_examples(doc: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", doc, flags=re.S)


def test_authoring_doc_yaml_examples_are_valid(tmp_path: Path) -> None:
    """Each ```yaml block in the guide is a valid scenario, or valid on top of the tutorial."""
    examples = yaml_examples(AUTHORING.read_text(encoding="utf-8"))
    assert len(examples) >= 5
    for index, example in enumerate(examples):
        folder = tmp_path / f"ex{index}"
        folder.mkdir()
        text = example
        if "extends:" not in example and "name:" not in example:  # a fragment: on the tutorial
            text = f"extends: tutorial\n{example}"
        (folder / "main.yaml").write_text(text, encoding="utf-8")
        try:
            load_scenario(folder / "main.yaml")
        except ScenarioError as exc:
            pytest.fail(f"example {index + 1} in docs/authoring.md is invalid:\n{example}\n{exc}")


def test_override_key_that_does_not_fit_the_program_points_at_it(tmp_path: Path) -> None:
    pytest.importorskip("sandbox.programs")
    text = base_plus("programs:\n  overrides:\n    farmland_fertility:\n      amount: 100  # <-\n")
    (problem,) = load_problems(write_files(tmp_path, main(text)))
    assert problem.line == text.splitlines().index("      amount: 100  # <-") + 1
    assert problem.field == "programs.overrides.farmland_fertility.amount"
    assert "rate_per_mu" in problem.expected


def test_villages_can_be_sized_by_people(tmp_path):
    child = tmp_path / "people.yaml"
    child.write_text("extends: tutorial\nregion:\n  people_per_village: 320\n"
                     "population:\n  mean_household_size: 4.0\n", encoding="utf-8")
    region = load_scenario(child).region
    assert region.households_per_village == 80 and region.people_per_village == 320
