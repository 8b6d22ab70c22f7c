"""Reading the reasons trainees type, and what the catalogue says of a few types.

Every type's own declarations are checked in test_conformance.py."""

from __future__ import annotations

import pytest

from sandbox.errors import SandboxError
from sandbox.irregularities import FAULTS, LOOK_ALIKES, fault, parse_reason


def test_data_entry_errors_delay_and_are_fixed_not_rejected() -> None:
    for code in ("data_entry_id", "data_entry_name", "data_entry_card"):
        assert fault(code).harm == "delay" and fault(code).correctable
    assert fault("dead_payee").harm == "money_lost" and not fault("dead_payee").correctable
    assert "deaths" in fault("dead_payee").evidence
    assert "payroll" in fault("public_employee").evidence
    assert "land_contracts" in fault("inflated_area").evidence


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("死亡", "dead_payee"),
        ("已死亡，冒领", "dead_payee"),
        ("冒领", "dead_payee"),
        ("公职人员", "public_employee"),
        ("优亲厚友", "cadre_relative"),
        ("村干部亲属，有车", "cadre_relative"),
        ("重复", "duplicate"),
        ("重复发放", "duplicate"),
        ("面积", "inflated_area"),
        ("虚报面积", "inflated_area"),
        ("超标准", "over_standard"),
        ("金额不对", "over_standard"),
        ("年龄不够", "ineligible"),
        ("不符合条件", "ineligible"),
        ("截留", "proxy_account"),
        ("他人账户", "proxy_account"),
        ("同音字", "data_entry_name"),
        ("户名不符", "data_entry_name"),
        ("卡号错误", "data_entry_card"),
        ("ＤＥＡＤ", "dead_payee"),  # full-width letters from a Chinese input method
        ("deceased", "dead_payee"),
    ],
)
def test_parse_reason_reads_keywords(typed: str, code: str) -> None:
    assert parse_reason(typed) == code


def test_parse_reason_rejects_unknown_words_with_suggestions() -> None:
    with pytest.raises(SandboxError, match="cannot tell") as caught:
        parse_reason("看着不对")
    assert "dead_payee" in str(caught.value)  # lists the codes to choose from
    with pytest.raises(SandboxError, match="did you mean"):
        parse_reason("duplicat")
    with pytest.raises(SandboxError, match="empty"):
        parse_reason("  ")


@pytest.mark.parametrize("typed", ["该人已去世", "财政供养人员不得享受低保", "身份证号错", "NOT_A_REASON"])
def test_a_keyword_inside_other_text_is_offered_never_read(typed: str) -> None:
    """Words are matched whole (tests/test_words.py): a sentence is refused, its keyword offered."""
    with pytest.raises(SandboxError, match="did you mean"):
        parse_reason(typed)


def test_parse_reason_refuses_look_alikes_and_ties() -> None:
    with pytest.raises(SandboxError, match="not an irregularity"):
        parse_reason("户主代领")
    with pytest.raises(SandboxError, match="more than one"):
        parse_reason("死亡 重复")


def test_fault_lookup_suggests_on_a_typo() -> None:
    with pytest.raises(SandboxError, match="dead_payee"):
        fault("dead_payees")


def test_look_alikes_explain_why_they_are_correct() -> None:
    assert set(LOOK_ALIKES) == {"head_card", "same_name", "late_death", "farm_vehicle", "retired_staff", "rented_in",
                                "former_name", "cadre_relative_entitled"}
    for alike in LOOK_ALIKES.values():
        assert alike.why_zh and alike.why_en and alike.tip("zh") and alike.tip("en")
        assert alike.code not in FAULTS
