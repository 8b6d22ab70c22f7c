"""A Chinese course shows tables with Chinese headers and values; code keeps the English names."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from sandbox.course.tables_zh import chinese_html, show_tables_as_they_are, show_tables_in_chinese
from sandbox.session.session import Session


@pytest.fixture(scope="module")
def session() -> Session:
    return Session.start("tutorial", trainee="tables", lang="zh")


@pytest.fixture()
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    yield shell
    show_tables_as_they_are(shell)


def programs_of(session: Session) -> dict[str, str]:
    programs = session.programs()
    return dict(zip(programs["program"], programs["name"], strict=True))


def test_a_roster_shows_chinese_headers_beside_the_code_names_and_program_names(session) -> None:
    roster = session.review.roster()
    html = chinese_html(roster.head(), programs_of(session))
    assert "身份证号（id_number）" in html and "姓名（name）" in html
    code = roster["program"].iloc[0]
    assert programs_of(session)[code] in html and f">{code}<" not in html
    assert list(roster.columns)[:2] == ["entry_id", "village"]  # the frame itself is unchanged


def test_in_ipython_every_table_result_is_drawn_in_chinese(session, shell) -> None:
    assert show_tables_in_chinese(programs_of(session), shell=shell)
    frame = pd.DataFrame({"decision": ["approve", "reject"], "amount": [1.0, 2.0]})
    data, _ = shell.display_formatter.format(frame)
    assert "通过" in data["text/html"] and "不通过" in data["text/html"] and "approve" not in data["text/html"]
    assert "决定（decision）" in data["text/html"] or "（decision）" in data["text/html"]
    show_tables_as_they_are(shell)
    data, _ = shell.display_formatter.format(frame)
    assert "approve" in data["text/html"]


def test_outside_ipython_nothing_is_installed() -> None:
    code = "from sandbox.course.tables_zh import show_tables_in_chinese; print(show_tables_in_chinese({}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
