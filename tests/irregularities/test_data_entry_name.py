"""data_entry_name (户名不符/同音字): the name typed with a homophone; corrected to the register's."""

from __future__ import annotations

from support import caught_as_declared, faulty, planted, planted_only_when_its_rate_is_above_zero

from sandbox.irregularities.homophones import HOMOPHONES

CODE = "data_entry_name"


def test_planted_only_when_its_rate_is_above_zero() -> None:
    planted_only_when_its_rate_is_above_zero(CODE)


def test_one_character_is_swapped_for_a_homophone() -> None:
    rows = faulty(planted(CODE, 0.05), CODE)
    for typed, true in zip(rows["entry_name"], rows["fix_value"], strict=True):
        swapped = [(a, b) for a, b in zip(true, typed, strict=True) if a != b]
        assert len(swapped) == 1
        true_char, typed_char = swapped[0]
        assert typed_char in HOMOPHONES.get(true_char, "明鸣")  # a name with none: 明 (or 鸣)


def test_the_careful_rule_corrects_the_name() -> None:
    rows = caught_as_declared(CODE)
    assert len(rows) > 0 and rows["right"].all()
