"""Counties, townships (乡/镇) and villages with plausible Zhoukou-style names and codes.

Rural place names in eastern Henan are mostly a clan surname plus a settlement word
(王庄, 李楼, 张集, 刘营…), sometimes with a direction or size prefix (东王庄, 小李楼).
Codes follow GB/T 2260 + the statistical division code: township = county code + 3
digits (镇 1xx, 乡 2xx), village = township code + 3 digits (村委会 2xx).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sandbox.common.regions import ZHOUKOU_COUNTIES
from sandbox.rng import rng_for
from sandbox.world.names import name_pools

if TYPE_CHECKING:
    from sandbox.scenario import Scenario

SETTLEMENT_WORDS = ("庄", "楼", "营", "集", "寨", "庙", "岗", "湾", "屯", "桥", "店", "口")
TOWNSHIP_WORDS = ("集", "营", "寨", "店", "口", "庄", "岗", "湾", "桥", "楼")
PREFIXES = ("", "", "", "", "东", "西", "南", "北", "前", "后", "大", "小")
TOWN_SHARE = 0.6  # share of townships that are 镇 rather than 乡
# Clan surnames come from the commonest Faker surnames: villages are not named after rare ones.
NAMESAKE_SURNAMES = 60

REGION_COLUMNS = ["county_code", "county", "township_code", "township", "village_code", "village"]


def _name_candidates(words: tuple[str, ...], prefixes: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """All (prefix + surname + word) stems, with each stem's namesake surname."""
    pools = name_pools()
    order = np.argsort(-pools.surname_weights, kind="stable")[:NAMESAKE_SURNAMES]
    stems, surnames = [], []
    for surname in pools.surnames[order]:
        for word in words:
            for prefix in dict.fromkeys(prefixes):
                stems.append(f"{prefix}{surname}{word}")
                surnames.append(str(surname))
    return stems, surnames


def _stem_weights(stems: list[str], surnames: list[str]) -> np.ndarray:
    """Common surnames and unprefixed names are likelier, so most villages read 王庄村."""
    pools = name_pools()
    freq = dict(zip(pools.surnames.tolist(), pools.surname_weights.tolist(), strict=True))
    weights = np.array([freq[s] for s in surnames])
    plain = np.array([stem[0] == s for stem, s in zip(stems, surnames, strict=True)])
    weights = weights * np.where(plain, 12.0, 1.0)
    return weights / weights.sum()


def _unique_names(rng: np.random.Generator, stems: list[str], weights: np.ndarray, k: int) -> np.ndarray:
    """k distinct stem indices (names unique within their parent)."""
    return rng.choice(len(stems), size=k, replace=False, p=weights)


def build_regions(scenario: Scenario) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per village, sorted by village_code; also each village's namesake surname."""
    region = scenario.region
    rng = rng_for(scenario.seed, "world", "regions")
    town_stems, town_surnames = _name_candidates(TOWNSHIP_WORDS, ("",))
    town_weights = _stem_weights(town_stems, town_surnames)
    village_stems, village_surnames = _name_candidates(SETTLEMENT_WORDS, PREFIXES)
    village_weights = _stem_weights(village_stems, village_surnames)

    rows: list[tuple[str, str, str, str, str, str]] = []
    namesakes: list[str] = []
    for county_code in sorted(region.counties):
        county = ZHOUKOU_COUNTIES[county_code]
        towns = _unique_names(rng, town_stems, town_weights, region.townships_per_county)
        is_town = rng.random(len(towns)) < TOWN_SHARE
        town_seq = {True: 100, False: 200}
        for t, is_zhen in zip(towns, is_town, strict=True):
            town_seq[bool(is_zhen)] += 1
            township_code = f"{county_code}{town_seq[bool(is_zhen)]:03d}"
            township = town_stems[t] + ("镇" if is_zhen else "乡")
            villages = _unique_names(rng, village_stems, village_weights, region.villages_per_township)
            for v_seq, v in enumerate(villages, start=201):
                rows.append(
                    (county_code, county, township_code, township,
                     f"{township_code}{v_seq:03d}", village_stems[v] + "村")
                )
                namesakes.append(village_surnames[v])
    frame = pd.DataFrame(rows, columns=REGION_COLUMNS)
    order = np.argsort(frame["village_code"].to_numpy(), kind="stable")
    return frame.iloc[order].reset_index(drop=True), np.array(namesakes)[order]
