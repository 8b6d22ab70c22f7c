#!/usr/bin/env bash
# Print the path of a working Python VERSION (e.g. 3.13), or nothing if this machine has none.
# Used by `make test` to run the unit tests under a second interpreter when there is one.
# A pyenv shim for a version that is not selected fails when run, so each candidate is run.
set -uo pipefail

version="${1:?usage: find_python.sh VERSION, e.g. 3.13}"
candidates=("python$version")
for dir in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version"*/bin /usr/local/bin /usr/bin; do
  candidates+=("$dir/python$version")
done

for candidate in "${candidates[@]}"; do
  path="$(command -v "$candidate" 2>/dev/null)" || continue
  # the interpreter must really be VERSION and able to make a venv
  if "$path" -c "import sys, venv; sys.exit(sys.version.split()[0].rsplit('.', 1)[0] != '$version')" \
      >/dev/null 2>&1; then
    echo "$path"
    exit 0
  fi
done
exit 0
