"""Class files: a good one is read as before; a malformed one is refused with file, line,
field, what was found and what was expected, like a scenario file."""

from __future__ import annotations

import csv
import datetime as dt
import os
import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sandbox.classmode.class_report import class_report
from sandbox.classmode.classfile import ClassError, ClassFileError, load_class
from sandbox.classmode.classroom import create_class, read_roster, read_tokens
from sandbox.cli import main
from sandbox.scenario import scenario_path

TUTORIAL = scenario_path("tutorial")
MARK = "# <-"  # marks the line an error must point at


def write(directory: Path, body: str, name: str = "june.yaml") -> Path:
    path = directory / name
    path.write_text(body, encoding="utf-8")
    return path


def refused(path: Path) -> ClassFileError:
    with pytest.raises(ClassFileError) as caught:
        load_class(path)
    return caught.value


def marked_line(body: str) -> int:
    return next(n for n, line in enumerate(body.splitlines(), start=1) if MARK in line)


def test_a_full_class_file_is_read_as_written(tmp_path: Path) -> None:
    body = (f"name: 六月审核班\nscenario: {TUTORIAL}\nmode: exam\ndeadline: 2022-06-10 17:00\n"
            "gradebook: book.sqlite\nid: june-2022\n")
    config = load_class(write(tmp_path, body))
    assert (config.class_id, config.name, config.mode) == ("june-2022", "六月审核班", "exam")
    assert config.deadline == dt.datetime(2022, 6, 10, 17, 0)
    assert config.scenario_path == TUTORIAL.resolve()
    assert config.gradebook_url == str(tmp_path / "book.sqlite")
    assert config.tokens_path == tmp_path / "june-2022-tokens.csv"


def test_a_shipped_scenario_is_named_and_labelled_by_its_name(tmp_path: Path) -> None:
    config = load_class(write(tmp_path, "name: 班\nscenario: tutorial\n"))
    assert config.scenario_path == TUTORIAL.resolve()
    assert config.scenario_label == "tutorial"
    assert config.mode == "practice" and config.deadline is None


def test_a_file_beside_the_class_file_wins_over_a_shipped_name(tmp_path: Path) -> None:
    (tmp_path / "tutorial").write_text(TUTORIAL.read_text(encoding="utf-8"), encoding="utf-8")
    config = load_class(write(tmp_path, "name: 班\nscenario: tutorial\n"))
    assert config.scenario_path == (tmp_path / "tutorial").resolve()
    assert config.scenario_label == "tutorial"  # relative to the class file


@pytest.mark.parametrize(("value", "expected"), [
    ("2022-06-10", dt.datetime(2022, 6, 10, 23, 59)),  # a day alone: until its end
    ("2022-06-10 17:00:00", dt.datetime(2022, 6, 10, 17, 0)),  # YAML reads this as a datetime
    ("'2022-06-10T08:30'", dt.datetime(2022, 6, 10, 8, 30)),
])
def test_a_deadline_is_read_in_the_forms_trainers_write(tmp_path: Path, value: str, expected: dt.datetime) -> None:
    config = load_class(write(tmp_path, f"name: 班\nscenario: {TUTORIAL}\ndeadline: {value}\n"))
    assert config.deadline == expected


def test_a_number_as_the_name_is_kept_as_text(tmp_path: Path) -> None:
    assert load_class(write(tmp_path, f"name: 2022\nscenario: {TUTORIAL}\n")).name == "2022"


BAD = [
    # (what is wrong, class file with the bad line marked, field, words in found, words in expected)
    ("mode not known", f"name: 班\nscenario: {TUTORIAL}\nmode: test  {MARK}\n",
     "mode", ["'test'"], ["practice or exam"]),
    ("mode mistyped", f"name: 班\nscenario: {TUTORIAL}\nmode: exma  {MARK}\n",
     "mode", ["'exma'", "did you mean 'exam'"], ["practice or exam"]),
    ("deadline not a date", f"name: 班\nscenario: {TUTORIAL}\ndeadline: soon  {MARK}\n",
     "deadline", ["'soon'"], ["2022-06-10 17:00"]),
    ("scenario missing", f"name: 班\nscenario: nowhere.yaml  {MARK}\n",
     "scenario", ["'nowhere.yaml'", "no such file"], ["relative to the class file", "tutorial"]),
    ("scenario mistyped", f"name: 班\nscenario: tutorail  {MARK}\n",
     "scenario", ["did you mean 'tutorial'"], ["shipped scenario"]),
    ("unknown key", f"name: 班\nscenario: {TUTORIAL}\nseats: 30  {MARK}\n",
     "seats", ["unknown key 'seats'"], ["name, scenario, mode, deadline, gradebook, id"]),
    ("key mistyped", f"name: 班\nsenario: {TUTORIAL}  {MARK}\n",
     "senario", ["did you mean 'scenario'"], ["name, scenario"]),
    ("name empty", f"name: ''  {MARK}\nscenario: {TUTORIAL}\n",
     "name", ["''"], ["the class's name"]),
    ("name a section", f"name:  {MARK}\n  zh: 班\nscenario: {TUTORIAL}\n",
     "name", ["a section with keys zh"], ["the class's name"]),
    ("bad id", f"name: 班\nscenario: {TUTORIAL}\nid: 六月 班  {MARK}\n",
     "id", ["'六月 班'"], ["letters, digits"]),
]


@pytest.mark.parametrize(("case", "body", "field", "found", "expected"), BAD, ids=[c[0] for c in BAD])
def test_a_bad_class_file_names_file_line_field_found_and_expected(
        tmp_path: Path, case: str, body: str, field: str, found: list[str], expected: list[str]) -> None:
    path = write(tmp_path, body)
    problems = refused(path).problems
    problem = next(p for p in problems if p.field == field)  # a mistyped key also leaves one missing
    assert len(problems) == (2 if case == "key mistyped" else 1), problems
    assert (problem.file, problem.line, problem.field) == (str(path), marked_line(body), field), case
    assert all(word in problem.found for word in found), problem.found
    assert all(word in problem.expected for word in expected), problem.expected
    assert str(problem).startswith(f"{path}:{marked_line(body)}: {field}: found ")


def test_a_missing_required_field_is_named(tmp_path: Path) -> None:
    (problem,) = refused(write(tmp_path, "scenario: tutorial\nmode: exam\n")).problems
    assert problem.field == "name" and problem.found == "no name"
    assert "required" in problem.expected


def test_every_problem_is_listed_at_once_in_line_order(tmp_path: Path) -> None:
    problems = refused(write(tmp_path, "name: 班\nscenario: nowhere.yaml\nmode: test\nseats: 3\n")).problems
    assert [(p.line, p.field) for p in problems] == [(2, "scenario"), (3, "mode"), (4, "seats")]


@pytest.mark.parametrize(("body", "line", "found", "expected"), [
    ("name: 班\n\tmode: exam\n", 2, "a tab character", "indentation with spaces"),
    ("name: 班\nname: 班二\n", 2, "the key 'name' twice (first on line 1)", "each key once"),
    ("- name: 班\n", 1, "a list at the top level", "a mapping of class fields"),
    ("", None, "an empty file", "class fields such as name, scenario, mode"),
])
def test_a_file_that_is_not_a_class_file_says_why(tmp_path: Path, body: str, line: int | None,
                                                   found: str, expected: str) -> None:
    (problem,) = refused(write(tmp_path, body)).problems
    assert (problem.line, problem.field) == (line, "")
    assert found in problem.found and expected in problem.expected


def test_a_gbk_class_file_is_refused_with_the_way_to_convert_it(tmp_path: Path) -> None:
    path = tmp_path / "june.yaml"
    path.write_bytes(f"name: 六月审核班\nscenario: {TUTORIAL}\n".encode("gbk"))
    (problem,) = refused(path).problems
    assert "GBK" in problem.found and "UTF-8" in problem.expected


def test_a_missing_class_file_is_a_class_error(tmp_path: Path) -> None:
    with pytest.raises(ClassError, match="no such file"):
        load_class(tmp_path / "none.yaml")


def test_a_file_name_that_cannot_be_an_id_needs_an_id(tmp_path: Path) -> None:
    path = write(tmp_path, f"name: 班\nscenario: {TUTORIAL}\n", name="六月班.yaml")
    (problem,) = refused(path).problems
    assert problem.field == "id" and "'六月班'" in problem.found
    body = f"name: 班\nscenario: {TUTORIAL}\nid: june\n"
    assert load_class(write(tmp_path, body, name="六月班.yaml")).class_id == "june"


def test_the_cli_prints_each_problem_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "name: 班\nscenario: tutorial\nmode: test\n")
    assert main(["class", "new", str(path), "--roster", str(tmp_path / "none.csv")]) == 2
    err = capsys.readouterr().err
    assert f"{path}:3: mode: found 'test'; expected practice or exam" in err
    assert not (tmp_path / "june-gradebook.sqlite").exists()


# --- class files on disk: private, safe to open in a spreadsheet, one id per trainee ---------

POSTGRES_URL = os.environ.get("SANDBOX_TEST_POSTGRES_URL")


def a_class(directory: Path, roster_text: str, gradebook: str | None = None) -> tuple[Path, Path]:
    class_file = write(directory, f"name: 六月班\nscenario: {TUTORIAL}\nmode: practice\n")
    roster = directory / "名单.csv"
    roster.write_text(roster_text, encoding="utf-8")
    return class_file, roster


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_gradebook_and_tokens_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual umask, under which files were created 0644
    try:
        class_file, roster = a_class(tmp_path, "姓名,工号\n张三,T001\n")
        classroom, tokens = create_class(class_file, roster)
        gradebook = Path(classroom.config.gradebook_url)
        assert mode_of(gradebook) == 0o600 and mode_of(tokens) == 0o600
        for sidecar in (gradebook.with_name(gradebook.name + "-wal"), gradebook.with_name(gradebook.name + "-shm")):
            if sidecar.exists():
                assert mode_of(sidecar) == 0o600, sidecar
        classroom.close()
    finally:
        os.umask(old)


def test_names_that_look_like_formulas_stay_text_in_every_sheet_written(tmp_path: Path) -> None:
    class_file, roster = a_class(tmp_path, "姓名,工号\n\"=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",T001\n"
                                           "+1 李四,T002\n@王五,T003\n-赵六,T004\n")
    classroom, tokens = create_class(class_file, roster)
    with tokens.open(encoding="utf-8-sig", newline="") as handle:
        names = [row[1] for row in list(csv.reader(handle))[1:]]
    assert names == ["'=HYPERLINK(\"http://x\",\"点我\")", "'+1 李四", "'@王五", "'-赵六"]
    assert all(not token.startswith(("=", "+", "-", "@")) for token in read_tokens(tokens).values())
    assert set(read_tokens(tokens)) == {"T001", "T002", "T003", "T004"}
    workbook = class_report(classroom.gradebook, classroom.class_id).to_excel(tmp_path / "report.xlsx")
    sheet = load_workbook(workbook)["进度 progress"]
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert not [c.value for c in cells if c.data_type == "f"]  # no formula anywhere
    assert "'=HYPERLINK(\"http://x\",\"点我\")" in [c.value for c in cells]
    classroom.close()


def test_a_trainee_id_is_one_whatever_its_width_case_or_spaces(tmp_path: Path) -> None:
    entries = read_roster(a_class(tmp_path, "姓名,工号\n张三,ｔ００１\n李四, T 002\n")[1])
    assert [e.trainee_id for e in entries] == ["T001", "T002"]
    class_file, roster = a_class(tmp_path, "姓名,工号\n张三,Ｔ００１\n张三,T001\n")
    with pytest.raises(ClassError) as refused:
        create_class(class_file, roster)
    assert "row 3" in refused.value.message("en") and "same trainee as row 2" in refused.value.message("en")


GRADEBOOKS = [None, pytest.param(POSTGRES_URL, marks=pytest.mark.skipif(
    not POSTGRES_URL, reason="SANDBOX_TEST_POSTGRES_URL is not set (make test sets it)"), id="postgresql")]


@pytest.mark.parametrize("gradebook", GRADEBOOKS)
@pytest.mark.parametrize(("name", "says"), [("张" * 201, "at most 200"), ("张\x00三", "control character")])
def test_a_name_the_gradebook_cannot_hold_is_named_by_row(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         gradebook: str | None, name: str, says: str) -> None:
    class_file, roster = a_class(tmp_path, f"姓名,工号\n李四,T001\n{name},T002\n")
    argv = ["class", "new", str(class_file), "--roster", str(roster)]
    if gradebook:
        argv += ["--gradebook", gradebook]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "row 3" in err and says in err and "第 3 行" in err
    assert "Traceback" not in err and "sqlalchemy" not in err.lower()
    assert not (tmp_path / "june-tokens.csv").exists()
