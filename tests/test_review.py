"""Review and posting (审核、公示): decisions in every form trainees type them, home visits,
objections during 公示, and consequence-weighted scoring."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import attempt_of, oracle_decisions

from sandbox.errors import SubmissionError
from sandbox.platform.harm_money import money_items
from sandbox.platform.visits import BLATANT_FAULTS


def first_with(key: pd.DataFrame, **where) -> dict:
    rows = key
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows), f"the tutorial has no entry with {where}"
    return rows.iloc[0].to_dict()


# --- decisions in every shape ------------------------------------------------------------------

def chinese_decisions(key: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, tuple[str, str]]]:
    dead = first_with(key, fault="dead_payee")
    payroll = first_with(key, fault="public_employee")
    clean = key[(key["fault"] == "") & (key["look_alike"] == "")]
    name_typo = first_with(key, fault="data_entry_name")
    rows = pd.DataFrame({
        "序号": [dead["entry_id"], payroll["entry_id"], clean.iloc[0]["entry_id"], clean.iloc[1]["entry_id"],
               name_typo["entry_id"]],
        "审核结果": ["不通过", "不通过", "通过", "核查", "更正"],
        "原因": ["死亡", "公职人员", "", "", ""],
        "字段": ["", "", "", "", "姓名"],
        "更正值": ["", "", "", "", name_typo["fix_value"]],
    })
    expected = {dead["entry_id"]: ("reject", "dead_payee"), payroll["entry_id"]: ("reject", "public_employee"),
                clean.iloc[0]["entry_id"]: ("approve", ""), clean.iloc[1]["entry_id"]: ("refer", ""),
                name_typo["entry_id"]: ("correct", "")}
    return rows, expected


def write_table(frame: pd.DataFrame, path, kind: str):
    if kind == "gbk":
        path = path / "decisions.csv"
        path.write_bytes(frame.to_csv(index=False).encode("gbk"))
    elif kind == "utf8-bom":
        path = path / "decisions.csv"
        path.write_bytes(frame.to_csv(index=False).encode("utf-8-sig"))
    else:
        path = path / "decisions.xlsx"
        frame.to_excel(path, index=False)
    return path


@pytest.mark.parametrize("kind", ["dataframe", "gbk", "utf8-bom", "xlsx"])
def test_decisions_in_chinese_from_frames_and_files(start, tmp_path, kind):
    session = start()
    rows, expected = chinese_decisions(attempt_of(session).data.key)
    source = rows if kind == "dataframe" else write_table(rows, tmp_path, kind)
    feedback = session.review.submit(source)
    assert sum(feedback["recorded"].values()) == len(rows)
    recorded = session.review.decisions().set_index("entry_id")
    assert {e: (recorded.at[e, "decision"], recorded.at[e, "reason"]) for e in expected} == expected
    correction = session.review.lookup(rows["序号"].iloc[4])["decision"]
    assert correction["field"] == "name" and correction["value"] == rows["更正值"].iloc[4]


BAD_ROWS = {
    "unknown entry": ({"entry_id": "E9999", "decision": "approve"}, "E9999"),
    "duplicate decision": ({"entry_id": "<first>", "decision": "reject", "reason": "死亡"}, "duplicate"),
    "unknown reason": ({"entry_id": "<second>", "decision": "reject", "reason": "看着不像好人"}, "irregularity"),
}


@pytest.mark.parametrize("problem", sorted(BAD_ROWS))
def test_malformed_decisions_are_rejected_whole_naming_the_row(start, problem):
    session = start()
    ids = session.review.roster()["entry_id"].tolist()
    session.review.submit(pd.DataFrame({"entry_id": ids[:3], "decision": ["approve"] * 3}))
    before = session.review.decisions()
    bad_row, words = BAD_ROWS[problem]
    bad_row = {**bad_row, "entry_id": {"<first>": ids[5], "<second>": ids[6]}.get(bad_row["entry_id"],
                                                                                 bad_row["entry_id"])}
    frame = pd.DataFrame([{"entry_id": ids[5], "decision": "reject", "reason": "dead_payee"},
                          {"entry_id": ids[4], "decision": "approve"}, bad_row])
    with pytest.raises(SubmissionError) as caught:
        session.review.submit(frame)
    message = str(caught.value)
    assert "row 4" in message and words in message
    pd.testing.assert_frame_equal(session.review.decisions(), before)


@pytest.mark.parametrize("content", ["", "entry_id,reason\nE0001,死亡\n", "entry_id,decision\n"])
def test_malformed_decision_files_are_rejected(start, tmp_path, content):
    session = start()
    path = tmp_path / "decisions.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SubmissionError) as caught:
        session.review.submit(path)
    assert "decisions.csv" in str(caught.value)
    assert session.review.decisions().empty


# --- home visits (SimPy) -----------------------------------------------------------------------

def test_referrals_come_back_after_the_visit_days_in_order_of_capacity(start, tutorial):
    review = tutorial.review.model_copy(update={"home_visit_capacity_per_day": 2, "home_visit_days": 3})
    session = start(scenario=tutorial.model_copy(update={"review": review}))
    key = attempt_of(session).data.key
    dead = first_with(key, fault="dead_payee")["entry_id"]
    clean = key.loc[key["fault"] == "", "entry_id"].tolist()[:4]
    now = dt.datetime.fromisoformat(session.brief()["today"])
    session.review.submit(pd.DataFrame({"entry_id": [dead, *clean], "decision": ["核查"] * 5}))
    visits = session.review.visits().set_index("entry_id")
    assert (visits["status"] == "pending").all() and (visits["finding_en"] == "").all()
    waits = sorted((pd.Timestamp(t) - pd.Timestamp(now)) / pd.Timedelta(days=1) for t in visits["returns_at"])
    # two teams, a day per household, then three days to write it up
    assert waits == [4, 4, 5, 5, 6]
    done = session.review.wait_for_visits().set_index("entry_id")
    assert (done["status"] == "done").all()
    assert session.brief()["today"] == str(max(pd.Timestamp(t) for t in visits["returns_at"]))
    assert key.set_index("entry_id").at[dead, "evidence_en"] in done.at[dead, "finding_en"]
    assert "genuine" in done.at[clean[0], "finding_en"]


def test_visiting_teams_are_shared_between_batches(start, tutorial):
    """Referring households one by one (as the desk does) does not conjure up more teams."""
    review = tutorial.review.model_copy(update={"home_visit_capacity_per_day": 1, "home_visit_days": 2})
    session = start(scenario=tutorial.model_copy(update={"review": review}))
    ids = session.review.roster()["entry_id"].tolist()[:3]
    for entry_id in ids:
        session.review.decide(entry_id, "refer")
    returns = sorted(pd.Timestamp(t) for t in session.review.visits()["returns_at"])
    assert [(b - a) / pd.Timedelta(days=1) for a, b in zip(returns, returns[1:], strict=False)] == [1, 1]


# --- 公示 and objections -----------------------------------------------------------------------

def test_posting_moves_the_clock_and_blatant_faults_draw_more_objections(start, tutorial):
    hits = {"blatant": 0, "other_fault": 0, "clean": 0}
    totals = dict.fromkeys(hits, 0)
    for seed in range(tutorial.seed, tutorial.seed + 8):
        session = start(seed=seed)
        key = attempt_of(session).data.key.set_index("entry_id")
        ids = session.review.roster()["entry_id"]
        session.review.submit(pd.DataFrame({"entry_id": ids, "decision": "approve"}))
        before = pd.Timestamp(session.brief()["today"])
        objections = session.review.post_notice()
        after = pd.Timestamp(session.brief()["today"])
        assert after - before == pd.Timedelta(days=tutorial.review.posting_days)
        assert objections["arrived_at"].map(pd.Timestamp).between(before, after).all()
        objected = set(objections["entry_id"])
        for entry_id, row in key.iterrows():
            kind = ("blatant" if row["fault"] in BLATANT_FAULTS or (row["fault"] and row["blatant"])
                    else "other_fault" if row["fault"] else "clean")
            totals[kind] += 1
            hits[kind] += entry_id in objected
    rate = {k: hits[k] / totals[k] for k in hits}
    assert rate["blatant"] > 2 * rate["other_fault"] > 0
    assert rate["other_fault"] > 2 * rate["clean"]


def objected_session(start):
    """A session where every entry was approved and posted, and an objection came in."""
    for seed in range(20220601, 20220621):
        session = start(seed=seed)
        ids = session.review.roster()["entry_id"]
        session.review.submit(pd.DataFrame({"entry_id": ids, "decision": "approve"}))
        objections = session.review.post_notice()
        if len(objections):
            return seed, session, objections.iloc[0]
    pytest.fail("no objections in 20 seeds")


def test_upholding_an_objection_rejects_the_entry(start):
    _, session, objection = objected_session(start)
    result = session.review.respond(objection["objection_id"], "属实", "ineligible")
    assert result["decision"] == "reject"
    decision = session.review.decisions().set_index("entry_id").loc[objection["entry_id"]]
    assert decision["decision"] == "reject" and decision["reason"] == "ineligible"
    assert session.review.objections().set_index("objection_id").at[objection["objection_id"], "response"] == "reject"


def test_dismissing_an_objection_keeps_a_correction(start):
    seed, _, objection = objected_session(start)
    # The same seed and the same approved list draw the same objections.
    session = start(seed=seed)
    ids = session.review.roster()["entry_id"]
    session.review.submit(pd.DataFrame({"entry_id": ids, "decision": "approve"}))
    entry_id = objection["entry_id"]
    session.review.decide(entry_id, "correct", field="name", value="王大明")
    assert session.review.post_notice().iloc[0]["entry_id"] == entry_id
    session.review.respond(objection["objection_id"], "dismiss")
    decision = session.review.lookup(entry_id)["decision"]
    assert decision["decision"] == "correct"
    assert [list(c) for c in decision["corrections"]] == [["name", "王大明"]]


# --- scoring -----------------------------------------------------------------------------------

def test_approving_a_dead_payee_loses_its_money_and_names_the_evidence(start):
    session = start()
    attempt = attempt_of(session)
    right = oracle_decisions(attempt)
    session.review.add(attempt.data.omitted[["id_number", "program"]])  # 补录 the families left off
    assert session.review.submit(right).score == 100.0
    dead = first_with(attempt.data.key, fault="dead_payee")
    wrong = right.assign(decision=np.where(right["entry_id"] == dead["entry_id"], "approve", right["decision"]),
                         reason=np.where(right["entry_id"] == dead["entry_id"], "", right["reason"]))
    feedback = session.review.submit(wrong)
    assert feedback.score < 100.0
    improper = feedback["metrics"]["money_improper"]
    assert feedback["metrics"]["money_stopped_share"] < 1 - 0.5 * dead["money_at_stake"] / improper
    [miss] = feedback.misses
    assert miss["entry_id"] == dead["entry_id"] and miss["kind"] == "let_through" and miss["fault"] == "dead_payee"
    assert miss["amount"] == pytest.approx(dead["money_at_stake"])
    assert miss["evidence"] == dead["evidence_en"]


def test_denying_an_eligible_dibao_household_weighs_more_than_a_non_vulnerable_one(start, tutorial):
    session = start()
    attempt = attempt_of(session)
    key = attempt.data.key
    right = oracle_decisions(attempt)
    legit = key[(key["fault"] == "") & (key["look_alike"] == "")]
    dibao = first_with(legit, program="dibao", vulnerable=True)
    other = first_with(legit, vulnerable=False)
    harm_per_yuan = {}
    for case in (dibao, other):
        denied = right.copy()
        denied.loc[denied["entry_id"] == case["entry_id"], ["decision", "reason"]] = ["reject", "ineligible"]
        feedback = session.review.submit(denied)
        [miss] = feedback.misses
        assert miss["entry_id"] == case["entry_id"] and miss["kind"] == "wrongful_denial"
        assert feedback["metrics"]["wrongful_denials"] == 1
        assert feedback.score < 100
        # the ledger's item for this family (docs/scoring.md): its money due, weighed as denied
        [item] = [i for i in money_items(attempt, closed=True) if i.ref == case["entry_id"]]
        assert (item.stage, item.kind, item.yuan) == ("review", "denied", pytest.approx(case["true_amount"]))
        harm_per_yuan[case["entry_id"]] = item.weighted / case["true_amount"]
    ratio = harm_per_yuan[dibao["entry_id"]] / harm_per_yuan[other["entry_id"]]
    assert ratio == pytest.approx(tutorial.scoring.vulnerable_multiplier, rel=1e-3)
    assert ratio > 1


def test_exam_mode_hides_misses_until_feedback_is_released(start):
    session = start(mode="exam")
    attempt = attempt_of(session)
    ids = session.review.roster()["entry_id"]
    progress = session.review.submit(pd.DataFrame({"entry_id": ids, "decision": "approve"}))
    assert "misses" not in progress and "score" not in progress
    final = session.review.finalize(confirm=True)
    assert final["withheld"] is True and final.misses == []
    assert session.report().summary()["misses"] == []
    attempt.feedback_released = True
    released = attempt.feedback_for("review")
    assert any(m["kind"] == "let_through" for m in released["misses"])
    assert any(m["stage"] == "review" for m in session.report().summary()["misses"])
