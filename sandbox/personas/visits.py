"""Home visits where the registries cannot settle a case: conflicting records are referred,
and a visit that found nobody home is referred again."""

from __future__ import annotations

import pandas as pd

from sandbox.common.identifiers import clean_id_number
from sandbox.irregularities import MEANS_TESTED
from sandbox.irregularities.evidence import FARM_VEHICLE_TYPES
from sandbox.session.session import Session

MAX_VISIT_ROUNDS = 5
# Reasons whose evidence a stale or conflicting record can fake: check them at home first.
REGISTRY_REASONS = ("dead_payee", "public_employee", "cadre_relative", "ineligible", "over_standard")
ASSET_REGISTRIES = ("payroll", "vehicles", "businesses", "cadres")


AGE_PROGRAMS = ("basic_pension", "old_age_allowance")
DISABILITY_PROGRAMS = ("severe_disability_care", "disabled_living")
ANY_PROGRAM = "*"


def conflicted_ids(session: Session) -> dict[str, set[str]]:
    """ID numbers the registries disagree about, with the programs the disagreement decides
    (ANY_PROGRAM: all): listed dead yet still in 户籍 (all); a 户籍 birth date unlike the ID
    number's (age programs); two disability grades (disability programs); a 低保 household
    member on the payroll or owning a car or business (means-tested aid: the 低保 register
    excludes them, so one of the two records is out of date; farm vehicles and retirees do not
    count)."""
    reg = session.registries
    residents = reg.get("residents")
    deaths = reg.get("deaths")
    out: dict[str, set[str]] = {}

    def mark(ids: set[str], programs: tuple[str, ...]) -> None:
        for id_number in ids:
            out.setdefault(id_number, set()).update(programs)

    # listed dead yet still in 户籍: settled without a visit when a cremation record or 医保
    # ended for death confirms it (the 户籍 row is merely not cancelled yet)
    mark(set(deaths["id_number"]) & set(residents["id_number"]) - _confirmed_deaths(reg), (ANY_PROGRAM,))
    mark(_ages_that_matter(residents, period_start(session)), AGE_PROGRAMS)
    grades = reg.get("disability").groupby("id_number")["grade"].nunique()
    mark(set(grades[grades > 1].index), DISABILITY_PROGRAMS)
    dibao = reg.get("dibao")
    members = set(residents.loc[residents["household_id"].isin(dibao["household_id"]), "id_number"])
    members |= set(dibao["id_number"])
    assets = set().union(*(set(_assets(reg.get(name), name)["id_number"]) for name in ASSET_REGISTRIES))
    # a cadre's relative on 低保 with a car or business: the registers prove understated
    # income; a visit is for the household nobody links to a cadre
    relatives = set(reg.get("cadre_relatives")["id_number"])
    mark((members & assets) - relatives, MEANS_TESTED)
    return out


AGE_THRESHOLDS = (60, 80, 90, 100)  # where a program's eligibility or tier changes


def period_start(session: Session) -> pd.Timestamp:
    return pd.Timestamp(session.brief()["period"].split(" ")[0])


def _ages_that_matter(residents: pd.DataFrame, start: pd.Timestamp) -> set[str]:
    """IDs whose 户籍 birth date differs from the one in the number in a way that changes a
    program: the two ages fall on different sides of 60, 80, 90 or 100."""
    from_id = pd.to_datetime(residents["id_number"].str[6:14], format="%Y%m%d", errors="coerce")
    registered = pd.to_datetime(residents["birth_date"], errors="coerce")
    differ = from_id.notna() & registered.notna() & (from_id != registered)
    rows = residents[differ]
    if rows.empty:
        return set()

    def age(born: pd.Series) -> pd.Series:
        return start.year - born.dt.year - ((born.dt.month > start.month)
                                            | ((born.dt.month == start.month) & (born.dt.day > start.day))).astype(int)

    a, b = age(from_id[differ]), age(registered[differ])
    straddles = pd.Series(False, index=rows.index)
    for threshold in AGE_THRESHOLDS:
        straddles |= (a >= threshold) != (b >= threshold)
    return set(rows.loc[straddles, "id_number"])


def _confirmed_deaths(reg) -> set[str]:
    names = set(reg.list()["registry"])
    found: set[str] = set()
    if "cremations" in names:
        found |= set(reg.get("cremations")["id_number"])
    if "medical_insurance" in names:
        insurance = reg.get("medical_insurance")
        found |= set(insurance.loc[(insurance["status"] == "终止") & (insurance["reason"] == "死亡"), "id_number"])
    return found


def _assets(table: pd.DataFrame, name: str) -> pd.DataFrame:
    """The rows of a registry that would bar 低保: a farm vehicle (三轮汽车, 低速货车) is a tool,
    not wealth, and a retiree is no longer on the payroll."""
    if name == "vehicles" and "vehicle_type" in table:
        return table[~table["vehicle_type"].isin(FARM_VEHICLE_TYPES)]
    if name == "payroll" and "status" in table:
        return table[table["status"] != "退休"]
    return table


def refer_conflicts(session: Session, decisions: pd.DataFrame) -> pd.DataFrame:
    """The decisions with every entry whose person the registries disagree about (in a way
    that decides its program) turned into a referral, when its decision rests on those
    registries (an approval, or a rejection for a reason a stale record can fake)."""
    conflicted = conflicted_ids(session)
    if not conflicted:
        return decisions
    roster = session.review.roster().set_index("entry_id")
    ids = decisions["entry_id"].map(lambda e: clean_id_number(str(roster.at[e, "id_number"])))
    programs = decisions["entry_id"].map(roster["program"])
    decided = [bool(found & {ANY_PROGRAM, program}) for found, program in
               zip(ids.map(lambda i: conflicted.get(i, set())), programs, strict=True)]
    rests_on_registries = ((decisions["decision"] == "approve")
                           | ((decisions["decision"] == "reject") & decisions["reason"].isin(REGISTRY_REASONS))
                           | ((decisions["decision"] == "correct") & decisions["field"].isin(["amount", "quantity"])))
    refer = pd.Series(decided, index=decisions.index) & rests_on_registries
    out = decisions.copy()
    out.loc[refer, ["decision", "reason", "field", "value"]] = ["refer", "", "", ""]
    return out


def settle_visits(session: Session, rounds: int = MAX_VISIT_ROUNDS) -> pd.DataFrame:
    """Wait for the reports; refer again each visit that found nobody home (家中无人), up to
    `rounds` times. Returns the visits table with the last reports."""
    visits = session.review.wait_for_visits()
    for _ in range(rounds):
        again = visits.loc[visits["inconclusive"].astype(bool), "entry_id"]
        if again.empty:
            break
        session.review.submit(pd.DataFrame({"entry_id": again, "decision": "refer"}))
        visits = session.review.wait_for_visits()
    return visits
