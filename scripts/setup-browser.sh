#!/usr/bin/env bash
# Install what the real-browser tests (tests/site/test_browser.py) need; fast when all is there.
#   Debian packages: chromium (headless browser), poppler-utils (pdftotext, pdftoppm),
#                    fonts-dejavu-core (a font for printing), nodejs + npm (when missing)
#   npm packages:    playwright-core and axe-core, pinned in tests/browser/package-lock.json,
#                    installed into tests/browser/node_modules (git-ignored)
# As root (CI, containers) it installs; otherwise it prints what to install and goes on,
# and the browser tests skip with the same advice.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/lib.sh

apt_install chromium poppler-utils fonts-dejavu-core
command -v npm >/dev/null || apt_install nodejs npm

# playwright-core downloads no browser: the tests launch /usr/bin/chromium.
if command -v npm >/dev/null; then
  npm_ci_when_changed tests/browser
fi
