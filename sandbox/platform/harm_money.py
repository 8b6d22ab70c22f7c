"""The period's money, family by family: what each was due, what reached whose card and when,
what was paid improperly and what was recovered — and which stage's decision caused each
harm (docs/scoring.md, "Who caused it").

A family is an entry of the roster, together with a planted second copy of it (a duplicate
pays the same family twice). Per family:

    due       what the family was entitled to (0 for a claim that is due nothing)
    own       what was credited to the payee's own accounts;  other: to somebody else's
    improper  other + what own exceeds due               shortfall  due − own (if positive)

Attribution, in order: an entry the collection left messy or changed (its value is neither
the clean form of what was typed nor the truth) → collection; an entry review did not approve,
approved with a planted fault uncorrected, or corrected to a wrong value → review; the rest
of a payment that went wrong → payout. Days late are review's up to the day review closed
(past the deadline), the rest the stage that caused the first payment to fail (else payout).
Improper money weighs `recovered` for the stage that let it through, plus `recovery_cost` for
the case each improper payment opens (整改); the inspection carries the rest of the weight
(money_let_through − recovered) for what it did not recover.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sandbox.common.identifiers import clean_card_number, clean_id_number
from sandbox.common.text import clean_text
from sandbox.irregularities import FAULTS, Money
from sandbox.platform.deadline import days_late, payment_deadline
from sandbox.platform.harm import HarmItem, item, priced, vulnerable_factor
from sandbox.platform.stages.collection import canonical_roster

if TYPE_CHECKING:
    from sandbox.platform.attempt import Attempt

APPROVED = ("approve", "correct")
TEXT_FIELDS = ("name", "id_number", "account_number")
NUMBER_FIELDS = ("quantity", "amount")
TRUE_COLUMN = {"name": "true_name", "id_number": "true_id_number", "account_number": "true_account_number",
               "quantity": "true_quantity", "amount": "true_amount"}
_CLEAN = {"name": clean_text, "id_number": clean_id_number, "account_number": clean_card_number}


def due_nothing(fault: str) -> bool:
    """An entry that is owed nothing this period: not entitled, or a second copy. (A proxy
    account's family is owed its money — to its own card.)"""
    return bool(fault) and FAULTS[fault].money in (Money.NOT_ENTITLED, Money.SECOND_PAYMENT)


def _number(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values.astype(str).str.replace(",", ""), errors="coerce").to_numpy(dtype=float)


def tainted_entries(attempt: Attempt, final: pd.DataFrame) -> set[str]:
    """Entries whose values the collection left messy or changed, and review did not put right:
    the value held is neither the clean form of what the village typed nor the truth."""
    typed = attempt.data.typed.set_index("entry_id")
    ids = typed.index
    canon = canonical_typed(attempt).set_index("entry_id").loc[ids]
    held = attempt.working.set_index("entry_id").loc[ids]
    end = final.loc[ids]
    truth = attempt.data.key.set_index("entry_id").loc[ids]
    bad = np.zeros(len(ids), dtype=bool)
    for field in TEXT_FIELDS:
        changed = held[field].astype(str).to_numpy() != canon[field].astype(str).to_numpy()
        wrong = end[field].astype(str).str.strip().to_numpy() != truth[TRUE_COLUMN[field]].astype(str).to_numpy()
        bad |= changed & wrong
    for field in NUMBER_FIELDS:
        tol = 0.051 if field == "quantity" else 0.005
        changed = ~np.isclose(_number(held[field]), _number(canon[field]), atol=tol, equal_nan=True)
        wrong = ~np.isclose(_number(end[field]), truth[TRUE_COLUMN[field]].astype(float).to_numpy(), atol=tol)
        if field == "amount":  # a claim above the standard is review's to catch, not collection's
            wrong &= changed
        bad |= changed & wrong
    return set(ids[bad])


def canonical_typed(attempt: Attempt) -> pd.DataFrame:
    """What a careful clerk's cleaning makes of the villages' forms (computed once)."""
    cached = getattr(attempt, "_canonical_typed", None)
    if cached is None:
        cached = canonical_roster(attempt.data.typed)
        attempt._canonical_typed = cached
    return cached


def _wrong_values(final: pd.DataFrame, truth: pd.DataFrame, among: np.ndarray) -> np.ndarray:
    """Per entry (of those in `among`): a value after review differs from the truth, as the
    platform compares values (cleaned)."""
    wrong = np.zeros(len(final), dtype=bool)
    rows = np.flatnonzero(among)
    for field in TEXT_FIELDS:
        clean = _CLEAN[field]
        given = final[field].astype(str).to_numpy()[rows]
        true = truth[TRUE_COLUMN[field]].astype(str).to_numpy()[rows]
        differs = [g != t and clean(g) != t for g, t in zip(given, true, strict=True)]
        wrong[rows] |= np.asarray(differs, dtype=bool)
    amounts = ~np.isclose(_number(final["amount"]), truth["true_amount"].astype(float).to_numpy(), atol=0.005)
    return (wrong | amounts) & among


def _uncorrected_fault(final: pd.DataFrame, key: pd.DataFrame) -> np.ndarray:
    """Per entry: a planted fault left as it was (a correctable one not corrected right)."""
    out = np.zeros(len(final), dtype=bool)
    for i, (fault, field, value) in enumerate(zip(key["fault"], key["fix_field"], key["fix_value"], strict=True)):
        if not fault:
            continue
        if not FAULTS[fault].correctable or not field:
            out[i] = True
            continue
        got = final[field].iat[i]
        if field in NUMBER_FIELDS:
            out[i] = not np.isclose(_number(pd.Series([got]))[0], float(value), atol=0.051)
        else:
            out[i] = _CLEAN.get(field, clean_text)(str(got)) != _CLEAN.get(field, clean_text)(str(value))
    return out


def _payments(attempt: Attempt, final: pd.DataFrame, approved: pd.Series) -> tuple[pd.DataFrame, bool]:
    """Credited lines (entry_id, amount, holder, credited_at) and the first line's return code
    per entry; projected from the approved roster when nothing has been sent yet."""
    payout = attempt.stages.get("payout")
    if payout is not None and not payout.lines.empty:
        lines = payout.payments()
        holders = payout.book.table["person_id"]
        lines = lines.assign(holder=lines["account_number"].astype(str).str.strip().map(holders).fillna(""))
        return lines, True
    rows = final[approved.to_numpy()]
    accounts = attempt.world.accounts.drop_duplicates("account_number").set_index("account_number")["person_id"]
    truth = attempt.data.truth.set_index("entry_id")["payee_person_id"]
    payee = rows.index.map(truth)
    holder = rows["account_number"].astype(str).str.strip().map(accounts)
    return pd.DataFrame({"entry_id": rows.index, "line_id": "", "amount": _number(rows["amount"]),
                         "status": "credited", "code": "", "credited_at": pd.NaT, "source_line_id": "",
                         "holder": holder.where(holder.notna(), payee).to_numpy()}), False


def families(attempt: Attempt, *, closed: bool) -> pd.DataFrame:
    """One row per family (index: the root entry) with its money, its causes and (after payout)
    when it was paid. Kept until decisions, the roster or the payments change."""
    review = attempt.stages["review"]
    payout = attempt.stages.get("payout")
    lines_now = (len(payout.lines), len(payout.fixes)) if payout is not None else (0, 0)
    token = (closed, review.state.version, lines_now)
    cached = getattr(attempt, "_harm_families", None)
    if cached is not None and cached[0] == token and cached[1] is attempt.working and cached[2] is attempt.data:
        return cached[3]
    fam = _families(attempt, closed)
    attempt._harm_families = (token, attempt.working, attempt.data, fam)
    return fam


def _families(attempt: Attempt, closed: bool) -> pd.DataFrame:
    key = attempt.data.key.set_index("entry_id")
    truth = attempt.data.truth.set_index("entry_id")
    final = attempt.stages["review"].final_table().set_index("entry_id").loc[key.index]
    approved = final["decision"].isin(APPROVED).to_numpy() & closed
    lines, sent = _payments(attempt, final, pd.Series(approved, index=key.index)) if closed \
        else (pd.DataFrame(), False)
    faults = key["fault"].astype(str)
    copy = faults.map(lambda f: bool(f) and FAULTS[f].money == Money.SECOND_PAYMENT).to_numpy() \
        & (key["duplicate_of"].astype(str) != "").to_numpy()
    root = pd.Series(np.where(copy, key["duplicate_of"].astype(str), key.index), index=key.index)
    payee = root.map(truth["payee_person_id"])
    typed_ids = attempt.data.typed["entry_id"]
    entries = pd.DataFrame({
        "root": root,
        "due": np.where(faults.map(due_nothing), 0.0, key["true_amount"].astype(float)),
        "approved": approved, "vulnerable": key["vulnerable"].astype(bool).to_numpy(),
        "tainted": key.index.isin(list(tainted_entries(attempt, final))) & key.index.isin(typed_ids),
        "fault_left": _uncorrected_fault(final, key) & approved,
        "wrong_value": _wrong_values(final, key, approved & (faults == "").to_numpy()),
        "planted_lost": faults.map(lambda f: bool(f) and FAULTS[f].harm == "money_lost").to_numpy(),
        "paid": 0.0, "own": 0.0, "credited_at": pd.NaT, "first_returned": False,
    }, index=key.index)
    if closed and len(lines):
        credited = lines[lines["status"] == "credited"]
        own = credited["holder"].to_numpy() == credited["entry_id"].map(payee).to_numpy()
        entries["paid"] = credited.groupby("entry_id")["amount"].sum().reindex(entries.index, fill_value=0.0)
        entries["own"] = credited[own].groupby("entry_id")["amount"].sum().reindex(entries.index, fill_value=0.0)
        when = pd.to_datetime(credited[own].groupby("entry_id")["credited_at"].max(), errors="coerce")
        entries["credited_at"] = when.reindex(entries.index)
        first = lines[lines["source_line_id"].astype(str) == ""].drop_duplicates("entry_id").set_index("entry_id")
        entries["first_returned"] = first["status"].reindex(entries.index).isin(["returned", "stopped"]).to_numpy()
        # The bank refused the holder as deceased (MD07): payment ends with the death; heirs
        # claim what is owed through their own application, not through this roster.
        dead = set(lines.loc[lines["code"].astype(str) == "MD07", "entry_id"])
        entries.loc[entries.index.isin(list(dead)), "due"] = entries.loc[entries.index.isin(list(dead)), "own"]
    fam = entries.groupby("root", sort=False).agg(
        due=("due", "sum"), paid=("paid", "sum"), own=("own", "sum"), approved=("approved", "any"),
        vulnerable=("vulnerable", "first"), tainted=("tainted", "any"), fault_left=("fault_left", "any"),
        wrong_value=("wrong_value", "any"), planted_lost=("planted_lost", "any"),
        credited_at=("credited_at", "max"), first_returned=("first_returned", "any"))
    fam["improper"] = (fam["paid"] - fam["own"]) + (fam["own"] - fam["due"]).clip(lower=0)
    fam["shortfall"] = (fam["due"] - fam["own"]).clip(lower=0)
    fam["received"] = np.minimum(fam["own"], fam["due"])
    fam.attrs["sent"] = sent
    fam.attrs["root"] = root  # entry -> its family
    return fam


def _stage_of(row) -> str:
    """The stage whose decision made this family's payment go wrong."""
    if row.tainted:
        return "collection"
    if not row.approved or row.fault_left or row.wrong_value:
        return "review"
    return "payout"


def money_items(attempt: Attempt, *, closed: bool, findings: dict[str, float] | None = None) -> list[HarmItem]:
    """Items of the period's money: improper money paid (and not recovered), money due not
    received, days late; and, once the inspection reported (`findings`: per entry, the money
    it named to recover), correct money it would take back from families."""
    scoring = attempt.scenario.scoring
    fam = families(attempt, closed=closed)
    if not closed:  # one consequence: nobody on the roster was paid
        return _nobody_paid(scoring, fam, "review", ("审核未结束，名册上无人获发", "review not closed: nobody was paid"))
    sent = bool(fam.attrs.get("sent"))
    deadline = payment_deadline(attempt.scenario.calendar, attempt.calendar)
    closed_at = getattr(attempt.stages["review"].state, "closed_at", None)
    review_days = days_late(closed_at, deadline) if closed_at is not None else 0
    named = pd.Series(0.0, index=fam.index)
    if findings:
        root = fam.attrs["root"]
        named = pd.Series(findings).groupby(lambda e: root.get(e, e)).sum().reindex(fam.index, fill_value=0.0)
    late = fam["credited_at"].notna() & (fam["received"] > 0.005)
    late &= pd.to_datetime(fam["credited_at"]) >= pd.Timestamp(deadline) + pd.Timedelta(days=1)
    harmful = (fam["improper"] > 0.005) | (fam["shortfall"] > 0.005) | (named > fam["improper"] + 0.005) | late
    items: list[HarmItem] = []
    for root, row, got in zip(fam.index[harmful], fam[harmful].itertuples(index=False), named[harmful], strict=True):
        factor = vulnerable_factor(scoring, row.vulnerable)
        if row.improper > 0.005:
            stage = "collection" if row.tainted else ("review" if row.planted_lost else _stage_of(row))
            items.append(item(scoring, stage, "improper_paid", root, row.improper))
            # every improper payment opens a case (整改: found, recovered or written off)
            items.append(priced(scoring, stage, "recovery", root, 1, families=1))
            kept = row.improper - min(got, row.improper)
            if sent and kept > 0.005:
                items.append(item(scoring, "supervision", "not_recovered", root, kept))
        if got - row.improper > 0.005:  # recovered from a family money that was due to it
            items.append(item(scoring, "supervision", "wrongly_accused", root, got - row.improper, factor=factor))
        if row.shortfall > 0.005:
            items.append(item(scoring, _stage_of(row), "denied", root, row.shortfall, factor=factor))
        if row.received > 0.005 and pd.notna(row.credited_at):
            items += _late(scoring, root, row, deadline, review_days, factor,
                           _stage_of(row) if row.first_returned else "payout")
    return items


def unsent_items(attempt: Attempt) -> list[HarmItem]:
    """Review closed, nothing sent to the banks: no approved family's money is paid."""
    fam = families(attempt, closed=True)
    return _nobody_paid(attempt.scenario.scoring, fam[fam["approved"]], "payout",
                        ("未发送支付申请", "no payment request sent"))


def _nobody_paid(scoring, fam: pd.DataFrame, stage: str, note: tuple[str, str]) -> list[HarmItem]:
    """One item for families none of which was paid: their money due, each weighed as denied."""
    owed = fam[fam["due"] > 0.005]
    if owed.empty:
        return []
    factor = np.where(owed["vulnerable"], scoring.vulnerable_multiplier, 1.0)
    yuan = float(owed["due"].sum())
    weighted = float((owed["due"] * factor).sum()) * scoring.wrongful_denial
    return [HarmItem(stage, "denied", "all", len(owed), round(yuan, 2), round(weighted / yuan, 6),
                     round(weighted, 2), *note)]


def _late(scoring, root: str, row, deadline, review_days: int, factor: float, rest_stage: str) -> list[HarmItem]:
    """Days past the deadline: review's up to the day it closed, the rest `rest_stage`'s. The
    whole weighs at most what not paying would."""
    days = days_late(pd.Timestamp(row.credited_at).to_pydatetime(), deadline)
    if days <= 0:
        return []
    cap = row.received * scoring.wrongful_denial * factor
    full = min(cap, row.received * scoring.late_per_day * days * factor)
    held = min(days, review_days)
    out = []
    for stage, d in (("review", held), (rest_stage, days - held)):
        if d > 0 and scoring.late_per_day > 0:
            share = full * d / days
            out.append(item(scoring, stage, "late", root, row.received,
                            factor=share / (row.received * scoring.late_per_day), days=d))
    return out
