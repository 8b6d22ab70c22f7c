"""Imperfect registries, inconclusive home visits, and 应享未享 / 补录 (issue 11)."""

from __future__ import annotations

import pandas as pd
import pytest

from sandbox.errors import ScenarioError, SubmissionError
from sandbox.personas.omissions import find_omitted
from sandbox.personas.visits import settle_visits
from sandbox.scenario import load_scenario
from sandbox.scenario.schema import RegistryDefects
from sandbox.session.session import Session, attempt_behind
from sandbox.world import generate_world, registries_at

RATES = {
    "deaths": {"missing_share": 0.1, "conflict_share": 0.05, "lag_days": 60},
    "residents": {"stale_share": 0.01, "conflict_share": 0.01},
    "vehicles": {"stale_share": 0.1},
    "payroll": {"stale_share": 0.1},
    "disability": {"conflict_share": 0.1, "missing_share": 0.1},
    "card_status": {"missing_share": 0.05},
}


def _with(scenario, **update):
    return scenario.model_copy(update=update)


@pytest.fixture(scope="module")
def perfect_and_flawed():
    base = load_scenario("zhoukou-2022")
    perfect = generate_world(_with(base, registries=RegistryDefects()))
    flawed = generate_world(_with(base, registries=RegistryDefects.model_validate(RATES)))
    return perfect, flawed


def test_defects_are_applied_at_the_asked_rates(perfect_and_flawed):
    perfect, flawed = perfect_and_flawed
    clean, bad = perfect.registries, flawed.registries
    counts = flawed.defects.groupby(["registry", "kind"]).size()
    # missing: about the share of rows (per-person draws), within sampling tolerance
    cards = counts[("card_status", "missing")]
    assert 0.03 < cards / clean["card_status"]["id_number"].nunique() < 0.07
    # stale and conflict rows: the share of the registry's rows, exactly (rounded)
    assert counts[("vehicles", "stale")] == round(0.1 * len(clean["vehicles"]))
    assert len(bad["vehicles"]) == len(clean["vehicles"]) + counts[("vehicles", "stale")]
    assert counts[("payroll", "stale")] == round(0.1 * len(clean["payroll"]))
    # stale payroll rows are people not on the true payroll
    stale = flawed.defects.query("registry == 'payroll' and kind == 'stale'")
    assert not flawed.persons.set_index("person_id").loc[stale["person_id"], "public_employee"].any()
    # a conflicting residents birth date differs from the ID number's birth date
    residents = bad["residents"].drop_duplicates("id_number").set_index("id_number")
    conflict = flawed.defects.query("registry == 'residents' and kind == 'conflict'")["id_number"]
    born = pd.to_datetime(residents.loc[conflict, "birth_date"]).dt.strftime("%Y%m%d")
    assert (born != conflict.str[6:14].to_numpy()).all() and len(conflict) > 0
    # two grades for one person in the disability register
    grades = bad["disability"].groupby("id_number")["grade"].nunique()
    assert (grades > 1).sum() == counts[("disability", "conflict")]
    # deaths listed for people who are alive, and late deaths absent (and still in 户籍)
    listed_dead = flawed.defects.query("registry == 'deaths' and kind == 'conflict'")["person_id"]
    assert flawed.persons.set_index("person_id").loc[listed_dead, "alive"].all()
    late = flawed.defects.query("registry == 'deaths' and kind == 'lag'")["id_number"]
    assert len(late) > 0 and not late.isin(bad["deaths"]["id_number"]).any()
    assert late.isin(bad["residents"]["id_number"]).all()


def test_defects_are_deterministic_and_stable_across_dates(perfect_and_flawed):
    _, flawed = perfect_and_flawed
    again = generate_world(flawed.scenario)
    pd.testing.assert_frame_equal(again.defects, flawed.defects)
    for name, frame in flawed.registries.items():
        pd.testing.assert_frame_equal(again.registries[name], frame)
    # a later month keeps the same stale vehicles (offices do not clean up by themselves)
    later = registries_at(flawed, pd.Timestamp("2022-07-01").date())
    stale_plates = set(flawed.registries["vehicles"]["plate"]) - set(generate_world(
        _with(flawed.scenario, registries=RegistryDefects())).registries["vehicles"]["plate"])
    assert stale_plates and stale_plates <= set(later["vehicles"]["plate"])


def test_a_perfect_scenario_has_no_defects():
    world = generate_world(_with(load_scenario("tutorial"), registries=RegistryDefects()))
    assert world.defects.empty


@pytest.mark.parametrize(("registries", "words"), [
    ({"deathz": {"lag_days": 3}}, ["unknown key 'deathz'", "deaths", "vehicles"]),
    ({"payroll": {"lag_days": 3}}, ["lag_days", "deaths, vehicles, businesses"]),
    ({"vehicles": {"missing_share": 0.9}}, ["registries.vehicles.missing_share"]),
])
def test_bad_registry_settings_are_rejected_with_the_known_names(tmp_path, registries, words):
    import yaml

    data = yaml.safe_load(open("sandbox/scenario/shipped/tutorial.yaml", encoding="utf-8"))
    data["registries"] = registries
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    for word in words:
        assert word in str(caught.value)


def _session(**review):
    scenario = load_scenario("tutorial")
    scenario = _with(scenario, review=scenario.review.model_copy(update=review))
    return Session.start(scenario, lang="en")


def test_inconclusive_visits_happen_at_the_rate_and_may_be_referred_again():
    session = _session(visit_inconclusive_rate=0.4)
    roster = session.review.roster()
    session.review.submit(pd.DataFrame({"entry_id": roster["entry_id"], "decision": "refer"}))
    visits = session.review.wait_for_visits()
    share = visits["inconclusive"].mean()
    assert 0.28 < share < 0.52, share
    assert visits.loc[visits["inconclusive"], "finding_zh"].str.contains("家中无人").all()
    again = visits.loc[visits["inconclusive"], "entry_id"]
    before = session.brief()["today"]
    session.review.submit(pd.DataFrame({"entry_id": again, "decision": "refer"}))
    second = session.review.wait_for_visits().set_index("entry_id").loc[again]
    assert (second["visit_no"] == 2).all()
    assert session.brief()["today"] > before  # a second visit costs its days again
    # a conclusive visit is not repeated: referring it again schedules nothing
    done = visits.loc[~visits["inconclusive"], "entry_id"].iloc[:1]
    session.review.submit(pd.DataFrame({"entry_id": done, "decision": "refer"}))
    assert session.review.visits().set_index("entry_id").at[done.iloc[0], "visit_no"] == 1
    final = settle_visits(session)
    assert not final["inconclusive"].any()
    session.review.submit(pd.DataFrame({"entry_id": roster["entry_id"], "decision": "approve"}))
    metrics = attempt_behind(session).stages["review"]._score().metrics
    assert metrics["home_visits"] > len(roster)
    assert metrics["home_visit_days_waited"] > 0


def test_a_visit_settles_a_registry_conflict():
    session = _session()
    attempt = attempt_behind(session)
    defects = attempt.world.defects
    truth = attempt.data.truth
    touched = truth[truth["payee_person_id"].isin(defects["person_id"])]
    assert len(touched), "the tutorial should have an entry touched by a registry defect"
    entry_id = touched["entry_id"].iloc[0]
    session.review.decide(entry_id, "refer")
    visits = settle_visits(session).set_index("entry_id")
    assert "登记核实" in visits.at[entry_id, "finding_zh"]


def test_add_fills_validates_and_scores_left_off_families(tmp_path):
    book = tmp_path / "book.sqlite"
    session = Session.start("tutorial", lang="en", gradebook=book)
    attempt = attempt_behind(session)
    omitted = attempt.data.omitted
    assert len(omitted) >= 1
    found = find_omitted(session)
    key = set(zip(omitted["id_number"], omitted["program"], strict=True))
    assert key <= set(zip(found["id_number"], found["program"], strict=True))
    with pytest.raises(SubmissionError) as caught:
        session.review.add(pd.DataFrame({"id_number": ["110101199003070000"], "program": ["nope"]}))
    text = str(caught.value)
    assert "row 2, column 'id_number'" in text and "查无此人" in text and "未知补贴项目" in text
    first = omitted.iloc[:1]
    session.review.add(first[["id_number", "program"]])
    roster = session.review.roster()
    added = roster[roster["entry_id"].str.startswith("B")]
    assert added["decision"].tolist() == ["approve"]
    assert added["name"].iloc[0] == first["name"].iloc[0]  # the platform filled the name
    with pytest.raises(SubmissionError, match="already on the"):
        session.review.add(first[["id_number", "program"]])
    score = attempt.stages["review"]._score()
    left_off = [m for m in score.misses if m.kind == "left_off"]
    assert len(left_off) == len(omitted) - 1
    assert score.metrics["left_off_not_added"] == len(omitted) - 1
    # resume replays the addition
    again = Session.start("tutorial", lang="en", gradebook=book)
    assert "B0001" in set(again.review.roster()["entry_id"])


def test_adding_somebody_not_entitled_lets_money_through():
    session = _session()
    attempt = attempt_behind(session)
    young = attempt.world.persons.query("alive and age < 60").iloc[0]
    session.review.add(pd.DataFrame({"id_number": [young["id_number"]], "program": ["old_age_allowance"]}))
    score = attempt.stages["review"]._score()
    assert any(m.kind == "let_through" and m.entry_id == "B0001" for m in score.misses)


def test_add_takes_the_program_names_operators_type():
    """补录 from a Chinese sheet: 低保, 特困, 高龄补贴… and the full names all work."""
    session = _session()
    attempt = attempt_behind(session)
    omitted = attempt.data.omitted
    everyday = {"dibao": "低保", "tekun": "特困", "old_age_allowance": "高龄补贴", "basic_pension": "养老金",
                "severe_disability_care": "护理补贴", "disabled_living": "困难残疾人生活补贴",
                "farmland_fertility": "耕地地力保护补贴"}
    rows = omitted[omitted["program"].isin(everyday)].iloc[:2]
    assert len(rows), "the tutorial leaves somebody off a program with an everyday name"
    sheet = pd.DataFrame({"身份证号": rows["id_number"], "补贴项目": rows["program"].map(everyday)})
    session.review.add(sheet)
    added = session.review.roster()
    added = added[added["entry_id"].str.startswith("B")]
    assert sorted(added["program"]) == sorted(rows["program"])
    with pytest.raises(SubmissionError, match="未知补贴项目补贴，可选：耕地地力保护补贴"):
        session.review.add(pd.DataFrame({"身份证号": rows["id_number"].iloc[:1], "补贴项目": ["补贴"]}))


def test_an_added_amount_does_not_tell_whether_the_person_is_entitled():
    """补录 of a household that is not on 低保 shows what the 低保 formula gives its records —
    not a fixed stand-in that only the unentitled get, which would answer the review."""
    from sandbox.programs import catalogue
    from sandbox.programs.entitlements import amount_for, beneficiary_frame

    session = _session()
    attempt = attempt_behind(session)
    dibao = next(p for p in catalogue(attempt.scenario) if p.code == "dibao")
    frame = beneficiary_frame(attempt.world.persons, attempt.world.households,
                              attempt.scenario.calendar.period_start)
    heads = frame[frame["is_head"] & frame["alive_at_period_start"]]
    entitled = set(attempt.entitlements.query("program == 'dibao'")["household_id"])
    amounts = amount_for(dibao, heads)
    typical = attempt.entitlements.query("program == 'dibao'")["amount"].median()
    candidates = heads[~heads["household_id"].isin(entitled) & amounts.gt(0) & amounts.ne(typical)]
    assert len(candidates), "the tutorial has a household off 低保 whose records the formula would pay"
    head = candidates.iloc[0]
    session.review.add(pd.DataFrame({"id_number": [head["id_number"]], "program": ["低保"]}))
    added = session.review.roster().set_index("entry_id").loc["B0001"]
    assert float(added["amount"]) == round(float(amounts.loc[head.name]), 2)
