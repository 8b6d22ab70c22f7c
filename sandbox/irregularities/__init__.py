"""The irregularities review must catch, one module per type, and the entries that only look wrong.

Each type (see `base.Irregularity`) says how it is planted and how it harms (money paid
improperly, or a payment the bank returns and so delays), whether the entry is fixed by
correcting a field (the beneficiary is entitled) or stopped by rejecting it, which registries
(docs/architecture.md) hold the evidence, what villagers say about it during 公示, what its
money counts as in 监督检查, the careful persona's rules, and a rule and a tip for next time.

- `FAULTS`: the registry, code → type, in the scenario schema's order
- `fault(code)`: one type, with a suggestion when the code is mistyped
- `parse_reason(text)`: what a trainee typed as a reason (死亡, 公职人员, 重复…) → a code
- `LOOK_ALIKES`: correct entries that look wrong
- `EVIDENCE_SOURCES`: the registries evidence comes from

Planting (`planting`) and the careful persona's look-ups (`evidence`) need pandas and are
imported from their modules. This package itself loads each name from its module when first
asked for: a session that starts from the disk cache unpickles a planting count without loading
every type (the scenario schema and the review load them when they need them).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.irregularities.base import (
        EVIDENCE_SOURCES,
        MEANS_TESTED,
        Check,
        Irregularity,
        Money,
        Planting,
        Rate,
        Registry,
        Verdict,
    )
    from sandbox.irregularities.look_alikes import LOOK_ALIKES, LookAlike
    from sandbox.irregularities.reasons import fault, parse_reason
    from sandbox.irregularities.registry import FAULTS

# name -> the module of this package that defines it
_WHERE = {
    **dict.fromkeys(("EVIDENCE_SOURCES", "MEANS_TESTED", "Check", "Irregularity", "Money", "Planting", "Rate",
                     "Registry", "Verdict"), "base"),
    "LOOK_ALIKES": "look_alikes", "LookAlike": "look_alikes",
    "fault": "reasons", "parse_reason": "reasons",
    "FAULTS": "registry",
}

__all__ = [
    "EVIDENCE_SOURCES", "FAULTS", "LOOK_ALIKES", "MEANS_TESTED", "Check", "Irregularity", "LookAlike",
    "Money", "Planting", "Rate", "Registry", "Verdict", "fault", "parse_reason",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # asked once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
