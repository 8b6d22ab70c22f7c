"""Numbers and dates as villages type them: amounts in yuan, areas in mu, quantities, dates.

"¥1,234.50", "1234.5元", "１２３" and "1.2万元" are all amounts; "3.5亩" and "３亩５分" areas;
"2022年5月1日" and "20220501" dates. What cannot be read raises ``CleaningError`` with a
message that says what was expected; nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import pandas as pd

from sandbox.common.text import CleaningError, as_text, clean_text, is_blank

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_CURRENCY_WORDS = re.compile(r"^(?:人民币|rmb|cny|¥)|(?:元整|元|圆|rmb|cny)$", re.IGNORECASE)
_TEN_THOUSAND = re.compile(r"万$")
_MU_AND_FEN = re.compile(r"(?P<mu>\d+(?:\.\d+)?)亩(?:(?P<fen>\d)分)?")
_QUANTITY_UNITS = re.compile(r"(?:亩|人|口|台|个|户|月|头|株|mu)$", re.IGNORECASE)


def _read_number(text: str) -> float | None:
    """A plain or thousands-grouped decimal; None if it is neither (e.g. "1,5")."""
    if _PLAIN_NUMBER.fullmatch(text):
        return float(text)
    if _GROUPED_NUMBER.fullmatch(text):
        return float(text.replace(",", ""))
    return None


def _number_or_raise(value: Any, text: str, what: str, example: str) -> float:
    if not text:
        raise CleaningError(f"空白：需要一个数字，例如 {example}", f"{what} is blank; expected a number like {example}")
    number = _read_number(text)
    if number is None or not math.isfinite(number):
        raise CleaningError(f"{as_text(value)!r} 读不成数字，应写成例如 {example}",
                            f"cannot read {as_text(value)!r} as {what}; expected a number like {example}")
    return number


def parse_amount(value: Any) -> float:
    """Yuan as a float rounded to the fen: "¥1,234.50", "1234.5元", "１２３", "1.2万元"."""
    if isinstance(value, int | float) and not isinstance(value, bool) and not is_blank(value):
        return round(float(value), 2)
    text = clean_text(value, code=True)
    text = _CURRENCY_WORDS.sub("", _CURRENCY_WORDS.sub("", text))
    scale = 1.0
    if _TEN_THOUSAND.search(text):
        text, scale = _TEN_THOUSAND.sub("", text), 10_000.0
    return round(_number_or_raise(value, text, "an amount in yuan", "1234.50 or ¥1,234.50") * scale, 2)


def parse_mu(value: Any) -> float:
    """An area in mu: "3.5", "3.5亩", "３亩５分" (1 亩 = 10 分). Negative areas are refused."""
    if isinstance(value, int | float) and not isinstance(value, bool) and not is_blank(value):
        area = float(value)
    else:
        text = clean_text(value, code=True)
        mu_fen = _MU_AND_FEN.fullmatch(text)
        if mu_fen:
            area = float(mu_fen["mu"]) + int(mu_fen["fen"] or 0) / 10
        else:
            text = re.sub(r"(?:亩|mu)$", "", text, flags=re.IGNORECASE)
            area = _number_or_raise(value, text, "an area in mu", "3.5 or 3.5亩")
    if area < 0:
        raise CleaningError(f"面积不能是负数：{as_text(value)!r}", f"an area cannot be negative: {as_text(value)!r}")
    return round(area, 2)


def parse_quantity(value: Any) -> float:
    """What a subsidy depends on: mu (with 亩/分), persons (人/口), machines (台) …"""
    text = clean_text(value, code=True)
    if "亩" in text or text.lower().endswith("mu"):
        return parse_mu(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and not is_blank(value):
        return float(value)
    text = _QUANTITY_UNITS.sub("", text)
    return _number_or_raise(value, text, "a quantity", "3.5 or 2人")


_DATE_FORMS = (
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)


def parse_date(value: Any) -> dt.date:
    """A date from a cell: date/datetime/Timestamp, or "2022-05-01", "2022/5/1",
    "2022.5.1", "2022年5月1日", "20220501" (a time after the date is ignored)."""
    if isinstance(value, pd.Timestamp) and not pd.isna(value):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean_text(value, code=True)
    text = re.sub(r"(?:\d{1,2}:\d{2}(?::\d{2})?)$", "", text)  # "2022-05-0110:30" after spaces go
    for form in _DATE_FORMS:
        match = form.fullmatch(text)
        if match:
            try:
                return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                raise CleaningError(f"{as_text(value)!r} 不是一个真实的日期", f"{as_text(value)!r} is not a real date") from None
    raise CleaningError(
        f"{as_text(value)!r} 读不成日期，应写成例如 2022-05-01 或 2022年5月1日",
        f"cannot read {as_text(value)!r} as a date; expected e.g. 2022-05-01 or 2022年5月1日"
    )
