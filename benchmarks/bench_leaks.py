"""How fast is the disclosure privacy check (sandbox.common.masking.check_published, whose number
scan is sandbox/common/leaks.py) on a large published table?

    .venv/bin/python benchmarks/bench_leaks.py               # 6,000 rows
    .venv/bin/python benchmarks/bench_leaks.py --rows 20000

Builds a paid table of N payees (valid IDs and UnionPay cards, a fixed seed), then times, in
CPU seconds after one warm-up on a small table (the one-time tables every process builds):

- masked: the table masked by the policy (publish_table), checked against the paid table: what
  a careful trainee publishes, and the check's usual work;
- masked, no paid table: the same without the payees to compare with;
- raw: the paid table published as it is (every row leaks), checked against itself.

Prints the seconds and the number of findings of each. A measurement: the exit code says only
that it ran.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from sandbox.common.checkdigits import luhn_check_digit, ric_check_char  # noqa: E402
from sandbox.common.masking import check_published, publish_table  # noqa: E402
from sandbox.scenario import ZHOUKOU_COUNTIES, Masking  # noqa: E402


def paid_table(rows: int, seed: int = 1) -> pd.DataFrame:
    draw = random.Random(seed)
    codes = sorted(ZHOUKOU_COUNTIES)
    records = []
    for i in range(rows):
        body = (f"{draw.choice(codes)}19{draw.randint(30, 99)}{draw.randint(1, 12):02d}"
                f"{draw.randint(1, 28):02d}{draw.randint(0, 999):03d}")
        card = "62" + "".join(draw.choice("0123456789") for _ in range(15))
        records.append({"village": f"王庄{i % 40}村", "name": "张三明" if i % 2 else "李四",
                        "id_number": body + ric_check_char(body), "account_number": card + luhn_check_digit(card),
                        "bank": "中国农业银行", "program": "耕地地力保护补贴", "period": "2022-05",
                        "amount": round(draw.uniform(10, 5000), 2)})
    return pd.DataFrame(records)


def timed(table: pd.DataFrame, paid: pd.DataFrame | None, policy: Masking) -> tuple[float, int]:
    started = time.process_time()
    findings = check_published(table, paid, policy)
    return time.process_time() - started, len(findings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=6000)
    args = parser.parse_args(argv)
    policy = Masking()
    paid = paid_table(args.rows)
    masked = publish_table(paid, policy)
    check_published(masked.head(20), paid.head(20), policy)  # warm-up: the scan's one-time tables
    for label, table, against in (("masked", masked, paid), ("masked, no paid table", masked, None),
                                  ("raw", paid, paid)):
        seconds, found = timed(table, against, policy)
        print(f"{label:<24}{args.rows:>7} rows {seconds:7.2f} s CPU  {found:>6} findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
