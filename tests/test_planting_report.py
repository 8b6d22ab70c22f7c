"""Trainer-set rates are checked: asked and planted per type, and a warning when short."""

from __future__ import annotations

from pathlib import Path

import pytest

import sandbox.programs as programs
from sandbox.cli import main
from sandbox.irregularities import FAULTS
from sandbox.irregularities.planting import count_for
from sandbox.personas.preview import planting_report, preview
from sandbox.platform.rosters import build_collection
from sandbox.scenario import load_scenario, scenario_path
from sandbox.world import generate_world


def with_dead_payee(tmp_path: Path, rate: float) -> Path:
    tag = str(rate).replace(".", "_")
    path = tmp_path / f"dead-{tag}.yaml"
    path.write_text(f"extends: {scenario_path('tutorial')}\nname: dead-{tag}\n"
                    f"irregularities:\n  dead_payee: {rate}\n", encoding="utf-8")
    return path


def test_report_matches_the_answer_key_for_every_type() -> None:
    scenario = load_scenario("zhoukou-2022")
    world = generate_world(scenario)
    data = build_collection(world, scenario, programs.entitlements(world, scenario))
    faults = data.key["fault"].value_counts()
    assert [c.code for c in data.planting] == [k.code for k in FAULTS.in_planting_order()]
    for count in data.planting:
        assert count.planted == faults.get(count.code, 0)
        assert count.asked == count_for(count.rate, count.entries)
    assert not [c.code for c in data.planting if c.short]  # the shipped rates can all be met


@pytest.mark.parametrize("rate", [0.06, 0.1, 0.2])
def test_a_dead_payee_rate_above_the_worlds_deaths_is_reported_not_capped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], rate: float) -> None:
    """Issue 11: 0.02 → 0.06, 0.1, 0.2 still planted what the world had, and nothing said so."""
    base = {c.code: c for c in planting_report(load_scenario(with_dead_payee(tmp_path, 0.01)))}["dead_payee"]
    report = {c.code: c for c in planting_report(load_scenario(with_dead_payee(tmp_path, rate)))}
    dead = report["dead_payee"]
    assert dead.asked == count_for(rate, dead.entries) > dead.planted == base.planted
    code = main(["validate", str(with_dead_payee(tmp_path, rate))])
    out = capsys.readouterr().out
    assert code == 0  # a valid file; the shortfall is a warning
    assert f"dead_payee（冒领：已死亡人员）：要求 {dead.asked} 条" in out
    assert f"这个世界只能生成 {dead.planted} 条" in out
    assert f"asked for {dead.asked}" in out and f"can supply only {dead.planted}" in out
    assert "public_employee" not in out  # only the types that are short


def test_validate_quick_skips_the_world(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = with_dead_payee(tmp_path, 0.2)
    assert main(["validate", "--quick", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [f"{path}: ok"]


def test_preview_lists_the_shortfall_with_its_numbers(tmp_path: Path) -> None:
    result = preview(with_dead_payee(tmp_path, 0.2), seeds=1, personas=["approve-all"])
    (short,) = [s for s in result.shortfalls if s["code"] == "dead_payee"]
    assert short["asked"] > short["planted"] and short["seed"] == result.seeds[0]
    assert f"要求 {short['asked']} 条" in result.text() and "warning: the world cannot supply" in result.text()
    assert result.to_dict()["shortfalls"] == result.shortfalls
