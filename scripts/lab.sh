#!/usr/bin/env bash
# Open JupyterLab on the course's first notebook, from the repository root.
# Usage: scripts/lab.sh [VENV] [NOTEBOOK] [extra jupyter-lab arguments...]
# Called by `make lab` once the sandbox is installed in VENV.
set -euo pipefail

cd "$(dirname "$0")/.."
venv="${1:-.venv}"
notebook="${2:-notebooks/00_start_here.ipynb}"
shift $(( $# < 2 ? $# : 2 ))

jupyter="$venv/bin/jupyter"
if [ ! -x "$jupyter" ]; then
  echo "error: $jupyter not found; run 'make lab' to install the sandbox first" >&2
  exit 1
fi

args=(lab --ServerApp.root_dir="$PWD")
# Jupyter refuses to run as root unless told; containers and training VMs often are root.
if [ "$(id -u)" -eq 0 ]; then
  args+=(--allow-root)
fi

if [ -f "$notebook" ]; then
  # The link JupyterLab prints (and the browser it opens) lands on the notebook itself.
  args+=(--LabApp.default_url="/lab/tree/$notebook")
else
  echo "note: $notebook does not exist yet; opening the notebooks folder instead" >&2
  args+=(--LabApp.default_url=/lab/tree/notebooks)
fi

echo "Starting JupyterLab on $notebook. If no browser opens, copy the http://127.0.0.1... link printed below."
echo "Stop it with Ctrl+C (twice)."
exec "$jupyter" "${args[@]}" "$@"
