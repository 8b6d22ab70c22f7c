"""The 督导 exercise of notebook 07: findings scored on problems found and wrong blame avoided,
by code and through the desk, and its small multiples drawn with Chinese glyphs."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from sandbox.city.problems import OWNERS, PROBLEM_KINDS
from sandbox.city.supervision import CityOffice, score_findings
from sandbox.common.regions import ZHOUKOU_COUNTIES
from sandbox.errors import SandboxError
from sandbox.scenario import load_scenario


@pytest.fixture(scope="module")
def office() -> CityOffice:
    return CityOffice(load_scenario("zhoukou-2022"), 0.005)


def right_findings(problems) -> pd.DataFrame:
    rows = []
    for p in problems:
        kind = PROBLEM_KINDS[p.kind]
        rows.append({"county": ZHOUKOU_COUNTIES[p.county], "problem": kind.zh, "evidence": kind.evidence,
                     "owner": OWNERS[kind.owner][0], "deadline": "2022-07-01", "person": "张三", "task": kind.task_zh})
    return pd.DataFrame(rows)


def test_every_problem_found_with_its_owner_scores_100(office) -> None:
    result = office.submit(right_findings(office.scenario.city.problems))
    assert result.score == 100.0 and result.found == result.planted == 5 and result.wrong_blame == 0


def test_wrong_blame_and_a_wrong_owner_cost_points(office) -> None:
    problems = office.scenario.city.problems
    findings = right_findings(problems)
    full = score_findings(findings, problems).score
    innocent = next(c for c in ZHOUKOU_COUNTIES if c not in {p.county for p in problems})
    blamed = pd.concat([findings, pd.DataFrame([{"county": innocent, "problem": "资金发放不及时"}])])
    wrong = score_findings(blamed, problems)
    assert wrong.wrong_blame == 1 and wrong.score < full
    assert any("错误问责" in line and ZHOUKOU_COUNTIES[innocent] in line for line in wrong.lines)
    other_owner = findings.assign(owner="村委会")
    assert score_findings(other_owner, problems).score < full
    no_deadline = findings.assign(deadline="")
    assert score_findings(no_deadline, problems).score < full


def test_nothing_found_scores_zero_and_does_not_give_the_answers_away(office) -> None:
    result = office.submit(office.template())
    assert result.score == 0 and result.found == 0
    assert not any(ZHOUKOU_COUNTIES[p.county] in result.text() for p in office.scenario.city.problems)


def test_a_finding_about_no_known_county_says_which_row(office) -> None:
    with pytest.raises(SandboxError) as caught:
        office.submit(pd.DataFrame([{"county": "郑州市", "problem": "资金发放不及时"}]))
    assert "第 1 条" in caught.value.message("zh") and "郑州市" in caught.value.message("zh")


def test_the_desk_adds_findings_and_submits_them(office) -> None:
    pytest.importorskip("ipywidgets")
    from sandbox.ui.city import CitySupervisionDesk

    desk = CitySupervisionDesk(office)
    for p in office.scenario.city.problems:
        kind = PROBLEM_KINDS[p.kind]
        desk.county.value, desk.problem.value = p.county, p.kind
        desk.evidence.value, desk.owner.value = kind.evidence, kind.owner
        desk.deadline.value, desk.person.value, desk.task.value = "2022-07-08", "李四", kind.task_zh
        desk.add_button.click()
    desk.submit_button.click()
    assert desk.result is not None and desk.result.score == 100.0
    assert "督导得分 100.0" in desk.message.value
    assert len(desk.table()) == 5


def test_the_small_multiples_draw_chinese_without_missing_glyphs(office) -> None:
    pytest.importorskip("matplotlib")
    from sandbox.ui.charts import png_base64
    from sandbox.ui.city import county_month_chart

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a UserWarning: it fails here
        fig = county_month_chart(office.kpis(), "activation_rate", "zh")
        assert png_base64(fig)  # drawn to PNG, every glyph rendered
    assert [ax.get_title() for ax in fig.axes] == list(ZHOUKOU_COUNTIES.values())


def test_a_kernel_restart_keeps_the_draft_and_the_reports_submitted(tmp_path, monkeypatch) -> None:
    """After a restart, notebook 07's first cell builds a new office: the desk shows the findings
    drafted before and the last report's score, read back from $SANDBOX_HOME."""
    from sandbox.ui.city import CitySupervisionDesk

    monkeypatch.setenv("SANDBOX_HOME", str(tmp_path))
    scenario = load_scenario("zhoukou-2022")
    before = CityOffice(scenario, 0.005)
    desk = CitySupervisionDesk(before)
    findings = right_findings(scenario.city.problems)
    submitted = before.submit(findings.iloc[:3])
    for choice in ({"county": "411627", "problem": next(iter(PROBLEM_KINDS))}, {"county": "411628"}):
        desk.county.value = choice["county"]
        if "problem" in choice:
            desk.problem.value = choice["problem"]
        desk.add()
    desk.remove_last()
    drafted = list(desk.findings)

    after = CityOffice(scenario, 0.005)  # what begin_city builds in the new kernel
    again = CitySupervisionDesk(after)
    assert again.findings == drafted and len(drafted) == 1
    assert after.last is not None and after.last.score == submitted.score and after.last.found == 3
    assert f"{submitted.score:.1f}" in again.message.value and "上次提交" in again.message.value
    assert [s["result"]["score"] for s in after.saved.submissions] == [submitted.score]
    assert not list((tmp_path / "city").glob("*.tmp"))  # written whole, nothing left half-way
