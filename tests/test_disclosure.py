"""Disclosure (信息公开): the public table is checked for leaks and against what was paid."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.common.masking import mask_id_number, publish_table, to_csv_for_publication
from sandbox.errors import SandboxError, SubmissionError
from sandbox.personas import careful_fix, pay_and_fix, reconcile_from_results, review_carefully
from sandbox.platform.attempt import open_attempt
from sandbox.platform.harm import score_of
from sandbox.platform.reference import reference
from sandbox.platform.stages.disclosure import DisclosureStage
from sandbox.scenario import Masking
from sandbox.session.session import Session, attempt_behind

TUTORIAL = "tutorial"  # a shipped scenario, by name
FULL_ID = re.compile(r"\d{17}[\dX]")


def paid_session(lang: str = "en") -> Session:
    """A session where a careful trainee has reviewed, paid and reconciled the period."""
    session = Session.start(TUTORIAL, lang=lang)
    review_carefully(session, use_registries=True)
    pay_and_fix(session, careful_fix)
    reconcile_from_results(session)
    return session


@pytest.fixture(scope="module")
def draft() -> pd.DataFrame:
    return paid_session().disclosure.draft()


@pytest.fixture
def session() -> Session:
    return paid_session()


def reference_of(session: Session) -> float:
    """R, the reference harm scores are measured against (docs/scoring.md)."""
    return reference(attempt_behind(session))["value"]


def policy_of(session: Session) -> Masking:
    return Masking(**session.disclosure.policy())


def test_draft_holds_the_credited_lines_with_full_personal_data(draft: pd.DataFrame) -> None:
    assert len(draft) > 100
    assert draft["id_number"].str.fullmatch(FULL_ID).all()  # the trainee must mask these
    assert {"name", "program", "period", "amount", "account_number", "phone", "address"} <= set(draft.columns)
    assert (draft["amount"] > 0).all()


def test_a_table_from_the_export_helper_scores_full_marks(session: Session) -> None:
    table = publish_table(session.disclosure.draft(), policy_of(session))
    feedback = session.disclosure.publish(table, confirm=True)
    assert feedback.score == 100
    assert feedback["metrics"]["privacy_violations"] == 0
    assert feedback["metrics"]["rows_missing"] == 0
    assert feedback["metrics"]["amount_mismatches"] == 0


def test_publishing_the_raw_draft_leaks_and_names_row_and_column(session: Session) -> None:
    draft = session.disclosure.draft()
    feedback = session.disclosure.publish(draft, confirm=True)
    metrics = feedback["metrics"]
    # everyone on the list exposed: ¥privacy_violation a person against the reference harm R
    weight = open_attempt(TUTORIAL).scenario.scoring.privacy_violation
    assert metrics["people_exposed"] == len(draft)
    assert feedback.score == pytest.approx(score_of(len(draft) * weight, reference_of(session)), abs=0.01)
    assert feedback.score < 10
    assert metrics["privacy_by_kind"]["full_id"] == len(draft)
    assert metrics["privacy_by_kind"]["full_card"] == len(draft)
    evidence = [m["evidence"] for m in feedback.misses if m["kind"] == "full_id"]
    assert "row 2, column 'id_number'" in evidence[0]
    # The feedback names the leak without repeating it.
    assert not any(FULL_ID.search(m["evidence"]) for m in feedback.misses)


def test_one_full_id_costs_the_scenarios_privacy_weight(session: Session) -> None:
    draft = session.disclosure.draft()
    table = publish_table(draft, policy_of(session))
    table.loc[4, "id_number"] = draft.loc[4, "id_number"]
    feedback = session.disclosure.publish(table, confirm=True)
    weight = open_attempt(TUTORIAL).scenario.scoring.privacy_violation
    assert feedback["metrics"]["privacy_violations"] == 1
    assert feedback.score == pytest.approx(score_of(weight, reference_of(session)), abs=0.01)
    (miss,) = [m for m in feedback.misses if m["fault"] == "privacy"]
    assert miss["entry_id"] == "row 6"  # data row 5 of the sheet, under the header
    assert mask_id_number(draft.loc[4, "id_number"], policy_of(session)) in miss["evidence"]


def test_a_disguised_id_costs_what_a_plain_one_costs(session: Session) -> None:
    """Written with dots and a zero-width space in a remark column, an ID is still one
    person exposed, named by row and column without the number."""
    draft = session.disclosure.draft()
    table = publish_table(draft, policy_of(session))
    full = draft.loc[4, "id_number"]
    table["备注"] = ""
    table.loc[4, "备注"] = f"核实 {full[:6]}.{full[6:14]}\u200b.{full[14:]}"
    feedback = session.disclosure.publish(table, confirm=True)
    weight = open_attempt(TUTORIAL).scenario.scoring.privacy_violation
    assert feedback["metrics"]["privacy_by_kind"] == {"full_id": 1}
    assert feedback.score == pytest.approx(score_of(weight, reference_of(session)), abs=0.01)
    (miss,) = [m for m in feedback.misses if m["fault"] == "privacy"]
    assert miss["entry_id"] == "row 6" and "'备注'" in miss["evidence"] and full not in miss["evidence"]


def test_a_missing_row_and_a_wrong_amount_are_found(session: Session) -> None:
    table = publish_table(session.disclosure.draft(), policy_of(session))
    dropped = table.iloc[3]
    table = table.drop(index=3).reset_index(drop=True)
    table.loc[0, "amount"] = table.loc[0, "amount"] + 10
    feedback = session.disclosure.publish(table, confirm=True)
    metrics = feedback["metrics"]
    assert metrics["rows_missing"] == 1
    assert metrics["amount_mismatches"] == 1
    assert 0 < feedback.score < 100
    missing = [m for m in feedback.misses if m["kind"] == "not_published"]
    assert missing[0]["amount"] == pytest.approx(dropped["amount"])


def test_a_table_without_amounts_is_rejected_whole_and_nothing_is_lost(session: Session) -> None:
    table = publish_table(session.disclosure.draft(), policy_of(session))
    with pytest.raises(SubmissionError, match="no amount column"):
        session.disclosure.publish(table.drop(columns=["amount"]), confirm=True)
    assert session.disclosure.publish(table, confirm=True).score == 100


def test_an_unreadable_amount_names_its_row(session: Session) -> None:
    table = publish_table(session.disclosure.draft(), policy_of(session)).astype({"amount": object})
    table.loc[2, "amount"] = "一百元"
    with pytest.raises(SubmissionError, match="row 4"):
        session.disclosure.publish(table, confirm=True)


def test_a_csv_with_chinese_headers_is_accepted(session: Session, tmp_path: Path) -> None:
    path = to_csv_for_publication(session.disclosure.draft(), tmp_path / "公开.csv", policy_of(session))
    assert session.disclosure.publish(path, confirm=True).score == 100


def test_a_publication_cannot_be_withdrawn(session: Session) -> None:
    table = publish_table(session.disclosure.draft(), policy_of(session))
    session.disclosure.publish(table, confirm=True)
    with pytest.raises(SandboxError, match="published already"):  # another table: refused
        session.disclosure.publish(table.head(1), confirm=True)
    # The same cell run again shows the recorded result (tests/test_rerun.py), nothing more.
    assert session.disclosure.publish(table, confirm=True)["again"] is True


def test_nothing_to_publish_before_payout() -> None:
    with pytest.raises(SandboxError, match="nothing has been paid"):
        Session.start(TUTORIAL).disclosure.draft()


# --- property: the export helper always passes the platform's check -------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(body: str) -> str:
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def luhn_card(body: str) -> str:
    total = sum((d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 == 0 else d
                for i, d in enumerate(int(c) for c in reversed(body)))
    return body + str((10 - total % 10) % 10)


class FakePayout:
    """Stands in for the payout stage with a given payments table (no line went through the
    banks, so the harm ledger sees nothing paid)."""

    def __init__(self, payments: pd.DataFrame) -> None:
        self._payments = payments
        self.lines = pd.DataFrame()
        self.fixes: dict = {}

    def payments(self) -> pd.DataFrame:
        return self._payments


payment_lines = st.lists(
    st.tuples(
        st.dates(min_value=pd.Timestamp("1930-01-01").date(), max_value=pd.Timestamp("2004-12-31").date()),
        st.integers(0, 999),
        st.text("0123456789", min_size=13, max_size=16),
        st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=2, max_size=3),
        st.sampled_from(["basic_pension", "old_age_allowance", "farmland_fertility", "dibao"]),
        st.decimals(min_value="0.01", max_value="99999.99", places=2),
    ),
    min_size=1, max_size=12, unique_by=lambda t: (t[0], t[1]),
)
policies = st.builds(Masking, id_keep_start=st.integers(0, 6), id_keep_end=st.integers(0, 4),
                     card_keep_end=st.integers(0, 4), show_name=st.booleans())


@pytest.fixture(scope="module")
def attempt():
    return open_attempt(TUTORIAL)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=payment_lines, policy=policies)
def test_export_helper_output_passes_the_stage_check_for_any_payments(attempt, lines, policy: Masking) -> None:
    rows = [{"line_id": f"L{i:05d}", "entry_id": f"E{i:04d}", "program": program, "village": "后梁屯村",
             "payee_name": name, "payee_id_number": resident_id(f"411623{born:%Y%m%d}{order:03d}"),
             "account_number": luhn_card("62" + digits), "bank": "中国农业银行", "amount": float(amount),
             "status": "credited", "code": "", "credited_at": "2022-06-13 09:00:00", "source_line_id": ""}
            for i, (born, order, digits, name, program, amount) in enumerate(lines)]
    attempt.scenario = attempt.scenario.model_copy(update={"masking": policy})
    attempt.stages["payout"] = FakePayout(pd.DataFrame(rows))
    stage = DisclosureStage(attempt)
    result = stage.publish(publish_table(stage.draft(), policy), confirm=True)
    assert result["metrics"]["privacy_violations"] == 0
    assert result["metrics"]["rows_missing"] == 0
    assert result["metrics"]["amount_mismatches"] == 0
