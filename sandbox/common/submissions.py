"""Reading what trainees submit: a DataFrame, a CSV (UTF-8, UTF-8 with BOM, GBK) or XLSX.

Files are read on the trainee's side (`read_file`); the platform reads only tables
(`read_table`, `read_decisions`), so no payload ever names a file the server would open.

A submission is accepted whole or rejected whole: `read_decisions` either returns every
decision or raises `SubmissionError` listing every problem with the spreadsheet row (the
header is row 1) and the column as the trainee typed it. Nothing is recorded on failure.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sandbox.common.columns import column_name, header_zh
from sandbox.common.identifiers import clean_card_number, clean_id_number
from sandbox.common.parsing import parse_amount, parse_quantity
from sandbox.common.text import CleaningError, as_text, clean_text, is_blank
from sandbox.errors import RowProblem, SandboxError, SubmissionError

ROW = "_row"  # spreadsheet row number of each data row (header = row 1)
DECISION_COLUMNS = ["entry_id", "decision", "reason", "field", "value", "note", ROW]
DEFAULT_CORRECTABLE_FIELDS = ("name", "id_number", "account_number", "quantity", "amount")

# Words trainees type, after clean_text + casefold, → decision. ✓/√ are Excel ticks.
DECISION_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ["approve", "approved", "ok", "yes", "pass", "✓", "✔", "√", "通过", "同意",
         "批准", "审核通过", "予以通过"], "approve"),
    **dict.fromkeys(
        ["reject", "rejected", "deny", "no", "✗", "✘", "×", "不通过", "驳回", "拒绝",
         "不同意", "审核不通过", "不予通过"], "reject"),
    **dict.fromkeys(["correct", "fix", "更正", "修改", "修正", "纠正"], "correct"),
    **dict.fromkeys(
        ["refer", "visit", "homevisit", "home_visit", "核查", "入户核查", "入户", "实地核查",
         "入户调查"], "refer"),
}
DECISION_HINT = "通过/不通过/更正/核查 (approve/reject/correct/refer)"


def parse_decision(word: Any) -> str | None:
    """approve/reject/correct/refer for a word as typed (any case or width), else None: the
    whole word is one of DECISION_WORDS, never a word found inside other text."""
    key = clean_text(word, code=True).casefold()
    return DECISION_WORDS.get(key)


def close_words(typed: Any, words: Iterable[str], n: int = 3) -> list[str]:
    """Words like `typed`, to offer when it was not understood (offered, never read)."""
    key = clean_text(typed, code=True).casefold()
    words = list(words)
    by_key = {clean_text(w, code=True).casefold(): w for w in words}
    inside = [w for k, w in by_key.items() if len(k) > 1 and k in key and k != key]
    close = [by_key[k] for k in difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.5)]
    return list(dict.fromkeys([*sorted(inside, key=len, reverse=True), *close]))[:n]


def _offer(words: list[str], lang: str) -> str:
    if not words:
        return ""
    shown = (" / " if lang == "en" else "、").join(repr(w) for w in words)
    return f" — did you mean {shown}?" if lang == "en" else f"（是不是想写 {shown}？）"


# --------------------------------------------------------------------------- reading

ReadSource = pd.DataFrame | str | Path  # what a trainee's side may read (read_file)
NOT_A_TABLE_ZH = "请发送表本身，不要发文件名：文件在你这边读成表再发（把路径交给 s.review.submit 这类方法即可）"
NOT_A_TABLE_EN = ("send the table, not a file name: a file is read on your side and sent as a table "
                  "(hand its path to a session method such as s.review.submit)")


def read_table(source: pd.DataFrame, name: str | None = None) -> tuple[pd.DataFrame, str]:
    """Read a submitted table; return (frame of text cells, name to show in messages).

    The platform reads tables with this, and a table is data: text that names a file is refused
    (SubmissionError), never opened — the platform may run on a class server, whose files are
    not the trainee's. Files are read on the trainee's side with `read_file`.

    `name` overrides the name shown in messages (default "submitted table").

    Headers are stripped and mapped to English names (Chinese aliases included); every
    cell is text ("" when blank); fully blank rows are skipped; column `_row` keeps the
    spreadsheet row number (header = row 1). ``frame.attrs["headers"]`` maps each English
    column name back to the header as typed, for messages.
    """
    name = name or "submitted table"
    if not isinstance(source, pd.DataFrame):
        raise SubmissionError(name, [RowProblem(None, "", NOT_A_TABLE_EN, zh=NOT_A_TABLE_ZH)])
    return _from_frame(source, name), name


def read_file(source: ReadSource, name: str | None = None) -> tuple[pd.DataFrame, str]:
    """`read_table` for the trainee's side: a DataFrame, or a CSV (UTF-8, UTF-8 with BOM, GBK)
    or XLSX file on this machine. Never called by the platform (see `read_table`)."""
    if isinstance(source, pd.DataFrame):
        return read_table(source, name)
    path = Path(source)
    name = name or path.name
    if not path.is_file():
        raise SubmissionError(name, [RowProblem(None, "", f"file not found: {path}", zh=f"找不到文件：{path}")])
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt"}:
        rows = _csv_rows(path)
    elif suffix in {".xlsx", ".xlsm"}:
        rows = _xlsx_rows(path)
    else:
        raise SubmissionError(name, [RowProblem(
            None, "", f"cannot read {suffix or 'a file without extension'}; "
            "save it as .xlsx or .csv (in Excel: 另存为 → Excel 工作簿 or CSV UTF-8)",
            zh=f"读不了{suffix or '没有扩展名的'}文件；请另存为 .xlsx 或 .csv（Excel：另存为 → Excel 工作簿 或 CSV UTF-8）")])
    return _from_rows(rows, name), name


def _decode(data: bytes, name: str) -> str:
    """Chinese Excel saves CSV as UTF-8 (often with BOM) or GBK; GB18030 covers GBK."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SubmissionError(name, [RowProblem(
        None, "", "the file is neither UTF-8 nor GBK text; save it again as CSV UTF-8 or .xlsx",
        zh="文件既不是 UTF-8 也不是 GBK 文本；请重新另存为 CSV UTF-8 或 .xlsx")])


def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    """(row number, cells) per CSV record; Excel numbers records, not physical lines."""
    text = _decode(path.read_bytes(), path.name)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise SubmissionError(path.name, [RowProblem(None, "", f"not a readable CSV file: {exc}",
                                                       zh=f"CSV 文件读不了：{exc}")]) from None
    return [(number, record) for number, record in enumerate(records, start=1)]


def _xlsx_rows(path: Path) -> list[tuple[int, list[Any]]]:
    """Rows of the first worksheet, numbered as Excel shows them."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or mislabelled file
        raise SubmissionError(path.name, [RowProblem(
            None, "", f"not a readable .xlsx workbook ({type(exc).__name__}); save it again from Excel",
            zh="这个 .xlsx 工作簿读不了，请在 Excel 里重新保存")]) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for cells in sheet.iter_rows():
            filled = [c for c in cells if getattr(c, "row", None) is not None]
            if filled:  # read-only mode yields EmptyCell (no row) for gaps
                rows.append((filled[0].row, [c.value for c in cells]))
        return rows
    finally:
        workbook.close()


def _cell(value: Any) -> str:
    """A cell as stripped text; Excel's 12.0 for a typed 12 comes back as "12"."""
    if type(value) is str:  # the usual cell, at once
        return value.strip()
    if is_blank(value):
        return ""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat(" ")
    return as_text(value).strip()


def _from_rows(rows: Sequence[tuple[int, Sequence[Any]]], name: str) -> pd.DataFrame:
    texts = [(number, [_cell(v) for v in cells]) for number, cells in rows]
    texts = [(number, cells) for number, cells in texts if any(cells)]
    if not texts:
        raise SubmissionError(name, [RowProblem(None, "", "the file is empty (no header row)", zh="文件是空的（没有表头行）")])
    (_, header), data = texts[0], texts[1:]
    width = max(len(cells) for _, cells in texts)
    headers = [h or f"column {i + 1}" for i, h in enumerate(header + [""] * (width - len(header)))]
    frame = pd.DataFrame([cells + [""] * (width - len(cells)) for _, cells in data],
                         columns=range(width), dtype=object)
    frame.columns = headers
    frame[ROW] = [number for number, _ in data]
    return _canonical_headers(frame, name)


def _from_frame(source: pd.DataFrame, name: str) -> pd.DataFrame:
    """A frame as if written to a sheet (row 2 onwards), unless it already carries `_row`
    (a table read from a file earlier and passed on)."""
    frame = source.copy()
    frame.columns = [_cell(c) for c in frame.columns]
    as_sheet = pd.Series(range(2, len(frame) + 2), index=frame.index)
    rows = pd.to_numeric(frame[ROW], errors="coerce").fillna(as_sheet) if ROW in frame else as_sheet
    frame = frame.drop(columns=[ROW], errors="ignore").map(_cell).astype(object)
    frame[ROW] = rows.astype(int).to_numpy()
    frame = frame[frame.drop(columns=[ROW]).ne("").any(axis=1)].reset_index(drop=True)
    typed = source.attrs.get("headers", {})  # a table read from a file keeps its headers as typed
    return _canonical_headers(frame, name, typed)


def _canonical_headers(frame: pd.DataFrame, name: str, typed_before: dict[str, str] | None = None) -> pd.DataFrame:
    """English column names; two headers meaning one column is a file-level problem."""
    typed: dict[str, Hashable] = {}
    problems = []
    for header in frame.columns:
        english = ROW if header == ROW else column_name(header)
        if english in typed:
            problems.append(RowProblem(1, str(header), (
                f"means the same column as {typed[english]!r} ({english}); keep one of them"),
                zh=f"与“{typed[english]}”是同一列，只保留一个"))
        typed.setdefault(english, header)
    if problems:
        raise SubmissionError(name, problems)
    frame.columns = list(typed)
    frame = frame.reset_index(drop=True)
    frame.attrs["headers"] = {k: (typed_before or {}).get(k, str(v)) for k, v in typed.items()}
    return frame


# ------------------------------------------------------------------------ decisions

ReasonParser = Callable[[str], str]


class _Checker:
    """Collects the problems of one decisions file, naming columns as the trainee typed them."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.headers: dict[str, str] = frame.attrs.get("headers", {})
        self.problems: list[RowProblem] = []

    def add(self, row: int | None, column: str, problem: str, zh: str = "") -> None:
        self.problems.append(RowProblem(row, self.headers.get(column, column), problem, zh=zh))

    def in_row_order(self) -> list[RowProblem]:
        return sorted(self.problems, key=lambda p: p.row or 0)


def read_decisions(
    submission: pd.DataFrame,
    valid_entry_ids: Iterable[str],
    reason_parser: ReasonParser,
    allowed_fields: Iterable[str] = DEFAULT_CORRECTABLE_FIELDS,
    source: str | None = None,
) -> pd.DataFrame:
    """Read a review decisions table, all or nothing.

    Columns (English or Chinese headers, any order): entry_id and decision are required;
    reason, field, value and note are optional. Decisions: approve / reject / correct /
    refer, typed as e.g. 通过, 不通过, 更正, 入户核查 or ✓. A reject needs a reason; any reason
    given is read with `reason_parser` (free text belongs in note). A correct needs a
    field (one of `allowed_fields`, English or Chinese header name) and a value. One
    decision per entry, except several corrections of different fields. `source` names
    the submission in messages (default: the file name).

    Returns columns entry_id, decision, reason, field, value, note, _row. Raises
    SubmissionError listing every problem (row and column) if anything is wrong.
    """
    frame, name = read_table(submission, source)
    checker = _Checker(frame)
    missing = [c for c in ("entry_id", "decision") if c not in frame.columns]
    for column in missing:
        checker.add(None, column, (
            f"required column {column!r} is missing (e.g. {_EXAMPLE_HEADERS[column]}); "
            f"the columns found are {_typed_headers(frame)}"),
            f"缺少必填列（例如 {_EXAMPLE_HEADERS[column]}）；现有的列：{_typed_headers(frame)}")
    if not missing and frame.empty:
        checker.add(None, "", "the file has a header but no decisions", "文件只有表头，没有审核决定")
    if checker.problems:
        raise SubmissionError(name, checker.problems)

    for column in ("reason", "field", "value", "note"):
        if column not in frame.columns:
            frame[column] = ""
    ids = {_entry_key(i): i for i in valid_entry_ids}
    fields = set(allowed_fields)
    decisions = [_read_row(row, ids, fields, reason_parser, checker) for row in frame.to_dict("records")]
    _check_duplicates(decisions, checker)
    if checker.problems:
        raise SubmissionError(name, checker.in_row_order())
    return pd.DataFrame(decisions, columns=DECISION_COLUMNS)


def _typed_headers(frame: pd.DataFrame) -> list[str]:
    return [typed for name, typed in frame.attrs.get("headers", {}).items() if name != ROW]


_EXAMPLE_HEADERS = {"entry_id": "entry_id / 序号 / 编号", "decision": "decision / 审核结果 / 决定"}


def _entry_key(entry_id: Any) -> str:
    """Entry ids match whatever their width, case or spacing (Ｅ０００１ = e0001)."""
    return clean_text(entry_id, code=True).upper()


def _read_row(row: dict[str, Any], ids: dict[str, str], fields: set[str],
              reason_parser: ReasonParser, checker: _Checker) -> dict[str, Any]:
    number = row[ROW]
    entry_id = _read_entry_id(row["entry_id"], number, ids, checker)
    decision = _read_decision_word(row["decision"], number, checker)
    reason = _read_reason(row["reason"], decision, number, reason_parser, checker)
    field, value = _read_correction(row["field"], row["value"], decision, number, fields, checker)
    return {"entry_id": entry_id, "decision": decision, "reason": reason, "field": field,
            "value": value, "note": row["note"], ROW: number}


def _read_entry_id(typed: str, row: int, ids: dict[str, str], checker: _Checker) -> str:
    if not typed:
        checker.add(row, "entry_id", "entry_id is blank", "序号是空的")
        return ""
    entry_id = ids.get(_entry_key(typed))
    if entry_id is None:
        checker.add(row, "entry_id", f"unknown entry_id {typed!r}: it is not on the roster under review",
                    f"序号 {typed!r} 不在待审核的名单上")
        return typed
    return entry_id


def _read_decision_word(typed: str, row: int, checker: _Checker) -> str:
    decision = parse_decision(typed)
    if decision is None:
        what = "decision is blank" if not typed else f"unknown decision {typed!r}"
        what_zh = "审核决定是空的" if not typed else f"无法识别的审核决定 {typed!r}"
        offered = close_words(typed, DECISION_WORDS) if typed else []
        checker.add(row, "decision", f"{what}; expected one of {DECISION_HINT}{_offer(offered, 'en')}",
                    f"{what_zh}；可填：{DECISION_HINT}{_offer(offered, 'zh')}")
        return typed
    return decision


def _read_reason(typed: str, decision: str, row: int, reason_parser: ReasonParser,
                 checker: _Checker) -> str:
    if not typed:
        if decision == "reject":
            checker.add(row, "reason", "a rejection (不通过) needs a reason (原因)", "不通过必须填写原因")
        return ""
    try:
        return reason_parser(typed)
    except SandboxError as exc:
        checker.add(row, "reason", f"{exc.en} (put free text in the note/备注 column)",
                    f"{exc.zh}（说明文字请写在“备注”列）")
        return typed


def _read_correction(field: str, value: str, decision: str, row: int, fields: set[str],
                     checker: _Checker) -> tuple[str, str]:
    if decision != "correct":
        if field or value:
            checker.add(row, "field" if field else "value",
                        "field and value are only for a correction (更正); leave them blank "
                        "or change the decision",
                        "“更正字段”和“更正值”只用于更正；请留空，或把决定改为更正")
        return field, value
    english = column_name(field) if field else ""
    if not field:
        checker.add(row, "field", f"a correction (更正) needs the field to correct: one of {sorted(fields)}",
                    f"更正需要写明更正哪个字段：{sorted(fields)} 之一")
    elif english not in fields:
        offered = close_words(field, [w for f in sorted(fields) for w in (f, _header_zh(f)) if w])
        checker.add(row, "field", f"cannot correct {field!r}; expected one of {sorted(fields)}{_offer(offered, 'en')}",
                    f"不能更正 {field!r}；可更正：{sorted(fields)}{_offer(offered, 'zh')}")
    if not value:
        checker.add(row, "value", "a correction (更正) needs the corrected value", "更正需要填写更正后的值")
        return english, value
    return english, _clean_value(english, value, row, checker)


def _header_zh(field: str) -> str:
    try:
        return header_zh(field)
    except KeyError:
        return ""


def _clean_value(field: str, value: str, row: int, checker: _Checker) -> str:
    """The corrected value in the form the roster uses (numbers as plain decimals)."""
    try:
        if field == "id_number":
            return clean_id_number(value)
        if field == "account_number":
            return clean_card_number(value)
        if field == "amount":
            return _plain_number(parse_amount(value))
        if field == "quantity":
            return _plain_number(parse_quantity(value))
    except CleaningError as exc:
        checker.add(row, "value", exc.en, exc.zh)
        return value
    return clean_text(value)


def _plain_number(number: float) -> str:
    """1200.0 → "1200", 1234.5 → "1234.5": how the trainee would write it."""
    return f"{number:.2f}".rstrip("0").rstrip(".")


def _check_duplicates(decisions: list[dict[str, Any]], checker: _Checker) -> None:
    """One decision per entry; only corrections of different fields may share an entry."""
    seen: dict[str, tuple[int, set[str] | None]] = {}  # entry → (first row, fields corrected)
    for d in decisions:
        entry_id, row = d["entry_id"], d[ROW]
        if not entry_id:
            continue
        if entry_id not in seen:
            seen[entry_id] = (row, {d["field"]} if d["decision"] == "correct" else None)
            continue
        first_row, corrected = seen[entry_id]
        if d["decision"] == "correct" and corrected is not None and d["field"] not in corrected:
            corrected.add(d["field"])
            continue
        checker.add(row, "entry_id",
                    f"duplicate decision for entry {entry_id} (first given on row {first_row})",
                    f"条目 {entry_id} 的决定重复了（第 {first_row} 行已经给过）")
