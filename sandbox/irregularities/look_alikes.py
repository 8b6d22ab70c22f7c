"""Entries that look irregular but are correct: rejecting one harms an entitled person.

They are not planted; they arise from the world itself, and the answer key marks them so
the feedback can say why the entry was right.
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
        ),
        LookAlike(
            "same_name", "同名不同人", "same name, different person",
            "两人同名但身份证号不同，是两个人，不是重复发放",
            "two people with one name but different ID numbers are two people, not a duplicate",
            "查重用身份证号，不用姓名",
            "de-duplicate on ID numbers, never on names",
        ),
        LookAlike(
            "late_death", "死亡在发放期之后", "died after the period started",
            "发放期开始后才死亡的人员，本期仍应享受，下期起停发",
            "someone who died after the period started is still entitled for it; payment stops next period",
            "比对死亡日期与发放期开始日期，而不只是看是否在死亡登记中",
            "compare the death date with the period start, not just whether the name is in the death register",
        ),
    )
}


def mark_look_alikes(rows: list[dict[str, Any]], keys: list[dict[str, Any]], persons: pd.DataFrame,
                     period_start: pd.Timestamp) -> None:
    """Name the look-alike in the key row of every clean entry that is one (first that fits:
    a death during the period, a namesake, the head's card)."""
    # Imported here: the scenario schema loads this package, and it need not load pandas.
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({"name": [r["name"] for r in rows], "id_number": [r["id_number"] for r in rows],
                          "payee": [r["payee_person_id"] for r in rows],
                          "beneficiary": [r["person_id"] for r in rows]})
    persons = persons.set_index("person_id")
    died_in_period = (~persons["alive"] & (persons["death_date"] >= period_start)).reindex(frame["payee"]).to_numpy()
    namesakes = (frame.groupby("name")["id_number"].transform("nunique") > 1).to_numpy()
    head_card = (frame["payee"] != frame["beneficiary"]).to_numpy()
    labels = np.select([died_in_period, namesakes, head_card], ["late_death", "same_name", "head_card"], "")
    for key, label in zip(keys, labels, strict=True):
        if not key["fault"]:
            key["look_alike"] = str(label)
