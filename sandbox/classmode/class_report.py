"""What a class got wrong, first; then who is where and how long each stage took.

Stage scores and misses are each stage's first try (a practice stage tried again keeps its
first try beside its best; the trainer sees what trainees did on their own).

督导 look at problems, not at rankings: `ClassReport.problems` lists each irregularity type
or bank failure code by how many trainees missed it, with examples and the tip, before any
per-trainee table. Used by `sandbox class report` and notebooks/trainer/class_dashboard.ipynb.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sandbox.common.spreadsheet import safe_frame
from sandbox.gradebook.store import Gradebook, GradebookError
from sandbox.irregularities import FAULTS
from sandbox.platform.harm import total_of_stage_scores
from sandbox.platform.report import KPI_LABELS
from sandbox.platform.stages.sequence import SCORED, stage_title

PROBLEM_COLUMNS = ["stage", "code", "problem", "trainees", "of_trainees", "share", "times", "money",
                   "examples", "tip"]
TIME_COLUMNS = ["trainee_id", "name", "stage", "minutes", "actions"]
EXAMPLES_SHOWN = 3


@dataclass
class ClassReport:
    class_info: dict[str, Any]
    problems: pd.DataFrame     # PROBLEM_COLUMNS, most-missed first
    progress: pd.DataFrame     # one row per enrolled trainee: stage, scores, last activity
    stage_times: pd.DataFrame  # TIME_COLUMNS: wall minutes from first to last action of a stage
    kpis: pd.DataFrame = field(default_factory=pd.DataFrame)  # per trainee: success rates, days to pay…
    lang: str = "zh"
    mastery: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MASTERY_COLUMNS))  # per trainee × skill

    def text(self, top: int = 10) -> str:
        info = self.class_info
        lines = [f"{info['name']} ({info['class_id']}) — {info['scenario']}, {info['mode']}",
                 f"{self._started()} of {len(self.progress)} trainees started", "",
                 "most missed (trainees who missed it / trainees scored in that stage):"]
        if self.problems.empty:
            lines.append("  nothing missed yet")
        for row in self.problems.head(top).to_dict("records"):
            lines.append(f"  {row['trainees']}/{row['of_trainees']}  {stage_title(row['stage'], self.lang)}: "
                         f"{row['problem']} [{row['code']}] ×{row['times']}, ¥{row['money']:,.2f}")
            lines.append(f"      e.g. {row['examples']}")
            if row["tip"]:
                lines.append(f"      tip: {row['tip']}")
        lines += ["", "where everyone is:", _indent(self.progress.drop(columns=["attempt_id"]).to_string(index=False))]
        if not self.kpis.empty:
            means = self.kpis[[k for k in CLASS_KPIS if k in self.kpis.columns]].astype(float).mean().round(4)
            lines += ["", "class KPIs (mean): " + ", ".join(
                f"{KPI_LABELS[k][0 if self.lang == 'zh' else 1]} {v:g}" for k, v in means.items() if pd.notna(v))]
        if not self.mastery.empty:
            zh = self.lang == "zh"
            lines += ["", "各技能掌握程度（平均值，行为技能、列为学员编号；空白：还没遇到）：" if zh else
                      "mastery per skill (mean; rows skills, columns trainee ids; blank: not met yet):",
                      _indent(self.mastery_heat().T.round(2).rename(columns=lambda who: who.split(" ")[0])
                              .to_string(na_rep="")),
                      "针对性练习：sandbox practise all --class 班级文件" if zh else
                      "targeted practice: sandbox practise all --class CLASS.yaml"]
        if not self.stage_times.empty:
            median = self.stage_times.groupby("stage", sort=False)["minutes"].median().round(1)
            lines += ["", "median minutes per stage: " + ", ".join(
                f"{stage_title(s, self.lang)} {m}" for s, m in median.items())]
        return "\n".join(lines)

    def _started(self) -> int:
        return int(self.progress["attempt_id"].notna().sum()) if not self.progress.empty else 0

    def mastery_heat(self) -> pd.DataFrame:
        """Trainees × skills, each cell the mean mastery (NaN where the trainee met no case)."""
        if self.mastery.empty:
            return pd.DataFrame()
        who = self.mastery["trainee_id"].astype(str) + " " + self.mastery["name"].astype(str)  # names may repeat
        skills = list(dict.fromkeys(self.mastery["skill_name"]))
        names = list(dict.fromkeys(who))
        heat = self.mastery.assign(who=who).pivot_table(index="who", columns="skill_name", values="mean",
                                                        aggfunc="first")
        heat.index.name = heat.columns.name = None
        return heat.reindex(index=names, columns=skills)

    # --- charts (drawn by sandbox.ui; imported here so the text report needs no plotting) ----
    def plot_mastery(self) -> Any:
        """The class's heat map of mastery, trainees × skills."""
        from sandbox.ui.mastery_charts import plot_class_mastery

        return plot_class_mastery(self.mastery_heat(), self.lang)

    def plot_problems(self, top: int = 10, ax: Any = None) -> Any:
        """Horizontal bars: how many trainees missed each problem (most missed on top)."""
        from sandbox.ui.class_charts import plot_problems

        return plot_problems(self, top, ax)

    def plot_stage_scores(self, ax: Any = None) -> Any:
        from sandbox.ui.class_charts import plot_stage_scores

        return plot_stage_scores(self, ax)

    def plot_stage_times(self, ax: Any = None) -> Any:
        from sandbox.ui.class_charts import plot_stage_times

        return plot_stage_times(self, ax)

    # --- export -------------------------------------------------------------------------------
    def to_excel(self, path: str | Path) -> Path:
        """One workbook: 问题 (problems first), 进度, 用时, and the problems chart."""
        from sandbox.ui.class_charts import add_chart_sheet

        path = Path(path)
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            # Names come from the roster: text that looks like a formula stays text.
            safe_frame(self.problems).to_excel(writer, sheet_name="问题 problems", index=False)
            safe_frame(self.progress).to_excel(writer, sheet_name="进度 progress", index=False)
            safe_frame(self.stage_times).to_excel(writer, sheet_name="用时 time", index=False)
            safe_frame(self.kpis).to_excel(writer, sheet_name="指标 KPIs", index=False)
            safe_frame(self.mastery).to_excel(writer, sheet_name="掌握 mastery", index=False)
            if not self.problems.empty:
                add_chart_sheet(writer.book, self.plot_problems())
            if not self.mastery.empty:
                add_chart_sheet(writer.book, self.plot_mastery(), "掌握图 mastery chart")
        return path


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


# --- building the report -------------------------------------------------------------------------


def class_report(gradebook: Gradebook, class_id: str, lang: str = "zh") -> ClassReport:
    info = gradebook.class_info(class_id)
    roster = gradebook.trainees(class_id)
    attempts = gradebook.attempts(class_id=class_id)
    names = dict(zip(roster["trainee_id"], roster["name"], strict=True))
    # First tries: in practice, feedback teaches, so a later try shows what was learnt, not
    # what the trainee could do on their own (the scores and misses of the first submission).
    scores = gradebook.first_tries(class_id=class_id)
    owner = dict(zip(attempts["attempt_id"], attempts["trainee"], strict=True))
    return ClassReport(
        class_info=info,
        problems=problems(scores, owner, names, lang),
        progress=progress(gradebook, roster, attempts, scores),
        stage_times=stage_times(gradebook, attempts, names),
        kpis=class_kpis(gradebook, attempts, names),
        lang=lang,
        mastery=class_mastery(gradebook, class_id, roster, lang),
    )


MASTERY_COLUMNS = ["trainee_id", "name", "skill", "skill_name", "mean", "low", "high", "cases", "part"]


def class_mastery(gradebook: Gradebook, class_id: str, roster: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Every trainee's mastery of every skill they met (gradebook/mastery.py), skills in the
    fixed order of platform/skills.py."""
    from sandbox.gradebook.mastery import mastery_of
    from sandbox.platform.skills import SKILLS

    rows = []
    for trainee in roster.to_dict("records"):
        for m in mastery_of(gradebook, trainee["trainee_id"], class_id).values():
            estimate = m.as_dict(lang)
            rows.append({**estimate, "trainee_id": trainee["trainee_id"], "name": trainee["name"],
                         "skill_name": estimate["name"], "part": m.part})
    if not rows:
        return pd.DataFrame(columns=MASTERY_COLUMNS)
    order = {code: i for i, code in enumerate(SKILLS)}
    frame = pd.DataFrame(rows)
    frame = frame.assign(_order=frame["skill"].map(order).fillna(len(order)))
    return frame.sort_values(["_order"], kind="stable")[MASTERY_COLUMNS].reset_index(drop=True)


CLASS_KPIS = ("first_pass_success_rate", "final_success_rate", "social_security_card_share", "days_to_pay",
              "money_returned", "money_stopped", "money_let_through", "wrongful_denials", "privacy_violations",
              "money_recovered")


def class_kpis(gradebook: Gradebook, attempts: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Each trainee's latest attempt: the payout and review KPIs of their saved report."""
    rows = []
    for attempt in attempts.drop_duplicates("trainee", keep="last").to_dict("records"):
        try:
            kpis = gradebook.report_data(attempt["attempt_id"], full=True).get("kpis", {})
        except GradebookError:  # nothing scored yet
            continue
        rows.append({"trainee_id": attempt["trainee"], "name": names.get(attempt["trainee"], attempt["trainee"]),
                     **{k: kpis.get(k) for k in CLASS_KPIS}})
    return pd.DataFrame(rows, columns=["trainee_id", "name", *CLASS_KPIS])


def problems(scores: pd.DataFrame, owner: dict[str, str], names: dict[str, str],
             lang: str = "zh") -> pd.DataFrame:
    """Every miss of every trainee, grouped by stage and irregularity/failure code."""
    rows = []
    for score in scores.to_dict("records"):
        for miss in (score["details"] or {}).get("misses", []):
            trainee = owner.get(score["attempt_id"], "")
            rows.append({"stage": score["stage"], "code": miss.get("fault") or miss.get("kind", ""),
                         "kind": miss.get("kind", ""), "trainee": trainee, "amount": miss.get("amount") or 0.0,
                         "example": f"{names.get(trainee, trainee)} {miss.get('entry_id', '')}: "
                                    f"{miss.get('evidence', '')}",
                         "tip": miss.get("tip", ""), "title": miss.get("title", "")})
    if not rows:
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    # One example per trainee first (a class-wide problem shows several people), in a stable order.
    misses = pd.DataFrame(rows).sort_values(["stage", "trainee"], kind="stable")
    misses["first_of_trainee"] = ~misses.duplicated(["stage", "code", "trainee"])
    misses = misses.sort_values(["first_of_trainee"], ascending=False, kind="stable")
    scored = scores.assign(trainee=scores["attempt_id"].map(owner)).groupby("stage")["trainee"].nunique()
    table = misses.groupby(["stage", "code"], sort=False).agg(
        trainees=("trainee", "nunique"), times=("trainee", "size"), money=("amount", "sum"),
        examples=("example", lambda e: " | ".join(e.head(EXAMPLES_SHOWN))), tip=("tip", "first"),
        title=("title", "first")).reset_index()
    table["problem"] = [_problem_name(c, t, lang) for c, t in zip(table["code"], table["title"], strict=True)]
    table["of_trainees"] = table["stage"].map(scored).fillna(0).astype(int)
    table["share"] = (table["trainees"] / table["of_trainees"].clip(lower=1)).round(2)
    table["money"] = table["money"].astype(float).round(2)
    table = table.sort_values(["trainees", "money", "times"], ascending=False, kind="stable")
    return table[PROBLEM_COLUMNS].reset_index(drop=True)


def _problem_name(code: str, title: str, lang: str) -> str:
    if code in FAULTS:
        return FAULTS[code].zh if lang == "zh" else FAULTS[code].en
    try:
        from sandbox.bank.codes import RETURN_CODES
    except ImportError:  # the bank model is optional for this report
        RETURN_CODES = {}
    if code in RETURN_CODES:
        return RETURN_CODES[code].zh if lang == "zh" else RETURN_CODES[code].en
    return title or code


def progress(gradebook: Gradebook, roster: pd.DataFrame, attempts: pd.DataFrame,
             scores: pd.DataFrame) -> pd.DataFrame:
    """One row per enrolled trainee, in roster order: where they are and their stage scores."""
    latest = attempts.drop_duplicates("trainee", keep="last").set_index("trainee")
    by_attempt = scores.pivot_table(index="attempt_id", columns="stage", values="score", aggfunc="first")
    stages = [s for s in SCORED if s in by_attempt.columns]
    rows = []
    for trainee in roster.to_dict("records"):
        row: dict[str, Any] = {"trainee_id": trainee["trainee_id"], "name": trainee["name"],
                               "attempt_id": None, "at_stage": "", "last_action": None, "total": None}
        if trainee["trainee_id"] in latest.index:
            attempt_id = latest.at[trainee["trainee_id"], "attempt_id"]
            where, scored = _whereabouts(gradebook, attempt_id)
            row.update(attempt_id=attempt_id, **where)
            for stage in stages:
                row[stage] = by_attempt.at[attempt_id, stage] if attempt_id in by_attempt.index else None
            firsts = [row.get(stage) for stage in scored]
            if scored and all(first is not None and not pd.isna(first) for first in firsts):
                # every stage done: the total of the first tries (a stage tried again keeps its first)
                row["total"] = round(total_of_stage_scores(float(first) for first in firsts), 2)
        rows.append(row)
    columns = ["trainee_id", "name", "attempt_id", "at_stage", "last_action", "total", *stages]
    return pd.DataFrame(rows, columns=columns)


def _whereabouts(gradebook: Gradebook, attempt_id: str) -> tuple[dict[str, Any], list[str]]:
    """Where the attempt is, its report's total (the latest) and the stages its report scores."""
    actions = gradebook.actions(attempt_id, calls=False)
    try:
        report = gradebook.report_data(attempt_id, full=True)
        total, scored = report["score"], list(report.get("stages") or {})
    except GradebookError:  # nothing scored yet
        total, scored = None, []
    if actions.empty:
        return {"at_stage": "", "last_action": None, "total": total}, scored
    last = actions.iloc[-1]
    return {"at_stage": last["stage"], "last_action": last["wall_time"], "total": total}, scored


def stage_times(gradebook: Gradebook, attempts: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Wall minutes between the first and the last action of each stage, per trainee."""
    rows = []
    for attempt in attempts.to_dict("records"):
        actions = gradebook.actions(attempt["attempt_id"], calls=False)
        if actions.empty:
            continue
        for stage, group in actions.groupby("stage", sort=False):
            span = pd.to_datetime(group["wall_time"]).agg(["min", "max"])
            rows.append({"trainee_id": attempt["trainee"], "name": names.get(attempt["trainee"], ""),
                         "stage": stage, "minutes": round((span["max"] - span["min"]).total_seconds() / 60, 2),
                         "actions": len(group)})
    return pd.DataFrame(rows, columns=TIME_COLUMNS)
