"""`sandbox validate FILE...`: `FILE: ok` or the problems, exit 2 if any file is invalid."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.cli import main
from sandbox.scenario import scenario_path

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = scenario_path("tutorial")
ZHOUKOU = scenario_path("zhoukou-2022")


def run(capsys: pytest.CaptureFixture[str], *paths: Path | str) -> tuple[int, str]:
    code = main(["validate", *map(str, paths)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_valid_files_print_ok_and_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, TUTORIAL, ZHOUKOU)
    assert code == 0
    assert out.splitlines() == [f"{TUTORIAL}: ok", f"{ZHOUKOU}: ok"]


def test_an_invalid_file_prints_each_problem_and_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        TUTORIAL.read_text(encoding="utf-8").replace("households_per_village: 70", "households_per_village: 1000000000000")
        + "regoin: {}\n",
        encoding="utf-8",
    )
    line = bad.read_text(encoding="utf-8").splitlines().index("  households_per_village: 1000000000000") + 1
    code, out = run(capsys, TUTORIAL, bad)
    assert code == 2
    lines = out.splitlines()
    assert lines[0] == f"{TUTORIAL}: ok"
    assert lines[1] == f"{bad}: 2 problems"
    assert lines[2] == (
        f"  {bad}:{line}: region.households_per_village: found 1000000000000; "
        "expected a whole number from 5 to 2000"
    )
    assert "did you mean 'region'" in lines[3]


@pytest.mark.parametrize(
    ("make", "found"),
    [
        (lambda d: d, "a folder"),
        (lambda d: d / "missing.yaml", "no such file"),
        (lambda d: _write(d / "binary.yaml", bytes(range(256))), "a binary file"),
        (lambda d: _write(d / "gbk.yaml", "name: 商水县练习\n".encode("gbk")), "GBK"),
        (lambda d: _write(d / "empty.yaml", b""), "an empty file"),
        (lambda d: _write(d / "tabs.yaml", b"name: x\nregion:\n\tcounties: [x]\n"), "a tab character"),
    ],
    ids=["directory", "missing", "binary", "gbk", "empty", "tabs"],
)
def test_user_errors_are_messages_not_tracebacks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, make, found: str
) -> None:
    path = make(tmp_path)
    code, out = run(capsys, path)
    assert code == 2
    assert out.startswith(f"{path}: 1 problem\n")
    assert found in out
    assert "Traceback" not in out


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def test_gbk_message_says_how_to_convert(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _write(tmp_path / "gbk.yaml", "name: 练习\n".encode("gbk"))
    _, out = run(capsys, path)
    assert "UTF-8" in out and "iconv" in out


def test_problems_in_an_extended_file_name_that_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    parent = tmp_path / "parent.yaml"
    parent.write_text(TUTORIAL.read_text(encoding="utf-8").replace("dead_payee: 0.01", "dead_payee: 1.5"), encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("extends: parent.yaml\nname: child\n", encoding="utf-8")
    code, out = run(capsys, child)
    assert code == 2
    assert f"  {parent}:" in out and "irregularities.dead_payee: found 1.5" in out


def test_command_line_entry_point_exits_2_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "sandbox", "validate", str(TUTORIAL), str(bad)],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )
    assert result.returncode == 2
    assert f"{TUTORIAL}: ok" in result.stdout
    assert "a list at the top level" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
