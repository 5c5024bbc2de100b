#!/usr/bin/env bash
# HTTP server candidates: Boost.Beast and RESTinio answering GET /healthz, beside nginx serving
# the same body as a static file, measured in the same run on this machine.
#   bench/http_candidates/run.sh [DURATION_SECONDS]   (default 10)
# Builds into /tmp/http_candidates, then per server: start, 3 s warm-up, wrk -t2 -c64 --latency,
# VmRSS of the server's processes, stop. Loopback only; everything started here is stopped on exit.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DURATION=${1:-10}
OUT=/tmp/http_candidates
CXX=${CXX:-g++}
CXXFLAGS="-std=gnu++23 -O2 -Wall -Wextra"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/http_candidates_run.XXXXXX)
chmod 755 "$WORK" # nginx workers run as www-data and must reach www/ (mktemp makes it 0700)
PID=
cleanup() {
  [[ -n "$PID" ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

echo "building into $OUT ..."
$CXX $CXXFLAGS -o "$OUT/beast_server" "$HERE/beast_server.cpp" -pthread &
$CXX $CXXFLAGS -o "$OUT/restinio_server" "$HERE/restinio_server.cpp" -pthread -lfmt -lhttp_parser &
wait -n && wait -n

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() {
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "no answer from $1" >&2; return 1
}
tree() { echo "$1" $(pgrep -P "$1" || true); } # a server's processes (nginx: master + workers)
rss_kb() { cat $(tree "$1" | sed 's|\S*|/proc/&/status|g') | awk '/^VmRSS/ {s += $2} END {print s}'; }
proc_ticks() { # utime + stime of a server's processes, all threads
  for p in $(tree "$1"); do sed 's/.*) //' "/proc/$p/stat"; done | awk '{s += $12 + $13} END {print s}'
}
# user + nice + system of all cores (irq and softirq time is charged to no process, so left out)
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4}' /proc/stat; }
to_ms() { # wrk latency (123.45us, 1.23ms, 1.01s) -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    f = (u == "us") ? 0.001 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1; printf "%.3f", n * f }'
}

# OTHER: share of both cores used by neither wrk nor the server during the run (another build...).
declare -A RPS P50 P99 RSS OTHER
measure() { # name url
  wrk -t2 -c64 -d3s "$2" >/dev/null # warm-up
  local b0 s0 t0 wrk_s
  b0=$(busy_ticks); s0=$(proc_ticks "$PID"); t0=$(date +%s.%N)
  wrk_s=$( { TIMEFORMAT='%3U+%3S'; time wrk -t2 -c64 -d"${DURATION}s" --latency "$2" >"$WORK/$1.wrk"; } 2>&1 )
  OTHER[$1]=$(awk -v b=$(( $(busy_ticks) - b0 )) -v s=$(( $(proc_ticks "$PID") - s0 )) -v w="$wrk_s" \
    -v t0="$t0" -v t1="$(date +%s.%N)" -v hz="$(getconf CLK_TCK)" -v n="$(nproc)" \
    'BEGIN { split(w, u, "+"); o = (b - s) / hz - u[1] - u[2]
             printf "%.0f", 100 * (o > 0 ? o : 0) / ((t1 - t0) * n) }')
  RPS[$1]=$(awk '/^Requests\/sec/ {print $2}' "$WORK/$1.wrk")
  P50[$1]=$(to_ms "$(awk '$1 == "50%" {print $2}' "$WORK/$1.wrk")")
  P99[$1]=$(to_ms "$(awk '$1 == "99%" {print $2}' "$WORK/$1.wrk")")
  RSS[$1]=$(rss_kb "$PID")
  if grep -q 'Non-2xx\|Socket errors' "$WORK/$1.wrk"; then grep 'Non-2xx\|Socket errors' "$WORK/$1.wrk" | sed "s/^/$1: /" >&2; fi
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
}

# nginx: static file with the same body
PORT=$(free_port)
mkdir -p "$WORK/nginx/www" "$WORK/nginx/tmp"
printf '%s' '{"status":"ok"}' >"$WORK/nginx/www/healthz"
sed "s/@PORT@/$PORT/" "$HERE/nginx.conf" >"$WORK/nginx/nginx.conf"
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
PID=$!
wait_http "http://127.0.0.1:$PORT/healthz"
measure nginx "http://127.0.0.1:$PORT/healthz"

for s in beast restinio; do
  PORT=$(free_port)
  "$OUT/${s}_server" "$PORT" &
  PID=$!
  wait_http "http://127.0.0.1:$PORT/healthz"
  [[ $(curl -sS "http://127.0.0.1:$PORT/healthz") == '{"status":"ok"}' ]] || { echo "$s: wrong body" >&2; exit 1; }
  measure "$s" "http://127.0.0.1:$PORT/healthz"
done

echo
echo "wrk -t2 -c64 -d${DURATION}s --latency (after 3 s warm-up), $(nproc) cores, $(date -u '+%F %H:%M') UTC"
printf '%-10s %12s %9s %9s %10s %9s %10s\n' server requests/s p50_ms p99_ms vs_nginx rss_MiB other_cpu%
for s in nginx beast restinio; do
  printf '%-10s %12.0f %9s %9s %10.2f %9.1f %10s\n' "$s" "${RPS[$s]}" "${P50[$s]}" "${P99[$s]}" \
    "$(awk -v a="${RPS[$s]}" -v b="${RPS[nginx]}" 'BEGIN { print a / b }')" \
    "$(awk -v k="${RSS[$s]}" 'BEGIN { print k / 1024 }')" "${OTHER[$s]}"
done
