"""冒领：已死亡人员: a claim (pension, old-age allowance, disability subsidy or 低保) for somebody
who died before the period. Forms: `registered_death` (the death register proves it) and
`late_registration` (not registered yet: a cremation record or 医保 ended for death shows it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sandbox.irregularities.base import Check, Irregularity, Money, Planting, Rate, Verdict

if TYPE_CHECKING:
    from sandbox.irregularities.evidence import Evidence, ReviewContext
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
    evidence = ("deaths", "cremations", "medical_insurance")
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
        died_before = (~p["alive"]) & (p["death_date"] < site.period_start)
        registered = died_before & (p["death_registered_date"] <= site.as_of)
        # Registered late: the death shows only in a cremation record or 医保 ended for death.
        traced = (p["cremation_date"] <= site.as_of) | (p["insurance_ended_date"] < site.period_start)
        late = died_before & (p["death_registered_date"] > site.as_of) & traced
        k = site.count(rate)
        late_ids = site.pick(p.index[late], k // 2)
        registered_ids = site.pick(p.index[registered], k - len(late_ids))
        cases = [(pid, "late_registration") for pid in late_ids] + [(pid, "registered_death") for pid in registered_ids]
        for n_done, (pid, pattern) in enumerate(cases):
            claim = self._claim(site, pid, n_done)
            if claim is None:
                continue
            entry, amount = claim
            person = p.loc[pid]
            if pattern == "registered_death":
                registry = "deaths"
                zh = f"死亡登记：{person['name']}于{person['death_date']:%Y-%m-%d}死亡，早于发放期"
                en = f"death register: {person['name']} died on {person['death_date']:%Y-%m-%d}, before the period"
            elif person["cremation_date"] <= site.as_of:  # NaT compares False
                registry = "cremations"
                zh = (f"死亡登记尚无记录，但殡葬火化记录显示{person['name']}于{person['death_date']:%Y-%m-%d}死亡、"
                      f"{person['cremation_date']:%Y-%m-%d}火化，早于发放期")
                en = (f"not yet in the death register, but a cremation record shows {person['name']} died on "
                      f"{person['death_date']:%Y-%m-%d}, before the period")
            else:
                registry = "medical_insurance"
                zh = (f"死亡登记尚无记录，但医保于{person['insurance_ended_date']:%Y-%m-%d}因死亡终止参保，"
                      f"{person['name']}已于发放期前死亡")
                en = (f"not yet in the death register, but medical insurance ended for death on "
                      f"{person['insurance_ended_date']:%Y-%m-%d}, before the period")
            site.add(entry, self.code, amount, registry, zh, en, blatant=True, pattern=pattern)

    @staticmethod
    def _claim(site: PlantingSite, pid: str, n_done: int) -> tuple[dict, float] | None:
        """A claim in one of the programs the dead person could have drawn, taken in turn:
        pension, old-age allowance, disability subsidies, 低保."""
        person = site.persons.loc[pid]
        options = []
        if person["age"] >= 80 and site.has_program("old_age_allowance"):
            options.append("old_age_allowance")
        if person["disability_grade"] in (1, 2) and site.has_program("severe_disability_care"):
            options.append("severe_disability_care")
        if person["household_id"] in site.dibao_members and site.has_program("dibao"):
            options.append("dibao")
        if person["age"] >= 60 and site.has_program("basic_pension"):
            options.append("basic_pension")
        if not options:
            return None
        program = options[n_done % len(options)]
        if program == "dibao":
            per_person = site.dibao_per_person()
            return None if per_person is None else site.dibao_claim(pid, per_person)
        amount = site.typical_amount(program)
        return None if amount is None else (site.entry_for(pid, program, amount), amount)

    def proven_by_registry(self, evidence: Evidence, program: str, id_number: str) -> bool:
        return _died_before_period(evidence, id_number)


    def review_carefully(self, entry: Mapping[str, Any], context: ReviewContext) -> Verdict | None:
        """Also a death the register does not hold yet: a cremation record or 医保 ended for
        death before the period proves it."""
        verdict = self.review(entry, context)
        if verdict is not None or not context.use_registries:
            return verdict
        traced = context.evidence.trace_death.get(entry["id_number"])
        if traced is not None and traced < context.evidence.period_start:
            return Verdict("reject", self.code)
        return None


def _died_before_period(evidence: Evidence, id_number: str) -> bool:
    died = evidence.death_date.get(id_number)
    return died is not None and died < evidence.period_start
