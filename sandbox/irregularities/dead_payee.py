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
        died_before = (~p["alive"]) & (p["death_date"] < site.period_start) & _claimable(site)
        registered = died_before & (p["death_registered_date"] <= site.as_of)
        # Registered late: the death shows only in a cremation record or 医保 ended for death.
        traced = (p["cremation_date"] <= site.as_of) | (p["insurance_ended_date"] < site.period_start)
        late = died_before & (p["death_registered_date"] > site.as_of) & traced
        pools = {"registered_death": p.index[registered], "late_registration": p.index[late]}
        done = [0]

        def plant(pattern: str, pid: str) -> bool:
            claim = self._claim(site, pid, done[0])
            if claim is None:
                return False
            entry, amount = claim
            registry, zh, en = _words(site, p.loc[pid], pattern)
            site.add(entry, self.code, amount, registry, zh, en, blatant=True, pattern=pattern)
            done[0] += 1
            return True

        # both forms in turn; where the world has no late registration, all are registered
        site.plant_forms(pools, site.count(rate), plant)

    @staticmethod
    def _claim(site: PlantingSite, pid: str, n_done: int) -> tuple[dict, float] | None:
        """A claim in one of the programs the dead person could have drawn, taken in turn:
        old-age allowance, disability care, 低保, pension."""
        person = site.persons.loc[pid]
        options = [program for program, fits in _options(site, person).items() if fits]
        if not options:
            return None
        return site.claim(pid, options[n_done % len(options)])

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


def _programs(site: PlantingSite) -> dict[str, bool]:
    """Which of the programs a dead payee could be claimed in this roster pays (with an amount)."""
    return {"old_age_allowance": site.typical_amount("old_age_allowance") is not None,
            "severe_disability_care": site.typical_amount("severe_disability_care") is not None,
            "dibao": site.dibao_per_person() is not None,
            "basic_pension": site.typical_amount("basic_pension") is not None}


def _options(site: PlantingSite, person: Any) -> dict[str, bool]:
    paid = _programs(site)
    return {"old_age_allowance": paid["old_age_allowance"] and person["age"] >= 80,
            "severe_disability_care": paid["severe_disability_care"] and person["disability_grade"] in (1, 2),
            "dibao": paid["dibao"] and person["household_id"] in site.dibao_members,
            "basic_pension": paid["basic_pension"] and person["age"] >= 60}


def _claimable(site: PlantingSite) -> Any:
    """Persons a claim could be made up for in one of the programs (vectorised `_options`)."""
    p, paid = site.persons, _programs(site)
    return ((paid["old_age_allowance"] & (p["age"] >= 80))
            | (paid["severe_disability_care"] & p["disability_grade"].isin([1, 2]))
            | (paid["dibao"] & p["household_id"].isin(site.dibao_members))
            | (paid["basic_pension"] & (p["age"] >= 60)))


def _words(site: PlantingSite, person: Any, pattern: str) -> tuple[str, str, str]:
    """The registry that shows the death, and the evidence in words."""
    name, died = person["name"], person["death_date"]
    if pattern == "registered_death":
        return ("deaths", f"死亡登记：{name}于{died:%Y-%m-%d}死亡，早于发放期",
                f"death register: {name} died on {died:%Y-%m-%d}, before the period")
    if person["cremation_date"] <= site.as_of:  # NaT compares False
        return ("cremations", f"死亡登记尚无记录，但殡葬火化记录显示{name}于{died:%Y-%m-%d}死亡、"
                f"{person['cremation_date']:%Y-%m-%d}火化，早于发放期",
                f"not yet in the death register, but a cremation record shows {name} died on "
                f"{died:%Y-%m-%d}, before the period")
    return ("medical_insurance", f"死亡登记尚无记录，但医保于{person['insurance_ended_date']:%Y-%m-%d}因死亡终止参保，"
            f"{name}已于发放期前死亡",
            f"not yet in the death register, but medical insurance ended for death on "
            f"{person['insurance_ended_date']:%Y-%m-%d}, before the period")


def _died_before_period(evidence: Evidence, id_number: str) -> bool:
    died = evidence.death_date.get(id_number)
    return died is not None and died < evidence.period_start
