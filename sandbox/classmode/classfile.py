"""The class file a trainer writes, checked the way scenario files are checked.

A class is a small YAML file::

    name: 商水县2022年6月审核培训
    scenario: zhoukou-2022                  # a shipped name, or a path relative to this file
    mode: exam                              # practice | exam
    deadline: 2022-06-10 17:00              # optional
    gradebook: class-gradebook.sqlite       # optional: a file (relative) or any SQLAlchemy URL
    id: june-2022                           # optional: the file name is used when not given

It is read by the scenario package's line-tracking YAML reader and validated by a pydantic
model, so each problem names the file, line, field, what was found and what was expected.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from sandbox.errors import SandboxError, ScenarioError, ScenarioProblem
from sandbox.scenario.library import scenario_path, shipped_root
from sandbox.scenario.messages import problems_of
from sandbox.scenario.words import FieldProblem, describe
from sandbox.scenario.yamllines import YamlKind, read_yaml

GRADEBOOK_ENV = "SANDBOX_GRADEBOOK_URL"
CLASS_FILE = YamlKind("class", "name, scenario, mode")
CLASS_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
CLASS_ID_EXPECTED = ("letters, digits, '-', '_' or '.', at most 64 "
                     "(the file name is used when id is not given)")
DEADLINE_EXPECTED = "a date and time such as 2022-06-10 17:00 (or leave it out)"
SCENARIO_EXPECTED = "the path of a scenario YAML file, relative to the class file"


class ClassError(SandboxError):
    """A class file, roster or class action that cannot be used as it is."""


class ClassFileError(ClassError):
    """A class file refused whole, with every problem in it (file, line, field)."""

    def __init__(self, problems: list[ScenarioProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ClassFile(BaseModel):
    """The fields of a class file (each description says what a trainer may write)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, coerce_numbers_to_str=True)

    name: str = Field(min_length=1, description="The class's name, as trainees and reports show it.",
                      json_schema_extra={"expected": "the class's name (text)"})
    scenario: str = Field(min_length=1, description="The scenario the class plays.",
                          json_schema_extra={"expected": f"{SCENARIO_EXPECTED}, or a shipped scenario's name"})
    mode: Literal["practice", "exam"] = Field(
        "practice", description="practice: feedback at once; exam: feedback after release.",
        json_schema_extra={"expected": "practice or exam"})
    deadline: dt.datetime | None = Field(None, description="When attempts close (optional).",
                                         json_schema_extra={"expected": DEADLINE_EXPECTED})
    gradebook: str | None = Field(None, description="A gradebook file (relative) or SQLAlchemy URL.",
                                  json_schema_extra={"expected": "a file name or a database URL (text)"})
    id: str | None = Field(None, pattern=CLASS_ID.pattern, description="The class id (optional).",
                           json_schema_extra={"expected": CLASS_ID_EXPECTED})

    @field_validator("scenario")
    @classmethod
    def _scenario_exists(cls, value: str, info: ValidationInfo) -> str:
        folder = (info.context or {}).get("folder", Path.cwd())
        try:
            scenario_path(value, folder, what=SCENARIO_EXPECTED)
        except ScenarioError as exc:
            problem = exc.problems[0]
            raise FieldProblem(problem.found, problem.expected) from None
        return value

    @field_validator("deadline", mode="before")
    @classmethod
    def _deadline_in_words(cls, value: Any) -> Any:
        """A date alone means the end of that day; text is read as ISO (2022-06-10 17:00)."""
        if value is None or isinstance(value, dt.datetime):
            return value
        if isinstance(value, dt.date):
            return dt.datetime.combine(value, dt.time(23, 59))
        try:
            return dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise FieldProblem(describe(value), DEADLINE_EXPECTED) from None


@dataclass(frozen=True)
class ClassConfig:
    """A class file, checked: paths resolved relative to the file."""

    path: Path
    class_id: str
    name: str
    scenario_path: Path
    mode: str
    deadline: dt.datetime | None
    gradebook_url: str

    @property
    def tokens_path(self) -> Path:
        return self.path.with_name(f"{self.class_id}-tokens.csv")

    @property
    def scenario_label(self) -> str:
        """How the scenario is named in the gradebook: a shipped name, else relative to the
        class file if possible."""
        if self.scenario_path.parent in (shipped_root().resolve(), (shipped_root() / "examples").resolve()):
            return self.scenario_path.stem
        try:
            return str(self.scenario_path.relative_to(self.path.parent.resolve()))
        except ValueError:
            return str(self.scenario_path)


def read_class_file(path: Path) -> ClassFile:
    """The class file validated; ClassFileError naming file, line and field if not."""
    try:
        data = read_yaml(path, CLASS_FILE)
    except ScenarioError as exc:
        raise ClassFileError(exc.problems) from None
    try:
        return ClassFile.model_validate(data, context={"folder": path.parent})
    except ValidationError as exc:
        raise ClassFileError(problems_of(exc, data, str(path), root=ClassFile)) from None


def load_class(path: str | Path, gradebook: str | None = None) -> ClassConfig:
    """Read CLASS.yaml; `gradebook` (or $SANDBOX_GRADEBOOK_URL) overrides its gradebook."""
    path = Path(path)
    checked = read_class_file(path)
    class_id = checked.id or path.stem
    if not CLASS_ID.match(class_id):  # the file name stands in for a missing id
        raise ClassFileError([ScenarioProblem(str(path), None, "id", f"no id, and the file name "
                                              f"{class_id!r} cannot be one", CLASS_ID_EXPECTED)])
    return ClassConfig(
        path=path,
        class_id=class_id,
        name=checked.name,
        scenario_path=scenario_path(checked.scenario, path.parent).resolve(),
        mode=checked.mode,
        deadline=checked.deadline,
        gradebook_url=_gradebook_url(path, gradebook or os.environ.get(GRADEBOOK_ENV) or checked.gradebook),
    )


def _gradebook_url(path: Path, value: str | None) -> str:
    if value is None:
        return str(path.with_name(f"{path.stem}-gradebook.sqlite"))
    return value if "://" in value else str(path.parent / value)
