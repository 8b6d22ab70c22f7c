"""JupyterLab in headless Chromium, for the browser tests: a server over a copy of notebooks/,
and `LabNotebook`, which does what a trainee does in the browser — run cells from the menus,
restart the kernel, click widget buttons by their label, tick boxes, choose from dropdowns,
type into text boxes — and reads back every output area as shown.

Needs Debian's /usr/bin/chromium and the `playwright` package (scripts/install_browser.sh).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the browser tests skip (require_browser) before they would wait on a page
    PlaywrightTimeout = TimeoutError

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("SANDBOX_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TOKEN = "sandbox-browser-test"
SLOW = 60_000  # ms: a cold kernel on a 2-core CI machine

# What a trainee must never see: a Python traceback, or matplotlib saying a character has no
# glyph in its font (Chinese drawn as empty boxes).
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|Traceback|\w+Error\s+Traceback")
MISSING_GLYPH = re.compile(r"Glyph \d+ .*missing from|missing from (current )?font", re.IGNORECASE)


def require_browser() -> None:
    """Skip (with the command that fixes it) when Chromium or Playwright is missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing; run scripts/install_browser.sh (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_server(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"JupyterLab did not answer at {url} within {seconds:.0f} s")


def copy_notebooks(root: Path) -> Path:
    """A copy of notebooks/ under `root` (the tree stays clean; scenarios ship in the package)."""
    shutil.copytree(ROOT / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.csv"))
    return root / "notebooks"


def _user_settings(config: Path) -> None:
    """Every cell in the page (no windowing), so every output can be read; no news or
    update pop-ups over the notebook."""
    settings = config / "lab" / "user-settings" / "@jupyterlab"
    files = {"notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
             "apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                     "checkForUpdates": False}}
    for name, value in files.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value), encoding="utf-8")


@contextmanager
def serve_lab(root: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """A JupyterLab server on a free loopback port serving `root`; yields its base URL.
    Its settings live under root/home; `env` adds to the kernels' environment."""
    port = free_port()
    home = root / "home"  # JupyterLab's settings and workspaces, away from the user's
    _user_settings(home / "config")
    full_env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
                "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"), "PYTHONPATH": str(ROOT), **(env or {})}
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", f"--ServerApp.token={TOKEN}",
               f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0",
               "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    with (root / "lab.log").open("w") as log:
        process = subprocess.Popen(command, cwd=root, env=full_env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_server(f"http://127.0.0.1:{port}/api/status?token={TOKEN}", process)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def launch_chromium(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


@dataclass
class Output:
    """One output area as the page shows it."""

    cell: int          # the cell's index in the notebook
    mime: str          # e.g. application/vnd.jupyter.stderr, text/html, application/vnd.jupyter.widget-view+json
    text: str          # what the trainee reads (innerText)

    def problem(self) -> str:
        """Why a trainee must not see this output ('' when fine)."""
        if TRACEBACK.search(self.text):
            return "a traceback"
        if MISSING_GLYPH.search(self.text):
            return "a missing-glyph warning"
        return ""


# The page's cells: index, kind, input prompt, and each output area's mime type and text.
_READ_CELLS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  return Array.from(panel.querySelectorAll('.jp-Notebook .jp-Cell')).map((cell, index) => ({
    index,
    code: cell.classList.contains('jp-CodeCell'),
    prompt: (cell.querySelector('.jp-InputArea-prompt') || {}).innerText || '',
    outputs: Array.from(cell.querySelectorAll('.jp-OutputArea-output')).map(o => ({
      mime: o.getAttribute('data-mime-type') || '', text: o.innerText || ''})),
  }));
}"""

_BUSY = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return true;
  const prompts = Array.from(panel.querySelectorAll('.jp-InputArea-prompt')).map(p => p.innerText);
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  const status = indicator ? indicator.getAttribute('data-status') : 'busy';
  return prompts.some(p => p.includes('*')) || status !== 'idle';
}"""


class LabNotebook:
    """One notebook open in JupyterLab, driven as a trainee drives it."""

    def __init__(self, browser: Any, url: str, path: str, workspace: str) -> None:
        self.path = path
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.page.set_default_timeout(SLOW)
        # A workspace of its own: only this notebook opens (no tabs restored from before).
        self.page.goto(f"{url}/lab/workspaces/{workspace}/tree/{path}?token={TOKEN}")
        self.panel = self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        self.cells = self.panel.locator(".jp-Notebook .jp-Cell")
        self.cells.first.wait_for()
        self.page.locator(".jp-StatusBar-Widget").filter(has_text="| Idle").first.wait_for()
        self.wait_idle()

    # --- running cells --------------------------------------------------------------------------
    def menu(self, menu: str, item: str) -> None:
        """Click a menu bar entry, then the item (by its label's start, e.g. "Run All Cells")."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
        self.page.locator(".lm-Menu-content .lm-Menu-itemLabel",
                          has_text=re.compile("^" + re.escape(item))).first.click()

    def wait_idle(self, settle: float = 0.6, timeout: float = SLOW / 1000) -> None:
        """No cell running or queued and the kernel idle, for `settle` seconds in a row."""
        deadline = time.monotonic() + timeout
        calm_since = None
        while time.monotonic() < deadline:
            if self.page.evaluate(_BUSY):
                calm_since = None
            elif calm_since is None:
                calm_since = time.monotonic()
            elif time.monotonic() - calm_since >= settle:
                return
            time.sleep(0.1)
        raise TimeoutError(f"{self.path}: the kernel was still busy after {timeout:.0f} s")

    def _wait_run(self, timeout: float) -> None:
        """After asking for a run: wait until a cell starts (briefly), then until all is done."""
        try:
            self.page.wait_for_function(_BUSY, timeout=5_000)
        except PlaywrightTimeout:  # a very quick run may be over before we look
            pass
        self.wait_idle(timeout=timeout)

    def run_all(self, timeout: float = 180) -> None:
        self.menu("Run", "Run All Cells")
        self._wait_run(timeout)

    def restart_and_run_all(self, timeout: float = 180) -> None:
        """Kernel → Restart Kernel and Run All Cells…, confirmed in the dialog. The outputs
        and prompt numbers are cleared first, so that a cell run before the restart cannot
        pass for one the new kernel ran."""
        self.menu("Edit", "Clear Outputs of All Cells")
        self.menu("Kernel", "Restart Kernel and Run All Cells")
        self.page.locator(".jp-Dialog .jp-mod-accept").click()
        self.page.locator(".jp-Dialog").wait_for(state="detached")
        time.sleep(1.0)  # the restart itself: prompts are cleared before the run starts
        self._wait_run(timeout)

    def select_cell(self, index: int) -> None:
        """Make cell `index` the active one (click its prompt area, not its editor)."""
        cell = self.cells.nth(index)
        cell.scroll_into_view_if_needed()
        cell.locator(".jp-InputPrompt").first.click()
        cell.and_(self.page.locator(".jp-mod-active")).wait_for()

    def run_through(self, index: int, timeout: float = 180) -> None:
        """Run every cell from the top down to `index` included, as Shift+Enter would."""
        self.select_cell(index)
        if index > 0:
            self.menu("Run", "Run All Above Selected Cell")
            self._wait_run(timeout)
        self.run_cell(index, timeout)

    def run_cell(self, index: int, timeout: float = 180) -> None:
        self.select_cell(index)
        self.menu("Run", "Run Selected Cell and Do not Advance")
        self._wait_run(timeout)

    def run_from(self, index: int, timeout: float = 180) -> None:
        """Run cell `index` and every cell below it."""
        self.select_cell(index)
        self.menu("Run", "Run Selected Cell and All Below")
        self._wait_run(timeout)

    # --- widgets ----------------------------------------------------------------------------------
    def in_cell(self, index: int) -> Any:
        """The cell's output area (not an output widget's own, nested in it)."""
        return self.cells.nth(index).locator(".jp-Cell-outputArea")

    def button(self, label: str, cell: int | None = None) -> Any:
        """The widget button whose visible label is exactly `label`."""
        scope = self.in_cell(cell) if cell is not None else self.panel
        return scope.get_by_role("button", name=label, exact=True).first

    def click(self, label: str, cell: int | None = None) -> None:
        """Click a widget button by its label and wait for the kernel's answer: the outputs
        around it change (or, for a click that changes nothing, a few seconds pass)."""
        target = self.button(label, cell)
        target.scroll_into_view_if_needed()
        scope = (self.in_cell(cell) if cell is not None else self.panel).element_handle()
        before = scope.inner_text()
        target.click()
        try:
            self.page.wait_for_function("([el, before]) => el.innerText !== before", arg=[scope, before],
                                        timeout=5_000)
        except PlaywrightTimeout:  # the same message again: nothing changed on screen
            pass
        self.wait_idle(settle=0.2)
        self.wait_still(scope)

    def wait_still(self, scope: Any, quiet: float = 0.25, timeout: float = 10) -> None:
        """Wait until `scope` has not changed on screen for `quiet` seconds (a desk redraws
        its parts one after another)."""
        deadline = time.monotonic() + timeout
        text, since = scope.inner_text(), time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - since < quiet:
            time.sleep(0.1)
            now = scope.inner_text()
            if now != text:
                text, since = now, time.monotonic()

    def tick(self, label: str, cell: int | None = None) -> None:
        """Tick the checkbox whose label contains `label`."""
        scope = self.in_cell(cell) if cell is not None else self.panel
        box = scope.locator(".widget-checkbox", has_text=label).locator("input[type=checkbox]").first
        box.check()
        self.wait_idle(settle=0.3)

    def field(self, label: str, cell: int | None = None) -> Any:
        """The widget (dropdown, text box) whose label is exactly `label`, e.g. 证据指标."""
        scope = self.in_cell(cell) if cell is not None else self.panel
        exact = re.compile(f"^{re.escape(label)}$")
        return scope.locator(".widget-inline-hbox").filter(
            has=self.page.locator("label.widget-label", has_text=exact)).first

    def choose(self, option: str, cell: int | None = None, dropdown: str | None = None) -> None:
        """Choose `option` (its visible text, exactly) in the dropdown labelled `dropdown`, or
        else in the one that offers it."""
        scope = self.in_cell(cell) if cell is not None else self.panel
        if dropdown is not None:  # two dropdowns offer the same options (指标, 证据指标)
            select = self.field(dropdown, cell).locator("select")
        else:
            select = scope.locator("select").filter(has=self.page.locator("option", has_text=option)).first
        labels = [text.strip() for text in select.evaluate("s => Array.from(s.options).map(o => o.label)")]
        exact = [text for text in labels if text == option]
        wanted = (exact or [text for text in labels if option in text])[0]
        if select.evaluate("s => s.options[s.selectedIndex] ? s.options[s.selectedIndex].label : ''").strip() == wanted:
            return  # chosen already
        select.select_option(label=wanted)
        self.wait_idle(settle=0.3)

    def type_into(self, box: str, text: str, cell: int | None = None) -> None:
        """Type into the text box whose placeholder or label is `box` (then Tab, as a person does)."""
        scope = self.in_cell(cell) if cell is not None else self.panel
        by_placeholder = scope.locator(f"input[placeholder='{box}'], textarea[placeholder='{box}']")
        field = by_placeholder.or_(self.field(box, cell).locator("input, textarea")).first
        field.fill(text)
        field.press("Tab")
        self.wait_idle(settle=0.3)

    def wait_text(self, text: str | re.Pattern, cell: int | None = None, timeout: float = SLOW) -> str:
        """Wait until an output (of `cell`, or any) shows `text`; returns that output's text."""
        scope = self.in_cell(cell) if cell is not None else self.panel
        found = scope.locator(".jp-OutputArea-output").filter(has_text=text).first
        found.wait_for(timeout=timeout)
        return found.inner_text()

    # --- reading ----------------------------------------------------------------------------------
    def sources(self) -> list[str]:
        """Each cell's source, from the notebook file JupyterLab serves (not the page)."""
        return [c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                for c in self.notebook_json()["cells"]]

    def notebook_json(self) -> dict:
        response = self.page.request.get(f"{self.page.url.split('/lab/')[0]}/api/contents/{self.path}"
                                         f"?token={TOKEN}&content=1")
        return response.json()["content"]

    def cell_index(self, pattern: str, after: int = -1) -> int:
        """The first cell after `after` whose code (comment lines left out) matches the
        regular expression."""
        for index, text in enumerate(self.sources()):
            code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
            if index > after and re.search(pattern, code):
                return index
        raise LookupError(f"{self.path}: no cell matches {pattern!r}")

    def outputs(self) -> list[Output]:
        return [Output(cell["index"], o["mime"], o["text"])
                for cell in self.page.evaluate(_READ_CELLS) for o in cell["outputs"]]

    def executed(self) -> list[int]:
        """Indexes of the code cells that ran in this kernel (a number in their prompt)."""
        return [c["index"] for c in self.page.evaluate(_READ_CELLS) if c["code"] and re.search(r"\d", c["prompt"])]

    def logged(self) -> list[str]:
        """What the kernel said outside any cell's output — a widget callback's warnings and
        tracebacks, which JupyterLab shows only in its Log Console (View → Show Log Console)."""
        console = self.page.locator(".jp-LogConsolePanel")
        if not console.is_visible():  # it opens below the notebook and stays open
            self.menu("View", "Show Log Console")
            console.wait_for()
        entries = console.locator(f"[id='source:{self.path}'] .jp-OutputArea-output")
        return [entries.nth(i).inner_text() for i in range(entries.count())]

    def problems(self) -> list[str]:
        """Every output a trainee must not see — tracebacks and missing-glyph warnings — in the
        cells, and in what a desk's clicks made the kernel say (the Log Console)."""
        shown = [f"{self.path} cell {o.cell}: {o.problem()}: {o.text[:400]}" for o in self.outputs() if o.problem()]
        logged = [Output(-1, "", text) for text in self.logged()]
        return shown + [f"{self.path}, the Log Console (a desk's click): {o.problem()}: {o.text[:400]}"
                        for o in logged if o.problem()]

    def close(self) -> None:
        self.page.close()


def shut_down_kernels(url: str) -> None:
    """End every kernel session of the server (a notebook is done: free the 2 cores)."""
    with urllib.request.urlopen(f"{url}/api/sessions?token={TOKEN}", timeout=10) as response:
        sessions = json.load(response)
    for session in sessions:
        request = urllib.request.Request(f"{url}/api/sessions/{session['id']}?token={TOKEN}", method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()
