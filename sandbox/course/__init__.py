"""What the course notebooks call: `begin(notebook)` (the one setup call), start at any stage, read feedback entry by entry, the
helpers a trainee uses to clean and publish tables, and the course's pictures."""

from __future__ import annotations

from sandbox.common.identifiers import (
    check_card_number,
    check_id_number,
    clean_card_number,
    clean_id_number,
    suggest_id_fix,
)
from sandbox.common.masking import check_published, mask_card_number, mask_id_number, publish_table
from sandbox.common.normalize import clean_roster
from sandbox.common.parsing import parse_amount, parse_mu
from sandbox.course.begin import begin
from sandbox.course.by_code import by_code
from sandbox.course.city import begin_city
from sandbox.course.lessons import (
    LESSONS,
    STAGES,
    decided_count,
    inspection_findings,
    lesson_until,
    recorded_summary,
    resume_at,
)
from sandbox.course.my_report import MyReport, my_report
from sandbox.session.feedback import entry_verdicts, verdict_text
from sandbox.ui.display import NotebookDisplay
from sandbox.ui.figures import sandbox_svg, workflow_svg

__all__ = [
    "LESSONS", "STAGES", "MyReport", "NotebookDisplay", "begin", "begin_city", "by_code", "check_card_number",
    "check_id_number",
    "check_published",
    "clean_card_number", "clean_id_number", "clean_roster", "decided_count", "entry_verdicts",
    "inspection_findings", "lesson_until", "mask_card_number", "mask_id_number", "my_report", "parse_amount",
    "parse_mu", "publish_table", "recorded_summary", "resume_at", "sandbox_svg", "suggest_id_fix",
    "verdict_text", "workflow_svg",
]
