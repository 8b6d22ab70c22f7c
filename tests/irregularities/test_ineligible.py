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
    dibao = attempt.world.registries["dibao"]
    poor_households = set(dibao.loc[dibao["kind"] == "低保", "household_id"])
    tekun = set(dibao.loc[dibao["kind"] == "特困", "id_number"])
    rows = faulty(attempt, CODE)
    # every program with a condition a register can refute, on the tutorial
    assert set(rows["entry_program"]) >= {"basic_pension", "severe_disability_care", "old_age_allowance"}
    for row in rows.to_dict("records"):
        person = persons.loc[row["entry_id_number"]]
        if row["entry_program"] == "basic_pension":
            assert person["age"] < 60
        elif row["entry_program"] == "old_age_allowance":
            assert person["age"] < 80
        elif row["entry_program"] == "disabled_living":
            assert person["household_id"] not in poor_households and row["entry_id_number"] not in tekun
        else:
            assert grades.get(row["entry_id_number"]) not in (1, 2)


def test_the_careful_rule_rejects_it() -> None:
    """Rejected; except a care claim with no certificate on record at all, which the careful
    reviewer sends for a home visit (the 残联 list may lack the row), and only that."""
    rows = caught_as_declared(CODE)
    no_certificate = (rows["program"] == "severe_disability_care") & (rows["pattern"] == "care_without_grade")
    visited = (rows["decision"] == "refer") & no_certificate
    assert len(rows) > 0 and (rows["right"] | visited).all()
    assert rows.loc[~no_certificate, "right"].all()
