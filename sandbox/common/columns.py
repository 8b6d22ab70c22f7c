"""The one column vocabulary: every column the sandbox reads or writes, its Chinese header
and the other spellings operators type for it.

Whatever table comes in — a village roster, review decisions, a payment request, a
publication, an inspection report — its headers go through ``canonical_column``, so a
header known anywhere is known everywhere. A header is matched after ``header_key``:
full-width → half-width, spaces out, case folded, a required-field ``*`` and a trailing
colon dropped, and a trailing unit in brackets ignored ("金额（元）" is "金额").

Some columns hold the same kind of data as another (a payee's name is a name): a column's
``carries`` says so, and ``data_kind`` answers with it, for the privacy rules.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from sandbox.common.text import CleaningError, clean_text
from sandbox.errors import COLUMN_HEADERS_ZH


@dataclass(frozen=True)
class Column:
    name: str                   # the canonical English name (docs/architecture.md)
    zh: str                     # the header operators read
    aliases: tuple[str, ...] = ()  # other spellings, English and Chinese
    carries: str | None = None  # the column whose kind of data this one holds, if another


def _column(name: str, zh: str, *aliases: str, carries: str | None = None) -> Column:
    return Column(name, zh, aliases, carries)


COLUMNS: dict[str, Column] = {
    c.name: c
    for c in (
        # where: region
        _column("county", "县(市、区)", "县", "县区"),
        _column("township", "乡镇", "乡镇街道"),
        _column("village", "村(社区)", "村", "村名", "行政村", "所在村"),
        _column("address", "地址", "住址", "家庭住址", "家庭地址"),
        # who
        _column("entry_id", "序号", "entryid", "编号", "条目编号", "记录编号", "登记编号"),
        _column("household_id", "户号", "户编号"),
        _column("relation", "与户主关系"),
        _column("name", "姓名", "户名", "领取人", "领取人姓名"),
        _column("head_name", "户主姓名", carries="name"),
        _column("id_number", "身份证号", "idnumber", "身份证号码", "身份证", "公民身份号码", "证件号码"),
        _column("phone", "联系电话", "mobile", "电话", "手机", "手机号", "手机号码", "联系方式"),
        _column("birth_date", "出生日期", "生日"),
        # the card and the bank
        _column("account_number", "一卡通账号", "accountnumber", "card_number", "卡号", "账号", "帐号",
                "卡号/账号", "银行卡号", "社保卡号", "社保卡账号", "银行账号", "收款账号", "补贴账号"),
        _column("bank", "代发银行", "开户行", "开户银行", "银行"),
        _column("holder_name", "开户名", carries="name"),
        # what is paid
        _column("program", "补贴项目", "项目", "补贴类别", "项目名称"),
        _column("period", "发放期间", "期间", "发放月份"),
        _column("quantity", "数量", "面积", "数量/面积", "补贴面积", "补贴数量", "计补面积"),
        _column("standard", "补贴标准", "标准"),
        _column("amount", "金额(元)", "金额", "补贴金额", "发放金额", "应发金额"),
        # payment lines
        _column("line_id", "支付明细编号", "明细编号", "流水号", "支付编号"),
        _column("source_line_id", "原支付明细编号"),
        _column("payee_name", "收款人", carries="name"),
        _column("payee_id_number", "收款人身份证号", carries="id_number"),
        # review decisions
        _column("decision", "审核结果", "决定", "审核意见", "审核", "处理", "处理意见"),
        # a rejection's reason and an inspection's finding both name the irregularity
        _column("reason", "问题类型", "fault", "原因", "理由", "驳回原因", "不通过原因", "问题", "问题类别",
                "违规类型", "违规问题"),
        _column("field", "更正字段", "字段", "更正项", "修改项"),
        _column("value", "更正值", "值", "更正为", "新值", "修改为", "正确值"),
        _column("note", "备注", "notes", "说明"),
        # inspection findings (监督检查)
        _column("recover_amount", "追回金额", "recover", "recovery", "追回", "应追回金额", "追缴金额"),
        _column("rectification", "整改要求", "整改", "整改措施", "整改意见"),
        _column("responsible", "整改责任单位", "责任单位", "责任人", "整改责任人"),
        _column("due_date", "整改期限", "due", "期限", "完成时限", "整改时限"),
    )
}
# Rejected tables name their columns in Chinese too (sandbox.errors.RowProblem).
COLUMN_HEADERS_ZH.update({name: column.zh for name, column in COLUMNS.items()})

_TRAILING_UNIT = re.compile(r"[(（][^()（）]*[)）]$")  # "金额（元）", "面积(亩)"


def header_key(header: Any) -> str:
    """A header reduced to what identifies it (see the module docstring)."""
    key = clean_text(header, code=True).lower().lstrip("*").rstrip("*:：")
    return _TRAILING_UNIT.sub("", key) or key


def index_of(columns: dict[str, Column]) -> dict[str, str]:
    """header key → column name; a spelling claimed by two columns is a bug in the table."""
    index: dict[str, str] = {}
    for column in columns.values():
        for spelling in (column.name, column.zh, *column.aliases):
            key = header_key(spelling)
            if index.setdefault(key, column.name) != column.name:
                raise ValueError(f"header {spelling!r} means both {index[key]!r} and {column.name!r}")
    return index


_COLUMN_OF_KEY = index_of(COLUMNS)


def canonical_column(header: Any) -> str | None:
    """The canonical column a header means ('身份证号码' → 'id_number'), or None if unknown."""
    return _COLUMN_OF_KEY.get(header_key(header))


def column_name(header: Any) -> str:
    """What a table's column is called once read: its canonical name, or the header tidied."""
    return canonical_column(header) or clean_text(header)


def canonical_columns(headers: Iterable[Hashable]) -> dict[Hashable, str]:
    """Map each header to its column name; raise if two headers mean the same column."""
    mapping = {header: column_name(header) for header in headers}
    seen: dict[str, Hashable] = {}
    clashes = []
    for header, name in mapping.items():
        if name in seen:
            clashes.append(f"{seen[name]!r} and {header!r} both mean {name!r}")
        seen.setdefault(name, header)
    if clashes:
        raise CleaningError("有重复的列：" + "；".join(clashes) + "。每种只保留一列。",
                            "duplicate columns: " + "; ".join(clashes) + ". Keep one of each.")
    return mapping


def data_kind(header: Any) -> str | None:
    """The kind of data a header's column holds: a payee's name is a 'name'; None if unknown."""
    name = canonical_column(header)
    if name is None:
        return None
    return COLUMNS[name].carries or name


def header_zh(name: str) -> str:
    """The Chinese header of a canonical column."""
    return COLUMNS[name].zh

