"""Turning pydantic's errors into a trainer's words: file, line, field, found, expected.

Written for the scenario schema, and used as well for any other YAML file a trainer
writes (the class file): pass its model as ``root``.
"""

from __future__ import annotations

import typing
from typing import Any

from pydantic import (
    BaseModel,
    ValidationError,
)
from pydantic.fields import FieldInfo

from sandbox.errors import ScenarioProblem
from sandbox.scenario.schema import TIER_PART_EXPECTED, TIER_PARTS, Scenario
from sandbox.scenario.words import (
    DATE_EXPECTED,
    SECTION_EXPECTED,
    FieldProblem,
    describe,
    did_you_mean,
    expected_for_field,
    field_paths,
    model_of,
    section_expected,
    unwrap_optional,
)

# --- turning pydantic errors into a trainer's words ----------------------------------------


def _walk(loc: tuple, root: type[BaseModel] = Scenario) -> tuple[Any, FieldInfo | None]:
    """The annotation at ``loc`` and, if its last part names a model field, that field."""
    annotation: Any = root
    field: FieldInfo | None = None
    for part in loc:
        model = model_of(annotation)
        if model is not None and isinstance(part, str) and part in model.model_fields:
            field = model.model_fields[part]
            annotation = field.annotation
            continue
        origin = typing.get_origin(unwrap_optional(annotation))
        args = typing.get_args(unwrap_optional(annotation))
        if origin is list and args:
            annotation = args[0]
        elif origin is dict and len(args) == 2:
            annotation = args[1]
        else:
            return None, None
        field = None
    return annotation, field


GENERIC_EXPECTED = {
    "finite": "an ordinary number (not .inf or .nan)",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "date": DATE_EXPECTED,
    "string": "text",
    "list": "a list, e.g. [a, b]",
    "tuple": "a pair [min_age, amount]",
    "dict": SECTION_EXPECTED,
    "model": SECTION_EXPECTED,
}


def _expected_from_error(err: dict, loc: tuple, field: FieldInfo | None, root: type[BaseModel]) -> str:
    kind: str = err["type"]
    ctx = err.get("ctx") or {}
    if field is not None and loc and isinstance(loc[-1], str):
        return expected_for_field(field)
    if (model := model_of(_walk(loc, root)[0])) is not None:  # e.g. one item of bank.outages
        return section_expected(model)
    if len(loc) >= 2 and loc[-3:-2] == ("tiers",) and isinstance(loc[-1], int) and loc[-1] < 2:
        return TIER_PART_EXPECTED[loc[-1]]
    if kind == "less_than_equal":
        return f"a number of at most {ctx.get('le')}"
    if kind == "greater_than_equal":
        return f"a number of at least {ctx.get('ge')}"
    if kind == "greater_than":
        return f"a number above {ctx.get('gt')}"
    if kind in ("too_short", "too_long"):
        return f"{ctx.get('min_length', 0)} to {ctx.get('max_length', 'any number of')} items"
    for prefix, text in GENERIC_EXPECTED.items():
        if kind.startswith(prefix):
            return text
    return err["msg"]


def field_path(loc: tuple) -> str:
    """Dotted field path; list items count from 1 as a trainer counts, tier parts by name."""
    out = ""
    for index, part in enumerate(loc):
        if isinstance(part, int):
            if index >= 2 and loc[index - 2] == "tiers" and part < len(TIER_PARTS):
                out += f".{TIER_PARTS[part]}"
            else:
                out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def locate(data: Any, loc: tuple, default_file: str) -> tuple[str, int | None]:
    """Follow an error location through the lined YAML to a file and line."""
    file, line = default_file, getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            line = getattr(node, "key_lines", {}).get(part, line)
            file = getattr(node, "sources", {}).get(part, file)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            lines = getattr(node, "item_lines", [])
            line = lines[part] if part < len(lines) else line
            node = node[part]
        else:
            break
    return file, line


def value_at(data: Any, loc: tuple) -> Any:
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
    return node


def _unknown_key(loc: tuple, root: type[BaseModel]) -> tuple[str, str]:
    model = model_of(_walk(loc[:-1], root)[0])
    key = str(loc[-1])
    choices = list(model.model_fields) if model else []
    hint = did_you_mean(key, choices)
    if not hint:
        home = next((p.rsplit(".", 1)[0] for p, _ in field_paths(root, "") if p.rsplit(".", 1)[-1] == key), None)
        hint = f" — it belongs under '{home}:'" if home and "." not in key else ""
    section = field_path(loc[:-1]) or "the top level"
    return f"unknown key {key!r}{hint}", f"one of the keys of {section}: " + ", ".join(choices)


def _problem(err: dict, data: dict, source: str, root: type[BaseModel]) -> ScenarioProblem:
    if err["type"] == "invalid_key" or "[key]" in err["loc"]:  # YAML read `1:` or `yes:` as a key
        loc = tuple(p for p in err["loc"] if p != "[key]")
        file, line = locate(data, loc, source)
        return ScenarioProblem(file, line, field_path(loc[:-1]), f"the key {describe(loc[-1])}",
                               "keys written as words (put a number or yes/no key in quotes)")
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and (p.startswith("function-"))))
    custom = (err.get("ctx") or {}).get("error")
    if isinstance(custom, FieldProblem):
        loc = loc + custom.at
    file, line = locate(data, loc, source)
    path = field_path(loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        found, expected = _unknown_key(loc, root)
    elif isinstance(custom, FieldProblem):
        found, expected = custom.found, custom.expected
    elif kind == "missing" and isinstance(loc[-1], int):
        # only a tier pair has positional parts
        found, expected = describe(value_at(data, loc[:-1])), GENERIC_EXPECTED["tuple"]
        path = field_path(loc[:-1])
    elif kind == "missing":
        _, field = _walk(loc, root)
        what = f": {expected_for_field(field)}" if field is not None else ""
        found, expected = f"no {loc[-1]!s}", f"a value for {loc[-1]!s}, which is required{what}"
    else:
        found = describe(value_at(data, loc) if value_at(data, loc) is not None else err.get("input"))
        expected = _expected_from_error(err, loc, _walk(loc, root)[1], root)
        if kind == "literal_error" and isinstance(err.get("input"), str):
            choices = [str(c).strip("'") for c in str((err.get("ctx") or {}).get("expected", "")).split(" or ")]
            found += did_you_mean(err["input"], [c for part in choices for c in part.split(", ")])
    return ScenarioProblem(file, line, path, found, expected)


def problems_of(exc: ValidationError, data: dict, source: str,
                root: type[BaseModel] = Scenario) -> list[ScenarioProblem]:
    """Each of pydantic's errors for ``data`` (read from ``source``, validated as ``root``)."""
    problems = [_problem(err, data, source, root) for err in exc.errors()]
    unique = list(dict.fromkeys(problems))  # a union can report one slip twice
    return sorted(unique, key=lambda p: (p.file != source, p.file, p.line or 0))


