"""data_entry_card (卡号错误): one digit of the card number typed wrong; corrected from the card register."""

from __future__ import annotations

from support import caught_as_declared, faulty, planted, planted_only_when_its_rate_is_above_zero

from sandbox.common.identifiers import check_card_number

CODE = "data_entry_card"


def test_planted_only_when_its_rate_is_above_zero() -> None:
    planted_only_when_its_rate_is_above_zero(CODE)


def test_one_digit_is_wrong_and_the_luhn_check_fails() -> None:
    rows = faulty(planted(CODE, 0.05), CODE)
    for typed, true in zip(rows["entry_account_number"], rows["fix_value"], strict=True):
        assert not check_card_number(typed).valid and check_card_number(true).valid
        assert sum(a != b for a, b in zip(typed, true, strict=True)) == 1


def test_the_careful_rule_corrects_the_card_number() -> None:
    rows = caught_as_declared(CODE)
    assert len(rows) > 0 and rows["right"].all()
