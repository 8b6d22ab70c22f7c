"""A cell as the privacy check reads it, and the numbers in it.

- ``digit_view`` reads a cell the way a curious reader would: invisible characters out,
  every kind of digit as ASCII, masks as ``*``, scientific notation expanded (the digits
  it does not keep become ``*``).
- ``tokens`` cuts that view into numbers: groups of digits and masks joined by any run
  of characters that are neither letters nor digits.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from sandbox.common.text import plain_text

# --- the view: a cell as digits, masks and separators -----------------------------------------

CHINESE_DIGITS = ("〇一二三四五六七八九", "零壹贰叁肆伍陆柒捌玖", "零壹貳參肆伍陸柒捌玖")
MASK_CHARS = "*●•○◯■□#"


@functools.cache
def _view_table() -> dict[int, int | None]:
    """str.translate table: invisible characters dropped, digits of every script as ASCII,
    mask characters as '*'. Built once (planes 0, 1 and the tag/selector plane)."""
    table: dict[int, int | None] = {}
    for code in (*range(0x80, 0x20000), *range(0xE0000, 0xE1000)):
        category = unicodedata.category(chr(code))
        if category in ("Cf", "Mn", "Me"):  # zero-width spaces, soft hyphen, combining marks
            table[code] = None
        elif category == "Nd":
            table[code] = ord("0") + unicodedata.decimal(chr(code))
    for digits in CHINESE_DIGITS:
        for value, char in enumerate(digits):
            table[ord(char)] = ord("0") + value
    for char in MASK_CHARS:
        table[ord(char)] = ord("*")
    return table


_HANZI_DIGITS = "".join(CHINESE_DIGITS)
# Where Chinese digits meet ASCII ones ("张三6200…"): a join, not one number.
_SCRIPT_CHANGE = re.compile(rf"(?<=[{_HANZI_DIGITS}])(?=[0-9])|(?<=[0-9])(?=[{_HANZI_DIGITS}])")
# x or × right after a digit: the ID's check character.
_CHECK_X = re.compile(r"(?<=[0-9])((?:[^\w*]|_){0,3})[x×](?![A-Za-z0-9])")
# 6212345678901234.0: a float printed whole; the ".0" is no digit of the number.
_WHOLE_FLOAT = re.compile(r"(?<=[0-9]{11})\.0(?![0-9])")
# 4.11623199001011E+17, 6.2e15: the mantissa's digits are kept, the rest is unknown.
_SCIENTIFIC = re.compile(r"(?<![0-9.])([0-9])(?:\.([0-9]*))?[eE]\+?([0-9]{1,3})(?![0-9])")


def _expand(match: re.Match[str]) -> str:
    kept = match.group(1) + (match.group(2) or "")
    length = int(match.group(3)) + 1
    if not 11 <= length <= 19 or len(kept) > length:
        return match.group(0)
    return kept + "*" * (length - len(kept))


def digit_view(value: object) -> str:
    """A cell as the check reads it: ``plain_text`` with invisible characters gone, Chinese
    and other digits as ASCII, masks as ``*`` and scientific notation written out."""
    text = plain_text(value)
    if not text.isascii():
        text = _SCRIPT_CHANGE.sub(" ", text)
    text = text.translate(_view_table())
    if "x" in text or "×" in text:
        text = _CHECK_X.sub(r"\1X", text)
    if "." in text:
        text = _WHOLE_FLOAT.sub("", text)
    if "e" in text or "E" in text:
        text = _SCIENTIFIC.sub(_expand, text)
    return text


# --- tokens ------------------------------------------------------------------------------------

_GROUP = r"(?:[0-9*]+X?|(?<![A-Za-z])X(?![A-Za-z0-9]))"  # a lone X: the check character after a gap
_SEPARATOR = r"(?:[^\w*]|_)+"  # anything that is neither a letter, a digit nor a mask
NUMBER_TOKEN = re.compile(rf"{_GROUP}(?:{_SEPARATOR}{_GROUP})*")
_GROUP_RE = re.compile(_GROUP)
_STRICT = re.compile(r"[\s\-]{1,3}")  # how numbers are usually typed: a space or a dash


@dataclass(frozen=True)
class Token:
    """One number as written: its groups (digits, '*' masks, a final X) and, for each join
    between two groups, whether it was an ordinary space or dash (strict)."""

    groups: tuple[str, ...]
    strict: tuple[bool, ...]  # strict[i]: the join before groups[i + 1]

    @functools.cached_property
    def pattern(self) -> str:
        return "".join(self.groups)

    @property
    def masked(self) -> bool:
        return "*" in self.pattern

    def chains(self) -> Iterator[list[tuple[str, int, bool]]]:
        """Runs of digit-only pieces a full number may be read from: (digits, offset in the
        pattern, strict join before). A mask ends a chain."""
        chain: list[tuple[str, int, bool]] = []
        offset = 0
        for index, group in enumerate(self.groups):
            join = self.strict[index - 1] if index else True
            for number, piece in enumerate(group.split("*")):
                if number:
                    if chain:
                        yield chain
                    chain, join = [], True
                if piece:
                    chain.append((piece, offset, join))
                offset += len(piece) + (1 if number < group.count("*") else 0)
        if chain:
            yield chain


def tokens(view: str, masks_only: bool = False) -> list[Token]:
    """The numbers in a view: those with at least one digit (`masks_only`: all-star ones too,
    such as an ID hidden whole, which still say whose row it is)."""
    found = []
    for match in NUMBER_TOKEN.finditer(view):
        text = match.group()
        if masks_only or any(c.isdigit() for c in text):
            found.append(token_of(text))
    return found


def token_of(text: str) -> Token:
    """One number's text (a whole NUMBER_TOKEN match) as its Token."""
    groups, strict, last = [], [], None
    for group in _GROUP_RE.finditer(text):
        if last is not None:
            strict.append(bool(_STRICT.fullmatch(text[last : group.start()])))
        groups.append(group.group())
        last = group.end()
    return Token(tuple(groups), tuple(strict))


def edge_tokens(view: str) -> tuple[Token | None, Token | None]:
    """The number a view begins with and the one it ends with (masked or not), if any: what
    may run on into the neighbouring cell."""
    matches = list(NUMBER_TOKEN.finditer(view))
    first = token_of(matches[0].group()) if matches and matches[0].start() == 0 else None
    last = token_of(matches[-1].group()) if matches and matches[-1].end() == len(view) else None
    return first, last


def joined(left: Token, right: Token) -> Token:
    """The one number two tokens make when their cells are read side by side, across a
    separator that only sure readings cross (not a space or a dash)."""
    return Token(left.groups + right.groups, (*left.strict, False, *right.strict))
