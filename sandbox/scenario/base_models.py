"""The ground every scenario section stands on: strict, frozen models that refuse unknown keys
and a yes/no where a number belongs, bilingual text, and the rate types."""

from __future__ import annotations

import typing
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from sandbox.common.regions import ZHOUKOU_COUNTIES
from sandbox.scenario.words import FieldProblem, describe, expected_for_field


def _is_number_annotation(annotation: Any) -> bool:
    return annotation in (int, float) or set(typing.get_args(annotation)) in ({int, type(None)}, {float, type(None)})


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_yes_no_for_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        # pydantic would read `true` as 1; for a rate or a count that is always a slip.
        if isinstance(value, bool) and info.field_name:
            field = cls.model_fields[info.field_name]
            if _is_number_annotation(field.annotation):
                raise FieldProblem(describe(value), expected_for_field(field))
        return value


Rate = Annotated[float, Field(ge=0.0, le=1.0)]
SmallRate = Annotated[float, Field(ge=0.0, le=0.5)]


class Text(Strict):
    zh: str = Field(min_length=1, max_length=200, description="Chinese text, shown to operators")
    en: str = Field(min_length=1, max_length=200, description="English text")


def county_choices() -> str:
    """Zhoukou's counties as a message lists them: code and name."""
    return ", ".join(f"{code} {name}" for code, name in ZHOUKOU_COUNTIES.items())
