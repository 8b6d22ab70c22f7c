"""Writing a trainee's next exercise from what their gradebook holds (`sandbox practise`,
`Session.practise_next`, notebook 06, the class dashboard; docs/adaptive.md)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sandbox.errors import SandboxError
from sandbox.gradebook.database import default_directory
from sandbox.gradebook.mastery import OwnWork, attempt_cases
from sandbox.platform.mastery import estimate
from sandbox.platform.practice import PracticePlan, plan_practice, practice_yaml, root_name
from sandbox.scenario.library import scenario_path, shipped_scenarios

if TYPE_CHECKING:
    from sandbox.gradebook.store import Gradebook

PRACTICE_FOLDER = "practice"


@dataclass(frozen=True)
class WrittenPractice:
    """A practice scenario written to `path`, and what it aims at."""

    path: Path
    plan: PracticePlan
    lang: str = "zh"

    def message(self, lang: str | None = None) -> str:
        return self.plan.message(self.path, lang or self.lang)

    def __repr__(self) -> str:  # what a notebook cell shows
        return self.message()


def practice_folder() -> Path:
    """Where a trainee's own exercises go by default: beside their local gradebook."""
    return default_directory() / PRACTICE_FOLDER


def write_practice(book: Gradebook, trainee: str, folder: str | Path | None = None, *,
                   base: str | Path | None = None, class_id: str | None = None,
                   own_work: OwnWork | None = None, lang: str = "zh") -> WrittenPractice:
    """Write the trainee's next exercise into `folder` (default practice_folder()) and check it
    as `sandbox validate` does. `base`: the scenario to extend (a shipped name or a file); by
    default the one the trainee's last attempt was made from."""
    from sandbox.scenario import load_scenario

    attempts = attempt_cases(book, trainee, class_id, own_work)
    if not attempts:
        raise SandboxError(f"成绩册里还没有“{trainee}”做完的环节：先做一次练习（例如笔记本 02 审核），再生成针对性练习。",
                           f"the gradebook holds no scored stage of {trainee!r} yet: do an exercise first "
                           "(e.g. notebook 02, review), then ask for targeted practice.")
    folder = Path(folder) if folder is not None else practice_folder()
    folder.mkdir(parents=True, exist_ok=True)
    base_file = _base_file(base if base is not None else root_name(attempts[-1].scenario))
    base_ref = _reference(base if base is not None else root_name(attempts[-1].scenario), base_file, folder)
    plan = plan_practice(load_scenario(base_file), base_ref, trainee,
                         estimate([a.cases for a in attempts]), number=len(attempts))
    path = folder / f"{plan.changes['name']}-{_file_safe(trainee)}.yaml"
    path.write_text(practice_yaml(plan), encoding="utf-8")
    load_scenario(path)  # as `sandbox validate` checks it: a problem here is the sandbox's own
    return WrittenPractice(path, plan, lang)


def _base_file(base: str | Path) -> Path:
    try:
        return scenario_path(base)
    except SandboxError:
        raise SandboxError(f"找不到练习所依据的场景“{base}”：请用 --base 给出原来场景的名称或文件路径。",
                           f"cannot find the scenario {str(base)!r} the practice extends: give the original "
                           "scenario's name or file with --base.") from None


def _reference(base: str | Path, found: Path, folder: Path) -> str:
    """How the practice file names its base in `extends`: a shipped name as it is, a file by
    its path relative to the practice file's folder."""
    if str(base) in shipped_scenarios() and not Path(str(base)).exists():
        return str(base)
    try:
        return os.path.relpath(found.resolve(), folder.resolve())
    except ValueError:  # another drive (Windows)
        return str(found.resolve())


def _file_safe(text: str) -> str:
    return re.sub(r"[^\w\-]+", "_", text).strip("_") or "trainee"
