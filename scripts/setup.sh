#!/usr/bin/env bash
# Install everything gapkb needs on a fresh machine: a virtual environment with the
# package and its tools, and the system packages the pipeline and tests use.
#   scripts/setup.sh          the main job's needs (Python packages, a Java runtime for HermiT)
#   scripts/setup.sh --test   also what the tests need
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=no
[ "${1:-}" = "--test" ] && want_tests=yes

. scripts/lib.sh

# HermiT runs on Java; without it `gapkb check` says so and uses its built-in rules.
if ! command -v java >/dev/null; then
  apt_install default-jre-headless
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "$want_tests" = yes ]; then
  .venv/bin/python -m pip install --quiet -e '.[dev]'
else
  .venv/bin/python -m pip install --quiet -e .
fi

# --- The Query page's JavaScript (gapkb serve's query page, the site's Query page) ----------
# Oxigraph's WebAssembly build and YASGUI's editor/results, pinned with integrity hashes in
# scripts/npm/query-page/package-lock.json, installed into build/npm/query/ (git-ignored); the site
# build and `gapkb serve` copy files from there and never reach the network themselves.
# `npm ci` runs only when the lock file changed, with --ignore-scripts: only prebuilt files
# are used. Without npm, the pages say what is missing.
install_query_page_js() {
  local src=scripts/npm/query-page dest=build/npm/query
  if ! command -v npm >/dev/null; then
    apt_install nodejs npm
  fi
  if ! command -v npm >/dev/null; then
    echo "setup: npm not found — the query pages fall back to a plain form until it is installed" >&2
    return 0
  fi
  mkdir -p "$dest"
  cp "$src/package.json" "$src/package-lock.json" "$dest/"
  npm_ci_when_changed "$dest" --ignore-scripts
}
install_query_page_js

# --- cffconvert, for the test that CITATION.cff is valid ------------------------------------
# cffconvert 2.0.0 pins jsonschema<4 while the tests use jsonschema>=4: it gets a virtual
# environment of its own (tests/release/test_licence_files.py runs .venv-cff/bin/cffconvert).
if [ "$want_tests" = yes ] && [ ! -x .venv-cff/bin/cffconvert ]; then
  python3 -m venv .venv-cff
  .venv-cff/bin/python -m pip install --quiet 'cffconvert==2.0.0'
fi
