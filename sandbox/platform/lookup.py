"""Registry look-ups for 大数据比对: every hit for one roster entry, as a reviewer sees it."""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd


def __getattr__(name: str) -> Any:
    # REGISTRY_TITLES, the registries' names as operators know them (the catalogue's evidence
    # sources), read when first asked for: a session starts without the irregularity types.
    if name == "REGISTRY_TITLES":
        from sandbox.irregularities import EVIDENCE_SOURCES

        titles = globals()["REGISTRY_TITLES"] = {k: v for k, v in EVIDENCE_SOURCES.items() if k != "programs"}
        return titles
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class RegistryIndex:
    """Registries indexed by ID number (and card number) for fast per-entry look-ups."""

    def __init__(self, registries: dict[str, pd.DataFrame]) -> None:
        self.registries = registries
        # Indexed on first look-up, not at the start (~10 ms), and from the registries as
        # they are now: a later change to the dict (a re-issue's new card row) is not indexed.
        self._indexed = dict(registries)

    @functools.cached_property
    def _by_id(self) -> dict[str, dict]:
        return {key: frame.groupby("id_number", sort=False).indices
                for key, frame in self._indexed.items() if "id_number" in frame.columns}

    @functools.cached_property
    def _by_card(self) -> dict:
        cards = self._indexed.get("card_status")
        return cards.groupby("account_number", sort=False).indices if cards is not None else {}

    @functools.cached_property
    def _by_name(self) -> dict:
        residents = self._indexed.get("residents")
        return residents.groupby("name", sort=False).indices if residents is not None else {}

    def by_id(self, key: str, id_number: str) -> pd.DataFrame:
        frame = self.registries[key]
        rows = self._by_id.get(key, {}).get(id_number)
        return frame.iloc[rows] if rows is not None else frame.iloc[0:0]

    def by_card(self, account_number: str) -> pd.DataFrame:
        frame = self.registries["card_status"]
        rows = self._by_card.get(account_number)
        return frame.iloc[rows] if rows is not None else frame.iloc[0:0]

    def residents_named(self, name: str) -> pd.DataFrame:
        frame = self.registries["residents"]
        rows = self._by_name.get(name)
        return frame.iloc[rows] if rows is not None else frame.iloc[0:0]

    def hits(self, entry: dict) -> dict[str, pd.DataFrame]:
        """Every registry row that concerns this entry: by its ID, its card, its name — the
        values as the platform holds them (ends trimmed), compared exactly as data matching
        does: a number typed in full-width digits or with spaces matches nothing."""
        id_number, account, name = (str(entry.get(k, "")).strip() for k in ("id_number", "account_number", "name"))
        found: dict[str, pd.DataFrame] = {}
        for key in self.registries:
            if key == "card_status":
                frame = pd.concat([self.by_card(account), self.by_id(key, id_number)]).drop_duplicates()
            elif key == "residents":
                frame = pd.concat([self.by_id(key, id_number), self.residents_named(name)]).drop_duplicates()
            elif key == "cadre_relatives":
                frame = self.registries[key]
                frame = frame[(frame["id_number"] == id_number) | (frame["cadre_id_number"] == id_number)]
            elif key in self._by_id:
                frame = self.by_id(key, id_number)
            else:
                continue
            if not frame.empty:
                found[key] = frame.reset_index(drop=True)
        return found
