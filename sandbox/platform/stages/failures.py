"""失败处理、补发 (failures and re-issue): why each line came back, the fix at the branch or on the
roster, and the re-issue (补发) linked to the line it replaces."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sandbox.bank import (
    RETURN_CODES,
)
from sandbox.bank.branch import schedule_activations
from sandbox.common.checkdigits import luhn_complete
from sandbox.common.identifiers import clean_card_number
from sandbox.common.text import clean_text
from sandbox.errors import AlreadyFinal, SandboxError
from sandbox.platform.procedure import require_confirmation
from sandbox.platform.stages.base import Stage, action
from sandbox.platform.stages.payout import PayoutStage
from sandbox.platform.stages.sequence import STAGES
from sandbox.rng import rng_for

FAILURE_ACTIONS = {
    "activate_card": ("请本人到网点激活/解锁", "holder activates or unlocks the card at a branch"),
    "correct_name": ("更正户名", "correct the payee name"),
    "pay_other_account": ("改发本人其他有效账户", "pay another valid account of the same person"),
    "new_card": ("请本人到网点补办新卡", "holder applies for a replacement card at a branch"),
    "stop_recover": ("停发并登记追回", "stop and flag for recovery"),
}
BRANCH_FIXES = {"not_activated", "pin_locked", "frozen", "dormant", "reported_lost"}  # 激活/解锁/解冻/解挂
REPLACEABLE = {"closed", "reported_lost"}  # a new card number is issued at the branch


class FailuresStage(Stage):
    """失败处理: investigate each returned line, fix it, then re-issue (补发)."""

    info = STAGES["failures"]

    @property
    def payout(self) -> PayoutStage:
        return self.attempt.stages["payout"]

    @action("table", read_only=True)
    def table(self) -> pd.DataFrame:
        latest = self.payout.latest()
        if latest.empty:
            return pd.DataFrame(columns=["line_id", "entry_id", "payee_name", "payee_id_number", "account_number",
                                         "bank", "amount", "code", "reason", "what_to_do", "fix"])
        failed = latest[latest["status"] == "returned"].copy()
        lang = self.attempt.lang
        failed["reason"] = failed["code"].map(lambda c: getattr(RETURN_CODES[c], lang) if c in RETURN_CODES else c)
        failed["what_to_do"] = failed["code"].map(
            lambda c: getattr(RETURN_CODES[c].what_to_do, lang) if c in RETURN_CODES else "")
        failed["fix"] = failed["line_id"].map(lambda line: self.payout.fixes.get(line, {}).get("action", ""))
        return failed[["line_id", "entry_id", "payee_name", "payee_id_number", "account_number", "bank", "amount",
                       "code", "reason", "what_to_do", "fix"]].reset_index(drop=True)

    @action("card_status", read_only=True)
    def card_status(self, line_id: str) -> pd.DataFrame:
        """The payee's cards and accounts as the card register shows them now."""
        line = self._line(line_id)
        cards = self.attempt.world.registries["card_status"]
        rows = _index_of(cards, "id_number").get(line["payee_id_number"], [])
        own = cards.iloc[rows].copy()
        own["status_now"] = own["account_number"].map(self.payout.book.status_of)
        return own.reset_index(drop=True)

    @action("act", read_only=False)
    def act(self, line_id: str, action: str, value: str = "") -> dict:
        """Choose the fix for one returned line; it takes effect at the next re-issue."""
        line = self._line(line_id)
        if line["status"] != "returned":
            raise SandboxError(f"明细 {line_id} 没有被退回（状态 {line['status']}），不需要处理",
                               f"line {line_id} was not returned (status {line['status']}); nothing to fix")
        if action not in FAILURE_ACTIONS:
            raise SandboxError(f"没有“{action}”这种处理办法；可选：{'、'.join(FAILURE_ACTIONS)}",
                               f"unknown action {action!r}; expected one of {', '.join(FAILURE_ACTIONS)}")
        fix: dict = {"action": action, "value": clean_text(value)}
        if action in ("activate_card", "new_card") and line["account_number"] not in self.payout.book.table.index:
            raise SandboxError(f"尾号 {line['account_number'][-4:]} 的卡号银行查无此账户，网点无法激活或补卡：请核对本人的卡，"
                               "改发本人其他有效账户。",
                               f"The bank has no account ending {line['account_number'][-4:]}: "
                               "a branch cannot activate or replace it; pay another valid account of the same person.")
        if action == "activate_card":
            status = self.payout.book.status_of(line["account_number"])
            if status == "active":
                # Activated since this line came back (e.g. for another line on the same card).
                fix["active_from"] = self.attempt.clock.now
                fix["note"] = "already active"
            elif status not in BRANCH_FIXES:
                raise SandboxError(f"尾号 {line['account_number'][-4:]} 的卡状态为 {status}，到网点激活解决不了"
                                   "（查一查此人是否有别的账户）",
                                   f"the card ending {line['account_number'][-4:]} is {status}; a branch visit "
                                   "cannot fix that (look for another account of the same person)")
            else:
                fix["active_from"] = self._branch_visit(line)
        elif action == "new_card":
            status = self.payout.book.status_of(line["account_number"])
            if status not in REPLACEABLE:
                raise SandboxError(f"尾号 {line['account_number'][-4:]} 的卡状态为 {status}，没有销户或挂失，不需要换卡",
                                   f"the card ending {line['account_number'][-4:]} is {status}, not closed or "
                                   "lost; it does not need replacing")
            fix["active_from"] = self._branch_visit(line)
            fix["value"] = self._issue_card(line)
        elif action == "correct_name":
            if not fix["value"]:
                raise SandboxError("更正户名（correct_name）需要填写银行和身份证上的姓名",
                                   "correct_name needs the name as the bank and the ID card have it")
        elif action == "pay_other_account":
            fix["value"] = clean_card_number(value)
            self._check_own_account(line, fix["value"])
        self.payout.fixes[line_id] = fix
        return {"line_id": line_id, **{k: (v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v)
                                       for k, v in fix.items()}}

    @action("reissue", read_only=False)
    def reissue(self, confirm: bool = False) -> dict:
        """补发: a new line for every fixed failure, linked to its source so it cannot pay twice.
        Money sent cannot be called back: needs confirm=True."""
        latest = self.payout.latest()
        if latest.empty:
            raise SandboxError("还没有发放任何资金，没有可以补发的：请先发送支付申请（s.payout）",
                               "nothing has been paid yet, so there is nothing to re-issue: send the payment "
                               "request first (s.payout)")
        returned = latest[latest["status"] == "returned"]
        new_lines = []
        wait_until = self.attempt.clock.now
        for line in returned.to_dict("records"):
            fix = self.payout.fixes.get(line["line_id"])
            if fix is None or fix["action"] == "stop_recover":
                continue
            new = {c: line[c] for c in ("entry_id", "program", "payee_id_number", "payee_name", "account_number",
                                        "bank", "amount")}
            new["line_id"] = _reissue_id(line["line_id"])
            new["source_line_id"] = line["line_id"]
            if fix["action"] in {"activate_card", "new_card"}:
                wait_until = max(wait_until, fix["active_from"])
            if fix["action"] == "new_card":
                new["account_number"] = fix["value"]
            elif fix["action"] == "correct_name":
                new["payee_name"] = fix["value"]
            elif fix["action"] == "pay_other_account":
                new["account_number"] = fix["value"]
                new["bank"] = self._bank_of(fix["value"]) or line["bank"]
            new_lines.append((new, fix))
        if not new_lines:
            raise AlreadyFinal("没有可以补发的明细：先为退回的明细选择处理办法（failures.act）",
                               "nothing to re-issue: choose a fix for returned lines first (failures.act)")
        require_confirmation("failures.reissue", confirm)
        self.attempt.clock.advance_to(wait_until)
        for new, fix in new_lines:
            if fix["action"] == "activate_card":
                self.payout.book.set_status(new["account_number"], "active")
        frame = pd.DataFrame([n for n, _ in new_lines])
        frame = frame.assign(_row=range(2, len(frame) + 2))
        return self.payout.submit(frame, source="re-issue (补发)", confirm=True)  # confirmed above

    def _branch_visit(self, line: dict) -> dt.datetime:
        """When the holder has been served at their bank's branch (SimPy: counters, travel days)."""
        request = pd.DataFrame([{"account_number": line["account_number"], "bank": line["bank"]}])
        when = schedule_activations(request, self.attempt.scenario, self.attempt.clock.now,
                                    calendar=self.attempt.calendar)
        return when["active_from"].iloc[0].to_pydatetime()

    def _issue_card(self, line: dict) -> str:
        """The replacement card's number (same bank prefix), entered in the bank and card register."""
        rng = rng_for(self.attempt.scenario.seed, "failures", "new_card", line["line_id"])
        body = line["account_number"][:6] + "".join(str(d) for d in rng.integers(0, 10, 12))
        number = str(luhn_complete(np.array([body]))[0])
        person = self.attempt.world.persons.set_index("id_number").loc[line["payee_id_number"]]
        self.payout.book.open_account(number, person["name"], person["person_id"])
        cards = self.attempt.world.registries["card_status"]
        row = {"account_number": number, "id_number": line["payee_id_number"], "holder_name": person["name"],
               "bank": line["bank"], "kind": "social_security_card", "status": "active"}
        self.attempt.world.registries["card_status"] = pd.concat([cards, pd.DataFrame([row])], ignore_index=True)
        return number

    def _line(self, line_id: str) -> dict:
        latest = self.payout.latest()
        rows = _index_of(latest, "line_id").get(line_id, []) if not latest.empty else []
        if not len(rows):
            raise SandboxError(f"没有明细 {line_id!r}（如果已经补发，请用新的明细编号）",
                               f"unknown line {line_id!r} (or it has been re-issued: use the new line)")
        return latest.iloc[rows[0]].to_dict()

    def _check_own_account(self, line: dict, account: str) -> None:
        cards = self.attempt.world.registries["card_status"]
        match = cards[cards["account_number"] == account]
        if match.empty:
            raise SandboxError(f"账户 {account} 不在卡册登记里，请核对号码",
                               f"account {account} is not in the card register; check the number")
        if match["id_number"].iloc[0] != line["payee_id_number"]:
            raise SandboxError(f"账户 {account} 属于别人；补贴只能发到本人账户（不得代持）",
                               f"account {account} belongs to someone else; subsidies go only to the "
                               "beneficiary's own account (不得代持)")

    def _bank_of(self, account: str) -> str | None:
        cards = self.attempt.world.registries["card_status"]
        match = cards.loc[cards["account_number"] == account, "bank"]
        return None if match.empty else str(match.iloc[0])


_INDEXES: dict[tuple[int, str], tuple[pd.DataFrame, dict]] = {}


def _index_of(frame: pd.DataFrame, column: str) -> dict:
    """Row positions by value of `column`, kept while the frame is the same object (the desk
    looks up one line or one person at a time, over thousands of rows)."""
    cached = _INDEXES.get((id(frame), column))
    if cached is None or cached[0] is not frame:
        if len(_INDEXES) > 64:
            _INDEXES.clear()
        cached = _INDEXES[(id(frame), column)] = (frame, frame.groupby(column, sort=False).indices)
    return cached[1]


def _reissue_id(line_id: str) -> str:
    base, _, count = line_id.partition("-R")
    return f"{base}-R{int(count or 0) + 1}"
