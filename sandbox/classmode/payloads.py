"""What a class server accepts as a call's payload: plain data of the declared kinds.

A payload comes from the network, so it is checked before anything reads it: frames must be
well formed (columns, rows of plain cells), every argument must be of the kind its action
declares, and where a table belongs only a table will do — text there is never taken for a
file name on the server (common/submissions.py). Each refusal is a SandboxError: a 422 with a
plain message, never a 500.
"""

from __future__ import annotations

import inspect
import types
import typing
from typing import Any

import pandas as pd

from sandbox.common.submissions import NOT_A_TABLE_EN, NOT_A_TABLE_ZH
from sandbox.common.wire import FRAME, decode
from sandbox.errors import SandboxError
from sandbox.platform.stages.base import Action

CELL_TYPES = (str, int, float, bool, type(None))
# How an argument's kind is named in messages.
KIND_WORDS = {str: ("文字", "text"), int: ("整数", "a whole number"), float: ("数字", "a number"),
              bool: ("true 或 false", "true or false"), dict: ("字典", "a mapping"),
              list: ("列表", "a list"), pd.DataFrame: ("表", "a table")}


class PayloadError(SandboxError):
    """A call whose payload is not the data its action takes."""


def decode_payload(payload: Any) -> dict[str, Any]:
    """The payload decoded (frames as DataFrames), after checking every frame's shape."""
    _check_frames(payload, "payload")
    return decode(payload)


def _check_frames(value: Any, where: str) -> None:
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check_frames(item, f"{where}[{index}]")
    elif isinstance(value, dict):
        if FRAME in value and len(value) == 1:
            _check_frame(value[FRAME], where)
            return
        for key, item in value.items():
            _check_frames(item, f"{where}.{key}")


def _check_frame(frame: Any, where: str) -> None:
    def refuse(zh: str, en: str) -> None:
        raise PayloadError(f"{where} 不是一张完整的表：{zh}",
                           f"{where} is not a well-formed table: {en}")

    if not isinstance(frame, dict) or set(frame) != {"columns", "data"}:
        refuse("应有 columns 和 data 两项", "it needs exactly 'columns' and 'data'")
    columns, data = frame["columns"], frame["data"]
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        refuse("columns 应是列名（文字）的列表", "'columns' must be a list of column names (text)")
    if not isinstance(data, list):
        refuse("data 应是行的列表", "'data' must be a list of rows")
    for number, row in enumerate(data, start=1):
        if not isinstance(row, list) or len(row) != len(columns):
            refuse(f"第 {number} 行应有 {len(columns)} 个格子",
                   f"row {number} must be a list of {len(columns)} cells")
        if not all(isinstance(cell, CELL_TYPES) for cell in row):
            refuse(f"第 {number} 行有格子不是文字、数字或空值",
                   f"row {number} has a cell that is not text, a number or empty")


def check_arguments(declared: Action | None, action: str, payload: dict[str, Any]) -> None:
    """A payload that does not fit the action is the caller's mistake (422), not a crash."""
    if declared is None:
        return  # Attempt.handle names the unknown action
    try:
        inspect.signature(declared.handler).bind(**payload)
    except TypeError as exc:
        raise PayloadError(f"{action} 的参数不对：{exc}", f"action {action!r}: {exc}") from None
    hints = _hints(declared.handler)
    for name, value in payload.items():
        kinds = _kinds(hints.get(name))
        if kinds is None or isinstance(value, kinds) and not _bool_for_number(value, kinds):
            continue
        if pd.DataFrame in kinds:
            raise PayloadError(f"{action} 的 {name}：{NOT_A_TABLE_ZH}", f"{action} {name}: {NOT_A_TABLE_EN}")
        zh = "、".join(KIND_WORDS[k][0] for k in kinds if k in KIND_WORDS)
        en = " or ".join(KIND_WORDS[k][1] for k in kinds if k in KIND_WORDS)
        raise PayloadError(f"{action} 的 {name} 应是{zh}，收到的是 {type(value).__name__}",
                           f"{action}: {name} must be {en}, not {type(value).__name__}")


def _hints(handler: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(handler)
    except Exception:  # an annotation this module cannot resolve: the handler checks for itself
        return {}


def _kinds(hint: Any) -> tuple[type, ...] | None:
    """The plain types an annotation allows, or None when it is not one we check."""
    if hint is None or hint is Any:
        return None
    members = typing.get_args(hint) if isinstance(hint, types.UnionType) or \
        typing.get_origin(hint) is typing.Union else (hint,)
    kinds: list[type] = []
    for member in members:
        member = typing.get_origin(member) or member
        if member is type(None):
            kinds.append(type(None))
        elif member is float:
            kinds.extend((float, int))
        elif member in KIND_WORDS:
            kinds.append(member)
        else:
            return None  # a kind we do not know: leave it to the handler
    return tuple(kinds)


def _bool_for_number(value: Any, kinds: tuple[type, ...]) -> bool:
    """JSON true is not a number (bool is an int in Python)."""
    return isinstance(value, bool) and bool not in kinds
