"""Collection and entry (信息采集、录入): the rosters as villages typed them, and the roster the
trainee hands in, imported as a real platform imports a sheet (`imported`).

The import does not tidy: text comes in as typed, ends trimmed (as a spreadsheet import and the
banks trim them); numbers are read as numbers (a unit or a ¥ mark dropped), and a cell that is
no number is refused. So a card number left with spaces comes back from the bank (AC01), an
ID number typed in full-width digits matches no registry row at review — and those
consequences are this stage's harm in the ledger (docs/scoring.md). The stage has no score of
its own making: cells are not marked for format. Until a roster is handed in, the platform
holds the villages' forms, imported the same way.
"""

from __future__ import annotations

import re

import pandas as pd

from sandbox.common.identifiers import clean_card_number, clean_id_number
from sandbox.common.parsing import parse_amount, parse_quantity
from sandbox.common.text import clean_text
from sandbox.errors import RowProblem, SubmissionError
from sandbox.platform.differences import differences, masked_keeping_differences
from sandbox.platform.rosters import ROSTER_COLUMNS
from sandbox.platform.scoring import Miss, StageScore
from sandbox.platform.stages.base import Stage, action
from sandbox.platform.stages.sequence import STAGES

CHECKED_FIELDS = ("name", "id_number", "account_number", "quantity", "amount")
NUMBER_FIELDS = {"quantity": parse_quantity, "amount": parse_amount}
SHOWN_MISSES = 200


def canonical(field: str, value: object) -> str:
    """The value a careful clerk's cleaning gives (what the platform also applies)."""
    text = "" if value is None else str(value)
    try:
        if field == "id_number":
            return clean_id_number(text)
        if field == "account_number":
            return clean_card_number(text)
        if field == "quantity":
            return f"{parse_quantity(text):.2f}"
        if field == "amount":
            return f"{parse_amount(text):.2f}"
    except Exception:  # noqa: BLE001 - unparseable stays as typed, stripped
        return clean_text(text)
    return clean_text(text)


def canonical_roster(typed: pd.DataFrame) -> pd.DataFrame:
    clean = typed.copy()
    for field in CHECKED_FIELDS:
        clean[field] = [canonical(field, v) for v in typed[field]]
    clean["village"] = typed["village"].map(clean_text)
    return clean


def imported(field: str, value: object) -> str:
    """One cell as the platform's import reads it: numbers as numbers (2 decimals), text as
    typed with its ends trimmed. Raises ValueError for a number cell that holds no number."""
    text = "" if value is None else str(value).strip()
    if field in NUMBER_FIELDS:
        return f"{NUMBER_FIELDS[field](text):.2f}"
    return text


def imported_roster(frame: pd.DataFrame, source: str = "roster") -> pd.DataFrame:
    """A roster as the platform holds it after import; every unreadable number refused at once."""
    out = frame.copy()
    problems: list[RowProblem] = []
    for field in [*ROSTER_COLUMNS]:
        if field not in out:
            continue
        values = []
        for index, value in enumerate(out[field]):
            try:
                values.append(imported(field, value))
            except Exception:  # noqa: BLE001 - any unreadable number is reported with its row
                problems.append(RowProblem(index + 2, field, f"{value!r} is not a number", zh=f"{value!r} 不是数字"))
                values.append("")
        out[field] = values
    if problems:
        raise SubmissionError(source, problems)
    return out


class CollectionStage(Stage):
    info = STAGES["collection"]

    @action("forms", read_only=True)
    def forms(self) -> pd.DataFrame:
        """Every village's roster combined, exactly as typed."""
        return self.attempt.data.typed.copy()

    @action("village_files", read_only=True)
    def village_files(self) -> dict[str, pd.DataFrame]:
        return {v: f.copy() for v, f in self.attempt.data.village_files.items()}

    @action("submit", read_only=False)
    def submit(self, roster: pd.DataFrame) -> dict:
        typed = self.attempt.data.typed
        clean = imported_roster(_validated(roster, typed), "cleaned roster")
        self.attempt.working = _as_working(clean, self.attempt.working)
        return self.attempt.finish_stage(collection_notes(typed, clean, self.attempt.lang))


def _validated(roster: pd.DataFrame, typed: pd.DataFrame) -> pd.DataFrame:
    problems: list[RowProblem] = []
    missing = [c for c in ROSTER_COLUMNS if c not in roster.columns]
    if missing:
        problems.append(RowProblem(None, ", ".join(missing), "required column missing", zh="缺少这些列"))
        raise SubmissionError("cleaned roster", problems)
    ids = roster["entry_id"].astype(str).map(clean_text)
    known = set(typed["entry_id"])
    for index, entry_id in enumerate(ids):
        if entry_id not in known:
            problems.append(RowProblem(index + 2, "entry_id", f"unknown entry {entry_id!r}",
                                       zh=f"村里的表上没有序号 {entry_id!r}"))
    repeated = ids[ids.duplicated()]
    for entry_id in sorted(set(repeated)):
        problems.append(RowProblem(None, "entry_id", f"entry {entry_id} appears more than once",
                                   zh=f"序号 {entry_id} 出现了不止一次"))
    lost = sorted(known - set(ids))
    if lost:
        shown = ", ".join(lost[:10]) + (" …" if len(lost) > 10 else "")
        problems.append(RowProblem(None, "entry_id",
                                   f"{len(lost)} entries are missing ({shown}); a roster must keep every entry",
                                   zh=f"少了 {len(lost)} 条（{shown}）；名册必须保留每一条"))
    if problems:
        raise SubmissionError("cleaned roster", problems)
    clean = roster[ROSTER_COLUMNS].copy()
    clean["entry_id"] = ids.to_numpy()
    return clean.astype(str)


def _as_working(clean: pd.DataFrame, working: pd.DataFrame) -> pd.DataFrame:
    """The trainee's values, as imported, become the ones review and payout work on."""
    merged = working.set_index("entry_id")
    incoming = clean.set_index("entry_id")
    for field in CHECKED_FIELDS + ("village", "bank"):
        merged.loc[incoming.index, field] = incoming[field].to_numpy()
    return merged.reset_index()


def collection_notes(typed: pd.DataFrame, clean: pd.DataFrame, lang: str) -> StageScore:
    """What the roster handed in holds that a careful cleaning would not: the cells that are not
    the clean form of what was typed. Notes only — the score comes from their consequences."""
    expected = canonical_roster(typed).set_index("entry_id")
    submitted = clean.set_index("entry_id").loc[expected.index]
    raw = typed.set_index("entry_id")
    messy = differ = 0
    misses: list[Miss] = []
    for field in CHECKED_FIELDS:
        messy += int(sum(not _tidy(field, v) for v in raw[field].astype(str)))
        for entry_id, value, want in zip(expected.index, submitted[field], expected[field], strict=True):
            if _differs(field, value, want):
                differ += 1
                if len(misses) < SHOWN_MISSES:
                    misses.append(_cell_miss(entry_id, field, raw.at[entry_id, field], value, want, lang))
    metrics = {"entries": len(expected), "messy_cells": messy, "cells_not_clean": differ}
    return StageScore("collection", 100.0, metrics, misses)


def _differs(field: str, value: str, want: str) -> bool:
    if field in NUMBER_FIELDS:
        try:
            return abs(float(value) - float(want)) > 0.005
        except ValueError:
            return True
    return str(value) != str(want)


_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _tidy(field: str, value: object) -> bool:
    """Cleaned means: numbers as plain half-width digits, text without stray spaces."""
    text = str(value)
    if field in NUMBER_FIELDS:
        return bool(_PLAIN_NUMBER.fullmatch(text))
    return text == canonical(field, text)


# Numbers a report masks: their feedback names the differing positions instead.
SECRET_FIELDS = frozenset({"id_number", "account_number"})
_CONSEQUENCE = {
    "id_number": ("与登记比对时查不到此人", "matches no registry row when review compares"),
    "account_number": ("银行会以账号错误退回", "the bank returns it as an invalid account (AC01)"),
    "name": ("银行可能以户名不符退回", "the bank may return it as a name mismatch (BE01)"),
    "quantity": ("按此数量发放", "the payment follows this quantity"),
    "amount": ("按此金额发放", "the payment follows this amount"),
}


# The rule and the tip of every cleaning miss, with or without the number shown.
CLEANING_ZH = ("身份证号、卡号去掉空格并转为半角；金额、面积只留数字",
               "用 sandbox.course 中的 clean_id_number / clean_card_number / parse_amount 统一清洗")
CLEANING_EN = ("IDs and card numbers: half-width digits, no spaces; amounts and areas: plain numbers",
               "clean every column with sandbox.course (clean_id_number, clean_card_number, parse_amount)")


def _cell_miss(entry_id: str, field: str, typed: str, value: str, expected: str, lang: str) -> Miss:
    then_zh, then_en = _CONSEQUENCE[field]
    what = differences(str(value), str(expected), lang)
    if field in SECRET_FIELDS:  # a report masks whole numbers: show what differs, not the number
        shown = masked_keeping_differences(str(value), str(expected))
        said_zh, said_en = f"提交为“{shown}”：{what}", f"submitted {shown!r}: {what}"
    else:
        said_zh = f"录入为“{typed}”，提交为“{value}”，清洗后应为“{expected}”（{what}）"
        said_en = f"typed {typed!r}, submitted {value!r}, clean {expected!r} ({what})"
    if lang == "zh":
        return Miss(entry_id, "not_clean", "", f"{field}未清洗干净", 0.0, f"{said_zh}；{then_zh}", *CLEANING_ZH)
    return Miss(entry_id, "not_clean", "", f"{field} not cleaned", 0.0, f"{said_en}; {then_en}", *CLEANING_EN)
    if lang == "zh":
        return Miss(entry_id, "not_clean", "", f"{field}未清洗干净", 0.0,
                    f"录入为“{typed}”，提交为“{value}”，清洗后应为“{expected}”（{what}）；{then_zh}",
                    *CLEANING_ZH)
    return Miss(entry_id, "not_clean", "", f"{field} not cleaned", 0.0,
                f"typed {typed!r}, submitted {value!r}, clean {expected!r} ({what}); {then_en}",
                *CLEANING_EN)
