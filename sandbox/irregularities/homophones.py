"""Characters a village clerk types by mistake for one another (同音字), for 户名不符 errors."""

from __future__ import annotations

# Groups of characters read alike in Mandarin; a typo swaps one for another of its group.
_GROUPS = """
伟玮炜 丽莉俐 明鸣铭 华桦骅 军君钧 芳方舫 静婧靖 敏闵珉 强蔷 磊垒 洋阳扬 艳燕彦 勇咏涌
杰洁捷 娟鹃涓 涛滔韬 超朝 秀绣琇 霞侠 平萍苹 刚钢纲 贵桂 英瑛莹 建健剑 文雯闻 辉晖徽
玉钰昱 红宏洪鸿 兰岚蓝 峰锋凤 梅玫媚 春椿 云芸昀 金锦瑾 志智致 林琳霖 小晓筱 新欣鑫
德得 清青卿 成诚承 荣蓉容 福富馥 生升昇 鹏朋 飞菲 斌彬 宇雨语 波博 浩皓昊 帅率 旭煦
丹单 娜纳 婷亭 慧惠蕙 颖影 琴勤 莹盈 雪学 佳家嘉 燕雁 凯恺 亮谅 俊峻骏 磊蕾 秀修
张章 李黎理 王汪 刘柳留 杨阳 黄皇 赵照 周州 吴伍 许徐 孙荪 马玛 朱珠 胡湖 郭国 何和
高郜 罗萝 郑正 梁良 宋送 唐堂 韩寒 冯逢 于余 董东 萧肖 程成 曹草 袁元 邓登 彭鹏 曾增
"""

HOMOPHONES: dict[str, str] = {}
for group in _GROUPS.split():
    for i, char in enumerate(group):
        # Each character maps to the next one of its group (a deterministic, reversible swap).
        HOMOPHONES.setdefault(char, group[(i + 1) % len(group)])


def misspell(name: str) -> str:
    """The name with one character swapped for a homophone; given name first, then surname."""
    for index in range(len(name) - 1, -1, -1):
        swap = HOMOPHONES.get(name[index])
        if swap:
            return name[:index] + swap + name[index + 1 :]
    # No known homophone: a common slip, 2nd-tone 明 typed for the last character.
    return name[:-1] + ("明" if name[-1] != "明" else "鸣")
