#!/usr/bin/env bash
# The town's issuing account as a hot row on PostgreSQL: an award's statements (idempotency
# look-up, the transfer row, the town's and the person's balance, two entries) by N concurrent
# connections, all on ONE town row (as the ledger does) or spread over 16 (a sharded issuing
# account), with pgbench. Tables of their own (h_*), in a database of its own.
#   bench/points/pg_hot_row/run.sh PGURL [SECONDS] [CLIENTS...]
# e.g. run.sh postgresql://teilhabe@127.0.0.1:55001/postgres 8 1 16
# Durable commits matter here: the test cluster (scripts/pg-test-cluster.sh) runs with
# fsync=off; start the server without those options to measure what a town's server does.
set -euo pipefail
url=${1:?PostgreSQL URL}; secs=${2:-8}
clients=("${@:3}"); [ ${#clients[@]} -gt 0 ] || clients=(1 16)
here=$(dirname "$0")
psql -q "$url" -c "DROP DATABASE IF EXISTS hotrow" -c "CREATE DATABASE hotrow"
db=${url%/*}/hotrow
psql -q "$db" -f "$here/schema.sql" 2>/dev/null
echo "fsync=$(psql -At "$db" -c 'SHOW fsync') synchronous_commit=$(psql -At "$db" -c 'SHOW synchronous_commit')"
for rep in 1 2 3; do
  for c in "${clients[@]}"; do
    for shards in 1 16; do
      tps=$(pgbench -n -d "$db" -f "$here/award.sql" -D shards=$shards -c "$c" -j 2 -T "$secs" 2>&1 |
        awk '/^tps/ {print $3}')
      echo "rep=$rep clients=$c town_rows=$shards tps=$tps"
    done
  done
done
psql -q "$url" -c "DROP DATABASE hotrow"
