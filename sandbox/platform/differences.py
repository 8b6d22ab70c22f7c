"""What differs between a submitted cell and its clean value, told so that masking keeps it useful.

A report masks every long number (no full ID or card number leaves the platform), so
"typed '***************0296', expected '***************0296'" told the trainee nothing. Here
the number is shown with its middle starred but every differing character left visible, and
the differences are named by position: "第 5 位是空格", "position 12: full-width '３'".
"""

from __future__ import annotations

import difflib
import unicodedata

SHOWN_DIFFERENCES = 5
KEPT_END = 4  # the last digits a masked number keeps, as the publication policy does
DIGITS = frozenset("0123456789")


def _char(ch: str, lang: str) -> str:
    if ch.isspace():
        return "空格" if lang == "zh" else "a space"
    if unicodedata.east_asian_width(ch) == "F":
        return f"全角“{ch}”" if lang == "zh" else f"full-width {ch!r}"
    return f"“{ch}”" if lang == "zh" else repr(ch)


def differences(value: str, expected: str, lang: str) -> str:
    """The differences of `value` from `expected`, by 1-based position in `value`."""
    told = []
    ops = difflib.SequenceMatcher(None, value, expected, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            have = value[i1 + k] if i1 + k < i2 else ""
            want = expected[j1 + k] if j1 + k < j2 else ""
            where = i1 + k + 1
            if have and want and unicodedata.normalize("NFKC", have) == want:  # a report shows both alike
                told.append(f"第 {where} 位是全角字符，应为半角“{want}”" if lang == "zh"
                            else f"position {where}: a full-width character, should be half-width {want!r}")
            elif have and want:
                told.append(f"第 {where} 位是{_char(have, lang)}，应为“{want}”" if lang == "zh"
                            else f"position {where}: {_char(have, lang)}, should be {want!r}")
            elif have:
                told.append(f"第 {where} 位多了{_char(have, lang)}" if lang == "zh"
                            else f"position {where}: {_char(have, lang)} too many")
            else:
                told.append(f"第 {where} 位前少了“{want}”" if lang == "zh"
                            else f"before position {where}: {want!r} missing")
    more = len(told) - SHOWN_DIFFERENCES
    shown = told[:SHOWN_DIFFERENCES]
    if more > 0:
        shown.append(f"另有 {more} 处" if lang == "zh" else f"{more} more")
    return ("；" if lang == "zh" else "; ").join(shown)


def masked_keeping_differences(value: str, expected: str) -> str:
    """`value` with its digits starred (full-width ones too), except the last few and the
    differing ones the feedback names (the first SHOWN_DIFFERENCES): a number typed all in
    full-width digits differs everywhere, and must not be shown whole."""
    differ: list[int] = []
    for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(None, value, expected, autojunk=False).get_opcodes():
        if tag != "equal":
            differ.extend(range(i1, i2))
    named = set(differ[:SHOWN_DIFFERENCES])
    end = len(value) - KEPT_END
    return "".join("*" if unicodedata.normalize("NFKC", ch) in DIGITS and i < end and i not in named else ch
                   for i, ch in enumerate(value))
