"""Reading what trainees type as a rejection reason — a code, the Chinese or English name, or a
few words such as 死亡, 公职人员, 重复 — as an irregularity code."""

from __future__ import annotations

import difflib
import re
import unicodedata

from sandbox.errors import SandboxError
from sandbox.irregularities.base import Irregularity
from sandbox.irregularities.look_alikes import LOOK_ALIKES
from sandbox.irregularities.registry import FAULTS


def fault(code: str) -> Irregularity:
    """The irregularity type with this code; SandboxError with a suggestion when unknown."""
    try:
        return FAULTS[code]
    except KeyError:
        raise SandboxError(f"没有问题代码 {code!r}" + _suggest(code, "zh"), f"unknown fault code {code!r}" + _suggest(code)) from None


def _normalize(text: str) -> str:
    """Full-width to half-width, lower case, no spaces or punctuation around words."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return re.sub(r"[\s_\-:：,，。.;；/、()（）\"'“”‘’]+", " ", text).strip()


def _compact(text: str) -> str:
    return _normalize(text).replace(" ", "")


def _exact_names() -> dict[str, str]:
    """Normalised code, zh and en name (and each part of a zh name like 冒领：已死亡人员)."""
    names: dict[str, str] = {}
    for f in FAULTS.values():
        parts = [f.code, f.zh, f.en, *re.split(r"[：/]", f.zh)]
        for part in parts:
            names.setdefault(_compact(part), f.code)
    return names


def _keyword_scores(text: str) -> dict[str, int]:
    """Per type, the total length of its keywords found in the text."""
    compact = _compact(text)
    scores: dict[str, int] = {}
    for f in FAULTS.values():
        score = sum(len(k) for k in f.keywords if _compact(k) in compact)
        if score:
            scores[f.code] = score
    return scores


def _all_words() -> list[str]:
    words = [w for f in FAULTS.values() for w in (f.code, f.zh, *f.keywords)]
    return words + [a.zh for a in LOOK_ALIKES.values()]


def _suggest(text: str, lang: str = "en") -> str:
    close = difflib.get_close_matches(_normalize(text), _all_words(), n=3, cutoff=0.4)
    if not close:
        return ""
    if lang == "zh":
        return f"（是不是想写 {'、'.join(repr(c) for c in close)}？）"
    return f" — did you mean {' / '.join(repr(c) for c in close)}?"


def parse_reason(text: str) -> str:
    """The irregularity code for a typed reason: a code, a zh/en name, or keywords like 死亡, 重复.

    Raises SandboxError when the text names no type, names a look-alike (a correct entry),
    or fits two types equally well.
    """
    compact = _compact(str(text))
    if not compact:
        raise SandboxError("原因是空的：请填问题代码，或几个字，例如 死亡、重复",
                           "the reason is empty; type a fault code or a few words such as 死亡, 重复")
    exact = _exact_names()
    if compact in exact:
        return exact[compact]
    for alike in LOOK_ALIKES.values():
        if compact in (_compact(alike.zh), _compact(alike.code), _compact(alike.en)):
            raise SandboxError(f"{text!r} 不是违规问题：{alike.why_zh}",
                               f"{text!r} is not an irregularity: {alike.why_en}")
    scores = _keyword_scores(text)
    if not scores:
        raise SandboxError(
            f"看不出 {text!r} 指的是哪种问题；请用问题代码或中文名称，例如 冒领、公职人员、重复发放" + _suggest(text, "zh"),
            f"cannot tell which irregularity {text!r} means; use a code ({', '.join(FAULTS)}) "
            f"or a Chinese name such as 冒领、公职人员、重复发放" + _suggest(text)
        )
    best = max(scores.values())
    winners = sorted(code for code, score in scores.items() if score == best)
    if len(winners) > 1:
        names = "、".join(f"{FAULTS[c].zh} ({c})" for c in winners)
        raise SandboxError(f"原因 {text!r} 可能指不止一种问题：{names}；请写得更具体些",
                           f"the reason {text!r} fits more than one irregularity: {names}; be more specific")
    return winners[0]
