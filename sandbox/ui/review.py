"""The review desk (审核): one entry at a time with every registry hit beside it, and the
decisions an operator can take — approve, reject with a reason, correct a field, refer for a
home visit (入户核查). Plus the posting desk (公示) for home-visit reports and objections."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from sandbox.irregularities import FAULTS
from sandbox.platform.lookup import REGISTRY_TITLES
from sandbox.platform.stages.review import CORRECTABLE_FIELDS
from sandbox.session.feedback import entry_verdicts
from sandbox.ui.common import Desk, button, confirm_box, final_notice, message_html, table_html
from sandbox.ui.text import button_text, label, widget_text
from sandbox.ui.vocabulary import (
    DECISIONS_ZH,
    FIELDS_ZH,
    REGISTRY_HEADERS_ZH,
    RESPONSES_ZH,
    fault_name,
    localise,
)

FIELD_LABELS = {"name": "姓名 name", "id_number": "身份证号 ID number",
                "account_number": "卡号 card number", "quantity": "数量 quantity (mu, persons…)",
                "amount": "金额 amount (¥)", "bank": "银行 bank"}


def field_options(lang: str) -> list[tuple[str, str]]:
    return [(FIELDS_ZH[f] if lang == "zh" else FIELD_LABELS[f], f) for f in CORRECTABLE_FIELDS]


def reason_options(lang: str = "en", placeholder: str = "reason") -> list[tuple[str, str]]:
    """Dropdown options: the platform's name of each irregularity (Chinese; English beside it
    with lang="en"), its code as value."""
    names = [(f.zh if lang == "zh" else f"{f.zh} — {f.en}", code) for code, f in FAULTS.items()]
    return [(widget_text(lang, placeholder), "")] + names


def decision_word(decision: str, lang: str) -> str:
    return DECISIONS_ZH.get(decision, decision) if lang == "zh" else decision


class ReviewDesk(Desk):
    """Decide entries one by one. `ReviewDesk(session)` in a notebook cell shows it.

    autosave: a CSV path; after every recorded decision the platform's decision table
    (`session.review.decisions()`) is written there, a copy the trainee can keep.
    """

    def __init__(self, session: Any, entry_ids: list[str] | None = None,
                 autosave: str | Path | None = None, auto_advance: bool = True) -> None:
        super().__init__(session)
        roster = session.review.roster()
        self.entry_ids = list(entry_ids) if entry_ids is not None else roster["entry_id"].tolist()
        self.total = len(roster)
        self.autosave = Path(autosave) if autosave else None
        self.auto_advance = auto_advance
        self.index = 0
        self.progress = widgets.HTML()
        self.entry_view = widgets.HTML()
        self.jump = widgets.Dropdown(options=self.entry_ids, description="", layout=widgets.Layout(width="9em"))
        self.previous_button = button(button_text(self.lang, "previous"))
        self.next_button = button(button_text(self.lang, "next"))
        self.approve_button = button(button_text(self.lang, "approve"), "success")
        self.reject_button = button(button_text(self.lang, "reject"), "danger")
        self.reason = widgets.Dropdown(options=reason_options(self.lang), layout=widgets.Layout(width="26em"))
        self.correct_button = button(button_text(self.lang, "correct"), "warning")
        self.field = widgets.Dropdown(options=field_options(self.lang), layout=widgets.Layout(width="16em"))
        self.value = widgets.Text(placeholder=widget_text(self.lang, "right_value"), layout=widgets.Layout(width="16em"))
        self.refer_button = button(button_text(self.lang, "refer"), "info")
        self.undecided_only = widgets.Checkbox(value=False, description=widget_text(self.lang, "undecided_only"),
                                               indent=False)
        self._wire()
        self.widget = widgets.VBox([
            self.progress,
            widgets.HBox([self.previous_button, self.jump, self.next_button, self.undecided_only]),
            self.entry_view,
            widgets.HBox([self.approve_button, self.refer_button]),
            widgets.HBox([self.reject_button, self.reason]),
            widgets.HBox([self.correct_button, self.field, self.value]),
            self.message,
        ])
        self._render()
        if self.stage_done("review"):  # review closed: decisions can no longer change
            self.show_done("review", self.approve_button, self.reject_button, self.correct_button, self.refer_button)

    def _wire(self) -> None:
        self.previous_button.on_click(lambda _: self.previous())
        self.next_button.on_click(lambda _: self.next())
        self.approve_button.on_click(lambda _: self.approve())
        self.reject_button.on_click(lambda _: self.reject(self.reason.value))
        self.correct_button.on_click(lambda _: self.correct(self.field.value, self.value.value))
        self.refer_button.on_click(lambda _: self.refer())
        self.jump.observe(self._on_jump, names="value")

    # --- navigation ------------------------------------------------------------------------
    @property
    def entry_id(self) -> str:
        return self.entry_ids[self.index]

    def go_to(self, entry_id: str) -> None:
        self.index = self.entry_ids.index(entry_id)
        self._render()

    def next(self) -> None:
        self.index = self._step(+1)
        self._render()

    def previous(self) -> None:
        self.index = self._step(-1)
        self._render()

    def _step(self, direction: int) -> int:
        """The next index that way; with "undecided only", skip entries already decided."""
        decided = set(self.session.review.decisions()["entry_id"]) if self.undecided_only.value else set()
        index = self.index + direction
        while 0 <= index < len(self.entry_ids):
            if self.entry_ids[index] not in decided:
                return index
            index += direction
        return self.index

    def _on_jump(self, change: dict) -> None:
        if change["new"] and change["new"] != self.entry_id:
            self.go_to(change["new"])

    # --- decisions (each one call to session.review.decide) --------------------------------
    def approve(self) -> None:
        self._decide("approve")

    def reject(self, reason: str) -> None:
        if not reason:
            self.show(label(self.lang, "pick_reason"), "error")
            return
        self._decide("reject", reason=reason)

    def correct(self, field: str, value: str) -> None:
        if not str(value).strip():
            self.show(label(self.lang, "pick_value"), "error")
            return
        self._decide("correct", field=field, value=str(value).strip())

    def refer(self) -> None:
        self._decide("refer")

    def _decide(self, decision: str, reason: str = "", field: str = "", value: str = "") -> None:
        entry_id = self.entry_id
        feedback = self.guarded(lambda: self.session.review.decide(entry_id, decision, reason=reason,
                                                                   field=field, value=value))
        if feedback is None:
            return
        self.show_verdict(entry_id, decision, feedback)
        if self.autosave is not None:
            self.session.review.decisions().to_csv(self.autosave, index=False, encoding="utf-8-sig")
        self.value.value = ""
        self.reason.value = ""
        if self.auto_advance:
            self.index = self._step(+1)
        self._render()

    def show_verdict(self, entry_id: str, decision: str, feedback: Any) -> None:
        if decision == "refer":
            visits = self.session.review.visits()
            when = visits.loc[visits["entry_id"] == entry_id, "returns_at"]
            self.show(f"{entry_id}: " + label(self.lang, "referred", when=str(when.iloc[0]) if len(when) else "?"))
            return
        verdict = entry_verdicts(feedback, [entry_id]).iloc[0]
        word = decision_word(decision, self.lang)
        if verdict["ok"] is None:
            self.show(f"{entry_id} {word}: " + label(self.lang, "withheld"))
        elif verdict["ok"]:
            self.show(f"{entry_id} {word}: " + label(self.lang, "right"), "ok")
        else:
            self.show(f"{entry_id} {word}: {label(self.lang, 'wrong')} — {verdict['title']}\n"
                      f"{verdict['evidence']}\n→ {verdict['tip']}", "bad")

    # --- drawing -----------------------------------------------------------------------------
    def _render(self) -> None:
        done = len(self.session.review.decisions())
        text = label(self.lang, "progress", done=done, total=self.total)
        if done >= self.total:
            text += " — " + label(self.lang, "decided_all")
        self.progress.value = f"<b>{html.escape(text)}</b> · {self.index + 1}/{len(self.entry_ids)}"
        if self.jump.value != self.entry_id:
            self.jump.value = self.entry_id
        self.entry_view.value = entry_html(self.session.review.lookup(self.entry_id), self.lang, self.program_names)


def current_decision(decision: dict | None, lang: str) -> str:
    """The recorded decision in words: 不通过 死亡人员冒领, 更正 姓名 → 张伟…"""
    if not decision:
        return label(lang, "none")
    word = decision_word(str(decision.get("decision", "")), lang)
    parts = [word]
    if decision.get("reason"):
        parts.append(fault_name(str(decision["reason"]), lang))
    if decision.get("field"):
        field = str(decision["field"])
        parts.append(f"{FIELDS_ZH.get(field, field) if lang == 'zh' else field} → {decision.get('value', '')}")
    return " ".join(parts)


def entry_html(found: dict, lang: str, programs: dict[str, str] | None = None) -> str:
    """One look-up (entry, checks, registry hits, current decision) as HTML."""
    entry, checks, hits = found["entry"], found["checks"], found["hits"]
    t = lambda key: label(lang, key)  # noqa: E731 - a short local alias keeps the markup readable
    shown = lambda frame, rows, own=None: table_html(localise(frame, lang, programs, own), rows, lang)  # noqa: E731
    parts = [f"<h4>{t('entry')} {html.escape(entry['entry_id'])}</h4>",
             shown(pd.DataFrame([entry]), 20)]
    mark = lambda ok, problem: "✓ " + t("ok") if ok else f"✗ {html.escape(problem)}"  # noqa: E731
    rows = [(t("id_check"), mark(checks["id_valid"], checks["id_problem"])),
            (t("card_check"), mark(checks["card_valid"], checks["card_problem"]))]
    if checks.get("same_id_same_program"):
        rows.append((t("same_id"), html.escape(", ".join(checks["same_id_same_program"]))))
    if checks.get("home_visit"):
        rows.append((t("visit"), html.escape(checks["home_visit"])))
    rows.append((t("rule"), html.escape(checks.get("rule", "")).replace("\n", "<br>")))
    rows.append((t("current"), html.escape(current_decision(found.get("decision"), lang))))
    parts.append(f"<b>{t('checks')}</b><table>" + "".join(
        f"<tr><td style='padding-right:1em'>{k}</td><td>{v}</td></tr>" for k, v in rows) + "</table>")
    parts.append(f"<b>{t('hits')}</b>")
    if not hits:
        parts.append(f"<p>{t('no_hits')}</p>")
    for key, frame in hits.items():
        zh, en = REGISTRY_TITLES.get(key, ("同批名单", "this roster"))
        title = html.escape(zh) if lang == "zh" else f"{html.escape(zh)} · {html.escape(en)}"
        parts.append(f"<div><i>{title}</i>{shown(frame, 8, REGISTRY_HEADERS_ZH)}</div>")
    return "".join(parts)


class PostingDesk(Desk):
    """After deciding: collect home-visit reports, add (补录) entitled people the villages left
    off, post the list (公示), answer objections, close review."""

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.visits_button = button(button_text(self.lang, "wait_visits"))
        self.post_button = button(button_text(self.lang, "post"), "primary")
        self.finalize_button = button(button_text(self.lang, "finalize"), "danger")
        self.confirm_close = confirm_box("finalize", self.lang)  # closing review cannot be undone
        self.add_id = widgets.Text(placeholder=widget_text(self.lang, "id_number"), layout=widgets.Layout(width="14em"))
        self.add_program = widgets.Dropdown(options=[(self.program_label(c), c) for c in self.program_names],
                                            layout=widgets.Layout(width="18em"))
        self.add_button = button(button_text(self.lang, "add_omitted"))
        self.visits_view = widgets.HTML()
        self.objection_box = widgets.VBox()
        self.visits_button.on_click(lambda _: self.collect_visits())
        self.post_button.on_click(lambda _: self.post())
        self.finalize_button.on_click(lambda _: self.finalize())
        self.add_button.on_click(lambda _: self.add(self.add_id.value, self.add_program.value))
        self.widget = widgets.VBox([
            widgets.HBox([self.visits_button, self.post_button]),
            widgets.HBox([self.add_button, self.add_id, self.add_program]),
            final_notice("review.close", self.lang),
            widgets.HBox([self.finalize_button, self.confirm_close]),
            self.message, self.visits_view, self.objection_box])
        if self.stage_done("review"):
            self.show_done("review", self.visits_button, self.post_button, self.finalize_button, self.add_button)

    def collect_visits(self) -> pd.DataFrame | None:
        visits = self.guarded(self.session.review.wait_for_visits)
        if visits is not None:
            self.show(label(self.lang, "visits_back", n=len(visits)))
            self.visits_view.value = self.table(visits, 40) if len(visits) else label(self.lang, "visits_none")
        return visits

    def add(self, id_number: str, program: str) -> Any:
        """补录 one entitled person the villages left off (the platform fills name and card)."""
        id_number = str(id_number).strip()
        if not id_number:
            self.show(widget_text(self.lang, "id_number") + "?", "error")
            return None
        feedback = self.guarded(lambda: self.session.review.add(
            pd.DataFrame([{"id_number": id_number, "program": program}])))
        if feedback is not None:
            self.show(label(self.lang, "omitted_added", id=id_number, program=self.program_label(program)), "ok")
            self.add_id.value = ""
        return feedback

    def post(self) -> pd.DataFrame | None:
        objections = self.guarded(self.session.review.post_notice)
        if objections is not None:
            self.show(label(self.lang, "posted", n=len(objections)))
            self._draw_objections()
        return objections

    def respond(self, objection_id: str, response: str, reason: str = "") -> None:
        if response == "uphold" and not reason:
            self.show(label(self.lang, "pick_reason"), "error")
            return
        result = self.guarded(lambda: self.session.review.respond(objection_id, response, reason))
        if result is not None:
            self.show(f"{objection_id} → {result['entry_id']}: {decision_word(result['decision'], self.lang)}", "ok")
            self._draw_objections()

    def finalize(self) -> Any:
        """结束审核, once the confirm box is ticked (else the platform's warning is shown)."""
        if self.stage_done("review"):  # pressed again: the recorded result, not an error
            self.show_done("review", self.finalize_button)
            return None
        feedback = self.final_step(self.confirm_close, lambda confirm: self.session.review.close(confirm=confirm))
        if feedback is not None:
            score = "" if feedback.score is None else f" — {feedback.score:.1f} / 100"
            warning = f"\n{feedback['warning']}" if feedback.get("warning") else ""
            self.show(label(self.lang, "finalized") + score + warning, "bad" if warning else "ok")
            for b in (self.visits_button, self.post_button, self.finalize_button, self.add_button):
                b.disabled = True
        return feedback

    def _draw_objections(self) -> None:
        objections = self.session.review.objections()
        if objections.empty:
            self.objection_box.children = [widgets.HTML(label(self.lang, "no_objections"))]
            return
        text_column = "text_zh" if self.lang == "zh" else "text_en"
        rows = []
        for row in objections.to_dict("records"):
            found = self.session.review.lookup(row["entry_id"])
            decision = current_decision(found.get("decision"), self.lang)
            response = RESPONSES_ZH.get(row["response"], row["response"]) if self.lang == "zh" else row["response"]
            heading = widgets.HTML(message_html(
                f"{row['objection_id']} · {row['entry_id']} · {row[text_column]} "
                f"[{decision}] {response and '→ ' + response}"))
            reason = widgets.Dropdown(options=reason_options(self.lang), layout=widgets.Layout(width="22em"))
            buttons = []
            for answer, key in (("uphold", "uphold"), ("dismiss", "dismiss"), ("refer", "refer_objection")):
                b = button(button_text(self.lang, key))
                b.on_click(lambda _, oid=row["objection_id"], r=answer, pick=reason:
                           self.respond(oid, r, pick.value if r == "uphold" else ""))
                buttons.append(b)
            rows.append(widgets.VBox([heading, widgets.HBox([*buttons, reason])]))
        self.objection_box.children = rows
