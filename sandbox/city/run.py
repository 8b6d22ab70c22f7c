"""The whole city, county by county: each county is generated, paid for five months and
dropped before the next, so memory holds one county at a time (about a million people).

`run_city(scenario, fraction)` gives the per-county, per-month KPIs (one row per county and
month) and the city's totals; `fraction` < 1 runs every county at that share of its census
size (tests and the notebook), the figures compared with the article scaled alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from sandbox.city.months import CountyMonths, CountyTotals
from sandbox.city.people import county_people
from sandbox.common.regions import ZHOUKOU_COUNTIES
from sandbox.errors import SandboxError


@dataclass
class CityRun:
    fraction: float
    kpis: pd.DataFrame          # one row per county and month (sandbox/city/months.py columns)
    totals: CountyTotals        # summed over the counties
    people: int                 # residents generated


def run_city(scenario, fraction: float = 1.0, progress: Callable[[str], None] | None = None) -> CityRun:
    """Five monthly batches of every county of the city, county by county."""
    if not 0 < fraction <= 1:
        raise SandboxError(f"规模比例 {fraction} 应在 0 到 1 之间（1 为普查全量）",
                           f"scale fraction {fraction}: expected a number above 0 and at most 1 (1 = census size)")
    rows: list[dict] = []
    totals = CountyTotals()
    people = 0
    for code in sorted(ZHOUKOU_COUNTIES):
        county = county_people(scenario, code, fraction)
        people += len(county.persons)
        county_rows, county_totals = CountyMonths(scenario, county).run()
        rows.extend(county_rows)
        for name in ("paid", "credited", "first_sent", "first_credited", "social_card_lines"):
            setattr(totals, name, getattr(totals, name) + getattr(county_totals, name))
        totals.programs_paid |= county_totals.programs_paid
        if progress:
            progress(f"{county.name}: {len(county.persons):,} 人, {county_totals.credited:,} 人次")
        del county  # one county in memory at a time
    return CityRun(fraction, pd.DataFrame(rows), totals, people)
