"""What changes between pay periods (增减变动): deaths, birthdays crossing 80/90/100, new and
ended 低保 households, improper 低保 applications, and cards formally reported lost.

Period 1 is the scenario's calendar period; period p (2..N) is the calendar month p−1 months
later, decided on `as_of` moved by as many months. An event of period p is what the operator
learns of (or should have) between the decisions of months p−1 and p, and takes effect for
month p. Every draw comes from `rng_for(seed, "world", "timeline", purpose, …)`, so a
scenario with one period draws nothing here and its world is unchanged.
"""

from __future__ import annotations

import calendar as cal_module
import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sandbox.rng import rng_for
from sandbox.world.cards import draw_account_numbers, issuer_prefix
from sandbox.world.record_ids import digit_strings
from sandbox.world.traits import DIBAO_INCOME_CEILING, pick_weighted

if TYPE_CHECKING:
    from sandbox.scenario import Scenario

EVENT_COLUMNS = ["period", "date", "kind", "person_id", "household_id", "detail"]
EVENT_KINDS = ("death", "birthday", "dibao_new", "dibao_ended", "dibao_claim", "card_lost")
TIER_AGES = (80, 90, 100)            # 高龄津贴 bands (sandbox/programs/catalogue.py)
DIBAO_MONTHLY_CHURN = 0.015          # of 低保 households: about this many start, and end, a month
IMPROPER_CLAIMS_PER_NEW = 0.5        # improper applications (a payroll member) per genuine one
ENDED_INCOME = (450.0, 900.0)        # ¥/person/month once a household leaves 低保 (above the standard)


@dataclass(frozen=True)
class Month:
    """One pay period: its first and last day and the day its payment is decided."""

    period: int
    start: dt.date
    end: dt.date
    as_of: dt.date

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m}"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = cal_module.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=cal_module.monthrange(day.year, day.month)[1])


def pay_months(scenario: Scenario) -> list[Month]:
    """Period 1 is the calendar's period; each later one follows it by calendar month."""
    c = scenario.calendar
    ends_month = c.period_end == _month_end(c.period_end)
    out = []
    for k in range(scenario.periods):
        end = add_months(c.period_end, k)
        out.append(Month(k + 1, add_months(c.period_start, k), _month_end(end) if ends_month else end,
                         add_months(c.as_of, k)))
    return out


def _rng(scenario: Scenario, *purpose: object) -> np.random.Generator:
    return rng_for(scenario.seed, "world", "timeline", *purpose)


def add_later_deaths(scenario: Scenario, persons: pd.DataFrame) -> pd.DataFrame:
    """Deaths after `as_of`, through the last period, at the scenario's yearly death rate
    (older people likelier). `alive` (at as_of) is unchanged; registration lags as usual."""
    if scenario.periods <= 1:
        return persons
    months = pay_months(scenario)
    as_of = np.datetime64(scenario.calendar.as_of, "D")
    span = (months[-1].end - scenario.calendar.as_of).days + 1
    living = persons["death_date"].isna().to_numpy()
    k = max(1, round(scenario.population.dead_share * int(living.sum()) * span / 365.0))
    rng = _rng(scenario, "deaths")
    age = persons["age"].to_numpy(dtype=float)
    chosen = pick_weighted(rng, np.where(living, np.exp(0.09 * (age - 80.0)) + 1e-3, 0.0), k)
    # Stratified over the span, so every month has its share of deaths (not left to chance).
    offsets = rng.permutation(((np.arange(len(chosen)) + rng.random(len(chosen))) * span / len(chosen)).astype(np.int64))
    death = as_of + offsets.astype("timedelta64[D]")
    lag_mean = scenario.population.death_registration_lag_days
    lag = np.round(rng.gamma(2.0, lag_mean / 2.0, len(chosen))) if lag_mean else np.zeros(len(chosen))
    out = persons.copy(deep=False)  # the columns that change are replaced whole below
    death_col = out["death_date"].to_numpy().copy()
    registered_col = out["death_registered_date"].to_numpy().copy()
    death_col[chosen] = death.astype("datetime64[ns]")
    registered_col[chosen] = (death + lag.astype(np.int64).astype("timedelta64[D]")).astype("datetime64[ns]")
    out["death_date"] = death_col
    out["death_registered_date"] = registered_col
    # Other records a death leaves, where the world keeps them (cremation, insurance ended).
    for column, (low, high) in {"cremation_date": (1, 4), "insurance_ended_date": (5, 40)}.items():
        if column in out:
            values = out[column].to_numpy().copy()
            days = rng.integers(low, high, len(chosen)).astype("timedelta64[D]")
            values[chosen] = (death + days).astype("datetime64[ns]")
            out[column] = values
    return out


@dataclass
class Timeline:
    """The months and what happens in them (EVENT_COLUMNS); new cards issued on formal loss."""

    months: list[Month]
    events: pd.DataFrame
    new_accounts: pd.DataFrame  # ACCOUNT columns + period (when the old card was reported lost)

    def of(self, period: int) -> pd.DataFrame:
        return self.events[self.events["period"] == period].reset_index(drop=True)


def _age_on(birth: pd.Series, day: dt.date) -> np.ndarray:
    b = pd.DatetimeIndex(birth)
    before = (b.month > day.month) | ((b.month == day.month) & (b.day > day.day))
    return (day.year - b.year - before.astype(int)).to_numpy()


def _events(period: int, dates: object, kind: str, person_id: object, household_id: object,
            detail: object) -> pd.DataFrame:
    frame = pd.DataFrame({"period": period, "date": dates, "kind": kind, "person_id": person_id,
                          "household_id": household_id, "detail": detail})
    frame["date"] = pd.to_datetime(frame["date"])
    return frame[EVENT_COLUMNS]


def build_timeline(world) -> Timeline:
    """Every event of periods 2..N, vectorised per period; deterministic in the seed."""
    scenario: Scenario = world.scenario
    months = pay_months(scenario)
    persons, households = world.persons, world.households
    parts: list[pd.DataFrame] = [_events(0, pd.Series(dtype="datetime64[ns]"), "", [], [], [])]
    new_accounts: list[pd.DataFrame] = []
    death = pd.to_datetime(persons["death_date"])
    hh_index = pd.Index(households["household_id"])
    member_hh = hh_index.get_indexer(persons["household_id"])
    n_hh = len(households)
    for month in months[1:]:
        p, previous = month.period, months[month.period - 2]
        # Deaths before this month's first day and on or after the previous month's: stop from now.
        died = death.notna() & (death < pd.Timestamp(month.start)) & (death >= pd.Timestamp(previous.start))
        d = persons[died]
        parts.append(_events(p, d["death_date"], "death", d["person_id"], d["household_id"],
                             d["death_date"].dt.strftime("%Y-%m-%d")))
        # Birthdays crossing an allowance band between the two months' first days.
        before, now = _age_on(persons["birth_date"], previous.start), _age_on(persons["birth_date"], month.start)
        alive_now = (death.isna() | (death >= pd.Timestamp(month.start))).to_numpy()
        for tier in TIER_AGES:
            crossed = (before < tier) & (now >= tier) & alive_now
            c = persons[crossed]
            birthday = pd.DatetimeIndex(c["birth_date"]) + pd.DateOffset(years=tier)
            parts.append(_events(p, birthday, "birthday", c["person_id"], c["household_id"], str(tier)))
        parts.extend(_dibao_events(world, p, member_hh, n_hh, alive_now))
        taken = pd.concat(new_accounts)["replaces"] if new_accounts else pd.Series(dtype=object)
        lost, added = _lost_cards(world, month, alive_now, taken, sum(len(a) for a in new_accounts))
        parts.append(lost)
        new_accounts.append(added)
    events = pd.concat(parts, ignore_index=True).sort_values(["period", "kind", "date", "person_id"], kind="stable")
    accounts = pd.concat(new_accounts, ignore_index=True) if new_accounts else world.accounts.iloc[0:0].assign(period=0)
    return Timeline(months, events.reset_index(drop=True), accounts)


def _dibao_events(world, p: int, member_hh: np.ndarray, n_hh: int, alive_now: np.ndarray) -> list[pd.DataFrame]:
    """New 低保 households (entitled), ended ones, and improper applications (a payroll member)."""
    scenario: Scenario = world.scenario
    persons, households = world.persons, world.households
    dibao = households["dibao"].to_numpy(dtype=bool)
    tekun_hh = np.bincount(member_hh, persons["tekun"].to_numpy(dtype=bool), n_hh) > 0
    payroll_hh = np.bincount(member_hh, persons["public_employee"].to_numpy(dtype=bool), n_hh) > 0
    staff_hh = payroll_hh | (np.bincount(member_hh, persons["cadre"].to_numpy(dtype=bool), n_hh) > 0)
    elderly = np.bincount(member_hh, (persons["age"].to_numpy() >= 60) & alive_now, n_hh)
    head_alive = alive_now[np.searchsorted(member_hh, np.arange(n_hh))]
    k = max(1, round(DIBAO_MONTHLY_CHURN * max(int(dibao.sum()), 1)))
    free = ~dibao & ~tekun_hh & ~staff_hh & head_alive
    new = pick_weighted(_rng(scenario, "dibao_new", p), np.where(free, 1.0 + elderly, 0.0), k)
    ended = pick_weighted(_rng(scenario, "dibao_ended", p), np.where(dibao & head_alive, 1.0, 0.0), k)
    ended = np.setdiff1d(ended, new)
    claims = pick_weighted(_rng(scenario, "dibao_claim", p), np.where(~dibao & payroll_hh & head_alive, 1.0, 0.0),
                           max(1, round(IMPROPER_CLAIMS_PER_NEW * k)))
    values = _rng(scenario, "dibao_income", p)
    new_income = np.round(values.uniform(0.0, DIBAO_INCOME_CEILING, len(new)), 2)
    ended_income = np.round(values.uniform(*ENDED_INCOME, len(ended)), 2)
    claim_income = np.round(values.uniform(0.0, DIBAO_INCOME_CEILING, len(claims)), 2)
    date = pd.Timestamp(pay_months(scenario)[p - 2].as_of)
    out = []
    for kind, rows, income in (("dibao_new", new, new_income), ("dibao_ended", ended, ended_income),
                               ("dibao_claim", claims, claim_income)):
        hh = households.iloc[rows]
        out.append(_events(p, date, kind, hh["head_person_id"], hh["household_id"], [f"{v:.2f}" for v in income]))
    return out


def _lost_cards(world, month: Month, alive_now: np.ndarray, taken: pd.Series,
                issued: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Primary social security cards of older people formally reported lost, and their new cards."""
    scenario: Scenario = world.scenario
    persons, accounts = world.persons, world.accounts
    p = month.period
    owner_row = pd.Index(persons["person_id"]).get_indexer(accounts["person_id"])
    usable = (accounts["primary"].to_numpy(dtype=bool) & (accounts["status"] == "active").to_numpy()
              & (accounts["kind"] == "social_security_card").to_numpy() & alive_now[owner_row]
              & ~accounts["account_number"].isin(taken).to_numpy())
    weight = np.where(usable, 1.0 + 4.0 * (persons["age"].to_numpy()[owner_row] >= 60), 0.0)
    # The world's rate is a stock of lost cards; about a sixth of it is a month's new losses.
    k = max(1, round(scenario.cards.status_rates.reported_lost * int(usable.sum()) / 6))
    rng = _rng(scenario, "cards", p)
    rows = pick_weighted(rng, weight, k)
    old = accounts.iloc[rows]
    prefixes = np.array([issuer_prefix(b, "social_security_card") for b in old["bank"]], dtype=np.int64)
    numbers = digit_strings(draw_account_numbers(rng, prefixes), 19)
    width = len(str(accounts["account_id"].iloc[0])) - 1 if len(accounts) else 7
    start = len(accounts) + issued + 1  # ids continue after the world's accounts and earlier new cards
    ids = [f"A{start + i:0{width}d}" for i in range(len(old))]
    added = old.assign(account_id=ids, account_number=numbers, status="active", primary=True,
                       replaces=old["account_number"].to_numpy(), period=p).reset_index(drop=True)
    date = pd.Timestamp(pay_months(scenario)[p - 2].as_of) + pd.to_timedelta(
        rng.integers(1, 25, len(old)), unit="D")
    lost = _events(p, date, "card_lost", old["person_id"], persons["household_id"].to_numpy()[owner_row[rows]],
                   old["account_number"])
    return lost, added


def world_at(world, timeline: Timeline, period: int) -> SimpleNamespace:
    """Persons (age on the month's first day), households (低保 and income) and accounts (cards
    replaced) as they stand for month `period`: what its entitlements are computed from."""
    month = timeline.months[period - 1]
    persons = world.persons.assign(age=_age_on(world.persons["birth_date"], month.start))
    households = world.households.copy()
    upto = timeline.events[timeline.events["period"].between(2, period)]
    index = pd.Index(households["household_id"])
    for kind, flag in (("dibao_new", True), ("dibao_ended", False)):
        change = upto[upto["kind"] == kind]
        rows = index.get_indexer(change["household_id"])
        households.loc[households.index[rows], "dibao"] = flag
        households.loc[households.index[rows], "income_per_person"] = change["detail"].astype(float).to_numpy()
    accounts, links = world.accounts, dict(world.links)
    new = timeline.new_accounts[timeline.new_accounts["period"] <= period]
    if len(new):
        lost = accounts["account_number"].isin(new["replaces"])
        accounts = accounts.copy()
        accounts.loc[lost, "status"] = "reported_lost"
        accounts.loc[lost, "primary"] = False
        accounts = pd.concat([accounts, new.drop(columns="period")], ignore_index=True)
        if "account_owner_row" in links:  # the registries find each card's owner by row
            owners = pd.Index(world.persons["person_id"]).get_indexer(new["person_id"])
            links["account_owner_row"] = np.r_[links["account_owner_row"], owners]
    return SimpleNamespace(scenario=world.scenario, persons=persons, households=households, accounts=accounts,
                           links=links, regions=world.regions)
