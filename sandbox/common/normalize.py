"""Cleaning a village roster (信息采集、录入) as typed: one call, every problem listed.

``clean_roster`` normalises the harmless mess of a whole roster at once (column headers,
widths, spaces, separators inside numbers) and *reports* what is really invalid, entry by
entry; it never guesses a fix silently.

The single-value helpers it uses live in their own modules (text, identifiers, parsing,
columns).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pandas as pd

from sandbox.common.columns import canonical_columns
from sandbox.common.identifiers import (
    CARD_REASONS,
    card_reasons,
    check_clean_id,
    clean_number_series,
)
from sandbox.common.parsing import parse_amount, parse_quantity
from sandbox.common.text import (
    CleaningError,
    as_text,
    clean_text_series,
    is_blank,
    text_series,
)

# ---------------------------------------------------------------------------- rosters

ROSTER_COLUMNS = [
    "entry_id", "village", "name", "id_number", "account_number", "bank", "program",
    "quantity", "amount",
]
ISSUE_COLUMNS = ["entry_id", "field", "value", "issue", "message"]


def _map_unique(series: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    """Apply func once per distinct value: rosters repeat amounts and areas a lot."""
    uniques = pd.unique(series.to_numpy())
    return series.map(dict(zip(uniques, map(func, uniques), strict=True)))


def _try_parse(parser: Callable[[Any], float]) -> Callable[[Any], tuple[float, str]]:
    def parse(value: Any) -> tuple[float, str]:
        if is_blank(value):
            return math.nan, "blank"
        try:
            number = parser(value)
        except CleaningError as exc:
            return math.nan, str(exc)
        return number, ("negative" if number < 0 else "")

    return parse


def _issue_rows(entry_ids: pd.Series, raw: pd.Series, field: str, problem: pd.Series,
                message: pd.Series) -> pd.DataFrame:
    bad = problem != ""
    return pd.DataFrame({
        "entry_id": entry_ids[bad], "field": field, "value": raw[bad].map(as_text),
        "issue": problem[bad], "message": message[bad],
    })


def _check_ids(clean: pd.DataFrame, raw: pd.DataFrame) -> pd.DataFrame:
    verdicts = clean["id_number"].map(check_clean_id)
    reason = verdicts.map(lambda v: v.reason)
    message = verdicts.map(lambda v: v.message)
    return _issue_rows(clean["entry_id"], raw["id_number"], "id_number", reason, message)


def _check_cards(clean: pd.DataFrame, raw: pd.DataFrame) -> pd.DataFrame:
    reason = card_reasons(clean["account_number"])
    message = reason.map(lambda r: CARD_REASONS.get(r, ""))
    return _issue_rows(clean["entry_id"], raw["account_number"], "account_number", reason, message)


def _parse_numbers(clean: pd.DataFrame, raw: pd.DataFrame, field: str,
                   parser: Callable[[Any], float], blank_ok: bool) -> pd.DataFrame:
    """Replace clean[field] with floats (NaN where unreadable); return the issues."""
    parsed = _map_unique(text_series(raw[field]), _try_parse(parser))
    clean[field] = parsed.map(lambda p: p[0]).astype("float64")
    outcome = parsed.map(lambda p: p[1])
    if blank_ok:
        outcome = outcome.where(outcome != "blank", "")
    issue = outcome.map(lambda o: o if o in ("", "blank", "negative") else "unreadable")
    message = outcome.map(
        lambda o: {"blank": f"{field} is blank", "negative": f"{field} is negative"}.get(o, o)
    )
    return _issue_rows(clean["entry_id"], raw[field], field, issue, message)


def _check_required_text(clean: pd.DataFrame, raw: pd.DataFrame, field: str) -> pd.DataFrame:
    blank = clean[field] == ""
    issue = blank.map({True: "blank", False: ""})
    return _issue_rows(clean["entry_id"], raw[field], field, issue, issue.map(
        {"blank": f"{field} is blank", "": ""}))


def _check_duplicate_entries(clean: pd.DataFrame, raw: pd.DataFrame) -> pd.DataFrame:
    repeated = clean["entry_id"].duplicated(keep=False) & (clean["entry_id"] != "")
    issue = repeated.map({True: "duplicate", False: ""})
    message = issue.map({"duplicate": "entry_id appears more than once", "": ""})
    return _issue_rows(clean["entry_id"], raw["entry_id"], "entry_id", issue, message)


def clean_roster(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Normalise a roster as typed and list what is invalid, entry by entry.

    Returns ``(clean, issues)``. `clean` has English column names (Chinese headers are
    mapped by sandbox.common.columns), the roster columns first in the documented order,
    then any others; text is tidied, ID and card numbers normalised (never "fixed"),
    quantity and amount are floats (NaN where unreadable). `issues` has one row per
    problem: entry_id, field, value (as typed), issue (a short code), message.
    The input frame is not modified.
    """
    renamed = df.rename(columns=canonical_columns(df.columns))
    if "entry_id" not in renamed.columns:
        raise CleaningError(
            f"名册里没有“序号”（entry_id）列；现有的列：{list(df.columns)}",
            f"the roster has no entry_id column (序号/编号); its columns are {list(df.columns)}"
        )
    raw = renamed.reset_index(drop=True)
    clean = raw.copy()
    for column in ("entry_id",):
        clean[column] = clean_text_series(raw[column], code=True)
    for column in ("village", "township", "name", "bank", "program"):
        if column in clean:
            clean[column] = clean_text_series(raw[column])
    if "id_number" in clean:
        clean["id_number"] = clean_number_series(raw["id_number"], upper=True)
    if "account_number" in clean:
        clean["account_number"] = clean_number_series(raw["account_number"])

    issues = [_check_duplicate_entries(clean, raw)]
    if "name" in clean:
        issues.append(_check_required_text(clean, raw, "name"))
    if "id_number" in clean:
        issues.append(_check_ids(clean, raw))
    if "account_number" in clean:
        issues.append(_check_cards(clean, raw))
    if "quantity" in clean:
        issues.append(_parse_numbers(clean, raw, "quantity", parse_quantity, blank_ok=True))
    if "amount" in clean:
        issues.append(_parse_numbers(clean, raw, "amount", parse_amount, blank_ok=False))

    ordered = [c for c in ROSTER_COLUMNS if c in clean] + [c for c in clean if c not in ROSTER_COLUMNS]
    return clean[ordered].set_index(df.index), _sorted_issues(issues)


def _sorted_issues(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Issues in roster order, and within an entry in column order."""
    field_rank = {f: i for i, f in enumerate(ROSTER_COLUMNS)}
    issues = pd.concat(parts)
    if issues.empty:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in ISSUE_COLUMNS})
    issues["_order"] = issues.index
    issues["_field"] = issues["field"].map(field_rank)
    issues = issues.sort_values(["_order", "_field"], kind="stable")
    return issues[ISSUE_COLUMNS].reset_index(drop=True)
