"""The city view (issue 16): census-scale Zhoukou, the programs list, five monthly batches
beside the seed article, and the problem counties they show. Runs at a reduced scale."""

from __future__ import annotations

import numpy as np
import pytest

from sandbox.city.people import county_people
from sandbox.city.run import run_city
from sandbox.cli import main
from sandbox.common.regions import (
    COUNTY_AGE_BANDS_2020,
    COUNTY_HOUSEHOLD_SIZE_2020,
    COUNTY_POPULATION_2020,
)
from sandbox.errors import SandboxError
from sandbox.programs import PROGRAMS
from sandbox.programs.listing import _entry, departments, listed_programs
from sandbox.scenario import load_scenario

FRACTION = 0.02  # about 180,000 people: a second or two


@pytest.fixture(scope="module")
def zhoukou():
    return load_scenario("zhoukou-2022")


@pytest.fixture(scope="module")
def city_run(zhoukou):
    return run_city(zhoukou, FRACTION)


def test_the_census_city_has_its_ten_counties_and_9026015_people() -> None:
    assert len(COUNTY_POPULATION_2020) == 10
    assert sum(COUNTY_POPULATION_2020.values()) == 9_026_015
    assert all(abs(sum(bands) - 1) < 0.001 for bands in COUNTY_AGE_BANDS_2020.values())


def test_a_county_follows_its_census_size_ages_and_households(zhoukou) -> None:
    county = county_people(zhoukou, "411627", 0.05)  # 太康县
    persons, households = county.persons, county.households
    assert len(persons) == round(1_152_685 * 0.05)
    bands = COUNTY_AGE_BANDS_2020["411627"]
    assert abs((persons["age_years"] >= 60).mean() - sum(bands[12:])) < 0.005
    assert abs((persons["age_years"] < 15).mean() - sum(bands[:3])) < 0.005
    assert abs(households["size"].mean() - COUNTY_HOUSEHOLD_SIZE_2020["411627"]) < 0.03
    assert (persons.loc[persons["is_head"], "age_years"] >= 20).all()
    # ID address codes: 周口地区's 412724 before 2000, 太康县's own 411627 since
    born = persons["birth_year"].to_numpy()
    codes = persons["address_code"].to_numpy()
    assert set(np.unique(codes[born < 2000])) == {412724}
    assert set(np.unique(codes[born >= 2000])) == {411627}


def test_the_same_seed_gives_the_same_county_and_months(zhoukou) -> None:
    a, b = county_people(zhoukou, "411621", 0.01), county_people(zhoukou, "411621", 0.01)
    assert a.persons.equals(b.persons) and a.households.equals(b.households)
    assert run_city(zhoukou, 0.003).kpis.equals(run_city(zhoukou, 0.003).kpis)


def test_the_programs_list_holds_at_least_thirty_real_programs_as_data() -> None:
    listed = listed_programs()
    assert len(listed) >= 30
    for program in listed:
        assert program.department in departments()
        assert program.zh and program.standard and program.eligibility and program.frequency
    assert any(p.paid_jan_may for p in listed) and not all(p.paid_jan_may for p in listed)
    # the village sandbox's programs are the list's entries with a rule
    ruled = {p.code for p in listed_programs(one_card_only=False) if p.rule is not None}
    assert ruled == set(PROGRAMS)


def test_a_wrong_list_entry_names_the_program_and_the_field() -> None:
    raw = {"code": "x_program", "zh": "某补贴", "en": "x", "department": "农业农村", "legal_basis": "",
           "standard": "每人100元", "standard_source": "illustrative", "frequency": "weekly", "eligibility": "…",
           "paid_jan_may": True, "city": {"months": [1], "who": "share", "share": 0.1, "amount": 100}}
    with pytest.raises(SandboxError) as caught:
        _entry(raw, departments())
    assert "x_program" in str(caught.value) and "frequency" in str(caught.value)


def test_the_five_months_change_from_month_to_month(city_run) -> None:
    kpis = city_run.kpis
    assert sorted(kpis["month"].unique()) == [1, 2, 3, 4, 5] and kpis["county"].nunique() == 10
    later = kpis[kpis["month"] > 1]
    assert later["additions"].sum() > 0 and later["stops"].sum() > 0   # 增减变动
    assert later["reissued"].sum() > 0                                 # 补发 after returns
    assert kpis["recovered"].sum() > 0                                  # 追回 after deaths


def test_the_reduced_city_meets_the_article_within_tolerance(capsys) -> None:
    code = main(["calibrate", "scenarios/zhoukou-2022.yaml", "--scale", "city", "--fraction", str(FRACTION)])
    out = capsys.readouterr().out
    for label in ("total paid", "person-times paid", "programs paid", "social security card share",
                  "payout success rate"):
        assert label in out
    assert "out of tolerance" not in out and code == 0


def test_a_city_with_many_unactivated_cards_fails_calibration(tmp_path, capsys) -> None:
    scenario = tmp_path / "broken.yaml"
    scenario.write_text("extends: zhoukou-2022\nname: broken\ncards:\n  status_rates:\n    not_activated: 0.05\n",
                        encoding="utf-8")
    assert main(["calibrate", str(scenario), "--scale", "city", "--fraction", "0.005"]) == 1
    captured = capsys.readouterr()
    assert "payout success rate" in captured.out and "out of tolerance" in captured.out


def test_the_planted_problem_counties_show_in_their_kpis(city_run, zhoukou) -> None:
    by_county = city_run.kpis.groupby("county")
    planted = {p.kind: p.county for p in zhoukou.city.problems}
    month5 = city_run.kpis[city_run.kpis["month"] == 5].set_index("county")
    assert month5["activation_rate"].idxmin() == planted["lagging_activation"]
    assert by_county["days_to_pay"].mean().idxmax() == planted["late_payment"]
    assert (by_county["returns_BE01"].sum() / by_county["payees"].sum()).idxmax() == planted["name_mismatch"]
    assert by_county["posting_rate"].mean().idxmin() == planted["no_posting"]
    recovered = by_county["recovered"].sum() / by_county["paid_after_death"].sum()
    assert recovered.idxmin() == planted["unrecovered"]


def test_a_city_scale_world_points_to_the_county_by_county_run(tmp_path) -> None:
    from sandbox.world import generate_world

    path = tmp_path / "city.yaml"
    path.write_text("extends: zhoukou-2022\nname: city\nregion:\n  scale: city\n", encoding="utf-8")
    with pytest.raises(SandboxError) as caught:
        generate_world(load_scenario(path))
    assert "--scale city" in caught.value.message("en") and "9,026,015" in caught.value.message("zh")


def test_sandbox_programs_lists_the_whole_list(capsys) -> None:
    assert main(["programs", "--list"]) == 0
    out = capsys.readouterr().out
    assert f"{len(listed_programs())} 个项目" in out and "实际种粮农民一次性补贴" in out and "未发放" in out
