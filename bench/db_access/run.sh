#!/usr/bin/env bash
# Cached (prepared once) vs uncached (prepared per call) statements on SQLite and on PostgreSQL
# through libpq, and the same prepared statements through libpqxx and SOCI when their -dev
# packages are installed; see db_access.cpp. Builds into /tmp/db_access, starts a throw-away PostgreSQL 15
# (scripts/pg-test-cluster.sh, fsync off) in /tmp/pgbench on port 55433 and stops it on exit.
#   bench/db_access/run.sh                  (ROWS=N overrides 200000)
#   PIN=1 bench/db_access/run.sh            client and PostgreSQL on CPU 0 only
# On this Firecracker VM (haltpoll.guest_halt_poll_ns=0) waking an idle vCPU costs ~200 us, so
# with client and backend on different CPUs each libpq round trip is mostly that wake-up; PIN=1
# keeps the ping-pong on one CPU (~45 us per round trip) and shows the server's own cost.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CLUSTER="$HERE/../../scripts/pg-test-cluster.sh"
OUT=/tmp/db_access
PGDIR=/tmp/pgbench
PGPORT=${PGPORT:-55433}

mkdir -p "$OUT"
trap '"$CLUSTER" stop "$PGDIR"; rm -f "$OUT"/bench.db*' EXIT

# The C++ wrappers measured beside our choice, each only if installed (libpqxx-dev, libsoci-dev;
# SOCI ships no .pc file, so its backends are found by header and library).
FLAGS=() LIBS=()
if [[ -d /usr/include/pqxx ]] && pkg-config --exists libpqxx; then
  FLAGS+=(-DWITH_PQXX $(pkg-config --cflags libpqxx)) LIBS+=($(pkg-config --libs libpqxx))
else
  echo "libpqxx-dev is not installed: no libpqxx figures"
fi
LIBDIR=/usr/lib/$(gcc -print-multiarch)
soci_backend() { [[ -f /usr/include/soci/$1/soci-$1.h && -e $LIBDIR/libsoci_$1.so ]]; }
if [[ -f /usr/include/soci/soci.h && -e $LIBDIR/libsoci_core.so ]]; then
  SOCI_LIBS=()
  for backend in sqlite3 postgresql; do
    if soci_backend $backend; then
      FLAGS+=(-DWITH_SOCI_${backend^^}) SOCI_LIBS+=(-lsoci_$backend)
    else
      echo "SOCI's $backend backend is not installed: no SOCI $backend figures"
    fi
  done
  if [[ ${#SOCI_LIBS[@]} -gt 0 ]]; then LIBS+=("${SOCI_LIBS[@]}" -lsoci_core -ldl); fi
else
  echo "libsoci-dev is not installed: no SOCI figures"
fi
g++ -std=gnu++23 -O2 -Wall -Wextra $(pkg-config --cflags libpq sqlite3) "${FLAGS[@]}" \
  -o "$OUT/db_access" "$HERE/db_access.cpp" "${LIBS[@]}" $(pkg-config --libs libpq sqlite3)

URL=$("$CLUSTER" start "$PGDIR" "$PGPORT")
RUN=()
if [[ ${PIN:-0} == 1 ]]; then # backends inherit the postmaster's affinity
  taskset -p -c 0 "$(head -1 "$PGDIR/data/postmaster.pid")" >/dev/null
  RUN=(taskset -c 0)
fi
rm -f "$OUT"/bench.db*
echo "$(nproc) cores, SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo '?'), $(psql --version 2>/dev/null || echo postgres), $(date -u '+%F %H:%M') UTC, PIN=${PIN:-0}"
"${RUN[@]}" "$OUT/db_access" "$OUT/bench.db" "$URL"
