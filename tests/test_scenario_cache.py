"""A session's start reads its validated scenario back from disk (sandbox/scenario/cached.py) as a
frozen tree (sandbox/scenario/frozen.py): it must read exactly like the pydantic Scenario, and the
cache must never hide a change to a file, nor a validation error."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path
from typing import Any

import pydantic
import pytest

from sandbox.errors import ScenarioError
from sandbox.scenario import Scenario, load_scenario
from sandbox.scenario.cached import load_for_start
from sandbox.scenario.frozen import Frozen, FrozenScenario, freeze, is_scenario


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SANDBOX_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SANDBOX_NO_CACHE", raising=False)
    return tmp_path


def same_tree(frozen: Any, real: Any, where: str = "scenario") -> None:
    """Every field of the model, at every depth, read from the frozen tree gives the same value."""
    if isinstance(real, pydantic.BaseModel):
        assert isinstance(frozen, Frozen), where
        for name in type(real).model_fields:
            same_tree(getattr(frozen, name), getattr(real, name), f"{where}.{name}")
    elif isinstance(real, list | tuple):
        assert type(frozen) is type(real) and len(frozen) == len(real), where
        for index, (f, r) in enumerate(zip(frozen, real, strict=True)):
            same_tree(f, r, f"{where}[{index}]")
    elif isinstance(real, dict):
        assert type(frozen) is dict and list(frozen) == list(real), where
        for key in real:
            same_tree(frozen[key], real[key], f"{where}[{key!r}]")
    else:
        assert type(frozen) is type(real) and frozen == real, where


@pytest.mark.parametrize("name", ["tutorial", "zhoukou-2022", "bank-trouble", "programs-elderly"])
def test_a_frozen_scenario_reads_like_the_model(name: str) -> None:
    real = load_scenario(name)
    frozen = freeze(real)
    same_tree(frozen, real)
    # what the models offer besides fields is the model's own answer
    assert frozen.calendar.period_label == real.calendar.period_label
    assert frozen.region.household_count == real.region.household_count
    assert frozen.registries.any() == real.registries.any()
    assert frozen.masking.model_dump() == real.masking.model_dump()
    assert frozen.model_dump_json() == real.model_dump_json()
    assert frozen == real and frozen.cards == real.cards and repr(frozen) == repr(real)
    assert dict(frozen.scoring) == dict(real.scoring)
    assert frozen.with_seed(None) is frozen and frozen.with_seed(5) == real.with_seed(5)
    assert is_scenario(frozen) and is_scenario(real) and not is_scenario("tutorial")


def test_a_frozen_scenario_is_frozen_like_the_model() -> None:
    frozen = freeze(load_scenario("tutorial"))
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        frozen.seed = 1
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        frozen.calendar.as_of = None


def test_a_frozen_scenario_survives_pickling_and_copying() -> None:
    real = load_scenario("tutorial")
    again = pickle.loads(pickle.dumps(freeze(real)))
    assert isinstance(again, FrozenScenario)
    same_tree(again, real)
    assert again == real  # the model behind it comes back from its own pickle
    assert copy.deepcopy(again) == real and copy.copy(again.calendar) == real.calendar


def test_the_start_reads_the_scenario_back_the_same(home: Path) -> None:
    first = load_for_start("tutorial")
    assert list((home / "home" / "cache").glob("scenario-*.pickle"))
    again = load_for_start("tutorial")
    assert again is not first
    same_tree(again, load_scenario("tutorial"))
    seeded = load_for_start("tutorial", seed=7)
    assert seeded.seed == 7 and seeded == load_scenario("tutorial", seed=7)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def error_of(call) -> str:
    with pytest.raises(ScenarioError) as caught:
        call()
    return str(caught.value)


def test_a_changed_file_is_read_again_and_its_errors_raised(home: Path) -> None:
    scenario = write(home / "mine.yaml", "extends: tutorial\nname: mine\nseed: 5\n")
    assert load_for_start(scenario).seed == 5
    write(scenario, "extends: tutorial\nname: mine\nseed: 6\n")
    assert load_for_start(scenario).seed == 6
    write(scenario, "extends: tutorial\nname: mine\nseed: -6\n")
    expected = error_of(lambda: load_scenario(scenario))
    assert "seed" in expected
    assert error_of(lambda: load_for_start(scenario)) == expected
    assert error_of(lambda: load_for_start(scenario)) == expected  # never kept


def test_a_change_up_the_extends_chain_is_seen(home: Path) -> None:
    parent = write(home / "parent.yaml", "extends: tutorial\nname: parent\nbank: {cutoff_hour: 15}\n")
    child = write(home / "child.yaml", "extends: parent.yaml\nname: child\n")
    assert load_for_start(child).bank.cutoff_hour == 15
    write(parent, "extends: tutorial\nname: parent\nbank: {cutoff_hour: 14}\n")
    assert load_for_start(child).bank.cutoff_hour == 14
    write(parent, "extends: tutorial\nname: parent\nbank: {cutoff_hour: 8}\n")  # before opening
    expected = error_of(lambda: load_scenario(child))
    assert "cutoff_hour" in expected and error_of(lambda: load_for_start(child)) == expected


def test_an_extends_that_now_leads_elsewhere_is_followed(home: Path) -> None:
    child = write(home / "child.yaml", "extends: tutorial\nname: child\n")
    assert load_for_start(child).title.en == load_scenario("tutorial").title.en
    # a file beside the child wins over the shipped scenario of that name
    write(home / "tutorial", "extends: zhoukou-2022\nname: near\n")
    assert load_for_start(child).region.counties == load_scenario(child).region.counties
    assert load_for_start(child) == load_scenario(child) != load_scenario("tutorial")


def test_a_bad_seed_is_refused_every_time(home: Path) -> None:
    expected = error_of(lambda: load_scenario("tutorial", seed=-1))
    assert error_of(lambda: load_for_start("tutorial", seed=-1)) == expected
    assert error_of(lambda: load_for_start("tutorial", seed=-1)) == expected


def test_no_cache_when_asked(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_NO_CACHE", "1")
    assert load_for_start("tutorial") == load_scenario("tutorial")
    assert not (home / "home" / "cache").exists()


def test_a_damaged_cache_file_is_read_again(home: Path) -> None:
    load_for_start("tutorial")
    (path,) = (home / "home" / "cache").glob("scenario-*.pickle")
    path.write_bytes(b"not a pickle")
    assert load_for_start("tutorial") == load_scenario("tutorial")


def test_a_session_on_a_scenario_object_keeps_that_object(home: Path) -> None:
    from sandbox import Session
    from sandbox.session.session import attempt_behind

    real = load_scenario("tutorial")
    assert attempt_behind(Session.start(real, lang="en")).scenario is real
    assert isinstance(attempt_behind(Session.start("tutorial", lang="en")).scenario, FrozenScenario)
    assert isinstance(real, Scenario)
