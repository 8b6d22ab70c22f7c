"""Adaptive practice (issue 15, docs/adaptive.md): mastery per skill from the gradebook, and a
next exercise aimed at what a trainee still misses.

The scripted trainee is careful in everything but one irregularity type, 优亲厚友
(`cadre_relative`), which they always approve. Tutorial scale: one village."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pytest

from sandbox import Gradebook, Session, load_scenario
from sandbox.cli import main
from sandbox.course.practice import PracticePanel, mastery_chart, mastery_table, my_mastery
from sandbox.irregularities import FAULTS
from sandbox.personas import play_blind_to, play_careful
from sandbox.platform.mastery import beta_interval, estimate
from sandbox.platform.practice import decoys_imitating
from sandbox.platform.skills import Cases
from sandbox.session.session import attempt_behind

BLIND = "cadre_relative"  # 优亲厚友
TRAINEE = "张三"


def share_in_key(session: Session, fault: str) -> tuple[float, float]:
    """(planted cases of `fault`, decoys imitating it) per roster entry of a session's county."""
    key = attempt_behind(session).data.key
    planted = (key["fault"] == fault).sum() / len(key)
    decoys = key["look_alike"].isin(decoys_imitating(fault)).sum() / len(key)
    return float(planted), float(decoys)


def irregularity_means(mastery: dict) -> dict[str, float]:
    return {code: m.mean for code, m in mastery.items() if code in FAULTS}


def test_practice_aims_at_the_type_a_trainee_misses_and_moves_on_once_caught(tmp_path: Path, capsys) -> None:
    book = str(tmp_path / "gradebook.sqlite")
    base = load_scenario("tutorial")
    first = Session.start("tutorial", trainee=TRAINEE, gradebook=book)
    play_blind_to(BLIND)(first)

    mastery = my_mastery(TRAINEE, gradebook=book)
    with Gradebook(book) as kept:  # the gradebook's own view: the same, nothing to filter out
        assert kept.mastery(TRAINEE) == mastery
    others = {code: mean for code, mean in irregularity_means(mastery).items() if code != BLIND}
    assert mastery[BLIND].mean < 0.3, mastery[BLIND]
    assert others and min(others.values()) > mastery[BLIND].high, (mastery[BLIND], others)
    assert mastery_table(mastery).iloc[0]["技能"] == FAULTS[BLIND].zh  # weakest first, in Chinese

    # The button of notebook 06 writes the exercise (s.practise_next()), the next one starts it.
    panel = PracticePanel(first)
    assert panel.start_button.layout.display == "none"  # nothing to start before it is written
    panel.write_button.click()
    written = panel.written
    assert written is not None and written.plan.targets[0] == BLIND
    assert "优亲厚友" in written.message() and str(written.path) in written.message()
    practice = load_scenario(written.path)  # what `sandbox validate` checks
    assert main(["validate", str(written.path), "--quick"]) == 0
    assert practice.irregularities.cadre_relative >= 3 * base.irregularities.cadre_relative
    for code in FAULTS:  # the rest at base rates
        if code not in written.plan.targets:
            assert getattr(practice.irregularities, code) == getattr(base.irregularities, code), code

    panel.start_button.click()
    session = panel.practice
    assert session is not None and session.brief()["next_stage"] == "review"
    planted, decoys = share_in_key(session, BLIND)
    base_planted, base_decoys = share_in_key(first, BLIND)
    assert planted >= 3 * base.irregularities.cadre_relative, (planted, base_planted)
    assert decoys > base_decoys > 0, (decoys, base_decoys)

    # The same gradebook gives the same file, byte for byte (`sandbox practise` too).
    assert main(["practise", TRAINEE, "--gradebook", book, "--out", str(tmp_path / "again")]) == 0
    assert "优亲厚友" in capsys.readouterr().out
    assert (tmp_path / "again" / written.path.name).read_bytes() == written.path.read_bytes()

    # Now the trainee catches it: mastery rises with every attempt, and the aim moves on.
    for name, step in play_careful.steps:
        if name != "collection":  # done by the reference operator when the panel started it
            step(session)
    means, targets = [mastery[BLIND].mean], [written.plan.targets[0]]
    for _ in range(3):
        means.append(my_mastery(TRAINEE, gradebook=book)[BLIND].mean)
        next_one = Session.start("tutorial", trainee=TRAINEE, gradebook=book).practise_next(tmp_path / "next")
        targets.append(next_one.plan.targets[0])
        if targets[-1] != BLIND:
            break
        play_careful(Session.start(next_one.path, trainee=TRAINEE, gradebook=book))
    assert all(later > earlier for earlier, later in zip(means, means[1:], strict=False)), means
    assert targets[-1] != BLIND, (targets, means)


def test_the_interval_says_three_cases_are_not_thirty() -> None:
    few = estimate([{"x": Cases(3, 3)}])["x"]
    many = estimate([{"x": Cases(30, 30)}])["x"]
    assert few.high - few.low > 2 * (many.high - many.low)
    assert few.mean < many.mean
    low, high = beta_interval(1, 1)  # uniform: the central 90 % is [0.05, 0.95]
    assert abs(low - 0.05) < 0.002 and abs(high - 0.95) < 0.002
    assert abs(beta_interval(4, 1)[0] - 0.05 ** 0.25) < 0.002  # Beta(4, 1): F(x) = x⁴
    older = estimate([{"x": Cases(0, 5)}, {"x": Cases(5, 5)}])["x"]  # the later attempt weighs more
    assert older.mean > 0.5


def test_an_irregularity_approved_whole_is_not_mastered_by_its_decoys() -> None:
    mastery = estimate([{"t": Cases(0, 3), "t:decoys": Cases(10, 10)}])
    assert mastery["t"].mean < 0.3 and mastery["t"].part == "caught"
    assert set(mastery) == {"t"}


def test_the_trainee_chart_draws_chinese_without_missing_glyphs() -> None:
    mastery = estimate([{BLIND: Cases(0, 3), "bank:AG01": Cases(2, 3), "objections": Cases(4, 4)}])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a UserWarning from matplotlib
        chart = mastery_chart(mastery, lang="zh")
        png = chart._repr_png_()  # what a notebook cell shows
    assert png.startswith(b"\x89PNG")
    labels = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    assert labels[-1].startswith("优亲厚友")  # weakest on top


def _null() -> io.BytesIO:
    return io.BytesIO()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    from sandbox.classmode.classroom import demo_class

    classroom = demo_class(tmp_path_factory.mktemp("class"), "tutorial", personas=("perfect", "approve-all"))
    yield classroom
    classroom.close()


def test_the_class_report_shows_mastery_as_a_heat_map_and_issues_practice(demo, capsys) -> None:
    from sandbox.classmode.class_report import class_report

    report = class_report(demo.gradebook, demo.class_id)
    heat = report.mastery_heat()
    assert len(heat) == 2 and FAULTS[BLIND].zh in heat.columns
    careful, approves_all = heat.iloc[0], heat.iloc[1]
    review_skills = [FAULTS[code].zh for code in FAULTS if FAULTS[code].zh in heat.columns]
    assert (careful[review_skills] > approves_all[review_skills]).all()
    assert "各技能掌握程度" in report.text()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report.plot_mastery().savefig(_null(), format="png")

    assert main(["practise", "all", "--class", str(demo.config.path)]) == 0
    out = capsys.readouterr().out
    files = sorted((demo.config.path.parent / "practice" / demo.class_id).glob("*.yaml"))
    assert len(files) == 2 and out.count("已为") == 2
    assert main(["validate", "--quick", *map(str, files)]) == 0
