"""Helpers a trainee uses to clean what villages typed (信息采集、录入).

Village clerks type full-width digits (１２３), spaces and dashes inside ID and card
numbers, a lower-case x (or ×) as the ID check character, "¥1,234.50" or "3.5亩" in
number columns, and Chinese column headers. These helpers normalise the harmless mess
and *report* what is really invalid; they never guess a fix silently. A suggested ID
check character (`suggest_id_fix`) is only a hint: the trainee must still confirm the
number against the 户籍 registry.

Identity and card numbers are checked with python-stdnum (`stdnum.cn.ric`,
`stdnum.luhn`).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from stdnum import luhn
from stdnum.cn import ric

from sandbox.errors import SandboxError


class CleaningError(SandboxError, ValueError):
    """A value that cannot be read as what its column needs (the message says what)."""


# --------------------------------------------------------------------------- text

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_RUNS_OF_SPACE = re.compile(r"\s+")
# Separators people type inside long numbers: spaces, dashes of every width, dots.
_NUMBER_SEPARATORS = re.compile(r"[\s\-_.·—–‐−/]+")


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, str) and not value.strip()


def _as_text(value: Any) -> str:
    """A cell as text; a float that is a whole number loses its '.0' (Excel's habit)."""
    if _is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def clean_text(value: Any, *, code: bool = False) -> str:
    """NFKC-normalise (full-width → half-width), strip and tidy spaces.

    For text (names, villages) runs of spaces collapse to one and spaces next to Chinese
    characters go ("张 三" → "张三"). With ``code=True`` every internal space goes, as a
    code never contains one. Chinese characters are kept as they are.
    """
    text = unicodedata.normalize("NFKC", _as_text(value)).strip()
    if code:
        return _RUNS_OF_SPACE.sub("", text)
    return _RUNS_OF_SPACE.sub(" ", _SPACE_NEAR_CJK.sub("", text))


# ---------------------------------------------------------------- resident ID numbers

# How each reason reads to an operator; `{expected}` is filled for a bad check character.
ID_REASONS: dict[str, str] = {
    "blank": "ID number is blank (身份证号为空)",
    "old_15_digit": "old 15-digit ID (一代身份证号); look up the 18-digit number in the 户籍 registry",
    "wrong_length": "wrong length (位数错误): an ID number has 18 characters",
    "bad_format": "bad format (格式错误): 17 digits then a digit or X",
    "bad_check_char": "bad check character (校验码错误): expected {expected}",
    "impossible_birth_date": "impossible birth date (出生日期不存在)",
    "unknown_address_code": "unknown address code (地址码不存在) for the birth year",
}


@dataclass(frozen=True)
class IdCheck:
    """The verdict on one resident ID number; `reason` is "" when it is valid."""

    number: str  # as cleaned by clean_id_number
    valid: bool
    reason: str = ""  # a key of ID_REASONS
    expected_check: str = ""  # for bad_check_char: the character the other 17 imply

    @property
    def message(self) -> str:
        if self.valid:
            return ""
        return ID_REASONS[self.reason].format(expected=self.expected_check)


def clean_id_number(value: Any) -> str:
    """Full-width → half-width, separators out, x/× → X. Does not judge validity."""
    text = clean_text(value, code=True)
    text = _NUMBER_SEPARATORS.sub("", text)
    return text.replace("×", "X").upper()


@functools.lru_cache(maxsize=65_536)
def _address_code_known(address_code: str, birth_year: str) -> bool:
    """Did stdnum's table have this county code in force in that year?

    Cached per (code, year): the lookup is stdnum's slow part and a county's roster
    repeats the same few codes. stdnum can raise KeyError (not InvalidComponent) for a
    few codes lacking county data, so any exception counts as unknown.
    """
    probe = f"{address_code}{birth_year}0101" + "0000"
    try:
        ric.get_birth_place(probe)
    except Exception:  # stdnum raises more than ValidationError (see docstring)
        return False
    return True


@functools.lru_cache(maxsize=65_536)
def _birth_date_possible(yyyymmdd: str) -> bool:
    """Cached per date: stdnum's own parsing re-cleans the whole number on every call."""
    try:
        ric.get_birth_date(f"000000{yyyymmdd}0000")
    except Exception:  # ValueError or stdnum's InvalidComponent
        return False
    return True


def check_id_number(value: Any) -> IdCheck:
    """Check a resident ID the way `stdnum.cn.ric.validate` does, but say which rule failed.

    Same order of checks as stdnum: length, format, check character, birth date,
    address code in force in the birth year.
    """
    return _check_clean_id(clean_id_number(value))


def _check_clean_id(number: str) -> IdCheck:
    if not number:
        return IdCheck(number, False, "blank")
    if len(number) == 15 and number.isdigit():
        return IdCheck(number, False, "old_15_digit")
    if len(number) != 18:
        return IdCheck(number, False, "wrong_length")
    if not (number[:17].isdigit() and number[:17].isascii() and number[17] in "0123456789X"):
        return IdCheck(number, False, "bad_format")
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        return IdCheck(number, False, "bad_check_char", expected)
    if not _birth_date_possible(number[6:14]):
        return IdCheck(number, False, "impossible_birth_date")
    if not _address_code_known(number[:6], number[6:10]):
        return IdCheck(number, False, "unknown_address_code")
    return IdCheck(number, True)


def suggest_id_fix(value: Any) -> str | None:
    """For a number whose only fault is its check character, the number with the right one.

    A hint, not a fix: the typo may be in the other 17 digits, so verify against the
    户籍 registry before using it. None when the fault is anything else (or none).
    """
    verdict = check_id_number(value)
    if verdict.reason != "bad_check_char":
        return None
    fixed = verdict.number[:17] + verdict.expected_check
    return fixed if check_id_number(fixed).valid else None


# ------------------------------------------------------------------- bank card numbers

CARD_REASONS: dict[str, str] = {
    "blank": "card number is blank (卡号为空)",
    "not_digits": "card number may only contain digits (卡号只能是数字)",
    "wrong_length": "wrong length (位数错误): a UnionPay card number has 16–19 digits",
    "not_unionpay": "not a UnionPay card number (非银联卡号): it should start with 62",
    "bad_luhn": "check digit fails the Luhn test (校验位错误): a digit is mistyped",
}


@dataclass(frozen=True)
class CardCheck:
    number: str  # as cleaned by clean_card_number
    valid: bool
    reason: str = ""  # a key of CARD_REASONS

    @property
    def message(self) -> str:
        return CARD_REASONS[self.reason] if not self.valid else ""


def clean_card_number(value: Any) -> str:
    """Full-width → half-width, spaces and dashes out. Does not judge validity."""
    return _NUMBER_SEPARATORS.sub("", clean_text(value, code=True))


def check_card_number(value: Any) -> CardCheck:
    """UnionPay 62…, 16–19 digits, Luhn check digit (stdnum.luhn)."""
    return _check_clean_card(clean_card_number(value))


def _check_clean_card(number: str) -> CardCheck:
    if not number:
        return CardCheck(number, False, "blank")
    if not (number.isdigit() and number.isascii()):
        return CardCheck(number, False, "not_digits")
    if not 16 <= len(number) <= 19:
        return CardCheck(number, False, "wrong_length")
    if not number.startswith("62"):
        return CardCheck(number, False, "not_unionpay")
    if not luhn.is_valid(number):
        return CardCheck(number, False, "bad_luhn")
    return CardCheck(number, True)


# ------------------------------------------------------------- amounts, areas, dates

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
        raise CleaningError(f"{what} is blank; expected a number like {example}")
    number = _read_number(text)
    if number is None or not math.isfinite(number):
        raise CleaningError(f"cannot read {_as_text(value)!r} as {what}; expected a number like {example}")
    return number


def parse_amount(value: Any) -> float:
    """Yuan as a float rounded to the fen: "¥1,234.50", "1234.5元", "１２３", "1.2万元"."""
    if isinstance(value, int | float) and not isinstance(value, bool) and not _is_blank(value):
        return round(float(value), 2)
    text = clean_text(value, code=True)
    text = _CURRENCY_WORDS.sub("", _CURRENCY_WORDS.sub("", text))
    scale = 1.0
    if _TEN_THOUSAND.search(text):
        text, scale = _TEN_THOUSAND.sub("", text), 10_000.0
    return round(_number_or_raise(value, text, "an amount in yuan", "1234.50 or ¥1,234.50") * scale, 2)


def parse_mu(value: Any) -> float:
    """An area in mu: "3.5", "3.5亩", "３亩５分" (1 亩 = 10 分). Negative areas are refused."""
    if isinstance(value, int | float) and not isinstance(value, bool) and not _is_blank(value):
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
        raise CleaningError(f"an area cannot be negative: {_as_text(value)!r}")
    return round(area, 2)


def parse_quantity(value: Any) -> float:
    """What a subsidy depends on: mu (with 亩/分), persons (人/口), machines (台) …"""
    text = clean_text(value, code=True)
    if "亩" in text or text.lower().endswith("mu"):
        return parse_mu(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and not _is_blank(value):
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
                raise CleaningError(f"{_as_text(value)!r} is not a real date") from None
    raise CleaningError(
        f"cannot read {_as_text(value)!r} as a date; expected e.g. 2022-05-01 or 2022年5月1日"
    )


# ------------------------------------------------------------------- column headers

# Header as typed (after _header_key) → the column name of docs/architecture.md.
COLUMN_ALIASES: dict[str, str] = {
    # roster (信息采集表)
    "entry_id": "entry_id", "entryid": "entry_id", "序号": "entry_id", "编号": "entry_id",
    "条目编号": "entry_id", "记录编号": "entry_id", "登记编号": "entry_id",
    "village": "village", "村": "village", "村名": "village", "行政村": "village", "所在村": "village",
    "township": "township", "乡镇": "township", "乡镇(街道)": "township", "乡镇街道": "township",
    "name": "name", "姓名": "name", "户名": "name", "领取人": "name", "领取人姓名": "name",
    "id_number": "id_number", "idnumber": "id_number", "身份证号": "id_number",
    "身份证号码": "id_number", "身份证": "id_number", "公民身份号码": "id_number",
    "account_number": "account_number", "accountnumber": "account_number", "卡号": "account_number",
    "账号": "account_number", "帐号": "account_number", "卡号/账号": "account_number",
    "银行卡号": "account_number", "社保卡号": "account_number", "社保卡账号": "account_number",
    "银行账号": "account_number", "收款账号": "account_number",
    "bank": "bank", "开户行": "bank", "开户银行": "bank", "银行": "bank", "代发银行": "bank",
    "program": "program", "补贴项目": "program", "项目": "program", "补贴类别": "program",
    "项目名称": "program",
    "quantity": "quantity", "数量": "quantity", "面积": "quantity", "数量/面积": "quantity",
    "补贴面积": "quantity", "补贴数量": "quantity", "计补面积": "quantity",
    "amount": "amount", "金额": "amount", "补贴金额": "amount", "发放金额": "amount",
    "应发金额": "amount",
    "household_id": "household_id", "户号": "household_id", "户编号": "household_id",
    "relation": "relation", "与户主关系": "relation", "phone": "phone", "联系电话": "phone",
    "电话": "phone", "手机号": "phone",
    # decisions (审核意见)
    "decision": "decision", "决定": "decision", "审核结果": "decision", "审核意见": "decision",
    "审核": "decision", "处理": "decision", "处理意见": "decision",
    "reason": "reason", "原因": "reason", "理由": "reason", "驳回原因": "reason",
    "不通过原因": "reason", "问题类型": "reason",
    "field": "field", "字段": "field", "更正字段": "field", "更正项": "field", "修改项": "field",
    "value": "value", "值": "value", "更正值": "value", "更正为": "value", "新值": "value",
    "修改为": "value", "正确值": "value",
    "note": "note", "备注": "note", "说明": "note", "notes": "note",
    # payment lines
    "line_id": "line_id", "payee_id_number": "payee_id_number", "payee_name": "payee_name",
    "source_line_id": "source_line_id",
}

_TRAILING_UNIT = re.compile(r"[(（][^()（）]*[)）]$")  # "金额（元）", "面积(亩)"


def _header_key(header: Any) -> str:
    key = clean_text(header, code=True).lower().lstrip("*").rstrip("*:：")
    return _TRAILING_UNIT.sub("", key) or key


def canonical_column(header: Any) -> str:
    """The English column name for a header as typed; unknown headers come back tidied."""
    key = _header_key(header)
    return COLUMN_ALIASES.get(key, clean_text(header))


def canonical_columns(headers: Iterable[Hashable]) -> dict[Hashable, str]:
    """Map each header to its canonical name; raise if two headers mean the same column."""
    mapping = {header: canonical_column(header) for header in headers}
    seen: dict[str, Hashable] = {}
    clashes = []
    for header, name in mapping.items():
        if name in seen:
            clashes.append(f"{seen[name]!r} and {header!r} both mean {name!r}")
        seen.setdefault(name, header)
    if clashes:
        raise CleaningError("duplicate columns: " + "; ".join(clashes) + ". Keep one of each.")
    return mapping


# ---------------------------------------------------------------------------- rosters

ROSTER_COLUMNS = [
    "entry_id", "village", "name", "id_number", "account_number", "bank", "program",
    "quantity", "amount",
]
ISSUE_COLUMNS = ["entry_id", "field", "value", "issue", "message"]


def _text_series(series: pd.Series) -> pd.Series:
    """Cells as text, blanks as ""; per-cell conversion only for mixed columns."""
    if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
        return series.fillna("").astype(str)
    return series.map(_as_text).astype(str)


def _clean_text_series(series: pd.Series, *, code: bool = False) -> pd.Series:
    """clean_text over a column with pandas str methods (no Python loop per row)."""
    text = _text_series(series).str.normalize("NFKC").str.strip()
    if code:
        return text.str.replace(r"\s+", "", regex=True)
    text = text.str.replace(_SPACE_NEAR_CJK.pattern, "", regex=True)
    return text.str.replace(r"\s+", " ", regex=True)


def _clean_number_series(series: pd.Series, *, upper: bool = False) -> pd.Series:
    text = _clean_text_series(series, code=True).str.replace(_NUMBER_SEPARATORS.pattern, "", regex=True)
    return text.str.replace("×", "X").str.upper() if upper else text


def _map_unique(series: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    """Apply func once per distinct value: rosters repeat amounts and areas a lot."""
    uniques = pd.unique(series.to_numpy())
    return series.map(dict(zip(uniques, map(func, uniques), strict=True)))


def _try_parse(parser: Callable[[Any], float]) -> Callable[[Any], tuple[float, str]]:
    def parse(value: Any) -> tuple[float, str]:
        if _is_blank(value):
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
        "entry_id": entry_ids[bad], "field": field, "value": raw[bad].map(_as_text),
        "issue": problem[bad], "message": message[bad],
    })


def _check_ids(clean: pd.DataFrame, raw: pd.DataFrame) -> pd.DataFrame:
    verdicts = clean["id_number"].map(_check_clean_id)
    reason = verdicts.map(lambda v: v.reason)
    message = verdicts.map(lambda v: v.message)
    return _issue_rows(clean["entry_id"], raw["id_number"], "id_number", reason, message)


def _luhn_valid(numbers: pd.Series) -> np.ndarray:
    """Luhn over a column of 1–19 ASCII digit strings at once (stdnum.luhn loops in Python).

    Left-padding with zeros keeps the Luhn sum, so every number becomes a 19-digit row.
    """
    padded = "".join(numbers.str.zfill(_LUHN_WIDTH).tolist()).encode("ascii")
    digits = np.frombuffer(padded, dtype=np.uint8).reshape(-1, _LUHN_WIDTH).astype(np.int64) - 48
    doubled = digits[:, _LUHN_WIDTH % 2 :: 2] * 2  # every second digit counted from the right
    digits[:, _LUHN_WIDTH % 2 :: 2] = doubled - 9 * (doubled > 9)
    return digits.sum(axis=1) % 10 == 0


_LUHN_WIDTH = 19


def card_reasons(numbers: pd.Series) -> pd.Series:
    """check_card_number's reason ("" if valid) for a column of cleaned card numbers."""
    reason = pd.Series("", index=numbers.index, dtype=object)
    all_digits = numbers.str.fullmatch(r"[0-9]+")
    length_ok = numbers.str.len().between(16, 19)
    unionpay = numbers.str.startswith("62")
    luhn_checked = all_digits & length_ok & unionpay
    luhn_ok = pd.Series(False, index=numbers.index)
    if luhn_checked.any():
        luhn_ok[luhn_checked] = _luhn_valid(numbers[luhn_checked])
    # Later assignments win, so go from the last check to the first, as the scalar does.
    reason[luhn_checked & ~luhn_ok] = "bad_luhn"
    reason[all_digits & length_ok & ~unionpay] = "not_unionpay"
    reason[all_digits & ~length_ok] = "wrong_length"
    reason[~all_digits] = "not_digits"
    reason[numbers == ""] = "blank"
    return reason


def _check_cards(clean: pd.DataFrame, raw: pd.DataFrame) -> pd.DataFrame:
    reason = card_reasons(clean["account_number"])
    message = reason.map(lambda r: CARD_REASONS.get(r, ""))
    return _issue_rows(clean["entry_id"], raw["account_number"], "account_number", reason, message)


def _parse_numbers(clean: pd.DataFrame, raw: pd.DataFrame, field: str,
                   parser: Callable[[Any], float], blank_ok: bool) -> pd.DataFrame:
    """Replace clean[field] with floats (NaN where unreadable); return the issues."""
    parsed = _map_unique(_text_series(raw[field]), _try_parse(parser))
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
    mapped with COLUMN_ALIASES), the roster columns first in the documented order, then
    any others; text is tidied, ID and card numbers normalised (but never "fixed"),
    quantity and amount are floats (NaN where unreadable). `issues` has one row per
    problem: entry_id, field, value (as typed), issue (a short code), message.
    The input frame is not modified.
    """
    renamed = df.rename(columns=canonical_columns(df.columns))
    if "entry_id" not in renamed.columns:
        raise CleaningError(
            f"the roster has no entry_id column (序号/编号); its columns are {list(df.columns)}"
        )
    raw = renamed.reset_index(drop=True)
    clean = raw.copy()
    for column in ("entry_id",):
        clean[column] = _clean_text_series(raw[column], code=True)
    for column in ("village", "township", "name", "bank", "program"):
        if column in clean:
            clean[column] = _clean_text_series(raw[column])
    if "id_number" in clean:
        clean["id_number"] = _clean_number_series(raw["id_number"], upper=True)
    if "account_number" in clean:
        clean["account_number"] = _clean_number_series(raw["account_number"])

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
