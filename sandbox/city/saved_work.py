"""The 督导 exercise's work on disk, so a kernel restart loses nothing: the findings being
drafted on the desk and every report submitted, with its score.

One JSON file per scenario (and language) under $SANDBOX_HOME/city/, written whole to a temporary
file and renamed, so a crash leaves the old file or the new one, never half of one."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from sandbox.common.home import sandbox_home


def _file_name(scenario_name: str, lang: str) -> str:
    safe = re.sub(r"[^\w-]+", "_", scenario_name).strip("_") or "city"
    return f"{safe}-{lang}.json"


class SavedWork:
    """`draft` (findings not yet submitted) and `submissions` (each scored report), read at
    start and written after every change."""

    def __init__(self, scenario_name: str, lang: str) -> None:
        self.path: Path = sandbox_home() / "city" / _file_name(scenario_name, lang)
        self.draft: list[dict[str, Any]] = []
        self.submissions: list[dict[str, Any]] = []
        if self.path.exists():
            saved = json.loads(self.path.read_text(encoding="utf-8"))
            self.draft = list(saved.get("draft", []))
            self.submissions = list(saved.get("submissions", []))

    def keep_draft(self, findings: list[dict[str, Any]]) -> None:
        self.draft = [dict(f) for f in findings]
        self._write()

    def keep_submission(self, result: dict[str, Any], findings: list[dict[str, Any]]) -> None:
        self.submissions.append({"result": result, "findings": findings})
        self._write()

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"draft": self.draft, "submissions": self.submissions}, ensure_ascii=False, indent=1)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
