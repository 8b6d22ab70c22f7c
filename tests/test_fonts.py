"""Chinese in every chart: the sandbox's own charts, drawn headless to PNG with Chinese labels,
raise no missing-glyph warning and take their Chinese glyphs from the packaged CJK font."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable, Iterator

import matplotlib
import pandas as pd
import pytest
from conftest import TUTORIAL
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font

from sandbox import Session
from sandbox.classmode.class_report import ClassReport
from sandbox.course import resume_at
from sandbox.ui.display import payout_chart
from sandbox.ui.fonts import (
    NO_CHINESE_FONT,
    font_path,
    use_chinese_font,
    use_chinese_font_in_notebook,
)
from sandbox.ui.report import report_charts

matplotlib.use("Agg")
HAN = re.compile(r"[\u4e00-\u9fff]")


def render(fig: Figure) -> list[str]:
    """Draw a figure to PNG; the missing-glyph warnings matplotlib raised while drawing."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    assert buffer.getvalue().startswith(b"\x89PNG")
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def chinese_texts(fig: Figure) -> list:
    return [t for t in fig.findobj(matplotlib.text.Text) if HAN.search(t.get_text())]


def assert_drawn_in_the_chinese_font(fig: Figure) -> None:
    texts = chinese_texts(fig)
    assert texts, "the chart should carry Chinese labels"
    assert render(fig) == []
    packaged = FT2Font(str(font_path()))
    for text in texts:
        # The font matplotlib draws this text in is the packaged one, and it has every glyph.
        assert font_manager.findfont(text.get_fontproperties()) == str(font_path())
        assert all(packaged.get_char_index(ord(c)) for c in HAN.findall(text.get_text()))


@pytest.fixture(autouse=True)
def default_rc() -> Iterator[None]:
    """Each test starts from matplotlib's defaults (DejaVu Sans only), as a fresh kernel does."""
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        yield


def test_the_font_comes_from_the_installed_package() -> None:
    path = font_path()
    assert path is not None and path.name == "NotoSansSC-Regular.otf"
    assert use_chinese_font() == "Noto Sans SC"


def test_use_chinese_font_is_idempotent() -> None:
    registered = len(font_manager.fontManager.ttflist)
    first = use_chinese_font()
    after_first = len(font_manager.fontManager.ttflist)
    assert use_chinese_font() == first
    assert len(font_manager.fontManager.ttflist) == after_first <= registered + 1
    sans = matplotlib.rcParams["font.sans-serif"]
    assert sans[0] == first and sans.count(first) == 1
    assert "DejaVu Sans" in sans  # kept behind it
    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_without_the_font_the_check_sees_boxes() -> None:
    """The control: the same check fails on a chart drawn in matplotlib's default font."""
    fig = Figure()
    fig.subplots().set_title("全班最常漏查的问题")
    with matplotlib.rc_context({"font.sans-serif": [NO_CHINESE_FONT]}):
        assert render(fig) != []


def test_the_payout_chart_draws_its_chinese_legend() -> None:
    timeline = pd.DataFrame({"date": pd.to_datetime(["2024-03-04", "2024-03-04", "2024-03-05"]),
                             "credited": [30, 12, 5], "failed": [1, 0, 2]})
    fig = payout_chart(timeline)
    assert {"credited 入账", "failed 失败"} <= {t.get_text() for t in chinese_texts(fig)}
    assert_drawn_in_the_chinese_font(fig)


def class_report() -> ClassReport:
    problems = pd.DataFrame({"stage": ["review", "review", "failures"],
                             "problem": ["死亡人员冒领", "财政供养人员申领低保", "户名不符"],
                             "code": ["dead_payee", "payroll", "BE01"], "trainees": [5, 3, 2]})
    progress = pd.DataFrame({"attempt_id": ["a1", "a2"], "collection": [80.0, 90.0],
                             "review": [60.5, 72.0], "payout": [99.0, 95.0]})
    times = pd.DataFrame({"trainee_id": ["t1", "t2"], "name": ["张三", "李四"],
                          "stage": ["review", "review"], "minutes": [12.0, 20.0], "actions": [8, 9]})
    return ClassReport(class_info={}, problems=problems, progress=progress, stage_times=times, lang="zh")


@pytest.mark.parametrize("plot", [ClassReport.plot_problems, ClassReport.plot_stage_scores,
                                  ClassReport.plot_stage_times])
def test_the_class_dashboard_names_problems_and_stages_in_chinese(plot: Callable) -> None:
    import matplotlib.pyplot as plt

    fig = plot(class_report())
    try:
        assert_drawn_in_the_chinese_font(fig)
        if plot is ClassReport.plot_problems:
            labels = " ".join(t.get_text() for t in chinese_texts(fig))
            assert "死亡人员冒领" in labels and "户名不符" in labels  # names kept, not just codes
    finally:
        plt.close(fig)


def test_the_report_page_charts_are_labelled_in_chinese() -> None:
    session = resume_at("payout", Session.start(TUTORIAL, trainee="字体", lang="zh"))
    session.payout.submit(session.payout.build_request(), confirm=True)
    drawn: list[Figure] = []
    original = Figure.savefig

    def keep(fig: Figure, *args, **kwargs):  # report_charts returns PNG text: keep the figures
        drawn.append(fig)
        return original(fig, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Figure, "savefig", keep)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            charts = report_charts(session.report())
    assert {"money", "timeline"} <= set(charts)
    assert [w for w in caught if "missing from font" in str(w.message)] == []
    assert any(chinese_texts(fig) for fig in drawn)
    for fig in drawn:
        if chinese_texts(fig):
            assert_drawn_in_the_chinese_font(fig)


class FakeShell:
    """What use_chinese_font_in_notebook needs of IPython's shell: its events."""

    def __init__(self) -> None:
        self.callbacks: list[tuple[str, Callable]] = []
        self.events = self

    def register(self, event: str, callback: Callable) -> None:
        self.callbacks.append((event, callback))


class Cell:
    def __init__(self, raw_cell: str) -> None:
        self.raw_cell = raw_cell


def test_a_notebook_sets_the_font_before_a_cell_draws() -> None:
    shell = FakeShell()
    assert use_chinese_font_in_notebook(shell) and use_chinese_font_in_notebook(shell)
    assert [event for event, _ in shell.callbacks] == ["pre_run_cell"]  # once per shell
    matplotlib.rcdefaults()  # e.g. a style reset in the trainee's own cell
    (_, before_cell), = shell.callbacks
    before_cell(Cell('table.plot(kind="bar", title="各村人数")'))
    assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans SC"
