"""一卡通 training sandbox: a simulated county, its subsidy platform and paying banks.

The public API is what ``__all__`` lists; everything else is internal and may move:

- `Session`: a trainee's handle (``Session.start("tutorial")``, ``Session.connect(url, token)``)
- `load_scenario`, `scenario_from_dict`, `Scenario`: read and check scenario files
- `generate_world`, `World`: the synthetic county (ground truth) of a scenario and seed
- `Gradebook`: where attempts, actions and scores are kept
- the errors a user can act on: `SandboxError` and its kinds
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from sandbox.errors import RowProblem, SandboxError, ScenarioError, ScenarioProblem, SubmissionError
from sandbox.version import __version__

if TYPE_CHECKING:
    from sandbox.gradebook.store import Gradebook
    from sandbox.scenario import Scenario, load_scenario, scenario_from_dict
    from sandbox.session.session import Session
    from sandbox.world import World, generate_world

# Loaded on first use, so `sandbox validate` does not pay for pandas and the platform.
_LAZY = {
    "Session": "sandbox.session.session",
    "load_scenario": "sandbox.scenario",
    "scenario_from_dict": "sandbox.scenario",
    "Scenario": "sandbox.scenario",
    "generate_world": "sandbox.world",
    "World": "sandbox.world",
    "Gradebook": "sandbox.gradebook.store",
}

__all__ = [
    "Gradebook", "RowProblem", "SandboxError", "Scenario", "ScenarioError", "ScenarioProblem",
    "Session", "SubmissionError", "World", "__version__", "generate_world", "load_scenario",
    "scenario_from_dict",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sandbox' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
