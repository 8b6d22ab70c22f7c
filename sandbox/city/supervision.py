"""The 督导 exercise: the city's 一卡通 office reads per-county, per-month KPIs of the five-month
run and names the problem counties — the problem, the KPI that proves it, who is responsible,
by when, who follows it up and what must be done (定时间、定人员、定责任、定任务).

Scored on problems found and wrong blame avoided (docs/scoring.md, "the 督导 exercise"):
each planted problem is worth one point — 0.5 for naming the county and the problem, 0.15 for
the KPI that shows it, 0.2 for the right owner, 0.15 for a deadline within the rectification
window, a person and a task. Each finding that names a problem the county does not have
(wrong blame, 问责错了对象) takes 0.5 off. Score = 100 × points ÷ problems planted, 0–100.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

import pandas as pd

from sandbox.city.problems import OWNERS, PROBLEM_KINDS
from sandbox.city.run import CityRun, run_city
from sandbox.city.saved_work import SavedWork
from sandbox.common.regions import ZHOUKOU_COUNTIES
from sandbox.errors import SandboxError

INSPECTION_DATE = dt.date(2022, 6, 10)   # the 督导组 visits after the May batch
RECTIFY_DAYS = 30                        # a deadline (定时间) within a month of the visit
FINDING_COLUMNS = ["county", "problem", "evidence", "owner", "deadline", "person", "task"]
CREDIT = {"found": 0.5, "evidence": 0.15, "owner": 0.2, "four_fixes": 0.15}
WRONG_BLAME = 0.5

# The KPI columns a trainee reads, with their labels (zh, en).
KPI_LABELS: dict[str, tuple[str, str]] = {
    "county_name": ("县区", "county"), "month": ("月份", "month"),
    "payees": ("应发人次", "payments due"), "credited": ("到账人次", "credited"),
    "amount_paid": ("到账金额（元）", "paid (¥)"), "reissued": ("补发人次", "re-issued"),
    "success_rate": ("发放成功率", "success rate"), "activation_rate": ("社保卡激活率", "cards activated"),
    "returns_AG01": ("退票：未激活", "returns: not activated"), "returns_AC06": ("退票：冻结挂失", "returns: blocked"),
    "returns_NOCM": ("退票：久悬", "returns: dormant"), "returns_AC04": ("退票：销户", "returns: closed"),
    "returns_BE01": ("退票：户名不符", "returns: name mismatch"), "returns_AC01": ("退票：账号错误", "returns: bad account"),
    "returns_MD07": ("退票：已死亡", "returns: deceased"), "days_to_pay": ("到账天数", "days to pay"),
    "paid_after_death": ("死亡后发放（元）", "paid after death (¥)"), "recovered": ("追回金额（元）", "recovered (¥)"),
    "recovery_rate": ("追回率", "recovery rate"), "posting_rate": ("公示率", "posted (公示)"),
    "complaints": ("投诉件数", "complaints"), "additions": ("新增", "added"), "stops": ("停发", "stopped"),
}
EVIDENCE_KEYS = ("activation_rate", "success_rate", "days_to_pay", "returns_BE01", "returns_AG01", "returns_MD07",
                 "recovery_rate", "posting_rate", "complaints", "stops")


def kpi_label(key: str, lang: str) -> str:
    zh, en = KPI_LABELS[key]
    return zh if lang == "zh" else en


@dataclass
class SupervisionResult:
    score: float
    found: int
    planted: int
    wrong_blame: int
    lines: list[str] = field(default_factory=list)   # feedback, one line per problem or finding
    lang: str = "zh"

    def text(self) -> str:
        head = (f"督导得分 {self.score:.1f}：发现问题 {self.found}/{self.planted}，错误问责 {self.wrong_blame} 处"
                if self.lang == "zh" else
                f"Supervision score {self.score:.1f}: {self.found}/{self.planted} problems found, "
                f"{self.wrong_blame} wrong blame")
        return "\n".join([head, *self.lines])

    def __repr__(self) -> str:
        return self.text()


def _county_code(value: object) -> str:
    key = str(value).strip()
    by_name = {name: code for code, name in ZHOUKOU_COUNTIES.items()}
    return key if key in ZHOUKOU_COUNTIES else by_name.get(key, "")


def _kind_code(value: object) -> str:
    key = str(value).strip()
    by_name = {k.zh: c for c, k in PROBLEM_KINDS.items()}
    return key if key in PROBLEM_KINDS else by_name.get(key, "")


def _owner_code(value: object) -> str:
    key = str(value).strip()
    by_name = {zh: c for c, (zh, _) in OWNERS.items()}
    return key if key in OWNERS else by_name.get(key, "")


def _evidence_code(value: object) -> str:
    key = str(value).strip()
    by_name = {zh: c for c, (zh, _) in KPI_LABELS.items()}
    return key if key in KPI_LABELS else by_name.get(key, "")


def _four_fixes(row: dict) -> bool:
    """定时间、定人员、定任务 filled in: a deadline within the window, a person, a task."""
    try:
        deadline = dt.date.fromisoformat(str(row.get("deadline", "")).strip())
    except ValueError:
        return False
    in_window = INSPECTION_DATE < deadline <= INSPECTION_DATE + dt.timedelta(days=RECTIFY_DAYS)
    return in_window and bool(str(row.get("person", "")).strip()) and bool(str(row.get("task", "")).strip())


def check_findings(findings: pd.DataFrame) -> list[dict]:
    """Rows of a findings table as codes; SandboxError naming the row and field that is wrong."""
    missing = [c for c in ("county", "problem") if c not in findings.columns]
    if missing:
        raise SandboxError(f"督导发现表缺少列：{'、'.join(missing)}（应有 {', '.join(FINDING_COLUMNS)}）",
                           f"the findings table lacks {', '.join(missing)} (expected {', '.join(FINDING_COLUMNS)})")
    rows = []
    for number, row in enumerate(findings.fillna("").to_dict("records"), start=1):
        county, kind = _county_code(row["county"]), _kind_code(row["problem"])
        if not county:
            raise SandboxError(f"第 {number} 条发现：县区“{row['county']}”不是周口市的县区，应为如 郸城县",
                               f"finding {number}: {row['county']!r} is not a Zhoukou county (e.g. 郸城县)")
        if not kind:
            choices = "、".join(k.zh for k in PROBLEM_KINDS.values())
            raise SandboxError(f"第 {number} 条发现：问题“{row['problem']}”不在问题清单中，应为：{choices}",
                               f"finding {number}: problem {row['problem']!r} is not one of {', '.join(PROBLEM_KINDS)}")
        rows.append({**row, "county": county, "problem": kind, "evidence": _evidence_code(row.get("evidence", "")),
                     "owner": _owner_code(row.get("owner", ""))})
    return rows


def score_findings(findings: pd.DataFrame, problems: list, lang: str = "zh") -> SupervisionResult:
    """Points for planted problems found (with evidence, owner and the four fixes), less wrong blame."""
    rows = check_findings(findings)
    planted = {(p.county, p.kind) for p in problems}
    by_key: dict[tuple[str, str], dict] = {}
    lines, wrong = [], 0
    for row in rows:
        key = (row["county"], row["problem"])
        if key in planted:
            by_key.setdefault(key, row)
            continue
        wrong += 1
        kind = PROBLEM_KINDS[row["problem"]]
        name = ZHOUKOU_COUNTIES[row["county"]]
        lines.append(f"✗ 错误问责：{name}没有“{kind.zh}”问题，数据不支持这一结论" if lang == "zh" else
                     f"✗ wrong blame: {name} has no problem of '{kind.en}'; the KPIs do not show it")
    points, found = 0.0, 0
    for county, kind_code in sorted(planted):
        kind, name = PROBLEM_KINDS[kind_code], ZHOUKOU_COUNTIES[county]
        row = by_key.get((county, kind_code))
        if row is None:
            continue
        found += 1
        got = CREDIT["found"]
        notes = []
        if row["evidence"] == kind.evidence:
            got += CREDIT["evidence"]
        else:
            notes.append(f"证据应看“{kpi_label(kind.evidence, 'zh')}”" if lang == "zh"
                         else f"the evidence is '{kpi_label(kind.evidence, 'en')}'")
        owner_zh, owner_en = OWNERS[kind.owner]
        if row["owner"] == kind.owner:
            got += CREDIT["owner"]
        else:
            notes.append(f"责任主体应为{owner_zh}" if lang == "zh" else f"the owner is {owner_en} ({owner_zh})")
        if _four_fixes(row):
            got += CREDIT["four_fixes"]
        else:
            notes.append(f"要定时间（{RECTIFY_DAYS}天内）、定人员、定任务" if lang == "zh"
                         else f"set a deadline (within {RECTIFY_DAYS} days), a person and a task")
        points += got
        mark = "✓" if not notes else "△"
        detail = "；".join(notes) if lang == "zh" else "; ".join(notes)
        lines.append(f"{mark} {name} {kind.zh}" + (f"：{detail}" if notes else "") if lang == "zh" else
                     f"{mark} {name}: {kind.en}" + (f" — {detail}" if notes else ""))
    if found < len(planted):  # which ones stays for the trainee to find: the score says how many
        lines.append(f"✗ 还有 {len(planted) - found} 个问题没有发现：逐个指标看各县区，找明显偏离其他县区的那一个"
                     if lang == "zh" else f"✗ {len(planted) - found} problems not found yet: go through the KPIs one "
                     "by one and look for the county far from the others")
    score = max(0.0, min(100.0, 100.0 * (points - WRONG_BLAME * wrong) / max(1, len(planted))))
    return SupervisionResult(round(score, 1), found, len(planted), wrong, lines, lang)


class CityOffice:
    """The trainee's desk as the city's 一卡通 office: `kpis()`, `table()`, `submit(findings)`.

    The five-month run is made at `fraction` of the census size (fast enough for a notebook);
    the problems it plants are the scenario's `city.problems`."""

    def __init__(self, scenario, fraction: float, lang: str = "zh") -> None:
        self.scenario, self.lang = scenario, lang
        self.run: CityRun = run_city(scenario, fraction)
        # What the trainee did before a kernel restart: the draft on the desk, the reports scored.
        self.saved = SavedWork(scenario.name, lang)
        self.attempts: list[SupervisionResult] = [SupervisionResult(**s["result"]) for s in self.saved.submissions]

    def kpis(self) -> pd.DataFrame:
        """One row per county and month, columns as in KPI_LABELS (codes)."""
        return self.run.kpis.copy()

    def table(self, columns: list[str] | None = None) -> pd.DataFrame:
        """The KPIs with headers in the trainee's language."""
        shown = columns or ["county_name", "month", "payees", "success_rate", "activation_rate", "returns_BE01",
                            "days_to_pay", "recovery_rate", "posting_rate", "complaints"]
        frame = self.run.kpis[shown].copy()
        return frame.rename(columns={c: kpi_label(c, self.lang) for c in shown})

    def template(self) -> pd.DataFrame:
        return pd.DataFrame(columns=FINDING_COLUMNS)

    def submit(self, findings: pd.DataFrame) -> SupervisionResult:
        """Score a findings table (codes or Chinese names); may be submitted again to improve."""
        result = score_findings(findings, self.scenario.city.problems, self.lang)
        self.attempts.append(result)
        rows = findings.astype(object).where(findings.notna(), "").astype(str).to_dict("records")
        self.saved.keep_submission(asdict(result), rows)
        return result

    @property
    def last(self) -> SupervisionResult | None:
        """The report submitted last (before a restart too), or None."""
        return self.attempts[-1] if self.attempts else None
