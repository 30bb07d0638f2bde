# Sourced by the scripts that run `npm start` as a newcomer does (DATABASE_URL unset, ORBITA_HOME
# fresh): set `home`, `port` and `log` first. `start_app` waits until it serves `$ready_path`
# (default /api/health); `stop_app` is a terminal's Ctrl-C (SIGINT to its process group) and
# checks the embedded database shut down cleanly; `cli` runs orbita on the same ORBITA_HOME.
pid=""
ready_path="${ready_path:-/api/health}"

start_app() {
  # Without the CI machine's services: a newcomer has none of them. Any extra environment (e.g.
  # LOG_FORMAT=json) comes from the caller's `app_env`.
  env -u DATABASE_URL -u TEST_DATABASE_URL -u RABBITMQ_URL -u STRIPE_API_KEY -u OAUTH_PROVIDER \
    ORBITA_HOME="$home" PORT="$port" ${app_env:-} setsid npm start >>"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    if curl -fsS "http://localhost:$port$ready_path" -o "$home/ready.out" 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "npm start exited early" >&2; return 1; fi
    sleep 1
  done
  cat "$log"; echo "npm start did not serve $ready_path in time" >&2; return 1
}

stop_app() {
  kill -INT -- "-$pid"
  wait "$pid" || true
  pid=""
  if [ -e "$home/embedded.json" ]; then echo "the embedded database was not shut down cleanly" >&2; exit 1; fi
}

# Stops whatever still runs and removes the home (for `trap … EXIT`).
cleanup_app() {
  if [ -n "$pid" ]; then kill -INT -- "-$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; fi
  rm -rf "$home"
}

cli() { env -u DATABASE_URL -u TEST_DATABASE_URL -u RABBITMQ_URL ORBITA_HOME="$home" node bin/orbita.mjs "$@"; }
