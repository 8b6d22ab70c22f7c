"""Check digits of the two numbers the sandbox lives on, each in one place.

- Bank card numbers: the Luhn check digit (ISO/IEC 7812). From the right, every second
  digit, starting with the one next to the check digit, is doubled (9 subtracted when the
  double has two digits); the sum of all digits is a multiple of 10.
- Resident ID numbers: GB 11643-1999's ISO 7064 MOD 11-2 check character, ``0``–``9`` or
  ``X``, computed from the first 17 digits with fixed weights.

Each comes as a scalar form (one number, as text) and vectorised forms for whole columns:
over text when checking what was typed, over int64 bodies when generating a world. The
tests hold all of them to python-stdnum (`stdnum.luhn`, `stdnum.cn.ric`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# --- Luhn -----------------------------------------------------------------------------------

LUHN_MAX_DIGITS = 19  # the longest card number (and what fits an int64 with its check digit)


# a doubled digit's contribution: 2·d, minus 9 when that has two digits
_LUHN_DOUBLED = np.array([0, 2, 4, 6, 8, 1, 3, 5, 7, 9], dtype=np.uint8)


def _luhn_total(digits: np.ndarray, *, check_digit_included: bool) -> np.ndarray:
    """Luhn sum of each row of a right-aligned digit matrix (leading zeros add nothing).

    Any integer dtype; a uint8 matrix keeps a million card numbers in 19 MB, and small
    temporaries are what makes this fast (large ones cost more in page faults than in sums)."""
    from_right = digits[:, ::-1]
    first_doubled = 1 if check_digit_included else 0
    doubled = _LUHN_DOUBLED[from_right[:, first_doubled::2]]
    plain = from_right[:, 1 - first_doubled :: 2]
    return doubled.sum(axis=1, dtype=np.int64) + plain.sum(axis=1, dtype=np.int64)


def _digit_matrix(texts: list[str], width: int) -> np.ndarray:
    """ASCII digit strings of at most ``width`` characters as a right-aligned int64 matrix."""
    padded = "".join(text.zfill(width) for text in texts).encode("ascii")
    return np.frombuffer(padded, dtype=np.uint8).reshape(-1, width) - np.uint8(ord("0"))


def _ascii_digits(text: str) -> bool:
    return bool(text) and text.isascii() and text.isdigit()


def _luhn_sum(digits: str, *, check_digit_included: bool) -> int:
    """The scalar Luhn sum (plain Python: one number is faster without NumPy)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = ord(char) - ord("0")
        if position % 2 == check_digit_included:  # doubled: every second digit from the right
            digit = digit * 2 - 9 * (digit > 4)
        total += digit
    return total


def luhn_check_digit(body: str) -> str:
    """The digit that completes ``body`` (ASCII digits, without its check digit)."""
    if not _ascii_digits(body):
        raise ValueError(f"a card number body is made of digits, not {body!r}")
    return str(-_luhn_sum(body, check_digit_included=False) % 10)


def luhn_is_valid(number: str) -> bool:
    """Do the ASCII digits of ``number`` pass the Luhn test? (False for anything but digits.)"""
    return _ascii_digits(number) and _luhn_sum(number, check_digit_included=True) % 10 == 0


def luhn_valid(numbers: pd.Series | np.ndarray | list[str]) -> np.ndarray:
    """Vectorised ``luhn_is_valid``: True where a value is 1–19 ASCII digits passing the
    Luhn test. Works on fixed-width NumPy strings: a million numbers in a fraction of a second."""
    text = np.asarray(numbers)
    if text.dtype.kind != "U":  # already fixed-width text (as card_number_ok passes it): no copy
        text = text.astype(object)
    text = text.astype(f"U{LUHN_MAX_DIGITS + 1}", copy=False)  # longer than 19 stays longer
    lengths = np.strings.str_len(text)
    fits = (lengths >= 1) & (lengths <= LUHN_MAX_DIGITS)
    result = np.zeros(len(text), dtype=bool)
    if not fits.any():
        return result
    padded = np.strings.zfill(text[fits], LUHN_MAX_DIGITS).astype(f"U{LUHN_MAX_DIGITS}")
    codes = padded.view(np.uint32).reshape(-1, LUHN_MAX_DIGITS)  # code points, no copy
    ascii_digits = (codes.min(axis=1) >= ord("0")) & (codes.max(axis=1) <= ord("9"))
    digits = codes.astype(np.uint8) - np.uint8(ord("0"))  # wraps where not a digit: masked above
    np.minimum(digits, 9, out=digits)  # keeps the lookup of doubled digits in range
    total = _luhn_total(digits, check_digit_included=True)
    result[fits] = ascii_digits & (total % 10 == 0)
    return result


def luhn_complete(bodies: pd.Series | np.ndarray | list[str]) -> pd.Series:
    """Each digit string with its Luhn check digit appended (builds card numbers)."""
    text = pd.Series(bodies, dtype=object).astype(str)
    if text.empty:
        return text
    width = int(text.str.len().max())
    check = -_luhn_total(_digit_matrix(text.tolist(), width), check_digit_included=False) % 10
    return text + pd.Series(check.astype(str), index=text.index)


def luhn_check_digits(bodies: np.ndarray) -> np.ndarray:
    """Luhn check digit of each int64 body (a number without its check digit)."""
    digits = np.empty((len(bodies), LUHN_MAX_DIGITS - 1), dtype=np.uint8)  # small: see _luhn_total
    rest = np.asarray(bodies, dtype=np.int64).copy()
    for column in range(LUHN_MAX_DIGITS - 2, -1, -1):
        digits[:, column] = rest % 10
        rest //= 10
    return -_luhn_total(digits, check_digit_included=False) % 10


# --- GB 11643 (resident ID numbers) ---------------------------------------------------------

RIC_WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RIC_CHECK_CHARS = "10X98765432"  # indexed by the weighted sum modulo 11
RIC_BODY_DIGITS = 17


def ric_check_char(body: str) -> str:
    """The check character of a resident ID whose first 17 characters are ``body``."""
    if len(body) != RIC_BODY_DIGITS or not _ascii_digits(body):
        raise ValueError(f"a resident ID body has 17 digits, not {body!r}")
    total = sum((ord(char) - ord("0")) * weight for char, weight in zip(body, RIC_WEIGHTS, strict=True))
    return RIC_CHECK_CHARS[total % 11]


def ric_check_chars(bodies: np.ndarray) -> np.ndarray:
    """Check characters of int64 17-digit bodies (vectorised ``ric_check_char``)."""
    total = np.zeros(len(bodies), dtype=np.int64)
    rest = np.asarray(bodies, dtype=np.int64).copy()
    for weight in reversed(RIC_WEIGHTS):  # the least significant digit has the last weight
        total += (rest % 10) * weight
        rest //= 10
    return np.array(list(RIC_CHECK_CHARS))[total % 11]
