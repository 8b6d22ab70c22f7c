"""Village rosters (补贴对象名册) as village staff typed them, with planted irregularities,
and the answer key that says what each planted entry is. Only the platform holds the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sandbox.platform.omissions import empty_omitted, omit_entitled
from sandbox.rng import rng_for

# Building a roster plants irregularities; reading a built one back (county_cache) needs none
# of the types, so they are imported by the functions that build.
if TYPE_CHECKING:
    from sandbox.irregularities.planting import PlantingCount, PlantingSite
    from sandbox.scenario import Scenario

ROSTER_COLUMNS = [
    "entry_id", "village", "name", "id_number", "program", "quantity", "amount", "bank",
    "account_number",
]
# What the village's paper form calls each column (the files trainees open).
ROSTER_HEADERS_ZH = {
    "entry_id": "序号", "village": "村", "name": "姓名", "id_number": "身份证号",
    "program": "补贴项目", "quantity": "数量", "amount": "金额", "bank": "开户行",
    "account_number": "卡号",
}
PER_MU = ("farmland_fertility", "grain_growers", "ecological_forest")


@dataclass(frozen=True)
class CollectionData:
    """Rosters as typed (strings, per village and combined) and the answer key."""

    typed: pd.DataFrame          # ROSTER_COLUMNS, strings exactly as typed
    village_files: dict[str, pd.DataFrame]  # Chinese headers; one village in its own column order
    truth: pd.DataFrame          # the same entries with true, clean values (platform only)
    key: pd.DataFrame            # KEY_COLUMNS, one row per entry (platform only)
    # 应享未享: entitled people left off the roster (OMITTED_COLUMNS; platform only)
    omitted: pd.DataFrame = field(default_factory=empty_omitted)
    planting: tuple[PlantingCount, ...] = ()  # per type: asked for by its rate, planted


def _payee_table(world, entitlements: pd.DataFrame) -> pd.DataFrame:
    persons = world.persons.set_index("person_id")
    primary = world.accounts[world.accounts["primary"]].drop_duplicates("person_id").set_index("person_id")
    payee = entitlements["payee_person_id"]
    table = pd.DataFrame(
        {
            "person_id": entitlements["person_id"].to_numpy(),
            "payee_person_id": payee.to_numpy(),
            "household_id": entitlements["household_id"].to_numpy(),
            "program": entitlements["program"].to_numpy(),
            "quantity": entitlements["quantity"].astype(float).to_numpy(),
            "amount": entitlements["amount"].astype(float).round(2).to_numpy(),
            "village": persons.loc[payee, "village"].to_numpy(),
            "name": persons.loc[payee, "name"].to_numpy(),
            "id_number": persons.loc[payee, "id_number"].to_numpy(),
            "bank": primary.loc[payee, "bank"].to_numpy(),
            "account_number": primary.loc[payee, "account_number"].to_numpy(),
        }
    )
    return table


def _plant(world, scenario: Scenario, base: pd.DataFrame) -> tuple[list[dict], list[dict], tuple[PlantingCount, ...]]:
    """Entries with the irregularities planted, and their key rows, in a shuffled order;
    and the planting report (asked, planted per type)."""
    from sandbox.irregularities.planting import PlantingSite, plant_all

    site = PlantingSite(world, scenario, base)
    report = plant_all(site, scenario.irregularities)
    for key, vulnerable in zip(site.keys, _vulnerable_rows(site), strict=True):
        key["vulnerable"] = vulnerable
    entries = site.entries + [entry for entry, _ in site.added]
    keys = site.keys + [key for _, key in site.added]
    return (*_shuffle(site.rng, entries, keys, site.copies), report)


def _vulnerable_rows(site: PlantingSite) -> np.ndarray:
    """低保/特困 households, disabled people and means-tested programs: denial harms most."""
    from sandbox.irregularities import MEANS_TESTED

    base = site.base
    person = site.persons.loc[base["person_id"]]
    return (base["program"].isin(MEANS_TESTED).to_numpy()
            | person["household_id"].isin(site.dibao_members).to_numpy()
            | person["tekun"].to_numpy(dtype=bool)
            | (person["disability_grade"].to_numpy() > 0))


def _shuffle(rng: np.random.Generator, entries: list[dict], keys: list[dict],
             copies: list[tuple[int, dict, dict]]) -> tuple[list[dict], list[dict]]:
    """Shuffle planted entries in so position gives nothing away; each planted copy
    lands somewhere after its original."""
    count = len(entries)
    rank = np.empty(count)
    rank[rng.permutation(count)] = np.arange(count)
    sort_keys = list(rank)
    for source, entry, key in copies:
        key["_source"] = entries[source]
        sort_keys.append(rng.uniform(rank[source] + 0.5, count))
        entries.append(entry)
        keys.append(key)
    order = np.argsort(np.asarray(sort_keys), kind="stable")
    return [entries[i] for i in order], [keys[i] for i in order]


def _messy(value: str, kind: str, rng: np.random.Generator) -> str:
    """Harmless typing mess: what normalisation must undo."""
    if kind == "id_number":
        choice = rng.integers(3)
        if choice == 0:
            return value.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
        if choice == 1:
            return f"{value[:6]} {value[6:14]} {value[14:]}"
        return value.lower() if value.endswith("X") else f" {value} "
    if kind == "account_number":
        return " ".join(value[i:i + 4] for i in range(0, len(value), 4))
    if kind == "name":
        return value + ("  " if rng.random() < 0.5 else "\u3000")
    if kind == "quantity":
        return f"{value}亩"
    if kind == "amount":
        return f"{value}元" if rng.random() < 0.5 else f"¥{value}"
    return value


def _format_quantity(program: str, quantity: float) -> str:
    return f"{quantity:.1f}" if program in PER_MU else f"{int(round(quantity))}"


def build_collection(world, scenario: Scenario, entitlements: pd.DataFrame) -> CollectionData:
    """Rosters as typed by village staff, their true values, and the answer key."""
    from sandbox.irregularities import FAULTS
    from sandbox.irregularities.look_alikes import mark_look_alikes
    from sandbox.irregularities.planting import KEY_COLUMNS

    base = _payee_table(world, entitlements).sort_values(["village", "program", "id_number"], kind="stable")
    base, omitted = omit_entitled(world, scenario, base.reset_index(drop=True))
    rows, keys, report = _plant(world, scenario, base)
    # Villages list their own entries together, as the files arrive per village.
    village_order = {v: i for i, v in enumerate(sorted({r["village"] for r in rows}))}
    order = sorted(range(len(rows)), key=lambda i: (village_order[rows[i]["village"]], i))
    rows = [rows[i] for i in order]
    keys = [keys[i] for i in order]
    entry_ids = {id(row): f"E{index + 1:0{max(4, len(str(len(rows))))}d}" for index, row in enumerate(rows)}
    for row, key in zip(rows, keys, strict=True):
        row["entry_id"] = key["entry_id"] = entry_ids[id(row)]
    for key in keys:
        source = key.pop("_source", None)
        if source is not None:
            key["duplicate_of"] = entry_ids[id(source)]
            FAULTS[key["fault"]].numbered(key)
    mark_look_alikes(rows, keys, world.persons, pd.Timestamp(scenario.calendar.period_start), world.households)

    truth = pd.DataFrame(rows)[["entry_id", "person_id", "payee_person_id", "household_id", *ROSTER_COLUMNS[1:]]]
    typed = _type_out(truth, scenario)
    key_frame = pd.DataFrame(keys)[KEY_COLUMNS]
    return CollectionData(typed=typed, village_files=_village_files(typed, scenario), truth=truth, key=key_frame,
                          omitted=omitted, planting=report)


def _type_out(truth: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    rng = rng_for(scenario.seed, "collection", "typing")
    typed = pd.DataFrame(
        {
            "entry_id": truth["entry_id"],
            "village": truth["village"],
            "name": truth["name"],
            "id_number": truth["id_number"],
            "program": truth["program"],
            "quantity": [_format_quantity(p, q) for p, q in zip(truth["program"], truth["quantity"], strict=True)],
            "amount": truth["amount"].map(lambda a: f"{a:.2f}"),
            "bank": truth["bank"],
            "account_number": truth["account_number"],
        }
    )
    rate = scenario.irregularities.messy_typing
    mess = rng.random(len(typed)) < rate
    fields = rng.choice(["id_number", "account_number", "name", "quantity", "amount"], size=len(typed))
    for i in np.flatnonzero(mess):
        field = str(fields[i])
        if field == "quantity" and typed.at[i, "program"] not in PER_MU:
            field = "amount"
        typed.at[i, field] = _messy(str(typed.at[i, field]), field, rng)
    return typed


def _village_files(typed: pd.DataFrame, scenario: Scenario) -> dict[str, pd.DataFrame]:
    rng = rng_for(scenario.seed, "collection", "files")
    villages = sorted(typed["village"].unique())
    odd_one = villages[int(rng.integers(len(villages)))]
    files = {}
    for village, frame in typed.groupby("village", sort=True):
        frame = frame.rename(columns=ROSTER_HEADERS_ZH)
        if village == odd_one:
            # One village's clerk built the sheet in their own column order.
            frame = frame[["序号", "姓名", "补贴项目", "金额", "身份证号", "卡号", "开户行", "数量", "村"]]
        files[str(village)] = frame.reset_index(drop=True)
    return files
