"""One column vocabulary (sandbox.common.columns), read by every module that reads headers.

A header that any module knew before the vocabulary was merged still means the same
column, and every reader — roster cleaning, submissions, publication, inspection findings —
knows every spelling.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from sandbox.common import columns as vocabulary
from sandbox.common.columns import (
    COLUMNS,
    Column,
    canonical_column,
    canonical_columns,
    column_name,
    data_kind,
    header_key,
)
from sandbox.common.masking import PUBLIC_COLUMNS, PUBLIC_HEADERS_ZH, check_published, publish_table
from sandbox.common.normalize import clean_roster
from sandbox.common.submissions import read_table
from sandbox.errors import SubmissionError
from sandbox.platform.rosters import ROSTER_HEADERS_ZH
from sandbox.platform.stages.supervision import FINDING_HEADERS_ZH, FINDING_SOURCES
from sandbox.scenario import Masking
from sandbox.session.session import Session

ROOT = Path(__file__).resolve().parents[1]
SPELLINGS = [(column.name, spelling) for column in COLUMNS.values()
             for spelling in (column.name, column.zh, *column.aliases)]

# What each module of the old layout knew; every one of these must keep its meaning.
ROSTER_AND_DECISION_HEADERS = {  # normalize.COLUMN_ALIASES
    "序号": "entry_id", "编号": "entry_id", "Entry ID": "entry_id", "村": "village", "行政村": "village",
    "乡镇(街道)": "township", "姓名": "name", "领取人姓名": "name", "身份证号码": "id_number",
    "公民身份号码": "id_number", "卡号/账号": "account_number", "社保卡账号": "account_number",
    "收款账号": "account_number", "开户行": "bank", "项目名称": "program", "计补面积": "quantity",
    "面积(亩)": "quantity", "应发金额": "amount", "金额（元）": "amount", "户号": "household_id",
    "与户主关系": "relation", "手机号": "phone", "审核结果": "decision", "处理意见": "decision",
    "不通过原因": "reason", "问题类型": "reason", "更正字段": "field", "更正为": "value", "备注": "note",
    "line_id": "line_id", "payee_id_number": "payee_id_number", "payee_name": "payee_name",
    "source_line_id": "source_line_id",
}
PUBLICATION_HEADERS = {  # masking.COLUMN_ALIASES: the kind of data each header carries
    "县（市、区）": "county", "县区": "county", "乡镇（街道）": "township", "村（社区）": "village",
    "家庭住址": "address", "payee_name": "name", "holder_name": "name", "户主姓名": "name",
    "收款人": "name", "payee_id_number": "id_number", "证件号码": "id_number", "card_number": "account_number",
    "一卡通账号": "account_number", "补贴账号": "account_number", "代发银行": "bank", "发放月份": "period",
    "补贴标准": "standard", "金额(元)": "amount", "mobile": "phone", "联系方式": "phone", "生日": "birth_date",
}
FINDING_HEADERS = {  # supervision.FINDING_ALIASES: finding column ← header
    "流水号": "line_id", "entry_id": "entry_id", "reason": "fault", "违规类型": "fault", "问题类型": "fault",
    "应追回金额": "recover_amount", "追回金额（元）": "recover_amount", "整改措施": "rectification",
    "整改责任人": "responsible", "完成时限": "due_date", "due": "due_date", "note": "note",
}


@pytest.mark.parametrize(("header", "column"), ROSTER_AND_DECISION_HEADERS.items())
def test_roster_and_decision_headers_keep_their_meaning(header: str, column: str) -> None:
    assert canonical_column(header) == column


@pytest.mark.parametrize(("header", "kind"), PUBLICATION_HEADERS.items())
def test_publication_headers_keep_the_data_they_carry(header: str, kind: str) -> None:
    assert data_kind(header) == kind


@pytest.mark.parametrize(("header", "finding"), FINDING_HEADERS.items())
def test_finding_headers_keep_their_meaning(header: str, finding: str) -> None:
    assert {source: column for column, source in FINDING_SOURCES.items()}[canonical_column(header)] == finding


def test_a_header_one_module_knew_is_known_to_all() -> None:
    """公民身份号码 was a roster header only; the publication check now sees an ID in it too."""
    policy = Masking()
    table = pd.DataFrame({"公民身份号码": ["411623200503121235"], "领取人": ["张三"]})
    assert list(publish_table(table, policy).columns) == ["name", "id_number"]
    assert publish_table(table, policy)["id_number"].iloc[0] == "411623********1235"
    leaks = check_published(table, None, policy)
    assert [(f.column, f.kind) for f in leaks] == [("公民身份号码", "full_id")]


def test_header_keys_ignore_width_case_spaces_markers_and_units() -> None:
    assert header_key(" *身份证号码： ") == header_key("身份证号码")
    assert header_key("ＡＭＯＵＮＴ（元）") == "amount"
    assert canonical_column("Account Number") == "account_number"
    assert column_name(" Other  notes ") == "Other notes" and canonical_column("Other notes") is None


def test_every_spelling_belongs_to_one_column_only() -> None:
    clash = {"a": Column("a", "甲", ("同",)), "b": Column("b", "乙", ("同",))}
    with pytest.raises(ValueError, match="同"):
        vocabulary.index_of(clash)
    assert len({header_key(s) for _, s in SPELLINGS}) == len(SPELLINGS) - _repeats()


def _repeats() -> int:
    """Spellings that are the same key written twice (e.g. a name that is also its own alias)."""
    keys = [(c, header_key(s)) for c, s in SPELLINGS]
    return len(keys) - len(set(keys))


def test_every_header_the_sandbox_writes_reads_back_as_its_column() -> None:
    for written in (PUBLIC_HEADERS_ZH, ROSTER_HEADERS_ZH):
        for column, header in written.items():
            assert canonical_column(header) == column, header
    for column, header in FINDING_HEADERS_ZH.items():
        assert canonical_column(header) == FINDING_SOURCES[column], header
    assert set(PUBLIC_COLUMNS) <= set(COLUMNS)


# --- every reader knows every spelling ------------------------------------------------------


@pytest.mark.parametrize(("column", "spelling"), SPELLINGS)
def test_roster_cleaning_and_submissions_read_every_spelling(column: str, spelling: str) -> None:
    assert canonical_columns([spelling]) == {spelling: column}
    frame, _ = read_table(pd.DataFrame({spelling: ["x"]}))
    assert list(frame.columns) == [column, "_row"]
    assert frame.attrs["headers"][column] == spelling


@pytest.mark.parametrize("spelling", [s for c, s in SPELLINGS if (COLUMNS[c].carries or c) in PUBLIC_COLUMNS])
def test_publication_reads_every_spelling_of_a_public_column(spelling: str) -> None:
    published = publish_table(pd.DataFrame({spelling: ["王庄村"]}), Masking())
    assert list(published.columns) == [data_kind(spelling)]


def test_clean_roster_reads_headers_through_the_vocabulary() -> None:
    roster = pd.DataFrame({"序号": ["E1"], "公民身份号码": ["411623200503121235"], "一卡通账号": ["62"]})
    clean, _ = clean_roster(roster)
    assert list(clean.columns) == ["entry_id", "id_number", "account_number"]


def test_inspection_findings_read_every_spelling() -> None:
    session = Session.start("tutorial")
    session.collection.submit(session.collection.forms())
    roster = session.review.roster()
    session.review.submit(pd.DataFrame({"entry_id": roster["entry_id"], "decision": "approve"}))
    session.review.post_notice()
    session.review.finalize(confirm=True)
    session.payout.submit(session.payout.build_request(), progress=False, confirm=True)
    for column, source in FINDING_SOURCES.items():
        for spelling in (COLUMNS[source].zh, *COLUMNS[source].aliases):
            row = {"line_id": "L-none", "fault": "dead_payee", "recover_amount": "1", "rectification": "停发并追回",
                   "responsible": "民政所", "due_date": "2099-01-01", "note": ""}
            typed_as = "line_id" if column == "entry_id" else column  # one id column or the other
            typed = {(spelling if key == typed_as else key): value for key, value in row.items()}
            with pytest.raises(SubmissionError) as refused:
                session.supervision.submit(pd.DataFrame([typed]), confirm=True)
            problems = " ".join(p.problem for p in refused.value.problems)
            assert " column" not in problems, (spelling, problems)  # every header was understood


# --- nobody keeps a vocabulary of their own ---------------------------------------------------


def _module_level_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def test_only_the_vocabulary_defines_header_aliases() -> None:
    owners = [path.relative_to(ROOT).as_posix() for path in (ROOT / "sandbox").rglob("*.py")
              if any("ALIAS" in name for name in _module_level_names(path))]
    assert owners == []
    readers = ["common/normalize.py", "common/submissions.py", "common/masking.py",
               "platform/stages/supervision.py", "platform/stages/disclosure.py"]
    for reader in readers:
        source = (ROOT / "sandbox" / reader).read_text(encoding="utf-8")
        assert "from sandbox.common.columns import" in source, reader
