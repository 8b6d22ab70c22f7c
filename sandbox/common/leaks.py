"""How people leak numbers, and how the privacy check sees through it.

A full ID or card number is still a leak when it is written ``4116.2319.9001.0112.34``,
with thousands commas, zero-width spaces or a soft hyphen inside, in Chinese digits
(四一一六二三…), in full-width digits, as a float (``6.212345678901234e+15``) or in Excel's
scientific notation, split over two cells, or in a header. It is also a leak when a cell
keeps more of a person's digits than the masking policy allows (``4116231990****1234``),
or keeps so many that the digits the policy publishes anyway rebuild the whole number
(Excel's ``4.11623199001011E+17`` plus the published last four).

- ``digit_view`` and ``tokens`` (number_view.py) read a cell the way a curious reader
  would and cut it into numbers.
- ``find_numbers`` names the full IDs, cards and phones a text shows.
- ``LeakScanner`` checks a whole table: each cell, each header, each pair of adjacent
  cells of a row, and — when the paid table is given — compares every number in a row
  with the row's own person's ID and card.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from sandbox.common.checkdigits import luhn_is_valid
from sandbox.common.columns import data_kind
from sandbox.common.identifiers import _address_code_known, check_clean_id  # cached stdnum lookup
from sandbox.common.number_view import Token, digit_view, edge_tokens, joined, token_of, tokens
from sandbox.common.text import compact, plain_text


class MaskingPolicy(Protocol):
    """What may be shown: the scenario's ``masking`` section (or anything shaped like it).
    Defined here, where the leak scan needs it; masking.py re-exports it."""

    @property
    def id_keep_start(self) -> int: ...

    @property
    def id_keep_end(self) -> int: ...

    @property
    def card_keep_end(self) -> int: ...

    @property
    def show_name(self) -> bool: ...


CURRENT_CODES_YEAR = "2020"  # county codes in force now (stdnum's table), for _real_id


# --- full numbers ------------------------------------------------------------------------------

_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_PHONE_SHAPE = re.compile(r"1[3-9][0-9]{9}")


@dataclass(frozen=True)
class NumberHit:
    """A full identifier found in a token: where it is (in the token's pattern) and what."""

    start: int
    end: int
    kind: str  # "full_id" | "full_card" | "phone"
    value: str  # compact digits


@dataclass(frozen=True)
class KnownValues:
    """Full values from the paid table: leaks to catch even when they fail a check digit."""

    ids: frozenset[str] = frozenset()
    cards: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()

    @classmethod
    def from_table(cls, paid: pd.DataFrame | None) -> KnownValues:
        if paid is None or paid.empty:
            return cls()
        columns = {data_kind(c): c for c in reversed(list(paid.columns))}

        def values(canonical: str) -> frozenset[str]:
            if canonical not in columns:
                return frozenset()
            typed = (compact(v).upper() for v in paid[columns[canonical]])
            return frozenset(v for v in typed if len(v) >= 11)

        return cls(values("id_number"), values("account_number"), values("phone"))

    def __bool__(self) -> bool:
        return bool(self.ids or self.cards or self.phones)


def _real_id(number: str) -> bool:
    """A valid ID, or one whose county code is valid today though not in its birth year
    (IDs re-issued after a county was renamed): check character, birth date and county
    together make a chance reading (a date run on from an amount) all but impossible."""
    reason = check_clean_id(number).reason
    return reason == "" or (reason == "unknown_address_code" and _address_code_known(number[:6], CURRENT_CODES_YEAR))


def _classify(number: str, known: KnownValues, strict: bool) -> tuple[str, int] | None:
    """What a digit string is, if publishing it is a leak, and how sure we are (0 = surest).

    Read across unusual separators (dots, commas, long gaps: not strict) only the sure
    readings count — a known value, a real ID (``_real_id``), a UnionPay card — so a list of amounts
    is never taken for a number that merely has the right length.
    """
    for kind, values in (("full_id", known.ids), ("full_card", known.cards), ("phone", known.phones)):
        if number in values:
            return kind, 0
    if len(number) == 18 and _real_id(number):
        return "full_id", 1
    luhn_valid = 16 <= len(number) <= 19 and number.isdigit() and luhn_is_valid(number)
    if luhn_valid and number.startswith("62"):  # UnionPay, even when 18 digits long
        return "full_card", 2
    if not strict:
        return None
    if _ID_SHAPE.fullmatch(number):
        return "full_id", 3
    if luhn_valid:
        return "full_card", 4
    if _PHONE_SHAPE.fullmatch(number):
        return "phone", 5
    return None


Candidate = tuple[int, int, NumberHit]  # rank, -length, hit


def _chain_candidates(chain: list[tuple[str, int, bool]], known: KnownValues) -> Iterator[Candidate]:
    """Every reading of a chain's digits as an ID, card or phone.

    Readings from piece to piece keep the join's strictness; a reading that starts or ends
    inside a piece ("张三" + "四一一六…" reads 3411 6…; "原卡号62…59") may only be a sure one.
    """
    digits = "".join(piece for piece, _, _ in chain)
    if len(digits) < 11:
        return
    starts = [0]
    for piece, _, _ in chain:
        starts.append(starts[-1] + len(piece))
    bounds = set(starts)
    loose_before = {starts[i] for i, (_, _, join) in enumerate(chain) if i and not join}

    def offset(i: int) -> int:  # digit index -> position in the token's pattern
        k = next(k for k in range(len(chain)) if starts[k] <= i < starts[k + 1])
        return chain[k][1] + i - starts[k]

    for s in range(len(digits)):
        for length in (11, 16, 17, 18, 19):
            e = s + length
            if e > len(digits):
                break
            number = digits[s:e]
            if "X" in number[:-1]:
                break
            aligned = s in bounds and e in bounds
            if not aligned and not _worth_reading_inside(number, known):
                continue
            strict = aligned and not any(s < b < e for b in loose_before)
            reading = _classify(number, known, strict)
            if reading:
                hit = NumberHit(offset(s), offset(e - 1) + 1, reading[0], number)
                yield reading[1] + (0 if aligned else 1), -length, hit


def _worth_reading_inside(number: str, known: KnownValues) -> bool:
    """Cheap filter for readings inside a piece: only these can be sure ones."""
    if len(number) == 18 and number[:17].isdigit():
        return True
    if number.startswith("62") and len(number) >= 16:
        return True
    return bool(known) and (number in known.ids or number in known.cards or number in known.phones)


def token_numbers(token: Token, known: KnownValues = KnownValues()) -> list[NumberHit]:
    """Full IDs, cards and phones in one token; where readings overlap the surest wins
    (known value, valid ID, UnionPay card, ID shape, other card, phone)."""
    if len(token.pattern) - token.pattern.count("*") < 11:
        return []  # no chain is long enough for a phone, the shortest number looked for
    chosen: list[NumberHit] = []
    for chain in token.chains():
        for _, _, hit in sorted(_chain_candidates(chain, known), key=lambda c: c[:2]):
            if all(hit.end <= other.start or hit.start >= other.end for other in chosen):
                chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


def find_numbers(text: object, known: KnownValues = KnownValues()) -> list[NumberHit]:
    """Full IDs, card numbers and phones in a text, however they are disguised."""
    return [hit for token in tokens(digit_view(text)) for hit in token_numbers(token, known)]


# --- what a masked or partial number reveals ---------------------------------------------------

MIN_RENDERED = 4  # a masked pattern showing fewer characters matches someone's number by chance
RUN_FLOOR = 8  # an unmasked run of a person's digits shorter than this may be chance (an amount)
SEARCH_WINDOW = 12  # runs this long of any paid number are looked up without knowing the row


def allowed_positions(kind: str, length: int, policy: MaskingPolicy) -> frozenset[int]:
    """The positions of an ID ("id") or card ("card") the policy lets a table show."""
    if kind == "id":
        start, end = policy.id_keep_start, policy.id_keep_end
    else:
        start, end = 0, policy.card_keep_end
    return frozenset(range(min(start, length))) | frozenset(range(max(length - end, 0), length))


def masked_reveal(pattern: str, number: str) -> frozenset[int]:
    """Positions of `number` that a masked pattern shows, if the pattern is a rendering of it:
    the same length with every shown character (at least MIN_RENDERED) in place, or shorter
    with both ends kept ("6212****1234")."""
    n = len(number)
    if len(pattern) == n:
        shown, matcher = _rendering(pattern)
        return shown if len(shown) >= MIN_RENDERED and matcher(number) else frozenset()
    if len(pattern) < n:
        head, tail = pattern[: pattern.index("*")], pattern[pattern.rindex("*") + 1 :]
        if head and tail and number.startswith(head) and number.endswith(tail):
            return frozenset(range(len(head))) | frozenset(range(n - len(tail), n))
    return frozenset()


@functools.lru_cache(maxsize=65_536)
def _rendering(pattern: str) -> tuple[frozenset[int], Callable[[str], bool]]:
    """The positions a masked pattern shows, and a test for numbers it renders (each
    shown run in place: "411623********1234" -> 411623 at 0 and 1234 at 14)."""
    shown = frozenset(i for i, c in enumerate(pattern) if c != "*")
    runs = [(m.start(), m.group()) for m in re.finditer(r"[^*]+", pattern)]
    return shown, lambda number: all(number.startswith(run, at) for at, run in runs)


def longest_run(digits: str, number: str, floor: int = RUN_FLOOR) -> frozenset[int]:
    """Positions of the longest run of `number` written in `digits` (at least `floor` long)."""
    best: tuple[int, int] = (0, 0)
    for i in range(len(digits) - floor + 1):
        seed = digits[i : i + floor]
        j = number.find(seed)
        while j >= 0:
            length = floor
            while i + length < len(digits) and j + length < len(number) and digits[i + length] == number[j + length]:
                length += 1
            if length > best[1]:
                best = (j, length)
            j = number.find(seed, j + 1)
    return frozenset(range(best[0], best[0] + best[1]))


def reveal(masked: Iterable[str], segments: Iterable[str], number: str) -> frozenset[int]:
    """The most of `number` a cell shows: as one of its masked patterns (renderings) or as
    an unmasked run of at least RUN_FLOOR digits in one of its digit segments."""
    best: frozenset[int] = frozenset()
    for pattern in masked:
        shown = masked_reveal(pattern, number)
        if len(shown) > len(best):
            best = shown
    for segment in segments:
        shown = longest_run(segment, number)
        if len(shown) > len(best):
            best = shown
    return best


def _masked_patterns(found: list[Token]) -> tuple[str, ...]:
    """Patterns (a whole token or one group) that may render a masked number."""
    patterns = {p for t in found for p in (t.pattern, *t.groups) if "*" in p}
    return tuple(p for p in patterns if len(p) - p.count("*") >= MIN_RENDERED)


def _long_segments(found: list[Token]) -> tuple[str, ...]:
    return tuple(s for t in found for s in t.pattern.split("*") if len(s) >= RUN_FLOOR)


def shape_over_reveal(token: Token, policy: MaskingPolicy) -> tuple[str, str] | None:
    """A masked ID or card shape (no person needed) showing a character the policy hides:
    ("id" | "card", pattern). An 18-character pattern may be either; it is a leak only
    when it fits neither reading."""
    pattern = token.pattern
    if "*" not in pattern or not 16 <= len(pattern) <= 19:
        return None
    shown = frozenset(i for i, c in enumerate(pattern) if c != "*")
    readings = []
    if len(pattern) == 18:
        readings.append("id")
    if not pattern.endswith("X"):
        readings.append("card")
    fits = [shown <= allowed_positions(kind, len(pattern), policy) for kind in readings]
    if any(fits):
        return None
    kind = "card" if pattern.startswith("62") or "id" not in readings else "id"
    return kind, pattern


# --- a whole table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Leak:
    """A number a table shows: where (data row from 0, or None for the header row; one column,
    or two adjacent ones for a number split over them), what, and the number itself (the
    person's own when known, else the digits shown) so the caller can mask it for the report."""

    row: int | None
    columns: tuple[int, ...]  # positions in the table
    kind: str  # full_id | full_card | phone | id_over_revealed | card_over_revealed
    value: str


@dataclass
class _Cell:
    tokens: list[Token]
    keys: list[Token]  # tokens, all-star ones too: what says whose row it is
    hits: list[NumberHit]
    shapes: list[tuple[str, str]]
    masked: tuple[str, ...]  # patterns that may render a masked number
    segments: tuple[str, ...]  # unmasked digit runs long enough to matter
    starts: int  # the view begins with a number (2: a masked one) that may continue from the left
    ends: int  # the view ends with a number (2: a masked one)
    harmless: bool = True  # shows no paid person's number beyond the policy, whoever's row it is
    view: str = ""
    edges: tuple[Token | None, Token | None] | None = None  # edge_tokens(view), when first needed


# One number, masked, with nothing around it: a single token (one group) as the cell's view.
_ONE_MASKED_NUMBER = re.compile(r"[0-9]*\*+[0-9]*X?")
_EDGE = frozenset("0123456789*X")  # a number may run on into the next cell from these
AMOUNT_LIKE = re.compile(r"\s*[-+]?[0-9,]*\.[0-9]{1,2}\s*(?:元)?")  # 1,234.50 元
MAX_CANDIDATES = 8  # a key matching more people than this says nothing about whose row it is
RENDER_ENDS = 10  # the shown ends of masked patterns indexed by PersonIndex.could_render


@dataclass
class PersonIndex:
    """The paid table's people, findable from what a published row shows about them."""

    numbers: list[tuple[str, str]] = field(default_factory=list)  # person -> (id, card)
    by_id_key: dict[tuple, set[int]] = field(default_factory=dict)
    by_card_key: dict[tuple, set[int]] = field(default_factory=dict)
    by_name: dict[str, set[int]] = field(default_factory=dict)
    _windows: dict[str, set[int]] | None = None
    _ends: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)
    _runs: set[str] | None = None

    @classmethod
    def build(cls, paid: pd.DataFrame | None, policy: MaskingPolicy) -> PersonIndex:
        index = cls()
        if paid is None or paid.empty:
            return index
        columns = {data_kind(c): c for c in reversed(list(paid.columns))}
        if "id_number" not in columns and "account_number" not in columns:
            return index
        n = len(paid)
        ids = paid[columns["id_number"]].map(compact).str.upper() if "id_number" in columns else [""] * n
        cards = paid[columns["account_number"]].map(compact) if "account_number" in columns else [""] * n
        names = paid[columns["name"]].map(plain_text) if "name" in columns else [""] * n
        seen: dict[tuple[str, str], int] = {}
        for id_number, card, name in zip(ids, cards, names, strict=True):
            person = seen.get((id_number, card))
            if person is None:
                person = seen[(id_number, card)] = len(index.numbers)
                index.numbers.append((id_number, card))
                index._add(id_number, card, person, policy)
            if name:
                index.by_name.setdefault(name, set()).add(person)
                index.by_name.setdefault(_name_key(name), set()).add(person)
        return index

    def _add(self, id_number: str, card: str, person: int, policy: MaskingPolicy) -> None:
        if len(id_number) >= 11:
            self.by_id_key.setdefault(id_key(id_number, policy), set()).add(person)
        if len(card) >= 11:
            self.by_card_key.setdefault(card_key(card, policy), set()).add(person)

    def windows(self) -> dict[str, set[int]]:
        """Every SEARCH_WINDOW-digit run of every paid number -> its people. Built on first
        use: a properly masked table has no run that long, and never needs it."""
        if self._windows is None:
            self._windows = {}
            for person, numbers in enumerate(self.numbers):
                for number in numbers:
                    for i in range(len(number) - SEARCH_WINDOW + 1):
                        self._windows.setdefault(number[i : i + SEARCH_WINDOW], set()).add(person)
        return self._windows

    def could_show_run(self, segment: str) -> bool:
        """Whether an unmasked run of digits holds RUN_FLOOR digits in a row of some paid number
        (if not, `longest_run` finds nothing of anyone's in it)."""
        if self._runs is None:
            self._runs = {n[i : i + RUN_FLOOR] for numbers in self.numbers for n in numbers
                          for i in range(len(n) - RUN_FLOOR + 1)}
        return any(segment[i : i + RUN_FLOOR] in self._runs for i in range(len(segment) - RUN_FLOOR + 1))

    def could_render(self, kind: str, head: str, tail: str) -> bool:
        """Whether some paid ID ("id") or card ("card") starts with `head` and ends with `tail`
        (the shown ends of a masked pattern): if none does, the pattern reveals no one's."""
        if len(head) > RENDER_ENDS or len(tail) > RENDER_ENDS:
            return True  # not indexed: assume it may
        ends = self._ends.get(kind)
        if ends is None:
            which = 0 if kind == "id" else 1
            ends = self._ends[kind] = ({n[which][:k] for n in self.numbers for k in range(1, RENDER_ENDS + 1)},
                                       {n[which][-k:] for n in self.numbers for k in range(1, RENDER_ENDS + 1)})
        return (not head or head in ends[0]) and (not tail or tail in ends[1])

    def __bool__(self) -> bool:
        return bool(self.numbers)

    def people_in(self, cell_tokens: Iterable[Token], policy: MaskingPolicy) -> set[int]:
        """People a cell's numbers point to: by their masked forms or a long run of digits."""
        found: set[int] = set()
        for token in cell_tokens:
            for pattern in {token.pattern, *token.groups}:
                for key, table in ((id_key(pattern, policy), self.by_id_key),
                                   (card_key(pattern, policy), self.by_card_key)):
                    people = table.get(key, ())
                    if len(people) <= MAX_CANDIDATES:
                        found.update(people)
            for segment in token.pattern.split("*"):
                for i in range(len(segment) - SEARCH_WINDOW + 1):
                    people = self.windows().get(segment[i : i + SEARCH_WINDOW], ())
                    if len(people) <= MAX_CANDIDATES:
                        found.update(people)
        return found

    def people_named(self, name: str) -> set[int]:
        for key in (name, _name_key(name)):
            people = self.by_name.get(key, set())
            if people and len(people) <= MAX_CANDIDATES:
                return people
        return set()


def id_key(pattern: str, policy: MaskingPolicy) -> tuple:
    """What a properly masked ID shows: two IDs with one key look the same when published."""
    n, end = len(pattern), policy.id_keep_end
    return ("id", n, pattern[: policy.id_keep_start], pattern[n - end :] if end else "")


def card_key(pattern: str, policy: MaskingPolicy) -> tuple:
    n, end = len(pattern), policy.card_keep_end
    return ("card", n, pattern[n - end :] if end else "")


def _name_key(name: str) -> str:
    """张三明 and 张*明 meet here: the name as masking shows it (as masking.mask_name)."""
    if len(name) <= 2:
        return name[:1] + "*" * (len(name) - 1) if len(name) == 2 else "*" * len(name)
    return name[0] + "*" * (len(name) - 2) + name[-1]


class LeakScanner:
    """Checks the cells, headers and adjacent cell pairs of a table for numbers it leaks."""

    def __init__(self, paid: pd.DataFrame | None, policy: MaskingPolicy) -> None:
        self.policy = policy
        self.known = KnownValues.from_table(paid)
        self.people = PersonIndex.build(paid, policy)
        self._cells: dict[str, _Cell] = {}
        self._shortest_known = min(map(len, self.known.ids | self.known.cards | self.known.phones), default=99)
        self._allowed_cache: dict[tuple[str, int], frozenset[int]] = {}

    def cell(self, text: str) -> _Cell:
        scanned = self._cells.get(text)
        if scanned is None:
            view = digit_view(text)
            if "*" not in view and sum(map(str.isdigit, view)) < RUN_FLOOR:
                # An amount, a date, a name: no number to find, but one may start or end here.
                edge = (view[:1].isdigit() or view[:1] == "X", view[-1:].isdigit() or view[-1:] == "X")
                scanned = self._cells[text] = _Cell([], [], [], [], (), (), int(edge[0]), int(edge[1]),
                                                    view=view)
                return scanned
            if _ONE_MASKED_NUMBER.fullmatch(view):  # "411623********1234": the usual masked cell
                token = token_of(view)
                found, keys = ([token] if any(c.isdigit() for c in view) else []), [token]
            else:
                found = tokens(view)
                keys = tokens(view, masks_only=True) if "*" in view else found
            hits = [hit for token in found for hit in token_numbers(token, self.known)]
            shapes = [s for token in found if (s := shape_over_reveal(token, self.policy))]
            # 0: no number at that edge; 1: a number; 2: a masked number (two masked numbers
            # side by side are two numbers, not one split in two).
            starts = 0 if view[:1] not in _EDGE else 2 if keys and keys[0].masked else 1
            ends = 0 if view[-1:] not in _EDGE else 2 if keys and keys[-1].masked else 1
            masked, segments = _masked_patterns(found), _long_segments(found)
            scanned = self._cells[text] = _Cell(found, keys, hits, shapes, masked, segments, starts, ends,
                                                self._shows_nothing(masked, segments), view)
        return scanned

    def _shows_nothing(self, masked: tuple[str, ...], segments: tuple[str, ...]) -> bool:
        return not any(map(self.people.could_show_run, segments)) and all(map(self._harmless, masked))

    def seam(self, left: _Cell, right: _Cell) -> _Cell:
        """Two adjacent cells read as one text ("left ; right"): what the number running over
        their seam shows. (Their other numbers are each cell's own.)"""
        if left.edges is None:
            left.edges = edge_tokens(left.view)
        if right.edges is None:
            right.edges = edge_tokens(right.view)
        if left.edges[1] is None or right.edges[0] is None:
            return _Cell([], [], [], [], (), (), 0, 0)
        token = joined(left.edges[1], right.edges[0])
        found = [token] if any(c.isdigit() for c in token.pattern) else []
        # A new number must cross the seam, and only sure readings cross it: a paid value, an
        # ID (18) or a UnionPay card (16-19). Shorter runs give each cell's own numbers again.
        digits = len(token.pattern) - token.pattern.count("*")
        hits = ([hit for t in found for hit in token_numbers(t, self.known)]
                if digits >= min(16, self._shortest_known) else [])
        masked, segments = _masked_patterns(found), _long_segments(found)
        return _Cell(found, found, hits, [], masked, segments, 0, 0, self._shows_nothing(masked, segments))

    def _harmless(self, pattern: str) -> bool:
        """A masked pattern that shows no paid ID or card beyond the policy, whichever it renders:
        one run of stars, with ends the policy allows or that no paid number has. (What
        `masked_reveal` can show of a number is at most these ends.)"""
        first, last = pattern.index("*"), pattern.rindex("*")
        if pattern.count("*") != last - first + 1:
            return False  # stars in two runs: the full check
        head, tail = pattern[:first], pattern[last + 1 :]
        policy, people = self.policy, self.people
        id_ok = (len(head) <= policy.id_keep_start and len(tail) <= policy.id_keep_end
                 or not people.could_render("id", head, tail))
        card_ok = not head and len(tail) <= policy.card_keep_end or not people.could_render("card", head, tail)
        return id_ok and card_ok

    def scan(self, table: pd.DataFrame) -> list[Leak]:
        leaks = list(self.row(None, [str(c) for c in table.columns], []))
        name_columns = [i for i, c in enumerate(table.columns) if data_kind(c) == "name"]
        columns = [cell_texts(table.iloc[:, i]) for i in range(table.shape[1])]
        for position, texts in enumerate(zip(*columns, strict=True)):
            leaks.extend(self.row(position, list(texts), name_columns))
        return leaks

    def row(self, position: int | None, texts: list[str], name_columns: list[int]) -> Iterator[Leak]:
        cells = [self.cell(t) if t else None for t in texts]
        for column, cell in enumerate(cells):
            if cell is None:
                continue
            for hit in cell.hits:
                yield Leak(position, (column,), hit.kind, hit.value)
            for kind, pattern in cell.shapes:
                yield Leak(position, (column,), self._over_or_full(kind, pattern, pattern), pattern)
        seams = [(c, c + 1) for c in range(len(cells) - 1)
                 if cells[c] is not None and cells[c + 1] is not None
                 and cells[c].ends and cells[c + 1].starts and cells[c].ends + cells[c + 1].starts < 4]
        # Joined by a separator only sure readings cross (a valid ID, a UnionPay card, a paid
        # value): two neighbouring amounts are no phone number.
        seam_cells = {pair: self.seam(cells[pair[0]], cells[pair[1]]) for pair in seams}
        for pair, seam_hits in seam_cells.items():
            alone = {h.value for c in pair for h in cells[c].hits}
            amounts = any(AMOUNT_LIKE.fullmatch(texts[c]) for c in pair)
            for hit in seam_hits.hits:
                # Two amounts side by side pass the Luhn test one time in ten: a card read
                # across an amount's cell must be one the paid table knows.
                if amounts and hit.kind == "full_card" and hit.value not in self.known.cards:
                    continue
                if hit.value not in alone:
                    yield Leak(position, pair, hit.kind, hit.value)
        if self.people and position is not None:
            yield from self._person_leaks(position, texts, cells, seam_cells, name_columns)

    def _person_leaks(self, position: int, texts: list[str], cells: list[_Cell | None],
                      seam_cells: dict[tuple[int, int], _Cell], name_columns: list[int]) -> Iterator[Leak]:
        places = [((c,), cell) for c, cell in enumerate(cells) if cell and (cell.masked or cell.segments)]
        places += [(pair, cell) for pair, cell in seam_cells.items() if cell.masked or cell.segments]
        if all(cell.harmless for _, cell in places):
            return  # nothing here can show more of anyone's number than the policy allows
        people: set[int] = set()
        for cell in cells:
            if cell is not None and cell.keys:
                people |= self.people.people_in(cell.keys, self.policy)
        if not people:
            for column in name_columns:
                people |= self.people.people_named(plain_text(texts[column]))
        if not people:
            return
        numbers = [(kind, number) for person in sorted(people)
                   for kind, number in zip(("id", "card"), self.people.numbers[person], strict=True)
                   if len(number) >= 11]
        shown: dict[tuple[tuple[int, ...], str], int] = {}
        for where, cell in places:
            proper = self._proper_renderings(cell, numbers)
            for kind, number in numbers:
                masked = [p for p in cell.masked if proper.get(p, number) == number]
                positions = reveal(masked, cell.segments, number)
                if len(where) == 2:  # a split number: only what neither cell shows alone
                    if len(positions) <= max(shown.get(((c,), number), 0) for c in where):
                        continue
                else:
                    shown[(where, number)] = len(positions)
                allowed = self._allowed(kind, len(number))
                if positions - allowed and (len(positions) > len(allowed) or any(masked_reveal(p, number) for p in masked)):
                    yield Leak(position, where, self._over_or_full(kind, number, number, positions), number)

    def _allowed(self, kind: str, length: int) -> frozenset[int]:
        key = (kind, length)
        if key not in self._allowed_cache:
            self._allowed_cache[key] = allowed_positions(kind, length, self.policy)
        return self._allowed_cache[key]

    def _proper_renderings(self, cell: _Cell, numbers: list[tuple[str, str]]) -> dict[str, str]:
        """Masked patterns of the cell that mask one of the row's numbers as the policy says
        (pattern -> that number): a masked card is not read as a glimpse of the ID."""
        proper: dict[str, str] = {}
        for pattern in cell.masked:
            for kind, number in numbers:
                shown = masked_reveal(pattern, number)
                if shown and shown <= self._allowed(kind, len(number)):
                    proper.setdefault(pattern, number)
        return proper

    def _over_or_full(self, kind: str, number: str, value: str, positions: frozenset[int] | None = None) -> str:
        """over_revealed, or full when what is shown plus what the policy shows anyway is all."""
        if positions is None:
            positions = frozenset(i for i, c in enumerate(value) if c != "*")
        if positions | allowed_positions(kind, len(number), self.policy) >= frozenset(range(len(number))):
            return "full_id" if kind == "id" else "full_card"
        return f"{kind}_over_revealed"


def cell_texts(column: pd.Series) -> list[str]:
    """A column's cells as the scan reads them ("" for a blank), each distinct value once."""
    seen: dict[tuple[type, object], str] = {}
    texts = []
    for value in column.tolist():
        try:
            key = (type(value), value)
            text = seen.get(key)
            if text is None:
                text = seen[key] = "" if _blank(value) else _as_text(value)
        except TypeError:  # unhashable: read it as it is
            text = "" if _blank(value) else _as_text(value)
        texts.append(text)
    return texts


def _as_text(value: object) -> str:
    """A cell as text; a float holding a whole number exactly (below 2**53) in all its digits."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def _blank(value: object) -> bool:
    return plain_text(value) == ""
