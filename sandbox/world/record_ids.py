"""Fast fixed-width digit strings: record ids (P0000001, H000001, A0000001), ID numbers,
card and phone numbers. Built as a matrix of code points, four digits per table look-up,
and viewed as fixed-width str — several times faster than formatting a million Python
ints one by one."""

from __future__ import annotations

import numpy as np

_GROUP = 4  # digits per look-up
_GROUP_BASE = 10**_GROUP
# code points of "0000" … "9999", one row per value
_GROUP_DIGITS = (np.arange(_GROUP_BASE)[:, None] // 10 ** np.arange(_GROUP - 1, -1, -1) % 10 + ord("0")).astype(np.uint32)


def digit_strings(values: np.ndarray, width: int, prefix: str = "", suffix: np.ndarray | None = None) -> np.ndarray:
    """prefix + values zero-padded to ``width`` digits (+ one suffix char each), as str objects."""
    head = np.array([ord(char) for char in prefix], dtype=np.uint32)
    tail = 0 if suffix is None else 1
    out = np.empty((len(values), len(head) + width + tail), dtype=np.uint32)
    out[:, : len(head)] = head
    rest = np.asarray(values, dtype=np.int64)
    end = len(head) + width
    while end > len(head):  # four digits at a time, from the right
        start = max(len(head), end - _GROUP)
        out[:, start:end] = _GROUP_DIGITS[rest % _GROUP_BASE, _GROUP - (end - start):]
        rest = rest // _GROUP_BASE
        end = start
    if suffix is not None:
        out[:, -1] = np.asarray(suffix).astype("U1").view(np.uint32)
    return out.view(f"U{out.shape[1]}").ravel().astype(object)


def repeats(values: np.ndarray) -> np.ndarray:
    """Per position: does an earlier position hold the same value? (False at each value's first
    occurrence, as ``np.unique(..., return_index=True)`` finds them, but with one plain sort.)"""
    out = np.zeros(len(values), dtype=bool)
    ordered = np.sort(values)
    twice = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if not len(twice):
        return out
    at = np.minimum(np.searchsorted(twice, values), len(twice) - 1)
    held = np.flatnonzero(twice[at] == values)  # positions holding a repeated value, in order
    _, first = np.unique(values[held], return_index=True)
    out[held] = True
    out[held[first]] = False
    return out


def fixed_width_ids(prefix: str, n: int, min_width: int) -> np.ndarray:
    """prefix + 1…n zero-padded to min_width digits (wider only if n needs it), so ids sort."""
    return digit_strings(np.arange(1, n + 1), max(min_width, len(str(n))), prefix)
