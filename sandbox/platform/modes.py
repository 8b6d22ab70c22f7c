"""The three modes an attempt runs in, and what each promises the trainee.

- practice (练习): feedback at once, every stage may teach; some stages may be tried again.
- exam (考试): only on a class server. The platform, the answer key and the seed stay on the
  server; the trainee sees no score and no figure derived from the key until the trainer
  releases feedback (`sandbox class release-feedback`). This is the only sealed exam.
- self-test (自测): an exam run in the trainee's own process (`Session.start(mode="self-test")`,
  or `mode="exam"` there, its alias). It is sealed the same way until the trainee ends it
  (`s.end_self_test()`), but whoever owns the machine owns the platform, its answer key and
  its gradebook file: it measures, it does not certify.
"""

from __future__ import annotations

from sandbox.errors import SandboxError

PRACTICE, EXAM, SELF_TEST = "practice", "exam", "self-test"
# What a trainee may ask for when the platform runs in their own process.
LOCAL_MODES: dict[str, str] = {PRACTICE: PRACTICE, SELF_TEST: SELF_TEST, EXAM: SELF_TEST,
                               "self_test": SELF_TEST, "selftest": SELF_TEST}
MODE_NAMES: dict[str, tuple[str, str]] = {
    PRACTICE: ("练习", "practice"), EXAM: ("考试", "exam"), SELF_TEST: ("自测", "self-test"),
}


def local_mode(mode: str | None) -> str | None:
    """The mode of an attempt run in the trainee's own process: an exam there is a self-test.
    None stays None (the scenario's own mode is then read the same way)."""
    if mode is None:
        return None
    found = LOCAL_MODES.get(str(mode).strip().lower())
    if found is None:
        raise SandboxError(f"没有“{mode}”这种模式，可用 practice（练习）或 self-test（自测）",
                           f"unknown mode {mode!r}; expected practice or self-test")
    return found


def mode_name(mode: str, lang: str = "zh") -> str:
    """A mode as a trainee reads it (自测, not exam, for a local exam)."""
    zh, en = MODE_NAMES.get(mode, (mode, mode))
    return zh if lang == "zh" else en
