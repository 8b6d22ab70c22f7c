"""`sandbox play`: a persona plays a whole session from the command line."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, TUTORIAL

from sandbox.cli import main
from sandbox.platform.harm import score_of


def test_play_json_prints_the_total_under_score(capsys):
    assert main(["play", str(TUTORIAL), "--persona", "perfect", "--json", "--lang", "en"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["score"] >= 90
    assert report["trainee"] == "persona:perfect" and report["scenario"] == "tutorial"
    harm = report["harm"]  # the total is the whole harm ledger against the reference (docs/scoring.md)
    expected = score_of(harm["weighted_total"], harm["reference"]["value"])
    assert abs(report["score"] - expected) < 0.01


def test_play_report_text_in_english(capsys):
    assert main(["play", str(TUTORIAL), "--persona", "approve-all", "--report", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Training report — tutorial")
    assert "let an improper payment through" in out


def test_unknown_persona_exits_2_with_a_message():
    done = subprocess.run([sys.executable, "-m", "sandbox", "play", str(TUTORIAL), "--persona", "lazy"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "lazy" in done.stderr and "perfect" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_saved_attempt_can_be_reported_again_as_html(tmp_path, capsys):
    book = tmp_path / "mine.sqlite"
    assert main(["play", str(TUTORIAL), "--persona", "no-registry-checks", "--lang", "en",
                 "--save", str(book)]) == 0
    played = capsys.readouterr()
    attempt_id = played.err.split("attempt ", 1)[1].split()[0]
    html = tmp_path / "report.html"
    assert main(["report", attempt_id, "--gradebook", str(book), "--html", str(html)]) == 0
    assert capsys.readouterr().out.strip() == played.out.strip()  # the same scores as when played
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "data:image/png;base64," in page
