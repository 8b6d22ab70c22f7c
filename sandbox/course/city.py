"""Notebook 07's one setup call: the city's 一卡通 office for the 督导 exercise."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.course.begin import LANGS, show_tables_uncut, switch_on_chinese_font
from sandbox.course.trainee_errors import install_error_handler, running_in_ipython
from sandbox.errors import SandboxError

if TYPE_CHECKING:
    from sandbox.city.supervision import CityOffice

NOTEBOOK_FRACTION = 0.02  # every county at 2 % of its census size: the notebook runs in seconds
_OFFICES: dict[tuple, CityOffice] = {}


def begin_city(*, lang: str = "zh", scenario: str = "zhoukou-2022", fraction: float = NOTEBOOK_FRACTION) -> CityOffice:
    """The city office of `scenario`: the five-month run's per-county, per-month KPIs (at
    `fraction` of the census size, so the notebook runs in seconds) and the 督导 submission.

    Run again after a kernel restart: the same scenario and seed give the same KPIs."""
    if lang not in LANGS:
        raise SandboxError(f"没有“{lang}”这种语言，可用 \"zh\"（中文）或 \"en\"（英文）",
                           f"unknown language {lang!r}; use \"zh\" (Chinese) or \"en\" (English)")
    install_error_handler(lang)
    show_tables_uncut()
    switch_on_chinese_font(running_in_ipython())
    key = (lang, scenario, fraction)
    if key not in _OFFICES:
        from sandbox.city.supervision import CityOffice  # the city run: only when the notebook asks
        from sandbox.scenario import load_scenario

        _OFFICES[key] = CityOffice(load_scenario(scenario), fraction, lang)
    return _OFFICES[key]
