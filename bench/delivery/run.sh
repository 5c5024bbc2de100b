#!/usr/bin/env bash
# Outbox delivery beside Postfix's own smtp-source, against the same smtp-sink in the same run
# (issue 4: target >= 50 % of smtp-source's rate). Both keep their connections open (-d) and
# use the same number of parallel sessions and ~1 kB messages.
#   bench/delivery/run.sh [MESSAGES] [CONNECTIONS]      (defaults 100000, 4)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-100000}
C=${2:-4}
[ "${SKIP_BUILD:-0}" = 1 ] || TEILHABE_JOBS=${TEILHABE_JOBS:-2} scripts/build.sh >/dev/null
work=$(mktemp -d /tmp/teilhabe-deliverybench.XXXXXX)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# smtp-sink refuses to run as root without -u.
sink_user=(); [ "$(id -u)" = 0 ] && sink_user=(-u nobody)
/usr/sbin/smtp-sink "${sink_user[@]}" 127.0.0.1:$port 256 >/dev/null 2>&1 &
sink=$!
trap 'kill $sink 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 0.3

start=$(date +%s.%N)
/usr/sbin/smtp-source -d -s "$C" -m "$N" -l 1000 -f a@musterstadt.example -t r@example.org 127.0.0.1:$port
end=$(date +%s.%N)
source_rate=$(echo "$N / ($end - $start)" | bc -l)
printf 'smtp-source: %d messages in %.2f s = %.0f messages/s\n' "$N" "$(echo "$end - $start" | bc -l)" "$source_rate"

out=$(build/bin/teilhabe_delivery_bench "$port" "$N" "$C" "$work/bench.db")
echo "$out"
ours=$(sed -E 's/.*= ([0-9]+) messages\/s/\1/' <<<"$out")
printf 'ratio teilhabe / smtp-source: %.2f\n' "$(echo "$ours / $source_rate" | bc -l)"
