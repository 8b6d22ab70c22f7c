"""Tables a Chinese course shows: Chinese headers and values on screen, English names in code.

A trainee who writes `roster[roster["program"] == "basic_pension"]` needs the English column
names and codes; a trainee who only reads needs Chinese. In a Chinese course a DataFrame shown
as a cell's result is drawn with each header in Chinese beside its code name
(身份证号（id_number）) and code values by their Chinese names (sandbox.ui.vocabulary) — the
frame itself is not changed, so code keeps working with the English names.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd


def headers_with_code(frame: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    """`shown` (the localised frame) with each header as 中文（code） where the two differ."""
    names = {}
    for original, chinese in zip(frame.columns, shown.columns, strict=False):
        names[chinese] = chinese if str(chinese) == str(original) else f"{chinese}（{original}）"
    return shown.rename(columns=names)


def chinese_html(frame: pd.DataFrame, programs: Mapping[str, str] | None = None) -> str:
    """The HTML a Chinese course shows for `frame` (pandas' own truncation rules apply)."""
    from sandbox.ui.vocabulary import HIDDEN_ZH, localise

    kept = frame.drop(columns=[c for c in HIDDEN_ZH if c in frame.columns])
    if isinstance(kept.columns, pd.MultiIndex):
        return frame._repr_html_() or ""
    shown = headers_with_code(kept, localise(kept, "zh", programs))
    return shown._repr_html_() or ""


def show_tables_in_chinese(programs: Mapping[str, str] | None = None, shell=None) -> bool:
    """In IPython, draw every DataFrame result with Chinese headers and values (idempotent).
    Returns False outside IPython."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # no IPython: plain Python shows tables as pandas does
            return False
        shell = get_ipython()
    if shell is None:
        return False
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pd.DataFrame, lambda frame: chinese_html(frame, programs))
    return True


def show_tables_as_they_are(shell=None) -> None:
    """Undo show_tables_in_chinese (an English course after a Chinese one in the same kernel)."""
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/html"].type_printers.pop(pd.DataFrame, None)
