"""卡号错误: one digit of the card number typed wrong. The payee is entitled; the card number is
corrected from the card register (it fails the Luhn check as typed)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sandbox.irregularities.base import Check, Irregularity, Money, Planting, Rate, Verdict

if TYPE_CHECKING:
    from sandbox.irregularities.evidence import ReviewContext
    from sandbox.irregularities.planting import PlantingSite


class DataEntryCard(Irregularity):
    code = "data_entry_card"
    zh = "卡号错误"
    en = "card number typed wrong"
    keywords = ("卡号错误", "账号错误", "卡号", "银行卡号", "账号", "luhn", "card number", "account number")
    rule_zh = "卡号须通过Luhn校验并与本人社保卡/账户登记一致"
    rule_en = "the card number must pass the Luhn check and match the person's card in the card register"
    tip_zh = "对每个卡号做Luhn校验，并按身份证号到社保卡/账户状态中核对"
    tip_en = "Luhn-check every card number and compare it with the card register by ID number"

    rate = Rate(default=0.008, description="card number typed wrong")
    harm = "delay"
    severity = 1
    money = Money.ENTITLED
    evidence = ("card_status",)
    report_words = ()
    decision = "correct"
    fix_field = "account_number"

    blatant = False
    objection_zh = "村民反映：{name}说卡号不是他的。"
    objection_en = "A villager: {name} says the card number is not theirs."
    rectification_zh = "按社保卡/账户登记更正卡号，退回的款项重新发放"
    rectification_en = "correct the card number from the card register and pay the returned money again"

    planting = Planting.CHANGE
    check = Check.RECORDS

    def plant(self, site: PlantingSite, rate: float) -> None:
        for i in site.take_spread(site.count(rate)):
            entry, key = site.entries[i], site.keys[i]
            true = entry["account_number"]
            entry["account_number"] = site.mistype_digit(true, start=6)  # a digit after the bank's prefix
            key.update(fault=self.code, money_at_stake=entry["amount"], fix_field=self.fix_field,
                       fix_value=true, evidence_registry="card_status",
                       evidence_zh=f"卡号未通过Luhn校验；账户登记中该人的卡号为{true}",
                       evidence_en=f"card number fails the Luhn check; the card register has {true}")

    def review(self, entry: Mapping[str, Any], context: ReviewContext) -> Verdict | None:
        account, id_number = entry["account_number"], entry["id_number"]
        if not context.use_registries:
            # Imported here: the schema loads this module, and the check digits bring in pandas.
            from sandbox.common.identifiers import check_card_number

            return None if check_card_number(account).valid else Verdict("refer")
        # A number no card in the register has: typed wrong. (Somebody else's card: proxy_account.)
        evidence = context.evidence
        if evidence.card_holder.get(account) is None and id_number in evidence.own_card.index:
            return Verdict("correct", field=self.fix_field, value=evidence.own_card.at[id_number, "account_number"])
        return None
