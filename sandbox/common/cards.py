"""What state a card (its bank account) can be in: named once, for the scenario that sets
how many cards are in each state, the world that draws them, and the banks that act on them.
"""

from __future__ import annotations

ACTIVE = "active"
# In the order scenarios list their rates and the banks their return codes.
PROBLEM_STATUSES: tuple[str, ...] = (
    "not_activated", "pin_locked", "reported_lost", "frozen", "dormant", "closed",
)
ACCOUNT_STATUSES: tuple[str, ...] = (ACTIVE, *PROBLEM_STATUSES)
