"""Payout desks: the payment request (支付申请), the failure desk (退票处理、补发) and the
reconciliation statement (对账). Each calls only the session's public desks."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import pandas as pd

from sandbox.ui.common import Desk, button, confirm_box, message_html, table_html
from sandbox.ui.text import button_text, label

ACTION_LABELS = {
    "activate_card": "请本人到网点激活/解锁 activate or unlock the card",
    "correct_name": "更正户名 correct the name",
    "pay_other_account": "改发本人其他有效账户 pay another own account",
    "stop_recover": "停发并登记追回 stop and recover",
}


def request_summary(request: pd.DataFrame) -> pd.DataFrame:
    """Lines and money per program and bank: what a finance officer checks before sending."""
    if request.empty:
        return pd.DataFrame(columns=["program", "bank", "lines", "amount"])
    grouped = request.groupby(["program", "bank"], as_index=False).agg(
        lines=("line_id", "count"), amount=("amount", "sum"))
    grouped["amount"] = grouped["amount"].round(2)
    return grouped


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
                                    widgets.HBox([self.submit_button, self.confirm_send]),
                                    self.message, self.view])

    def build(self) -> pd.DataFrame | None:
        request = self.guarded(self.session.payout.build_request)
        if request is None:
            return None
        self.request = request
        budget = self.session.payout.budget().set_index("program")["allocated"]
        per_program = request.groupby("program")["amount"].sum().round(2)
        check = pd.DataFrame({"requested": per_program, "allocated 指标": budget}).fillna(0.0)
        self.show(f"{label(self.lang, 'request')}: {len(request)} {label(self.lang, 'lines')}, "
                  f"{label(self.lang, 'total')} {request['amount'].sum():,.2f}")
        self.view.value = (table_html(request_summary(request), 40)
                           + table_html(check.reset_index(names="program"), 40))
        return request

    def submit(self) -> Any:
        if self.request is None and self.build() is None:
            return None
        request = self.request
        feedback = self.final_step(self.confirm_send, lambda confirm: self.session.payout.submit(
            request, progress=False, confirm=confirm))
        if feedback is not None:
            self.feedback = feedback
            self.show(f"{feedback['lines']} {label(self.lang, 'lines')} · credited ¥{feedback['credited']:,.2f} · "
                      f"returned 退票 ¥{feedback['returned']:,.2f} · success {feedback['success_rate']:.2%}",
                      "ok")
            self.show_results()
        return feedback

    def show_results(self) -> pd.DataFrame | None:
        results = self.guarded(self.session.payout.results)
        if results is None:
            return None
        counts = results.groupby(["bank", "status"]).size().unstack(fill_value=0) if not results.empty \
            else pd.DataFrame()
        kpis = self.session.payout.kpis()
        parts = [table_html(counts.reset_index())] if not counts.empty else []
        if kpis:
            parts.append(table_html(pd.DataFrame([kpis])))
        self.view.value = "".join(parts)
        return results


class FailureDesk(Desk):
    """`FailureDesk(session)`: each returned line with the payee's cards; choose a fix,
    then re-issue (补发) every fixed line at once."""

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.index = 0
        self.lines = pd.DataFrame()
        self.header = widgets.HTML()
        self.view = widgets.HTML()
        self.previous_button = button(button_text(self.lang, "previous"))
        self.next_button = button(button_text(self.lang, "next"))
        self.action = widgets.Dropdown(options=[(v, k) for k, v in ACTION_LABELS.items()],
                                       layout=widgets.Layout(width="24em"))
        self.value = widgets.Text(placeholder="户名或卡号 name or card number", layout=widgets.Layout(width="18em"))
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
            widgets.HBox([self.reissue_button, self.confirm_reissue]), self.message])
        self.refresh()

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
            self.show(label(self.lang, "no_failures"))
            return None
        result = self.guarded(lambda: self.session.failures.act(line_id, action, str(value).strip()))
        if result is not None:
            self.show(f"{line_id}: {ACTION_LABELS[action]} — {label(self.lang, 'recorded')}", "ok")
            self.value.value = ""
            self.lines = self.session.failures.table()
            if self.index < len(self.lines) - 1:
                self.index += 1
            self._render()
        return result

    def reissue(self) -> Any:
        feedback = self.final_step(self.confirm_reissue,
                                   lambda confirm: self.session.failures.reissue(confirm=confirm))
        if feedback is not None:
            self.show(f"补发 re-issue: {feedback['lines']} {label(self.lang, 'lines')} · credited "
                      f"¥{feedback['credited']:,.2f} · returned ¥{feedback['returned']:,.2f}", "ok")
            self.index = 0
            self.refresh()
        return feedback

    def _render(self) -> None:
        left = int((self.lines["fix"] == "").sum()) if not self.lines.empty else 0
        self.header.value = f"<b>{html.escape(label(self.lang, 'failures_left', n=left))}</b>"
        if self.lines.empty:
            self.view.value = message_html(label(self.lang, "no_failures"), "ok")
            return
        line = self.lines.iloc[self.index]
        cards = self.session.failures.card_status(str(line["line_id"]))
        self.view.value = (f"<p>{self.index + 1}/{len(self.lines)}</p>"
                           + table_html(pd.DataFrame([line]))
                           + "<b>社保卡/账户状态 the payee's cards now</b>" + table_html(cards))


class ReconciliationDesk(Desk):
    """`ReconciliationDesk(session)`: per program, allocated = paid + returned + pending +
    unspent (对账, to the fen). The bank totals button sums the banks' result lines."""

    COLUMNS = ("paid", "returned", "pending", "unspent")

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.template = session.reconciliation.template()
        self.cells: dict[tuple[str, str], widgets.FloatText] = {}
        rows = [widgets.HBox([widgets.HTML("<b>program</b>", layout=widgets.Layout(width="14em")),
                              widgets.HTML("<b>指标 allocated</b>", layout=widgets.Layout(width="9em"))]
                             + [widgets.HTML(f"<b>{c}</b>", layout=widgets.Layout(width="9em"))
                                for c in self.COLUMNS])]
        for row in self.template.to_dict("records"):
            program = row["program"]
            fields = []
            for column in self.COLUMNS:
                cell = widgets.FloatText(value=0.0, layout=widgets.Layout(width="9em"))
                self.cells[(program, column)] = cell
                fields.append(cell)
            rows.append(widgets.HBox([widgets.HTML(html.escape(program), layout=widgets.Layout(width="14em")),
                                      widgets.HTML(f"{row['allocated']:,.2f}", layout=widgets.Layout(width="9em")),
                                      *fields]))
        self.totals_button = button("银行回盘汇总 bank totals", "info")
        self.submit_button = button(button_text(self.lang, "reconcile"), "success")
        self.view = widgets.HTML()
        self.totals_button.on_click(lambda _: self.bank_totals())
        self.submit_button.on_click(lambda _: self.submit())
        self.widget = widgets.VBox([*rows, widgets.HBox([self.totals_button, self.submit_button]),
                                    self.message, self.view])

    def statement(self) -> pd.DataFrame:
        frame = self.template[["program", "allocated"]].copy()
        for column in self.COLUMNS:
            frame[column] = [round(self.cells[(p, column)].value, 2) for p in frame["program"]]
        return frame

    def bank_totals(self) -> pd.DataFrame:
        """Each entry's latest line, summed by program and status (what the banks report)."""
        results = self.session.payout.results()
        latest = results.drop_duplicates("entry_id", keep="last")
        totals = latest.pivot_table(index="program", columns="status", values="amount", aggfunc="sum",
                                    fill_value=0.0).round(2)
        self.view.value = table_html(totals.reset_index(), 40)
        return totals

    def submit(self) -> Any:
        statement = self.statement()
        feedback = self.guarded(lambda: self.session.reconciliation.submit(statement))
        if feedback is not None:
            self.view.value = feedback._repr_html_()
            self.show(label(self.lang, "recorded"), "ok")
        return feedback
