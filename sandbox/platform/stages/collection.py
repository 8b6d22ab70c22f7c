"""Collection and entry (信息采集、录入): the rosters as villages typed them, and the
trainee's cleaned roster, scored on what was cleaned right and what was broken."""

from __future__ import annotations

import re

import pandas as pd

from sandbox.common.identifiers import clean_card_number, clean_id_number
from sandbox.common.parsing import parse_amount, parse_quantity
from sandbox.common.text import clean_text
from sandbox.errors import RowProblem, SubmissionError
from sandbox.platform.rosters import ROSTER_COLUMNS
from sandbox.platform.scoring import Miss, StageScore, _same
from sandbox.platform.stages.base import Stage, StageInfo, action

CHECKED_FIELDS = ("name", "id_number", "account_number", "quantity", "amount")


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


class CollectionStage(Stage):
    info = StageInfo("collection", order=1, title_zh="信息采集、录入", title_en="Collection", weight=10)

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
        clean = _validated(roster, typed)
        score = score_collection(typed, clean, self.attempt.data.key, self.attempt.lang)
        self.attempt.working = _as_working(clean, self.attempt.working)
        return self.attempt.finish_stage(score)


def _validated(roster: pd.DataFrame, typed: pd.DataFrame) -> pd.DataFrame:
    problems: list[RowProblem] = []
    missing = [c for c in ROSTER_COLUMNS if c not in roster.columns]
    if missing:
        problems.append(RowProblem(None, ", ".join(missing), "required column missing"))
        raise SubmissionError("cleaned roster", problems)
    ids = roster["entry_id"].astype(str).map(clean_text)
    known = set(typed["entry_id"])
    for index, entry_id in enumerate(ids):
        if entry_id not in known:
            problems.append(RowProblem(index + 2, "entry_id", f"unknown entry {entry_id!r}"))
    repeated = ids[ids.duplicated()]
    for entry_id in sorted(set(repeated)):
        problems.append(RowProblem(None, "entry_id", f"entry {entry_id} appears more than once"))
    lost = sorted(known - set(ids))
    if lost:
        shown = ", ".join(lost[:10]) + (" …" if len(lost) > 10 else "")
        problems.append(RowProblem(None, "entry_id",
                                   f"{len(lost)} entries are missing ({shown}); a roster must keep every entry"))
    if problems:
        raise SubmissionError("cleaned roster", problems)
    clean = roster[ROSTER_COLUMNS].copy()
    clean["entry_id"] = ids.to_numpy()
    return clean.astype(str)


def _as_working(clean: pd.DataFrame, working: pd.DataFrame) -> pd.DataFrame:
    """The trainee's values become the ones review and payout work on."""
    merged = working.set_index("entry_id")
    incoming = clean.set_index("entry_id")
    for field in CHECKED_FIELDS + ("village", "bank"):
        merged.loc[incoming.index, field] = [canonical(field, v) if field in CHECKED_FIELDS else clean_text(v)
                                             for v in incoming[field]]
    return merged.reset_index()


def score_collection(typed: pd.DataFrame, clean: pd.DataFrame, key: pd.DataFrame, lang: str) -> StageScore:
    """Cells cleaned right vs. cells left messy or changed to something else."""
    expected = canonical_roster(typed).set_index("entry_id")
    submitted = clean.set_index("entry_id").loc[expected.index]
    truth = key.set_index("entry_id")
    true_values = {"name": "true_name", "id_number": "true_id_number",
                   "account_number": "true_account_number", "quantity": "true_quantity"}
    messy = wrong = 0
    misses: list[Miss] = []
    for field in CHECKED_FIELDS:
        raw = typed.set_index("entry_id")[field].astype(str)
        messy += int(sum(not _tidy(field, v) for v in raw))
        for entry_id in expected.index:
            value = submitted.at[entry_id, field]
            if not _tidy(field, value):
                ok = False
            else:
                ok = _same(field, value, expected.at[entry_id, field]) or (
                    field in true_values and _same(field, value, truth.at[entry_id, true_values[field]]))
            if not ok:
                wrong += 1
                if len(misses) < 200:
                    misses.append(_cell_miss(entry_id, field, raw[entry_id], value, expected.at[entry_id, field], lang))
    score = 100.0 * max(0.0, 1.0 - wrong / max(messy, 10))
    metrics = {"entries": len(expected), "messy_cells": messy, "cells_wrong": wrong}
    return StageScore("collection", score, metrics, misses)


_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _tidy(field: str, value: object) -> bool:
    """Cleaned means: numbers as plain half-width digits, text without stray spaces."""
    text = str(value)
    if field in {"quantity", "amount"}:
        return bool(_PLAIN_NUMBER.fullmatch(text))
    return text == canonical(field, text)


def _cell_miss(entry_id: str, field: str, typed: str, value: str, expected: str, lang: str) -> Miss:
    if lang == "zh":
        return Miss(entry_id, "not_clean", "", f"{field}未清洗干净", 0.0, f"录入为“{typed}”，提交为“{value}”，应为“{expected}”",
                    "身份证号、卡号去掉空格并转为半角；金额、面积只留数字",
                    "用 sandbox.course 中的 clean_id_number / clean_card_number / parse_amount 统一清洗")
    return Miss(entry_id, "not_clean", "", f"{field} not cleaned", 0.0, f"typed {typed!r}, submitted {value!r}, expected {expected!r}",
                "IDs and card numbers: half-width digits, no spaces; amounts and areas: plain numbers",
                "clean every column with sandbox.course (clean_id_number, clean_card_number, parse_amount)")
