"""What every chart shares: matplotlib without a screen, a font for Chinese, PNG as text.

Every figure the sandbox draws comes from `pyplot()` or `figure()` here, and both set the
Chinese font first (sandbox/ui/fonts.py), so no chart can forget it."""

from __future__ import annotations

import base64
import io
from typing import Any

from sandbox.ui.fonts import has_chinese_font, use_chinese_font


def has_cjk_font() -> bool:
    return has_chinese_font()


def use_cjk_font() -> bool:
    """Use the font with Chinese glyphs; False only when no install route provided one."""
    return has_chinese_font()


def pyplot() -> tuple[Any, bool]:
    """pyplot (headless unless a notebook set a backend) and whether Chinese can be drawn."""
    import matplotlib

    if "inline" not in matplotlib.get_backend().lower():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt, has_chinese_font()


def figure(width: float, height: float) -> Any:
    """A figure that belongs to no window (no pyplot state, nothing shown, nothing leaked)."""
    from matplotlib.figure import Figure

    use_chinese_font()
    return Figure(figsize=(width, height))


def png_base64(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=90)
    return base64.b64encode(buffer.getvalue()).decode()
