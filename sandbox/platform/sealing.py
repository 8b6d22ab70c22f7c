"""Sealing: what an exam or a self-test shows before its feedback is released.

Until release (the trainer's `sandbox class release-feedback`, or the trainee's own
`s.end_self_test()` for a local self-test), the trainee sees what they did and what the banks
said, and no figure computed from the answer key: not the key itself (`attempt.data.key`,
`omitted`), not the world's truth or the registries' defects, and nothing scored from them —
stage scores, the total, misses, money let through or stopped, wrongful denials, privacy
violations, per-type counts, harm. Each such field is blanked (None, or an empty list where
the field is a list) and the report carries one plain line saying when it will show.

The rule is an allow-list: a report field or KPI not named open below is sealed, so a
section added later (e.g. the harm ledger, whatever its shape) is sealed without a change
here. The trainer's own copy in the gradebook (`trainer_report`) is not sealed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from sandbox.platform.modes import SELF_TEST

if TYPE_CHECKING:
    from sandbox.platform.attempt import Attempt

SEALED_NOTE = "成绩在培训师发布后可见 / results are shown once the trainer releases them"
SELF_TEST_NOTE = ("成绩在结束自测后可见，结束请用 s.end_self_test() / "
                  "results are shown once you end the self-test: s.end_self_test()")

# Report fields that say who and what, or what the banks reported: never from the key.
OPEN_FIELDS = frozenset({"attempt_id", "trainee", "scenario", "seed", "mode", "lang",
                         "feedback_released", "timeline"})
# KPIs read from the banks' own results (what `payout.kpis` shows the trainee anyway).
OPEN_KPIS = frozenset({"money_paid", "money_returned", "first_pass_success_rate", "final_success_rate",
                       "social_security_card_share", "days_to_pay"})
# Sealed fields that stay lists (the session's report iterates them).
LIST_FIELDS = frozenset({"misses", "practise_next"})
# Sealed fields that stay dicts keyed as before, every value blanked.
KEYED_FIELDS = frozenset({"stages", "kpis"})


def is_sealed(attempt: Attempt) -> bool:
    """Whether the attempt still withholds what the answer key decides."""
    return not attempt.feedback_released


def sealed_note(attempt: Attempt) -> str:
    return SELF_TEST_NOTE if attempt.mode == SELF_TEST else SEALED_NOTE


def seal_report(report: dict[str, Any], attempt: Attempt) -> dict[str, Any]:
    """The report as the trainee may see it now: unchanged once released."""
    if not is_sealed(attempt):
        return report | {"sealed": False}
    return seal_data(report, sealed_note(attempt))


def seal_data(report: dict[str, Any], note: str = SEALED_NOTE) -> dict[str, Any]:
    """A report's data sealed (for a stored report too, where no attempt is at hand)."""
    out: dict[str, Any] = {}
    for key, value in report.items():
        if key in OPEN_FIELDS:
            out[key] = value
        elif key == "kpis" and isinstance(value, dict):
            out[key] = {k: (v if k in OPEN_KPIS else None) for k, v in value.items()}
        elif key in KEYED_FIELDS and isinstance(value, dict):
            out[key] = dict.fromkeys(value)
        elif key in LIST_FIELDS:
            out[key] = []
        elif isinstance(value, dict):
            out[key] = {}  # e.g. per-type counts: a table with no rows
        else:
            out[key] = None
    return out | {"sealed": True, "sealed_note": note}


def seal_feedback(attempt: Attempt, data: dict[str, Any]) -> dict[str, Any]:
    """A stage's answer to a submission: what was recorded, and the score and misses only
    once released."""
    if not is_sealed(attempt):
        return data
    out = {k: data[k] for k in ("stage", "recorded") if k in data}
    if "score" in data:
        out |= {"score": None, "metrics": {}, "misses": []}
    return out | {"withheld": True, "note": sealed_note(attempt)}


def seal_scores(attempt: Attempt, table: pd.DataFrame) -> pd.DataFrame:
    """The score table: which stages are scored, their scores only once released."""
    if not is_sealed(attempt) or table.empty:
        return table
    return table.assign(score=None)
