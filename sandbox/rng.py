"""Independent, stable random generators: one per purpose, derived from the scenario seed."""

from __future__ import annotations

import hashlib

import numpy as np


def derive_seed(seed: int, *labels: object) -> int:
    """A 64-bit seed from the scenario seed and labels; stable across runs and machines."""
    text = "\x1f".join([str(seed), *map(str, labels)]).encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:8], "little")


def rng_for(seed: int, *labels: object) -> np.random.Generator:
    """A generator for one purpose: adding a purpose never shifts another's draws."""
    return np.random.Generator(np.random.PCG64(derive_seed(seed, *labels)))
