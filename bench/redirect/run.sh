#!/usr/bin/env bash
# Issue 4 performance: the tracked link redirect GET /r/{token} beside nginx answering a static
# redirect (`return 302`), in the same run, with wrk -t2 -c64 --latency.
#   bench/redirect/run.sh [DURATION_SECONDS]   (default 10; needs scripts/build.sh first)
# The token is a real one: `teilhabe demo` makes a town with the demo campaign, and the
# campaign's preview (as a person who consented to tracking) hands out its links. Every request
# is a click that the server records (in batches, campaigns/click_recorder.h). The redirect takes
# the dispatcher's lean path (web/route.h AtOnceHandler).
# Loopback only; every server started here is stopped on exit. Not part of scripts/test.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DURATION=${1:-10}
BIN=${TEILHABE_BINARY:-$ROOT/build/bin/teilhabe}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x "$BIN" ]] || { echo "build first: scripts/build.sh" >&2; exit 1; }
for tool in wrk curl sqlite3 python3; do command -v $tool >/dev/null || { echo "$tool is missing: scripts/setup.sh" >&2; exit 1; }; done

WORK=$(mktemp -d /tmp/bench-redirect.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 200); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
  f = (u == "us") ? 0.001 : (u == "s") ? 1000 : 1; printf "%.2f", n * f }'; }

# The server's default log level: the request log (for /r/ one aggregate line a minute, see
# web/dispatcher.h) is part of what is measured. TEILHABE_LOG_LEVEL=warn to leave it out.
export TEILHABE_DATABASE="sqlite:$WORK/teilhabe.db" TEILHABE_LOG_LEVEL=${TEILHABE_LOG_LEVEL:-info}
PORT=$(free_port)
export TEILHABE_LISTEN="127.0.0.1:$PORT"
"$BIN" demo >/dev/null
KEY=$("$BIN" apikey create --name bench --role editor | tail -1)
[[ -n "$KEY" ]] || { echo "no API key made" >&2; exit 1; }
"$BIN" serve >"$WORK/serve.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$PORT/healthz"

PERSON=$(sqlite3 "$WORK/teilhabe.db" "SELECT k.citizen_id FROM consents k JOIN consents t ON t.citizen_id = k.citizen_id AND t.subject = 'tracking' AND t.status = 'confirmed' WHERE k.topic_id = (SELECT id FROM topics WHERE key = 'umwelt') AND k.status = 'confirmed' LIMIT 1")
CAMPAIGN=$(sqlite3 "$WORK/teilhabe.db" "SELECT id FROM campaigns LIMIT 1")
URL=$(curl -fsS -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/api/v1/campaigns/$CAMPAIGN/preview?citizen_id=$PERSON" \
  | python3 -c 'import json,re,sys; h=json.load(sys.stdin)["html"]; print(re.search(r"https?://[^\"]*/r/[A-Za-z0-9_.-]+", h).group(0))')
TOKEN_PATH="/r/${URL##*/r/}"
TARGET=$(curl -s -o /dev/null -w '%{redirect_url}' "http://127.0.0.1:$PORT$TOKEN_PATH")
echo "token: ${#TOKEN_PATH} characters, target $TARGET"

NPORT=$(free_port)
mkdir -p "$WORK/nginx/tmp"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp; proxy_temp_path $WORK/nginx/tmp; fastcgi_temp_path $WORK/nginx/tmp;
  uwsgi_temp_path $WORK/nginx/tmp; scgi_temp_path $WORK/nginx/tmp;
  server { listen 127.0.0.1:$NPORT; location /r/ { return 302 $TARGET; } }
}
CONF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" -g 'daemon off;' &
PIDS+=($!)
wait_http "http://127.0.0.1:$NPORT$TOKEN_PATH"

declare -A RPS P50 P99
measure() { # name url
  wrk -t2 -c64 -d3s "$2" >/dev/null
  wrk -t2 -c64 -d"${DURATION}s" --latency "$2" >"$WORK/$1.wrk"
  RPS[$1]=$(awk '/^Requests\/sec/ {print $2}' "$WORK/$1.wrk")
  P50[$1]=$(to_ms "$(awk '$1 == "50%" {print $2}' "$WORK/$1.wrk")")
  P99[$1]=$(to_ms "$(awk '$1 == "99%" {print $2}' "$WORK/$1.wrk")")
  grep -h 'Non-2xx\|Socket errors' "$WORK/$1.wrk" | sed "s/^/$1: /" >&2 || true
}
echo "== $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
measure nginx "http://127.0.0.1:$NPORT$TOKEN_PATH"
measure teilhabe "http://127.0.0.1:$PORT$TOKEN_PATH"
sleep 0.5 # the click recorder writes every 50 ms
CLICKS=$(sqlite3 "$WORK/teilhabe.db" "SELECT COUNT(*) FROM activities WHERE type = 'email.clicked'")
printf '%-10s %12s %10s %10s\n' server requests/s p50_ms p99_ms
for s in nginx teilhabe; do printf '%-10s %12s %10s %10s\n' "$s" "${RPS[$s]}" "${P50[$s]}" "${P99[$s]}"; done
python3 -c "print(f'teilhabe / nginx: {float(\"${RPS[teilhabe]}\") / float(\"${RPS[nginx]}\"):.2f} (target >= 0.50); p99 ${P99[teilhabe]} ms (target < 10 ms)')"
echo "clicks recorded: $CLICKS"
