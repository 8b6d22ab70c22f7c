"""The cleaning helpers a trainee uses on what villages typed (sandbox.course re-exports them)."""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest
from stdnum import luhn
from stdnum.cn import ric

from sandbox.common.columns import canonical_column, column_name
from sandbox.common.identifiers import (
    card_reasons,
    check_card_number,
    check_id_number,
    clean_card_number,
    clean_id_number,
    suggest_id_fix,
)
from sandbox.common.normalize import clean_roster
from sandbox.common.parsing import parse_amount, parse_date, parse_mu, parse_quantity
from sandbox.common.text import CleaningError, clean_text
from sandbox.errors import SandboxError


def make_id(address: str, birth: str, order: int) -> str:
    """A resident ID with the right check character (stdnum computes it from 17 digits)."""
    body = f"{address}{birth}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_card(prefix: str, length: int, seed: int) -> str:
    rnd = random.Random(seed)
    body = prefix + "".join(rnd.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return body + luhn.calc_check_digit(body)


# 商水县 has been 411623 since 2000; before that it was 412723 (周口地区).
VALID_ID = make_id("411623", "20050312", 123)
VALID_OLD_ID = make_id("412723", "19650708", 44)
X_ID = next(make_id("411623", "20030101", n) for n in range(1000)
            if make_id("411623", "20030101", n).endswith("X"))


def with_wrong_check(number: str) -> str:
    wrong = "0" if number[17] != "0" else "1"
    return number[:17] + wrong


def to_full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# ------------------------------------------------------------------ text and IDs

def test_clean_text_makes_full_width_half_width_and_keeps_chinese() -> None:
    assert clean_text("  王庄村 ３组 ") == "王庄村3组"
    assert clean_text("张 三") == "张三"
    assert clean_text("Li  Ming ") == "Li Ming"
    assert clean_text(" E 0001 ", code=True) == "E0001"
    assert clean_text(None) == ""


def test_the_fixtures_are_valid_ids() -> None:
    for number in (VALID_ID, VALID_OLD_ID, X_ID):
        assert ric.is_valid(number)


@pytest.mark.parametrize(
    "typed",
    [
        to_full_width(VALID_ID),
        f"{VALID_ID[:6]} {VALID_ID[6:14]} {VALID_ID[14:]}",
        f"{VALID_ID[:6]}-{VALID_ID[6:14]}-{VALID_ID[14:]}",
        f"  {VALID_ID}\t",
    ],
)
def test_typing_mess_in_an_id_is_cleaned_away(typed: str) -> None:
    assert clean_id_number(typed) == VALID_ID
    assert check_id_number(typed).valid


def test_lower_case_x_and_times_sign_become_upper_x() -> None:
    assert clean_id_number(X_ID.lower()) == X_ID
    assert clean_id_number(X_ID[:17] + "×") == X_ID
    assert check_id_number(X_ID.lower()).valid


def test_bad_check_character_names_the_expected_one_and_suggests_a_fix() -> None:
    typed = with_wrong_check(VALID_ID)
    verdict = check_id_number(typed)
    assert not verdict.valid
    assert verdict.reason == "bad_check_char"
    assert verdict.expected_check == VALID_ID[17]
    assert f"expected {VALID_ID[17]}" in verdict.message
    assert suggest_id_fix(typed) == VALID_ID


def test_no_suggestion_when_the_fault_is_not_the_check_character() -> None:
    assert suggest_id_fix(VALID_ID) is None
    assert suggest_id_fix(VALID_ID[:17]) is None


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "blank"),
        (VALID_ID[:17], "wrong_length"),
        (VALID_OLD_ID[:6] + VALID_OLD_ID[8:17], "old_15_digit"),
        (VALID_ID[:10] + "A" + VALID_ID[11:], "bad_format"),
        (make_id("411623", "20050230", 1), "impossible_birth_date"),
        (make_id("999999", "20050312", 1), "unknown_address_code"),
        # the code must be in force in the birth year: 411623 dates from 2000
        (make_id("411623", "19650312", 1), "unknown_address_code"),
        # stdnum's is_valid raises KeyError here instead of returning False
        (make_id("620201", "19900101", 1), "unknown_address_code"),
    ],
)
def test_invalid_ids_say_which_rule_failed(typed: str, reason: str) -> None:
    verdict = check_id_number(typed)
    assert not verdict.valid
    assert verdict.reason == reason
    assert verdict.message


def _stdnum_accepts(number: str) -> bool:
    try:
        ric.validate(number)
    except Exception:  # KeyError for a few codes, see recipes.md
        return False
    return True


def test_id_check_agrees_with_stdnum_validate() -> None:
    rnd = random.Random(7)
    codes = ["411623", "412723", "411603", "411626", "620201", "110101", "999999"]
    numbers = []
    for _ in range(3000):
        birth = f"{rnd.randint(1930, 2020)}{rnd.randint(1, 13):02d}{rnd.randint(1, 31):02d}"
        number = make_id(rnd.choice(codes), birth, rnd.randint(0, 999))
        if rnd.random() < 0.2:
            number = number[:17] + rnd.choice("0123456789X")
        numbers.append(number)
    verdicts = [check_id_number(n).valid for n in numbers]
    assert verdicts == [_stdnum_accepts(n) for n in numbers]
    assert 0 < sum(verdicts) < len(numbers)


# ------------------------------------------------------------------------ cards

def test_card_number_with_spaces_and_full_width_is_cleaned_and_valid() -> None:
    card = make_card("622848", 19, seed=1)
    typed = to_full_width(card[:4]) + " " + card[4:8] + "-" + card[8:]
    assert clean_card_number(typed) == card
    assert check_card_number(typed).valid


def test_card_with_a_mistyped_digit_fails_luhn() -> None:
    card = make_card("622848", 19, seed=2)
    typo = card[:10] + str((int(card[10]) + 1) % 10) + card[11:]
    verdict = check_card_number(typo)
    assert not verdict.valid
    assert verdict.reason == "bad_luhn"
    assert "Luhn" in verdict.message


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "blank"),
        ("6228 48OO 1234 5678", "not_digits"),  # letter O for zero
        (make_card("62", 15, seed=3), "wrong_length"),
        (make_card("62", 20, seed=3), "wrong_length"),
        (make_card("43", 16, seed=4), "not_unionpay"),
    ],
)
def test_invalid_cards_say_why(typed: str, reason: str) -> None:
    assert check_card_number(typed).reason == reason


def test_column_card_check_agrees_with_the_single_check() -> None:
    rnd = random.Random(5)
    numbers = [make_card(rnd.choice(["62", "6228", "43"]), rnd.randint(15, 20), seed=i) for i in range(2000)]
    numbers = [n if rnd.random() < 0.7 else n[:-1] + rnd.choice("0123456789") for n in numbers]
    numbers += ["", "62a8480012345678"]
    series = pd.Series(numbers)
    assert card_reasons(series).tolist() == [check_card_number(n).reason for n in numbers]


# --------------------------------------------------------- amounts, areas, dates

@pytest.mark.parametrize(
    ("typed", "yuan"),
    [
        ("¥1,234.50", 1234.5),
        ("￥1,234.50", 1234.5),
        ("1234.5元", 1234.5),
        ("１２３", 123.0),
        ("１，２００．００元", 1200.0),
        ("人民币 960 元", 960.0),
        ("1.2万元", 12000.0),
        (88.456, 88.46),
        (1200, 1200.0),
    ],
)
def test_parse_amount(typed: object, yuan: float) -> None:
    assert parse_amount(typed) == yuan


@pytest.mark.parametrize("typed", ["", "abc", "1,5", "12.3.4", "一百元"])
def test_unreadable_amounts_raise_a_sandbox_error_quoting_the_value(typed: str) -> None:
    with pytest.raises(SandboxError) as err:
        parse_amount(typed)
    assert isinstance(err.value, CleaningError)
    if typed:
        assert repr(typed) in str(err.value)


@pytest.mark.parametrize(
    ("typed", "mu"),
    [("3.5亩", 3.5), ("3.5", 3.5), ("３亩５分", 3.5), ("12亩", 12.0), (2.25, 2.25)],
)
def test_parse_mu(typed: object, mu: float) -> None:
    assert parse_mu(typed) == mu


def test_negative_area_is_refused() -> None:
    with pytest.raises(CleaningError, match="negative"):
        parse_mu("-3亩")


def test_parse_quantity_accepts_units() -> None:
    assert parse_quantity("2人") == 2.0
    assert parse_quantity("1台") == 1.0
    assert parse_quantity("3亩5分") == 3.5


@pytest.mark.parametrize(
    "typed",
    ["2022-05-01", "2022/5/1", "2022.5.1", "2022年5月1日", "20220501", "２０２２-０５-０１",
     dt.datetime(2022, 5, 1, 10, 30), pd.Timestamp("2022-05-01")],
)
def test_parse_date(typed: object) -> None:
    assert parse_date(typed) == dt.date(2022, 5, 1)


@pytest.mark.parametrize("typed", ["2022-02-30", "May 1", ""])
def test_unreadable_dates_raise(typed: str) -> None:
    with pytest.raises(CleaningError):
        parse_date(typed)


def test_chinese_headers_map_to_contract_names() -> None:
    assert canonical_column(" 姓名 ") == "name"
    assert canonical_column("身份证号码") == "id_number"
    assert canonical_column("卡号/账号") == "account_number"
    assert canonical_column("金额（元）") == "amount"
    assert canonical_column("面积(亩)") == "quantity"
    assert canonical_column("Entry ID") == "entry_id"
    assert canonical_column("其他") is None
    assert column_name("其他") == "其他"  # an unknown header is kept, tidied


# ------------------------------------------------------------------------ roster

@pytest.fixture
def messy_roster() -> pd.DataFrame:
    card_ok = make_card("622848", 19, seed=10)
    card_typo = card_ok[:12] + str((int(card_ok[12]) + 3) % 10) + card_ok[13:]
    return pd.DataFrame(
        {
            "金额": ["¥1,234.50", "960元", "abc", "１２００"],
            "开户行": ["农业银行", "邮储银行", "农业银行", "中原银行"],
            "序号": ["E0001", "E0002", "Ｅ０００３", "E0004"],
            "卡号/账号": [f"{card_ok[:6]} {card_ok[6:]}", card_typo, card_ok, card_ok],
            "姓名": [" 张 三 ", "李四", "", "王五"],
            "身份证号": [to_full_width(VALID_ID), with_wrong_check(VALID_ID), X_ID.lower(), VALID_OLD_ID],
            "村": ["王庄村", "王庄村 ", "李营村", "李营村"],
            "补贴项目": ["耕地地力保护补贴"] * 4,
            "面积": ["3.5亩", "", "３亩５分", "-2"],
        },
        index=[10, 11, 12, 13],
    )


def test_clean_roster_normalises_columns_and_values(messy_roster: pd.DataFrame) -> None:
    clean, _ = clean_roster(messy_roster)
    assert list(clean.columns) == [
        "entry_id", "village", "name", "id_number", "account_number", "bank", "program",
        "quantity", "amount",
    ]
    assert clean["entry_id"].tolist() == ["E0001", "E0002", "E0003", "E0004"]
    assert clean["name"].tolist() == ["张三", "李四", "", "王五"]
    assert clean["village"].tolist() == ["王庄村", "王庄村", "李营村", "李营村"]
    assert clean.loc[10, "id_number"] == VALID_ID
    assert clean.loc[12, "id_number"] == X_ID
    assert " " not in clean.loc[10, "account_number"]
    assert clean["amount"].tolist()[:2] == [1234.5, 960.0]
    assert pd.isna(clean.loc[12, "amount"])
    assert clean.loc[13, "amount"] == 1200.0
    assert clean.loc[10, "quantity"] == 3.5
    assert clean.loc[12, "quantity"] == 3.5
    assert list(clean.index) == [10, 11, 12, 13]


def test_clean_roster_lists_what_is_invalid_without_fixing_it(messy_roster: pd.DataFrame) -> None:
    clean, issues = clean_roster(messy_roster)
    found = set(zip(issues["entry_id"], issues["field"], issues["issue"], strict=True))
    assert found == {
        ("E0002", "id_number", "bad_check_char"),
        ("E0002", "account_number", "bad_luhn"),
        ("E0003", "name", "blank"),
        ("E0003", "amount", "unreadable"),
        ("E0004", "quantity", "negative"),
    }
    # the bad ID is reported as typed and left as typed (a trainee must check 户籍)
    assert clean.loc[11, "id_number"] == with_wrong_check(VALID_ID)
    bad_id = issues[(issues["entry_id"] == "E0002") & (issues["field"] == "id_number")].iloc[0]
    assert bad_id["value"] == with_wrong_check(VALID_ID)
    assert f"expected {VALID_ID[17]}" in bad_id["message"]
    assert issues["entry_id"].tolist() == sorted(issues["entry_id"])  # roster order


def test_clean_roster_does_not_mutate_its_input(messy_roster: pd.DataFrame) -> None:
    before = messy_roster.copy()
    clean_roster(messy_roster)
    pd.testing.assert_frame_equal(messy_roster, before)


def test_clean_roster_flags_duplicate_entry_ids() -> None:
    roster = pd.DataFrame({"entry_id": ["E1", "E1", "E2"], "name": ["甲", "乙", "丙"]})
    _, issues = clean_roster(roster)
    assert issues[["entry_id", "issue"]].values.tolist() == [["E1", "duplicate"], ["E1", "duplicate"]]


def test_clean_roster_of_a_clean_roster_has_no_issues() -> None:
    roster = pd.DataFrame({
        "entry_id": ["E1"], "name": ["张三"], "id_number": [VALID_ID],
        "account_number": [make_card("6228", 19, seed=9)], "amount": [120.0], "quantity": [1.5],
    })
    clean, issues = clean_roster(roster)
    assert issues.empty
    assert list(issues.columns) == ["entry_id", "field", "value", "issue", "message"]
    assert clean["amount"].tolist() == [120.0]


def test_clean_roster_needs_entry_ids() -> None:
    with pytest.raises(CleaningError, match="entry_id"):
        clean_roster(pd.DataFrame({"姓名": ["张三"]}))


def test_two_headers_for_one_column_are_refused() -> None:
    with pytest.raises(CleaningError, match="卡号"):
        clean_roster(pd.DataFrame({"entry_id": ["E1"], "卡号": ["62"], "账号": ["62"]}))
