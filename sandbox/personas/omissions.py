"""应享未享 as a careful reviewer finds it: compare the registries with the roster and the
catalogue's rules, through the Session API alone (never the platform's key)."""

from __future__ import annotations

import pandas as pd

from sandbox.common.identifiers import check_id_number, clean_id_number
from sandbox.irregularities.evidence import age_from_id
from sandbox.session.session import Session

OLD_AGE = 80
SEVERE_GRADES = (1, 2)


def find_omitted(session: Session) -> pd.DataFrame:
    """Rows to add (补录): id_number, program — entitled by the registries, absent from the roster.

    A person the registries disagree about (two disability grades, listed dead) is left out:
    adding them would rest on a record a visit has not settled."""
    reg = session.registries
    period_start = pd.Timestamp(session.brief()["period"].split(" ")[0])
    enabled = set(session.programs()["program"])
    roster = session.review.roster()
    listed = set(zip(roster["id_number"].map(lambda v: clean_id_number(str(v))), roster["program"], strict=True))
    # an ID typed wrong is still listed: the same name and program in the same village, on a
    # line whose ID fails its check character (a namesake with a good ID is somebody else)
    typo = ~roster["id_number"].map(lambda v: check_id_number(str(v)).valid)
    named = set(zip(roster.loc[typo, "village"], roster.loc[typo, "name"], roster.loc[typo, "program"], strict=True))
    residents = reg.get("residents").drop_duplicates("id_number")
    # dead before the period: owed nothing (a death during the period is still owed this one)
    deaths = reg.get("deaths")
    died = dict(zip(deaths["id_number"], pd.to_datetime(deaths["death_date"]), strict=True))
    died.update(_traced_deaths(session))
    dead = {id_number for id_number, day in died.items() if day < period_start}
    payroll = set(reg.get("payroll")["id_number"])
    dibao = reg.get("dibao")
    disability = reg.get("disability")
    grades = disability.groupby("id_number")["grade"].agg(lambda g: sorted(set(g)))
    name_of = dict(zip(residents["id_number"], zip(residents["village"], residents["name"], strict=True), strict=True))
    # the roster may carry a former name (曾用名): such a person is listed already
    former = residents[residents.get("former_name", pd.Series("", index=residents.index)).fillna("") != ""]
    former_of = dict(zip(former["id_number"], zip(former["village"], former["former_name"], strict=True), strict=True))

    wanted: list[tuple[str, str]] = []
    for id_number in residents["id_number"]:
        age = age_from_id(id_number, period_start)
        if age is not None and age >= OLD_AGE:
            wanted.append((id_number, "old_age_allowance"))
    for row in dibao.to_dict("records"):
        program = "dibao" if row["kind"] == "低保" else "tekun"
        if row["id_number"] not in payroll:
            wanted.append((row["id_number"], program))
    dibao_households = set(dibao.loc[dibao["kind"] == "低保", "household_id"])
    household_of = dict(zip(residents["id_number"], residents["household_id"], strict=True))
    for id_number, found in grades.items():
        if len(found) != 1:
            continue  # two grades on record: a visit must settle it first
        if found[0] in SEVERE_GRADES:
            wanted.append((id_number, "severe_disability_care"))
        if household_of.get(id_number) in dibao_households:
            wanted.append((id_number, "disabled_living"))
    for id_number in reg.get("land_contracts")["id_number"].unique():
        wanted.append((id_number, "farmland_fertility"))

    rows = [{"id_number": i, "program": p} for i, p in dict.fromkeys(wanted)
            if p in enabled and i not in dead and i in name_of and (i, p) not in listed
            and (*name_of[i], p) not in named and (i not in former_of or (*former_of[i], p) not in named)]
    return pd.DataFrame(rows, columns=["id_number", "program"])


def _traced_deaths(session: Session) -> dict[str, pd.Timestamp]:
    """Deaths other offices show before the death register does, with the day of death: a
    cremation record, or 医保 ended because the insured died (the day it ended, at the latest)."""
    names = set(session.registries.list()["registry"])
    found: dict[str, pd.Timestamp] = {}
    if "medical_insurance" in names:
        insurance = session.registries.get("medical_insurance")
        ended = insurance[(insurance["status"] == "终止") & (insurance["reason"] == "死亡")]
        found.update(zip(ended["id_number"], pd.to_datetime(ended["changed_date"]), strict=True))
    if "cremations" in names:  # the funeral home knows the day of death
        cremated = session.registries.get("cremations")
        found.update(zip(cremated["id_number"], pd.to_datetime(cremated["death_date"]), strict=True))
    return found


def add_omitted(session: Session) -> int:
    """Find and add the people left off; returns how many were added."""
    rows = find_omitted(session)
    if len(rows):
        session.review.add(rows)
    return len(rows)
