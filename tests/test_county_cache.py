"""The county cache (sandbox/platform/county_cache.py) gives exactly what building gives, never
shares state between attempts, and never stops a start when it is damaged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import attempt_of

from sandbox import Session
from sandbox.platform.county_cache import build_county, cache_directory, county, county_key
from sandbox.scenario import Scenario


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SANDBOX_HOME", str(tmp_path))
    monkeypatch.delenv("SANDBOX_NO_CACHE", raising=False)
    return tmp_path


def frames(built) -> dict[str, pd.DataFrame]:
    world, entitlements, data, working = built
    return {**world.tables(), "defects": world.defects, "entitlements": entitlements, "working": working,
            "typed": data.typed, "truth": data.truth, "key": data.key, "omitted": data.omitted,
            **{f"village_{k}": v for k, v in data.village_files.items()}}


def test_a_cached_county_is_the_built_one(home: Path, tutorial: Scenario) -> None:
    built = frames(build_county(tutorial))
    first = county(tutorial)  # builds and keeps
    assert list(cache_directory().glob("county-*.pickle"))
    again = county(tutorial)  # read back
    assert again[0] is not first[0] and again[0].scenario is tutorial
    for name, frame in frames(again).items():
        pd.testing.assert_frame_equal(frame, built[name], check_exact=True, obj=name)
    assert again[2].planting == first[2].planting
    assert again[0].links.keys() == first[0].links.keys()


def test_a_session_from_the_cache_plays_as_a_fresh_one(home: Path, tutorial: Scenario,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from sandbox.personas import PERSONAS

    def careful(trainee: str) -> Session:
        session = Session.start(tutorial, trainee=trainee, lang="en")
        PERSONAS["careful"](session)
        return session

    monkeypatch.setenv("SANDBOX_NO_CACHE", "1")
    fresh = careful("fresh")
    monkeypatch.delenv("SANDBOX_NO_CACHE")
    Session.start(tutorial, trainee="warm", lang="en")  # fills the cache
    cached = careful("cached")
    assert cached.report().data["stages"] == fresh.report().data["stages"]
    assert cached.report().data["kpis"] == fresh.report().data["kpis"]


def test_attempts_from_the_cache_share_nothing(home: Path, tutorial: Scenario) -> None:
    one, two = (attempt_of(Session.start(tutorial, trainee=t, lang="en")) for t in ("a", "b"))
    one.world.persons.loc[:, "name"] = "改"
    one.data.typed.loc[:, "name"] = "改"
    assert (two.world.persons["name"] != "改").all() and (two.data.typed["name"] != "改").all()


def test_each_seed_and_scenario_has_its_own_county(tutorial: Scenario) -> None:
    assert county_key(tutorial) == county_key(tutorial.model_copy())
    assert county_key(tutorial) != county_key(tutorial.with_seed(tutorial.seed + 1))


def test_a_damaged_cache_file_is_built_again(home: Path, tutorial: Scenario) -> None:
    county(tutorial)
    (path,) = cache_directory().glob("county-*.pickle")
    path.write_bytes(b"not a pickle")
    again = county(tutorial)
    pd.testing.assert_frame_equal(again[0].persons, build_county(tutorial)[0].persons)


def test_no_cache_when_asked(home: Path, tutorial: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_NO_CACHE", "1")
    county(tutorial)
    assert not cache_directory().exists()
