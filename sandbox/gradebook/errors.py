"""The gradebook's one error type."""

from __future__ import annotations

from sandbox.errors import SandboxError


class GradebookError(SandboxError):
    """Something asked of the gradebook that it cannot do (unknown id, bad mode, a schema
    this version cannot use…)."""


class NotRecorded(SandboxError):
    """A state-changing call whose log could not be written: nothing of it took effect."""

    def __init__(self) -> None:
        super().__init__(
            "这一步没有记进成绩册（成绩册暂时写不进去），所以什么都没有改变：请稍等一会儿再做一次；"
            "一直这样请告诉培训老师",
            "this step was not recorded (the gradebook could not be written just now), so nothing "
            "changed: wait a moment and do it again; tell your trainer if it keeps happening")


class StaleAttempt(Exception):
    """Another process logged actions of the attempt since this one last read its log."""
