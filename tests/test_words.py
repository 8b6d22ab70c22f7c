"""Words are matched whole: a reason, decision or field a trainee types is read only when it is
one of the sandbox's words or aliases (Chinese or English, any width, case or spacing);
anything else is refused with suggestions, never read through a keyword found inside it."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.common.submissions import DECISION_WORDS, parse_decision, read_decisions
from sandbox.errors import SandboxError, SubmissionError
from sandbox.irregularities import FAULTS, parse_reason

SEPARATORS = r"[\s_\-:：,，。.;；/、()（）\"'“”‘’]+"


def normal(text: str) -> str:
    """What a typed word is compared by: width, case and spacing do not matter."""
    return re.sub(SEPARATORS, "", unicodedata.normalize("NFKC", text).casefold())


# The vocabulary, built here from the catalogue, independently of how reasons.py reads it.
REASON_WORDS: dict[str, set[str]] = {}
for _fault in FAULTS.values():
    for _word in (_fault.code, _fault.zh, _fault.en, *re.split(r"[：/]", _fault.zh), *_fault.keywords):
        REASON_WORDS.setdefault(normal(_word), set()).add(_fault.code)


def read_whole(text: str, code: str) -> bool:
    """`text` names `code` by whole words: itself one word, or words between separators."""
    if code in REASON_WORDS.get(normal(text), set()):
        return True
    pieces = [normal(p) for p in re.split(SEPARATORS, unicodedata.normalize("NFKC", text)) if normal(p)]
    return bool(pieces) and all(code in REASON_WORDS.get(p, set()) for p in pieces)


def test_not_a_reason_is_not_inflated_area() -> None:
    """The issue's case: NOT_A_REASON was read as 虚报面积 because it holds "area"."""
    with pytest.raises(SandboxError) as refused:
        parse_reason("NOT_A_REASON")
    assert "cannot tell" in refused.value.message("en") and "did you mean" in refused.value.message("en")
    assert "看不出" in refused.value.message("zh")


@pytest.mark.parametrize(("typed", "code"), [("ＤＥＡＤ", "dead_payee"), (" 死 亡 ", "dead_payee"),
                                             ("Inflated Area", "inflated_area"), ("已死亡，冒领", "dead_payee"),
                                             ("PUBLIC_EMPLOYEE", "public_employee")])
def test_known_words_are_read_in_any_width_case_or_spacing(typed: str, code: str) -> None:
    assert parse_reason(typed) == code


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_any_reason_read_is_made_of_whole_words(text: str) -> None:
    try:
        code = parse_reason(text)
    except SandboxError:
        return
    assert read_whole(text, code), text


WORD_CHARS = st.characters(categories=("L", "N"))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(REASON_WORDS)), st.text(WORD_CHARS, min_size=1, max_size=6), st.booleans())
def test_a_word_with_anything_stuck_to_it_is_refused(word: str, extra: str, before: bool) -> None:
    """A known word inside other text is offered as a suggestion, never read."""
    text = extra + word if before else word + extra
    if normal(text) in REASON_WORDS:
        return  # the whole thing happens to be a word of its own
    with pytest.raises(SandboxError):
        parse_reason(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_a_decision_is_read_only_when_it_is_one_of_the_words(text: str) -> None:
    decision = parse_decision(text)
    known = {normal(w): d for w, d in DECISION_WORDS.items()}
    if decision is not None:
        assert known.get(normal(text)) == decision, text


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(DECISION_WORDS)), st.text(WORD_CHARS, min_size=1, max_size=4))
def test_a_decision_word_inside_other_text_is_not_read(word: str, extra: str) -> None:
    text = f"{extra}{word}"
    if normal(text) in {normal(w) for w in DECISION_WORDS}:
        return
    assert parse_decision(text) is None


def _decide(row: dict) -> pd.DataFrame:
    return read_decisions(pd.DataFrame([row]), ["E0001"], parse_reason)


def test_refusals_in_a_decisions_table_offer_the_words_meant() -> None:
    with pytest.raises(SubmissionError) as refused:
        _decide({"entry_id": "E0001", "decision": "审核通过了", "reason": ""})
    assert "'审核通过'" in refused.value.message("en")
    with pytest.raises(SubmissionError) as refused:
        _decide({"entry_id": "E0001", "decision": "不通过", "reason": "NOT_A_REASON"})
    assert "did you mean" in refused.value.message("en")
    with pytest.raises(SubmissionError) as refused:
        _decide({"entry_id": "E0001", "decision": "更正", "field": "姓名错了", "value": "张三"})
    assert "'姓名'" in refused.value.message("en")
    assert _decide({"entry_id": "E0001", "decision": "更正", "field": "Ｎａｍｅ", "value": "张三"})["field"].tolist() == ["name"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_a_field_is_read_only_when_it_names_a_correctable_column(typed: str) -> None:
    from sandbox.common.columns import column_name

    try:
        result = _decide({"entry_id": "E0001", "decision": "更正", "field": typed, "value": "1"})
    except SubmissionError:
        return
    assert result["field"].tolist() == [column_name(typed)]
