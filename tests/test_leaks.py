"""The privacy check knows how people leak numbers (sandbox.common.leaks via check_published).

For any valid ID or UnionPay card number and any mix of disguises — separators of every kind,
invisible characters, full-width and Chinese digits, floats and scientific notation, a split
over two cells, a header — the check names the cell; a properly masked table and a table
with no personal numbers pass.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sandbox.common.leaks import AMOUNT_LIKE, digit_view, find_numbers
from sandbox.common.masking import check_published, mask_card_number, mask_id_number, publish_table
from sandbox.scenario import ZHOUKOU_COUNTIES, Masking

POLICY = Masking()
SEVERE = {"full_id", "full_card"}
CAUGHT = SEVERE | {"id_over_revealed", "card_over_revealed"}

# --- numbers built independently of the module --------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def gb11643_check(body17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(body17, ID_WEIGHTS, strict=True)) % 11]


def luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


resident_ids = st.builds(
    lambda code, born, order: (body := f"{code}{born:%Y%m%d}{order:03d}") + gb11643_check(body),
    st.sampled_from(sorted(ZHOUKOU_COUNTIES)),
    st.dates(min_value=pd.Timestamp("1930-01-01").date(), max_value=pd.Timestamp("2020-12-31").date()),
    st.integers(0, 999),
)
card_numbers = st.integers(16, 19).flatmap(
    lambda n: st.text("0123456789", min_size=n - 3, max_size=n - 3).map(lambda d: luhn_complete("62" + d))
)
numbers = st.one_of(resident_ids.map(lambda n: ("id", n)), card_numbers.map(lambda n: ("card", n)))

# --- disguises ---------------------------------------------------------------------------------

SEPARATORS = [" ", "-", ".", "/", "_", ",", "   ", "\u200b", "\u00ad", "\u2060", "\u3000", " . ", "—", "·", "、"]
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
CHINESE = [str.maketrans("0123456789", "〇一二三四五六七八九"), str.maketrans("0123456789", "零壹贰叁肆伍陆柒捌玖")]


@st.composite
def written(draw: st.DrawFn, number: str) -> str:
    """`number` with any mix of separators between any of its characters, in any digits."""
    cuts = sorted(draw(st.sets(st.integers(1, len(number) - 1), max_size=8)))
    pieces = [number[i:j] for i, j in zip([0, *cuts], [*cuts, len(number)], strict=True)]
    text = pieces[0]
    for piece in pieces[1:]:
        text += draw(st.sampled_from(SEPARATORS)) + piece
    script = draw(st.sampled_from(["ascii", "full", "chinese0", "chinese1", "mixed"]))
    if script == "full":
        text = text.translate(FULL_WIDTH)
    elif script.startswith("chinese"):
        text = text.translate(CHINESE[int(script[-1])])
    elif script == "mixed":
        text = "".join(c.translate(draw(st.sampled_from([FULL_WIDTH, *CHINESE]))) for c in text)
    if draw(st.booleans()):
        text = text.lower()
    assume(not text.endswith(".0"))  # 6212345678901234.0 is how a float prints: the 0 is no digit
    return text


def excel_scientific(number: str, digits: int) -> str:
    """What Excel shows for a long number kept as a number: `digits` significant digits."""
    return f"{int(number):.{digits - 1}E}"


@st.composite
def disguised(draw: st.DrawFn, kind: str, number: str) -> object:
    """A cell value showing the whole number (or, in scientific notation, enough of it to
    rebuild it with the last four digits the policy publishes)."""
    form = draw(st.sampled_from(["written", "scientific", "float"] if number.isdigit() else ["written"]))
    if form == "scientific":
        return excel_scientific(number, draw(st.integers(15, 16)))
    if form == "float":  # a float keeps ~16 digits: with the published last four, enough
        assume(float(number) < 2**53 or len(f"{float(number):e}".split("e")[0].rstrip("0")) + 3 >= len(number))
        return float(number)
    prefix = draw(st.sampled_from(["", "身份证：", "卡号 ", "张三", "备注:", "100元 "]))
    suffix = draw(st.sampled_from(["", " 已发放", "元", "（核实）"]))
    return prefix + draw(written(number)) + suffix


@st.composite
def payments(draw: st.DrawFn, size: int = 4) -> pd.DataFrame:
    ids = draw(st.lists(resident_ids, min_size=1, max_size=size, unique=True))
    rows = []
    for i, person_id in enumerate(ids):
        rows.append({
            "village": "王庄村", "name": "张三明" if i % 2 else "李四",
            "id_number": person_id, "account_number": draw(card_numbers), "bank": "中国农业银行",
            "program": "耕地地力保护补贴", "period": "2022-05",
            "amount": float(draw(st.decimals(min_value="0.01", max_value="99999.99", places=2))),
        })
    return pd.DataFrame(rows)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def at(findings: list, row: int, column: str) -> set[str]:
    return {f.kind for f in findings if f.row == row and column in f.column.split("+")}


def never_repeats(findings: list, number: str) -> bool:
    return all(number not in digit_view(f"{f.column} {f.shown}") for f in findings)


# --- any disguise is caught --------------------------------------------------------------------


@SETTINGS
@given(paid=payments(), data=st.data(), use_paid=st.booleans())
def test_a_disguised_full_number_in_any_cell_is_caught(paid: pd.DataFrame, data: st.DataObject, use_paid: bool) -> None:
    table = publish_table(paid, POLICY)
    row = data.draw(st.integers(0, len(table) - 1))
    column = data.draw(st.sampled_from(["village", "name", "program", "period", "bank"]))
    kind, number = data.draw(numbers)
    table[column] = table[column].astype(object)
    table.at[row, column] = data.draw(disguised(kind, number))
    findings = check_published(table, paid if use_paid else None, POLICY)
    assert at(findings, row + 2, column) & SEVERE
    assert never_repeats(findings, number)


@SETTINGS
@given(paid=payments(), data=st.data(), use_paid=st.booleans())
def test_a_number_split_over_two_adjacent_cells_is_caught(paid: pd.DataFrame, data: st.DataObject, use_paid: bool) -> None:
    table = publish_table(paid, POLICY).astype(object)
    kind, number = data.draw(numbers)
    cut = data.draw(st.integers(1, len(number) - 1))
    row = data.draw(st.integers(0, len(table) - 1))
    pair = data.draw(st.integers(0, len(table.columns) - 2))
    left, right = table.columns[pair], table.columns[pair + 1]
    table.at[row, left] = data.draw(written(number[:cut])) if cut > 1 else number[:cut]
    table.at[row, right] = data.draw(written(number[cut:])) if len(number) - cut > 1 else number[cut:]
    # A card split off as "6.2" reads as an amount next to digits (two amounts pass the
    # Luhn test one time in ten): only cards the paid table knows are read there.
    assume(kind == "id" or not any(AMOUNT_LIKE.fullmatch(table.at[row, c]) for c in (left, right)))
    findings = check_published(table, paid if use_paid else None, POLICY)
    assert at(findings, row + 2, left) & SEVERE or at(findings, row + 2, right) & SEVERE
    assert never_repeats(findings, number)


@SETTINGS
@given(paid=payments(), data=st.data(), use_paid=st.booleans())
def test_a_number_in_a_header_is_caught_and_not_repeated(paid: pd.DataFrame, data: st.DataObject, use_paid: bool) -> None:
    kind, number = data.draw(numbers)
    header = data.draw(disguised(kind, number).filter(lambda v: isinstance(v, str)))
    table = publish_table(paid, POLICY).rename(columns={"program": header})
    findings = check_published(table, paid if use_paid else None, POLICY)
    assert {f.kind for f in findings if f.row == 1} & SEVERE
    assert never_repeats(findings, number)


# --- keeping more than the policy allows -------------------------------------------------------

policies = st.builds(
    Masking, id_keep_start=st.integers(0, 6), id_keep_end=st.integers(0, 4),
    card_keep_end=st.integers(0, 4), show_name=st.booleans(),
)


@st.composite
def over_revealed(draw: st.DrawFn, number: str, allowed_start: int, allowed_end: int) -> str:
    """`number` masked but keeping more characters than allowed: more at either end, a
    short mask keeping both ends, or an unmasked run of a dozen of its digits."""
    n = len(number)
    way = draw(st.sampled_from(["start", "end", "short", "run"]))
    if way == "start":  # at least MIN_RENDERED characters: fewer may be anyone's number
        start = draw(st.integers(max(allowed_start + 1, 4 - allowed_end), n - allowed_end - 1))
        return number[:start] + "*" * (n - start - allowed_end) + number[n - allowed_end :]
    if way == "end":
        end = draw(st.integers(max(allowed_end + 1, 4 - allowed_start), n - allowed_start - 1))
        return number[:allowed_start] + "*" * (n - allowed_start - end) + number[n - end :]
    if way == "short" and allowed_start + allowed_end < 8:
        return number[:4] + "****" + number[-4:]
    if way == "run":
        start = draw(st.integers(0, n - 12))
        return number[start : start + 12]
    start = max(allowed_start + 1, 4 - allowed_end)
    return number[:start] + "*" * (n - start - allowed_end) + number[n - allowed_end :]


@SETTINGS
@given(paid=payments(), data=st.data(), policy=policies)
def test_a_cell_keeping_more_digits_than_the_policy_is_caught(paid: pd.DataFrame, data: st.DataObject, policy: Masking) -> None:
    table = publish_table(paid, policy).astype(object)
    row = data.draw(st.integers(0, len(table) - 1))
    kind = data.draw(st.sampled_from(["id", "card"]))
    number = paid.at[row, "id_number" if kind == "id" else "account_number"]
    if kind == "id":
        shown = data.draw(over_revealed(number, policy.id_keep_start, policy.id_keep_end))
    else:
        shown = data.draw(over_revealed(number, 0, policy.card_keep_end))
    column = data.draw(st.sampled_from(["id_number" if kind == "id" else "account_number", "program"]))
    table.at[row, column] = data.draw(written(shown)) if "*" not in shown else shown
    findings = check_published(table, paid, policy)
    assert at(findings, row + 2, column) & CAUGHT
    assert never_repeats(findings, number)


def test_excel_keeping_fifteen_digits_of_an_id_is_a_full_leak() -> None:
    """Excel's 4.11623199001011E+17 and the published last four rebuild the whole ID."""
    person_id = PERSON_ID
    table = pd.DataFrame({"身份证号": [excel_scientific(person_id, 15)], "金额": ["100.00"]})
    assert at(check_published(table, None, POLICY), 2, "身份证号") == {"full_id"}
    assert at(check_published(table.assign(身份证号=float(person_id)), None, POLICY), 2, "身份证号") == {"full_id"}


def test_excel_showing_six_digits_is_no_leak() -> None:
    """4.11623E+17 keeps the county code only: what the policy shows anyway."""
    table = pd.DataFrame({"备注": ["4.11623E+17"]})
    assert check_published(table, None, POLICY) == []


PERSON_ID = "411623" + "19900101" + "123" + gb11643_check("41162319900101123")
DISGUISES = {
    "dots": lambda n: f"{n[:4]}.{n[4:8]}.{n[8:12]}.{n[12:16]}.{n[16:]}",
    "slashes": lambda n: f"{n[:6]}/{n[6:14]}/{n[14:]}",
    "underscores": lambda n: "_".join(n[i : i + 3] for i in range(0, 18, 3)),
    "thousands commas": lambda n: f"{int(n[:17]):,}" + n[17],
    "runs of spaces": lambda n: f"{n[:6]}    {n[6:14]}     {n[14:]}",
    "zero-width space": lambda n: n[:11] + "\u200b" + n[11:],
    "soft hyphen": lambda n: n[:10] + "\u00ad" + n[10:],
    "Chinese digits": lambda n: n.translate(CHINESE[0]),
    "capital Chinese digits": lambda n: n.translate(CHINESE[1]),
    "full-width digits": lambda n: n.translate(FULL_WIDTH),
}


@pytest.mark.parametrize("disguise", sorted(DISGUISES))
def test_each_disguise_from_the_issue_is_caught(disguise: str) -> None:
    assert [h.kind for h in find_numbers(DISGUISES[disguise](PERSON_ID))] == ["full_id"]


def test_a_card_with_dots_or_zero_width_spaces_or_as_a_float_is_caught() -> None:
    card = luhn_complete("621234567890123")
    for value in (f"{card[:4]}.{card[4:8]}.{card[8:12]}.{card[12:]}", "\u200b".join(card), float(card),
                  excel_scientific(card, 15)):
        findings = check_published(pd.DataFrame({"备注": [value]}), None, POLICY)
        assert at(findings, 2, "备注") == {"full_card"}, value


def test_a_leak_split_over_two_columns_names_both_and_a_header_leak_is_starred() -> None:
    person_id = PERSON_ID
    table = pd.DataFrame({"村": ["王庄村"], "号码前段": [person_id[:9]], "号码后段": [person_id[9:]],
                          f"备注{person_id}": ["x"]})
    findings = check_published(table, None, POLICY)
    split = [f for f in findings if f.row == 2]
    assert [(f.column, f.kind) for f in split] == [("号码前段+号码后段", "full_id")]
    (header,) = [f for f in findings if f.row == 1]
    assert header.kind == "full_id" and person_id not in header.column and "备注" in header.column
    assert header.shown == mask_id_number(person_id, POLICY)


# --- what must keep passing --------------------------------------------------------------------


@SETTINGS
@given(paid=payments(size=8), policy=policies)
def test_a_properly_masked_table_passes(paid: pd.DataFrame, policy: Masking) -> None:
    assert check_published(publish_table(paid, policy), paid, policy) == []
    assert check_published(publish_table(paid, policy), None, policy) == []


ordinary_cells = st.one_of(
    st.decimals(min_value="0", max_value="9999999.99", places=2).map(str),
    st.decimals(min_value="0", max_value="9999999.99", places=2).map(lambda d: f"{d:,}"),
    st.floats(0, 1e7, allow_nan=False).map(lambda x: round(x, 2)),
    st.integers(0, 10**6),
    st.dates(min_value=pd.Timestamp("1950-01-01").date(), max_value=pd.Timestamp("2030-12-31").date()).map(str),
    st.dates(min_value=pd.Timestamp("1950-01-01").date(), max_value=pd.Timestamp("2030-12-31").date())
    .map(lambda d: f"{d:%Y}年{d.month}月"),
    st.sampled_from(["二〇二二年五月", "第三批", "王庄村", "一卡通", "耕地地力保护补贴", "十二月", "中国农业银行",
                     "每亩 108.50 元", "2022-05", "1.5E+03"]),
)


@SETTINGS
@given(paid=payments(), data=st.data(), policy=policies)
def test_a_table_with_no_personal_numbers_passes(paid: pd.DataFrame, data: st.DataObject, policy: Masking) -> None:
    rows = data.draw(st.integers(1, 6))
    table = pd.DataFrame({column: data.draw(st.lists(ordinary_cells, min_size=rows, max_size=rows))
                          for column in ("村", "项目", "期间", "数量", "标准", "金额")})
    assume(not table.empty)
    assert check_published(table, paid, policy) == []


def test_a_masked_card_is_not_taken_for_a_glimpse_of_the_id() -> None:
    """With the ID hidden whole (0/0), a card masked to its last digit that happens to
    share the ID's last digit is still a properly masked card."""
    policy = Masking(id_keep_start=0, id_keep_end=0, card_keep_end=1)
    person_id = PERSON_ID
    card = next(c for c in (luhn_complete(f"62{i:015d}") for i in range(100)) if c[-1] == person_id[-1])
    paid = pd.DataFrame({"name": ["张三"], "id_number": [person_id], "account_number": [card], "amount": [1.0]})
    table = publish_table(paid, policy)
    assert table.loc[0, "account_number"] == mask_card_number(card, policy)
    assert check_published(table, paid, policy) == []
