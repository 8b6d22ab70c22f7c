"""The final report: scores, KPIs, misses by irregularity type, advice, charts, HTML."""

from __future__ import annotations

import re

import pytest

from sandbox.cli import main
from sandbox.cli.play import play
from sandbox.errors import SandboxError
from sandbox.personas import PERSONAS
from sandbox.platform.report import KPI_LABELS
from sandbox.session.report import Report
from sandbox.session.session import Session
from sandbox.ui import HtmlDisplay

TUTORIAL = "tutorial"  # a shipped scenario, by name
ALL_STAGES = {"collection", "review", "payout", "reconciliation", "disclosure", "supervision"}


@pytest.fixture(scope="module")
def totals() -> dict[str, float]:
    return {persona: play(TUTORIAL, persona, lang="en").report().score
            for persona in ("perfect", "approve-all", "reject-suspicious")}


def careless_everywhere():
    """Approve everything, hand in the forms as typed, publish the raw draft, find nothing:
    every stage careless (each shortcut persona takes only one shortcut)."""
    steps = {name: dict(PERSONAS[persona].steps)[name] for name, persona in (
        ("collection", "raw-forms"), ("review", "approve-all"), ("disclosure", "publish-unchecked"),
        ("supervision", "supervision-unchecked"))}
    return PERSONAS["careful"].but(**steps)


@pytest.fixture(scope="module")
def careless() -> Report:
    session = Session.start(TUTORIAL, trainee="careless", lang="zh", display=HtmlDisplay())
    careless_everywhere()(session)
    return session.report()


def test_care_is_rewarded_and_shortcuts_are_not(totals: dict[str, float], careless: Report) -> None:
    assert totals["perfect"] > totals["approve-all"] > totals["reject-suspicious"]
    assert totals["approve-all"] > careless.score  # careless in every stage does more harm still
    assert totals["perfect"] >= 90


def test_the_report_shows_the_harm_in_yuan_and_families(careless: Report) -> None:
    harm = careless.summary()["harm"]
    assert harm["weighted_total"] == pytest.approx(sum(r["weighted"] for r in harm["rows"]), abs=0.05)
    assert harm["weighted_total"] > harm["reference"]["value"]  # worse than paying unchecked:
    assert careless.score < 100 * 2.718281828 ** -1            # and the total says so
    kinds = {(r["stage"], r["kind"]) for r in harm["rows"]}
    assert {("review", "improper_paid"), ("supervision", "not_recovered"), ("disclosure", "privacy")} <= kinds
    assert harm["families_total"] > 0
    assert "损害" in careless.text() and "Harm" in careless.html()


def test_report_has_every_stage_and_the_kpis(careless: Report) -> None:
    data = careless.summary()
    assert ALL_STAGES <= set(data["stages"])
    assert all(score is not None for score in data["stages"].values())
    kpis = data["kpis"]
    assert kpis["privacy_violations"] > 0          # the raw draft was published
    assert kpis["money_recovered"] == 0            # and nothing was found on inspection
    assert kpis["money_let_through"] > 0 and kpis["money_paid"] > kpis["money_let_through"]
    for key in ("first_pass_success_rate", "final_success_rate", "days_to_pay", "wrongful_denials"):
        assert kpis[key] is not None, key


def test_misses_are_grouped_by_irregularity_type_across_stages(careless: Report) -> None:
    text = careless.text()
    # One group per type, holding both the review miss and the inspection miss of an entry.
    assert text.count("冒领：已死亡人员 ×") == 1
    group = text.split("冒领：已死亡人员 ×", 1)[1].split("\n  提示", 1)[0]
    assert "[审核、公示]" in group and "[监督检查]" in group
    assert "隐私泄露" in text
    assert careless.summary()["practise_next"]


def test_html_is_self_contained_with_charts_in_both_languages(careless: Report) -> None:
    for lang, first, second in (("zh", "总分", "Total"), ("en", "Total", "总分")):
        page = Report(careless.summary(), lang, display=HtmlDisplay()).html()
        assert f"{first} / {second}" in page
        assert not re.search(r"(?:src|href)=\"(?!data:)", page)       # nothing fetched from elsewhere
        assert not re.search(r"https?://|<link|<script|@import|url\(", page)
        images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
        assert len(images) == 3  # score by stage, where the money went, payments over time
        for label in ("money_paid", "money_recovered", "privacy_violations"):
            assert KPI_LABELS[label][0] in page and KPI_LABELS[label][1] in page


def test_exam_mode_withholds_misses_in_the_report() -> None:
    report = play(TUTORIAL, "approve-all", lang="en")
    data = report.report().summary() | {"feedback_released": False, "misses": []}
    page = Report(data, "en", display=HtmlDisplay()).html()
    assert "exam mode" in page


def test_sandbox_play_prints_the_report(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    out_file = tmp_path / "report.html"
    assert main(["play", TUTORIAL, "--persona", "perfect", "--lang", "en", "--report",
                 "--html", str(out_file)]) == 0
    printed = capsys.readouterr().out
    assert "Training report" in printed and "privacy violations: 0" in printed
    assert "money recovered" in printed
    assert out_file.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_review_recall_and_precision_per_type_are_reported(careless: Report) -> None:
    by_type = careless.summary()["review_by_type"]
    assert by_type["dead_payee"]["recall"] == 0.0  # approve-all caught nothing
    assert all(m["caught"] <= m["planted"] for m in by_type.values())
    assert "审核：各类问题的查出率与准确率" in careless.text()
    assert "查出率" in careless.html() and "recall" in careless.html()


def test_per_type_counts_stay_hidden_in_an_unreleased_exam() -> None:
    from sandbox import Session
    from sandbox.personas import PERSONAS

    session = Session.start(TUTORIAL, lang="en", mode="exam")
    PERSONAS["approve-all"](session)
    data = session.report().summary()
    assert data["review_by_type"] == {} and data["misses"] == []


def test_without_a_display_the_report_is_text_and_data_only(careless: Report) -> None:
    plain = Report(careless.summary(), "en")
    assert plain.text().startswith("Training report") and plain.summary() is careless.summary()
    assert plain._repr_html_() is None  # a notebook falls back to the text
    with pytest.raises(SandboxError, match="display"):
        plain.save_html("never-written.html")
