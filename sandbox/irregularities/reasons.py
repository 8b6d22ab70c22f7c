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


def _words() -> dict[str, set[str]]:
    """Every word a trainee may type for a type, normalised and compacted → the types it names:
    codes, zh and en names (and each part of a zh name like 冒领：已死亡人员), and keywords."""
    words: dict[str, set[str]] = {}
    for f in FAULTS.values():
        for word in (f.code, f.zh, f.en, *re.split(r"[：/]", f.zh), *f.keywords):
            if _compact(word):
                words.setdefault(_compact(word), set()).add(f.code)
    return words


def _pieces(text: str) -> list[str]:
    """The words of a reason as typed between separators (spaces, commas, 、 …)."""
    return [piece.replace(" ", "") for piece in re.split(r"[\s_\-:：,，。.;；/、()（）\"'“”‘’]+", text) if piece.strip()]


def _all_words() -> list[str]:
    words = [w for f in FAULTS.values() for w in (f.code, f.zh, *f.keywords)]
    return words + [a.zh for a in LOOK_ALIKES.values()]


def _suggest(text: str, lang: str = "en") -> str:
    """Words close to what was typed, and words found inside it: offered, never read."""
    compact = _compact(text)
    inside = sorted({w for w in _all_words() if len(_compact(w)) > 1 and _compact(w) in compact and _compact(w) != compact},
                    key=lambda w: -len(w))
    close = difflib.get_close_matches(_normalize(text), _all_words(), n=3, cutoff=0.4)
    offered = list(dict.fromkeys([*inside[:2], *close]))[:3]
    if not offered:
        return ""
    if lang == "zh":
        return f"（是不是想写 {'、'.join(repr(c) for c in offered)}？）"
    return f" — did you mean {' / '.join(repr(c) for c in offered)}?"


def parse_reason(text: str) -> str:
    """The irregularity code for a typed reason: a code, a zh/en name, or a keyword such as 死亡,
    重复 — each matched whole (any width, case or spacing). Several such words, separated by
    commas or spaces, may name one type together (已死亡，冒领).

    Raises SandboxError, with suggestions, when any word is not one of these (a keyword inside
    other text is never read: NOT_A_REASON is not 虚报面积 for holding "area"), when the text
    names a look-alike (a correct entry), or when it names two types.
    """
    compact = _compact(str(text))
    if not compact:
        raise SandboxError("原因是空的：请填问题代码，或几个字，例如 死亡、重复",
                           "the reason is empty; type a fault code or a few words such as 死亡, 重复")
    words = _words()
    for alike in LOOK_ALIKES.values():
        if compact in (_compact(alike.zh), _compact(alike.code), _compact(alike.en)):
            raise SandboxError(f"{text!r} 不是违规问题：{alike.why_zh}",
                               f"{text!r} is not an irregularity: {alike.why_en}")
    named = [words.get(compact)] if compact in words else [words.get(_compact(p)) for p in _pieces(str(text))]
    if not named or any(codes is None for codes in named):
        raise SandboxError(
            f"看不出 {text!r} 指的是哪种问题；请只填问题代码或名称，例如 冒领、公职人员、重复发放（说明文字写在备注里）"
            + _suggest(text, "zh"),
            f"cannot tell which irregularity {text!r} means; type only a code ({', '.join(FAULTS)}) "
            f"or a name such as 冒领、公职人员、重复发放 (explanations go in the note)" + _suggest(text)
        )
    codes = set.intersection(*named)
    if len(codes) != 1:
        shown = sorted(codes or set.union(*named))
        names = "、".join(f"{FAULTS[c].zh} ({c})" for c in shown)
        raise SandboxError(f"原因 {text!r} 可能指不止一种问题：{names}；请写得更具体些",
                           f"the reason {text!r} fits more than one irregularity: {names}; be more specific")
    return codes.pop()
