"""How fast is world generation? Persons per second at 100k and 1M people, against a
plain per-row Faker generator of the same columns measured in the same run.

    .venv/bin/python benchmarks/bench_world.py            # 100k and 1M
    .venv/bin/python benchmarks/bench_world.py --quick    # 100k only

Peak memory is the process's peak resident set size (resource.getrusage), which after
the 1M run is that run's peak.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import time
from pathlib import Path

import pandas as pd
from faker import Faker

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sandbox.scenario import ZHOUKOU_COUNTIES, Scenario, load_scenario  # noqa: E402
from sandbox.world import generate_world  # noqa: E402

CITY = "zhoukou-2022"  # a shipped scenario, by name
BASELINE_ROWS = 5_000


def scaled_scenario(townships_per_county: int) -> Scenario:
    """All ten counties × townships × 20 villages × 160 households (≈ 102k people per township row)."""
    data = load_scenario(CITY).model_dump()
    data["region"].update(counties=list(ZHOUKOU_COUNTIES), townships_per_county=townships_per_county,
                          villages_per_township=20, households_per_village=160)
    return Scenario.model_validate(data)


def faker_rows(n: int, seed: int = 1) -> pd.DataFrame:
    """The naive way: one Faker call per field per row."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rnd = random.Random(seed)
    as_of = dt.date(2022, 5, 1)
    rows = []
    for i in range(n):
        male = rnd.random() < 0.5
        birth = fake.date_of_birth(minimum_age=0, maximum_age=95)
        rows.append({
            "person_id": f"P{i + 1:07d}",
            "name": fake.name_male() if male else fake.name_female(),
            "sex": "男" if male else "女",
            "birth_date": birth,
            "age": (as_of - birth).days // 365,
            "id_number": fake.ssn(),
            "village": fake.city_name() + "村",
            "relation": rnd.choice(["户主", "配偶", "子", "女"]),
            "alive": rnd.random() > 0.01,
            "disability_grade": rnd.choice([0] * 15 + [1, 2, 3, 4]),
            "phone": fake.phone_number(),
            "account_number": fake.credit_card_number(),
            "bank": rnd.choice(["中国农业银行", "中国邮政储蓄银行", "河南农信社"]),
        })
    return pd.DataFrame(rows)


def rate(fn, count_of) -> tuple[float, int, float]:
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    n = count_of(result)
    return n / seconds, n, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1M run")
    args = parser.parse_args()

    base_rate, base_n, base_s = rate(lambda: faker_rows(BASELINE_ROWS), len)
    print(f"per-row Faker baseline: {base_n:>9,} rows    in {base_s:6.2f} s = {base_rate:>10,.0f} rows/s")

    tut_rate, tut_n, tut_s = rate(lambda: generate_world(load_scenario("tutorial")), lambda w: len(w.persons))
    print(f"tutorial world:         {tut_n:>9,} people  in {tut_s:6.3f} s")

    for label, townships in (("100k", 1), ("1M", 10))[: 1 if args.quick else 2]:
        scenario = scaled_scenario(townships)
        world_rate, n, seconds = rate(lambda s=scenario: generate_world(s), lambda w: len(w.persons))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"world {label:>4}:             {n:>9,} people  in {seconds:6.2f} s = {world_rate:>10,.0f} persons/s"
              f"  ({world_rate / base_rate:,.0f}× Faker)  peak RSS {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
