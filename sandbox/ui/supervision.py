"""The supervision desk (监督检查): start the inspection, go through the period's credited
payments with the registry records the inspector can see on the inspection date, name each
improper payment as a finding, and submit the inspection report once confirmed."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import ipywidgets as widgets
import pandas as pd

from sandbox.irregularities import FAULTS
from sandbox.ui.common import Desk, button, confirm_box, final_notice, message_html
from sandbox.ui.review import reason_options
from sandbox.ui.text import button_text, widget_text
from sandbox.ui.vocabulary import REGISTRY_HEADERS_ZH, fault_name

FINDING_COLUMNS = ["line_id", "fault", "recover_amount", "rectification", "responsible", "due_date"]
# Registries that say something about a payee's entitlement (who is on 户籍, a card or 医保
# says little by itself); every registry's rows are still shown for the line in view.
EVIDENCE_REGISTRIES = ("deaths", "cremations", "medical_insurance", "payroll", "cadres", "cadre_relatives",
                       "vehicles", "businesses", "dibao", "disability")
ROUTINE = {"medical_insurance": ("status", "参保")}  # a row that says nothing unusual
DEFAULT_DUE_DAYS = 30  # a month to rectify, well inside the platform's window


class SupervisionDesk(Desk):
    """`SupervisionDesk(session)`: start, mark findings line by line, submit (final)."""

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.dates: dict | None = None
        self.payments = pd.DataFrame()
        self.registries: dict[str, pd.DataFrame] = {}
        self.evidence: dict[str, list[str]] = {}  # line_id → registry names with a record
        self.findings: dict[str, dict] = {}        # line_id → finding row
        self.feedback: Any = None
        self.start_button = button(button_text(self.lang, "start_inspection"), "primary")
        self.hits_only = widgets.Checkbox(value=False, description=self.t("hits_only"), indent=False)
        self.line = widgets.Dropdown(options=[], layout=widgets.Layout(width="40em"))
        self.fault = widgets.Dropdown(options=reason_options(self.lang, "fault"), layout=widgets.Layout(width="22em"))
        self.recover = widgets.FloatText(value=0.0, description=widget_text(self.lang, "recover"),
                                         style={"description_width": "initial"}, layout=widgets.Layout(width="16em"))
        self.rectification = widgets.Text(placeholder=widget_text(self.lang, "rectification"),
                                          layout=widgets.Layout(width="30em"))
        self.responsible = widgets.Text(placeholder=widget_text(self.lang, "responsible"),
                                        layout=widgets.Layout(width="16em"))
        self.due_date = widgets.Text(placeholder=widget_text(self.lang, "due_date"), layout=widgets.Layout(width="10em"))
        self.add_button = button(button_text(self.lang, "add_finding"), "warning")
        self.remove_button = button(button_text(self.lang, "remove_finding"))
        self.submit_button = button(button_text(self.lang, "submit_findings"), "danger")
        self.confirm_submit = confirm_box("submit_findings", self.lang)  # the report is final
        self.line_view = widgets.HTML()
        self.findings_view = widgets.HTML()
        self.start_button.on_click(lambda _: self.start())
        self.hits_only.observe(lambda _: self._fill_lines(), names="value")
        self.line.observe(lambda _: self._on_line(), names="value")
        self.fault.observe(lambda _: self._on_fault(), names="value")
        self.add_button.on_click(lambda _: self.add_finding())
        self.remove_button.on_click(lambda _: self.remove_finding())
        self.submit_button.on_click(lambda _: self.submit())
        self.widget = widgets.VBox([
            widgets.HBox([self.start_button, self.hits_only]), self.line, self.line_view,
            widgets.HBox([self.fault, self.recover]), widgets.HBox([self.rectification, self.responsible, self.due_date]),
            widgets.HBox([self.add_button, self.remove_button]), self.findings_view,
            final_notice("supervision.submit", self.lang),
            widgets.HBox([self.submit_button, self.confirm_submit]), self.message])
        if self.stage_done("supervision"):
            self.show_done("supervision", self.start_button, self.add_button, self.remove_button, self.submit_button)
        else:
            self._draw_findings()

    # --- the inspection ----------------------------------------------------------------------
    def start(self) -> dict | None:
        """Begin the inspection (the clock moves on to the inspection date; idempotent)."""
        dates = self.guarded(self.session.supervision.start)
        if dates is None:
            return None
        self.dates = dates
        payments = self.session.supervision.payments()
        self.payments = payments[payments["status"] == "credited"].reset_index(drop=True)
        names = set(self.session.registries.list()["registry"])
        self.registries = {n: self.session.supervision.registries(n) for n in sorted(names)}
        self.evidence = self._evidence()
        self.show(self.t("inspection_started", **dates))
        self._fill_lines()
        return dates

    def _evidence(self) -> dict[str, list[str]]:
        """Per credited line: the registries that hold a telling record of its payee, and a
        second credit of the same person in the same program."""
        out: dict[str, list[str]] = {}
        flagged: dict[str, set[str]] = {}
        for name in EVIDENCE_REGISTRIES:
            table = self.registries.get(name)
            if table is None or "id_number" not in table:
                continue
            if name in ROUTINE:
                column, usual = ROUTINE[name]
                table = table[table[column] != usual]
            flagged[name] = set(table["id_number"].astype(str))
        twice = self.payments.duplicated(["payee_id_number", "program"], keep=False)
        titles = self._registry_titles()
        for position, line in enumerate(self.payments.to_dict("records")):
            person = str(line["payee_id_number"])
            hits = [titles.get(name, name) for name, ids in flagged.items() if person in ids]
            if twice.iloc[position]:
                hits.append(self.t("paid_twice"))
            out[str(line["line_id"])] = hits
        return out

    def _registry_titles(self) -> dict[str, str]:
        listed = self.session.registries.list()
        column = "zh" if self.lang == "zh" else "en"
        return dict(zip(listed["registry"], listed[column], strict=True))

    def _fill_lines(self) -> None:
        rows = self.payments.to_dict("records")
        if self.hits_only.value:
            rows = [r for r in rows if self.evidence.get(str(r["line_id"]))]
        options = []
        for r in rows:
            hits = self.evidence.get(str(r["line_id"]), [])
            mark = "✔ " if str(r["line_id"]) in self.findings else ""
            text = (f"{mark}{r['line_id']} · {r['payee_name']} · {self.program_label(r['program'])} · "
                    f"¥{float(r['amount']):,.2f}" + (f" · [{'、'.join(hits)}]" if hits else ""))
            options.append((text, str(r["line_id"])))
        current = self.line.value
        self.line.options = options
        if current in {v for _, v in options}:
            self.line.value = current
        self._on_line()

    def _on_line(self) -> None:
        line = self._line()
        if line is None:
            self.line_view.value = ""
            return
        self.recover.value = float(line["amount"])
        department = self.session.programs().set_index("program")["department"].get(line["program"], "")
        self.responsible.value = f"{department}主管部门" if department else ""
        if self.dates:
            due = dt.date.fromisoformat(self.dates["inspection_date"]) + dt.timedelta(days=DEFAULT_DUE_DAYS)
            self.due_date.value = due.isoformat()
        recorded = self.findings.get(str(line["line_id"]))
        if recorded:
            self.fault.value = recorded["fault"]
            self.recover.value = float(recorded["recover_amount"])
            self.rectification.value = recorded["rectification"]
        self.line_view.value = self._line_html(line)

    def _on_fault(self) -> None:
        code = self.fault.value
        if code in FAULTS:
            self.rectification.value = FAULTS[code].rectification(self.lang)

    def _line(self) -> dict | None:
        if not self.line.value or self.payments.empty:
            return None
        found = self.payments[self.payments["line_id"].astype(str) == self.line.value]
        return found.iloc[0].to_dict() if len(found) else None

    def _line_html(self, line: dict) -> str:
        """The line, then every registry row about its payee as of the inspection date."""
        shown = ["line_id", "entry_id", "payee_name", "payee_id_number", "program", "amount", "credited_at"]
        parts = [self.table(pd.DataFrame([{k: line.get(k, "") for k in shown}]))]
        titles = self._registry_titles()
        person = str(line["payee_id_number"])
        found = False
        for name, table in self.registries.items():
            if "id_number" not in table or name == "card_status":
                continue
            rows = table[table["id_number"].astype(str) == person]
            if len(rows):
                found = True
                parts.append(f"<div><i>{html.escape(titles.get(name, name))}</i>"
                             f"{self.table(rows, 6, REGISTRY_HEADERS_ZH if self.lang == 'zh' else None)}</div>")
        twice = self.payments[(self.payments["payee_id_number"] == line["payee_id_number"])
                              & (self.payments["program"] == line["program"])]
        if len(twice) > 1:
            parts.append(f"<div><i>{html.escape(self.t('paid_twice'))}</i>"
                         f"{self.table(twice[['line_id', 'entry_id', 'payee_name', 'amount']])}</div>")
        heading = f"<b>{html.escape(self.t('evidence'))}</b>"
        return parts[0] + heading + ("".join(parts[1:]) if found or len(twice) > 1 else
                                     f"<p>{html.escape(self.t('no_evidence'))}</p>")

    # --- findings ----------------------------------------------------------------------------
    def add_finding(self) -> dict | None:
        """Mark the line in view as improper, with the form's fault, money and rectification."""
        line = self._line()
        if line is None:
            self.show(self.t("start_first") if self.dates is None else self.t("pick_line"), "error")
            return None
        if not self.fault.value:
            self.show(self.t("pick_fault"), "error")
            return None
        finding = {"line_id": str(line["line_id"]), "fault": self.fault.value,
                   "recover_amount": round(float(self.recover.value), 2),
                   "rectification": self.rectification.value.strip(), "responsible": self.responsible.value.strip(),
                   "due_date": self.due_date.value.strip()}
        self.findings[finding["line_id"]] = finding
        self.show(self.t("finding_added", line=finding["line_id"], fault=fault_name(finding["fault"], self.lang),
                         amount=finding["recover_amount"]), "ok")
        self._draw_findings()
        self._fill_lines()
        return finding

    def remove_finding(self) -> None:
        line_id = self.line.value
        if line_id in self.findings:
            del self.findings[line_id]
            self.show(self.t("finding_removed", line=line_id))
            self._draw_findings()
            self._fill_lines()

    def findings_table(self) -> pd.DataFrame:
        """The report as the platform reads it (the same table code would submit)."""
        return pd.DataFrame(list(self.findings.values()), columns=FINDING_COLUMNS)

    def _draw_findings(self) -> None:
        table = self.findings_table()
        if table.empty:
            self.findings_view.value = message_html(self.t("no_findings"))
            return
        total = float(table["recover_amount"].sum())
        self.findings_view.value = (f"<b>{html.escape(self.t('findings', n=len(table), total=total))}</b>"
                                    + self.table(table, 60))

    def submit(self) -> Any:
        if self.stage_done("supervision"):  # submitted before: the recorded result, not an error
            self.show_done("supervision", self.start_button, self.add_button, self.remove_button, self.submit_button)
            return None
        if self.dates is None:
            self.show(self.t("start_first"), "error")
            return None
        findings = self.findings_table()
        feedback = self.final_step(self.confirm_submit,
                                   lambda confirm: self.session.supervision.submit(findings, confirm=confirm))
        if feedback is None:
            return None
        self.feedback = feedback
        self.show(self.recorded("supervision"), "ok")
        self.findings_view.value = self.feedback_html(feedback)
        for b in (self.start_button, self.add_button, self.remove_button, self.submit_button):
            b.disabled = True
        return feedback

