"""身份证号错误: one digit of the ID number typed wrong. The payee is entitled; the bank would
return the payment, so the ID is corrected from the residents register."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sandbox.irregularities.base import Check, Irregularity, Money, Planting, Rate, Verdict

if TYPE_CHECKING:
    from sandbox.irregularities.evidence import ReviewContext
    from sandbox.irregularities.planting import PlantingSite


class DataEntryId(Irregularity):
    code = "data_entry_id"
    zh = "身份证号错误"
    en = "ID number typed wrong"
    keywords = ("身份证号错误", "身份证号码错误", "身份证错误", "身份证号", "身份证", "证件号", "校验位",
                "id number", "wrong id")
    rule_zh = "身份证号须与户籍登记一致并通过校验位（GB 11643）"
    rule_en = "the ID number must match the residents register and pass its check character (GB 11643)"
    tip_zh = "每个身份证号都做校验位检查，并到户籍登记中按姓名核对"
    tip_en = "run the check-character test on every ID and look the name up in the residents register"

    rate = Rate(default=0.01, description="ID number typed wrong")
    harm = "delay"
    severity = 1
    money = Money.ENTITLED
    evidence = ("residents",)
    report_words = ()
    decision = "correct"
    fix_field = "id_number"

    blatant = False
    objection_zh = "村民反映：{name}的身份证号好像不对。"
    objection_en = "A villager: {name}'s ID number looks wrong."
    rectification_zh = "按户籍登记更正身份证号，退回的款项重新发放"
    rectification_en = "correct the ID number from the residents register and pay the returned money again"

    planting = Planting.CHANGE
    check = Check.CHECK_DIGITS

    def plant(self, site: PlantingSite, rate: float) -> None:
        for i in site.take_spread(site.count(rate)):
            entry, key = site.entries[i], site.keys[i]
            true = entry["id_number"]
            entry["id_number"] = site.mistype_digit(true, start=6)  # a digit after the address code
            key.update(fault=self.code, money_at_stake=entry["amount"], fix_field=self.fix_field,
                       fix_value=true, evidence_registry="residents",
                       evidence_zh=f"身份证号校验位不符；户籍登记中{entry['name']}的身份证号为{true}",
                       evidence_en=f"ID check character fails; the residents register has {entry['name']} as {true}")

    def review(self, entry: Mapping[str, Any], context: ReviewContext) -> Verdict | None:
        # Imported here: the schema loads this module, and the check digits bring in pandas.
        from sandbox.common.identifiers import check_id_number, suggest_id_fix

        id_number = entry["id_number"]
        if check_id_number(id_number).valid:
            return None
        if not context.use_registries:
            fix = suggest_id_fix(id_number)
            return Verdict("correct", field=self.fix_field, value=fix) if fix else Verdict("refer")
        matches = context.evidence.residents_by_name.get(entry["name"], [])
        if len(matches) == 1:
            return Verdict("correct", field=self.fix_field, value=matches[0])
        return Verdict("refer")

    def review_carefully(self, entry: Mapping[str, Any], context: ReviewContext) -> Verdict | None:
        """As `review`, with former names (曾用名) found too when looking the person up by name."""
        from sandbox.common.identifiers import check_id_number

        if not context.use_registries or check_id_number(entry["id_number"]).valid:
            return self.review(entry, context)
        matches = _closest(entry, context.evidence.by_any_name.get(entry["name"], []), context.evidence)
        if len(matches) == 1:
            return Verdict("correct", field=self.fix_field, value=matches[0])
        return Verdict("refer")


def _closest(entry: Mapping[str, Any], matches: list[str], evidence: Any) -> list[str]:
    """Namesakes narrowed down: those of the entry's village, then those whose number differs
    from the one typed in the fewest places (a slip changes one digit, not eighteen)."""
    if len(matches) > 1 and "village" in evidence.residents.columns:
        village = [m for m in matches if evidence.residents.at[m, "village"] == entry.get("village")]
        matches = village or matches
    if len(matches) > 1:
        typed = str(entry["id_number"]).strip().upper()
        distance = {m: sum(a != b for a, b in zip(typed, m, strict=False)) + abs(len(typed) - len(m))
                    for m in matches}
        best = min(distance.values())
        matches = [m for m in matches if distance[m] == best]
    return matches
