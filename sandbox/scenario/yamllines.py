"""Reading YAML with the line of every key and item, so that a problem can name its line.

Scenario files are its first readers; any other file a trainer writes (the class file)
is read the same way, named by its own `YamlKind` in the messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sandbox.errors import ScenarioError, ScenarioProblem
from sandbox.scenario.schema import MAX_FILE_BYTES, MAX_YAML_VALUES
from sandbox.scenario.words import describe


@dataclass(frozen=True)
class YamlKind:
    """What kind of file is read, for the messages: "a scenario YAML file", its usual keys."""

    noun: str
    fields: str  # the keys a file of this kind starts with, for an empty file's message


SCENARIO_FILE = YamlKind("scenario", "name, title, seed, calendar, region")

# --- reading YAML with line numbers ---------------------------------------------------------


class LinedDict(dict):
    """A mapping that remembers the line of each key and the file each key came from."""

    def __init__(self, data: dict, key_lines: dict[Any, int], line: int | None) -> None:
        super().__init__(data)
        self.key_lines = key_lines
        self.line = line
        self.sources: dict[Any, str] = {}


class LinedList(list):
    def __init__(self, data: list, item_lines: list[int]) -> None:
        super().__init__(data)
        self.item_lines = item_lines


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping key and list item."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LinedDict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node)
        try:
            duplicate = key in seen
        except TypeError:
            continue  # an unhashable key: PyYAML reports it below with its position
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"found the key {key!r} twice (first on line {seen[key]})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line + 1
    mapping = loader.construct_mapping(node, deep=True)
    lines = {loader.construct_object(k): k.start_mark.line + 1 for k, _ in node.value}
    return LinedDict(mapping, lines, node.start_mark.line + 1)


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LinedList:
    return LinedList(loader.construct_sequence(node, deep=True), [n.start_mark.line + 1 for n in node.value])


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    # PyYAML raises a bare ValueError for 2022-13-01; keep the text so the schema reports it.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _file_problem(path: Path, found: str, expected: str, line: int | None = None) -> ScenarioError:
    return ScenarioError([ScenarioProblem(str(path), line, "", found, expected)])


def _read_bytes(path: Path, kind: YamlKind) -> bytes:
    noun = kind.noun
    if path.is_dir():
        raise _file_problem(path, "a folder", f"a {noun} YAML file (give the file inside the folder)")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _file_problem(path, f"a file of {size:,} bytes", f"a {noun} file under {MAX_FILE_BYTES:,} bytes")
        return path.read_bytes()
    except FileNotFoundError:
        raise _file_problem(path, "no such file", f"the path of a {noun} YAML file") from None
    except PermissionError:
        raise _file_problem(path, "a file you may not read", f"a readable {noun} YAML file") from None
    except OSError as exc:
        raise _file_problem(path, f"a file that cannot be read ({exc.strerror})", f"a {noun} YAML file") from None


def _decode(path: Path, raw: bytes, kind: YamlKind) -> str:
    """UTF-8 only: one encoding keeps shared scenario files readable everywhere.

    GBK files (Windows Notepad's "ANSI" on a Chinese system) are refused with the way
    to convert them, rather than guessed at: a wrong guess would silently garble names.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _file_problem(path, "UTF-16 text (Notepad's 'Unicode')", "UTF-8 text: save the file again choosing UTF-8")
    if b"\x00" in raw[:8192]:
        raise _file_problem(path, "a binary file, not text", f"a {kind.noun} YAML text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            looks_chinese = any("\u4e00" <= ch <= "\u9fff" for ch in raw.decode("gb18030"))
        except UnicodeDecodeError:
            looks_chinese = False
        if not looks_chinese:
            raise _file_problem(path, "bytes that are not UTF-8 text", "a UTF-8 YAML text file", line) from None
        raise _file_problem(
            path,
            "text saved in the GBK (GB18030) encoding",
            "UTF-8 text: in Notepad choose 另存为 → 编码 UTF-8, or run "
            f"`iconv -f GB18030 -t UTF-8 {path} > fixed.yaml`",
            line,
        ) from None


YAML_HINTS = (
    ("'\\t'", "a tab character where YAML expects spaces", "indentation with spaces, never tabs"),
    ("mapping values are not allowed", "a ':' YAML did not expect",
     "`key: value` with a space after the colon; put text containing ': ' in quotes"),
    ("could not find expected ':'", "a line that is not `key: value`", "a ':' after each key"),
    ("expected ',' or ']'", "a list [a, b] that is not closed", "a ']' at the end of the list"),
    ("expected ',' or '}'", "a section {a: 1} that is not closed", "a '}' at the end"),
    ("unacceptable character", "a control character", "plain text"),
)


def _yaml_problem(exc: yaml.YAMLError) -> tuple[int | None, str, str]:
    """Line, found and expected for a YAML error, with a hint for the usual slips."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = str(getattr(exc, "problem", None) or exc)
    if problem.startswith("found the key"):
        return line, problem.removeprefix("found "), "each key once in its section"
    for clue, found, expected in YAML_HINTS:
        if clue in problem:
            return line, found, f"valid YAML: {expected}"
    return line, f"a YAML syntax error ({problem})", "valid YAML"


def _count_values(data: Any, budget: int) -> int:
    """Count values, following aliases, but stop once past the budget."""
    count = 1
    children = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
    for child in children:
        count += _count_values(child, budget - count)
        if count > budget:
            break
    return count


def read_yaml(path: Path, kind: YamlKind = SCENARIO_FILE,
              on_read: Callable[[Path, bytes], None] | None = None) -> LinedDict:
    """The file's top-level mapping, every key and item with its line; ScenarioError if not.

    `on_read(path, content)` is told the bytes that were parsed (the scenario cache keys by them)."""
    raw = _read_bytes(path, kind)
    if on_read is not None:
        on_read(path, raw)
    text = _decode(path, raw, kind)
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        line, found, expected = _yaml_problem(exc)
        raise _file_problem(path, found, expected, line) from None
    except RecursionError:
        raise _file_problem(path, "structures nested too deeply", f"a {kind.noun} YAML file") from None
    if data is None:
        raise _file_problem(path, "an empty file", f"{kind.noun} fields such as {kind.fields}")
    if not isinstance(data, dict):
        found = "a list" if isinstance(data, list) else f"a single value {describe(data)}"
        raise _file_problem(path, f"{found} at the top level", f"a mapping of {kind.noun} fields (`name: ...` lines)", 1)
    try:
        too_big = _count_values(data, MAX_YAML_VALUES) > MAX_YAML_VALUES
    except RecursionError:  # an alias inside itself: `a: &a [*a]`
        too_big = True
    if too_big:
        raise _file_problem(path, f"more than {MAX_YAML_VALUES:,} values (YAML aliases?)", f"a small {kind.noun} file")
    return data


