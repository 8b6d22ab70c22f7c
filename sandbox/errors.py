"""Errors a user can act on: each names where the problem is and what was expected.

Every error a trainee can meet carries its sentence in Chinese and in English
(`SandboxError(zh, en)`): the course's error handler shows the one in the trainee's language
(`error.message(lang)`), and `str(error)` gives both, Chinese first ("zh / en"), for logs,
terminals and the class server. A tool that only trainers use may pass one text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# CJK ideographs: how a test (and the handler) tells that a text has Chinese in it.
_CHINESE = re.compile(r"[\u3400-\u9fff]")


def has_chinese(text: str) -> bool:
    return bool(_CHINESE.search(text or ""))


class SandboxError(Exception):
    """Base class for errors caused by user input (shown without a traceback).

    zh: the sentence in Chinese; en: the same in English. With one text (trainer tools, or an
    old message carrying both as "zh / en") that text is shown in either language."""

    def __init__(self, zh: str = "", en: str | None = None) -> None:
        self.zh = str(zh)
        self.en = str(en) if en is not None else self.zh
        super().__init__(self._both())

    def _both(self) -> str:
        return self.zh if self.en == self.zh else f"{self.zh} / {self.en}"

    def message(self, lang: str = "zh") -> str:
        """The error in the trainee's language ("zh" or "en")."""
        return self.zh if lang == "zh" else self.en

    def __reduce__(self):  # keep both texts through pickling (copy, multiprocessing)
        return (type(self).__new__, (type(self),), self.__dict__ | {"args": self.args})

    def __setstate__(self, state: dict) -> None:
        self.args = state.pop("args", ())
        self.__dict__.update(state)


class AlreadyFinal(SandboxError):
    """A final step asked for again after it was done (publish twice, a second report…)."""


@dataclass(frozen=True)
class ScenarioProblem:
    file: str
    line: int | None
    field: str
    found: str
    expected: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} found {self.found}; expected {self.expected}"


class ScenarioError(SandboxError):
    def __init__(self, problems: list[ScenarioProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class RowProblem:
    row: int | None  # 1-based data row as a spreadsheet user counts it (header = row 1)
    column: str
    problem: str     # in English
    zh: str = ""     # the same in Chinese (empty: shown in English in both languages)

    def __str__(self) -> str:
        return self.text("en")

    @classmethod
    def of(cls, row: int | None, column: str, error: SandboxError) -> RowProblem:
        """A row problem from an error raised while reading a cell (both languages kept)."""
        return cls(row, column, error.en, zh=error.zh)

    def text(self, lang: str = "zh") -> str:
        if lang != "zh":
            where = f"row {self.row}" if self.row is not None else "file"
            col = f", column {self.column!r}" if self.column else ""
            return f"{where}{col}: {self.problem}"
        where = f"第 {self.row} 行" if self.row is not None else "整个文件"
        col = f"“{column_zh(self.column)}”列" if self.column else ""
        return f"{where}{'，' + col if col else ''}：{self.zh or self.problem}"


# Canonical column -> Chinese header; sandbox.common.columns (the column catalogue) fills it, as
# this module sits below every other and imports none of them.
COLUMN_HEADERS_ZH: dict[str, str] = {}


def column_zh(column: str) -> str:
    """A column as a Chinese reader knows it: 金额（amount）; a header as typed stays as it is."""
    names = [name.strip() for name in str(column).split(",")]
    return "、".join(f"{COLUMN_HEADERS_ZH[name]}（{name}）" if name in COLUMN_HEADERS_ZH else name
                    for name in names)


SHOWN_PROBLEMS = 20
# What a rejected submission is called in Chinese when it is no file (a file keeps its name).
SOURCE_ZH = {
    "DataFrame": "你交的表", "cleaned roster": "清洗后的名册", "roster": "名册", "payment request": "支付申请",
    "re-issue (补发)": "补发", "decisions": "审核决定", "statement": "对账单", "publication": "公开表",
    "findings": "检查报告", "activation requests": "激活申请",
}


class SubmissionError(SandboxError):
    """A submission rejected whole; nothing of it was recorded."""

    def __init__(self, source: str, problems: list[RowProblem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(self._block("zh"), self._block("en"))

    def _block(self, lang: str) -> str:
        problems = self.problems
        shown = "\n  ".join(p.text(lang) for p in problems[:SHOWN_PROBLEMS])
        extra = len(problems) - SHOWN_PROBLEMS
        if lang == "zh":
            more = f"\n  … 另有 {extra} 处" if extra > 0 else ""
            return (f"{SOURCE_ZH.get(self.source, self.source)}：整份退回，什么也没有记录（{len(problems)} 处问题，改好后再交一次）：\n"
                    f"  {shown}{more}")
        more = f"\n  … and {extra} more" if extra > 0 else ""
        return (f"{self.source}: submission rejected, nothing was recorded "
                f"({len(problems)} problem{'s' if len(problems) != 1 else ''}):\n  {shown}{more}")

    def _both(self) -> str:
        return f"{self.zh}\n{self.en}"
