"""The steps that cannot be undone, and the payment deadline, as the trainee is told them.

Closing review, sending payment, re-issuing (补发), publishing and the inspection report are
final. Each takes `confirm`: without `confirm=True` it changes nothing and answers with one
sentence saying what will become final and how to confirm (Chinese, then English after " / ",
as every SandboxError carries them). The brief lists the same steps and the deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sandbox.common.calendar import BusinessCalendar
from sandbox.errors import SandboxError
from sandbox.platform.deadline import payment_deadline


@dataclass(frozen=True)
class FinalStep:
    """A step that cannot be undone: what it makes final and the call that confirms it."""

    action: str      # the platform action (`stage.name`)
    title_zh: str
    title_en: str
    final_zh: str    # what becomes final, as a clause
    final_en: str
    call: str        # what a trainee types to confirm

    def warning(self, extra_zh: str = "", extra_en: str = "") -> tuple[str, str]:
        """The answer to an unconfirmed call, (zh, en): what will become final, how to confirm."""
        return (f"还没有{self.title_zh}：{self.final_zh}{extra_zh}。核对无误后请用 {self.call}。",
                f"Not done yet: {self.final_en}{extra_en}; when you have checked, call {self.call}.")


FINAL_STEPS: dict[str, FinalStep] = {step.action: step for step in (
    FinalStep("review.finalize", "结束审核", "closing review",
              "结束审核后名单将送去发放，不能再改", "closing review sends the list to payout and it cannot be changed",
              "s.review.close(confirm=True)"),
    FinalStep("payout.submit", "发送支付申请", "sending the payment request",
              "支付申请发出后钱会打到各人卡上，不能撤回", "once the payment request is sent the money goes to the cards "
              "and cannot be called back", "s.payout.submit(request, confirm=True)"),
    FinalStep("failures.reissue", "补发", "re-issuing (补发)",
              "补发后钱会打到卡上，不能撤回", "a re-issue sends money to the cards and cannot be called back",
              "s.failures.reissue(confirm=True)"),
    FinalStep("disclosure.publish", "公开发放结果", "publishing the results",
              "公开后名单挂在公开专栏，不能撤回", "once published, the list stays in the public column and cannot "
              "be withdrawn", "s.disclosure.publish(table, confirm=True)"),
    FinalStep("supervision.submit", "提交检查报告", "submitting the inspection report",
              "检查报告提交后即为定稿，不能再改", "once submitted, the inspection report is final and cannot be changed",
              "s.supervision.submit(findings, confirm=True)"),
)}

if TYPE_CHECKING:
    from sandbox.scenario.schema import Calendar
# `review.close` is the same step as `review.finalize`, under the name the course uses.
FINAL_STEPS["review.close"] = FINAL_STEPS["review.finalize"]

REVIEW_STILL_OPEN = ("审核还没有结束，不能发放：请先核对名单，用 s.review.close(confirm=True) 结束审核。",
                     "Review is still open, so nothing can be paid: check the list and close review "
                     "with s.review.close(confirm=True) first.")


def require_confirmation(action: str, confirm: bool, extra_zh: str = "", extra_en: str = "") -> None:
    """Refuse an unconfirmed final step, saying what it would make final (nothing changes)."""
    if confirm is not True:
        raise SandboxError(*FINAL_STEPS[action].warning(extra_zh, extra_en))


def unposted_warning(count: int, posting_days: int) -> tuple[str, str]:
    """The clause added when closing review would pay entries no full 公示 showed."""
    return (f"；其中 {count} 条未经公示（须在村里公示满 {posting_days} 天，可用 s.review.post_notice()），"
            f"现在结束属于违规",
            f"; {count} approved entries have not been on a full {posting_days}-day public posting (公示, "
            "s.review.post_notice()), so closing now is a violation (未经公示)")


def unposted_after_closing(count: int, posting_days: int, lang: str = "zh") -> str:
    """What the closing answer says again when review closed without a full 公示 (in `lang`)."""
    if lang == "zh":
        return f"审核已结束，但有 {count} 条未经公示（须公示满 {posting_days} 天）就送去发放，属于违规。"
    return (f"Review is closed, but {count} approved entries went to payout without a full "
            f"{posting_days}-day public posting (未经公示): that is a violation.")


def deadline_brief(calendar: Calendar, business: BusinessCalendar, now: dt.datetime) -> dict:
    """The payment deadline (发放时限), the days left to it, and the final steps: for the brief."""
    deadline = payment_deadline(calendar, business)
    today = now.date()
    days_left = max(0, (deadline - today).days)
    late = max(0, (today - deadline).days)
    working_left = 0 if late else sum(1 for n in range(days_left + 1)
                                      if business.is_business_day(today + dt.timedelta(days=n)))
    when = (f"发放时限 {deadline.isoformat()}，还有 {days_left} 天（{working_left} 个工作日）"
            if not late else f"发放时限 {deadline.isoformat()}，已超过 {late} 天")
    when_en = (f"payment deadline {deadline.isoformat()}: {days_left} days ({working_left} working days) left"
               if not late else f"payment deadline {deadline.isoformat()}: {late} days past")
    steps = [s for a, s in FINAL_STEPS.items() if a != "review.close"]
    return {
        "payment_deadline": deadline.isoformat(),
        "days_left": days_left,
        "days_late": late,
        "working_days_left": working_left,
        "deadline": f"{when}；入户核查、公示和银行处理都要占用这段时间。 / {when_en}; home visits, "
                    "公示 and the banks' days all come out of it.",
        "final_steps": [f"{s.title_zh}：{s.final_zh}，须确认（{s.call}） / {s.title_en}: cannot be undone, "
                        "needs confirm=True" for s in steps],
    }
