#!/usr/bin/env bash
# The newcomer's first ten minutes, on the embedded database: `npm start` with DATABASE_URL unset
# and a fresh ORBITA_HOME, the browser journey (e2e/newcomer.spec.ts) five times in a row on that
# one database while a CLI loop in a second "terminal" creates and lists tasks in it, then a restart
# that keeps every row. Fails on a failed journey, a failed CLI command, a lost row, or an error in
# the server's log.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${NEWCOMER_RUNS:-5}"
port="${NEWCOMER_PORT:-3200}"
home="$(mktemp -d)"
log="$home/start.log"
cli_log="$home/cli-loop.log"
cli_pid=""
# LOG_FORMAT=json, so the log can be searched for errors.
app_env="LOG_FORMAT=json"
# shellcheck source=.ci/embedded-app.sh
source .ci/embedded-app.sh
cleanup() {
  [ -n "$cli_pid" ] && kill "$cli_pid" 2>/dev/null || true
  cleanup_app
}
trap cleanup EXIT

count_tasks() { ORBITA_USER_ID="$cli_user" cli task list --limit 200 --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items.length))'; }

start_app
cli_user="$(cli user create --email cli-loop@example.com --name 'CLI Loop' --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).id))')"

# The second terminal: create a task, list the tasks, again and again, until told to stop (or 150
# tasks: a list shows at most 200).
(
  n=0
  while [ ! -e "$home/stop-cli" ] && [ "$n" -lt 150 ]; do
    n=$((n + 1))
    if ORBITA_USER_ID="$cli_user" cli task create "CLI task $n" --duration 15 >/dev/null 2>>"$cli_log.stderr"; then echo "created $n" >>"$cli_log"; else echo "FAILED create $n" >>"$cli_log"; fi
    if ORBITA_USER_ID="$cli_user" cli task list >/dev/null 2>>"$cli_log.stderr"; then :; else echo "FAILED list $n" >>"$cli_log"; fi
  done
) &
cli_pid=$!

status=0
NEWCOMER_URL="http://localhost:$port" npx playwright test --config playwright.newcomer.config.ts --repeat-each "$runs" || status=$?

touch "$home/stop-cli"
wait "$cli_pid" || true
cli_pid=""
created="$(grep -c '^created ' "$cli_log" || true)"
echo "CLI loop: $created tasks created alongside the browser"
if grep -q FAILED "$cli_log" || [ -s "$cli_log.stderr" ]; then
  cat "$cli_log" "$cli_log.stderr" >&2
  echo "the CLI loop failed while the app ran" >&2
  status=1
fi
[ "$created" -ge 1 ] || { echo "the CLI loop created nothing" >&2; status=1; }
[ "$(count_tasks)" = "$created" ] || { echo "the CLI created $created tasks but $(count_tasks) are stored" >&2; status=1; }
users_before="$(cli user list --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).length))')"
stop_app

# Restart: every row is still there.
start_app
[ "$(count_tasks)" = "$created" ] || { echo "after a restart $(count_tasks) of $created CLI tasks are left" >&2; status=1; }
users_after="$(cli user list --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).length))')"
[ "$users_after" = "$users_before" ] || { echo "after a restart $users_after of $users_before users are left" >&2; status=1; }
[ "$users_after" -ge $((runs + 1)) ] || { echo "expected at least $((runs + 1)) users, found $users_after" >&2; status=1; }
stop_app

# No server error: no error-level log line, no Next.js error, no 5xx.
if grep -E '"level":(50|60)|⨯|Error:|Unhandled|uncaught' "$log" >&2; then
  echo "the server logged errors during the journey (above)" >&2
  status=1
fi
[ "$status" = 0 ] && echo "newcomer journey passed: $runs browser runs and $created CLI tasks on one embedded database, kept across a restart"
exit "$status"
