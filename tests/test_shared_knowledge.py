"""Each piece of shared knowledge has one source, low in the layers: sandbox.common depends
on nothing else of the sandbox, and the scenario schema reads the catalogue's program codes
and the card statuses instead of keeping copies."""

from __future__ import annotations

import ast
from pathlib import Path

import sandbox.bank as bank
import sandbox.programs as programs
import sandbox.scenario as scenario
from sandbox.common.cards import ACCOUNT_STATUSES, PROBLEM_STATUSES
from sandbox.scenario.schema import CardStatusRates

SANDBOX = Path(__file__).resolve().parents[1] / "sandbox"


def _imports(path: Path, *, skip_type_checking: bool = False) -> set[str]:
    """Every sandbox module a file imports, at the top or deferred into a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    if skip_type_checking:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and ast.unparse(node.test) in {"TYPE_CHECKING", "typing.TYPE_CHECKING"}:
                skipped |= {id(inner) for inner in ast.walk(node)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name == "sandbox" or name.startswith("sandbox.")}


def test_common_imports_only_errors_and_itself() -> None:
    for path in sorted((SANDBOX / "common").glob("*.py")):
        outside = {m for m in _imports(path) if not m.startswith("sandbox.common") and m != "sandbox.errors"}
        assert not outside, f"{path.name} imports {sorted(outside)}"


def test_the_catalogue_sits_below_the_scenario() -> None:
    for path in sorted((SANDBOX / "programs").glob("*.py")):
        assert not {m for m in _imports(path, skip_type_checking=True) if m.startswith("sandbox.scenario")}, path.name
    loader = (SANDBOX / "scenario" / "loader.py").read_text(encoding="utf-8")
    assert "from sandbox.programs import check_programs" in loader.splitlines()  # at the top, not deferred


def test_program_codes_are_the_catalogues() -> None:
    assert scenario.PROGRAM_CODES is programs.PROGRAM_CODES
    assert programs.PROGRAM_CODES == tuple(programs.PROGRAMS)


def test_card_statuses_are_defined_once() -> None:
    assert bank.model.ACCOUNT_STATUSES is ACCOUNT_STATUSES  # the banks read the one list
    assert tuple(CardStatusRates.model_fields) == PROBLEM_STATUSES
    assert ACCOUNT_STATUSES == ("active", *PROBLEM_STATUSES)


def test_no_module_keeps_its_own_list_of_statuses_or_codes() -> None:
    owners = []
    for path in SANDBOX.rglob("*.py"):
        if path.parent.name == "common" and path.name == "cards.py":
            continue
        text = path.read_text(encoding="utf-8")
        if '"not_activated", "pin_locked", "reported_lost"' in text or '"farmland_fertility",\n' in text:
            owners.append(path.relative_to(SANDBOX).as_posix())
    assert owners == []
