"""冒领：已死亡人员: a pension claimed for somebody who died before the period. The death
register proves it; the payment is stopped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.irregularities.base import Check, Irregularity, Money, Planting, Rate

if TYPE_CHECKING:
    from sandbox.irregularities.evidence import Evidence
    from sandbox.irregularities.planting import PlantingSite


class DeadPayee(Irregularity):
    code = "dead_payee"
    zh = "冒领：已死亡人员"
    en = "payment to a dead person (false claim)"
    keywords = ("冒领", "已死亡", "死亡", "去世", "已故", "过世", "病故", "身故", "死者", "dead", "deceased",
                "died")
    rule_zh = "发放期开始前已死亡的人员不得享受补贴，应停发"
    rule_en = "nobody who died before the period starts may be paid; stop the payment"
    tip_zh = "审核前把每个身份证号与死亡登记比对；注意死亡登记有滞后，必要时入户核实"
    tip_en = "compare every ID against the death register before approval; registration lags, so visit when in doubt"

    rate = Rate(default=0.01, description="payee died before the period (冒领)")
    harm = "money_lost"
    severity = 3
    money = Money.NOT_ENTITLED
    evidence = ("deaths",)
    report_words = ("死亡",)
    decision = "reject"
    fix_field = ""

    blatant = True
    objection_zh = "村民反映：{name}已经去世了，怎么还在领钱？"
    objection_en = "A villager: {name} has died — why is money still paid?"
    rectification_zh = "停发并追回冒领资金，注销补贴资格，每月与死亡登记比对"
    rectification_en = ("stop the payment and recover the money, end the entitlement, "
                        "compare with the death register every month")

    planting = Planting.ADD
    check = Check.ENTITLEMENT

    def plant(self, site: PlantingSite, rate: float) -> None:
        p = site.persons
        dead = p[(~p["alive"]) & (p["death_date"] < site.period_start)
                 & (p["death_registered_date"] <= site.as_of) & (p["age"] >= 60)]
        pension = site.typical_amount("basic_pension")
        for pid in site.pick(dead.index, site.count(rate)):
            if pension is None:
                break
            person = p.loc[pid]
            site.add(site.entry_for(pid, "basic_pension", pension), self.code, pension, "deaths",
                     f"死亡登记：{person['name']}于{person['death_date']:%Y-%m-%d}死亡，早于发放期",
                     f"death register: {person['name']} died on {person['death_date']:%Y-%m-%d}, before the period",
                     blatant=True)

    def proven_by_registry(self, evidence: Evidence, program: str, id_number: str) -> bool:
        return _died_before_period(evidence, id_number)


def _died_before_period(evidence: Evidence, id_number: str) -> bool:
    died = evidence.death_date.get(id_number)
    return died is not None and died < evidence.period_start
