#!/usr/bin/env bash
# Install, prepare the embedded SQLite database, load the demo, and serve on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
exec .venv/bin/oversight demo "$@"
