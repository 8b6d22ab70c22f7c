"""超标准发放: an amount above what the program's standard gives: paid a multiple of it
(`multiple`) or typed with a zero too many (`extra_digit`). The claimant is entitled to the
standard amount: correct it, then approve."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sandbox.irregularities.base import Check, Irregularity, Money, Planting, Rate, Verdict

if TYPE_CHECKING:
    from sandbox.irregularities.evidence import InspectionContext, ReviewContext
    from sandbox.irregularities.planting import PlantingSite

# Programs paying a fixed standard per person, where a wrong amount stands out.
FIXED_STANDARD = ("basic_pension", "old_age_allowance", "severe_disability_care", "disabled_living",
                  "orphans", "family_planning")
MULTIPLES = (1.5, 2.0, 3.0)  # paid a multiple of the standard (form `multiple`)
EXTRA_DIGIT = 10.0           # a zero typed too many (form `extra_digit`)
BLATANT_MULTIPLE = 3                # from this multiple on, villagers notice
FORMS = ("multiple", "extra_digit")


class OverStandard(Irregularity):
    code = "over_standard"
    zh = "超标准发放"
    en = "amount above the standard"
    keywords = ("超标准发放", "超标准", "超标", "金额错误", "金额不对", "金额", "多发", "标准",
                "over standard", "amount")
    rule_zh = "发放金额须等于按项目标准计算的金额"
    rule_en = "the amount must equal what the program's standard gives"
    tip_zh = "按补贴项目清单的标准重算每一行金额，改为标准金额后通过"
    tip_en = "recompute every amount from the catalogue standard; correct it and approve"

    rate = Rate(default=0.008, description="amount above the standard (超标准)")
    harm = "money_lost"
    severity = 2
    money = Money.OVERPAID
    evidence = ("programs",)
    report_words = ()
    decision = "correct"
    fix_field = "amount"

    blatant = False  # only the grossest cases (see BLATANT_MULTIPLE)
    objection_zh = "村民反映：{name}领的钱比别人多。"
    objection_en = "A villager: {name} gets more than everyone else."
    rectification_zh = "追回超标准部分，按项目标准重算金额"
    rectification_en = "recover what was paid above the standard; recompute amounts from the standard"

    planting = Planting.CHANGE
    check = Check.STANDARD

    def plant(self, site: PlantingSite, rate: float) -> None:
        for n_done, i in enumerate(site.take_spread(site.count(rate), site.program_is(*FIXED_STANDARD))):
            entry, key = site.entries[i], site.keys[i]
            true = float(entry["amount"])
            pattern = FORMS[n_done % len(FORMS)]  # both forms, in turn
            factor = float(site.rng.choice(list(MULTIPLES))) if pattern == "multiple" else EXTRA_DIGIT
            claimed = round(true * factor, 2)
            key.update(fault=self.code, claimed_amount=claimed, true_amount=true,
                       money_at_stake=round(claimed - true, 2), fix_field=self.fix_field,
                       fix_value=f"{true:.2f}", evidence_registry="programs",
                       evidence_zh=f"按标准应发{true:.2f}元，名册填报{claimed:.2f}元",
                       evidence_en=f"the standard gives ¥{true:.2f}; the roster claims ¥{claimed:.2f}",
                       blatant=claimed >= BLATANT_MULTIPLE * true, pattern=pattern)
            entry["amount"] = claimed

    def review(self, entry: Mapping[str, Any], context: ReviewContext) -> Verdict | None:
        program, evidence = entry["program"], context.evidence
        if not (context.use_registries or program in evidence.catalogue.fixed_amount):
            return None
        standard = evidence.standard_amount(program, entry["id_number"])
        if standard is not None and abs(float(entry["amount"]) - standard) > 0.005:
            return Verdict("correct", field=self.fix_field, value=f"{standard:.2f}")
        return None

    def inspect(self, line: Mapping[str, Any], context: InspectionContext) -> float | None:
        program, id_number = line["program"], line["payee_id_number"]
        if context.evidence is not None:
            standard = context.evidence.standard_amount(program, id_number)
        else:  # without registries, the age comes from the birth date inside the ID number
            standard = context.catalogue.standard_by_id(program, id_number)
        if standard is not None and line["amount"] > float(standard) + 0.005:
            return line["amount"] - float(standard)
        return None
