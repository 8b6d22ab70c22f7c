"""data_entry_id (身份证号错误): one digit of the ID typed wrong; corrected from the residents register."""

from __future__ import annotations

from support import caught_as_declared, faulty, planted, planted_only_when_its_rate_is_above_zero

from sandbox.common.identifiers import check_id_number

CODE = "data_entry_id"


def test_planted_only_when_its_rate_is_above_zero() -> None:
    planted_only_when_its_rate_is_above_zero(CODE)


def test_one_digit_is_wrong_and_the_check_character_fails() -> None:
    rows = faulty(planted(CODE, 0.05), CODE)
    for typed, true in zip(rows["entry_id_number"], rows["fix_value"], strict=True):
        assert not check_id_number(typed).valid and check_id_number(true).valid
        assert len(typed) == len(true) and sum(a != b for a, b in zip(typed, true, strict=True)) == 1


def test_the_careful_rule_corrects_it_or_sends_a_visit_when_the_name_is_ambiguous() -> None:
    rows = caught_as_declared(CODE)
    assert len(rows) > 0
    assert (rows["right"] | (rows["decision"] == "refer")).all()
    assert rows["right"].mean() > 0.5
