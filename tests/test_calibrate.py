"""`sandbox calibrate`: simulated KPIs beside the seed article's figures."""

from __future__ import annotations

import pytest

from sandbox.cli import main
from sandbox.scenario import scenario_path

ZHOUKOU = scenario_path("zhoukou-2022")


@pytest.mark.slow
def test_zhoukou_is_calibrated(capsys):
    assert main(["calibrate", str(ZHOUKOU), "--seeds", "3"]) == 0
    out = capsys.readouterr().out
    assert "first-pass success" in out and "social security card share" in out
    assert "out of tolerance" not in out


def test_many_unactivated_cards_fail_calibration(tmp_path, capsys):
    scenario = tmp_path / "broken.yaml"
    scenario.write_text(
        f"extends: {ZHOUKOU}\nname: broken\ncards:\n  status_rates:\n    not_activated: 0.2\n",
        encoding="utf-8")
    assert main(["calibrate", str(scenario), "--seeds", "1"]) == 1
    captured = capsys.readouterr()
    assert "first-pass success" in captured.out and "out of tolerance" in captured.out
    assert "status_rates" in captured.err
