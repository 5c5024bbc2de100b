#!/usr/bin/env bash
# Benchmark: GET /healthz of `teilhabe serve` (a real database round trip on SQLite) beside
# nginx serving a static file of the same size, on this machine in the same run.
# Prints requests per second, p99 latency and the ratio teilhabe/nginx.
#
#   bench/healthz.sh [DURATION_SECONDS]      (default 10; needs wrk and nginx: scripts/setup.sh)
#
# Only loopback traffic; every server started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
BIN="${TEILHABE_BINARY:-build/bin/teilhabe}"
[[ -x "$BIN" ]] || { echo "build first: scripts/build.sh" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: scripts/setup.sh" >&2; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

WORK=$(mktemp -d)
chmod 755 "$WORK" # nginx workers run as www-data and must reach www/ (mktemp makes it 0700)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f "$WORK/nginx.pid" ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 100); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }

# --- teilhabe on SQLite --------------------------------------------------------------------
TP=$(free_port)
TEILHABE_DATABASE="sqlite:$WORK/bench.db" TEILHABE_LISTEN="127.0.0.1:$TP" TEILHABE_LOG_LEVEL=warn \
  TEILHABE_THREADS=2 "$BIN" serve >"$WORK/teilhabe.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$TP/healthz"
BODY=$(curl -fsS "http://127.0.0.1:$TP/healthz")

# --- nginx with a static file of the same body ----------------------------------------------
NP=$(free_port)
mkdir -p "$WORK/www"
printf '%s' "$BODY" > "$WORK/www/healthz"
cat > "$WORK/nginx.conf" <<NGX
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  server { listen 127.0.0.1:$NP; root $WORK/www; }
  client_body_temp_path $WORK; proxy_temp_path $WORK; fastcgi_temp_path $WORK;
  uwsgi_temp_path $WORK; scgi_temp_path $WORK;
}
NGX
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK"
wait_http "http://127.0.0.1:$NP/healthz"

run() { # url -> "rps p99_ms"
  wrk -t2 -c64 -d"${DURATION}s" --latency "$1" > "$WORK/wrk.out"
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out")
  p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk.out")
  echo "$rps $p99"
}

read -r T_RPS T_P99 < <(run "http://127.0.0.1:$TP/healthz")
read -r N_RPS N_P99 < <(run "http://127.0.0.1:$NP/healthz")
RATIO=$(python3 -c "print(f'{$T_RPS/$N_RPS:.2f}')")
printf '%-32s %12s %10s\n' "server" "requests/s" "p99"
printf '%-32s %12s %10s\n' "teilhabe GET /healthz (SQLite)" "$T_RPS" "$T_P99"
printf '%-32s %12s %10s\n' "nginx static file" "$N_RPS" "$N_P99"
echo "ratio teilhabe/nginx: $RATIO  (wrk -t2 -c64 -d${DURATION}s, $(nproc) cores, $(date -u +%F))"
