"""Masking and the privacy checker: nothing published carries a full ID, card or phone."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.common.masking import (
    address_to_village,
    check_published,
    mask_card_number,
    mask_id_number,
    mask_name,
    publish_table,
    to_csv_for_publication,
    to_html_for_publication,
)
from sandbox.errors import SandboxError
from sandbox.scenario import ZHOUKOU_COUNTIES, Masking

POLICY = Masking()

# --- independent builders (the test does not trust the module's own check digits) -------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def gb11643_check(body17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(body17, ID_WEIGHTS, strict=True)) % 11]


def luhn_complete(body: str) -> str:
    """Append the Luhn check digit to `body`."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:  # these get doubled once the check digit is appended
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def test_builders_agree_with_known_numbers() -> None:
    assert gb11643_check("11010519491231002") == "X"  # the GB 11643 standard's example
    assert luhn_complete("7992739871") == "79927398713"  # the classic Luhn example


resident_ids = st.builds(
    lambda code, born, order: (body := f"{code}{born:%Y%m%d}{order:03d}") + gb11643_check(body),
    st.sampled_from(sorted(ZHOUKOU_COUNTIES)),
    st.dates(min_value=pd.Timestamp("1930-01-01").date(), max_value=pd.Timestamp("2020-12-31").date()),
    st.integers(0, 999),
)

card_numbers = st.integers(16, 19).flatmap(
    lambda n: st.text("0123456789", min_size=n - 3, max_size=n - 3).map(lambda d: luhn_complete("62" + d))
)

chinese_names = st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=2, max_size=4
)

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def spaced(number: str, style: int) -> str:
    """The ways people type a number: groups of 4, 6-8-4, dashes, full width, lower x."""
    if style == 0:
        return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    if style == 1:
        return f" {number[:6]} {number[6:14]} {number[14:]} "
    if style == 2:
        return "-".join(number[i : i + 4] for i in range(0, len(number), 4))
    if style == 3:
        return number.translate(FULL_WIDTH)
    if style == 4:
        return number.lower()
    return number


policies = st.builds(
    Masking,
    id_keep_start=st.integers(0, 6),
    id_keep_end=st.integers(0, 4),
    card_keep_end=st.integers(0, 4),
    show_name=st.booleans(),
)

VILLAGES = ["王庄村", "李楼村", "五楼村", "十里铺村", "后营社区"]
PROGRAMS = ["耕地地力保护补贴", "城乡居民基础养老金", "高龄津贴"]


@st.composite
def payment_rows(draw: st.DrawFn) -> dict[str, object]:
    person_id, card = draw(resident_ids), draw(card_numbers)
    name = draw(chinese_names)
    village = draw(st.sampled_from(VILLAGES))
    # Sometimes an identifier is typed into a free-text column as well.
    stray = draw(st.sampled_from(["", person_id, card]))
    return {
        "name": f"{name} {spaced(stray, draw(st.integers(0, 5)))}".strip(),
        "id_number": spaced(person_id, draw(st.integers(0, 5))),
        "account_number": spaced(card, draw(st.integers(0, 5))),
        "phone": f"1{draw(st.integers(3, 9))}{draw(st.integers(0, 10**9 - 1)):09d}",
        "address": f"{village}{draw(st.integers(1, 12))}组{draw(st.integers(1, 99))}号 {stray}",
        "amount": draw(st.floats(0, 100_000, allow_nan=False)),
        "program": draw(st.sampled_from(PROGRAMS)),
        "period": "2022-05",
        "village": village,
        "备注": f"卡号 {spaced(card, 0)}",
        "_secrets": (person_id, card),
    }


payment_tables = st.lists(payment_rows(), min_size=1, max_size=6).map(pd.DataFrame)


def secrets_of(df: pd.DataFrame) -> list[str]:
    return [s for pair in df.pop("_secrets") for s in pair]


def leaks_in(text: str, secrets: list[str]) -> list[str]:
    """Full numbers in output text, found without the module's code."""
    compact = re.sub(r"[\s\-]", "", text).upper()
    planted = [s for s in secrets if s.upper() in compact]
    long_runs = re.findall(r"[0-9]{16,}|[0-9]{17}X", compact)
    return planted + long_runs


EXPORT_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# --- the export helpers never emit a full number ---------------------------------------------


@EXPORT_SETTINGS
@given(df=payment_tables, policy=policies)
def test_publish_table_never_shows_a_full_number(df: pd.DataFrame, policy: Masking) -> None:
    secrets = secrets_of(df)
    published = publish_table(df, policy)
    assert leaks_in(published.to_csv(index=False), secrets) == []
    assert "phone" not in published.columns and "备注" not in published.columns
    assert check_published(published, df, policy) == []


@EXPORT_SETTINGS
@given(df=payment_tables, policy=policies)
def test_csv_export_never_shows_a_full_number(
    df: pd.DataFrame, policy: Masking, tmp_path: Path
) -> None:
    secrets = secrets_of(df)
    path = to_csv_for_publication(df, tmp_path / "公示.csv", policy)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    assert leaks_in(path.read_text(encoding="utf-8-sig"), secrets) == []
    reread = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert check_published(reread, df, policy) == []


@EXPORT_SETTINGS
@given(df=payment_tables, policy=policies)
def test_html_export_never_shows_a_full_number(df: pd.DataFrame, policy: Masking) -> None:
    secrets = secrets_of(df)
    html = to_html_for_publication(df, policy)
    assert leaks_in(html, secrets) == []
    assert "<table" in html and "身份证号" in html


# --- the checker finds what is planted ----------------------------------------------------


@st.composite
def planted_leaks(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, int, str, str, str]:
    df = draw(payment_tables)
    df.pop("_secrets")
    published = publish_table(df, POLICY)
    row = draw(st.integers(0, len(published) - 1))
    column = draw(st.sampled_from([*published.columns, "备注"]))
    kind, number = draw(
        st.one_of(
            resident_ids.map(lambda n: ("full_id", n)),
            card_numbers.map(lambda n: ("full_card", n)),
        )
    )
    prefix = draw(st.sampled_from(["", "张三", "身份证：", "100 ", "卡号 "]))
    suffix = draw(st.sampled_from(["", " 已发放", "元", " 23"]))
    if column not in published.columns:
        published[column] = ""
    published[column] = published[column].astype(object)
    published.at[row, column] = prefix + spaced(number, draw(st.integers(0, 5))) + suffix
    return published, df, row, column, kind, number


@EXPORT_SETTINGS
@given(case=planted_leaks(), use_paid=st.booleans())
def test_checker_finds_every_planted_number(
    case: tuple[pd.DataFrame, pd.DataFrame, int, str, str, str], use_paid: bool
) -> None:
    published, paid, row, column, kind, number = case
    findings = check_published(published, paid if use_paid else None, POLICY)
    at_cell = [(f.row, f.column, f.kind) for f in findings]
    assert (row + 2, column, kind) in at_cell
    # a finding never repeats the number it reports
    assert all(number not in str(f) for f in findings)


# --- single values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("41162319900101123X", "411623********123X"),
        (" 411623 19900101 123x ", "411623********123X"),
        ("４１１６２３１９９００１０１１２３Ｘ", "411623********123X"),
        (None, ""),
        (float("nan"), ""),
        ("123456789", "*********"),  # too short to show both ends: all hidden
    ],
)
def test_mask_id_number(raw: object, masked: str) -> None:
    assert mask_id_number(raw, POLICY) == masked


def test_mask_id_number_follows_the_policy_and_is_idempotent() -> None:
    policy = Masking(id_keep_start=3, id_keep_end=1)
    once = mask_id_number("41162319900101123X", policy)
    assert once == "411**************X"
    assert mask_id_number(once, policy) == once


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("6212 3456 7890 1234", "************1234"),
        ("6212-3456-7890-1234-567", "***************4567"),
        (6212345678901234, "************1234"),
        (None, ""),
        ("************1234", "************1234"),
    ],
)
def test_mask_card_number(raw: object, masked: str) -> None:
    assert mask_card_number(raw, POLICY) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [("张三明", "张*明"), ("张三", "张*"), ("欧阳明月", "欧**月"), ("张", "*"), (None, "")],
)
def test_mask_name(raw: object, masked: str) -> None:
    assert mask_name(raw, Masking(show_name=False)) == masked


def test_mask_name_keeps_names_when_the_policy_shows_them() -> None:
    assert mask_name(" 张三明 ", Masking(show_name=True)) == "张三明"


@pytest.mark.parametrize(
    ("address", "village", "public"),
    [
        ("王庄村3组15号", "王庄村", "王庄村"),
        ("河南省周口市商水县张集镇王庄村三组", None, "河南省周口市商水县张集镇王庄村"),
        ("后营社区2栋301室", None, "后营社区"),
        ("3组15号", "李楼村", "李楼村"),
        ("3组15号", None, ""),
    ],
)
def test_address_is_cut_at_the_village(address: str, village: str | None, public: str) -> None:
    assert address_to_village(address, village) == public


# --- the public table ------------------------------------------------------------------------


def payments() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": ["P0000001", "P0000002"],
            "payee_name": ["张三明", "李四"],
            "payee_id_number": ["41162319900101123X", "411623195502020021"],
            "account_number": ["6212345678901234", "6228480010000000018"],
            "phone": ["13800138000", "13912345678"],
            "address": ["王庄村3组15号", "王庄村5组"],
            "village": ["王庄村", "王庄村"],
            "program": ["耕地地力保护补贴", "高龄津贴"],
            "period": ["2022-05", "2022-05"],
            "amount": [1234.5, 100.0],
        }
    )


def test_publish_table_keeps_public_columns_only() -> None:
    published = publish_table(payments(), Masking(show_name=False))
    assert list(published.columns) == [
        "village", "address", "name", "id_number", "account_number", "program", "period", "amount",
    ]
    assert published.loc[0].to_dict() == {
        "village": "王庄村",
        "address": "王庄村",
        "name": "张*明",
        "id_number": "411623********123X",
        "account_number": "************1234",
        "program": "耕地地力保护补贴",
        "period": "2022-05",
        "amount": 1234.5,
    }


def test_publish_table_is_idempotent() -> None:
    once = publish_table(payments(), POLICY)
    pd.testing.assert_frame_equal(publish_table(once, POLICY), once)


def test_publish_table_hides_a_card_typed_into_the_amount_column() -> None:
    df = payments().assign(amount=[6212345678901234, 100])
    published = publish_table(df, POLICY)
    assert published.loc[0, "amount"] == "************1234"
    assert published.loc[1, "amount"] == 100.0


def test_publish_table_refuses_a_table_with_no_public_column() -> None:
    with pytest.raises(SandboxError, match="nothing to publish.*expected some of"):
        publish_table(pd.DataFrame({"phone": ["13800138000"]}), POLICY)


def test_publish_table_reads_chinese_headers() -> None:
    df = pd.DataFrame({"姓名": ["张三"], "身份证号码": ["41162319900101123X"], "联系电话": ["13800138000"]})
    assert publish_table(df, POLICY).to_dict("records") == [
        {"name": "张三", "id_number": "411623********123X"}
    ]


def test_csv_has_chinese_headers_and_two_decimals(tmp_path: Path) -> None:
    path = to_csv_for_publication(payments(), tmp_path / "out.csv", POLICY)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "村(社区),地址,姓名,身份证号,一卡通账号,补贴项目,发放期间,金额(元)"
    assert lines[1].endswith(",1234.50")


def test_html_escapes_what_it_publishes() -> None:
    html = to_html_for_publication(payments().assign(program="<script>x</script>"), POLICY)
    assert "<script>" not in html and "&lt;script&gt;" in html


# --- the checker, case by case --------------------------------------------------------------


def kinds_at(findings: list, row: int | None, column: str) -> set[str]:
    return {f.kind for f in findings if f.row == row and f.column == column}


def test_checker_names_row_and_column_of_each_leak() -> None:
    table = pd.DataFrame(
        {
            "姓名": ["张三", "李四", "王五"],
            "身份证号": ["411623********123X", "41162319900101123X", "4116231990****0021"],
            "账号": ["6228 **** **** 1234", "************1234", "6212 3456 7890 1232"],
            "地址": ["王庄村", "五楼村3组15号", "五楼村"],
            "联系电话": ["", "", "138 0013 8000"],
        }
    )
    findings = check_published(table, None, POLICY)
    assert kinds_at(findings, None, "联系电话") == {"forbidden_column"}
    assert kinds_at(findings, 2, "账号") == {"card_over_revealed"}  # shows first 4 as well
    assert kinds_at(findings, 3, "身份证号") == {"full_id"}
    assert kinds_at(findings, 3, "地址") == {"address_detail"}
    assert kinds_at(findings, 4, "身份证号") == {"id_over_revealed"}
    assert kinds_at(findings, 4, "账号") == {"full_card"}
    assert kinds_at(findings, 4, "联系电话") == {"phone"}
    assert kinds_at(findings, 2, "姓名") == kinds_at(findings, 2, "地址") == set()
    assert len(findings) == 7
    full_card = next(f for f in findings if f.kind == "full_card")
    assert full_card.text("zh").startswith("第 4 行“账号”列：") and "full" not in full_card.text("zh")
    assert "6212 3456 7890 1232" not in full_card.text("zh") and full_card.text("en") == str(full_card)


def test_checker_flags_names_only_when_the_policy_masks_them() -> None:
    table = pd.DataFrame({"name": ["张三", "李*"]})
    assert check_published(table, None, Masking(show_name=True)) == []
    findings = check_published(table, None, Masking(show_name=False))
    assert [(f.row, f.column, f.kind) for f in findings] == [(2, "name", "name_shown")]


def test_checker_uses_paid_values_that_fail_their_check_digit() -> None:
    typo_card = "6212345678901235"  # Luhn fails: only the paid table says it is a card
    table = pd.DataFrame({"note": [f"原卡号{typo_card}9", f"改为 {typo_card}"]})
    assert check_published(table, None, POLICY) == []
    paid = pd.DataFrame({"account_number": [typo_card]})
    findings = check_published(table, paid, POLICY)
    assert [(f.row, f.kind) for f in findings] == [(2, "full_card"), (3, "full_card")]


def test_checker_leaves_ordinary_numbers_alone() -> None:
    table = pd.DataFrame(
        {
            "village": ["五楼村"],
            "period": ["2022-05-01"],
            "amount": [1234567.89],
            "program": ["第3批耕地地力保护补贴"],
            "id_number": ["411623********123X"],
        }
    )
    assert check_published(table, None, POLICY) == []
