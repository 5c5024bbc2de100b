#!/usr/bin/env bash
# A throw-away PostgreSQL 15 server for the tests, in a folder of its own.
#   scripts/pg-test-cluster.sh start DIR PORT   -> prints the URL to use as TEILHABE_TEST_PG_URL
#   scripts/pg-test-cluster.sh stop DIR
# initdb refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail
PGBIN=/usr/lib/postgresql/15/bin
cmd=${1:?start|stop}; dir=${2:?folder}

run() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    port=${3:?port}
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      run "$PGBIN/initdb" -D "$dir/data" -A trust -U teilhabe -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # Durability is not under test here; fsync off makes the store tests several times faster.
    run "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null \
      || { cat "$dir/log" >&2; exit 1; }
    echo "postgresql://teilhabe@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -f "$dir/data/postmaster.pid" ] && run "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
