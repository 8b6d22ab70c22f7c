"""Where the sandbox keeps a user's own files: $SANDBOX_HOME, or ~/.yikatong-sandbox."""

from __future__ import annotations

import os
from pathlib import Path


def sandbox_home() -> Path:
    return Path(os.environ.get("SANDBOX_HOME") or Path.home() / ".yikatong-sandbox")
