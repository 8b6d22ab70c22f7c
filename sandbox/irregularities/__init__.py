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
imported from their modules; this package itself stays light, as the scenario schema uses it.
"""

from __future__ import annotations

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

__all__ = [
    "EVIDENCE_SOURCES", "FAULTS", "LOOK_ALIKES", "MEANS_TESTED", "Check", "Irregularity", "LookAlike",
    "Money", "Planting", "Rate", "Registry", "Verdict", "fault", "parse_reason",
]
