"""`sandbox preview`: counts, programmes, planted irregularities and persona difficulty."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sandbox.cli import main
from sandbox.errors import SandboxError
from sandbox.personas.preview import preview, preview_seeds
from sandbox.platform.attempt import open_attempt
from sandbox.scenario import scenario_path

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = scenario_path("tutorial")
FEW = ["perfect", "approve-all"]


@pytest.fixture(scope="module")
def result():
    return preview(TUTORIAL, seeds=2, personas=FEW)


def test_counts_and_irregularities_come_from_the_worlds_of_the_seeds(result) -> None:
    worlds = [open_attempt(TUTORIAL, seed=seed) for seed in result.seeds]
    first = worlds[0]
    assert result.counts == {"people": len(first.world.persons), "households": len(first.world.households),
                             "entries": len(first.data.typed)}
    assert result.programs["entries"].sum() == len(first.data.typed)
    planted = [w.data.key["fault"][w.data.key["fault"] != ""].value_counts() for w in worlds]
    row = result.irregularities.set_index("fault").loc["duplicate"]
    counts = [p.get("duplicate", 0) for p in planted]
    assert (row["min"], row["max"], row["mean"]) == (min(counts), max(counts), sum(counts) / len(counts))
    assert set(result.irregularities["fault"]) == set().union(*(p.index for p in planted))


def test_difficulty_separates_care_from_carelessness(result) -> None:
    scores = result.difficulty.set_index("persona")
    assert list(scores.index) == FEW
    assert scores.at["perfect", "mean"] > scores.at["approve-all", "mean"] + 30
    assert (scores["min"] <= scores["mean"]).all() and (scores["mean"] <= scores["max"]).all()


def test_preview_is_deterministic_and_starts_with_the_scenarios_own_seed(result) -> None:
    again = preview(TUTORIAL, seeds=2, personas=FEW)
    assert again.to_dict() == result.to_dict()
    assert result.seeds[0] == open_attempt(TUTORIAL).scenario.seed
    assert len(set(preview_seeds(7, 4))) == 4


def test_bad_arguments_are_user_errors() -> None:
    with pytest.raises(SandboxError, match="--seeds"):
        preview(TUTORIAL, seeds=0)
    with pytest.raises(SandboxError, match="unknown persona"):
        preview(TUTORIAL, seeds=1, personas=["genius"])


def test_the_command_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(TUTORIAL), "--seeds", "1", "--persona", "perfect", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["difficulty"][0]["persona"] == "perfect" and data["counts"]["entries"] > 0
