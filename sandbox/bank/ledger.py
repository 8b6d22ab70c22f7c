"""The banks' ledger of credited payments, kept across payout runs (for AM05)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MAX_REISSUE_CHAIN = 100  # a re-issue of a re-issue of …; longer chains mean a cycle


@dataclass
class PaymentLedger:
    """What has been paid: line ids and the original lines ("roots") they settle.

    A re-issue (补发) names the failed line it replaces in ``source_line_id``; following
    those links back gives the root, the payment the re-issue stands for. A root can be
    credited once: any later line with the same root is a duplicate (AM05).
    """

    credited_line_ids: set[str] = field(default_factory=set)
    credited_roots: set[str] = field(default_factory=set)
    sources: dict[str, str] = field(default_factory=dict)  # line_id -> source_line_id

    def roots(self, line_ids: pd.Series, source_ids: pd.Series) -> np.ndarray:
        """The root of each line, following re-issue links known now or in this batch."""
        has_source = source_ids != ""
        links = pd.Series({**self.sources, **dict(zip(line_ids[has_source], source_ids[has_source], strict=True))})
        roots = line_ids.copy()
        pending = has_source.to_numpy().copy()
        for _ in range(MAX_REISSUE_CHAIN):
            if not pending.any():
                break
            parents = roots[pending].map(links)
            found = parents.notna().to_numpy()
            roots.loc[roots.index[pending][found]] = parents[found].to_numpy()
            pending[np.flatnonzero(pending)[~found]] = False
        return roots.to_numpy(dtype=object)

    def already_credited(self, line_ids: np.ndarray, roots: np.ndarray) -> np.ndarray:
        if not self.credited_roots and not self.credited_line_ids:
            return np.zeros(len(line_ids), dtype=bool)
        # set look-ups, O(1) each, mapped in C rather than in a Python generator
        count = len(roots)
        by_root = np.fromiter(map(self.credited_roots.__contains__, roots), dtype=bool, count=count)
        by_id = np.fromiter(map(self.credited_line_ids.__contains__, line_ids), dtype=bool, count=count)
        return by_root | by_id

    def record_credits(self, line_ids: np.ndarray, roots: np.ndarray) -> None:
        self.credited_line_ids.update(line_ids)
        self.credited_roots.update(roots)

    def record_sources(self, line_ids: pd.Series, source_ids: pd.Series) -> None:
        has_source = source_ids != ""
        self.sources.update(zip(line_ids[has_source], source_ids[has_source], strict=True))
