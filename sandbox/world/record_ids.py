"""Fast fixed-width digit strings: record ids (P0000001, H000001, A0000001), ID numbers,
card and phone numbers. Built as an ASCII byte matrix — several times faster than
formatting a million Python ints one by one."""

from __future__ import annotations

import numpy as np


def digit_strings(values: np.ndarray, width: int, prefix: str = "", suffix: np.ndarray | None = None) -> np.ndarray:
    """prefix + values zero-padded to ``width`` digits (+ one ASCII suffix char each), as str objects."""
    head = prefix.encode("ascii")
    tail = 0 if suffix is None else 1
    out = np.empty((len(values), len(head) + width + tail), dtype=np.uint8)
    if head:
        out[:, : len(head)] = np.frombuffer(head, dtype=np.uint8)
    rest = np.asarray(values, dtype=np.int64).copy()
    for column in range(len(head) + width - 1, len(head) - 1, -1):
        out[:, column] = rest % 10 + 48
        rest //= 10
    if suffix is not None:
        out[:, -1] = np.asarray(suffix, dtype="S1").view(np.uint8)
    return out.view(f"S{out.shape[1]}").ravel().astype("U").astype(object)


def fixed_width_ids(prefix: str, n: int, min_width: int) -> np.ndarray:
    """prefix + 1…n zero-padded to min_width digits (wider only if n needs it), so ids sort."""
    return digit_strings(np.arange(1, n + 1), max(min_width, len(str(n))), prefix)
