"""Privacy for published output (信息公开): masking, export helpers and a leak checker.

A disclosure table goes to a public column, so it may carry a masked ID and card number
but never a full one, no phone number and no address below the village.

- ``mask_id_number`` keeps ``policy.id_keep_start`` leading and ``policy.id_keep_end``
  trailing characters and stars the rest; the length is preserved.
- ``mask_card_number`` keeps the last ``policy.card_keep_end`` digits and stars every other
  character, without spaces and with the length preserved: ``*************1234``. One
  unbroken string matches the masked ID, survives CSV/Excel as text, and still shows
  whether a 16- or a 19-digit card was meant.
- ``mask_name`` keeps the first and last character of a name (张*明, 张*) when the policy
  does not show names.

Every mask function is idempotent, so publishing an already published table changes
nothing. ``check_published`` looks at a table a trainee wants to publish and names the
row and column of every leak, however the numbers are disguised (dots, zero-width
spaces, Chinese digits, scientific notation, split over two cells, in a header, or kept
longer than the policy allows: sandbox.common.leaks).
"""

from __future__ import annotations

import functools
import numbers
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sandbox.common.checkdigits import luhn_is_valid
from sandbox.common.columns import data_kind, header_zh
from sandbox.common.identifiers import id_number_is_valid
from sandbox.common.leaks import KnownValues as KnownValues  # re-exported: found here before
from sandbox.common.leaks import LeakScanner, shape_over_reveal, token_numbers
from sandbox.common.leaks import MaskingPolicy as MaskingPolicy
from sandbox.common.leaks import NumberHit as NumberHit
from sandbox.common.leaks import find_numbers as find_numbers
from sandbox.common.number_view import NUMBER_TOKEN, digit_view, tokens
from sandbox.common.text import compact, plain_text
from sandbox.errors import SandboxError

# --- columns ---------------------------------------------------------------------------------

# What a public column may show, in this order; everything else is dropped on export.
PUBLIC_COLUMNS: tuple[str, ...] = (
    "county", "township", "village", "address", "name", "id_number", "account_number",
    "bank", "program", "period", "quantity", "standard", "amount",
)

# Columns that must never appear in a published table, whatever their content.
FORBIDDEN_COLUMNS: tuple[str, ...] = ("phone", "birth_date")

# Headers operators and the public read: each public column's own Chinese header.
PUBLIC_HEADERS_ZH: dict[str, str] = {column: header_zh(column) for column in PUBLIC_COLUMNS}


# --- masking single values -------------------------------------------------------------------


def _keep_ends(text: str, start: int, end: int) -> str:
    """Star every character but `start` leading and `end` trailing ones.

    Too short a value is starred whole: showing both ends of it would show all of it.
    """
    if len(text) <= start + end:
        return "*" * len(text)
    tail = text[len(text) - end :] if end else ""
    return text[:start] + "*" * (len(text) - start - end) + tail


def mask_id_number(value: object, policy: MaskingPolicy) -> str:
    """``411623199001011234`` -> ``411623********1234`` (policy 6/4); None -> ``""``."""
    number = compact(value).upper()
    return _keep_ends(number, policy.id_keep_start, policy.id_keep_end)


def mask_card_number(value: object, policy: MaskingPolicy) -> str:
    """``6212 3456 7890 1234`` -> ``************1234`` (policy 4); None -> ``""``."""
    return _keep_ends(compact(value), 0, policy.card_keep_end)


def mask_name(value: object, policy: MaskingPolicy | None = None) -> str:
    """张三明 -> 张*明, 张三 -> 张*; unchanged when the policy shows names."""
    name = plain_text(value)
    if policy is not None and policy.show_name:
        return name
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# Where the village part of an address ends: ...王庄村 | 3组 | 15号.
_VILLAGE_END = re.compile(r"^.*?(?:社区|居委会|村委会|村)")


def address_to_village(address: object, village: object = None) -> str:
    """Cut an address after its village: ``王庄村3组15号`` -> ``王庄村``.

    With no recognisable village part the address is dropped ("") rather than guessed at.
    """
    text = plain_text(address)
    village_name = plain_text(village)
    if village_name and village_name in text:
        return text[: text.index(village_name) + len(village_name)]
    match = _VILLAGE_END.match(text)
    if match:
        return match.group(0)
    return village_name


# --- finding numbers inside free text ---------------------------------------------------------

# Digit groups joined by up to three spaces or dashes: "6212 3456-7890 1234", "41162319900101123X".
_DIGIT_RUN = re.compile(r"[0-9]+(?:[\s\-]{1,3}[0-9]+)*[Xx]?")
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


def scrub_text(text: object, policy: MaskingPolicy) -> str:
    """Mask every long number inside free text, checked or not.

    Export is stricter than the checker: any run of 11 or more digits (spaces and dashes
    inside allowed) is masked — as an ID when it has 18 characters, as a card when it has
    16 to 19 digits, and starred whole otherwise (a phone has no public part). A number
    disguised past that (dots, zero-width spaces, Chinese digits …) is masked in the text
    as the checker reads it (``digit_view``), so what is published passes the check.
    """
    def mask(number: str) -> str:
        if len(number) < 11:
            return number
        if _looks_like_id(number):
            return mask_id_number(number, policy)
        if 16 <= len(number) <= 19:
            return mask_card_number(number, policy)
        return "*" * len(number)

    def mask_run(run: re.Match[str]) -> str:
        number = compact(run.group()).upper()
        return mask(number) if len(number) >= 11 else run.group()

    scrubbed = _DIGIT_RUN.sub(mask_run, plain_text(text))
    if not _still_leaks(scrubbed, policy):
        return scrubbed
    return NUMBER_TOKEN.sub(lambda run: _mask_token(run.group(), mask), digit_view(scrubbed))


def _looks_like_id(number: str) -> bool:
    """18 characters read as an ID, unless they are a UnionPay card (62…, Luhn) and no valid
    ID: masked as an ID a card would show its first six digits."""
    if not (_ID_SHAPE.fullmatch(number) or (len(number) == 18 and "*" in number)):
        return False
    card = number.startswith("62") and number.isdigit() and luhn_is_valid(number)
    return not card or id_number_is_valid(number)


def _still_leaks(text: str, policy: MaskingPolicy) -> bool:
    found = tokens(digit_view(text))
    return any(token_numbers(t) or shape_over_reveal(t, policy) for t in found)


def _mask_token(written: str, mask: Callable[[str], str]) -> str:
    """A number as the checker reads it, masked whole when it is long enough to matter."""
    number = re.sub(r"[^0-9X*]", "", written)
    return mask(number) if len(number) >= 11 else written


# --- export helpers --------------------------------------------------------------------------


def _public_source_columns(df: pd.DataFrame) -> dict[str, str]:
    """canonical name -> the input column it comes from (first spelling wins)."""
    chosen: dict[str, str] = {}
    for column in df.columns:
        canonical = data_kind(column)
        if canonical in PUBLIC_COLUMNS and canonical not in chosen:
            chosen[canonical] = column
    return chosen


def publish_table(df: pd.DataFrame, policy: MaskingPolicy) -> pd.DataFrame:
    """The public-column table: allowed columns only, IDs and cards masked, no phone,
    addresses cut at the village, and any number hidden in free text masked too.

    Columns keep canonical English names (see ``PUBLIC_HEADERS_ZH`` for the published
    headers); rows keep their order.
    """
    sources = _public_source_columns(df)
    if not sources:
        expected = ", ".join(PUBLIC_COLUMNS)
        raise SandboxError(
            f"没有可公开的内容：{list(map(str, df.columns))} 中没有一列是公开栏目；应包含其中一些：{expected}",
            f"nothing to publish: none of the columns {list(map(str, df.columns))} is a public "
            f"column; expected some of: {expected}"
        )
    out = pd.DataFrame(index=range(len(df)))
    villages = df[sources["village"]].tolist() if "village" in sources else [None] * len(df)
    for canonical in PUBLIC_COLUMNS:
        if canonical not in sources:
            continue
        values = df[sources[canonical]].tolist()
        out[canonical] = _public_values(canonical, values, villages, policy)
    return out


def _public_values(
    canonical: str, values: list[object], villages: list[object], policy: MaskingPolicy
) -> list[object]:
    if canonical == "id_number":
        return [mask_id_number(v, policy) for v in values]
    if canonical == "account_number":
        return [mask_card_number(v, policy) for v in values]
    if canonical in {"amount", "quantity", "standard"}:
        return [_number_or_scrubbed(v, policy) for v in values]
    if canonical == "address":
        values = [address_to_village(a, v) for a, v in zip(values, villages, strict=True)]
    if canonical == "name":
        values = [mask_name(v, policy) for v in values]
    return [scrub_text(v, policy) for v in values]


def _number_or_scrubbed(value: object, policy: MaskingPolicy) -> object:
    """Numbers stay numbers (rounded to the fen); anything else is scrubbed text.

    A huge "amount" is an identifier typed into the wrong column: it is scrubbed as text.
    """
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and not pd.isna(value):
        if abs(value) < 1e10:
            return round(float(value), 2)
        return scrub_text(str(int(value)), policy)
    return scrub_text(value, policy)


def _with_zh_headers(published: pd.DataFrame) -> pd.DataFrame:
    return published.rename(columns=PUBLIC_HEADERS_ZH)


def to_csv_for_publication(df: pd.DataFrame, path: str | Path, policy: MaskingPolicy) -> Path:
    """Write the public table as UTF-8 with BOM (what Excel on Chinese Windows opens)."""
    path = Path(path)
    published = _with_zh_headers(publish_table(df, policy))
    published.to_csv(path, index=False, encoding="utf-8-sig", float_format="%.2f")
    return path


def to_html_for_publication(df: pd.DataFrame, policy: MaskingPolicy) -> str:
    """The public table as an HTML fragment (escaped) for the 公开专栏."""
    published = _with_zh_headers(publish_table(df, policy))
    return published.to_html(
        index=False, na_rep="", float_format=lambda x: f"{x:.2f}", classes="publication", border=1
    )


# --- checking a table before it is published -------------------------------------------------

FINDING_KINDS: dict[str, tuple[str, str]] = {
    "full_id": ("完整身份证号", "full resident ID number"),
    "full_card": ("完整银行卡号", "full card/account number"),
    "phone": ("电话号码", "phone number"),
    "address_detail": ("村以下详细地址", "address detail below the village"),
    "name_shown": ("未遮蔽姓名", "name shown although the policy masks names"),
    "id_over_revealed": ("身份证号显示位数超出规定", "ID shows more characters than the policy"),
    "card_over_revealed": ("账号显示位数超出规定", "card number shows more digits than the policy"),
    "forbidden_column": ("不应公开的列", "column that must not be published"),
}


@dataclass(frozen=True)
class PrivacyFinding:
    """One leak: where it is (row as a spreadsheet counts it, header = row 1) and what."""

    row: int | None  # None: the whole column
    column: str
    kind: str  # a key of FINDING_KINDS
    shown: str  # the offending text, itself masked so the report leaks nothing

    @property
    def label_zh(self) -> str:
        return FINDING_KINDS[self.kind][0]

    def __str__(self) -> str:
        zh, en = FINDING_KINDS[self.kind]
        where = f"row {self.row}" if self.row is not None else "every row"
        return f"{where}, column {self.column!r}: {zh} / {en} ({self.shown})"

    def text(self, lang: str = "zh") -> str:
        """The finding as a trainee reads it: in Chinese for lang="zh", else as str()."""
        if lang != "zh":
            return str(self)
        where = f"第 {self.row} 行" if self.row is not None else "每一行"
        return f"{where}“{self.column}”列：{self.label_zh}（{self.shown}）"


# 3组, 十二组, 15号, 2单元, 301室 ...: address parts below the village.
_ADDRESS_DETAIL = re.compile(
    r"[0-9一二三四五六七八九十百]+\s*(?:村民小组|组|队|号|排|栋|幢|单元|室|楼)"
)


def check_published(
    table: pd.DataFrame, paid: pd.DataFrame | None, policy: MaskingPolicy
) -> list[PrivacyFinding]:
    """Every privacy leak in a table meant for publication, with its row and column.

    Numbers are looked for however they are disguised (sandbox.common.leaks): in every
    cell, in the headers (row 1) and split over two adjacent cells ("身份证号+一卡通账号").
    `paid` (the payments with full personal data) lets the check recognise real IDs, cards
    and phones even when a typo breaks their check digit, and compare each row with its
    own person's numbers, so a cell keeping more of them than the policy allows is found;
    it may be None.
    """
    findings = list(_column_findings(table))
    columns = [str(c) for c in table.columns]
    leaks = LeakScanner(paid, policy).scan(table)
    labels = _column_labels(columns, [leak.columns for leak in leaks if leak.row is None])
    full = {(leak.row, leak.columns) for leak in leaks if leak.kind in ("full_id", "full_card")}
    for leak in leaks:
        row = 1 if leak.row is None else leak.row + 2
        where = "+".join(labels[c] for c in leak.columns)
        findings.append(PrivacyFinding(row, where, leak.kind, _masked_value(leak.kind, leak.value, policy)))
    seen: dict[tuple[str, str, bool], list[PrivacyFinding]] = {}  # a repeated cell is checked once
    for position, values in enumerate(table.itertuples(index=False, name=None)):
        for index, (column, value) in enumerate(zip(columns, values, strict=True)):
            text = plain_text(value)
            if not text:
                continue
            already = (position, (index,)) in full
            found = seen.get((column, text, already))
            if found is None:
                found = seen[(column, text, already)] = list(
                    _cell_findings(0, labels[index], column, text, policy, already))
            findings.extend(PrivacyFinding(position + 2, f.column, f.kind, f.shown) for f in found)
    return _deduplicated(findings)


def _column_labels(columns: list[str], header_leaks: list[tuple[int, ...]]) -> list[str]:
    """How findings name each column: its header, or, when the header itself leaks a
    number, the header with its digits starred (the report must not repeat the leak)."""
    leaking = {c for where in header_leaks for c in where}
    return [re.sub(r"[0-9X]", "*", digit_view(c)) if i in leaking else c for i, c in enumerate(columns)]


def _deduplicated(findings: list[PrivacyFinding]) -> list[PrivacyFinding]:
    """One finding per row, column and kind; a full number makes its over-revealed twin moot."""
    full = {(f.row, f.column, f.kind) for f in findings if f.kind in ("full_id", "full_card")}
    twin = {"id_over_revealed": "full_id", "card_over_revealed": "full_card"}
    out, seen = [], set()
    for f in sorted(findings, key=lambda f: -1 if f.row is None else f.row):
        key = (f.row, f.column, f.kind)
        if key in seen or (f.kind in twin and (f.row, f.column, twin[f.kind]) in full):
            continue
        seen.add(key)
        out.append(f)
    return out


# A header's kind, looked up once per header (the check asks it for every distinct cell).
_column_kind = functools.lru_cache(maxsize=1024)(data_kind)


def _column_findings(table: pd.DataFrame) -> Iterator[PrivacyFinding]:
    for column in table.columns:
        canonical = data_kind(column)
        if canonical in FORBIDDEN_COLUMNS:
            yield PrivacyFinding(None, str(column), "forbidden_column", f"{canonical} column")


def _cell_findings(
    row: int, label: str, column: str, text: str, policy: MaskingPolicy, already: bool
) -> Iterable[PrivacyFinding]:
    """What one cell shows beyond numbers: address detail, names, a masked column showing
    more than the policy (numbers themselves are found by the LeakScanner)."""
    findings = []
    detail = _address_detail(column, text)
    if detail:
        findings.append(PrivacyFinding(row, label, "address_detail", detail))
    findings.extend(
        PrivacyFinding(f.row, label, f.kind, f.shown)
        for f in _policy_findings(row, column, text, policy, already=already)
    )
    return findings


# Columns whose values are not addresses (a program may be called "第2批").
_NOT_ADDRESS_COLUMNS = {
    "county", "township", "name", "id_number", "account_number", "bank", "program", "period",
    "quantity", "standard", "amount",
}


def _address_detail(column: str, text: str) -> str | None:
    """The part of an address below the village, if the cell shows one.

    Only what follows the village is searched, so a village called 五楼村 is no leak.
    """
    if _column_kind(column) in _NOT_ADDRESS_COLUMNS:
        return None
    village = _VILLAGE_END.match(text)
    rest = text[village.end() :] if village else text
    detail = _ADDRESS_DETAIL.search(rest)
    return detail.group(0) if detail else None


def _masked_value(kind: str, value: str, policy: MaskingPolicy) -> str:
    """A leaked number as the report shows it: masked by the policy."""
    if kind in ("full_id", "id_over_revealed"):
        return mask_id_number(value, policy)
    return mask_card_number(value, policy)


def _visible_ends(text: str) -> tuple[int, int]:
    """How many characters show before the first and after the last star."""
    shown = compact(text)
    if "*" not in shown:
        return len(shown), 0
    return shown.index("*"), len(shown) - shown.rindex("*") - 1


def _policy_findings(
    row: int, column: str, text: str, policy: MaskingPolicy, already: bool
) -> Iterable[PrivacyFinding]:
    """A masked column that shows more than the policy allows (full values are reported
    already as full_id/full_card, so they are not reported twice)."""
    canonical = _column_kind(column)
    if canonical == "id_number" and not already:
        start, end = _visible_ends(text)
        if start > policy.id_keep_start or end > policy.id_keep_end:
            yield PrivacyFinding(row, column, "id_over_revealed", mask_id_number(text, policy))
    elif canonical == "account_number" and not already:
        start, end = _visible_ends(text)
        if start + end > policy.card_keep_end:
            yield PrivacyFinding(row, column, "card_over_revealed", mask_card_number(text, policy))
    elif canonical == "name" and not policy.show_name and "*" not in text:
        yield PrivacyFinding(row, column, "name_shown", mask_name(text))
