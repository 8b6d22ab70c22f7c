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
from sandbox.ui.common import Desk, button, confirm_box, message_html, table_html
from sandbox.ui.text import BUTTONS, label

FIELD_LABELS = {"name": "姓名 name", "id_number": "身份证号 ID number",
                "account_number": "卡号 card number", "quantity": "数量 quantity (mu, persons…)",
                "amount": "金额 amount (¥)", "bank": "银行 bank"}


def reason_options() -> list[tuple[str, str]]:
    """Dropdown options: Chinese and English name of each irregularity, its code as value."""
    return [("— 拒绝理由 reason —", "")] + [(f"{f.zh} — {f.en}", code) for code, f in FAULTS.items()]


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
        self.previous_button = button(BUTTONS["previous"])
        self.next_button = button(BUTTONS["next"])
        self.approve_button = button(BUTTONS["approve"], "success")
        self.reject_button = button(BUTTONS["reject"], "danger")
        self.reason = widgets.Dropdown(options=reason_options(), layout=widgets.Layout(width="26em"))
        self.correct_button = button(BUTTONS["correct"], "warning")
        self.field = widgets.Dropdown(options=[(FIELD_LABELS[f], f) for f in CORRECTABLE_FIELDS],
                                      layout=widgets.Layout(width="16em"))
        self.value = widgets.Text(placeholder="正确的值 right value", layout=widgets.Layout(width="16em"))
        self.refer_button = button(BUTTONS["refer"], "info")
        self.undecided_only = widgets.Checkbox(value=False, description="只看未决定 undecided only", indent=False)
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
        if verdict["ok"] is None:
            self.show(f"{entry_id} {decision}: " + label(self.lang, "withheld"))
        elif verdict["ok"]:
            self.show(f"{entry_id} {decision}: " + label(self.lang, "right"), "ok")
        else:
            self.show(f"{entry_id} {decision}: {label(self.lang, 'wrong')} — {verdict['title']}\n"
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
        self.entry_view.value = entry_html(self.session.review.lookup(self.entry_id), self.lang)


def entry_html(found: dict, lang: str) -> str:
    """One look-up (entry, checks, registry hits, current decision) as HTML."""
    entry, checks, hits = found["entry"], found["checks"], found["hits"]
    t = lambda key: label(lang, key)  # noqa: E731 - a short local alias keeps the markup readable
    parts = [f"<h4>{t('entry')} {html.escape(entry['entry_id'])}</h4>",
             table_html(pd.DataFrame([entry]))]
    mark = lambda ok, problem: "✓ " + t("ok") if ok else f"✗ {html.escape(problem)}"  # noqa: E731
    rows = [(t("id_check"), mark(checks["id_valid"], checks["id_problem"])),
            (t("card_check"), mark(checks["card_valid"], checks["card_problem"]))]
    if checks.get("same_id_same_program"):
        rows.append((t("same_id"), html.escape(", ".join(checks["same_id_same_program"]))))
    if checks.get("home_visit"):
        rows.append((t("visit"), html.escape(checks["home_visit"])))
    rows.append((t("rule"), html.escape(checks.get("rule", "")).replace("\n", "<br>")))
    decision = found.get("decision")
    current = t("none") if not decision else " ".join(
        str(decision.get(k, "")) for k in ("decision", "reason", "field", "value") if decision.get(k))
    rows.append((t("current"), html.escape(current)))
    parts.append(f"<b>{t('checks')}</b><table>" + "".join(
        f"<tr><td style='padding-right:1em'>{k}</td><td>{v}</td></tr>" for k, v in rows) + "</table>")
    parts.append(f"<b>{t('hits')}</b>")
    if not hits:
        parts.append(f"<p>{t('no_hits')}</p>")
    for key, frame in hits.items():
        zh, en = REGISTRY_TITLES.get(key, ("同批名单", "this roster"))
        parts.append(f"<div><i>{html.escape(zh)} · {html.escape(en)}</i>{table_html(frame, 8)}</div>")
    return "".join(parts)


class PostingDesk(Desk):
    """After deciding: collect home-visit reports, post the list (公示), answer objections,
    close review."""

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.visits_button = button(BUTTONS["wait_visits"])
        self.post_button = button(BUTTONS["post"], "primary")
        self.finalize_button = button(BUTTONS["finalize"], "danger")
        self.confirm_close = confirm_box("finalize")  # closing review cannot be undone
        self.objection_box = widgets.VBox()
        self.visits_button.on_click(lambda _: self.collect_visits())
        self.post_button.on_click(lambda _: self.post())
        self.finalize_button.on_click(lambda _: self.finalize())
        self.widget = widgets.VBox([
            widgets.HBox([self.visits_button, self.post_button]),
            widgets.HBox([self.finalize_button, self.confirm_close]),
            self.message, self.objection_box])

    def collect_visits(self) -> pd.DataFrame | None:
        visits = self.guarded(self.session.review.wait_for_visits)
        if visits is not None:
            self.show(label(self.lang, "visits_back", n=len(visits)))
            self.objection_box.children = [widgets.HTML(table_html(visits))]
        return visits

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
            self.show(f"{objection_id} → {result['entry_id']}: {result['decision']}", "ok")
            self._draw_objections()

    def finalize(self) -> Any:
        """结束审核, once the confirm box is ticked (else the platform's warning is shown)."""
        feedback = self.final_step(self.confirm_close, lambda confirm: self.session.review.close(confirm=confirm))
        if feedback is not None:
            score = "" if feedback.score is None else f" — {feedback.score:.1f} / 100"
            warning = f"\n{feedback['warning']}" if feedback.get("warning") else ""
            self.show(label(self.lang, "finalized") + score + warning, "bad" if warning else "ok")
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
            decision = (found.get("decision") or {}).get("decision", "")
            heading = widgets.HTML(message_html(
                f"{row['objection_id']} · {row['entry_id']} · {row[text_column]} "
                f"[{decision}] {row['response'] and '→ ' + row['response']}"))
            reason = widgets.Dropdown(options=reason_options(), layout=widgets.Layout(width="22em"))
            buttons = []
            for response, key in (("uphold", "uphold"), ("dismiss", "dismiss"), ("refer", "refer_objection")):
                b = button(BUTTONS[key])
                b.on_click(lambda _, oid=row["objection_id"], r=response, pick=reason:
                           self.respond(oid, r, pick.value if r == "uphold" else ""))
                buttons.append(b)
            rows.append(widgets.VBox([heading, widgets.HBox([*buttons, reason])]))
        self.objection_box.children = rows
