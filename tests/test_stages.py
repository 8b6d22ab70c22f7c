"""Each stage is declared once (order, titles, scored) and every other place reads
the declaration: the attempt, the report, the course and its notebooks, the class report."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil

import pytest
from conftest import ROOT

import sandbox.platform.stages as stages_package
from sandbox.course import LESSONS, STAGES, lesson_until
from sandbox.platform.harm import score_of
from sandbox.platform.stages.base import Stage, StageInfo
from sandbox.platform.stages.sequence import SCORED, STAGE_CLASSES
from sandbox.platform.stages.sequence import STAGES as DECLARED
from sandbox.session.report import Report

NOT_STAGES = {"base", "sequence"}


def stage_classes_in_modules() -> set[type[Stage]]:
    """Every Stage subclass defined in a module of sandbox/platform/stages/."""
    found = set()
    for module_info in pkgutil.iter_modules(stages_package.__path__):
        if module_info.name in NOT_STAGES:
            continue
        module = importlib.import_module(f"{stages_package.__name__}.{module_info.name}")
        found |= {cls for _, cls in inspect.getmembers(module, inspect.isclass)
                  if issubclass(cls, Stage) and cls is not Stage and cls.__module__ == module.__name__}
    return found


def test_every_stage_module_is_in_the_registry_in_declared_order() -> None:
    assert set(STAGE_CLASSES) == stage_classes_in_modules()
    orders = [cls.info.order for cls in STAGE_CLASSES]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    assert list(DECLARED) == [cls.info.name for cls in STAGE_CLASSES]
    assert list(DECLARED) == ["collection", "review", "payout", "failures", "reconciliation",
                              "disclosure", "supervision", "monthly"]


def test_failures_is_declared_as_scored_within_payout() -> None:
    assert not DECLARED["failures"].scored and "failures" not in SCORED
    assert all(DECLARED[name].scored for name in SCORED)
    assert StageInfo("odd", order=99, title_zh="怪", title_en="Odd").scored  # scored unless declared not


def test_the_attempt_has_exactly_the_declared_stages(start) -> None:
    brief = start().brief()
    assert brief["next_stage"] == SCORED[0]
    # a one-period scenario has no monthly stage: it is neither shown nor counted
    assert brief["stage_titles"] == {name: DECLARED[name].title_en for name in SCORED if name != "monthly"}


def test_the_report_stages_and_titles_come_from_the_declarations(start) -> None:
    from sandbox.personas import PERSONAS

    session = start(lang="zh")
    PERSONAS["approve-all"](session)
    report = session.report()
    stages = report.summary()["stages"]
    used = [s for s in SCORED if s != "monthly"]  # the tutorial has one pay period
    assert list(stages) == used
    # each stage's score reads its own harm; the total reads all of it (docs/scoring.md)
    harm = report.summary()["harm"]
    for name in used:
        own = harm["by_stage"].get(name, 0.0)
        assert stages[name] == pytest.approx(score_of(own, harm["reference"]["value"]), abs=0.01)
    assert report.score == pytest.approx(score_of(harm["weighted_total"], harm["reference"]["value"]),
                                         abs=0.01)
    for name in used:
        assert f"{DECLARED[name].title_zh}: " in report.short_text()
    assert Report(report.summary(), "en").short_text().count(DECLARED["review"].title_en) == 1


def test_the_course_follows_the_declared_order() -> None:
    assert STAGES == (*DECLARED, "report")
    assert set(LESSONS.values()) <= set(STAGES)
    # the stage whose score ends each notebook's work (what the notebooks were built with)
    assert {notebook: lesson_until(notebook) for notebook in LESSONS} == {
        "01_collection": "collection", "02_review_and_posting": "review", "03_payout": "payout",
        "04_failures_and_reconciliation": "reconciliation",
        "05_disclosure_and_supervision": "supervision", "06_my_report": "monthly",
        "08_monthly_changes": "monthly"}


@pytest.mark.parametrize("notebook", LESSONS)
def test_each_course_notebook_resumes_with_its_declared_stages(notebook: str) -> None:
    raw = json.loads((ROOT / "notebooks" / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    setup = next("".join(c["source"]) for c in raw["cells"] if c["cell_type"] == "code")
    # the first code cell begins this notebook's own session: begin() keeps it under the
    # notebook's name and ends its work at lesson_until(notebook) (tests/test_begin.py)
    assert f's = begin("{notebook}", lang=LANG, mode=MODE, start_over=START_OVER' in setup
