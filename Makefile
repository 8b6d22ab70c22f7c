# 一卡通 training sandbox — two commands for a newcomer:
#
#   make lab    create .venv, install the sandbox, open JupyterLab on the first notebook
#   make test   install with the test extras, start what the tests need, lint, run every test;
#               then the unit tests again under a second, newer Python if the machine has one
#
# Everything lives inside the repository (.venv, scripts/); nothing outside it is assumed
# but a Python >= 3.11 and, for `make test` as root, Debian's apt-get.

SHELL := /bin/bash
# One shell per recipe, strict: a failing line fails the target, and a trap set in the
# test recipe (to stop PostgreSQL) fires when the recipe ends, however it ends.
.ONESHELL:
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
VENV_PYTHON := $(VENV)/bin/python
# Prefer an explicit python3.11; `python3` is fine when it is 3.11 or newer (checked below).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
# The second interpreter `make test` also runs the unit tests under (not the notebooks or the
# browser), in its own venv, when scripts/find_python.sh finds it; empty NEXT_PYTHON skips it.
NEXT_VERSION ?= 3.13
NEXT_PYTHON ?= $(shell bash scripts/find_python.sh $(NEXT_VERSION))
NEXT_VENV := .venv-$(NEXT_VERSION)
NEXT_STAMP := $(NEXT_VENV)/.installed-test
NOTEBOOK ?= notebooks/00_start_here.ipynb
PYTEST_ARGS ?=
# Parallel test workers (pytest-xdist); XDIST= runs everything in one process.
XDIST ?= -n 2 --dist loadfile
# A cell that runs longer than this is a hang, not a slow simulation.
NBVAL_CELL_TIMEOUT ?= 300

# Stamps record "installed from this pyproject.toml": a second run installs nothing
# unless pyproject.toml changed since.
LAB_STAMP := $(VENV)/.installed-lab
TEST_STAMP := $(VENV)/.installed-test

.PHONY: help lab test test-next lint bench venv clean

help:
	@echo "make lab    install into .venv and open JupyterLab on $(NOTEBOOK)"
	echo "make test   install test extras, start services, run ruff and pytest (+ notebooks)"
	echo "make test-next  the unit tests under Python $(NEXT_VERSION) too ($(NEXT_VENV); make test runs it)"
	echo "make lint   ruff check only"
	echo "make bench  speed of world generation, payout and a session's start, beside plain baselines;"
	echo "            time and peak memory of the census city's five months"
	echo "make clean  remove .venv and caches"

venv: $(VENV_PYTHON)

$(VENV_PYTHON):
	@if [ -z "$(PYTHON)" ]; then
	  echo "error: no python3.11 or python3 on PATH; install Python 3.11 first" >&2; exit 1
	fi
	if ! "$(PYTHON)" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
	  echo "error: $(PYTHON) is older than 3.11; run: make PYTHON=/path/to/python3.11 ..." >&2; exit 1
	fi
	echo "creating $(VENV) with $(PYTHON)"
	if ! "$(PYTHON)" -m venv "$(VENV)"; then
	  # Debian's own python3 ships venv without ensurepip; say which package fixes it.
	  rm -rf "$(VENV)"
	  echo "error: could not create $(VENV); on Debian: apt-get install python3-venv" >&2; exit 1
	fi

$(LAB_STAMP): pyproject.toml | $(VENV_PYTHON)
	@"$(VENV_PYTHON)" -m pip install --disable-pip-version-check -e .
	touch "$@"

$(TEST_STAMP): pyproject.toml | $(VENV_PYTHON)
	@"$(VENV_PYTHON)" -m pip install --disable-pip-version-check -e '.[test]'
	# the test extras are a superset, so the lab install is up to date as well
	touch "$@" "$(LAB_STAMP)"

# The second interpreter's venv: test extras only, installed again when pyproject.toml changes.
$(NEXT_STAMP): pyproject.toml
	@if [ -z "$(NEXT_PYTHON)" ]; then echo "error: no Python $(NEXT_VERSION) on this machine" >&2; exit 1; fi
	if [ ! -x "$(NEXT_VENV)/bin/python" ]; then
	  echo "creating $(NEXT_VENV) with $(NEXT_PYTHON)"
	  "$(NEXT_PYTHON)" -m venv "$(NEXT_VENV)"
	fi
	"$(NEXT_VENV)/bin/python" -m pip install --disable-pip-version-check -q -e '.[test]'
	touch "$@"

# Unit tests only: the notebooks, the browser and the slow whole-scenario plays (persona
# scores over many seeds) run once, under the first interpreter; CI stays well inside its time.
test-next: $(NEXT_STAMP)
	@echo "unit tests under $$("$(NEXT_VENV)/bin/python" --version)"
	"$(NEXT_VENV)/bin/pytest" tests -m "not browser and not slow" $(XDIST) -p no:cacheprovider $(PYTEST_ARGS)

lab: $(LAB_STAMP)
	@bash scripts/lab.sh "$(VENV)" "$(NOTEBOOK)"

bench: $(TEST_STAMP)
	@"$(VENV_PYTHON)" benchmarks/bench_world.py
	"$(VENV_PYTHON)" benchmarks/bench_payout.py
	"$(VENV_PYTHON)" benchmarks/bench_start.py
	"$(VENV_PYTHON)" benchmarks/bench_city.py

lint: $(TEST_STAMP)
	@"$(VENV)/bin/ruff" check .

test: $(TEST_STAMP)
	@bash scripts/install_browser.sh "$(VENV_PYTHON)"
	bash scripts/install_hub.sh  # JupyterHub's proxy (npm) into .hub/, for tests/test_hub_route.py
	if [ -x /usr/bin/chromium ]; then export SANDBOX_TEST_CHROMIUM=/usr/bin/chromium; fi
	if [ -f scripts/postgres.sh ]; then
	  # postgres.sh prints the connection URL as the last line of its output. Read it from
	  # a file, not a pipe: the server it starts may keep a pipe open for ever.
	  pg_log="$$(mktemp)"
	  if bash scripts/postgres.sh start >"$$pg_log"; then
	    cat "$$pg_log"
	    trap 'bash scripts/postgres.sh stop || true' EXIT
	    pg_url="$$(tail -n 1 "$$pg_log")"
	    case "$$pg_url" in
	      postgres://*|postgresql://*|postgresql+*://*) export SANDBOX_TEST_POSTGRES_URL="$$pg_url" ;;
	      *) echo "warning: scripts/postgres.sh printed no URL last; PostgreSQL tests will skip" >&2 ;;
	    esac
	  else
	    cat "$$pg_log"
	    # On a laptop without root the PostgreSQL tests skip; in CI they must run.
	    if [ "$${CI:-}" = "true" ]; then echo "error: PostgreSQL did not start" >&2; exit 1; fi
	    echo "warning: PostgreSQL did not start; its tests will skip" >&2
	  fi
	  rm -f "$$pg_log"
	fi
	# Run the tests even when lint fails, so one CI run reports both; fail if either failed.
	lint_status=0
	"$(VENV)/bin/ruff" check . || lint_status=$$?
	mkdir -p notebooks  # git keeps no empty folders; nbval needs the path to exist
	# nbval runs every edition under notebooks/: Chinese and English (en/), trainee and trainer
	# (trainer/course/, whose check cells assert the reference scores); built from notebooks/src/.
	# Two pytest-xdist workers, a file (a notebook's cells share one kernel) to one worker; each
	# worker has its own SANDBOX_HOME and PostgreSQL schema (sandbox/pytest_home.py). The browser
	# walks run afterwards on their own, so their waits never compete with another worker.
	test_status=0
	"$(VENV)/bin/pytest" tests --nbval-lax notebooks -m "not browser" $(XDIST) \
	  --nbval-cell-timeout=$(NBVAL_CELL_TIMEOUT) $(PYTEST_ARGS) || test_status=$$?
	"$(VENV)/bin/pytest" tests -m browser $(PYTEST_ARGS) || test_status=$$?
	if [ "$$test_status" -ne 0 ]; then echo "error: tests failed (see above)" >&2; exit 1; fi
	if [ -n "$(NEXT_PYTHON)" ]; then
	  $(MAKE) --no-print-directory test-next
	else
	  echo "note: no Python $(NEXT_VERSION) on this machine; the tests ran under $(PYTHON) only"
	fi
	if [ "$$lint_status" -ne 0 ]; then echo "error: ruff check failed (see above)" >&2; exit 1; fi

clean:
	@rm -rf "$(VENV)" "$(NEXT_VENV)" .hub .pytest_cache .ruff_cache .hypothesis
