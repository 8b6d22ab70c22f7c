"""The registries a reviewer compares against (大数据比对), as each office knows them at
``calendar.as_of``.

The 户籍 register and the payroll drop people whose death was registered by ``as_of``;
the death register lists only registered deaths. Other offices (残联, 民政, land, vehicle
and business registration, banks) are not told of deaths — which is exactly why review
cross-checks them against the death register.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sandbox.common.regions import ZHOUKOU_COUNTIES
from sandbox.rng import rng_for
from sandbox.world.generate import village_groups
from sandbox.world.record_ids import digit_strings, str_array

REGISTRY_COLUMNS: dict[str, list[str]] = {
    "residents": ["id_number", "name", "former_name", "sex", "birth_date", "household_id", "relation", "village"],
    "deaths": ["id_number", "name", "death_date", "registered_date", "source"],
    "payroll": ["id_number", "name", "employer", "position", "status"],
    "cadres": ["id_number", "name", "village", "post"],
    "cadre_relatives": ["id_number", "name", "relation", "cadre_id_number", "cadre_name"],
    "vehicles": ["id_number", "name", "plate", "vehicle_type", "registered_date"],
    "businesses": ["id_number", "name", "business_name", "business_type", "registered_date"],
    "land_contracts": ["contract_no", "id_number", "name", "village", "area_mu"],
    "disability": ["id_number", "name", "grade"],
    "dibao": ["id_number", "name", "kind", "household_id", "members"],
    "card_status": ["account_number", "id_number", "holder_name", "bank", "kind", "status"],
    "cremations": ["id_number", "name", "death_date", "cremation_date", "funeral_home"],
    "medical_insurance": ["id_number", "name", "status", "reason", "changed_date"],
    "land_transfers": ["transfer_no", "from_id_number", "from_name", "id_number", "name", "village",
                       "area_mu", "start_date"],
    "forest_rights": ["certificate_no", "id_number", "name", "village", "area_mu"],
}
FARM_VEHICLE_TYPES = np.array(["三轮汽车", "低速货车"], dtype=object)  # farm vehicles: no sign of wealth
RETIRED = "退休"
DEATH_SOURCES = np.array(["公安", "民政", "卫健"], dtype=object)  # 户籍注销, 殡葬火化, 医学证明
CADRE_POSTS = ("党支部书记", "村委会主任", "村委会副主任", "村会计", "妇女主任", "村监委会主任")
EXTRA_CADRE_POST = "村委会委员"
# (employer pattern, positions): {county}/{township} are filled from the employee's home
EMPLOYERS = (
    ("{county}{township}人民政府", ("科员", "副镇长", "办事员")),
    ("{county}{township}中心学校", ("教师",)),
    ("{county}{township}卫生院", ("医生", "护士")),
    ("{county}人民医院", ("医生", "护士")),
    ("{county}农业农村局", ("科员",)),
    ("{county}第一高级中学", ("教师",)),
    ("{county}公安局{township}派出所", ("民警", "辅警")),
    ("{county}财政局{township}财政所", ("会计", "所长")),
)
VEHICLE_TYPES = np.array(["小型轿车", "小型普通客车", "小型越野客车", "轻型普通货车", "三轮汽车", "低速货车"], dtype=object)
VEHICLE_TYPE_P = [0.56, 0.25, 0.07, 0.12, 0.0, 0.0]  # cars and vans; farm vehicles come apart
PLATE_CHARS = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"))
PLATE_CODES = np.array([ord(c) for c in PLATE_CHARS], dtype=np.uint32)
PLATE_PREFIX = "豫P"  # Zhoukou's plate prefix
SHOPS = (  # (suffix, business_type)
    ("农资店", "个体工商户"), ("超市", "个体工商户"), ("小吃部", "个体工商户"), ("建材门市部", "个体工商户"),
    ("农机维修部", "个体工商户"), ("服装店", "个体工商户"), ("养殖场", "个体工商户"),
    ("种植专业合作社", "农民专业合作社"), ("家庭农场", "家庭农场"), ("商贸有限公司", "有限责任公司"),
)

if TYPE_CHECKING:
    from sandbox.scenario import Scenario


def _rng(scenario: Scenario, purpose: str) -> np.random.Generator:
    return rng_for(scenario.seed, "world", "registry", purpose)


def _dates_between(rng: np.random.Generator, start: dt.date, end: dt.date, n: int) -> np.ndarray:
    span = max(1, (end - start).days + 1)
    return (np.datetime64(start, "D") + rng.integers(0, span, n).astype("timedelta64[D]")).astype("datetime64[ns]")


def build_registries(scenario: Scenario, persons: pd.DataFrame, households: pd.DataFrame,
                     accounts: pd.DataFrame, extras: dict) -> dict[str, pd.DataFrame]:
    """Every registry of docs/architecture.md; ``extras`` holds row positions that link
    the tables (household_head_row, account_owner_row) and the cadre links."""
    return registries_with_rows(scenario, persons, households, accounts, extras)[0]


def registries_with_rows(scenario: Scenario, persons: pd.DataFrame, households: pd.DataFrame,
                         accounts: pd.DataFrame, extras: dict) -> tuple[dict[str, pd.DataFrame], dict[str, np.ndarray]]:
    """(registries, the row in ``persons`` of each registry row's person): the rows let
    defects find people without looking a million id numbers up again.

    Each builder returns its rows indexed by the person's row in ``persons``."""
    if not isinstance(persons.index, pd.RangeIndex) or not persons.index.equals(pd.RangeIndex(len(persons))):
        persons = persons.reset_index(drop=True)  # index labels are row positions below
    as_of = pd.Timestamp(scenario.calendar.as_of)
    death_known = (persons["death_registered_date"] <= as_of).to_numpy()  # NaT compares False
    head_row = extras["household_head_row"]
    contracts = contract_digits(households, scenario.region.households_per_village)  # two registries use them
    builders = {
        "residents": lambda: resident_rows(persons.loc[~death_known, RESIDENT_SOURCE_COLUMNS]),
        "deaths": lambda: _deaths(scenario, persons.loc[death_known, DEATH_SOURCE_COLUMNS]),
        "payroll": lambda: _payroll(scenario, persons.loc[(persons["public_employee"] | persons["retired_staff"])
                                                          & ~death_known, PAYROLL_SOURCE_COLUMNS]),
        "cadres": lambda: _cadres(persons, extras["cadre_index"]),
        "cadre_relatives": lambda: _cadre_relatives(persons, extras),
        "vehicles": lambda: _vehicles(scenario, persons.loc[persons["owns_vehicle"], ["id_number", "name"]],
                                      persons.loc[persons["farm_vehicle"], ["id_number", "name"]]),
        "businesses": lambda: _businesses(scenario, persons.loc[persons["owns_business"], ["id_number", "name", "township"]]),
        "land_contracts": lambda: _land_contracts(contracts, persons, households, head_row),
        "disability": lambda: _disability(persons),
        "dibao": lambda: _dibao(persons, households, head_row),
        "card_status": lambda: accounts.assign(
            id_number=persons["id_number"].array.take(extras["account_owner_row"])).set_axis(
            extras["account_owner_row"]),
        "cremations": lambda: _cremations(scenario, persons, as_of),
        "medical_insurance": lambda: _medical_insurance(persons, as_of),
        "land_transfers": lambda: _land_transfers(scenario, contracts, persons, households, head_row,
                                                  extras.get("household_lessor_row")),
        "forest_rights": lambda: _forest_rights(persons, households, head_row),
    }
    registries, rows = {}, {}
    for key, columns in REGISTRY_COLUMNS.items():
        frame = builders[key]()
        rows[key] = frame.index.to_numpy()
        registries[key] = frame[columns].reset_index(drop=True)
    return registries, rows


# The columns of persons each registry reads: a million rows are gathered for these only.
RESIDENT_SOURCE_COLUMNS = ["id_number", "sex", "birth_date", "household_id", "relation", "village", "name", "renamed_to"]
DEATH_SOURCE_COLUMNS = ["id_number", "name", "death_date", "death_registered_date"]
PAYROLL_SOURCE_COLUMNS = ["id_number", "name", "county_code", "township", "retired_staff"]
CREMATION_SOURCE_COLUMNS = ["id_number", "name", "death_date", "cremation_date", "county_code", "township"]


def resident_rows(people: pd.DataFrame) -> pd.DataFrame:
    """户籍: the name now registered, and the former one (曾用名) of people who changed it."""
    renamed_to, name = people["renamed_to"].array, people["name"].array
    renamed = renamed_to.to_numpy() != ""
    registered, former = name.copy(), str_array([""]).take(np.zeros(len(people), dtype=np.intp))
    registered[renamed] = renamed_to[renamed]
    former[renamed] = name[renamed]
    return people[["id_number", "sex", "birth_date", "household_id", "relation", "village"]].assign(
        name=registered, former_name=former)


def _deaths(scenario: Scenario, dead: pd.DataFrame) -> pd.DataFrame:
    rng = _rng(scenario, "deaths")
    out = dead[["id_number", "name", "death_date"]].assign(
        registered_date=dead["death_registered_date"],
        source=DEATH_SOURCES[rng.choice(3, size=len(dead), p=[0.5, 0.3, 0.2])],
    )
    return out.sort_values(["registered_date", "id_number"], kind="stable")


def _payroll(scenario: Scenario, staff: pd.DataFrame) -> pd.DataFrame:
    rng = _rng(scenario, "payroll")
    which = rng.integers(0, len(EMPLOYERS), len(staff))
    # one employer name per (employer, county, township), then gathered
    county, counties = pd.factorize(staff["county_code"].to_numpy())
    township, townships = pd.factorize(staff["township"].to_numpy())
    place, places = pd.factorize((which * len(counties) + county) * len(townships) + township)
    names = [EMPLOYERS[p // len(townships) // len(counties)][0].format(
        county=ZHOUKOU_COUNTIES[counties[p // len(townships) % len(counties)]], township=townships[p % len(townships)])
        for p in places.tolist()]
    employer = np.array(names, dtype=object)[place].tolist()  # lists, as pandas has always been given
    pick = rng.random(len(staff))
    lengths = np.array([len(positions) for _, positions in EMPLOYERS])
    flat = np.array([title for _, positions in EMPLOYERS for title in positions], dtype=object)
    position = flat[(np.cumsum(lengths) - lengths)[which] + (pick * lengths[which]).astype(np.int64)].tolist()
    retired = staff["retired_staff"].to_numpy()
    return staff[["id_number", "name"]].assign(employer=employer, position=np.where(retired, "退休人员", position),
                                               status=np.where(retired, RETIRED, "在职"))


def _disability(persons: pd.DataFrame) -> pd.DataFrame:
    """残联 certificates: the people with a disability grade. With nobody disabled, pandas aligns
    the grade on every person and the registry gets rows of nobody (no id number): those rows
    stand for no person (-1), as looking their id numbers up finds none."""
    out = persons.loc[persons["disability_grade"] > 0, ["id_number", "name"]].assign(grade=persons["disability_grade"])
    return out.set_axis(np.where(out["id_number"].isna().to_numpy(), -1, out.index.to_numpy()))


def _cadres(persons: pd.DataFrame, cadre_index: np.ndarray) -> pd.DataFrame:
    cadres = persons[["id_number", "name", "village", "village_code", "sex"]].iloc[cadre_index]  # by village, then standing
    village_codes = cadres["village_code"].to_numpy()
    rank = pd.Series(village_codes).groupby(village_codes).cumcount().to_numpy()
    post = np.array([CADRE_POSTS[r] if r < len(CADRE_POSTS) else EXTRA_CADRE_POST for r in rank], dtype=object)
    male = (cadres["sex"] == "男").to_numpy()
    post[(post == "妇女主任") & male] = EXTRA_CADRE_POST
    return cadres[["id_number", "name", "village"]].assign(post=post)


def relative_labels(relative_age: np.ndarray, cadre_age: np.ndarray, same_surname: np.ndarray) -> np.ndarray:
    """Kinship as the 近亲属 list names it, read from the generation gap and the surname."""
    gap = relative_age - cadre_age
    older = np.where(same_surname, "父母", "配偶的父母")
    younger = np.where(same_surname, "子女", "子女的配偶")
    same = np.where(same_surname, "兄弟姐妹", "配偶的兄弟姐妹")
    return np.where(gap > 18, older, np.where(gap < -18, younger, same)).astype(object)


def _cadre_relatives(persons: pd.DataFrame, extras: dict) -> pd.DataFrame:
    rel = np.flatnonzero(extras["relative_of"] >= 0)
    cad = extras["relative_of"][rel]
    age = persons["age"].to_numpy()
    labels = relative_labels(age[rel], age[cad], extras["surname"][rel] == extras["surname"][cad])
    return pd.DataFrame({
        "id_number": persons["id_number"].to_numpy()[rel],
        "name": persons["name"].to_numpy()[rel],
        "relation": labels,
        "cadre_id_number": persons["id_number"].to_numpy()[cad],
        "cadre_name": persons["name"].to_numpy()[cad],
    }, index=rel)


def _vehicles(scenario: Scenario, owners: pd.DataFrame, farm: pd.DataFrame) -> pd.DataFrame:
    cars = _vehicle_rows(_rng(scenario, "vehicles"), scenario, owners, VEHICLE_TYPES, VEHICLE_TYPE_P)
    tractors = _vehicle_rows(_rng(scenario, "farm_vehicles"), scenario, farm, FARM_VEHICLE_TYPES, [0.6, 0.4])
    both = pd.concat([cars, tractors])
    both["plate"] = _unique_strings(both["plate"].tolist())
    return both


def _vehicle_rows(rng: np.random.Generator, scenario: Scenario, owners: pd.DataFrame, types: np.ndarray,
                  p: list[float]) -> pd.DataFrame:
    n = len(owners)
    # plates: 豫P + a letter + 4 letters/digits (no I or O, as on real plates)
    chars = PLATE_CODES[np.c_[rng.integers(0, 24, n), rng.integers(0, len(PLATE_CHARS), (n, 4))]]
    prefix = np.broadcast_to(np.array([ord(c) for c in PLATE_PREFIX], dtype=np.uint32), (n, len(PLATE_PREFIX)))
    plates = np.c_[prefix, chars].view(f"U{len(PLATE_PREFIX) + 5}").ravel().tolist()
    plates = _unique_strings(plates)
    return owners[["id_number", "name"]].assign(
        plate=plates,
        vehicle_type=types[rng.choice(len(types), size=n, p=p)],
        registered_date=_dates_between(rng, dt.date(2008, 1, 1), scenario.calendar.as_of, n),
    )


def _unique_strings(values: list[str]) -> list[str]:
    """Make rare duplicate plates distinct by a deterministic last-character bump."""
    seen: set[str] = set()
    keep = seen.add
    out = list(values)
    for position, value in enumerate(values):
        if value in seen:  # rare: the loop stays a set look-up and an add
            out[position] = value = _bumped(value, seen)
        keep(value)
    return out


def _bumped(value: str, seen: set[str]) -> str:
    bump = 0
    candidate = value
    while candidate in seen:
        bump += 1
        candidate = value[:-1] + str(PLATE_CHARS[(bump + len(value)) % len(PLATE_CHARS)])
        if bump > len(PLATE_CHARS):
            candidate = value + str(bump)
    return candidate


def _businesses(scenario: Scenario, owners: pd.DataFrame) -> pd.DataFrame:
    rng = _rng(scenario, "businesses")
    shop = rng.integers(0, len(SHOPS), len(owners))
    suffix, kind = (np.array(column, dtype=object) for column in zip(*SHOPS, strict=True))
    return owners[["id_number", "name"]].assign(
        business_name=(owners["township"].to_numpy() + owners["name"].to_numpy() + suffix[shop]).tolist(),
        business_type=kind[shop].tolist(),
        registered_date=_dates_between(rng, dt.date(2005, 1, 1), scenario.calendar.as_of, len(owners)),
    )


def contract_digits(households: pd.DataFrame, households_per_village: int) -> np.ndarray:
    """The 18 digits of each household's 承包合同编号: village code + 2-digit group + 4-digit
    household number."""
    group = village_groups(len(households), households_per_village)
    seq = np.arange(len(households)) % households_per_village + 1
    village = households["village_code"].to_numpy().astype(np.int64)
    return village * 10**6 + group * 10**4 + seq


def _land_contracts(digits: np.ndarray, persons: pd.DataFrame, households: pd.DataFrame,
                    head_row: np.ndarray) -> pd.DataFrame:
    """承包地: one contract per household with land, under its head's name (``digits``: every
    household's contract_digits)."""
    out = pd.DataFrame({
        "contract_no": digit_strings(digits, 18, suffix=np.full(len(digits), "J")),
        "id_number": persons["id_number"].array.take(head_row),
        "name": persons["name"].array.take(head_row),
        "village": households["village"].array,
        "area_mu": households["farmland_mu"].to_numpy(),
    }, index=head_row)
    return out[out["area_mu"].to_numpy() > 0]


def _dibao(persons: pd.DataFrame, households: pd.DataFrame, head_row: np.ndarray) -> pd.DataFrame:
    is_dibao = households["dibao"].to_numpy()
    dibao_hh = households[is_dibao]
    heads = persons[["id_number", "name"]].iloc[head_row[is_dibao]]
    family = pd.DataFrame({
        "id_number": heads["id_number"].to_numpy(), "name": heads["name"].to_numpy(), "kind": "低保",
        "household_id": dibao_hh["household_id"].to_numpy(), "members": dibao_hh["size"].to_numpy(),
    }, index=heads.index)
    tekun = persons.loc[persons["tekun"], ["id_number", "name", "household_id"]]
    single = pd.DataFrame({
        "id_number": tekun["id_number"].to_numpy(), "name": tekun["name"].to_numpy(), "kind": "特困",
        "household_id": tekun["household_id"].to_numpy(), "members": 1,
    }, index=tekun.index)
    both = pd.concat([family, single])
    # by household, then kind: a C sort of the fixed-width strings
    return both.iloc[np.lexsort((both["kind"].to_numpy().astype(str), both["household_id"].to_numpy().astype(str)))]



FUNERAL_HOMES = ("{county}殡仪馆", "{county}{township}公墓火化站")


def _cremations(scenario: Scenario, persons: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """殡葬火化记录: deaths the funeral homes know of, registered or not."""
    done = persons.loc[persons["cremation_date"] <= as_of, CREMATION_SOURCE_COLUMNS]  # NaT compares False
    which = _rng(scenario, "cremations").integers(0, len(FUNERAL_HOMES), len(done))
    county = done["county_code"].map(ZHOUKOU_COUNTIES).to_numpy()
    homes = [FUNERAL_HOMES[w].format(county=c, township=t)
             for w, c, t in zip(which, county, done["township"].to_numpy(), strict=True)]
    return done[["id_number", "name", "death_date", "cremation_date"]].assign(funeral_home=homes)


INSURANCE_STATUS = np.array(["参保", "终止"], dtype=object)  # by "ended": shared str objects
INSURANCE_REASON = np.array(["", "死亡"], dtype=object)


def _medical_insurance(persons: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """医保参保状态: enrolment ends (终止, reason 死亡) some days after a death, registered or not."""
    ended = (persons["insurance_ended_date"] <= as_of).to_numpy()  # NaT compares False
    gone = (persons["death_registered_date"] <= as_of).to_numpy()
    enrolled = pd.Timestamp(as_of.year, 1, 1)
    rows = np.flatnonzero(ended | ~gone)  # nearly everyone: gather the few columns, not the frame
    stop = ended[rows]
    return pd.DataFrame({
        "id_number": persons["id_number"].array.take(rows), "name": persons["name"].array.take(rows),
        "status": str_array(INSURANCE_STATUS).take(stop.astype(np.intp)),
        "reason": str_array(INSURANCE_REASON).take(stop.astype(np.intp)),
        "changed_date": np.where(stop, persons["insurance_ended_date"].to_numpy()[rows], np.datetime64(enrolled, "ns")),
    }, index=rows, copy=False)


def _land_transfers(scenario: Scenario, contract: np.ndarray, persons: pd.DataFrame, households: pd.DataFrame,
                    head_row: np.ndarray, lessor_row: np.ndarray | None) -> pd.DataFrame:
    """土地流转备案: land a household rents in from another (the grain it grows above its contract).
    ``lessor_row``: each household's lessor as a row of households (-1: none), if known, or
    else found from the rented_from ids."""
    renting = np.flatnonzero(households["rented_in_mu"].to_numpy() > 0)
    if lessor_row is not None:
        lessor = lessor_row[renting]
    else:
        lessor = pd.Index(households["household_id"]).get_indexer(households["rented_from"].to_numpy()[renting])
    ids, names = persons["id_number"].to_numpy(), persons["name"].to_numpy()
    numbers = digit_strings(contract[renting], 18, prefix="LZ")  # LZ + the renting household's contract digits
    starts = _dates_between(_rng(scenario, "land_transfers"), dt.date(2016, 1, 1),
                            dt.date(scenario.calendar.as_of.year - 1, 12, 31), len(renting))
    return pd.DataFrame({
        "transfer_no": numbers.tolist(),  # a list, as pandas has always been given (an empty one too)
        "from_id_number": ids[head_row[lessor]], "from_name": names[head_row[lessor]],
        "id_number": ids[head_row[renting]], "name": names[head_row[renting]],
        "village": households["village"].to_numpy()[renting],
        "area_mu": households["rented_in_mu"].to_numpy()[renting], "start_date": starts,
    }, index=head_row[renting])


def _forest_rights(persons: pd.DataFrame, households: pd.DataFrame, head_row: np.ndarray) -> pd.DataFrame:
    """林权登记: forest plots by household head (what forest compensation pays on)."""
    holding = np.flatnonzero(households["forest_mu"].to_numpy() > 0)
    return pd.DataFrame({
        "certificate_no": [f"林证{h}" for h in households["household_id"].to_numpy()[holding]],
        "id_number": persons["id_number"].to_numpy()[head_row[holding]],
        "name": persons["name"].to_numpy()[head_row[holding]],
        "village": households["village"].to_numpy()[holding],
        "area_mu": households["forest_mu"].to_numpy()[holding],
    }, index=head_row[holding])
