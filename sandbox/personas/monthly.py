"""How each scripted trainee plays the later months (月度增减变动), through `s.monthly` only.

careful      checks every standing payee against that month's deaths, cremations and
             stopped medical insurance (where the scenario has those registries), stops and
             recovers what was paid after the death; applies reports, tier and card changes;
             rejects a 低保 application with a member on the payroll.
rules-only   checks the death register only, and applies every change as reported.
trusting     continues everyone and approves every change (approve-all, no registry checks).
suspicious   stops and recovers everyone on any death-like record, rejects every application.
random       decides at random.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sandbox.session.session import Session

STYLES = ("careful", "rules-only", "trusting", "suspicious", "random")


def has_months(session: Session) -> bool:
    return int(session.brief().get("periods", 1) or 1) > 1


def play_months(session: Session, style: str, seed: int = 0) -> None:
    """Play every later month in `style` (a no-op when the scenario has one period)."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; styles: {', '.join(STYLES)}")
    if not has_months(session):
        return
    rng = np.random.default_rng(seed)
    while not (brief := session.monthly.brief())["done"]:
        rows = _month_decisions(session, style, pd.Timestamp(brief["period_start"]), rng)
        if rows:
            session.monthly.decide(pd.DataFrame(rows))
        session.monthly.pay()


def _month_decisions(session: Session, style: str, start: pd.Timestamp, rng: np.random.Generator) -> list[dict]:
    roster = session.monthly.roster()
    changes = session.monthly.changes()
    changes = changes[changes["status"] == "pending"]
    rows: list[dict] = []
    if style == "random":
        for entry_id in roster["entry_id"]:
            if rng.random() < 0.03:
                rows.append(_row(entry_id, "stop"))
        rows += [_row(c, "approve" if rng.random() < 0.7 else "reject") for c in changes["change_id"]]
        return rows
    if style != "trusting":
        died = death_evidence(session, thorough=style in {"careful", "suspicious"})
        history = session.monthly.history()
        for entry in roster.to_dict("records"):
            when = died.get(entry["id_number"])
            if when is not None and when < start:
                rows.append(_stop_and_recover(entry["entry_id"], when, history))
    payroll = serving_staff(session) if style == "careful" else set()
    stopped = {r["id"] for r in rows}
    for change in changes.to_dict("records"):
        if change["entry_id"] in stopped:
            continue  # already stopped (and recovered) above
        if style == "suspicious" and change["kind"] == "application":
            rows.append(_row(change["change_id"], "reject"))
        elif change["kind"] == "application" and payroll & set(str(change["members"]).split(";")):
            rows.append(_row(change["change_id"], "reject"))  # a member on the state payroll
        else:
            rows.append(_row(change["change_id"], "approve"))
    return rows


def serving_staff(session: Session) -> set[str]:
    """Who is on the state payroll now: a retiree (退休) draws a pension, not a salary."""
    payroll = session.registries.get("payroll")
    if "status" in payroll:
        payroll = payroll[payroll["status"] != "退休"]
    return set(payroll["id_number"])


def death_evidence(session: Session, thorough: bool) -> dict[str, pd.Timestamp]:
    """id_number -> the date before which the payee was certainly dead: the death register,
    and (thorough) cremation records and medical insurance ended by death."""
    deaths = session.registries.get("deaths")
    registered = dict(zip(deaths["id_number"], pd.to_datetime(deaths["death_date"]), strict=True))
    if not thorough:
        return registered
    found: dict[str, pd.Timestamp] = {}
    names = set(session.registries.list()["registry"])
    if "medical_insurance" in names:
        insurance = session.registries.get("medical_insurance")
        ended = insurance[insurance["reason"].astype(str).str.contains("死亡")]
        found.update(zip(ended["id_number"], pd.to_datetime(ended["changed_date"]), strict=True))
    if "cremations" in names:  # the funeral home knows the day of death
        cremated = session.registries.get("cremations")
        found.update(zip(cremated["id_number"], pd.to_datetime(cremated["death_date"]), strict=True))
    if not found and not names & {"cremations", "medical_insurance"}:
        return registered  # nothing else to weigh the death register against
    # A death the household register still contradicts (the person is listed as living) is a
    # conflict between offices: trusted only when another record confirms it.
    living = set(session.registries.get("residents")["id_number"])
    for id_number, day in registered.items():
        if id_number in found or id_number not in living:
            found[id_number] = day
    return found


def _stop_and_recover(entry_id: str, died: pd.Timestamp, history: pd.DataFrame) -> dict:
    """Stop, and recover every credited month that began after the death."""
    mine = history[(history["entry_id"] == entry_id) & (history["status"] == "credited")] if len(history) else history
    after = mine[pd.to_datetime(mine["month_start"]) > died] if len(mine) else mine
    amount = round(float(after["amount"].sum()), 2) if len(after) else 0.0
    return _row(entry_id, "stop_recover" if amount else "stop", amount)


def _row(item: str, decision: str, recover: float = 0.0) -> dict:
    return {"id": item, "decision": decision, "recover_amount": f"{recover:.2f}"}
