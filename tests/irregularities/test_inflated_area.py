"""inflated_area (虚报面积): farmland claimed above the contract; corrected to the registered area."""

from __future__ import annotations

from support import caught_as_declared, faulty, planted, planted_only_when_its_rate_is_above_zero

CODE = "inflated_area"


def test_planted_only_when_its_rate_is_above_zero() -> None:
    planted_only_when_its_rate_is_above_zero(CODE)


def test_the_claim_is_above_the_contracted_area_at_the_same_rate_per_mu() -> None:
    rows = faulty(planted(CODE, 0.05), CODE)
    assert len(rows) > 0 and (rows["entry_program"] == "farmland_fertility").all()
    true_area = rows["fix_value"].astype(float)
    assert (rows["entry_quantity"] > true_area).all()
    assert (rows["money_at_stake"] - (rows["claimed_amount"] - rows["true_amount"])).abs().max() < 0.01


def test_the_careful_rule_corrects_the_area() -> None:
    rows = caught_as_declared(CODE)
    assert len(rows) > 0 and rows["right"].all()
