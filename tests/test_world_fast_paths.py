"""The fast paths of world generation give what their plain definitions give: the world is
byte-identical to the one the straightforward code made, so each shortcut is held to it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sandbox.scenario import load_scenario
from sandbox.world import generate_world, registries_and_defects_at
from sandbox.world.defects import apply_defects
from sandbox.world.generate import date_parts, whole_years
from sandbox.world.idnumbers import stable_order
from sandbox.world.record_ids import (
    digit_strings,
    fixed_width_ids,
    redraw_repeats,
    same_str,
    str_array,
)
from sandbox.world.registries import build_registries
from sandbox.world.traits import sort_key, sorted_codes


@pytest.mark.parametrize("width", [1, 3, 4, 5, 11, 17, 19])
@pytest.mark.parametrize("prefix", ["", "P", "LZ", "豫"])
def test_digit_strings_are_the_formatted_numbers(width: int, prefix: str) -> None:
    rng = np.random.default_rng(width)
    n = 40_000  # more than one block of rows
    values = rng.integers(0, 10 ** min(width, 18), n)
    values[:3] = [0, 10 ** min(width, 18) - 1, 7]
    suffix = rng.choice(list("0123456789X"), n)
    assert digit_strings(values, width, prefix).tolist() == [f"{prefix}{v:0{width}d}" for v in values.tolist()]
    assert digit_strings(values, width, prefix, suffix).tolist() == [
        f"{prefix}{v:0{width}d}{s}" for v, s in zip(values.tolist(), suffix.tolist(), strict=True)]


def test_fixed_width_ids_widen_only_when_needed() -> None:
    assert fixed_width_ids("H", 3, 6).tolist() == ["H000001", "H000002", "H000003"]
    assert fixed_width_ids("A", 12, 1)[-1] == "A12"
    assert fixed_width_ids("P", 0, 7).tolist() == []


def test_str_helpers_make_what_pandas_makes_of_str_objects() -> None:
    column = same_str(5, "参保")
    assert column.dtype == object and column.tolist() == ["参保"] * 5
    plain = pd.DataFrame({"x": np.array(["a", "b"], dtype=object)[[1, 0, 1]]})
    taken = pd.DataFrame({"x": str_array(["a", "b"]).take(np.array([1, 0, 1]))})
    pd.testing.assert_frame_equal(plain, taken, check_exact=True)


def _plain_redraw(values: np.ndarray, draw, tries: int) -> bool:
    for _ in range(tries):
        _, first = np.unique(values, return_index=True)
        again = np.ones(len(values), dtype=bool)
        again[first] = False
        if not again.any():
            return True
        values[again] = draw(again)
    return False


@pytest.mark.parametrize("seed", range(40))
def test_redrawing_repeats_draws_what_the_plain_loop_draws(seed: int) -> None:
    size = int(np.random.default_rng(seed).integers(0, 300))
    span = int(np.random.default_rng(seed + 1000).integers(1, 600))
    outcomes = []
    for redraw in (_plain_redraw, redraw_repeats):
        rng = np.random.default_rng(seed)
        values = rng.integers(0, span, size).astype(np.int64)
        done = redraw(values, lambda again, rng=rng: rng.integers(0, span, int(again.sum())), 6)
        outcomes.append((done, values.tolist(), rng.random()))  # same values, same draws used
    assert outcomes[0] == outcomes[1]


@pytest.mark.parametrize("high", [2, 1_000, 2**47, 2**48 + 5, 2**62])
def test_stable_order_is_numpys_stable_argsort(high: int) -> None:
    keys = np.random.default_rng(high % 97).integers(0, high, 50_000).astype(np.int64)
    assert (stable_order(keys) == np.argsort(keys, kind="stable")).all()


def test_date_parts_and_ages_follow_the_calendar() -> None:
    days = np.arange(np.datetime64("1800-01-01"), np.datetime64("2100-12-31"))
    year, month, day = date_parts(days)
    index = pd.DatetimeIndex(days.astype("datetime64[s]"))
    assert (year == index.year).all() and (month == index.month).all() and (day == index.day).all()
    on = pd.Timestamp("2024-02-29")
    before = (index.month > on.month) | ((index.month == on.month) & (index.day > on.day))
    assert (whole_years(days, np.datetime64("2024-02-29")) == on.year - index.year - before).all()


def test_sort_keys_keep_the_order_of_the_values() -> None:
    rng = np.random.default_rng(5)
    group, ties = rng.integers(0, 3_000, 20_000), rng.random(20_000)
    assert (np.lexsort((ties, sort_key(group))) == np.lexsort((ties, group))).all()
    wide = group + 2**20  # too wide for 16 bits: left as it is
    assert sort_key(wide) is wide
    surnames = np.array(["王", "李", "张", "王", "欧阳", "李"], dtype=object)
    assert (np.argsort(sorted_codes(surnames), kind="stable") == np.argsort(surnames, kind="stable")).all()


def test_defects_found_from_id_numbers_match_the_rows_handed_over() -> None:
    scenario = load_scenario("tutorial", seed=4)
    world = generate_world(scenario)
    fast, fast_defects = registries_and_defects_at(world, scenario.calendar.as_of)
    perfect = build_registries(scenario, world.persons, world.households, world.accounts, world.links)
    slow, slow_defects = apply_defects(perfect, {"persons": world.persons, "households": world.households},
                                       scenario, scenario.calendar.as_of)
    assert len(fast_defects) > 0
    pd.testing.assert_frame_equal(fast_defects, slow_defects, check_exact=True)
    for name, frame in fast.items():
        pd.testing.assert_frame_equal(frame, slow[name], check_exact=True)
