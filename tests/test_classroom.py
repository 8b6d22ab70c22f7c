"""Creating a class from a class file and a roster; per-trainee seeds; the class report;
`sandbox class …` and `sandbox report ATTEMPT --html` on the command line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from sandbox.classmode.class_report import PROBLEM_COLUMNS, class_report
from sandbox.classmode.classroom import (
    ClassError,
    Classroom,
    create_class,
    demo_class,
    load_class,
    read_roster,
    read_tokens,
)
from sandbox.cli import main
from sandbox.errors import SandboxError
from sandbox.gradebook.store import Gradebook
from sandbox.scenario import scenario_path

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = scenario_path("tutorial")


def class_file(directory: Path, body: str | None = None) -> Path:
    path = directory / "june.yaml"
    path.write_text(body or f"name: 六月审核班\nscenario: {TUTORIAL}\nmode: exam\n"
                             "deadline: 2022-06-10 17:00\n", encoding="utf-8")
    return path


def gbk_roster(directory: Path, rows: str = "张三,41162319900101123X\n李四,411623199002021234\n") -> Path:
    path = directory / "roster.csv"
    path.write_bytes(("姓名,身份证号\n" + rows).encode("gbk"))
    return path


# --- class files -------------------------------------------------------------------------------


def test_a_class_file_resolves_its_scenario_relative_to_itself(tmp_path: Path) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "s.yaml").write_text(TUTORIAL.read_text(encoding="utf-8"), encoding="utf-8")
    config = load_class(class_file(tmp_path, "name: 班\nscenario: scenarios/s.yaml\nmode: practice\n"))
    assert config.scenario_path == (tmp_path / "scenarios" / "s.yaml").resolve()
    assert config.class_id == "june" and config.mode == "practice" and config.deadline is None
    assert config.gradebook_url == str(tmp_path / "june-gradebook.sqlite")


# Malformed class files: tests/test_classfile.py.


# --- rosters -----------------------------------------------------------------------------------


def test_a_gbk_roster_with_chinese_headers_is_read(tmp_path: Path) -> None:
    entries = read_roster(gbk_roster(tmp_path))
    assert [(e.trainee_id, e.name, e.id_number) for e in entries] == [
        ("T001", "张三", "41162319900101123X"), ("T002", "李四", "411623199002021234")]


def test_an_xlsx_roster_keeps_its_own_ids(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["工号", "姓名"])
    book.active.append(["A17", "王五"])
    book.active.append(["A18", "赵六"])
    book.save(tmp_path / "roster.xlsx")
    assert [(e.trainee_id, e.name) for e in read_roster(tmp_path / "roster.xlsx")] == [
        ("A17", "王五"), ("A18", "赵六")]


@pytest.mark.parametrize(("content", "message"), [
    ("工号,单位\n1,张集镇\n", "no name column"),
    ("姓名,身份证号\n张三,41162319900101123X\n张三,41162319900101123X\n", "row 3: 张三 is the same trainee as row 2"),
    ("姓名\n", "no trainees"),
    ("姓名,身份证号\n,41162319900101123X\n", "row 2: the name is empty"),
])
def test_a_bad_roster_creates_nothing(tmp_path: Path, content: str, message: str) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(content, encoding="utf-8-sig")
    path = class_file(tmp_path)
    with pytest.raises(ClassError) as caught:
        create_class(path, roster)
    assert message in str(caught.value)
    assert not (tmp_path / "june-gradebook.sqlite").exists()
    assert not (tmp_path / "june-tokens.csv").exists()


def test_two_trainees_with_the_same_name_but_different_ids_are_two_people(tmp_path: Path) -> None:
    rows = "张伟,41162319900101123X\n张伟,411623199002021234\n"
    assert len(read_roster(gbk_roster(tmp_path, rows))) == 2


# --- creating a class --------------------------------------------------------------------------


def test_creating_a_class_stores_token_hashes_and_hands_out_tokens(tmp_path: Path) -> None:
    classroom, tokens_file = create_class(class_file(tmp_path), gbk_roster(tmp_path))
    assert tokens_file.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM
    tokens = read_tokens(tokens_file)
    assert sorted(tokens) == ["T001", "T002"] and len(set(tokens.values())) == 2
    book = classroom.gradebook
    assert book.trainee_for_token(tokens["T002"])["name"] == "李四"
    assert book.class_info("june")["mode"] == "exam"
    classroom.close()
    stored = (tmp_path / "june-gradebook.sqlite").read_bytes()
    assert all(token.encode() not in stored for token in tokens.values())


def test_a_class_is_created_once(tmp_path: Path) -> None:
    path = class_file(tmp_path)
    first, tokens_file = create_class(path, gbk_roster(tmp_path))
    first.close()
    tokens_file.rename(tmp_path / "handed-out.csv")
    with pytest.raises(SandboxError, match="already exists"):
        create_class(path, gbk_roster(tmp_path))
    assert not tokens_file.exists()
    assert len(Gradebook(tmp_path / "june-gradebook.sqlite").trainees("june")) == 2


def test_each_trainee_has_a_stable_seed_of_their_own(tmp_path: Path) -> None:
    classroom, _ = create_class(class_file(tmp_path), gbk_roster(tmp_path))
    seeds = [classroom.seed_for("T001"), classroom.seed_for("T002")]
    reopened = Classroom.open(tmp_path / "june.yaml")
    assert [reopened.seed_for("T001"), reopened.seed_for("T002")] == seeds
    assert seeds[0] != seeds[1]
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other, _ = create_class(class_file(other_dir), gbk_roster(other_dir))
    assert other.seed_for("T001") != seeds[0]  # another class, another secret


# --- the class report --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Classroom:
    return demo_class(tmp_path_factory.mktemp("demo"), TUTORIAL)


def test_the_class_report_puts_the_most_missed_problems_first(demo: Classroom) -> None:
    report = class_report(demo.gradebook, demo.class_id)
    problems = report.problems
    assert list(problems.columns) == PROBLEM_COLUMNS and not problems.empty
    assert problems["trainees"].is_monotonic_decreasing
    # approve-all let every planted public employee through; the perfect persona did not.
    public = problems[(problems["stage"] == "review") & (problems["code"] == "public_employee")]
    assert len(public) == 1 and 1 <= public["trainees"].iloc[0] < public["of_trainees"].iloc[0]
    assert "approve-all" in public["examples"].iloc[0]
    assert list(report.progress["name"]) == ["perfect", "no-registry-checks", "approve-all"]
    totals = report.progress.set_index("name")["total"]
    assert totals["perfect"] > totals["approve-all"]
    assert set(report.stage_times["stage"]) >= {"collection", "review"}


def test_the_class_report_exports_to_excel(demo: Classroom, tmp_path: Path) -> None:
    report = class_report(demo.gradebook, demo.class_id)
    path = report.to_excel(tmp_path / "class.xlsx")
    book = load_workbook(path)
    assert book.sheetnames[0] == "问题 problems" and "图表 chart" in book.sheetnames
    assert len(pd.read_excel(path, sheet_name="进度 progress")) == 3


# --- command line ------------------------------------------------------------------------------


def test_class_commands_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = class_file(tmp_path)
    assert main(["class", "new", str(path), "--roster", str(gbk_roster(tmp_path))]) == 0
    assert "2 trainees" in capsys.readouterr().out
    assert main(["class", "release-feedback", str(path)]) == 0
    assert Gradebook(tmp_path / "june-gradebook.sqlite").feedback_released("june")
    assert main(["class", "report", str(path), "--xlsx", str(tmp_path / "r.xlsx")]) == 0
    assert "0 of 2 trainees started" in capsys.readouterr().out
    assert (tmp_path / "r.xlsx").exists()


def test_class_new_with_a_bad_roster_exits_2_with_the_row(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text("姓名\n张三\n张三\n", encoding="utf-8")
    assert main(["class", "new", str(class_file(tmp_path)), "--roster", str(roster)]) == 2
    assert "row 3" in capsys.readouterr().err


def test_a_stored_attempt_report_is_saved_as_html(demo: Classroom, tmp_path: Path) -> None:
    attempts = demo.gradebook.attempts(class_id=demo.class_id)
    attempt_id = attempts["attempt_id"].iloc[-1]
    out = tmp_path / "report.html"
    assert main(["report", attempt_id, "--class", str(demo.config.path), "--html", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "approve-all" in html
    assert "data:image/png;base64," in html  # charts inside: one file to keep
    assert main(["report", "no-such-attempt", "--class", str(demo.config.path)]) == 2


def test_the_class_report_shows_each_trainees_payout_kpis(demo: Classroom) -> None:
    report = class_report(demo.gradebook, demo.class_id)
    kpis = report.kpis.set_index("name")
    assert list(kpis.index) == ["perfect", "no-registry-checks", "approve-all"]
    assert kpis["first_pass_success_rate"].between(0.8, 1.0).all()
    # every persona works the failure desk as the careful one does (a shortcut persona takes its
    # one shortcut in review): failed lines re-issued, a dead holder's stopped, not paid
    for name in kpis.index:
        assert kpis.at[name, "final_success_rate"] >= kpis.at[name, "first_pass_success_rate"], name
    assert kpis.at["approve-all", "money_let_through"] > kpis.at["perfect", "money_let_through"]
