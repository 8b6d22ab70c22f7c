"""Entries that look irregular but are correct: rejecting one harms an entitled person.

The world makes them on purpose (farm vehicles of poor households, retired staff, land rented
in, changed names, namesakes, deaths during the period); the answer key marks them in its
`look_alike` column so the feedback can say why the entry was right, and scoring counts a
rejection of one as a wrongful denial.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class LookAlike:
    """An entry that looks irregular but is correct; rejecting it harms an entitled person."""

    code: str
    zh: str
    en: str
    why_zh: str
    why_en: str
    tip_zh: str
    tip_en: str
    imitates: str = ""  # the irregularity type it looks like (adaptive practice plants it as that type's decoy)

    def tip(self, lang: str = "zh") -> str:
        return self.tip_zh if lang == "zh" else self.tip_en


LOOK_ALIKES: dict[str, LookAlike] = {
    a.code: a
    for a in (
        LookAlike(
            "head_card", "户主代领", "paid to the head's card",
            "按户发放的补贴（耕地地力保护、低保等）本就发到户主卡上，不是代领",
            "per-household subsidies (farmland, 低保…) go to the head's card by rule; that is not proxy claiming",
            "先看项目是按人还是按户发放，再判断收款人",
            "check whether the program pays per person or per household before judging the payee",
            imitates="proxy_account",
        ),
        LookAlike(
            "same_name", "同名不同人", "same name, different person",
            "两人同名但身份证号不同，是两个人，不是重复发放",
            "two people with one name but different ID numbers are two people, not a duplicate",
            "查重用身份证号，不用姓名",
            "de-duplicate on ID numbers, never on names",
            imitates="duplicate",
        ),
        LookAlike(
            "late_death", "死亡在发放期之后", "died after the period started",
            "发放期开始后才死亡的人员，本期仍应享受，下期起停发",
            "someone who died after the period started is still entitled for it; payment stops next period",
            "比对死亡日期与发放期开始日期，而不只是看是否在死亡登记中",
            "compare the death date with the period start, not just whether the name is in the death register",
            imitates="dead_payee",
        ),
        LookAlike(
            "farm_vehicle", "低保户有农用车", "a farm vehicle in a 低保 household",
            "车辆登记中的三轮汽车、低速货车是农用生产工具，不是家庭财产富裕的标志，不影响低保资格",
            "a 三轮汽车 or 低速货车 in the vehicle register is a farm tool, not a sign of wealth; "
            "it does not end 低保",
            "看车辆类型：小型轿车等才说明家境，三轮汽车、低速货车不算",
            "look at the vehicle type: a car says something about means, a farm vehicle does not",
            imitates="cadre_relative",
        ),
        LookAlike(
            "retired_staff", "退休人员", "retired public staff",
            "财政供养名单中状态为“退休”的人员已不在编在岗，可以领取高龄津贴、耕地地力保护等非救助类补贴",
            "someone the payroll lists as retired (退休) is no longer serving staff; non-means-tested "
            "subsidies such as the old-age allowance or farmland subsidy are theirs",
            "比对财政供养名单时看“状态”一栏，在职和退休要分开",
            "read the status column of the payroll: serving and retired staff are not the same",
            imitates="public_employee",
        ),
        LookAlike(
            "rented_in", "流转土地种粮", "grain grown on land rented in",
            "种粮面积超过承包面积，但土地流转备案记载了转入的土地；实际种粮农民补贴按实际种植面积发放",
            "grain area above the contract is explained by a land transfer record; the grain subsidy "
            "pays whoever actually grows the grain",
            "种粮面积与承包面积不符时，先查土地流转备案",
            "when grain area exceeds the contract, check the land transfer records first",
            imitates="inflated_area",
        ),
        LookAlike(
            "former_name", "曾用名", "a former name",
            "名册和社保卡上的姓名是户籍登记的曾用名，是同一个人；按曾用名开户的卡照常可以入账",
            "the roster and card carry the name the residents register lists as the former name (曾用名); "
            "it is the same person, and the card in that name is paid normally",
            "姓名与户籍不符时先看曾用名和开户名，别急着改名",
            "when a name differs from the register, check the former name and the card holder before correcting",
            imitates="data_entry_name",
        ),
        LookAlike(
            "cadre_relative_entitled", "村干部亲属合规享受", "a cadre's relative who is entitled",
            "村干部近亲属并非不能享受低保；名下没有车辆（农用车除外）和经营实体、已备案的困难家庭照常享受",
            "a cadre's relative may get 低保: a declared poor household with no car (farm vehicles "
            "aside) and no business is entitled",
            "近亲属名单命中只是提示，要再查车辆类型和工商登记",
            "a hit in the relatives list is a prompt to check vehicles and businesses, not a verdict",
            imitates="cadre_relative",
        ),
    )
}
MEANS_TESTED_PROGRAMS = ("dibao", "tekun", "disabled_living")


def mark_look_alikes(rows: list[dict[str, Any]], keys: list[dict[str, Any]], persons: pd.DataFrame,
                     period_start: pd.Timestamp, households: pd.DataFrame | None = None) -> None:
    """Name the look-alike in the key row of every clean entry that is one (the first that
    fits, in the order of LOOK_ALIKES' most telling kinds: a death during the period, a farm
    vehicle, a retiree, land rented in, a former name, a cadre's relative, a namesake, the
    head's card)."""
    # Imported here: the scenario schema loads this package, and it need not load pandas.
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({"name": [r["name"] for r in rows], "id_number": [r["id_number"] for r in rows],
                          "payee": [r["payee_person_id"] for r in rows],
                          "beneficiary": [r["person_id"] for r in rows],
                          "program": [r["program"] for r in rows],
                          "quantity": [float(r["quantity"]) for r in rows]})
    persons = persons.set_index("person_id")
    payee = persons.reindex(frame["payee"])

    def column(name: str, default: object) -> np.ndarray:
        return payee[name].to_numpy() if name in payee else np.full(len(frame), default)

    died_in_period = (~payee["alive"] & (payee["death_date"] >= period_start)).to_numpy()
    means_tested = frame["program"].isin(MEANS_TESTED_PROGRAMS).to_numpy()
    farm = means_tested & column("farm_vehicle", False).astype(bool) & ~payee["owns_vehicle"].to_numpy(dtype=bool)
    retired = column("retired_staff", False).astype(bool)
    rented = np.zeros(len(frame), dtype=bool)
    if households is not None and "rented_in_mu" in households:
        land = households.set_index("household_id").reindex(payee["household_id"])
        rented = ((frame["program"] == "grain_growers").to_numpy() & (land["rented_in_mu"].to_numpy() > 0)
                  & (frame["quantity"].to_numpy() > land["farmland_mu"].to_numpy() + 0.05))
    former = column("renamed_to", "").astype(str) != ""
    relative = means_tested & (payee["cadre_relative_of"].to_numpy() != "")
    namesakes = (frame.groupby("name")["id_number"].transform("nunique") > 1).to_numpy()
    head_card = (frame["payee"] != frame["beneficiary"]).to_numpy()
    labels = np.select([died_in_period, farm, retired, rented, former, relative, namesakes, head_card],
                       ["late_death", "farm_vehicle", "retired_staff", "rented_in", "former_name",
                        "cadre_relative_entitled", "same_name", "head_card"], "")
    for key, label in zip(keys, labels, strict=True):
        if not key["fault"]:
            key["look_alike"] = str(label)
