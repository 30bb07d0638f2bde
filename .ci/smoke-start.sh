#!/usr/bin/env bash
# Proves the newcomer's `npm start` with no environment: the embedded database starts, the sign-in
# page is served, another process (the CLI) shares the database while it runs, a second npm start
# on the same ORBITA_HOME is refused with where the first runs, and the data is still there after a
# restart.
set -euo pipefail
cd "$(dirname "$0")/.."

home="$(mktemp -d)"
port=3300
log="$home/start.log"
ready_path=/signin
# shellcheck source=.ci/embedded-app.sh
source .ci/embedded-app.sh
trap cleanup_app EXIT

start_app
grep -q 'Sign in' "$home/ready.out" || { echo "/signin did not render the sign-in page" >&2; exit 1; }
curl -fsS "http://localhost:$port/api/health" | grep -q '"status":"ok"'
cli user create --email smoke@example.com >/dev/null
cli user list | grep -q smoke@example.com
cli health | grep -q "embedded database at $home/pgdata" || { echo "orbita health did not name the embedded database" >&2; exit 1; }

# A second npm start on the same ORBITA_HOME says where the first runs, and leaves it alone.
second="$(env -u DATABASE_URL -u TEST_DATABASE_URL ORBITA_HOME="$home" PORT=$((port + 1)) timeout 120 npm start 2>&1)" && { echo "a second npm start on the same ORBITA_HOME did not fail" >&2; exit 1; }
grep -q "Orbita is already running on $home (pid [0-9]*, dashboard on http://localhost:$port)" <<<"$second" || { echo "$second"; echo "the second npm start did not say where the first runs" >&2; exit 1; }
curl -fsS "http://localhost:$port/api/health" | grep -q '"status":"ok"' || { echo "the first npm start stopped answering" >&2; exit 1; }
stop_app

start_app
cli user list | grep -q smoke@example.com || { echo "data did not survive a restart" >&2; exit 1; }
stop_app
echo "npm start smoke test passed"
