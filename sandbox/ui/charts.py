"""What every chart shares: matplotlib without a screen, a font for Chinese, PNG as text."""

from __future__ import annotations

import base64
import io
from typing import Any

CJK_FONTS = ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "PingFang SC")


def has_cjk_font() -> bool:
    from matplotlib import font_manager

    return any(f.name in CJK_FONTS for f in font_manager.fontManager.ttflist)


def use_cjk_font() -> bool:
    """Use a font with Chinese glyphs when the machine has one; False when it has none."""
    import matplotlib
    from matplotlib import font_manager

    for name in CJK_FONTS:
        if any(f.name == name for f in font_manager.fontManager.ttflist):
            matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
            return True
    return False


def pyplot() -> tuple[Any, bool]:
    """pyplot (headless unless a notebook set a backend) and whether Chinese can be drawn."""
    import matplotlib

    if "inline" not in matplotlib.get_backend().lower():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    use_cjk_font()
    return plt, plt.rcParams["font.sans-serif"][0] != "DejaVu Sans" and has_cjk_font()


def figure(width: float, height: float) -> Any:
    """A figure that belongs to no window (no pyplot state, nothing shown, nothing leaked)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def png_base64(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=90)
    return base64.b64encode(buffer.getvalue()).decode()
