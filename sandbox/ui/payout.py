"""Payout desks: the payment request (支付申请), the failure desk (退票处理、补发) and the
reconciliation statement (对账). Each calls only the session's public desks."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import pandas as pd

from sandbox.errors import SandboxError
from sandbox.platform.stages.failures import BRANCH_FIXES, FAILURE_ACTIONS
from sandbox.ui.common import Desk, button, confirm_box, final_notice, message_html
from sandbox.ui.text import button_text, widget_text
from sandbox.ui.vocabulary import CARD_STATUSES_ZH, action_name

# What the English edition's dropdown shows (the Chinese term first, as operators know it).
ACTION_LABELS = {
    "activate_card": "请本人到网点激活/解锁 activate or unlock the card",
    "correct_name": "更正户名 correct the name",
    "pay_other_account": "改发本人其他有效账户 pay another own account",
    "new_card": "请本人到网点补办新卡 replacement card at a branch",
    "stop_recover": "停发并登记追回 stop and recover",
}
STATEMENT_COLUMNS = ("paid", "returned", "pending", "unspent")
STATEMENT_HEADERS = {"zh": {"program": "补贴项目", "allocated": "指标", "paid": "已发放", "returned": "退回",
                            "pending": "在途", "unspent": "结余", "balance": "平衡"},
                     "en": {"program": "program", "allocated": "指标 allocated", "paid": "已发放 paid",
                            "returned": "退回 returned", "pending": "在途 pending", "unspent": "结余 unspent",
                            "balance": "balance"}}


def request_summary(request: pd.DataFrame) -> pd.DataFrame:
    """Lines and money per program and bank: what a finance officer checks before sending."""
    if request.empty:
        return pd.DataFrame(columns=["program", "bank", "lines", "amount"])
    grouped = request.groupby(["program", "bank"], as_index=False).agg(
        lines=("line_id", "count"), amount=("amount", "sum"))
    grouped["amount"] = grouped["amount"].round(2)
    return grouped


def latest_lines(results: pd.DataFrame) -> pd.DataFrame:
    """Each entry's latest line: a re-issued payment counts once, as its newest line."""
    return results.drop_duplicates("entry_id", keep="last") if not results.empty else results


def computed_statement(session: Any) -> pd.DataFrame:
    """The statement the platform's own results give: per program with a budget line, the
    allocation and the latest lines summed by status; unspent is what is left."""
    statement = session.reconciliation.template()[["program", "allocated"]].copy()
    statement["allocated"] = statement["allocated"].astype(float)
    latest = latest_lines(session.payout.results())
    for status, column in (("credited", "paid"), ("returned", "returned"), ("pending", "pending")):
        part = latest[latest["status"] == status] if not latest.empty else latest
        sums = part.groupby("program")["amount"].sum() if not part.empty else pd.Series(dtype=float)
        statement[column] = statement["program"].map(sums).fillna(0.0).astype(float).round(2)
    statement["unspent"] = (statement["allocated"] - statement["paid"] - statement["returned"]
                            - statement["pending"]).round(2)
    return statement


def imbalances(statement: pd.DataFrame) -> pd.DataFrame:
    """Programs where allocated ≠ paid + returned + pending + unspent (to the fen)."""
    total = statement[list(STATEMENT_COLUMNS)].astype(float).sum(axis=1)
    difference = (statement["allocated"].astype(float) - total).round(2)
    off = difference.abs() > 0.005
    return pd.DataFrame({"program": statement.loc[off, "program"], "allocated": statement.loc[off, "allocated"],
                         "sum": total[off].round(2), "difference": difference[off]}).reset_index(drop=True)


class PaymentDesk(Desk):
    """`PaymentDesk(session)`: build the request, compare it with the budget, send it."""

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.request: pd.DataFrame | None = None
        self.feedback: Any = None
        self.build_button = button(button_text(self.lang, "build"), "info")
        self.submit_button = button(button_text(self.lang, "submit_request"), "danger")
        self.confirm_send = confirm_box("submit_request", self.lang)  # money sent cannot be called back
        self.results_button = button(button_text(self.lang, "results"))
        self.view = widgets.HTML()
        self.build_button.on_click(lambda _: self.build())
        self.submit_button.on_click(lambda _: self.submit())
        self.results_button.on_click(lambda _: self.show_results())
        self.widget = widgets.VBox([widgets.HBox([self.build_button, self.results_button]),
                                    final_notice("payout.submit", self.lang),
                                    widgets.HBox([self.submit_button, self.confirm_send]),
                                    self.message, self.view])
        if self.sent():
            self._show_sent()

    def sent(self) -> bool:
        return not self.session.payout.results().empty

    def _show_sent(self) -> None:
        self.build_button.disabled = self.submit_button.disabled = True
        self.show(self.t("done_already") + "\n" + self.t("payout_sent"), "ok")
        self.show_results()

    def build(self) -> pd.DataFrame | None:
        request = self.guarded(self.session.payout.build_request)
        if request is None:
            return None
        self.request = request
        budget = self.session.payout.budget().set_index("program")["allocated"]
        per_program = request.groupby("program")["amount"].sum().round(2)
        check = pd.DataFrame({"requested": per_program, "allocated": budget}).fillna(0.0)
        self.show(f"{self.t('request')}: {len(request)} {self.t('lines')}, "
                  f"{self.t('total')} {request['amount'].sum():,.2f}")
        self.view.value = (self.table(request_summary(request), 40)
                           + self.table(check.reset_index(names="program"), 40))
        return request

    def submit(self) -> Any:
        if self.sent():  # sent before: the banks' results, not an error
            self._show_sent()
            return None
        if self.request is None and self.build() is None:
            return None
        request = self.request
        feedback = self.final_step(self.confirm_send, lambda confirm: self.session.payout.submit(
            request, progress=False, confirm=confirm))
        if feedback is not None:
            self.feedback = feedback
            self.show(self.t("payment_result", lines=feedback["lines"], credited=feedback["credited"],
                             returned=feedback["returned"], rate=feedback["success_rate"]), "ok")
            self.build_button.disabled = self.submit_button.disabled = True
            self.show_results()
        return feedback

    def show_results(self) -> pd.DataFrame | None:
        results = self.guarded(self.session.payout.results)
        if results is None:
            return None
        parts = []
        if not results.empty:
            counts = results.groupby(["bank", "status"]).size().rename("lines").reset_index()
            parts.append(self.table(counts, 40))
        kpis = self.session.payout.kpis()
        if kpis:
            parts.append(self.table(pd.DataFrame([kpis])))
        self.view.value = "".join(parts)
        return results


class FailureDesk(Desk):
    """`FailureDesk(session)`: each returned line with the payee's cards; choose a fix (✓/✗ at
    once in practice), then re-issue (补发) every fixed line at once (✓/✗ per line as the banks
    answer)."""

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.index = 0
        self.lines = pd.DataFrame()
        self.outcomes: list[str] = []  # the ✓/✗ lines, newest first
        self.header = widgets.HTML()
        self.view = widgets.HTML()
        self.log = widgets.HTML()
        self.previous_button = button(button_text(self.lang, "previous"))
        self.next_button = button(button_text(self.lang, "next"))
        self.action = widgets.Dropdown(options=[(self._action_label(k), k) for k in ACTION_LABELS],
                                       layout=widgets.Layout(width="24em"))
        self.value = widgets.Text(placeholder=widget_text(self.lang, "name_or_card"),
                                  layout=widgets.Layout(width="18em"))
        self.apply_button = button(button_text(self.lang, "apply"), "warning")
        self.reissue_button = button(button_text(self.lang, "reissue"), "danger")
        self.confirm_reissue = confirm_box("reissue", self.lang)  # a re-issue sends money: it cannot be called back
        self.previous_button.on_click(lambda _: self.move(-1))
        self.next_button.on_click(lambda _: self.move(1))
        self.apply_button.on_click(lambda _: self.act(self.action.value, self.value.value))
        self.reissue_button.on_click(lambda _: self.reissue())
        self.widget = widgets.VBox([
            self.header, widgets.HBox([self.previous_button, self.next_button]), self.view,
            widgets.HBox([self.action, self.value, self.apply_button]),
            final_notice("failures.reissue", self.lang),
            widgets.HBox([self.reissue_button, self.confirm_reissue]), self.message, self.log])
        self.refresh()
        if self.stage_done("reconciliation"):  # the payout is closed: nothing more to re-issue
            self.show_done("payout", self.apply_button, self.reissue_button)

    def _action_label(self, action: str) -> str:
        return action_name(action, "zh") if self.lang == "zh" else ACTION_LABELS[action]

    @property
    def line_id(self) -> str | None:
        return None if self.lines.empty else str(self.lines.iloc[self.index]["line_id"])

    def refresh(self) -> None:
        self.lines = self.session.failures.table()
        self.index = min(self.index, max(len(self.lines) - 1, 0))
        self._render()

    def move(self, step: int) -> None:
        self.index = max(0, min(self.index + step, len(self.lines) - 1))
        self._render()

    def act(self, action: str, value: str = "") -> dict | None:
        line_id = self.line_id
        if line_id is None:
            self.show(self.t("no_failures"))
            return None
        line = self.lines.iloc[self.index].to_dict()
        result = self.guarded(lambda: self.session.failures.act(line_id, action, str(value).strip()))
        if result is not None:
            verdict, ok = self.fix_verdict(line, action, str(result.get("value", "")))
            self._note(verdict)
            self.show(verdict, "ok" if ok is not False else "bad")
            self.value.value = ""
            self.lines = self.session.failures.table()
            if self.index < len(self.lines) - 1:
                self.index += 1
            self._render()
        return result

    def fix_verdict(self, line: dict, action: str, value: str) -> tuple[str, bool | None]:
        """✓ or ✗ for a fix, judged by what the trainee can see: the return code and the card
        register (the banks' answer to the re-issue is the final word). Sealed outside practice."""
        name = self._action_label(action)
        if not self.practice():
            return f"{line['line_id']}: {name} — {self.t('verdict_withheld')}", None
        why = self._fix_problem(line, action, value)
        if why:
            return self.t("fix_bad", line=line["line_id"], action=name, why=why), False
        return self.t("fix_ok", line=line["line_id"], action=name), True

    def _fix_problem(self, line: dict, action: str, value: str) -> str:
        dead = line["code"] == "MD07"
        if dead != (action == "stop_recover"):
            return self.t("fix_stop_bad") if not dead else self.t("fix_stop_ok")
        cards = self.session.failures.card_status(str(line["line_id"]))
        this = cards[cards["account_number"] == line["account_number"]]
        if action == "correct_name" and len(this) and value != str(this["holder_name"].iloc[0]):
            return self.t("fix_name_bad", holder=this["holder_name"].iloc[0])
        if action == "pay_other_account":
            other = cards.loc[cards["account_number"] == value, "status_now"]
            if len(other) and other.iloc[0] != "active":
                return self._status_word(other.iloc[0])
        if action == "activate_card" and len(this) and this["status_now"].iloc[0] not in BRANCH_FIXES | {"active"}:
            return self._status_word(this["status_now"].iloc[0])
        return ""

    def _status_word(self, status: str) -> str:
        return CARD_STATUSES_ZH.get(status, status) if self.lang == "zh" else status

    def reissue(self) -> Any:
        if self.stage_done("reconciliation"):
            self.show_done("payout", self.apply_button, self.reissue_button)
            return None
        fixed = set(self.lines.loc[self.lines["fix"].isin([a for a in FAILURE_ACTIONS if a != "stop_recover"]),
                                   "line_id"]) if not self.lines.empty else set()
        feedback = self.final_step(self.confirm_reissue,
                                   lambda confirm: self.session.failures.reissue(confirm=confirm))
        if feedback is not None:
            self.show(self.t("reissue_result", lines=feedback["lines"], credited=feedback["credited"],
                             returned=feedback["returned"]), "ok")
            self._line_outcomes(fixed)
            self.index = 0
            self.refresh()
        return feedback

    def _line_outcomes(self, fixed: set[str]) -> None:
        """✓ or ✗ per re-issued line, from the banks' result files (a fact, in every mode)."""
        results = self.session.payout.results()
        newest = results[results["source_line_id"].isin(fixed)].drop_duplicates("source_line_id", keep="last")
        reason = "reason_zh" if self.lang == "zh" else "reason_en"
        for row in newest.to_dict("records"):
            if row["status"] == "credited":
                self._note(self.t("line_credited", line=row["source_line_id"]))
            else:
                self._note(self.t("line_returned", line=row["source_line_id"], reason=row.get(reason) or row["code"]))

    def _note(self, text: str) -> None:
        self.outcomes.insert(0, text)
        colours = {"✓": "#2e7d32", "✗": "#b03a2e"}
        items = "".join(f'<li style="color:{colours.get(t[:1], "#333")}">{html.escape(t)}</li>' for t in self.outcomes)
        self.log.value = f"<b>{html.escape(self.t('actions_log'))}</b><ul>{items}</ul>"

    def _render(self) -> None:
        left = int((self.lines["fix"] == "").sum()) if not self.lines.empty else 0
        self.header.value = f"<b>{html.escape(self.t('failures_left', n=left))}</b>"
        if self.lines.empty:
            self.view.value = message_html(self.t("no_failures"), "ok")
            return
        line = self.lines.iloc[self.index]
        cards = self.session.failures.card_status(str(line["line_id"]))
        own = {"reason": "退回原因"} if self.lang == "zh" else None
        self.view.value = (f"<p>{self.index + 1}/{len(self.lines)}</p>"
                           + self.table(pd.DataFrame([line]), headers=own)
                           + f"<b>{html.escape(self.t('cards_now'))}</b>" + self.table(cards))


class ReconciliationDesk(Desk):
    """`ReconciliationDesk(session)`: per program, allocated = paid + returned + pending +
    unspent (对账, to the fen). The desk fills every cell from the banks' results and the
    allocation; the trainee checks and adjusts, sees where a row does not balance, and files
    the statement once confirmed."""

    COLUMNS = STATEMENT_COLUMNS

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.template = session.reconciliation.template()
        self.cells: dict[tuple[str, str], widgets.FloatText] = {}
        self.balance: dict[str, widgets.HTML] = {}
        heads = STATEMENT_HEADERS["zh" if self.lang == "zh" else "en"]
        cell = widgets.Layout(width="9em")
        rows = [widgets.HBox([widgets.HTML(f"<b>{heads['program']}</b>", layout=widgets.Layout(width="16em")),
                              widgets.HTML(f"<b>{heads['allocated']}</b>", layout=cell)]
                             + [widgets.HTML(f"<b>{heads[c]}</b>", layout=cell) for c in self.COLUMNS]
                             + [widgets.HTML(f"<b>{heads['balance']}</b>", layout=cell)])]
        for row in self.template.to_dict("records"):
            program = row["program"]
            fields = []
            for column in self.COLUMNS:
                box = widgets.FloatText(value=0.0, layout=cell)
                box.observe(lambda _, p=program: self._check_row(p), names="value")
                self.cells[(program, column)] = box
                fields.append(box)
            self.balance[program] = widgets.HTML(layout=cell)
            rows.append(widgets.HBox([
                widgets.HTML(html.escape(self.program_label(program)), layout=widgets.Layout(width="16em")),
                widgets.HTML(f"{row['allocated']:,.2f}", layout=cell), *fields, self.balance[program]]))
        self.recompute_button = button(button_text(self.lang, "recompute"), "info")
        self.totals_button = button(button_text(self.lang, "bank_totals"))
        self.submit_button = button(button_text(self.lang, "reconcile"), "danger")
        self.confirm_submit = confirm_box("reconcile", self.lang)  # filing closes the payout
        self.check_view = widgets.HTML()
        self.view = widgets.HTML()
        self.recompute_button.on_click(lambda _: self.fill())
        self.totals_button.on_click(lambda _: self.bank_totals())
        self.submit_button.on_click(lambda _: self.submit())
        self.widget = widgets.VBox([*rows, self.check_view,
                                    widgets.HBox([self.recompute_button, self.totals_button]),
                                    final_notice("recon_final", self.lang),
                                    widgets.HBox([self.submit_button, self.confirm_submit]),
                                    self.message, self.view])
        if self.stage_done("reconciliation"):
            self.show_done("reconciliation", self.submit_button, self.recompute_button)
        else:
            self.fill()

    def fill(self) -> pd.DataFrame | None:
        """Every cell from the platform's own results (each entry's latest line) and the allocation."""
        computed = self.guarded(lambda: computed_statement(self.session))
        if computed is None:
            return None
        for row in computed.to_dict("records"):
            for column in self.COLUMNS:
                self.cells[(row["program"], column)].value = float(row[column])
        self.show(self.t("recon_computed"))
        self.check()
        return computed

    def statement(self) -> pd.DataFrame:
        frame = self.template[["program", "allocated"]].copy()
        frame["allocated"] = frame["allocated"].astype(float)
        for column in self.COLUMNS:
            frame[column] = [round(self.cells[(p, column)].value, 2) for p in frame["program"]]
        return frame

    def _check_row(self, program: str) -> None:
        off = imbalances(self.statement().loc[lambda f: f["program"] == program])
        if off.empty:
            self.balance[program].value = '<span style="color:#2e7d32">✓</span>'
        else:
            text = html.escape(self.t("recon_row_off", diff=float(off["difference"].iloc[0])))
            self.balance[program].value = f'<span style="color:#b03a2e">✗ {text}</span>'
        self._summary(imbalances(self.statement()))

    def check(self) -> pd.DataFrame:
        """Where the statement does not balance, per program (empty: every row balances)."""
        off = imbalances(self.statement())
        for program in self.balance:
            self._check_row(program)
        self._summary(off)
        return off

    def _summary(self, off: pd.DataFrame) -> None:
        if off.empty:
            self.check_view.value = message_html(self.t("recon_balanced"), "ok")
            return
        heads = ({"sum": "已发放+退回+在途+结余", "difference": "差额"} if self.lang == "zh"
                 else {"sum": "paid + returned + pending + unspent", "difference": "difference"})
        shown = off.assign(program=off["program"].map(self.program_label)).rename(columns=heads)
        self.check_view.value = message_html(self.t("recon_unbalanced"), "bad") + self.table(shown, 40)

    def bank_totals(self) -> pd.DataFrame:
        """Each entry's latest line, summed by program and status (what the banks report)."""
        latest = latest_lines(self.session.payout.results())
        totals = latest.pivot_table(index="program", columns="status", values="amount", aggfunc="sum",
                                    fill_value=0.0).round(2)
        totals.columns.name = None
        self.view.value = self.table(totals.reset_index(), 40)
        return totals

    def submit(self) -> Any:
        if self.stage_done("reconciliation"):  # filed before: the recorded result, not an error
            self.show_done("reconciliation", self.submit_button, self.recompute_button)
            return None
        if not self.check().empty:
            self.show(self.t("recon_unbalanced"), "error")
            return None
        statement = self.statement()

        def file(confirm: bool) -> Any:
            if not confirm:
                raise SandboxError(self.t("final_before", what=self.t("recon_final")))
            return self.session.reconciliation.submit(statement)

        feedback = self.final_step(self.confirm_submit, file)
        if feedback is not None:
            self.view.value = self.feedback_html(feedback)
            self.show(self.t("recorded"), "ok")
            self.submit_button.disabled = self.recompute_button.disabled = True
        return feedback
