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
row and column of every leak.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pandas as pd

from sandbox.common.checkdigits import luhn_is_valid
from sandbox.common.columns import data_kind, header_zh
from sandbox.common.identifiers import id_number_is_valid
from sandbox.common.text import compact, nfkc, plain_text
from sandbox.errors import SandboxError


class MaskingPolicy(Protocol):
    """What may be shown: the scenario's ``masking`` section (or anything shaped like it)."""

    @property
    def id_keep_start(self) -> int: ...

    @property
    def id_keep_end(self) -> int: ...

    @property
    def card_keep_end(self) -> int: ...

    @property
    def show_name(self) -> bool: ...


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
_PHONE_SHAPE = re.compile(r"1[3-9][0-9]{9}")


@dataclass(frozen=True)
class NumberHit:
    """A full identifier found in text: where it is and what it is."""

    start: int
    end: int
    kind: str  # "full_id" | "full_card" | "phone"
    value: str  # compact digits


@dataclass(frozen=True)
class KnownValues:
    """Full values from the paid table: leaks to catch even when they fail a check digit."""

    ids: frozenset[str] = frozenset()
    cards: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()

    @classmethod
    def from_table(cls, paid: pd.DataFrame | None) -> KnownValues:
        if paid is None or paid.empty:
            return cls()
        columns = {data_kind(c): c for c in reversed(list(paid.columns))}

        def values(canonical: str) -> frozenset[str]:
            if canonical not in columns:
                return frozenset()
            typed = (compact(v).upper() for v in paid[columns[canonical]])
            return frozenset(v for v in typed if len(v) >= 11)

        return cls(values("id_number"), values("account_number"), values("phone"))


def _classify(number: str, known: KnownValues) -> tuple[str, int] | None:
    """What a compact digit string is, if publishing it would be a leak, and how sure we
    are (0 = surest): overlapping readings of one run are settled by this rank."""
    for kind, values in (("full_id", known.ids), ("full_card", known.cards), ("phone", known.phones)):
        if number in values:
            return kind, 0
    if len(number) == 18 and id_number_is_valid(number):
        return "full_id", 1
    luhn_valid = 16 <= len(number) <= 19 and number.isdigit() and luhn_is_valid(number)
    if luhn_valid and number.startswith("62"):  # UnionPay, even when 18 digits long
        return "full_card", 2
    if _ID_SHAPE.fullmatch(number):
        return "full_id", 3
    if luhn_valid:
        return "full_card", 4
    if _PHONE_SHAPE.fullmatch(number):
        return "phone", 5
    return None


def _group_spans(run: re.Match[str]) -> list[tuple[int, int]]:
    """Start and end (in the text) of each separator-free group of a digit run."""
    return [(run.start() + m.start(), run.start() + m.end()) for m in re.finditer(r"[0-9Xx]+", run.group())]


Candidate = tuple[int, int, NumberHit]  # rank, -length, hit


def _known_inside_group(text: str, start: int, end: int, known: KnownValues) -> Iterator[Candidate]:
    """A known value glued to other digits ("原卡号62123456789012359").

    Only values from the paid table are searched inside a group: check digits alone
    would match at random inside a long number.
    """
    group = text[start:end].upper()
    for length in (19, 18, 17, 16, 11):
        for offset in range(len(group) - length + 1):
            piece = group[offset : offset + length]
            reading = _classify(piece, known)
            if reading and reading[1] == 0:
                hit = NumberHit(start + offset, start + offset + length, reading[0], piece)
                yield 0, -length, hit


def _candidates(text: str, groups: list[tuple[int, int]], known: KnownValues) -> Iterator[Candidate]:
    """Every reading of consecutive groups of one digit run as an ID, card or phone."""
    for first in range(len(groups)):
        digits = ""
        for last in range(first, len(groups)):
            start, end = groups[last]
            digits += text[start:end].upper()
            if "X" in digits[:-1] or len(digits) > 19:
                break
            reading = _classify(digits, known)
            if reading:
                yield reading[1], -len(digits), NumberHit(groups[first][0], end, reading[0], digits)
        start, end = groups[first]
        if end - start > 11 and (known.ids or known.cards or known.phones):
            yield from _known_inside_group(text, start, end, known)


def find_numbers(text: str, known: KnownValues = KnownValues()) -> list[NumberHit]:
    """Full IDs, card numbers and phones in `text`, also when written with spaces or dashes.

    Consecutive digit groups are read together, so "6212 3456 7890 1234" is one card, and
    "100 411623199001011234" still shows the ID beside the 100: where readings overlap the
    surest wins (known value, valid ID, UnionPay card, ID shape, other card, phone).
    """
    text = nfkc(text)
    chosen: list[NumberHit] = []
    for run in _DIGIT_RUN.finditer(text):
        candidates = sorted(_candidates(text, _group_spans(run), known), key=lambda c: c[:2])
        for _, _, hit in candidates:
            if all(hit.end <= other.start or hit.start >= other.end for other in chosen):
                chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


def scrub_text(text: object, policy: MaskingPolicy) -> str:
    """Mask every long number inside free text, checked or not.

    Export is stricter than the checker: any run of 11 or more digits (spaces and dashes
    inside allowed) is masked — as an ID when it has 18 characters, as a card when it has
    16 to 19 digits, and starred whole otherwise (a phone has no public part).
    """
    def mask(run: re.Match[str]) -> str:
        number = compact(run.group()).upper()
        if len(number) < 11:
            return run.group()
        if _ID_SHAPE.fullmatch(number):
            return mask_id_number(number, policy)
        if 16 <= len(number) <= 19:
            return mask_card_number(number, policy)
        return "*" * len(number)

    return _DIGIT_RUN.sub(mask, plain_text(text))


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


# 3组, 十二组, 15号, 2单元, 301室 ...: address parts below the village.
_ADDRESS_DETAIL = re.compile(
    r"[0-9一二三四五六七八九十百]+\s*(?:村民小组|组|队|号|排|栋|幢|单元|室|楼)"
)


def check_published(
    table: pd.DataFrame, paid: pd.DataFrame | None, policy: MaskingPolicy
) -> list[PrivacyFinding]:
    """Every privacy leak in a table meant for publication, with its row and column.

    `paid` (the payments with full personal data) lets the check recognise real IDs, cards
    and phones even when a typo breaks their check digit; it may be None.
    """
    known = KnownValues.from_table(paid)
    findings = list(_column_findings(table))
    columns = [str(c) for c in table.columns]
    seen: dict[tuple[str, str], list[PrivacyFinding]] = {}  # a repeated cell is checked once
    for position, values in enumerate(table.itertuples(index=False, name=None)):
        for column, value in zip(columns, values, strict=True):
            text = plain_text(value)
            if not text:
                continue
            found = seen.get((column, text))
            if found is None:
                found = seen[(column, text)] = list(_cell_findings(0, column, text, known, policy))
            findings.extend(PrivacyFinding(position + 2, f.column, f.kind, f.shown) for f in found)
    return findings


def _column_findings(table: pd.DataFrame) -> Iterator[PrivacyFinding]:
    for column in table.columns:
        canonical = data_kind(column)
        if canonical in FORBIDDEN_COLUMNS:
            yield PrivacyFinding(None, str(column), "forbidden_column", f"{canonical} column")


def _cell_findings(
    row: int, column: str, value: object, known: KnownValues, policy: MaskingPolicy
) -> Iterable[PrivacyFinding]:
    text = plain_text(value)
    if not text:
        return []
    findings = [
        PrivacyFinding(row, column, hit.kind, _masked_hit(hit, policy))
        for hit in find_numbers(text, known)
    ]
    detail = _address_detail(column, text)
    if detail:
        findings.append(PrivacyFinding(row, column, "address_detail", detail))
    findings.extend(_policy_findings(row, column, text, policy, already=bool(findings)))
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
    if data_kind(column) in _NOT_ADDRESS_COLUMNS:
        return None
    village = _VILLAGE_END.match(text)
    rest = text[village.end() :] if village else text
    detail = _ADDRESS_DETAIL.search(rest)
    return detail.group(0) if detail else None


def _masked_hit(hit: NumberHit, policy: MaskingPolicy) -> str:
    if hit.kind == "full_id":
        return mask_id_number(hit.value, policy)
    return mask_card_number(hit.value, policy)


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
    canonical = data_kind(column)
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
