"""proxy_account (代领/截留): villagers' money on a cadre's card; corrected to their own card."""

from __future__ import annotations

from support import caught_as_declared, faulty, planted, planted_only_when_its_rate_is_above_zero

CODE = "proxy_account"


def test_planted_only_when_its_rate_is_above_zero() -> None:
    planted_only_when_its_rate_is_above_zero(CODE)


def test_one_cadres_card_collects_several_payees_money() -> None:
    attempt = planted(CODE, 0.05)
    cards = attempt.world.registries["card_status"].set_index("account_number")
    cadres = set(attempt.world.registries["cadres"]["id_number"])
    rows = faulty(attempt, CODE)
    assert len(rows) >= 2
    assert rows["entry_account_number"].map(cards["id_number"]).isin(cadres).all()
    assert (rows["entry_account_number"] != rows["fix_value"]).all()
    assert rows.groupby("entry_account_number").size().min() > 1  # shared: that is the sign


def test_the_careful_rule_pays_their_own_cards() -> None:
    rows = caught_as_declared(CODE)
    assert len(rows) > 0 and rows["right"].all()
