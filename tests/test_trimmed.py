"""The bank's reading of a text cell: the all-text fast path and the mixed path agree."""

from __future__ import annotations

import numpy as np

from sandbox.common.text import trimmed


def test_all_text_and_mixed_columns_are_trimmed_alike():
    texts = np.array([" 王1\u3000", "L0001 ", "", "\t6217"], dtype=object)
    assert trimmed(texts).tolist() == ["王1", "L0001", "", "6217"]
    mixed = np.array([" 王1\u3000", None, float("nan"), 12, "L0001 "], dtype=object)
    assert trimmed(mixed).tolist() == ["王1", "", "", "12", "L0001"]
    assert trimmed(texts).dtype == object and trimmed(mixed).dtype == object
