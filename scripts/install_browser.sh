#!/usr/bin/env bash
# Make the browser test possible: Debian's Chromium at /usr/bin/chromium (Playwright's own
# browser download does not work on these machines) and the `playwright` Python package.
# Idempotent: does nothing but check when both are present.
# Usage: scripts/install_browser.sh [PYTHON]   (default: .venv/bin/python)
set -euo pipefail

cd "$(dirname "$0")/.."
python="${1:-.venv/bin/python}"
chromium=/usr/bin/chromium

fail_or_warn() {
  # In CI a missing browser must fail the run; on a laptop the browser test just skips.
  if [ "${CI:-}" = "true" ]; then
    echo "error: $1" >&2
    exit 1
  fi
  echo "warning: $1; the browser test will skip" >&2
  exit 0
}

if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium (about 30 s)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium </dev/null
  else
    fail_or_warn "$chromium is missing; install it with: sudo apt-get install chromium"
  fi
fi
[ -x "$chromium" ] || fail_or_warn "$chromium still missing after apt-get install chromium"

if ! "$python" -c "import playwright.sync_api" 2>/dev/null; then
  echo "error: playwright is not importable by $python; run: $python -m pip install -e '.[test]'" >&2
  exit 1
fi

echo "browser ready: $("$chromium" --version 2>/dev/null || echo "$chromium"), playwright importable"
