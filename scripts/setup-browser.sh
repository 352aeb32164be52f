#!/usr/bin/env bash
# Install what the real-browser tests (tests/test_browser.py) need; fast when all is there.
#   Debian packages: chromium (headless browser), poppler-utils (pdftotext, pdftoppm),
#                    fonts-dejavu-core (a font for printing), nodejs + npm (when missing)
#   npm packages:    playwright-core and axe-core, pinned in tests/browser/package-lock.json,
#                    installed into tests/browser/node_modules (git-ignored)
# As root (CI, containers) it installs; otherwise it prints what to install and goes on,
# and the browser tests skip with the same advice.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for pkg in chromium poppler-utils fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup-browser: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup-browser: please install ${missing[*]} (for example: sudo apt-get install ${missing[*]})" >&2
  fi
fi

# npm ci only when the lock file changed since the last install (its hash is kept beside
# node_modules); playwright-core downloads no browser: the tests launch /usr/bin/chromium.
if command -v npm >/dev/null; then
  lock_hash=$(sha256sum tests/browser/package-lock.json | cut -d' ' -f1)
  stamp=tests/browser/node_modules/.gapkb-lock-sha256
  if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_hash" ]; then
    echo "setup-browser: npm ci in tests/browser" >&2
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$lock_hash" >"$stamp"
  fi
fi
