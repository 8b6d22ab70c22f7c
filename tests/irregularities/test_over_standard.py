"""over_standard (超标准发放): an amount above the program's standard; corrected to the standard."""

from __future__ import annotations

from support import caught_as_declared, faulty, planted, planted_only_when_its_rate_is_above_zero

from sandbox.irregularities.over_standard import (
    BLATANT_MULTIPLE,
    EXTRA_DIGIT,
    FIXED_STANDARD,
    MULTIPLES,
)

CODE = "over_standard"


def test_planted_only_when_its_rate_is_above_zero() -> None:
    planted_only_when_its_rate_is_above_zero(CODE)


def test_the_amount_is_a_multiple_or_ten_times_the_standard_and_gross_ones_are_blatant() -> None:
    rows = faulty(planted(CODE, 0.05), CODE)
    assert len(rows) > 0 and rows["entry_program"].isin(FIXED_STANDARD).all()
    multiple = (rows["claimed_amount"] / rows["true_amount"]).round(1)
    # two forms: a multiple of the standard, or a zero typed too many
    assert multiple[rows["pattern"] == "multiple"].isin(MULTIPLES).all()
    assert (multiple[rows["pattern"] == "extra_digit"] == EXTRA_DIGIT).all()
    assert set(rows["pattern"]) == {"multiple", "extra_digit"}
    assert (rows["blatant"] == (multiple >= BLATANT_MULTIPLE)).all()


def test_the_careful_rule_corrects_the_amount() -> None:
    rows = caught_as_declared(CODE)
    assert len(rows) > 0 and rows["right"].all()
