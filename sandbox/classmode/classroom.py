"""Class mode on the trainer's side: class files, rosters, access tokens and seeds.

A class is a small YAML file (see `classfile`: its fields, and how it is checked).
`create_class` reads the roster, draws a class secret and one token per trainee, stores the
secret and the token hashes in the gradebook (never the tokens), and writes the tokens to a
CSV the trainer hands out. Each trainee's world comes from a seed derived from the secret
and the trainee id, so neighbours cannot copy answers: an HMAC-SHA256 keyed with the secret,
over the whole seed range a scenario allows. Without the secret (which only the gradebook
holds) the trainee id says nothing about the seed, and the seed is never sent to a trainee
(server.py), so no one can rebuild their world and its answer key elsewhere.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from sandbox.classmode.classfile import ClassConfig, ClassError, load_class
from sandbox.common.spreadsheet import FORMULA_STARTS, safe_cell, unsafe_cell
from sandbox.common.submissions import read_file
from sandbox.errors import SandboxError
from sandbox.gradebook.store import Gradebook
from sandbox.scenario import Scenario, load_scenario, scenario_path
from sandbox.scenario.schema import MAX_SEED

SEED_MODULUS = MAX_SEED + 1  # every seed a scenario allows: no small space to search
ID_COLUMNS = ("trainee_id", "工号", "学号", "学员编号", "编号")  # an explicit trainee id, if any


@dataclass(frozen=True)
class RosterEntry:
    trainee_id: str
    name: str
    id_number: str | None


# --- rosters ---------------------------------------------------------------------------------


# What the gradebook's columns hold (models.py): a longer value is refused here, by row.
MAX_NAME = 200
MAX_TRAINEE_ID = 64
MAX_ID_NUMBER = 32


def normal_trainee_id(typed: str) -> str:
    """A trainee id as enrolled: full-width to half-width, no spaces, upper case
    (Ｔ００１, t001 and "T 001" are one trainee, T001)."""
    return "".join(unicodedata.normalize("NFKC", str(typed)).split()).upper()


def typed_token(typed: str) -> str:
    """An access token as typed or pasted: full-width to half-width, no spaces (its case counts)."""
    return "".join(unicodedata.normalize("NFKC", str(typed)).split())


def _unprintable(text: str) -> bool:
    """NUL and other control characters: no name has them, and PostgreSQL refuses NUL."""
    return any(unicodedata.category(c) == "Cc" for c in text)


def read_roster(source: str | Path) -> list[RosterEntry]:
    """Trainees from a CSV (UTF-8 or GBK) or XLSX roster with a name column (姓名) and,
    optionally, an id (工号/学号/trainee_id) and an identity number (身份证号). Every row
    that cannot be enrolled is named, and nothing is enrolled until all can be."""
    frame, name = read_file(source)
    if "name" not in frame.columns:
        found = [h for c, h in frame.attrs.get("headers", {}).items() if c != "_row"]
        raise ClassError(f"{name}：没有姓名列，表头应有“姓名”或 name（现有的列：{found}）",
                         f"{name}: no name column; expected a header 姓名 or name "
                         f"(the columns found are {found})")
    id_column = next((c for c in ID_COLUMNS if c in frame.columns), None)
    entries, problems, seen = [], [], {}
    for position, row in enumerate(frame.to_dict("records"), start=1):
        where = (f"第 {row['_row']} 行", f"row {row['_row']}")
        person = row["name"].strip()
        trainee_id = normal_trainee_id(row[id_column]) if id_column else f"T{position:03d}"
        id_number = normal_trainee_id(row.get("id_number", "")) or None
        wrong = _row_problem(person, trainee_id, id_number, frame.attrs["headers"].get(id_column, "")
                             if id_column else "")
        if wrong:
            problems.append((f"{where[0]}：{wrong[0]}", f"{where[1]}: {wrong[1]}"))
            continue
        key = trainee_id if id_column else (id_number or person)
        if key in seen:
            problems.append((f"{where[0]}：{person} 与第 {seen[key]} 行是同一个学员（{key}）",
                             f"{where[1]}: {person} is the same trainee as row {seen[key]} ({key})"))
            continue
        seen[key] = row["_row"]
        entries.append(RosterEntry(trainee_id, person, id_number))
    if problems:
        raise ClassError(f"{name}：名单有问题，班级没有建立：\n  " + "\n  ".join(zh for zh, _ in problems),
                         f"{name}: roster rejected, no class created:\n  " + "\n  ".join(en for _, en in problems))
    if not entries:
        raise ClassError(f"{name}：名单只有表头，没有学员", f"{name}: the roster has a header but no trainees")
    return entries


def _row_problem(person: str, trainee_id: str, id_number: str | None, id_header: str) -> tuple[str, str] | None:
    """What keeps one roster row from being enrolled (zh, en), or None."""
    if not person:
        return "姓名是空的", "the name is empty"
    if _unprintable(person) or _unprintable(trainee_id) or _unprintable(id_number or ""):
        return (f"{person[:20]!r} 含有控制字符（如 NUL），请在表格里重新输入这一行",
                f"{person[:20]!r} holds a control character (such as NUL); type the row again")
    if len(person) > MAX_NAME:
        return (f"姓名有 {len(person)} 个字，最多 {MAX_NAME} 个：{person[:20]}…",
                f"the name is {len(person)} characters long, at most {MAX_NAME}: {person[:20]}…")
    if id_header and not trainee_id:
        return f"{person} 没有填{id_header}", f"{person} has no {id_header}"
    if len(trainee_id) > MAX_TRAINEE_ID:
        return (f"{person} 的编号超过 {MAX_TRAINEE_ID} 个字符", f"{person}'s id is longer than {MAX_TRAINEE_ID} characters")
    if id_number and len(id_number) > MAX_ID_NUMBER:
        return (f"{person} 的身份证号超过 {MAX_ID_NUMBER} 个字符",
                f"{person}'s identity number is longer than {MAX_ID_NUMBER} characters")
    return None


# --- the class itself ------------------------------------------------------------------------


class Classroom:
    """One configured class: its file, its scenario and its gradebook."""

    def __init__(self, config: ClassConfig, gradebook: Gradebook | None = None) -> None:
        self.config = config
        self.gradebook = gradebook or Gradebook(config.gradebook_url)
        self._scenario: Scenario | None = None

    @classmethod
    def open(cls, path: str | Path, gradebook: str | None = None) -> Classroom:
        return cls(load_class(path, gradebook))

    @property
    def class_id(self) -> str:
        return self.config.class_id

    @property
    def scenario(self) -> Scenario:
        if self._scenario is None:
            self._scenario = load_scenario(self.config.scenario_path)
        return self._scenario

    def info(self) -> dict[str, Any]:
        return self.gradebook.class_info(self.class_id)

    @property
    def mode(self) -> str:
        return str(self.info()["mode"])

    def seed_for(self, trainee_id: str) -> int:
        """The trainee's own variant of the scenario (stable for the life of the class; for the
        trainer's tools only: no trainee ever sees it)."""
        return trainee_seed(self.gradebook.class_secret(self.class_id), trainee_id)

    def world_of(self, trainee_id: str) -> Scenario:
        """The scenario as the trainee's attempt runs it: with their own seed."""
        return self.scenario.with_seed(self.seed_for(trainee_id))

    def prebuild_worlds(self) -> int:
        """Build each trainee's county into the class's world cache (county_cache.class_worlds),
        where every server process reads it; those built before are kept. Returns how many."""
        from sandbox.platform.county_cache import class_worlds, county

        folder = class_worlds(self.class_id)
        trainees = self.gradebook.trainees(self.class_id)["trainee_id"]
        for trainee_id in trainees:
            county(self.world_of(trainee_id), folder)
        return len(trainees)

    def release_feedback(self) -> None:
        self.gradebook.release_feedback(self.class_id)

    def close(self) -> None:
        self.gradebook.close()


def trainee_seed(secret: str, trainee_id: str) -> int:
    """HMAC-SHA256 of the trainee id keyed with the class secret, over the whole seed range:
    known ids and known seeds of other trainees give away nothing about the secret."""
    digest = hmac.new(secret.encode("utf-8"), trainee_id.encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest, "big") % SEED_MODULUS


def create_class(class_file: str | Path, roster: str | Path, gradebook: str | None = None,
                 tokens_path: str | Path | None = None, prebuild: bool = True) -> tuple[Classroom, Path]:
    """Create the class in its gradebook and write the trainees' tokens; all or nothing. Then,
    with `prebuild`, build every trainee's world into the class's world cache, so that no
    trainee's first call builds one while the class is working."""
    config = load_class(class_file, gradebook)
    load_scenario(config.scenario_path)  # a broken scenario is found now, not in class
    entries = read_roster(roster)
    out = Path(tokens_path) if tokens_path else config.tokens_path
    if out.exists():
        raise ClassError(f"{out} already exists; move it away first (it holds the tokens of a class)")
    tokens = {entry.trainee_id: new_token() for entry in entries}
    book = Gradebook(config.gradebook_url)
    try:
        book.enrol_class(
            config.class_id, config.name, config.scenario_label, mode=config.mode,
            deadline=config.deadline, secret=secrets.token_hex(16),
            trainee_rows=[{"trainee_id": e.trainee_id, "name": e.name, "id_number": e.id_number,
                       "token": tokens[e.trainee_id]} for e in entries],
        )
    except SandboxError:
        book.close()
        raise
    except sa.exc.SQLAlchemyError as exc:  # what the rows' checks above did not foresee
        book.close()
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise ClassError(f"班级没有建立，成绩册 {book.url} 拒绝了名单（{reason}），什么都没有保存",
                         f"the class was not created: the gradebook at {book.url} refused the roster "
                         f"({reason}); nothing was stored") from None
    write_tokens(out, entries, tokens)
    classroom = Classroom(config, book)
    if prebuild:
        classroom.prebuild_worlds()
    return classroom, out


def new_token() -> str:
    """A random access token that a spreadsheet shows as it is (none starts with '-')."""
    while (token := secrets.token_urlsafe(18)).startswith(FORMULA_STARTS):
        continue
    return token


def write_tokens(path: Path, entries: list[RosterEntry], tokens: dict[str, str]) -> None:
    """UTF-8 with BOM so that Excel on a Chinese Windows shows the names correctly. The file
    is created readable by its owner only (0600: it opens every trainee's attempt), and a name
    that looks like a formula stays text (common/spreadsheet.py)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(descriptor, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["编号 trainee_id", "姓名 name", "令牌 token"])
        for entry in entries:
            writer.writerow([safe_cell(entry.trainee_id), safe_cell(entry.name), tokens[entry.trainee_id]])


def read_tokens(path: str | Path) -> dict[str, str]:
    """trainee_id -> token from a tokens file (what tests and demos hand to sessions)."""
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return {unsafe_cell(row[0]): row[2] for row in rows[1:] if row}


# --- a demo class (dashboard notebook, tests) -------------------------------------------------

DEMO_PERSONAS = ("perfect", "no-registry-checks", "approve-all")


def demo_class(directory: str | Path, scenario: str | Path = "tutorial",
               personas: tuple[str, ...] = DEMO_PERSONAS, mode: str = "practice") -> Classroom:
    """A small class in `directory` whose trainees are personas that have played already:
    what the dashboard shows when no real class is configured."""
    from sandbox.personas import PERSONAS
    from sandbox.platform.attempt import open_attempt
    from sandbox.session.session import LocalBackend, Session

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    class_file = directory / "demo-class.yaml"
    class_file.write_text(yaml.safe_dump({
        "name": "演示班 demo class", "scenario": str(scenario_path(scenario).resolve()), "mode": mode,
    }, allow_unicode=True), encoding="utf-8")
    roster = directory / "demo-roster.csv"
    roster.write_text("姓名,工号\n" + "".join(f"{p},D{i:02d}\n" for i, p in enumerate(personas, 1)),
                      encoding="utf-8-sig")
    classroom, _tokens = create_class(class_file, roster, prebuild=False)
    # Fixed seeds, not the class secret's: the demo shows the same class every time.
    for index, trainee in enumerate(classroom.gradebook.trainees(classroom.class_id).to_dict("records")):
        attempt = open_attempt(classroom.scenario, trainee=trainee["name"],
                               seed=classroom.scenario.seed + index, mode=mode)
        classroom.gradebook.register_attempt(attempt, class_id=classroom.class_id,
                                             trainee=trainee["trainee_id"])
        PERSONAS[trainee["name"]](Session(LocalBackend(attempt), lang=attempt.lang))
    return classroom
