#!/usr/bin/env bash
# Install everything Oversight needs on a fresh Debian/Ubuntu machine with Python 3.11:
# system packages (chromium for browser tests, PostgreSQL for the second database run,
# Pango for PDF reports) when run as root, then a virtualenv in .venv with the project.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES="chromium postgresql fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libcairo2 poppler-utils make"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  missing=""
  for p in $APT_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    echo "==> apt-get install$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  fi
else
  echo "==> not root: skipping system packages ($APT_PACKAGES); install them yourself for browser tests and PDFs"
fi

PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $PYTHON"
  "$PYTHON" -m venv .venv
fi
echo "==> pip install -e .[test]"
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
echo "==> installed into .venv"
