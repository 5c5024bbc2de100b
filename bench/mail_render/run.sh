#!/usr/bin/env bash
# Renders of the demo campaign per second on one core (CompiledCampaign::render_into), beside
#  - concat: the same bytes assembled by plain string appends (the floor: copying the output),
#  - kainjow: the body alone rendered by kainjow mustache per recipient (the obvious approach).
#   bench/mail_render/run.sh            (extra arguments go to Google Benchmark)
set -euo pipefail
cd "$(dirname "$0")/../.."
export CCACHE_DIR=${CCACHE_DIR:-/work/ccache-shared} CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
[ -f build/build.ninja ] || scripts/build.sh
ninja -C build -j"${TEILHABE_JOBS:-2}" teilhabe_mail_bench >/dev/null
echo "$(nproc) cores, $(date -u '+%F %H:%M') UTC, pinned to CPU 0"
taskset -c 0 build/bin/teilhabe_mail_bench --benchmark_min_time=1 "$@"
