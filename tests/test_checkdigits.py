"""The one check-digit module, held to python-stdnum: Luhn (`stdnum.luhn`) for card numbers,
GB 11643's MOD 11-2 (`stdnum.cn.ric`) for resident IDs, scalar and vectorised alike."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import ric

from sandbox.common import checkdigits
from sandbox.common.identifiers import id_number_is_valid

DIGITS = "0123456789"
digit_strings = st.text(DIGITS, min_size=1, max_size=19)
# Text that is sometimes digits and sometimes not: letters, spaces, full-width digits, "".
typed = st.one_of(digit_strings, st.text(DIGITS + "X x-１２", max_size=20))


@given(st.text(DIGITS, min_size=1, max_size=18))
def test_luhn_check_digit_is_stdnums(body: str) -> None:
    assert checkdigits.luhn_check_digit(body) == luhn.calc_check_digit(body)
    assert luhn.is_valid(body + checkdigits.luhn_check_digit(body))


@given(typed)
def test_luhn_is_valid_is_stdnums(number: str) -> None:
    assert checkdigits.luhn_is_valid(number) == luhn.is_valid(number)


@given(st.lists(typed, max_size=40))
def test_vectorised_luhn_is_stdnums(numbers: list[str]) -> None:
    expected = [len(n) <= 19 and luhn.is_valid(n) for n in numbers]
    assert checkdigits.luhn_valid(numbers).tolist() == expected
    assert checkdigits.luhn_valid(pd.Series(numbers, dtype=object)).tolist() == expected


@given(st.lists(st.text(DIGITS, min_size=1, max_size=18), min_size=1, max_size=40))
def test_luhn_complete_appends_stdnums_digit(bodies: list[str]) -> None:
    completed = checkdigits.luhn_complete(bodies).tolist()
    assert completed == [body + luhn.calc_check_digit(body) for body in bodies]


@given(st.lists(st.integers(0, 10**18 - 1), max_size=40))
def test_luhn_check_digits_of_integer_bodies(bodies: list[int]) -> None:
    digits = checkdigits.luhn_check_digits(np.array(bodies, dtype=np.int64))
    assert digits.tolist() == [int(luhn.calc_check_digit(str(body))) for body in bodies]


@given(st.text(DIGITS, min_size=17, max_size=17))
def test_ric_check_char_is_stdnums(body: str) -> None:
    # stdnum computes the check from an 18-character number; the last one is ignored
    assert checkdigits.ric_check_char(body) == ric.calc_check_digit(body + "0")


@given(st.lists(st.integers(0, 10**17 - 1), max_size=40))
def test_vectorised_ric_check_chars(bodies: list[int]) -> None:
    chars = checkdigits.ric_check_chars(np.array(bodies, dtype=np.int64))
    assert chars.tolist() == [ric.calc_check_digit(f"{body:017d}0") for body in bodies]


# Real address codes and dates, so that the rules after the check character are reached too.
id_bodies = st.builds(
    lambda code, day, order: f"{code}{day.year:04d}{day.month:02d}{day.day:02d}{order:03d}",
    st.sampled_from(["411623", "412723", "411603", "411626", "110101", "999999"]),
    st.dates(),
    st.integers(0, 999),
)


@given(id_bodies, st.sampled_from(list("0123456789X")), st.booleans())
def test_id_number_validity_is_stdnums(body: str, last: str, use_right_check: bool) -> None:
    number = body + (checkdigits.ric_check_char(body) if use_right_check else last)
    assert id_number_is_valid(number) == ric.is_valid(number)


@pytest.mark.parametrize("bad", ["", "12a", "１２３"])
def test_luhn_refuses_what_is_not_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        checkdigits.luhn_check_digit(bad)


@pytest.mark.parametrize("bad", ["", "1" * 16, "1" * 18, "1234567890123456X", "１" * 17])
def test_ric_refuses_what_is_not_a_17_digit_body(bad: str) -> None:
    with pytest.raises(ValueError):
        checkdigits.ric_check_char(bad)
