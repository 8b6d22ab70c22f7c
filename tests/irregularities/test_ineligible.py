"""ineligible (资格不符): a pension before 60, or the severe-disability allowance without grade 1-2."""

from __future__ import annotations

from support import caught_as_declared, faulty, planted, planted_only_when_its_rate_is_above_zero

CODE = "ineligible"


def test_planted_only_when_its_rate_is_above_zero() -> None:
    planted_only_when_its_rate_is_above_zero(CODE)


def test_the_registers_show_the_condition_is_not_met() -> None:
    attempt = planted(CODE, 0.05)
    persons = attempt.world.persons.set_index("id_number")
    grades = dict(zip(attempt.world.registries["disability"]["id_number"],
                      attempt.world.registries["disability"]["grade"], strict=True))
    rows = faulty(attempt, CODE)
    assert set(rows["entry_program"]) == {"basic_pension", "severe_disability_care"}
    for row in rows.to_dict("records"):
        if row["entry_program"] == "basic_pension":
            assert persons.at[row["entry_id_number"], "age"] < 60
        else:
            assert grades.get(row["entry_id_number"]) not in (1, 2)


def test_the_careful_rule_rejects_it() -> None:
    rows = caught_as_declared(CODE)
    assert len(rows) > 0 and rows["right"].all()
