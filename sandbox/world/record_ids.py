"""Fast fixed-width digit strings: record ids (P0000001, H000001, A0000001), ID numbers,
card and phone numbers. Built as a matrix of code points, four digits per table look-up,
and viewed as fixed-width str — several times faster than formatting a million Python
ints one by one. Also: str columns pandas need not check again, and unique numbers drawn
without re-sorting a million of them after each redraw."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

_GROUP = 4  # digits per look-up
_GROUP_BASE = 10**_GROUP
# code points of "0000" … "9999", one row per value; and each row as one 16-byte item, so a
# look-up writes four characters at once
_GROUP_DIGITS = (np.arange(_GROUP_BASE)[:, None] // 10 ** np.arange(_GROUP - 1, -1, -1) % 10 + ord("0")).astype(np.uint32)
_GROUP_ITEMS = _GROUP_DIGITS.view(f"V{4 * _GROUP}").ravel()


_BLOCK = 1 << 14  # rows per block: the code-point matrix of a block stays in cache


def digit_strings(values: np.ndarray, width: int, prefix: str = "", suffix: np.ndarray | None = None) -> np.ndarray:
    """prefix + values zero-padded to ``width`` digits (+ one suffix char each), as str objects."""
    values = np.asarray(values, dtype=np.int64)
    if len(values) <= _BLOCK:
        return _digit_block(values, width, prefix, suffix)
    out = np.empty(len(values), dtype=object)
    for start in range(0, len(values), _BLOCK):
        block = slice(start, start + _BLOCK)
        out[block] = _digit_block(values[block], width, prefix, None if suffix is None else suffix[block])
    return out


def _digit_block(values: np.ndarray, width: int, prefix: str, suffix: np.ndarray | None) -> np.ndarray:
    head = np.array([ord(char) for char in prefix], dtype=np.uint32)
    tail = 0 if suffix is None else 1
    out = np.empty((len(values), len(head) + width + tail), dtype=np.uint32)
    out[:, : len(head)] = head
    rest = values
    end = len(head) + width
    while end > len(head):  # four digits at a time, from the right
        start = end - _GROUP
        rest, group = np.divmod(rest, _GROUP_BASE)
        if start >= len(head):
            out[:, start:end].view(_GROUP_ITEMS.dtype)[:, 0] = _GROUP_ITEMS[group]
        else:  # the leftmost digits, fewer than four
            out[:, len(head):end] = _GROUP_DIGITS[group, len(head) - start:]
        end = start
    if suffix is not None:
        out[:, -1] = np.asarray(suffix).astype("U1").view(np.uint32)
    return out.view(f"U{out.shape[1]}").ravel().astype(object)


def str_array(values: np.ndarray | list[str] | tuple[str, ...]) -> pd.api.extensions.ExtensionArray:
    """str objects as pandas' str array, what a DataFrame makes of them. Gathering from it
    (``.take``) gives a column pandas need not check string by string again."""
    return pd.array(np.asarray(values, dtype=object), dtype="str")


def same_str(n: int, text: str) -> np.ndarray:
    """An object array of n references to one str (``np.full(n, text, dtype=object)`` makes n
    new str objects, one by one)."""
    out = np.empty(n, dtype=object)
    out[:] = text
    return out


def redraw_repeats(values: np.ndarray, draw: Callable[[np.ndarray], np.ndarray], tries: int) -> bool:
    """Redraw in place every value an earlier position already holds — ``draw(mask)`` gives new
    values for the masked positions — until all differ; False if ``tries`` draws were not enough.
    After a draw only the new values are checked, against each other and the values kept: no
    second sort of the whole array."""
    repeated, distinct = _repeats(values)
    for _ in range(tries):
        if not repeated.any():
            return True
        values[repeated] = draw(repeated)
        fresh = values[repeated]
        at = np.minimum(np.searchsorted(distinct, fresh), len(distinct) - 1)
        if len(np.unique(fresh)) == len(fresh) and not (distinct[at] == fresh).any():
            repeated = np.zeros(len(values), dtype=bool)
        else:
            repeated, distinct = _repeats(values)
    return False


def _repeats(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(per position: does an earlier position hold the same value?, the distinct values
    sorted). False at each value's first occurrence, as ``np.unique(..., return_index=True)``
    finds them, but with one plain sort."""
    out = np.zeros(len(values), dtype=bool)
    ordered = np.sort(values)
    again = ordered[1:] == ordered[:-1]
    distinct = ordered[np.r_[True, ~again]] if len(ordered) else ordered
    twice = np.unique(ordered[1:][again])
    if not len(twice):
        return out, distinct
    at = np.minimum(np.searchsorted(twice, values), len(twice) - 1)
    held = np.flatnonzero(twice[at] == values)  # positions holding a repeated value, in order
    _, first = np.unique(values[held], return_index=True)
    out[held] = True
    out[held[first]] = False
    return out, distinct


def fixed_width_ids(prefix: str, n: int, min_width: int) -> np.ndarray:
    """prefix + 1…n zero-padded to min_width digits (wider only if n needs it), so ids sort."""
    return digit_strings(np.arange(1, n + 1), max(min_width, len(str(n))), prefix)
