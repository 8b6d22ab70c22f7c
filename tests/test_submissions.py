"""Reading trainees' decision files: real CSV/XLSX files as Chinese Excel writes them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from sandbox.common.submissions import parse_decision, read_decisions, read_file
from sandbox.errors import RowProblem, SandboxError, SubmissionError

ENTRY_IDS = ["E0001", "E0002", "E0003", "E0004", "E0005"]
REASONS = {"死亡": "dead_payee", "dead_payee": "dead_payee", "公职人员": "public_employee",
           "public_employee": "public_employee"}


def parse_reason(text: str) -> str:
    """Stands in for sandbox.irregularities.parse_reason: code, or SandboxError if unknown."""
    try:
        return REASONS[text.strip()]
    except KeyError:
        raise SandboxError(f"unknown reason {text!r}") from None


def write_csv(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=number, column=column, value=value)
    book.save(path)
    return path


def decisions(source: object) -> pd.DataFrame:
    """A decisions file as a trainee hands it in: read on their side, then checked."""
    frame, name = read_file(source)
    return read_decisions(frame, ENTRY_IDS, parse_reason, source=name)


def problems(source: object) -> list[RowProblem]:
    with pytest.raises(SubmissionError) as err:
        decisions(source)
    return err.value.problems


CHINESE_CSV = (
    "序号,审核结果,原因,更正字段,更正值,备注\n"
    "Ｅ０００１,通过,,,,\n"
    ",,,,,\n"
    "E0002,不通过,死亡,,,村里反映已去世\n"
    "\n"
    "e0003, 更正 ,,身份证号,４１１６２３ 2005 0312 123x,\n"
    "E0004,入户核查,,,,\n"
)


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8", "gb18030"])
def test_chinese_csv_in_every_excel_encoding(tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "审核意见.csv", CHINESE_CSV, encoding)
    result = decisions(path)
    assert list(result.columns) == ["entry_id", "decision", "reason", "field", "value", "note", "_row"]
    assert result["entry_id"].tolist() == ["E0001", "E0002", "E0003", "E0004"]
    assert result["decision"].tolist() == ["approve", "reject", "correct", "refer"]
    assert result["reason"].tolist() == ["", "dead_payee", "", ""]
    assert result.loc[2, "field"] == "id_number"
    assert result.loc[2, "value"] == "41162320050312123X"
    assert result.loc[1, "note"] == "村里反映已去世"
    # blank rows are skipped but rows keep the numbers Excel shows
    assert result["_row"].tolist() == [2, 4, 6, 7]


def test_xlsx_with_blank_rows_and_numeric_cells(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "decisions.xlsx", [
        [" entry_id ", "decision", "reason", "field", "value"],
        ["E0001", "✓", None, None, None],
        [None, None, None, None, None],
        ["E0005", "correct", None, "amount", 1234.5],
        ["E0002", "Reject", "public_employee", None, None],
        ["E0003", "correct", None, "quantity", "３亩５分"],
    ])
    result = decisions(path)
    assert result["entry_id"].tolist() == ["E0001", "E0005", "E0002", "E0003"]
    assert result["decision"].tolist() == ["approve", "correct", "reject", "correct"]
    assert result["value"].tolist() == ["", "1234.5", "", "3.5"]
    assert result["_row"].tolist() == [2, 4, 5, 6]


def test_dataframe_input_counts_rows_as_a_sheet_would(tmp_path: Path) -> None:
    frame = pd.DataFrame({
        "entry_id": ["E0001", "E0002", "E0003"],
        "decision": ["approve", "不通过", "visit"],
        "reason": [None, "死亡", None],
    })
    result = decisions(frame)
    assert result["decision"].tolist() == ["approve", "reject", "refer"]
    assert result["_row"].tolist() == [2, 3, 4]
    assert frame["decision"].tolist() == ["approve", "不通过", "visit"]  # input untouched


@pytest.mark.parametrize(
    ("typed", "decision"),
    [("通过", "approve"), ("同意", "approve"), ("批准", "approve"), ("OK", "approve"),
     ("ＡＰＰＲＯＶＥ", "approve"), ("✓", "approve"), ("√", "approve"),
     ("不通过", "reject"), ("驳回", "reject"), ("拒绝", "reject"), ("REJECT", "reject"),
     ("更正", "correct"), ("修改", "correct"), ("Correct", "correct"),
     ("核查", "refer"), ("入户核查", "refer"), ("refer", "refer"), ("Visit", "refer"),
     ("maybe", None), ("", None)],
)
def test_decision_words(typed: str, decision: str | None) -> None:
    assert parse_decision(typed) == decision


def test_read_table_keeps_text_and_row_numbers(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "lines.csv", "\n金额 , 卡号\n\"￥1,234.50\",6228 4800\n,\n007,62\n", "gbk")
    frame, name = read_file(path)
    assert name == "lines.csv"
    assert list(frame.columns) == ["amount", "account_number", "_row"]
    assert frame["amount"].tolist() == ["￥1,234.50", "007"]  # text: leading zeros survive
    assert frame["_row"].tolist() == [3, 5]
    assert frame.attrs["headers"]["amount"] == "金额"


# ---------------------------------------------------------------- malformed files

def test_every_row_problem_is_reported_with_its_row_and_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", (
        "序号,审核结果,原因,更正字段,更正值\n"
        "E0001,通过,,,\n"          # row 2: fine
        "E0099,通过,,,\n"          # row 3: unknown entry
        "E0002,maybe,,,\n"         # row 4: unknown decision word
        "E0003,不通过,,,\n"         # row 5: reject without reason
        "E0004,不通过,外星人,,\n"    # row 6: unknown reason
        "E0005,更正,,,\n"           # row 7: correct without field and value
        "E0001,驳回,死亡,,\n"        # row 8: second decision for E0001
    ), "gbk")
    found = {(p.row, p.column) for p in problems(path)}
    assert found == {(3, "序号"), (4, "审核结果"), (5, "原因"), (6, "原因"), (7, "更正字段"),
                     (7, "更正值"), (8, "序号")}


def test_messages_name_the_file_row_and_what_was_expected(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "审核.csv", "序号,审核结果\nE0001,通过\nE0001,maybe\n", "utf-8-sig")
    with pytest.raises(SubmissionError) as err:
        decisions(path)
    message = err.value.message("en")  # str() gives Chinese first, then English
    assert message.startswith("审核.csv: submission rejected, nothing was recorded (2 problems)")
    assert "row 3, column '审核结果': unknown decision 'maybe'; expected one of 通过/不通过" in message
    assert "row 3, column '序号': duplicate decision for entry E0001 (first given on row 2)" in message


def test_unknown_reason_quotes_the_parser_message(tmp_path: Path) -> None:
    frame = pd.DataFrame({"entry_id": ["E0001"], "decision": ["reject"], "reason": ["外星人"]})
    (problem,) = problems(frame)
    assert problem.row == 2
    assert "unknown reason '外星人'" in problem.problem


def test_correct_needs_an_allowed_field(tmp_path: Path) -> None:
    frame = pd.DataFrame({"entry_id": ["E0001", "E0002"], "decision": ["correct", "correct"],
                          "field": ["bank", "姓名"], "value": ["农行", "张三"]})
    (problem,) = problems(frame)
    assert (problem.row, problem.column) == (2, "field")
    assert "cannot correct 'bank'" in problem.problem


def test_unreadable_corrected_amount_is_a_problem() -> None:
    frame = pd.DataFrame({"entry_id": ["E0001"], "decision": ["更正"], "field": ["金额"],
                          "value": ["一千"]})
    (problem,) = problems(frame)
    assert (problem.row, problem.column) == (2, "value")


def test_two_corrections_of_different_fields_are_one_decision() -> None:
    frame = pd.DataFrame({"entry_id": ["E0001", "E0001", "E0001"],
                          "decision": ["correct", "correct", "correct"],
                          "field": ["name", "amount", "name"], "value": ["张三", "960", "李四"]})
    (problem,) = problems(frame)
    assert problem.row == 4
    assert "first given on row 2" in problem.problem


def test_field_on_an_approval_is_a_problem_not_ignored() -> None:
    frame = pd.DataFrame({"entry_id": ["E0001"], "decision": ["通过"], "field": ["name"],
                          "value": ["张三"]})
    (problem,) = problems(frame)
    assert problem.column == "field"


def test_missing_required_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", "序号,原因\nE0001,死亡\n", "utf-8")
    (problem,) = problems(path)
    assert problem.row is None
    assert problem.column == "decision"
    assert "required column 'decision' is missing" in problem.problem
    assert "'序号'" in problem.problem  # what was found


@pytest.mark.parametrize("content", [b"", b"\n\n,,\n", "序号,审核结果\n\n".encode("gbk")])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    (problem,) = problems(path)
    assert problem.row is None
    assert "empty" in problem.problem or "no decisions" in problem.problem


def test_two_headers_meaning_one_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", "序号,编号,审核结果\nE0001,E0001,通过\n", "utf-8")
    (problem,) = problems(path)
    assert (problem.row, problem.column) == (1, "编号")


def test_missing_file_and_wrong_format(tmp_path: Path) -> None:
    with pytest.raises(SubmissionError, match="file not found"):
        decisions(tmp_path / "nope.csv")
    old_excel = tmp_path / "d.xls"
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(SubmissionError, match="xlsx"):
        decisions(old_excel)
    fake = tmp_path / "d.xlsx"
    fake.write_text("not a workbook")
    with pytest.raises(SubmissionError, match="not a readable .xlsx"):
        decisions(fake)


def test_problems_in_an_xlsx_use_excel_row_numbers(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "d.xlsx", [
        ["编号", "决定"],
        [None, None],
        ["E0001", "通过"],
        [None, None],
        [None, None],
        ["E0077", "通过"],
    ])
    (problem,) = problems(path)
    assert (problem.row, problem.column) == (6, "编号")
    assert "unknown entry_id 'E0077'" in problem.problem


# ------------------------------------------------------------ as the platform calls it

def test_rows_survive_reading_then_passing_the_frame_on(tmp_path: Path) -> None:
    """Session reads the file, sends the frame; problems still point at the file's rows."""
    path = write_csv(tmp_path / "审核意见.csv", "序号,审核结果\n\nE0001,通过\n\nE0042,通过\n", "gbk")
    frame, name = read_file(path)
    with pytest.raises(SubmissionError) as err:
        read_decisions(frame, ENTRY_IDS, parse_reason, source=name)
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (5, "序号")  # as typed in the file
    assert err.value.message("en").startswith("审核意见.csv:")


def test_allowed_fields_are_the_callers() -> None:
    frame = pd.DataFrame({"entry_id": ["E0001"], "decision": ["更正"], "field": ["开户行"],
                          "value": ["邮储银行"]})
    assert problems(frame)[0].column == "field"  # bank is not in the default set
    result = read_decisions(frame, ENTRY_IDS, parse_reason, allowed_fields=("bank",))
    assert result[["field", "value"]].values.tolist() == [["bank", "邮储银行"]]


def test_with_the_real_fault_catalogue(tmp_path: Path) -> None:
    faults = pytest.importorskip("sandbox.irregularities")
    path = write_csv(tmp_path / "d.csv", "序号,审核结果,原因\nE0001,不通过,死亡\nE0002,不通过,外星人\n",
                     "gbk")
    with pytest.raises(SubmissionError) as err:
        read_decisions(read_file(path)[0], ENTRY_IDS, faults.parse_reason)
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (3, "原因")
    frame = pd.DataFrame({"entry_id": ["E0001"], "decision": ["不通过"], "reason": ["死亡"]})
    result = read_decisions(frame, ENTRY_IDS, faults.parse_reason)
    assert result["reason"].tolist() == [faults.parse_reason("死亡")]


@pytest.mark.parametrize("named", ["/etc/passwd", "decisions.xlsx", Path("decisions.csv"), 5, None])
def test_the_platform_reads_tables_never_files(tmp_path: Path, named: object) -> None:
    """A payload is data: text naming a file is refused with the same words whether or not the
    file exists (no oracle for the server's disk), and nothing is opened."""
    real = write_csv(tmp_path / "real.csv", "序号,审核结果\nE0001,通过\n", "utf-8")
    refusals = []
    for source in (named, str(real)):
        with pytest.raises(SubmissionError) as err:
            read_decisions(source, ENTRY_IDS, parse_reason)
        refusals.append(err.value.message("en").split(":", 1)[1])
        assert "send the table, not a file name" in err.value.message("en")
        assert "请发送表本身" in err.value.message("zh")
    assert refusals[0] == refusals[1]
