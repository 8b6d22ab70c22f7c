"""Imperfect registries: lag, missing rows, stale rows and conflicts, as a scenario sets them.

`apply_defects` takes the perfect registries of one date and returns them as the offices
really hold them, with a hidden table saying which person each defect touches and what the
truth is (for home-visit reports and scoring; the trainee never sees it).

Every draw is per person (one uniform number per person, per registry and kind), so the
same people are affected whatever date the registries are built for: a registry built for
a later month keeps its stale rows and gaps, as real offices do.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sandbox.common.regions import ZHOUKOU_COUNTIES
from sandbox.rng import rng_for
from sandbox.world.registries import RESIDENT_SOURCE_COLUMNS, resident_rows

if TYPE_CHECKING:
    from sandbox.scenario import Scenario

DEFECT_COLUMNS = ["registry", "kind", "person_id", "id_number", "name", "detail_zh", "detail_en"]
STALE_VEHICLES = np.array(["三轮汽车", "低速货车", "小型轿车", "轻型普通货车"], dtype=object)
STALE_SHOPS = ("小卖部", "农资店", "养殖场", "小吃部", "种植专业合作社")
STALE_EMPLOYERS = ("{county}{township}人民政府", "{county}{township}中心学校", "{county}{township}卫生院")
PLATE_CHARS = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"))
REGISTRY_ZH = {
    "residents": "户籍", "deaths": "死亡登记", "payroll": "财政供养人员名单", "cadres": "村干部名单",
    "cadre_relatives": "村干部近亲属名单", "vehicles": "车辆登记", "businesses": "工商登记",
    "land_contracts": "土地承包登记", "disability": "残疾人证登记", "dibao": "低保/特困名册",
    "card_status": "社保卡/账户登记",
}


Stale = tuple[pd.DataFrame, np.ndarray]  # rows to add, and their people as rows of persons
Conflict = tuple[pd.DataFrame, np.ndarray]  # the registry changed, and its people as rows of persons


def empty_defects() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in DEFECT_COLUMNS})


class _Site:
    """The persons, their per-person draws and the defects found so far."""

    def __init__(self, scenario: Scenario, tables: dict[str, pd.DataFrame], as_of: dt.date,
                 member_household: np.ndarray | None = None) -> None:
        self.scenario = scenario
        self.persons = tables["persons"]
        self.households = tables["households"]
        self.as_of = pd.Timestamp(as_of)
        self._row_of_id: pd.Index | None = None  # built on first look-up: a million ids take a while
        self.found: list[pd.DataFrame] = []
        if member_household is None:
            member_household = pd.Index(self.households["household_id"]).get_indexer(self.persons["household_id"])
        self.member_household = member_household  # each person's row in households
        dibao = self.households["dibao"].to_numpy(dtype=bool)
        known = member_household >= 0
        self.household_dibao = np.zeros(len(self.persons), dtype=bool)  # a member of a 低保 household
        self.household_dibao[known] = dibao[member_household[known]]
        self.poor = (self.household_dibao
                     | self.persons["tekun"].to_numpy(dtype=bool)
                     | (self.persons["disability_grade"].to_numpy() > 0)
                     | (self.persons["age"].to_numpy() >= 60))

    def uniform(self, registry: str, kind: str) -> np.ndarray:
        return rng_for(self.scenario.seed, "world", "defects", registry, kind).random(len(self.persons))

    def rng(self, registry: str, kind: str) -> np.random.Generator:
        return rng_for(self.scenario.seed, "world", "defects", registry, kind, "values")

    def pick(self, registry: str, kind: str, candidates: np.ndarray, weight: np.ndarray, k: int) -> np.ndarray:
        """Row positions of k candidates (weighted, without replacement), stable across dates."""
        if k <= 0 or not candidates.any():
            return np.array([], dtype=np.int64)
        u = self.uniform(registry, kind)  # drawn for everyone: a person's draw never depends on others
        at = np.flatnonzero(candidates)
        keys = np.log(np.maximum(u[at], 1e-300)) / np.maximum(weight[at], 1e-9)
        k = min(k, len(at))
        return np.sort(at[np.argpartition(-keys, k - 1)[:k]])

    @cached_property
    def poor_weight(self) -> np.ndarray:
        """Weights that make the poor and elderly five times likelier."""
        return np.where(self.poor, 5.0, 1.0)

    def note(self, registry: str, kind: str, rows: np.ndarray, zh: list[str] | np.ndarray,
             en: list[str] | np.ndarray) -> None:
        if len(rows) == 0:
            return
        p = self.persons
        self.found.append(pd.DataFrame({
            "registry": registry, "kind": kind, "person_id": p["person_id"].to_numpy()[rows],
            "id_number": p["id_number"].to_numpy()[rows], "name": p["name"].to_numpy()[rows],
            "detail_zh": np.asarray(zh, dtype=object), "detail_en": np.asarray(en, dtype=object),
        }))

    def person_rows(self, frame: pd.DataFrame) -> np.ndarray:
        """Each registry row's person as a row of ``persons`` (-1 for an unknown id number)."""
        if self._row_of_id is None:
            self._row_of_id = pd.Index(self.persons["id_number"])
        return self._row_of_id.get_indexer(frame["id_number"])

    def people(self, rows: np.ndarray, columns: list[str]) -> pd.DataFrame:
        """These columns of the persons at these rows (not the whole, wide frame)."""
        return self.persons[columns].iloc[rows]

    def listed(self, rows: np.ndarray) -> np.ndarray:
        """Per person: does a registry with these person rows list them?"""
        out = np.zeros(len(self.persons), dtype=bool)
        out[rows[rows >= 0]] = True
        return out

    def positions(self, rows: np.ndarray, chosen: np.ndarray) -> np.ndarray:
        """Where the chosen people (rows of ``persons``) stand in a registry listing each once."""
        at = np.full(len(self.persons), -1, dtype=np.int64)
        found = np.flatnonzero(rows >= 0)
        at[rows[found]] = found
        return at[chosen]


def _count(share: float, rows: int) -> int:
    """How many rows a share touches: none at 0, at least one above (a small village still shows one)."""
    return 0 if share <= 0 else max(1, int(round(share * rows)))


def _date_text(values: pd.Series | np.ndarray) -> np.ndarray:
    return pd.DatetimeIndex(values).strftime("%Y-%m-%d").to_numpy(dtype=object)


def apply_defects(registries: dict[str, pd.DataFrame], world_tables: dict[str, pd.DataFrame],
                  scenario: Scenario, as_of: dt.date, person_rows: dict[str, np.ndarray] | None = None,
                  member_household: np.ndarray | None = None) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """(registries as the offices hold them on `as_of`, hidden table of defects: DEFECT_COLUMNS).

    Pure: the inputs are not changed. `world_tables` needs persons and households. Optional,
    to spare looking a million id numbers up: `person_rows`, each registry row's person as a
    row of persons (registries.registries_with_rows), and `member_household`, each person's
    household as a row of households; both are found from the ids when not given.
    """
    # here: a session's start needs no pydantic
    from sandbox.scenario.schema import DEFECT_REGISTRIES

    spec = scenario.registries
    if not spec.any():
        return dict(registries), empty_defects()
    site = _Site(scenario, world_tables, as_of, member_household)
    out = dict(registries)
    rows_of = dict(person_rows or {})
    for name in DEFECT_REGISTRIES:
        defect = getattr(spec, name)
        frame = out[name]
        if not any(defect.model_dump().values()):
            out[name] = frame.reset_index(drop=True)
            continue
        rows = rows_of[name] if name in rows_of else site.person_rows(frame)
        if defect.lag_days:
            frame, rows = _lag(site, name, frame, rows, defect.lag_days, out, rows_of)
        if defect.missing_share:
            frame, rows = _missing(site, name, frame, rows, defect.missing_share)
        if defect.stale_share:
            stale, stale_rows = STALE[name](site, frame, rows, _count(defect.stale_share, len(frame)))
            frame, rows = pd.concat([frame, stale], ignore_index=True), np.r_[rows, stale_rows]
        if defect.conflict_share:
            frame, rows = CONFLICT[name](site, frame, rows, _count(defect.conflict_share, len(frame)))
        out[name], rows_of[name] = frame.reset_index(drop=True), rows
    found = pd.concat(site.found, ignore_index=True) if site.found else empty_defects()
    return out, found[DEFECT_COLUMNS]


# --- lag and missing rows -----------------------------------------------------------------------

def _lag(site: _Site, name: str, frame: pd.DataFrame, person_rows: np.ndarray, days: int,
         out: dict[str, pd.DataFrame], rows_of: dict[str, np.ndarray]) -> tuple[pd.DataFrame, np.ndarray]:
    """Rows registered in the last `days` are not there yet; a late death keeps its 户籍 too."""
    late = (pd.to_datetime(frame["registered_date"]) > site.as_of - pd.Timedelta(days=days)).to_numpy()
    rows = person_rows[late]
    rows = rows[rows >= 0]
    if name == "deaths":
        site.note(name, "lag", rows,
                  [f"死亡登记滞后：已于{d}死亡，登记尚未到达" for d in _date_text(site.persons["death_date"].iloc[rows])],
                  [f"death registered late: died on {d}, not yet in the register"
                   for d in _date_text(site.persons["death_date"].iloc[rows])])
        back = resident_rows(site.people(rows, RESIDENT_SOURCE_COLUMNS))[out["residents"].columns]
        out["residents"] = pd.concat([out["residents"], back], ignore_index=True)
        if "residents" in rows_of:
            rows_of["residents"] = np.r_[rows_of["residents"], rows]
    else:
        site.note(name, "lag", rows, [f"{REGISTRY_ZH[name]}登记滞后，近期登记尚未到达"] * len(rows),
                  [f"{name} registry lags: a recent registration has not arrived"] * len(rows))
    return frame[~late], person_rows[~late]


def _missing(site: _Site, name: str, frame: pd.DataFrame, rows: np.ndarray,
             share: float) -> tuple[pd.DataFrame, np.ndarray]:
    u = site.uniform(name, "missing")
    gone = (rows >= 0) & (u[np.maximum(rows, 0)] < share)
    touched = np.unique(rows[gone])
    site.note(name, "missing", touched, [f"{REGISTRY_ZH[name]}漏登：本应有此人的记录"] * len(touched),
              [f"missing from the {name} registry: this person's row should be there"] * len(touched))
    return frame[~gone], rows[~gone]


# --- stale rows: should be gone, still listed -----------------------------------------------------

def _alive_between(site: _Site, low: int, high: int) -> np.ndarray:
    age = site.persons["age"].to_numpy()
    return site.persons["alive"].to_numpy(dtype=bool) & (age >= low) & (age <= high)


def _stale_residents(site: _Site, frame: pd.DataFrame, listed_rows: np.ndarray, k: int) -> Stale:
    p = site.persons
    registered = pd.to_datetime(p["death_registered_date"])
    candidates = (registered.notna() & (registered <= site.as_of)).to_numpy() & ~site.listed(listed_rows)
    rows = site.pick("residents", "stale", candidates, np.ones(len(p)), k)
    died = _date_text(p["death_date"].iloc[rows])
    site.note("residents", "stale", rows, [f"户籍未注销：本人已于{d}死亡" for d in died],
              [f"residents row not cancelled: died on {d}" for d in died])
    return resident_rows(site.people(rows, RESIDENT_SOURCE_COLUMNS))[frame.columns], rows


def _stale_people(site: _Site, registry: str, owned: str, low: int, high: int, k: int) -> np.ndarray:
    """People without the thing a registry lists, chosen mostly among the poor and elderly (the
    claimants a stale row makes look irregular)."""
    candidates = _alive_between(site, low, high) & ~site.persons[owned].to_numpy(dtype=bool)
    return site.pick(registry, "stale", candidates, site.poor_weight, k)


def _employers(site: _Site, rows: np.ndarray, registry: str) -> list[str]:
    p = site.people(rows, ["county_code", "township"])
    which = site.rng(registry, "employer").integers(0, len(STALE_EMPLOYERS), len(rows))
    return [STALE_EMPLOYERS[w].format(county=ZHOUKOU_COUNTIES.get(c, ""), township=t)
            for w, c, t in zip(which, p["county_code"].to_numpy(), p["township"].to_numpy(), strict=True)]


def _stale_payroll(site: _Site, frame: pd.DataFrame, listed_rows: np.ndarray, k: int) -> Stale:
    rows = _stale_people(site, "payroll", "public_employee", 22, 80, k)
    p = site.people(rows, ["id_number", "name"])
    site.note("payroll", "stale", rows, ["财政供养名单未更新：本人早已离职（临时聘用已解聘），不领财政工资"] * len(rows),
              ["payroll not updated: a former temporary hire who left long ago, paid no salary"] * len(rows))
    return p[["id_number", "name"]].assign(employer=_employers(site, rows, "payroll"), position="临时聘用"), rows


def _stale_cadres(site: _Site, frame: pd.DataFrame, listed_rows: np.ndarray, k: int) -> Stale:
    rows = _stale_people(site, "cadres", "cadre", 40, 80, k)
    site.note("cadres", "stale", rows, ["村干部名单未更新：本人已于换届时卸任"] * len(rows),
              ["cadre list not updated: left office at the last election"] * len(rows))
    return site.people(rows, ["id_number", "name", "village"]).assign(post="村委会委员"), rows


def _old_dates(rng: np.random.Generator, n: int, start: str, end: str) -> np.ndarray:
    first, last = np.datetime64(start, "D"), np.datetime64(end, "D")
    days = rng.integers(0, int((last - first).astype(int)) + 1, n)
    return (first + days.astype("timedelta64[D]")).astype("datetime64[ns]")


def _stale_vehicles(site: _Site, frame: pd.DataFrame, listed_rows: np.ndarray, k: int) -> Stale:
    rows = _stale_people(site, "vehicles", "owns_vehicle", 20, 85, k)
    rng = site.rng("vehicles", "stale")
    n = len(rows)
    chars = PLATE_CHARS[np.c_[rng.integers(0, 24, n), rng.integers(0, len(PLATE_CHARS), (n, 4))]]
    site.note("vehicles", "stale", rows, ["车辆已报废（或转让），登记未注销，本人名下现无车辆"] * n,
              ["the vehicle was scrapped (or sold) but never deregistered; the person owns none now"] * n)
    return site.people(rows, ["id_number", "name"]).assign(
        plate=["豫P" + "".join(c) for c in chars],
        vehicle_type=STALE_VEHICLES[rng.integers(0, len(STALE_VEHICLES), n)],
        registered_date=_old_dates(rng, n, "2003-01-01", "2012-12-31")), rows


def _stale_businesses(site: _Site, frame: pd.DataFrame, listed_rows: np.ndarray, k: int) -> Stale:
    rows = _stale_people(site, "businesses", "owns_business", 25, 85, k)
    rng = site.rng("businesses", "stale")
    p = site.people(rows, ["id_number", "name", "township"])
    shop = rng.integers(0, len(STALE_SHOPS), len(rows))
    site.note("businesses", "stale", rows, ["个体户早已停业，营业执照未注销，现无经营收入"] * len(rows),
              ["the shop closed years ago but was never deregistered; no business income now"] * len(rows))
    return p[["id_number", "name"]].assign(
        business_name=[f"{t}{n}{STALE_SHOPS[s]}" for t, n, s in zip(p["township"].to_numpy(), p["name"].to_numpy(), shop, strict=True)],
        business_type="个体工商户", registered_date=_old_dates(rng, len(rows), "2005-01-01", "2015-12-31")), rows


def _stale_dibao(site: _Site, frame: pd.DataFrame, listed_rows: np.ndarray, k: int) -> Stale:
    p = site.persons
    heads = (p["relation"] == "户主").to_numpy() & p["alive"].to_numpy(dtype=bool)
    not_poor = ~site.household_dibao & ~p["tekun"].to_numpy(dtype=bool)
    rows = site.pick("dibao", "stale", heads & not_poor, np.ones(len(p)), k)
    chosen = site.people(rows, ["id_number", "name", "household_id"])
    site.note("dibao", "stale", rows, ["低保已于去年停保（家庭收入超标），名册未更新"] * len(rows),
              ["低保 stopped last year (income above the line); the register was not updated"] * len(rows))
    return pd.DataFrame({"id_number": chosen["id_number"].to_numpy(), "name": chosen["name"].to_numpy(),
                         "kind": "低保", "household_id": chosen["household_id"].to_numpy(),
                         "members": site.households["size"].to_numpy()[site.member_household[rows]]}), rows


STALE = {"residents": _stale_residents, "payroll": _stale_payroll, "cadres": _stale_cadres,
         "vehicles": _stale_vehicles, "businesses": _stale_businesses, "dibao": _stale_dibao}


# --- conflicts: two records disagree; a home visit settles which is true --------------------------

def _conflict_residents(site: _Site, frame: pd.DataFrame, rows: np.ndarray, k: int) -> Conflict:
    """A birth date typed wrong in 户籍: it disagrees with the ID number (which is right)."""
    age = site.persons["age"].to_numpy()
    near = ((age >= 77) & (age <= 83)) | ((age >= 57) & (age <= 63))  # where the age decides a program
    chosen = site.pick("residents", "conflict", site.listed(rows), np.where(near, 10.0, 1.0), k)
    shift = site.rng("residents", "conflict").choice([-3, -2, -1, 1, 2, 3], len(chosen))
    at = site.positions(rows, chosen)
    birth = frame["birth_date"].to_numpy().copy()  # the one column that changes: no copy of the frame
    true_birth = pd.DatetimeIndex(birth[at])
    wrong = [b.replace(year=b.year + int(s), day=min(b.day, 28)) for b, s in zip(true_birth, shift, strict=True)]
    birth[at] = pd.DatetimeIndex(wrong).astype("datetime64[ns]").to_numpy()
    frame = frame.assign(birth_date=birth)
    site.note("residents", "conflict", chosen,
              [f"户籍出生日期误登为{w:%Y-%m-%d}，与身份证号不符；核实：实际出生于{b:%Y-%m-%d}（以身份证为准）"
               for w, b in zip(wrong, true_birth, strict=True)],
              [f"residents birth date mistyped as {w:%Y-%m-%d}, unlike the ID number; verified: born {b:%Y-%m-%d}"
               for w, b in zip(wrong, true_birth, strict=True)])
    return frame, rows


def _conflict_deaths(site: _Site, frame: pd.DataFrame, listed_rows: np.ndarray, k: int) -> Conflict:
    """A death recorded for somebody alive (a namesake's certificate filed under the wrong ID)."""
    p = site.persons
    candidates = _alive_between(site, 60, 100) & ~site.listed(listed_rows)
    rows = site.pick("deaths", "conflict", candidates, np.ones(len(p)), k)
    rng = site.rng("deaths", "conflict")
    died = site.as_of - pd.to_timedelta(rng.integers(15, 120, len(rows)), unit="D")
    registered = died + pd.to_timedelta(rng.integers(3, 14, len(rows)), unit="D")
    chosen = site.people(rows, ["id_number", "name"])
    site.note("deaths", "conflict", rows, ["死亡登记有误：本人健在（入户见到本人，银行卡近期有取款）"] * len(rows),
              ["the death record is wrong: the person is alive (seen at home, card used recently)"] * len(rows))
    added = pd.DataFrame({"id_number": chosen["id_number"].to_numpy(), "name": chosen["name"].to_numpy(),
                          "death_date": died.to_numpy(dtype="datetime64[ns]"),
                          "registered_date": registered.to_numpy(dtype="datetime64[ns]"), "source": "卫健"})
    both = pd.concat([frame, added], ignore_index=True).sort_values(["registered_date", "id_number"], kind="stable")
    return both, np.r_[listed_rows, rows][both.index.to_numpy()]


def _conflict_disability(site: _Site, frame: pd.DataFrame, rows: np.ndarray, k: int) -> Conflict:
    """A second record (民政's copy) with another grade than the 残联 certificate."""
    candidates = np.zeros(len(site.persons), dtype=bool)
    candidates[rows[rows >= 0]] = True
    chosen = site.pick("disability", "conflict", candidates, np.ones(len(site.persons)), k)
    at = site.positions(rows, chosen)
    true_grade = frame["grade"].to_numpy()[at].astype(int)
    other = np.where(true_grade <= 2, true_grade + 2, true_grade - 2)
    site.note("disability", "conflict", chosen,
              [f"残疾等级两处登记不一致（{t}级与{o}级）；核实：残联证件为{t}级" for t, o in zip(true_grade, other, strict=True)],
              [f"two disability grades on record ({t} and {o}); verified: the 残联 certificate says grade {t}"
               for t, o in zip(true_grade, other, strict=True)])
    added = frame.iloc[at].assign(grade=other)
    both = pd.concat([frame, added], ignore_index=True)
    order = np.argsort(both["id_number"].to_numpy().astype(str), kind="stable")  # fixed-width str: a C sort
    return both.iloc[order], np.r_[rows, rows[at]][order]


CONFLICT = {"residents": _conflict_residents, "deaths": _conflict_deaths, "disability": _conflict_disability}
