#!/usr/bin/env bash
# Points awarded through the rules per second on SQLite (the points consumer over a backlog of
# activities: transfer, two entries, balances, lot, activity, award row per award), beside the
# raw insert rate of one-row INSERTs into the same database file in the same run.
#   bench/points/run.sh [ACTIVITIES]     (default 100000)
set -euo pipefail
cd "$(dirname "$0")/../.."
export CCACHE_DIR=${CCACHE_DIR:-/work/ccache-shared} CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
[ -f build/build.ninja ] || scripts/build.sh
ninja -C build -j"${TEILHABE_JOBS:-2}" teilhabe_points_bench >/dev/null
echo "$(nproc) cores, $(date -u '+%F %H:%M') UTC, pinned to CPU 0"
taskset -c 0 build/bin/teilhabe_points_bench "$@"
