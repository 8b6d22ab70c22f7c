"""代领/截留：他人账户: in a few villages one cadre's card collects several villagers' money. The
villagers are entitled: pay their own cards (rejecting stops the money too, and is also right)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sandbox.irregularities.base import Check, Irregularity, Money, Planting, Rate, Verdict

if TYPE_CHECKING:
    from sandbox.irregularities.evidence import InspectionContext, ReviewContext
    from sandbox.irregularities.planting import PlantingSite

GROUP = 4  # payees whose money one cadre's card collects
LEAST = 2  # planted at all: at least this many, so one card is seen shared


class ProxyAccount(Irregularity):
    code = "proxy_account"
    zh = "代领/截留：他人账户"
    en = "paid into someone else's account (withholding)"
    keywords = ("代领", "截留", "他人账户", "他人账号", "他人的卡", "非本人账户", "代持", "共用", "他人卡",
                "proxy", "withheld", "someone else")
    rule_zh = "补贴须发到本人（按户项目为户主）名下的社保卡，不得由他人代持代领"
    rule_en = "pay to the beneficiary's own card (the head's, for per-household programs); nobody may hold it for them"
    tip_zh = "核对开户名与领取人是否一致，留意多人共用同一卡号，改为本人卡号后通过"
    tip_en = ("check the account holder against the payee and look for one account shared by many; "
              "correct to their own card")

    rate = Rate(default=0.005, description="paid to someone else's card (代领)")
    harm = "money_lost"
    severity = 3
    money = Money.WRONG_ACCOUNT
    evidence = ("card_status",)
    report_words = ()
    decision = "correct"
    fix_field = "account_number"
    rejecting_is_right_too = True

    blatant = True
    objection_zh = "村民反映：好几户的补贴都打到了村干部的卡上，{name}自己没收到。"
    objection_en = "A villager: several families' money goes to a cadre's card; {name} never got it."
    rectification_zh = "追回被代领资金并发放到本人社保卡，收回代持卡，追究代领责任"
    rectification_en = ("recover the withheld money and pay it to the beneficiary's own card; take back "
                        "the card held for others and hold the proxy to account")

    planting = Planting.CHANGE
    check = Check.RECORDS

    def plant(self, site: PlantingSite, rate: float) -> None:
        if rate <= 0:
            return
        k = max(LEAST, site.count(rate))
        persons, villages = site.persons, site.base["village"].to_numpy()
        cadres = persons[persons["cadre"] & persons["alive"]]
        payees = site.payees()
        for village in site.pick(sorted(set(cadres["village"]) & set(villages)), max(1, k // GROUP)):
            cadre_id = site.pick(cadres.index[cadres["village"] == village], 1)[0]
            cadre = persons.loc[cadre_id]
            account = site.primary.loc[cadre_id]
            for i in site.take_spread(min(GROUP, k), (villages == village) & (payees != cadre_id)):
                entry, key = site.entries[i], site.keys[i]
                true = entry["account_number"]
                entry.update(account_number=account["account_number"], bank=account["bank"])
                key.update(fault=self.code, money_at_stake=entry["amount"], fix_field=self.fix_field,
                           fix_value=true, evidence_registry="card_status", blatant=True,
                           evidence_zh=f"卡号{account['account_number']}的开户人是村干部{cadre['name']}，"
                                       f"不是{entry['name']}；多名补贴对象共用此卡",
                           evidence_en=f"account {account['account_number']} belongs to cadre {cadre['name']}, "
                                       f"not {entry['name']}; several payees share it")
            k -= GROUP

    def review(self, entry: Mapping[str, Any], context: ReviewContext) -> Verdict | None:
        if not context.use_registries:
            return None
        evidence, id_number = context.evidence, entry["id_number"]
        holder = evidence.card_holder.get(entry["account_number"])
        if holder is not None and holder != id_number and id_number in evidence.own_card.index:
            return Verdict("correct", field=self.fix_field, value=evidence.own_card.at[id_number, "account_number"])
        return None

    def inspect(self, line: Mapping[str, Any], context: InspectionContext) -> float | None:
        if context.evidence is None:
            return None
        account = line["account_number"]
        # One account for several people, held by somebody else.
        if (context.payees_of_account.get(account, 1) > 1
                and context.evidence.holder_name.get(account) != line["payee_name"]):
            return float(line["amount"])
        return None
