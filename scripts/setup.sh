#!/usr/bin/env bash
# Install everything gapkb needs on a fresh machine: a virtual environment with the
# package and its tools, and the system packages the pipeline and tests use.
#   scripts/setup.sh          the main job's needs (Python packages, a Java runtime for HermiT)
#   scripts/setup.sh --test   also what the tests need
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=no
[ "${1:-}" = "--test" ] && want_tests=yes

apt_install() {
  # System packages: installed when we are root (CI, containers); otherwise say what is missing.
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: please install ${missing[*]} (for example: sudo apt-get install ${missing[*]})" >&2
  fi
}

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
