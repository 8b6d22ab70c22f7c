"""A Chinese font for every chart, on every install route.

Matplotlib ships no font with Chinese glyphs, and most machines a class runs on (a pip
venv, conda/Binder, a JupyterHub image) have none either. The sandbox depends on
`pylopdf-fonts-zh-cn` from PyPI: a data-only package holding Noto Sans SC (the Simplified
Chinese cut of Noto Sans CJK / Source Han Sans, SIL Open Font License 1.1, copied unchanged
from github.com/notofonts/noto-cjk at a pinned revision). pip installs it with the sandbox on
every route; `use_chinese_font()` registers its file with matplotlib (no system font cache,
no fontconfig needed) and puts it first in `font.sans-serif`. docs/fonts.md has the details.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
FONT_FILE = "NotoSansSC-Regular.otf"
# Used only when the package is missing (e.g. a hand-made environment): fonts a system may have.
SYSTEM_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Zen Hei",
                "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC")
NO_CHINESE_FONT = "DejaVu Sans"  # matplotlib's own: what charts get when no Chinese font is found

_family: str | None = None  # found once per process; the rcParams are set again on every call
# A cell that may draw with the trainee's own code: pandas' .plot, pyplot, matplotlib itself.
DRAWS = re.compile(r"matplotlib|pyplot|\bplt\.|\.plot\b|\.hist\(|\.boxplot\(")


def font_path() -> Path | None:
    """The packaged Noto Sans SC file, found without importing the package (None if missing)."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / FONT_FILE
        if path.is_file():
            return path
    return None


def use_chinese_font() -> str:
    """Make matplotlib draw Chinese; returns the font family used.

    Idempotent and cheap after the first call: the font file is registered once, and the
    rcParams are set again each time (a notebook may have reset them since). Returns
    `NO_CHINESE_FONT` when neither the package nor a system font with Chinese is found."""
    import matplotlib

    global _family
    if _family is None:
        _family = _register() or NO_CHINESE_FONT
    rc = matplotlib.rcParams
    if _family != NO_CHINESE_FONT:
        rc["font.sans-serif"] = [_family, *(f for f in rc["font.sans-serif"] if f != _family)]
    # The minus sign as ASCII '-': some Chinese fonts lack U+2212 and would draw a box.
    rc["axes.unicode_minus"] = False
    return _family


def has_chinese_font() -> bool:
    return use_chinese_font() != NO_CHINESE_FONT


def _register() -> str | None:
    from matplotlib import font_manager

    path = font_path()
    if path is not None:
        font_manager.fontManager.addfont(str(path))
        return font_manager.FontProperties(fname=str(path)).get_name()
    known = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in SYSTEM_FONTS if name in known), None)


def use_chinese_font_in_notebook(shell: Any = None) -> bool:
    """Chinese for the trainee's own charts too (`df.plot()`, pyplot), without importing
    matplotlib at the start (~0.1 s) when nothing draws: the font is set now if matplotlib is
    loaded, and in IPython before every cell that has loaded it or looks like it draws.
    Registered once per shell; False outside IPython."""
    if "matplotlib" in sys.modules:
        use_chinese_font()
    if shell is None or getattr(shell, "_sandbox_chinese_font", False):
        return shell is not None
    shell.events.register("pre_run_cell", _before_cell)
    shell._sandbox_chinese_font = True
    return True


def _before_cell(info: Any = None) -> None:
    source = getattr(info, "raw_cell", "") or ""
    if "matplotlib" in sys.modules or DRAWS.search(source):
        use_chinese_font()
