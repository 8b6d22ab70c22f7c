"""The review desk works in a real browser: JupyterLab in headless Chromium runs
02_review_and_posting up to the desk, a click on 通过 approve reaches the kernel, and the
platform records the decision (the desk's autosave file and the notebook's own read-back).

Needs Debian's /usr/bin/chromium and the `playwright` package (scripts/install_browser.sh).
JupyterLab serves a temporary copy of notebooks/, so the tree stays clean (the notebooks
name their scenario, which ships inside the package).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from browser_lab import (
    ROOT,
    SLOW,
    TOKEN,
    copy_notebooks,
    launch_chromium,
    require_browser,
    serve_lab,
)

pytestmark = pytest.mark.browser

NOTEBOOK = "en/02_review_and_posting.ipynb"  # the English edition: the desk labels it waits for
APPROVE = "通过 approve"


@pytest.fixture()
def lab(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A JupyterLab server on a free loopback port over a copy of notebooks/."""
    require_browser()
    if not (ROOT / "notebooks" / NOTEBOOK).exists():
        pytest.skip(f"notebooks/{NOTEBOOK} does not exist")
    copy_notebooks(tmp_path)
    with serve_lab(tmp_path) as url:
        yield url, tmp_path


def cells_through_desk(path: Path) -> tuple[int, int]:
    """Indexes of the cell that shows the review desk and of the read-back cell after it."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells]
    desk = next(i for i, text in enumerate(sources) if "ReviewDesk(s" in text)
    readback = next(i for i, text in enumerate(sources) if "recorded_summary(s)" in text and i > desk)
    return desk, readback


def wait_idle(page) -> None:
    """The kernel is connected and idle: the status bar says so (not just the toolbar icon,
    which reads idle before the kernel's websocket is up)."""
    page.locator(".jp-StatusBar-Widget").filter(has_text="| Idle").first.wait_for(timeout=SLOW)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=SLOW)


def run_cells(page, cells, count: int) -> None:
    """Shift+Enter from the first cell, `count` times, checking the selection moves each time."""
    cells.nth(0).click()
    for index in range(count):
        page.keyboard.press("Shift+Enter")
        cells.nth(index + 1).and_(page.locator(".jp-mod-active")).wait_for(timeout=SLOW)


def test_a_click_on_the_review_desk_is_recorded_by_the_platform(lab) -> None:
    from playwright.sync_api import sync_playwright

    url, root = lab
    desk_cell, readback_cell = cells_through_desk(root / "notebooks" / NOTEBOOK)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/lab/tree/notebooks/{NOTEBOOK}?token={TOKEN}", timeout=SLOW)
            cells = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")
            cells.first.wait_for(timeout=SLOW)
            wait_idle(page)
            run_cells(page, cells, desk_cell + 1)  # every cell up to and including the desk
            approve = page.locator(f"button:has-text('{APPROVE}')").first
            approve.wait_for(state="visible", timeout=SLOW)
            wait_idle(page)
            shown = page.locator(".jp-OutputArea-output h4").filter(has_text="E0").first.inner_text()
            entry_id = shown.split()[-1]
            approve.click()
            page.wait_for_selector("text=Review progress: 1 of", timeout=SLOW)

            saved = (root / "notebooks" / NOTEBOOK).parent / "my_decisions.csv"
            deadline = time.monotonic() + 30
            while not saved.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            assert saved.exists(), "the desk did not save the platform's decisions after the click"
            recorded = pd.read_csv(saved, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            assert recorded[["entry_id", "decision"]].values.tolist() == [[entry_id, "approve"]]

            cells.nth(readback_cell).click()
            page.keyboard.press("Shift+Enter")
            readback = cells.nth(readback_cell).locator(".jp-OutputArea-output")
            readback.filter(has_text="recorded decisions: 1").wait_for(timeout=SLOW)
            assert f"{entry_id} approve" in readback.inner_text()
        except Exception:
            page.screenshot(path=str(root / "failure.png"))
            print("screenshot:", root / "failure.png", "lab log:", root / "lab.log")
            raise
        finally:
            browser.close()
