"""Errors a trainee meets read in their language: every raise site has Chinese, and the course's
error handler shows one message box (no traceback) while programming errors still show."""

from __future__ import annotations

import ast
import io
from contextlib import redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from sandbox.errors import RowProblem, SandboxError, SubmissionError, has_chinese

ROOT = Path(__file__).resolve().parent.parent / "sandbox"
# What a trainee reaches through the course: the platform, their session and desks, the course
# helpers, the tables they hand in, and what reads reasons, programs and bank files for them.
TRAINEE_REACHABLE = ["platform", "session", "course", "common", "bank", "irregularities/reasons.py",
                     "programs/choices.py", "errors.py"]
ERROR_CLASSES = {"SandboxError", "AlreadyFinal", "CleaningError", "ClassServerError", "GradebookError"}
# Helpers that build a RowProblem from (row, column, English, Chinese).
PROBLEM_BUILDERS = {"RowProblem", "_problem", "problem", "add"}


def _files() -> list[Path]:
    out: list[Path] = []
    for part in TRAINEE_REACHABLE:
        path = ROOT / part
        out += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return out


def _literal(node: ast.AST) -> str | None:
    """The text of a string literal or f-string (its constant parts), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):  # "a" + "b"
        left, right = _literal(node.left), _literal(node.right)
        if left is not None or right is not None:
            return (left or "") + (right or "")
    return None


def _name(func: ast.AST) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _untranslated(files: list[Path] | None = None) -> list[str]:
    missing = []
    for path in files if files is not None else _files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            texts = [_literal(a) for a in node.args]
            texts += [_literal(k.value) for k in node.keywords if k.arg == "zh"]
            where = f"{path.name}:{node.lineno}"
            if name in ERROR_CLASSES and texts and texts[0] is not None and not has_chinese(texts[0]):
                missing.append(f"{where} {name}: the first text (zh) has no Chinese")
            elif name in ERROR_CLASSES and texts and texts[0] is not None and len(node.args) < 2:
                missing.append(f"{where} {name}: give the English too, SandboxError(zh, en)")
            elif name in PROBLEM_BUILDERS and any(t is not None for t in texts[2:]) \
                    and not any(t is not None and has_chinese(t) for t in texts[2:]):
                missing.append(f"{where} {name}: a row problem without Chinese")
    return missing


def test_every_error_a_trainee_can_meet_has_chinese() -> None:
    missing = _untranslated()
    assert not missing, "errors without Chinese:\n" + "\n".join(missing)


def test_the_walk_finds_english_only_errors(tmp_path: Path) -> None:
    """The walk above fails on what it should, and passes what is translated."""
    english = tmp_path / "english.py"
    english.write_text('raise SandboxError(f"unknown entry {x!r}")\n'
                       'problems.append(RowProblem(2, "amount", "not a number"))\n'
                       'checker.add(2, "reason", "needs a reason")\n', encoding="utf-8")
    assert len(_untranslated([english])) == 3
    translated = tmp_path / "translated.py"
    translated.write_text('raise SandboxError(f"没有条目 {x!r}", f"unknown entry {x!r}")\n'
                          'problems.append(RowProblem(2, "amount", "not a number", zh="不是数字"))\n'
                          'checker.add(2, "reason", "needs a reason", "需要原因")\n'
                          'raise SandboxError(*REVIEW_STILL_OPEN)\n', encoding="utf-8")
    assert _untranslated([translated]) == []


def test_an_error_speaks_the_trainees_language() -> None:
    error = SandboxError("条目不存在", "unknown entry")
    assert error.message("zh") == "条目不存在" and error.message("en") == "unknown entry"
    assert str(error) == "条目不存在 / unknown entry"


def test_a_rejected_table_names_row_and_column_in_chinese() -> None:
    import sandbox.common.columns  # noqa: F401 - the column catalogue gives the Chinese headers

    error = SubmissionError("审核决定", [RowProblem(3, "amount", "not a number", zh="不是数字")])
    assert "第 3 行，“金额(元)（amount）”列：不是数字" in error.message("zh")
    assert error.message("zh").startswith("审核决定：整份退回")
    assert "row 3, column 'amount': not a number" in error.message("en")
    assert "不是数字" not in error.message("en")


# --- the course's errors as a trainee meets them ------------------------------------------------


@pytest.fixture(scope="module")
def session():
    from sandbox import Session

    return Session.start("tutorial", trainee="t", lang="zh")


def _refusal(call) -> SandboxError:
    with pytest.raises(SandboxError) as refused:
        call()
    return refused.value


def test_course_errors_read_in_chinese(session) -> None:
    refusals = [
        lambda: session.review.lookup("E9999"),                               # unknown entry
        lambda: session.payout.submit(session.payout.build_request(), confirm=True),  # stage order
        lambda: session.review.respond("O999", "uphold"),                     # unknown objection
        lambda: session.registries.get("nonsense"),                           # unknown registry
        lambda: session.collection.submit(pd.DataFrame({"entry_id": ["nope"]})),  # bad roster
        lambda: session.try_again("review"),                                  # not retriable
    ]
    for call in refusals:
        error = _refusal(call)
        assert has_chinese(error.message("zh")), error.message("zh")
        english = error.message("en")
        assert english != error.message("zh") and english.split(":")[-1].strip()[:1].isascii(), english


def test_a_list_where_a_table_belongs_is_a_plain_error(session) -> None:
    error = _refusal(lambda: session.supervision.submit(["L0001"], confirm=True))
    assert "表" in error.message("zh")


# --- the handler in a real IPython shell ------------------------------------------------------


@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    yield shell
    shell.set_custom_exc((), None)


def _run(shell, code: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        shell.run_cell(code)
    return out.getvalue()


def test_a_sandbox_error_shows_as_one_chinese_message_without_traceback(shell) -> None:
    from sandbox.course.trainee_errors import install_error_handler

    assert install_error_handler("zh", shell) and install_error_handler("zh", shell)  # idempotent
    shown = _run(shell, "from sandbox.errors import SandboxError\n"
                        "raise SandboxError('条目 E9 不存在，请核对序号', 'unknown entry E9')")
    assert "Traceback" not in shown and "条目 E9 不存在" in shown and "unknown entry" not in shown
    assert "再运行这个单元格" in shown  # what to do next


def test_a_programming_error_still_shows_its_traceback(shell) -> None:
    from sandbox.course.trainee_errors import install_error_handler

    install_error_handler("zh", shell)
    shown = _run(shell, "len(5)")
    assert "TypeError" in shown and ("Traceback" in shown or "----> 1" in shown)


def test_english_trainees_read_english(shell) -> None:
    from sandbox.course.trainee_errors import install_error_handler

    install_error_handler("en", shell)
    shown = _run(shell, "from sandbox.errors import SandboxError\nraise SandboxError('条目不存在', 'unknown entry E9')")
    assert "unknown entry E9" in shown and "条目不存在" not in shown and "Traceback" not in shown
