"""Registry of sub-commands defined in other modules, to keep cli.py small."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Each feature module adds its sub-commands via an `add_commands(sub)` function."""
    import importlib

    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).add_commands(sub)


# Modules that define `add_commands(sub)`; append one line per feature.
COMMAND_MODULES: list[str] = [
    "sandbox.cli.play",
    "sandbox.cli.calibrate",
    "sandbox.cli.programs",
    "sandbox.cli.world",
    "sandbox.cli.classmode",
    "sandbox.cli.gradebook",
    "sandbox.cli.scenarios",
    "sandbox.cli.practise",
]
