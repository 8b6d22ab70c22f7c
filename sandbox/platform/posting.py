"""公示 as the rules require it: what each public notice showed, and which approved entries no
full notice has shown as they now stand.

An approved (or corrected) entry counts as posted only when a notice that ran its full
posting days before review closed showed it with the public face it is paid with: program,
name, quantity and amount. An entry approved or added (补录) after the notice went up, or
corrected since in one of those fields, needs a new notice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

APPROVED = ("approve", "correct")
# What a notice lists (拟发放名单): entries proposed for payment, those still out for a home
# visit included, so visits and 公示 run in the same days.
PROPOSED = (*APPROVED, "refer")
# What a village notice shows of an entry; a change in any of them is a change villagers did not see.
PUBLIC_FIELDS = ("program", "name", "quantity", "amount")

Face = tuple[str, ...]


@dataclass(frozen=True)
class Notice:
    """One 公示: when it went up, when its posting days end, and each entry as it showed it."""

    number: int
    started_at: dt.datetime
    ends_at: dt.datetime
    shown: dict[str, Face] = field(default_factory=dict)


def public_faces(final: pd.DataFrame, decisions: tuple[str, ...] = APPROVED) -> dict[str, Face]:
    """Each approved (or listed) entry's public face, from review's final table (corrections applied)."""
    approved = final[final["decision"].isin(decisions)]
    columns = [approved[f].map(_text) for f in PUBLIC_FIELDS]
    return {row[0]: tuple(row[1:]) for row in zip(approved["entry_id"], *columns, strict=True)}


def unposted(final: pd.DataFrame, notices: list[Notice], closed_by: dt.datetime,
             decisions: tuple[str, ...] = APPROVED) -> set[str]:
    """Approved (or listed) entries that no notice complete by `closed_by` showed as they stand now."""
    shown: dict[str, set[Face]] = {}
    for notice in notices:
        if notice.ends_at <= closed_by:
            for entry_id, face in notice.shown.items():
                shown.setdefault(entry_id, set()).add(face)
    return {entry_id for entry_id, face in public_faces(final, decisions).items()
            if face not in shown.get(entry_id, set())}


def _text(value: object) -> str:
    """A cell as it is compared: numbers by value (12.0 and "12.00" are the same amount)."""
    try:
        return f"{float(value):.2f}"
    except (TypeError, ValueError):
        return str(value).strip()
