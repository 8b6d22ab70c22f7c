"""What operators type for a program: its code, its full Chinese name, or the short name they
use every day (低保, 特困, 高龄补贴, 养老金…). One place turns any of them into the code."""

from __future__ import annotations

from collections.abc import Mapping

# Everyday short names that are not simply part of the full name.
SHORT_NAMES: dict[str, str] = {
    "低保": "dibao", "最低生活保障": "dibao", "特困": "tekun", "五保": "tekun",
    "高龄补贴": "old_age_allowance", "高龄": "old_age_allowance",
    "养老金": "basic_pension", "基础养老金": "basic_pension", "居民养老金": "basic_pension",
    "地力补贴": "farmland_fertility", "耕地补贴": "farmland_fertility", "种粮补贴": "grain_growers",
    "耕地地力": "farmland_fertility", "种粮": "grain_growers",
    "护理补贴": "severe_disability_care", "重度护理": "severe_disability_care",
    "残疾人生活补贴": "disabled_living", "生活补贴": "disabled_living",
    "孤儿": "orphans", "奖励扶助": "family_planning", "计生奖扶": "family_planning",
    "公益林": "ecological_forest", "生态林": "ecological_forest",
}


def program_code(text: str, names_zh: Mapping[str, str]) -> str | None:
    """The program code for `text`, or None. `names_zh` maps each enabled program's code to its
    full Chinese name; a text that is part of exactly one full name also counts."""
    text = text.strip()
    if text in names_zh:
        return text
    by_name = {zh: code for code, zh in names_zh.items()}
    if text in by_name:
        return by_name[text]
    if text in SHORT_NAMES and SHORT_NAMES[text] in names_zh:
        return SHORT_NAMES[text]
    inside = [code for code, zh in names_zh.items() if text and text in zh]
    return inside[0] if len(inside) == 1 else None
