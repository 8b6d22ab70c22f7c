"""A digest of everything an attempt holds, to show that a call changed nothing.

It walks the attempt's objects (stages, their state, the clock, the log, the scores, the world,
the working roster…) and hashes every value it finds, so a test need not list what a stage
keeps: a new field is covered the day it is added. Caches that a look may fill without
changing what any call returns are named in CACHES, with the reason."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

# Attributes filled on first use and the same on every call after (so filling them is no
# change). PayoutStage.budget() once cached its table on the first look, before
# 补录 had added entries, and a later payment was refused against that stale budget.
# The scoring's caches are keyed by what they derive from (the decisions' version, the working
# roster's identity, the payout lines) and rebuilt when that changes: filling one changes no answer.
CACHES: set[str] = {"_final", "_latest", "_persons", "_ages", "_canonical_typed", "_harm_families",
                    "_harm_reference", "_timeline", "_month_views", "_month_registries", "_row_of_id",
                    # RegistryIndex: built on the first look-up from the registries as they were at
                    # the start (platform/lookup.py), so the first look fills it and changes no answer
                    "_by_id", "_by_card", "_by_name",
                    # Attempt: the actions of each stage, added when the stage is first used
                    # (platform/stages/lazy.py); the stages themselves are walked all (below)
                    "_actions"}
LEAVES = (str, bytes, int, float, bool, type(None), dt.date, dt.datetime, dt.timedelta, np.generic,
          pd.Timestamp, pd.Timedelta)


def attempt_digest(attempt: Any) -> str:
    """A SHA-256 over every value reachable from the attempt (functions count by name only)."""
    digest = hashlib.sha256()
    seen: set[int] = set()

    def put(text: str) -> None:
        digest.update(text.encode("utf-8", "surrogatepass"))

    def walk(value: Any, path: str) -> None:
        if isinstance(value, LEAVES):
            put(f"{path}={value!r};")
            return
        if id(value) in seen:
            put(f"{path}=@;")
            return
        seen.add(id(value))
        if isinstance(value, pd.DataFrame | pd.Series):
            put(f"{path}:{type(value).__name__}{value.shape}{list(getattr(value, 'columns', []))};")
            try:
                put(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes().hex())
            except TypeError:  # cells hold lists or dicts
                put(value.to_csv())
        elif isinstance(value, Mapping) and not isinstance(value, dict):  # the attempt's stages, built or not
            for key in sorted(value, key=repr):
                walk(value[key], f"{path}[{key!r}]")
        elif isinstance(value, np.ndarray):
            put(f"{path}:{value.dtype}{value.shape}{value.tobytes().hex()};")
        elif isinstance(value, dict):
            for key in sorted(value, key=repr):
                walk(value[key], f"{path}[{key!r}]")
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")
        elif isinstance(value, set | frozenset):
            put(f"{path}={sorted(map(repr, value))};")
        elif callable(value) and not dataclasses.is_dataclass(value) and not hasattr(value, "__dict__"):
            put(f"{path}=<{getattr(value, '__qualname__', type(value).__name__)}>;")
        elif isinstance(value, type):
            put(f"{path}=<class {value.__qualname__}>;")
        elif hasattr(value, "__dict__"):
            put(f"{path}:{type(value).__qualname__};")
            for name, inner in sorted(vars(value).items()):
                if name not in CACHES:
                    walk(inner, f"{path}.{name}")
        else:
            put(f"{path}={value!r};")

    walk(attempt, "attempt")
    return digest.hexdigest()
