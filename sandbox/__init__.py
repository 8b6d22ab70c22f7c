"""一卡通 training sandbox: a simulated county, its subsidy platform and paying banks."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["Session", "__version__"]


def __getattr__(name: str) -> Any:
    # Lazy, so `sandbox validate` does not pay for pandas and the platform on start-up.
    if name == "Session":
        from sandbox.session.session import Session

        return Session
    raise AttributeError(f"module 'sandbox' has no attribute {name!r}")
