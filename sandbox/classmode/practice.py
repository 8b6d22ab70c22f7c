"""Targeted practice for a class: one scenario per trainee, from the class's gradebook
(`sandbox practise --class`, the class dashboard; docs/adaptive.md)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sandbox.classmode.classroom import Classroom
from sandbox.errors import SandboxError
from sandbox.gradebook.mastery import attempt_cases
from sandbox.gradebook.practice import WrittenPractice, write_practice


def practice_folder_of(classroom: Classroom) -> Path:
    """Where a class's practice files go by default: practice/<class id>/ beside the class file."""
    return classroom.config.path.parent / "practice" / classroom.class_id


def issue_practice(classroom: Classroom, trainee_ids: Iterable[str] | None = None,
                   folder: str | Path | None = None, lang: str = "zh") -> list[WrittenPractice]:
    """A practice scenario for each trainee named (default: every enrolled trainee with a scored
    stage), extending the class's scenario; trainees with nothing scored yet are skipped."""
    roster = classroom.gradebook.trainees(classroom.class_id)
    known = list(roster["trainee_id"])
    wanted = list(trainee_ids) if trainee_ids is not None else known
    unknown = [t for t in wanted if t not in known]
    if unknown:
        raise SandboxError(f"班级 {classroom.class_id} 里没有这些学员：{'、'.join(unknown)}；学员编号有：{'、'.join(known)}",
                           f"class {classroom.class_id} has no trainee {', '.join(unknown)}; "
                           f"trainee ids: {', '.join(known)}")
    folder = Path(folder) if folder is not None else practice_folder_of(classroom)
    written = []
    for trainee in wanted:
        if trainee_ids is None and not attempt_cases(classroom.gradebook, trainee, classroom.class_id):
            continue
        written.append(write_practice(classroom.gradebook, trainee, folder, base=classroom.config.scenario_path,
                                      class_id=classroom.class_id, lang=lang))
    return written
