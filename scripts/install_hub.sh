#!/usr/bin/env bash
# Make the JupyterHub route test possible (tests/test_hub_route.py): JupyterHub's proxy,
# configurable-http-proxy 4 from npm, into .hub/ inside the repository (JupyterHub itself
# comes from PyPI with the test extras). Node.js and npm come from Debian when missing and
# this is root.
# Idempotent: does nothing but check when the proxy is there.
# Usage: scripts/install_hub.sh        -> .hub/node_modules/.bin/configurable-http-proxy
set -euo pipefail

cd "$(dirname "$0")/.."
prefix="$PWD/.hub"
proxy="$prefix/node_modules/.bin/configurable-http-proxy"
wanted_major=4

fail_or_warn() {
  # In CI a missing proxy must fail the run; on a laptop the hub test just skips.
  if [ "${CI:-}" = "true" ]; then
    echo "error: $1" >&2
    exit 1
  fi
  echo "warning: $1; the JupyterHub route test will skip" >&2
  exit 0
}

installed_major() {
  [ -x "$proxy" ] || return 0
  "$proxy" --version 2>/dev/null | sed -n 's/^v\{0,1\}\([0-9][0-9]*\)\..*/\1/p' | head -n 1
}

if [ "$(installed_major)" = "$wanted_major" ]; then
  echo "JupyterHub proxy ready: configurable-http-proxy $("$proxy" --version) in .hub/"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's nodejs and npm (about 30 s)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq nodejs npm </dev/null
  else
    fail_or_warn "node and npm are missing; install them with: sudo apt-get install nodejs npm"
  fi
fi

echo "installing configurable-http-proxy@$wanted_major into .hub/ with npm"
# --no-save with an empty package.json of our own: nothing of npm's lands outside .hub/.
mkdir -p "$prefix"
[ -f "$prefix/package.json" ] || echo '{"name": "yikatong-sandbox-hub", "private": true}' >"$prefix/package.json"
npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error \
  "configurable-http-proxy@$wanted_major" </dev/null \
  || fail_or_warn "npm install configurable-http-proxy@$wanted_major failed"
[ "$(installed_major)" = "$wanted_major" ] \
  || fail_or_warn "$proxy is not configurable-http-proxy $wanted_major after npm install"
echo "JupyterHub proxy ready: configurable-http-proxy $("$proxy" --version) in .hub/"
