"""Resident ID numbers and bank card numbers as typed: clean them, and say which rule fails.

Village clerks type full-width digits (１２３), spaces and dashes inside the numbers and a
lower-case x (or ×) as the ID check character. ``clean_*`` undoes that harmless mess;
``check_*`` judges what is left and names the rule that fails, never guessing a fix. A
suggested check character (``suggest_id_fix``) is only a hint: the trainee must still
confirm the number against the 户籍 registry.

The check digits come from sandbox.common.checkdigits; the address codes in force in a
birth year from python-stdnum (`stdnum.cn.ric`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sandbox.common.checkdigits import luhn_is_valid, luhn_valid, ric_check_char
from sandbox.common.text import NUMBER_SEPARATORS, clean_text, clean_text_series, without_separators

# --------------------------------------------------------------------- resident ID numbers

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
    return without_separators(clean_text(value, code=True)).replace("×", "X").upper()


@functools.lru_cache(maxsize=65_536)
def _address_code_known(address_code: str, birth_year: str) -> bool:
    """Did stdnum's table have this county code in force in that year?

    Cached per (code, year): the lookup is stdnum's slow part and a county's roster
    repeats the same few codes. stdnum can raise KeyError (not InvalidComponent) for a
    few codes lacking county data, so any exception counts as unknown.
    """
    from stdnum.cn import ric  # here: stdnum.util imports ssl, ~15 ms a start does not need

    probe = f"{address_code}{birth_year}0101" + "0000"
    try:
        ric.get_birth_place(probe)
    except Exception:  # stdnum raises more than ValidationError (see docstring)
        return False
    return True


@functools.lru_cache(maxsize=65_536)
def _birth_date_possible(yyyymmdd: str) -> bool:
    """Cached per date: stdnum's own parsing re-cleans the whole number on every call."""
    from stdnum.cn import ric  # imported on first use, as above

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
    return check_clean_id(clean_id_number(value))


@functools.lru_cache(maxsize=262_144)  # a frozen verdict of a pure check: a roster repeats IDs
def check_clean_id(number: str) -> IdCheck:
    """``check_id_number`` for a number already cleaned by ``clean_id_number``."""
    if not number:
        return IdCheck(number, False, "blank")
    if len(number) == 15 and number.isdigit():
        return IdCheck(number, False, "old_15_digit")
    if len(number) != 18:
        return IdCheck(number, False, "wrong_length")
    if not (number[:17].isdigit() and number[:17].isascii() and number[17] in "0123456789X"):
        return IdCheck(number, False, "bad_format")
    expected = ric_check_char(number[:17])
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


# ------------------------------------------------------------------------ bank card numbers

CARD_REASONS: dict[str, str] = {
    "blank": "card number is blank (卡号为空)",
    "not_digits": "card number may only contain digits (卡号只能是数字)",
    "wrong_length": "wrong length (位数错误): a UnionPay card number has 16–19 digits",
    "not_unionpay": "not a UnionPay card number (非银联卡号): it should start with 62",
    "bad_luhn": "check digit fails the Luhn test (校验位错误): a digit is mistyped",
}
CARD_DIGITS = (16, 19)  # a UnionPay card number's shortest and longest length


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
    return without_separators(clean_text(value, code=True))


def check_card_number(value: Any) -> CardCheck:
    """UnionPay 62…, 16–19 digits, Luhn check digit."""
    return check_clean_card(clean_card_number(value))


def check_clean_card(number: str) -> CardCheck:
    """``check_card_number`` for a number already cleaned by ``clean_card_number``."""
    if not number:
        return CardCheck(number, False, "blank")
    if not (number.isdigit() and number.isascii()):
        return CardCheck(number, False, "not_digits")
    if not CARD_DIGITS[0] <= len(number) <= CARD_DIGITS[1]:
        return CardCheck(number, False, "wrong_length")
    if not number.startswith("62"):
        return CardCheck(number, False, "not_unionpay")
    if not luhn_is_valid(number):
        return CardCheck(number, False, "bad_luhn")
    return CardCheck(number, True)


# ------------------------------------------------------------------------- whole columns


def clean_number_series(series: pd.Series, *, upper: bool = False) -> pd.Series:
    """``clean_card_number`` over a column (``upper``: ``clean_id_number``), without a loop."""
    text = clean_text_series(series, code=True).str.replace(NUMBER_SEPARATORS.pattern, "", regex=True)
    return text.str.replace("×", "X").str.upper() if upper else text


def card_reasons(numbers: pd.Series) -> pd.Series:
    """check_card_number's reason ("" if valid) for a column of cleaned card numbers."""
    reason = pd.Series("", index=numbers.index, dtype=object)
    all_digits = numbers.str.fullmatch(r"[0-9]+")
    length_ok = numbers.str.len().between(*CARD_DIGITS)
    unionpay = numbers.str.startswith("62")
    luhn_checked = all_digits & length_ok & unionpay
    luhn_ok = pd.Series(False, index=numbers.index)
    if luhn_checked.any():
        luhn_ok[luhn_checked] = luhn_valid(numbers[luhn_checked].to_numpy(dtype=object))
    # Later assignments win, so go from the last check to the first, as the scalar does.
    reason[luhn_checked & ~luhn_ok] = "bad_luhn"
    reason[all_digits & length_ok & ~unionpay] = "not_unionpay"
    reason[all_digits & ~length_ok] = "wrong_length"
    reason[~all_digits] = "not_digits"
    reason[numbers == ""] = "blank"
    return reason


def id_number_is_valid(number: str) -> bool:
    """Is this cleaned 18-character number a valid resident ID (all of GB 11643's rules)?"""
    return check_clean_id(number).valid

