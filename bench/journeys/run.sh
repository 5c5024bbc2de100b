#!/usr/bin/env bash
# Journey steps per second and activity -> first step latency (issue 6: >= 20,000 steps/s,
# p99 < 1 s). SQLite by default; give a PostgreSQL URL to measure there.
#   bench/journeys/run.sh [PEOPLE] [DATABASE_URL]      (defaults 50000, a fresh SQLite file)
set -euo pipefail
cd "$(dirname "$0")/../.."
export CCACHE_DIR=${CCACHE_DIR:-/work/ccache-shared} CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
N=${1:-50000}
[ -f build/build.ninja ] || scripts/build.sh
ninja -C build -j"${TEILHABE_JOBS:-2}" teilhabe_journey_bench >/dev/null
work=$(mktemp -d /tmp/teilhabe-journeybench.XXXXXX)
trap 'rm -rf "$work"' EXIT
URL=${2:-sqlite:$work/bench.db}
echo "$(nproc) cores, $(date -u '+%F %H:%M') UTC, $N people, ${URL%%:*}"
build/bin/teilhabe_journey_bench "$URL" "$N"
