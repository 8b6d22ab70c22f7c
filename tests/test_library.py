"""Scenarios ship inside the package: found by name from any folder, listed and copied by
`sandbox scenarios`, named by `extends:`, and packed into the wheel."""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from sandbox.cli import main
from sandbox.errors import SandboxError, ScenarioError
from sandbox.scenario import (
    copy_scenario,
    load_scenario,
    scenario_from_dict,
    scenario_path,
    shipped_scenarios,
)
from sandbox.scenario.library import shipped_root
from sandbox.session.session import Session

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sandbox" / "scenario"
COURSE = ["tutorial", "zhoukou-2022"]
EXAMPLES = ["audit-dead-payees", "bank-trouble", "programs-elderly"]


def run_sandbox(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m sandbox ARGS` in another folder, importing this checkout (nothing installed)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "sandbox", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


# --- the registry ------------------------------------------------------------------------------


def test_the_registry_names_every_shipped_file_once() -> None:
    shipped = shipped_scenarios()
    assert list(shipped) == COURSE + EXAMPLES
    assert {s.group for s in shipped.values() if s.name in EXAMPLES} == {"examples"}
    on_disk = sorted(p.relative_to(shipped_root()) for p in shipped_root().rglob("*.yaml"))
    assert sorted(s.path.relative_to(shipped_root()) for s in shipped.values()) == on_disk


def test_every_shipped_scenario_loads_by_name_as_by_path() -> None:
    for name, entry in shipped_scenarios().items():
        assert load_scenario(name) == load_scenario(entry.path), name
        assert entry.title("zh") and entry.title("en"), name


def test_the_yaml_files_are_package_resources() -> None:
    shipped = resources.files("sandbox.scenario").joinpath("shipped")
    assert shipped.joinpath("tutorial.yaml").read_text(encoding="utf-8").startswith("# 入门练习")
    examples = sorted(item.name for item in shipped.joinpath("examples").iterdir())
    assert examples == [f"{name}.yaml" for name in EXAMPLES]


def test_package_data_puts_every_shipped_file_in_the_wheel() -> None:
    """The wheel takes what package-data names (the build itself needs the network, so the
    globs are checked against the files; a wheel built by hand was listed once to match)."""
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["package-data"]["sandbox.scenario"]
    files = [p.relative_to(PACKAGE).as_posix() for p in (PACKAGE / "shipped").rglob("*") if p.is_file()]
    assert files
    missed = [f for f in files if not any(fnmatch.fnmatch(f, g) and f.count("/") == g.count("/") for g in globs)]
    assert not missed, f"package-data leaves out {missed}"


def test_no_copy_of_a_shipped_scenario_lives_outside_the_package() -> None:
    digest = {hashlib.sha256(e.path.read_bytes()).hexdigest() for e in shipped_scenarios().values()}
    outside = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if not d.startswith(".") and Path(folder, d) != PACKAGE]  # .venv, .git
        outside += [Path(folder, f) for f in files if f.endswith((".yaml", ".yml"))]
    copies = [p for p in outside if hashlib.sha256(p.read_bytes()).hexdigest() in digest]
    assert not copies, f"copies of shipped scenarios: {copies}"


# --- names and paths -----------------------------------------------------------------------------


def test_a_name_works_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_scenario("tutorial").name == "tutorial"
    assert Session.start(trainee="anywhere", lang="en").brief()  # the default scenario is by name


def test_a_file_that_exists_wins_over_a_shipped_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    own = scenario_path("tutorial").read_text(encoding="utf-8").replace("seed: 20220601", "seed: 99")
    Path("tutorial").write_text(own, encoding="utf-8")
    assert scenario_path("tutorial") == Path("tutorial")
    assert load_scenario("tutorial").seed == 99


def test_the_old_path_names_the_shipped_scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`scenarios/zhoukou-2022.yaml`, as issue 16 and older docs write it, is the shipped file
    while no such file exists; a file of that path, when there is one, wins."""
    monkeypatch.chdir(tmp_path)
    assert load_scenario("scenarios/tutorial.yaml").name == "tutorial"
    with pytest.raises(ScenarioError) as caught:
        load_scenario("scenarios/tutorail.yaml")
    (problem,) = caught.value.problems
    assert "no such file" in problem.found and "did you mean 'tutorial'" in problem.found
    assert "tutorial, zhoukou-2022" in problem.expected
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "tutorial.yaml").write_text("extends: tutorial\nname: mine\n", encoding="utf-8")
    assert load_scenario("scenarios/tutorial.yaml").name == "mine"


def test_a_mistyped_name_gets_a_suggestion() -> None:
    with pytest.raises(ScenarioError, match="did you mean 'zhoukou-2022'"):
        load_scenario("zhoukou-2021")


def test_extends_takes_a_shipped_name(tmp_path: Path) -> None:
    child = tmp_path / "child.yaml"
    child.write_text("extends: zhoukou-2022\nname: child\nirregularities:\n  dead_payee: 0.04\n", encoding="utf-8")
    scenario = load_scenario(child)
    parent = load_scenario("zhoukou-2022")
    assert (scenario.name, scenario.irregularities.dead_payee) == ("child", 0.04)
    assert scenario.region == parent.region
    assert scenario_from_dict({"extends": "tutorial", "name": "nb"}).region == load_scenario("tutorial").region


def test_extends_prefers_a_file_beside_it(tmp_path: Path) -> None:
    own = scenario_path("tutorial").read_text(encoding="utf-8").replace("seed: 20220601", "seed: 77")
    (tmp_path / "tutorial").write_text(own, encoding="utf-8")
    (tmp_path / "child.yaml").write_text("extends: tutorial\nname: child\n", encoding="utf-8")
    assert load_scenario(tmp_path / "child.yaml").seed == 77


def test_extends_an_unknown_name_points_at_its_line(tmp_path: Path) -> None:
    child = tmp_path / "child.yaml"
    child.write_text("name: child\nextends: tutoral\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(child)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.field) == (str(child), 2, "extends")
    assert "did you mean 'tutorial'" in problem.found
    assert "relative to this one" in problem.expected and "shipped scenario" in problem.expected


# --- copying -------------------------------------------------------------------------------------


def test_a_copied_example_still_loads_away_from_the_package(tmp_path: Path) -> None:
    target = copy_scenario("bank-trouble", tmp_path)
    assert target == tmp_path / "bank-trouble.yaml"
    assert target.read_bytes() == shipped_scenarios()["bank-trouble"].path.read_bytes()
    assert load_scenario(target) == load_scenario("bank-trouble")


def test_copy_never_overwrites_and_names_what_it_needs(tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("kept", encoding="utf-8")
    with pytest.raises(SandboxError, match="already exists"):
        copy_scenario("tutorial", target)
    assert target.read_text(encoding="utf-8") == "kept"
    with pytest.raises(SandboxError, match="did you mean 'tutorial'"):
        copy_scenario("tutorail", tmp_path / "x.yaml")
    with pytest.raises(SandboxError, match="not a folder"):
        copy_scenario("tutorial", tmp_path / "no" / "x.yaml")


def test_sandbox_scenarios_lists_and_copies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "--lang", "en"]) == 0
    listing = capsys.readouterr().out
    assert all(name in listing for name in COURSE + EXAMPLES)
    assert "Tutorial: one village's subsidy payout" in listing
    assert main(["scenarios", "copy", "zhoukou-2022", str(tmp_path / "june.yaml")]) == 0
    assert (tmp_path / "june.yaml").is_file()
    assert main(["scenarios", "copy", "zhoukou-2022", str(tmp_path / "june.yaml")]) == 2
    assert "already exists" in capsys.readouterr().err


# --- the command line, from a folder with no scenarios in it ----------------------------------------


@pytest.mark.slow
def test_sandbox_play_tutorial_works_from_an_empty_folder(tmp_path: Path) -> None:
    done = run_sandbox("play", "tutorial", "--persona", "perfect", "--json", "--lang", "en", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["scenario"] == "tutorial" and summary["score"] > 0
    assert run_sandbox("validate", "bank-trouble", cwd=tmp_path).stdout == "bank-trouble: ok\n"
    assert list(tmp_path.iterdir()) == []  # nothing was written beside the trainee
