"""补录: the reviewer adds entitled people the villages left off the roster (应享未享).

The trainee gives id_number and program (name, bank and account_number optional); the
platform fills what its records know and checks each row. Every problem names the row and
the field, Chinese first. An added entry goes on the working roster as approved; the
platform adds its answer-key row: entitled (no fault) or not (资格不符, money let through).
"""

from __future__ import annotations

import pandas as pd

import sandbox.programs as program_catalogue
from sandbox.common.identifiers import check_card_number, clean_card_number, clean_id_number
from sandbox.common.submissions import read_table
from sandbox.common.text import clean_text
from sandbox.errors import RowProblem, SubmissionError
from sandbox.irregularities.planting import key_row
from sandbox.platform.rosters import PER_MU
from sandbox.platform.stages.collection import canonical
from sandbox.programs.entitlements import amount_for, beneficiary_frame
from sandbox.programs.words import program_code

ADDED_PREFIX = "B"  # entry ids of added entries: B0001, B0002 …
NOT_ENTITLED_FAULT = "ineligible"
ROW_COLUMNS = ("id_number", "program", "name", "bank", "account_number")


def _problem(row: int, column: str, zh: str, en: str) -> RowProblem:
    return RowProblem(row, column, en, zh=zh)


class Additions:
    """Reads and checks a 补录 table against the platform's records."""

    def __init__(self, attempt) -> None:
        self.attempt = attempt
        world = attempt.world
        self.persons = world.persons.drop_duplicates("id_number").set_index("id_number")
        primary = world.accounts[world.accounts["primary"]].drop_duplicates("person_id")
        self.accounts = primary.set_index("person_id")
        self.programs = {p.code: p for p in program_catalogue.catalogue(attempt.scenario)}
        ents = attempt.entitlements
        self.owed = ents.drop_duplicates(["program", "payee_person_id"]).set_index(["program", "payee_person_id"])
        self.typical = ents.groupby("program")["amount"].median().to_dict()
        self._frame: pd.DataFrame | None = None  # persons with household columns, built on first need

    def read(self, table: pd.DataFrame, source: str, start: int) -> list[tuple[dict, dict]]:
        """(entry, key row) per table row; all or nothing (SubmissionError names every problem)."""
        frame, name = read_table(table, name=source)
        missing = [c for c in ("id_number", "program") if c not in frame.columns]
        if missing:
            raise SubmissionError(name, [_problem(1, c, f"缺少必填列 {c}", f"required column {c} is missing")
                                         for c in missing])
        on_roster = self._on_roster()
        problems: list[RowProblem] = []
        out: list[tuple[dict, dict]] = []
        seen: set[tuple[str, str]] = set()
        for record in frame.to_dict("records"):
            row = int(record["_row"])
            found = self._row(record, row, problems)
            if found is None:
                continue
            person_id, program = found[0]["payee_person_id"], found[0]["program"]
            if (found[0]["id_number"], program) in on_roster:
                problems.append(_problem(row, "id_number", f"此人已在{program}名册中（{on_roster[(found[0]['id_number'], program)]}），无需补录",
                                         f"already on the {program} roster ({on_roster[(found[0]['id_number'], program)]})"))
                continue
            if (person_id, program) in seen:
                problems.append(_problem(row, "id_number", "同一人同一项目在本表中重复", "the same person and program twice in this table"))
                continue
            seen.add((person_id, program))
            out.append(found)
        if problems:
            raise SubmissionError(name, problems)
        for number, (entry, key) in enumerate(out, start=start):
            entry["entry_id"] = key["entry_id"] = f"{ADDED_PREFIX}{number:04d}"
        return out

    def _on_roster(self) -> dict[tuple[str, str], str]:
        working = self.attempt.working
        return {(i, p): e for i, p, e in zip(working["id_number"], working["program"], working["entry_id"], strict=True)}

    def _row(self, record: dict, row: int, problems: list[RowProblem]) -> tuple[dict, dict] | None:
        id_number = clean_id_number(str(record.get("id_number") or ""))
        program_text = clean_text(str(record.get("program") or ""))
        program = program_code(program_text, {code: p.zh for code, p in self.programs.items()}) or program_text
        before = len(problems)
        if id_number not in self.persons.index:
            problems.append(_problem(row, "id_number", f"身份证号{id_number or '（空）'}查无此人",
                                     f"ID number {id_number or '(empty)'} matches nobody in the county's records"))
        if program not in self.programs:
            problems.append(_problem(row, "program", f"未知补贴项目{program_text or '（空）'}，可选："
                                     + "、".join(p.zh for p in self.programs.values()),
                                     "unknown program; one of: " + ", ".join(self.programs)))
        if len(problems) > before:
            return None
        person = self.persons.loc[id_number]
        name = clean_text(str(record.get("name") or "")) or str(person["name"])
        if name != person["name"]:
            problems.append(_problem(row, "name", f"姓名{name}与户籍登记（{person['name']}）不符",
                                     f"name {name} differs from the residents register ({person['name']})"))
            return None
        account = self.accounts.loc[person["person_id"]] if person["person_id"] in self.accounts.index else None
        number = clean_card_number(str(record.get("account_number") or ""))
        if number and not check_card_number(number).valid:
            problems.append(_problem(row, "account_number", f"卡号{number}校验不通过", f"card number {number} fails its check"))
            return None
        if not number and account is None:
            problems.append(_problem(row, "account_number", "此人没有登记的账户，请填写卡号", "no account on record: give account_number"))
            return None
        bank = clean_text(str(record.get("bank") or "")) or (str(account["bank"]) if account is not None else "")
        return self._entry(person, program, name, bank, number or str(account["account_number"]))

    def _entry(self, person: pd.Series, program: str, name: str, bank: str, account_number: str) -> tuple[dict, dict]:
        person_id = str(person["person_id"])
        truth = self.attempt.data.truth
        paid_already = ((truth["payee_person_id"] == person_id) & (truth["program"] == program)).any()
        due = (program, person_id) in self.owed.index and not paid_already  # a second entry is not owed
        if due:
            owed = self.owed.loc[(program, person_id)]
            amount, quantity = float(owed["amount"]), float(owed["quantity"])
        else:
            amount, quantity = self._as_claimed(person, program)
        entry = {
            "entry_id": "", "person_id": person_id, "payee_person_id": person_id,
            "household_id": str(person["household_id"]), "village": str(person["village"]), "name": name,
            "id_number": str(person.name), "program": program,
            "quantity": f"{quantity:.1f}" if program in PER_MU else f"{int(round(quantity))}",
            "amount": f"{amount:.2f}", "bank": bank, "account_number": account_number,
        }
        clean = {**entry, "quantity": quantity, "amount": amount}
        if due:
            key = key_row(clean, vulnerable=self._vulnerable(person_id, program))
        else:
            key = key_row(clean, NOT_ENTITLED_FAULT, true_amount=0.0, money_at_stake=amount,
                          evidence_registry="programs",
                          evidence_zh=f"补录的{name}不符合{program}的条件（{self.attempt.program_rule(program)}）",
                          evidence_en=f"{name}, added by the reviewer, does not meet the conditions of {program}")
        return entry, key

    def _as_claimed(self, person: pd.Series, program: str) -> tuple[float, float]:
        """What the program's own formula gives this person's records, entitled or not.

        The amount must not tell the reviewer whether the person is entitled: a fixed
        stand-in (the program's median) for the unentitled would give the answer away."""
        prog = self.programs[program]
        if self._frame is None:
            world = self.attempt.world
            self._frame = beneficiary_frame(world.persons, world.households,
                                            self.attempt.scenario.calendar.period_start)
        frame = self._frame
        rows = frame[frame["person_id"] == person["person_id"]]
        if prog.unit == "household" and "head_person_id" in rows:
            rows = frame[frame["person_id"] == rows["head_person_id"].iloc[0]]
        amount = float(amount_for(prog, rows).iloc[0]) if len(rows) else 0.0
        quantity = float(prog.formula.quantity(rows).iloc[0]) if len(rows) else 1.0
        if amount <= 0:  # the formula pays nothing on these records: the usual amount is claimed
            return round(float(self.typical.get(program, 100.0)), 2), 1.0
        return round(amount, 2), quantity

    def _vulnerable(self, person_id: str, program: str) -> bool:
        omitted = self.attempt.data.omitted
        hit = omitted[(omitted["payee_person_id"] == person_id) & (omitted["program"] == program)]
        return bool(hit["vulnerable"].iloc[0]) if len(hit) else False


def working_rows(entries: list[dict]) -> pd.DataFrame:
    """Added entries as the working roster holds them (canonical strings)."""
    frame = pd.DataFrame(entries)
    for field in ("id_number", "account_number", "quantity", "amount"):
        frame[field] = [canonical(field, v) for v in frame[field]]
    return frame
