"""No tracebacks for trainees: an error the sandbox raises shows as one short message box.

`install_error_handler(lang)` registers IPython's custom exception handler for SandboxError
(`InteractiveShell.set_custom_exc`): the trainee sees the sentence in their language and what
to do next, without frames. Any other exception is a programming error and shows as usual.
Installing it again (every run of the setup cell) only updates the language.
"""

from __future__ import annotations

import html
from typing import Any

from sandbox.errors import SandboxError, SubmissionError

_TEXT = {
    "zh": {"title": "需要修改", "next": "这不是程序故障，你的工作没有丢失：按上面的提示改好，再运行这个单元格。",
           "rejected": "整份退回"},
    "en": {"title": "Something to fix", "next": "Nothing is broken and none of your work is lost: fix what "
           "the message says and run this cell again.", "rejected": "rejected whole"},
}
_state: dict[str, str] = {"lang": "zh"}


def running_in_ipython() -> Any:
    """The IPython shell this code runs in (a notebook kernel), or None."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def install_error_handler(lang: str = "zh", shell: Any = None) -> bool:
    """Show SandboxError as a message box in `lang` in this IPython shell; False outside IPython."""
    _state["lang"] = lang if lang in _TEXT else "zh"
    shell = shell or running_in_ipython()
    if shell is None:
        return False
    shell.set_custom_exc((SandboxError,), _show_trainee_error)
    return True


def trainee_message(error: SandboxError, lang: str) -> str:
    """The error as the trainee reads it: their language only, plus what to do next."""
    return f"{error.message(lang)}\n{_TEXT[lang]['next']}"


def _show_trainee_error(shell: Any, etype: type, value: BaseException, tb: Any,
                        tb_offset: int | None = None) -> None:
    """IPython's custom exception handler: one message box, no frames."""
    from IPython.display import display

    lang = _state["lang"]
    if not isinstance(value, SandboxError):  # set_custom_exc only sends these; be safe
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        return None
    display(MessageBox(value, lang))
    return None


class MessageBox:
    """What the notebook shows for a SandboxError: a red-edged box (HTML) or plain lines."""

    def __init__(self, error: SandboxError, lang: str) -> None:
        self.error = error
        self.lang = lang

    def __repr__(self) -> str:
        t = _TEXT[self.lang]
        return f"⚠ {t['title']}: {trainee_message(self.error, self.lang)}"

    def _repr_html_(self) -> str:
        t = _TEXT[self.lang]
        text = self.error.message(self.lang)
        if isinstance(self.error, SubmissionError):
            head, _, rest = text.partition("\n")
            body = (f"<div>{html.escape(head)}</div><ul style='margin:4px 0'>"
                    + "".join(f"<li>{html.escape(line.strip())}</li>" for line in rest.splitlines() if line.strip())
                    + "</ul>")
        else:
            body = "<div>" + html.escape(text).replace("\n", "<br>") + "</div>"
        return ("<div style='border-left:4px solid #c0392b;background:#fdf2f0;padding:8px 12px;"
                "margin:4px 0;font-size:14px'>"
                f"<b>⚠ {html.escape(t['title'])}</b>{body}"
                f"<div style='color:#555;margin-top:4px'>{html.escape(t['next'])}</div></div>")
