"""Plain words for values and fields, shared by the schema's own checks and the error messages."""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from collections.abc import Iterator
from typing import Any, Literal

import annotated_types
from pydantic import (
    BaseModel,
)
from pydantic.fields import FieldInfo

DATE_EXPECTED = "a date written YYYY-MM-DD, e.g. 2022-05-31"


SECTION_EXPECTED = "a section of indented `key: value` lines"


class FieldProblem(ValueError):
    """Raised inside validators to say exactly what was found and expected.

    ``at`` extends the error location below the validated field or model, so that
    an error about a list item or a sibling field points at that item's line.
    """

    def __init__(self, found: str, expected: str, at: tuple[str | int, ...] = ()) -> None:
        super().__init__(f"found {found}; expected {expected}")
        self.found = found
        self.expected = expected
        self.at = at


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    # "old_age" for "old_age_allowance": a cut-short name is as likely as a typo
    close = close or [c for c in choices if len(word) >= 3 and c.startswith(word)][:1]
    return f" — did you mean {close[0]!r}?" if close else ""


def unwrap_optional(annotation: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return annotation


def model_of(annotation: Any) -> type[BaseModel] | None:
    annotation = unwrap_optional(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _bounds(field: FieldInfo) -> str:
    lo = hi = lo_open = None
    for meta in field.metadata:
        if isinstance(meta, annotated_types.Ge):
            lo = meta.ge
        elif isinstance(meta, annotated_types.Gt):
            lo_open = meta.gt
        elif isinstance(meta, annotated_types.Le):
            hi = meta.le
    if lo is not None and hi is not None:
        return f" from {number_text(lo)} to {number_text(hi)}"
    if lo_open is not None and hi is not None:
        return f" above {number_text(lo_open)} and at most {number_text(hi)}"
    if lo is not None:
        return f" of at least {number_text(lo)}"
    return f" of at most {number_text(hi)}" if hi is not None else ""


def _length(field: FieldInfo) -> tuple[int | None, int | None]:
    lo = next((m.min_length for m in field.metadata if isinstance(m, annotated_types.MinLen)), None)
    hi = next((m.max_length for m in field.metadata if isinstance(m, annotated_types.MaxLen)), None)
    return lo, hi


def expected_for_field(field: FieldInfo) -> str:
    """What a field accepts, in words; used in error messages and in docs/authoring.md."""
    extra = field.json_schema_extra
    if isinstance(extra, dict) and "expected" in extra:
        return str(extra["expected"])
    annotation = unwrap_optional(field.annotation)
    optional = " (or leave it out)" if annotation is not field.annotation else ""
    lo, hi = _length(field)
    if annotation is bool:
        text = "true or false"
    elif annotation is int:
        text = "a whole number" + _bounds(field)
    elif annotation is float:
        text = "a number" + _bounds(field)
    elif annotation is dt.date:
        text = DATE_EXPECTED
    elif annotation is str:
        text = f"text of {lo or 0} to {hi} characters" if hi else "text"
    elif typing.get_origin(annotation) is Literal:
        text = "one of: " + ", ".join(map(str, typing.get_args(annotation)))
    elif typing.get_origin(annotation) is list and typing.get_args(annotation) == (dt.date,):
        text = f"a list of dates YYYY-MM-DD (at most {hi}), e.g. [2022-06-03]"
    elif (model := model_of(annotation)) is not None:
        text = section_expected(model)
    else:
        text = str(annotation)
    return text + optional


def describe(value: Any) -> str:
    """A found value as the trainer wrote it (YAML spelling, short)."""
    if value is None:
        return "nothing (the key has no value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = f"'{value}'"
    elif isinstance(value, dict):
        text = "a section with keys " + ", ".join(map(str, value)) if value else "an empty section {}"
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(describe(v) for v in value) + "]"
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def section_expected(model: type[BaseModel]) -> str:
    keys = list(model.model_fields)
    shown = ", ".join(keys[:4]) + (", ..." if len(keys) > 4 else "")
    return f"a section of indented lines with keys {shown}"


def field_paths(model: type[BaseModel], prefix: str) -> Iterator[tuple[str, FieldInfo]]:
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        yield path, field
        annotation = unwrap_optional(field.annotation)
        args = typing.get_args(annotation)
        nested = model_of(annotation)
        if nested is not None:
            yield from field_paths(nested, path + ".")
        elif typing.get_origin(annotation) is list and args and model_of(args[0]):
            yield from field_paths(model_of(args[0]), path + "[].")  # type: ignore[arg-type]
        elif typing.get_origin(annotation) is dict and len(args) == 2 and model_of(args[1]):
            yield from field_paths(model_of(args[1]), path + ".<program>.")  # type: ignore[arg-type]
