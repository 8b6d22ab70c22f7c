"""`sandbox world SCENARIO --out DIR [--seed N]` end to end."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sandbox.cli import main
from sandbox.scenario import scenario_path
from sandbox.world import REGISTRY_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = str(scenario_path("tutorial"))
BOM = b"\xef\xbb\xbf"


def test_writes_every_table_with_bom_and_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["world", TUTORIAL, "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    expected = {"persons", "households", "accounts", "regions", *(f"registry_{k}" for k in REGISTRY_COLUMNS)}
    files = {p.stem: p for p in (tmp_path / "out").glob("*.csv")}
    assert set(files) == expected
    for path in files.values():
        assert path.read_bytes().startswith(BOM), path.name
    persons = pd.read_csv(files["persons"], encoding="utf-8-sig", dtype=str)
    assert persons["birth_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert persons["id_number"].str.len().eq(18).all()
    assert f"people:              {len(persons):,}" in out
    assert "card share" in out and "activation rate" in out and "411623 商水县" in out


def test_seed_option_changes_the_world(tmp_path: Path) -> None:
    assert main(["world", TUTORIAL, "--out", str(tmp_path / "a")]) == 0
    assert main(["world", TUTORIAL, "--out", str(tmp_path / "b"), "--seed", "99"]) == 0
    assert (tmp_path / "a" / "persons.csv").read_bytes() != (tmp_path / "b" / "persons.csv").read_bytes()


def test_bad_scenario_path_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["world", str(tmp_path / "missing.yaml"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "missing.yaml" in err and ("no such file" in err or "not found" in err)
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_output_path_that_is_a_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("not a directory")
    assert main(["world", TUTORIAL, "--out", str(blocker)]) == 2
    assert "expected a directory" in capsys.readouterr().err


def test_negative_seed_is_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["world", TUTORIAL, "--out", str(tmp_path / "out"), "--seed", "-1"]) == 2
    assert "--seed -1" in capsys.readouterr().err
