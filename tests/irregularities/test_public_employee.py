"""public_employee (公职人员违规领取): 低保 for a household on the state payroll; rejected."""

from __future__ import annotations

from support import caught_as_declared, faulty, planted, planted_only_when_its_rate_is_above_zero

from sandbox.irregularities import MEANS_TESTED

CODE = "public_employee"


def test_planted_only_when_its_rate_is_above_zero() -> None:
    planted_only_when_its_rate_is_above_zero(CODE)


def test_the_claimant_is_on_the_payroll_and_claims_means_tested_aid() -> None:
    attempt = planted(CODE, 0.05)
    payroll = set(attempt.world.registries["payroll"]["id_number"])
    rows = faulty(attempt, CODE)
    assert len(rows) > 0 and rows["entry_program"].isin(MEANS_TESTED).all()
    assert rows["entry_id_number"].isin(payroll).all()


def test_the_careful_rule_rejects_it() -> None:
    rows = caught_as_declared(CODE)
    assert len(rows) > 0 and rows["right"].all()
