"""户名不符/同音字: the name typed with a homophone. The bank returns the payment (BE01) unless
the name is corrected to the one in the residents register and on the account."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sandbox.irregularities.base import Check, Irregularity, Money, Planting, Rate, Verdict
from sandbox.irregularities.homophones import misspell

if TYPE_CHECKING:
    from sandbox.irregularities.evidence import ReviewContext
    from sandbox.irregularities.planting import PlantingSite


class DataEntryName(Irregularity):
    code = "data_entry_name"
    zh = "户名不符/同音字"
    en = "name does not match (homophone typo)"
    keywords = ("户名不符", "同音字", "姓名错误", "名字错误", "姓名不符", "户名", "错别字", "别字",
                "name mismatch", "homophone", "wrong name")
    rule_zh = "姓名须与户籍和开户名完全一致，否则银行以“户名不符”退回"
    rule_en = ("the name must match the residents register and the account holder exactly, "
               "or the bank returns it (BE01)")
    tip_zh = "按身份证号到户籍和社保卡登记中取姓名，逐字比对，留意同音字"
    tip_en = "fetch the name by ID from the residents and card registers and compare it character by character"

    rate = Rate(default=0.01, description="name typed with a wrong character (户名不符)")
    harm = "delay"
    severity = 1
    money = Money.ENTITLED
    evidence = ("residents", "card_status")
    report_words = ()
    decision = "correct"
    fix_field = "name"

    blatant = False
    objection_zh = "村民反映：名单上{name}的名字写错了。"
    objection_en = "A villager: {name}'s name is misspelt on the list."
    rectification_zh = "按户籍登记更正姓名，与开户名一致后重新发放"
    rectification_en = "correct the name to the residents register and the account holder, then pay again"

    planting = Planting.CHANGE
    check = Check.RECORDS

    def plant(self, site: PlantingSite, rate: float) -> None:
        for i in site.take_spread(site.count(rate)):
            entry, key = site.entries[i], site.keys[i]
            true = entry["name"]
            entry["name"] = misspell(true)
            key.update(fault=self.code, money_at_stake=entry["amount"], fix_field=self.fix_field,
                       fix_value=true, evidence_registry="residents",
                       evidence_zh=f"户籍和社保卡开户名为“{true}”，名册写成“{entry['name']}”",
                       evidence_en=f"residents register and card holder name is {true}, roster has {entry['name']}")

    def review(self, entry: Mapping[str, Any], context: ReviewContext) -> Verdict | None:
        if not context.use_registries:
            return None
        residents, id_number = context.evidence.residents, entry["id_number"]
        if id_number in residents.index and residents.at[id_number, "name"] != entry["name"]:
            return Verdict("correct", field=self.fix_field, value=residents.at[id_number, "name"])
        return None

    def review_carefully(self, entry: Mapping[str, Any], context: ReviewContext) -> Verdict | None:
        """A former name (曾用名) the card still carries is no typo; a typo is corrected to the
        name the bank holds for this person's card (a renamed person's card keeps the old name)."""
        if not context.use_registries:
            return None
        evidence, id_number = context.evidence, entry["id_number"]
        if id_number not in evidence.residents.index:
            return None
        names = {evidence.residents.at[id_number, "name"]}
        if "former_name" in evidence.residents.columns:
            names.add(evidence.residents.at[id_number, "former_name"])
        if entry["name"] in names:
            return None
        own = evidence.own_card.index
        holder = evidence.holder_name.get(evidence.own_card.at[id_number, "account_number"]) if id_number in own else None
        return Verdict("correct", field=self.fix_field, value=holder or evidence.residents.at[id_number, "name"])
