#!/usr/bin/env bash
# Run the whole test suite: lint, migrations check, pytest on SQLite, the built wheel installed in a
# fresh environment (a smoke test, then the browser tests against it), and pytest on a real
# PostgreSQL server (started here when this machine has one).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
. .venv/bin/activate
export OVERSIGHT_HOME="${OVERSIGHT_HOME:-$(mktemp -d)}"

echo "==> ruff"
ruff check src tests benchmarks
echo "==> mypy (engine and reports)"
mypy src/oversight/engine src/oversight/reports
echo "==> makemigrations --check"
oversight makemigrations --check --dry-run >/dev/null
echo "==> manage.py check --deploy (production settings)"
OVERSIGHT_ENV=production OVERSIGHT_SECRET_KEY="ci-$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  OVERSIGHT_ALLOWED_HOSTS=oversight.example.org oversight check --deploy --fail-level WARNING

# PostgreSQL is started first: the SQLite run's engine tests run the indicator catalogue on it too.
PG_URL="${OVERSIGHT_TEST_POSTGRES_URL:-}"
if [ -z "$PG_URL" ] && [ "$(id -u)" = "0" ] && command -v pg_ctlcluster >/dev/null 2>&1; then
  cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
  if [ -n "$cluster" ]; then
    # shellcheck disable=SC2086
    pg_ctlcluster $cluster start 2>/dev/null || true
    port=$(pg_lsclusters -h | awk 'NR==1 {print $3}')
    for _ in $(seq 1 30); do su postgres -c "pg_isready -q -p $port" && break; sleep 1; done
    su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_roles WHERE rolname='oversight'\" | grep -q 1 || \
      psql -q -p $port -c \"CREATE ROLE oversight LOGIN CREATEDB PASSWORD 'oversight-test'\""
    su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_database WHERE datname='oversight'\" | grep -q 1 || \
      createdb -p $port -O oversight oversight"
    PG_URL="postgres://oversight:oversight-test@127.0.0.1:$port/oversight"
  fi
fi
echo "==> pytest on SQLite (two processes)"
OVERSIGHT_TEST_POSTGRES_URL="$PG_URL" pytest -q -p no:cacheprovider -n 2 -m "not e2e"

# The browser tests run against the product as a deployment installs it, not the source tree: the
# wheel in a fresh environment, served by its own `oversight serve` (a developer's plain
# `pytest -m e2e` runs them against the source tree's live server instead).
echo "==> the installed wheel: build, install in a fresh environment, serve, browse; the browser tests against it"
python scripts/smoke_wheel.py --e2e

if [ -n "$PG_URL" ]; then
  echo "==> pytest on PostgreSQL"
  # What does not depend on the database was tested in full above: the engine (its PostgreSQL
  # path included), the hostile-file corpus, the URL × role matrix, and what renders or serves
  # without the database under test (PDF layout, the multi-process server, which uses SQLite).
  # Connections are not kept between requests here: a kept one would hold the test database open
  # when pytest drops it at the end.
  DATABASE_URL="$PG_URL" OVERSIGHT_DB_CONN_MAX_AGE=0 pytest -q -p no:cacheprovider -n 2 -m "not e2e" --ignore=tests/engine \
    --ignore=tests/hostile --ignore=tests/accounts/test_url_matrix.py \
    --ignore=tests/ops/test_serve_processes.py --ignore=tests/reports/test_pdf_renderer_shortcuts.py \
    --deselect tests/reports/test_pages_match_reports.py::test_the_three_pages_print_on_a4_landscape_without_cutting_a_column
elif [ -n "${CI:-}" ]; then
  echo "PostgreSQL is required in CI but none could be started" >&2
  exit 1
else
  echo "==> PostgreSQL not available here: skipped the PostgreSQL run (CI runs it)"
fi
