#!/usr/bin/env bash
# Installs what the tests need beyond Go: Debian's Chromium for the browser
# tests, and the pinned Node packages: axe-core, which the browser tests run
# on every page, and wrangler for the Worker tests.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "deps: installing Debian's chromium (browser tests)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "deps: WARNING: chromium is missing and cannot be installed here (needs root and apt-get);"
    echo "deps: WARNING: the browser tests will be SKIPPED (they fail instead when CI=true)."
  fi
fi
command -v chromium >/dev/null 2>&1 && echo "deps: $(chromium --version 2>/dev/null | head -1)"

if [ -f package-lock.json ]; then
  if command -v npm >/dev/null 2>&1; then
    if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ] || [ ! -f node_modules/axe-core/axe.min.js ]; then
      echo "deps: npm ci (pinned axe-core and wrangler)"
      npm ci --no-audit --no-fund --loglevel=error
      touch node_modules
    fi
  else
    echo "deps: WARNING: npm is missing: the browser tests (axe-core) and the Worker tests under wrangler dev will be SKIPPED."
  fi
fi
