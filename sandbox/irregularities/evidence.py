"""What the careful persona's rules read: registry tables and the program catalogue turned into
look-ups. Built from plain tables, so a persona fills it through the Session API alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

BAD_CARD_STATES = {"reported_lost", "closed"}  # a card nobody can be paid to any more
FARM_VEHICLE_TYPES = {"三轮汽车", "低速货车"}  # farm vehicles: no sign of wealth in a 低保 household


def _optional(registry: Callable[[str], pd.DataFrame], name: str) -> pd.DataFrame | None:
    """A registry a session may not offer (an older world); None when it does not."""
    try:
        return registry(name)
    except Exception:  # noqa: BLE001 - a missing registry simply gives no evidence
        return None


def age_on(born: pd.Timestamp | dt.date, on: pd.Timestamp) -> int:
    """Whole years at `on`."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_from_id(id_number: str, on: pd.Timestamp) -> int | None:
    """Whole years at `on` from the birth date in characters 7–14 of a resident ID."""
    text = str(id_number)[6:14]
    if len(text) != 8 or not (text.isascii() and text.isdigit()):
        return None
    try:  # a date parsed by hand: this runs for every resident of a county
        born = dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None
    return age_on(born, on)


@dataclass(frozen=True)
class Catalogue:
    """The program catalogue's standards, public to every operator."""

    fixed_amount: dict[str, float]
    tiers: dict[str, list[tuple[float, ...]]]  # program: [(min_age, amount), ...]
    rate_per_mu: dict[str, float]
    period_start: pd.Timestamp

    @classmethod
    def from_programs(cls, programs: pd.DataFrame, period_start: pd.Timestamp) -> Catalogue:
        """From the table `session.programs()` returns."""
        programs = programs.set_index("program")
        tiers = {code: [tuple(map(float, t.split(":"))) for t in str(text).split(";")]
                 for code, text in programs["tiers"].dropna().items()}
        return cls(programs["amount"].dropna().to_dict(), tiers,
                   programs["rate_per_mu"].dropna().to_dict(), period_start)

    def tier_amount(self, program: str, age: int | None) -> float | None:
        """The amount of the highest age tier reached; None below the first or without an age."""
        reached = [amount for min_age, amount in self.tiers[program] if age is not None and age >= min_age]
        return reached[-1] if reached else None

    def standard_by_id(self, program: str, id_number: str) -> float | None:
        """The standard amount with the age read from the ID number (no registry needed)."""
        if program in self.tiers:
            return self.tier_amount(program, age_from_id(id_number, self.period_start))
        amount = self.fixed_amount.get(program)
        return None if amount is None else float(amount)


class Evidence:
    """Registry tables as look-ups, fetched once by name with `registry(name)`."""

    def __init__(self, registry: Callable[[str], pd.DataFrame], catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        residents = registry("residents")
        self.residents = residents.drop_duplicates("id_number").set_index("id_number")
        self.residents_by_name = residents.groupby("name")["id_number"].apply(list).to_dict()
        deaths = registry("deaths")
        self.death_date = dict(zip(deaths["id_number"], pd.to_datetime(deaths["death_date"]), strict=True))
        self.payroll = set(registry("payroll")["id_number"])
        self.cadre_relatives = set(registry("cadre_relatives")["id_number"])
        self.vehicles = set(registry("vehicles")["id_number"])
        self.businesses = set(registry("businesses")["id_number"])
        self.cadres = set(registry("cadres")["id_number"])
        self.land = registry("land_contracts").groupby("id_number")["area_mu"].sum().to_dict()
        disability = registry("disability")
        self.grade = dict(zip(disability["id_number"], disability["grade"], strict=True))
        cards = registry("card_status")
        self.card_holder = dict(zip(cards["account_number"], cards["id_number"], strict=True))
        self.holder_name = dict(zip(cards["account_number"], cards["holder_name"], strict=True))
        self.card_status = dict(zip(cards["account_number"], cards["status"], strict=True))
        self._careful(registry)
        usable = cards[~cards["status"].isin(BAD_CARD_STATES)].copy()
        usable["rank"] = (usable["kind"] != "social_security_card").astype(int)  # 社保卡 first
        usable = usable.sort_values(["id_number", "rank"], kind="stable")
        self.own_card = usable.drop_duplicates("id_number").set_index("id_number")[["account_number", "bank"]]

    def _careful(self, registry: Callable[[str], pd.DataFrame]) -> None:
        """What the careful reviewer reads beyond the plain rules: car versus farm vehicle, who
        on the payroll is retired, other traces of a death, land rented in, forest plots."""
        vehicles = registry("vehicles")
        cars = vehicles[~vehicles["vehicle_type"].isin(FARM_VEHICLE_TYPES)]
        self.cars = set(cars["id_number"])
        payroll = registry("payroll")
        status = payroll["status"] if "status" in payroll.columns else pd.Series("在职", index=payroll.index)
        self.serving = set(payroll.loc[status != "退休", "id_number"])
        dibao = registry("dibao")
        self.dibao_kind = dibao.groupby("id_number")["kind"].agg(set).to_dict()
        self.dibao_households = set(dibao.loc[dibao["kind"] == "低保", "household_id"])
        self.trace_death = {}  # id_number: the earliest date a death is shown outside the death register
        for name, column in (("cremations", "death_date"), ("medical_insurance", "changed_date")):
            frame = _optional(registry, name)
            if frame is None:
                continue
            if name == "medical_insurance":
                frame = frame[(frame["status"] == "终止") & (frame["reason"] == "死亡")]
            for id_number, date in zip(frame["id_number"], pd.to_datetime(frame[column]), strict=True):
                known = self.trace_death.get(id_number)
                self.trace_death[id_number] = date if known is None else min(known, date)
        residents = registry("residents")
        self.by_any_name = dict(self.residents_by_name)  # current and former names (曾用名)
        if "former_name" in residents.columns:
            former = residents[residents["former_name"].fillna("") != ""]
            for name, ids in former.groupby("former_name")["id_number"]:
                self.by_any_name[name] = list(dict.fromkeys(self.by_any_name.get(name, []) + list(ids)))
        self.cremated = set() if (c := _optional(registry, "cremations")) is None else set(c["id_number"])
        transfers = _optional(registry, "land_transfers")
        self.rented_in = {} if transfers is None else transfers.groupby("id_number")["area_mu"].sum().to_dict()
        forest = _optional(registry, "forest_rights")
        self.forest = {} if forest is None else forest.groupby("id_number")["area_mu"].sum().to_dict()

    def farmed_area(self, id_number: str) -> float | None:
        """Contracted plus rented-in land on record; None when the registers hold neither."""
        if id_number not in self.land and id_number not in self.rented_in:
            return None
        return float(self.land.get(id_number, 0.0)) + float(self.rented_in.get(id_number, 0.0))

    @property
    def period_start(self) -> pd.Timestamp:
        return self.catalogue.period_start

    def age(self, id_number: str) -> int | None:
        """Whole years at the period start, from the residents register."""
        ages = self.__dict__.get("_ages")
        if ages is None:  # every resident's age at once: the rules ask for it entry by entry
            born = pd.to_datetime(self.residents["birth_date"])
            ages = self._ages = {i: age_on(b, self.period_start) for i, b in zip(self.residents.index, born, strict=True)
                                 if pd.notna(b)}
        return ages.get(id_number)

    def standard_amount(self, program: str, id_number: str) -> float | None:
        """The standard amount, with the age from the residents register."""
        if program in self.catalogue.fixed_amount:
            return float(self.catalogue.fixed_amount[program])
        if program in self.catalogue.tiers:
            return self.catalogue.tier_amount(program, self.age(id_number))
        return None


@dataclass
class ReviewContext:
    """What a careful reviewer has to hand while going down the roster."""

    evidence: Evidence
    use_registries: bool                     # False: only check digits and the catalogue
    seen: set[tuple[str, str]] = field(default_factory=set)  # (id_number, program) met so far


@dataclass
class InspectionContext:
    """What a careful inspector has to hand while going down the credited payment lines."""

    catalogue: Catalogue
    evidence: Evidence | None                # None: the inspector does not consult registries
    repeated_lines: set[str]                 # lines crediting an ID and program a second time
    payees_of_account: dict[str, int]        # account: how many different IDs it was paid for

    @classmethod
    def of(cls, credited: pd.DataFrame, catalogue: Catalogue, evidence: Evidence | None) -> InspectionContext:
        repeats = credited[credited.duplicated(["payee_id_number", "program"], keep="first")]
        shared = credited.groupby("account_number")["payee_id_number"].nunique()
        return cls(catalogue, evidence, set(repeats["line_id"]), shared.to_dict())
