"""Write a world as CSV files and summarise it.

Files are UTF-8 with BOM (Excel on Chinese Windows opens them correctly), dates as
YYYY-MM-DD, "\\n" line ends on every platform: the same world gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sandbox.common.regions import ZHOUKOU_COUNTIES
from sandbox.errors import SandboxError

if TYPE_CHECKING:
    from sandbox.world import World

CSV_ENCODING = "utf-8-sig"


def write_world(world: World, out_dir: str | Path) -> list[Path]:
    """Write every table of the world to ``out_dir`` (created if missing); return the paths."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise SandboxError(f"{out}: cannot write the world there; expected a directory, found a file") from None
    except PermissionError:
        raise SandboxError(f"{out}: permission denied; choose an output directory you can write to") from None
    paths = []
    for stem, frame in world.tables().items():
        path = out / f"{stem}.csv"
        frame.to_csv(path, index=False, encoding=CSV_ENCODING, date_format="%Y-%m-%d", lineterminator="\n")
        paths.append(path)
    return paths


def summarize(world: World) -> dict:
    """Headline figures: people, households, card share, activation rate, people by county."""
    persons, accounts = world.persons, world.accounts
    primary = accounts[accounts["primary"]]
    cards = primary[primary["kind"] == "social_security_card"]
    by_county = persons.groupby("county_code").size()
    return {
        "people": len(persons),
        "households": len(world.households),
        "villages": len(world.regions),
        "dead": int((~persons["alive"]).sum()),
        "card_share": len(cards) / max(len(persons), 1),
        "activation_rate": float((cards["status"] != "not_activated").mean()) if len(cards) else 0.0,
        "people_by_county": {f"{code} {ZHOUKOU_COUNTIES[code]}": int(n) for code, n in by_county.items()},
    }


def format_summary(summary: dict) -> str:
    lines = [
        f"人口 people:              {summary['people']:,}",
        f"户数 households:          {summary['households']:,}",
        f"行政村 villages:          {summary['villages']:,}",
        f"已死亡 dead:              {summary['dead']:,}",
        f"社保卡占比 card share:     {summary['card_share']:.2%}",
        f"激活率 activation rate:   {summary['activation_rate']:.2%}",
        "各县人口 people by county:",
    ]
    lines += [f"  {county}: {n:,}" for county, n in summary["people_by_county"].items()]
    return "\n".join(lines)
