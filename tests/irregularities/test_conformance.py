"""Every registered irregularity type fulfils the contract of sandbox/irregularities/base.py.

A new type module passes this file before it gets its own small test (see docs/authoring.md).
"""

from __future__ import annotations

import re

import pytest

from sandbox.irregularities import (
    EVIDENCE_SOURCES,
    FAULTS,
    Check,
    Irregularity,
    Money,
    Planting,
    parse_reason,
)
from sandbox.scenario import Irregularities
from sandbox.scenario.docs import fields_markdown

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3}")
TEXTS = ("", "rule_", "tip_", "objection_", "rectification_")  # each has a _zh and an _en
TYPES = list(FAULTS.values())


def overrides(irregularity: Irregularity, method: str) -> bool:
    return getattr(type(irregularity), method) is not getattr(Irregularity, method)


@pytest.mark.parametrize("irregularity", TYPES, ids=lambda irregularity: irregularity.code)
def test_declares_everything_the_contract_asks(irregularity: Irregularity) -> None:
    assert irregularity.harm in ("money_lost", "delay") and 1 <= irregularity.severity <= 3
    assert isinstance(irregularity.money, Money) and isinstance(irregularity.planting, Planting)
    assert isinstance(irregularity.check, Check)
    assert irregularity.evidence and set(irregularity.evidence) <= set(EVIDENCE_SOURCES)
    assert irregularity.keywords
    assert irregularity.decision in ("reject", "correct")
    # A correction says which field it sets; a rejection sets none.
    assert bool(irregularity.fix_field) == irregularity.correctable
    # What a delay harms is due money; what is lost money is not due, or not all of it.
    assert (irregularity.harm == "delay") == (irregularity.money == Money.ENTITLED)
    # A visit report on a rejected type must be readable by the careful persona.
    assert irregularity.correctable or irregularity.report_words
    # The careful persona has a rule for it: its own, or the standard one over a registry proof.
    by_registry = overrides(irregularity, "proven_by_registry")
    assert overrides(irregularity, "plant") and (by_registry or overrides(irregularity, "review"))
    # The inspection recovers every kind of improper money (a delay leaves none).
    assert by_registry or overrides(irregularity, "inspect") or irregularity.money == Money.ENTITLED


@pytest.mark.parametrize("irregularity", TYPES, ids=lambda irregularity: irregularity.code)
def test_its_rate_field_is_in_the_schema_and_the_docs(irregularity: Irregularity) -> None:
    field = Irregularities.model_fields[irregularity.code]
    assert field.default == irregularity.rate.default
    assert field.description == irregularity.rate.description
    bounds = {key: getattr(m, key) for m in field.metadata for key in ("ge", "le")
              if getattr(m, key, None) is not None}
    assert bounds == {"ge": 0.0, "le": irregularity.rate.maximum}
    assert 0 <= irregularity.rate.default <= irregularity.rate.maximum
    assert f"`irregularities.{irregularity.code}`" in fields_markdown()


@pytest.mark.parametrize("irregularity", TYPES, ids=lambda irregularity: irregularity.code)
def test_texts_are_in_chinese_and_english(irregularity: Irregularity) -> None:
    for prefix in TEXTS:
        zh, en = getattr(irregularity, f"{prefix}zh"), getattr(irregularity, f"{prefix}en")
        assert CJK.search(zh), f"{irregularity.code}.{prefix}zh"
        assert LATIN.search(en), f"{irregularity.code}.{prefix}en"
    for lang in ("zh", "en"):
        assert "某某" in irregularity.objection("某某", lang)


@pytest.mark.parametrize("irregularity", TYPES, ids=lambda irregularity: irregularity.code)
def test_parse_reason_finds_it_by_its_names(irregularity: Irregularity) -> None:
    for name in (irregularity.code, irregularity.zh, irregularity.en, irregularity.keywords[0]):
        assert parse_reason(name) == irregularity.code, name


def test_the_registry_is_the_schemas_order_and_plants_phase_by_phase() -> None:
    assert list(FAULTS) == [f for f in Irregularities.model_fields if f != "messy_typing"]
    phases = [irregularity.planting for irregularity in FAULTS.in_planting_order()]
    assert phases == sorted(phases, key=list(Planting).index)
    assert len(FAULTS.where(money=Money.SECOND_PAYMENT)) == 1  # what a double credit counts as


def test_a_type_that_leaves_a_declaration_out_is_refused() -> None:
    with pytest.raises(TypeError, match="does not declare .*objection_zh"):
        class Careless(Irregularity):  # noqa: F841 - defining it is the test
            code = "careless"
            zh, en = "粗心", "careless"


def test_a_type_that_cannot_plant_cannot_be_used() -> None:
    declared = {name: getattr(FAULTS["dead_payee"], name) for name in Irregularity.DECLARED}
    unplantable = type("Unplantable", (Irregularity,), declared)  # every declaration, no plant
    with pytest.raises(TypeError, match="plant"):
        unplantable()
