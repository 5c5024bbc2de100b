#!/usr/bin/env bash
# Segments (issue 6): counting a segment through the live membership vs one hand-written SQL
# query, and the cost and latency of keeping it live; SQLite and PostgreSQL in the same run.
#   bench/segments/run.sh [CITIZENS] [ACTIVITIES]     (default 1000000 10000000)
#   SQLITE_ONLY=1 bench/segments/run.sh ...
# Builds build/bin/teilhabe_segments_bench; databases in $DATA (default /tmp/bench-segments),
# a throw-away PostgreSQL (scripts/pg-test-cluster.sh) in $PGDIR on $PGPORT, stopped on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CITIZENS=${1:-1000000}
ACTIVITIES=${2:-10000000}
DATA=${DATA:-/tmp/bench-segments}
PGDIR=${PGDIR:-/tmp/pg-bench-segments}
PGPORT=${PGPORT:-55611}
ninja -C "$ROOT/build" -j"${TEILHABE_JOBS:-2}" teilhabe_segments_bench >/dev/null
BIN="$ROOT/build/bin/teilhabe_segments_bench"
mkdir -p "$DATA"
rm -f "$DATA"/segments.db*
"$BIN" "sqlite:$DATA/segments.db" "$CITIZENS" "$ACTIVITIES"
rm -f "$DATA"/segments.db*
if [[ "${SQLITE_ONLY:-0}" != 1 ]]; then
  trap '"$ROOT/scripts/pg-test-cluster.sh" stop "$PGDIR" >/dev/null 2>&1 || true' EXIT
  url=$("$ROOT/scripts/pg-test-cluster.sh" start "$PGDIR" "$PGPORT" | tail -1)
  "$BIN" "$url" "$CITIZENS" "$ACTIVITIES"
fi
