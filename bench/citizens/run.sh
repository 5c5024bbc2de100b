#!/usr/bin/env bash
# Issue 3 performance: a million citizens with 20 custom fields.
#   bench/citizens/run.sh [ROWS]            (default 1000000; needs scripts/build.sh first)
#   PG=1 bench/citizens/run.sh [ROWS]       also import and measure the lists on PostgreSQL
#
# (a) `teilhabe import FILE` into a fresh SQLite database beside the same file through
#     sqlite3's `.import` into a plain table without indexes, in the same run: the ratio, of
#     wall time (the target) and of CPU time (steadier on a shared machine). Beside them the
#     floor of the schema: the rows the import wrote, copied in SQL (INSERT ... SELECT) into an
#     empty database with the same tables and indexes (what SQLite itself needs for them).
# (b) `teilhabe serve` on the imported database: filtered, paginated list pages and the name
#     prefix search through the API (bench/citizens/latency.py: one keep-alive connection,
#     warm runs, p50/p95/p99), following next_cursor deep into a list, and the admin list page.
# (c) The server's peak RSS (VmHWM) after those runs and a concurrent load (wrk, 8 connections).
# PostgreSQL (PG=1): `teilhabe import` of the first $PG_IMPORT_ROWS rows (default 100000; a
# million row by row over libpq takes most of an hour here), then the SQLite database's people
# copied in with COPY, and (b) and (c) as above.
#
# Data and databases go to $DATA (default /tmp/bench-citizens; the CSV is reused when it
# exists, as it is deterministic). PostgreSQL: a throw-away cluster (scripts/pg-test-cluster.sh,
# fsync off) in $PGDIR on $PGPORT, stopped on exit. Loopback only; every server started here
# is stopped on exit. Not part of scripts/test.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/bench/citizens"
ROWS=${1:-1000000}
DATA=${DATA:-/tmp/bench-citizens}
PGDIR=${PGDIR:-/tmp/pg-bench}
PGPORT=${PGPORT:-55605}
REQUESTS=${REQUESTS:-200}
PG_IMPORT_ROWS=${PG_IMPORT_ROWS:-100000}
PAGES=${PAGES:-200}
BIN=${TEILHABE_BINARY:-$ROOT/build/bin/teilhabe}
[[ -x "$BIN" ]] || { echo "build first: scripts/build.sh" >&2; exit 1; }
for tool in sqlite3 wrk python3 curl; do
  command -v $tool >/dev/null || { echo "$tool is missing: scripts/setup.sh" >&2; exit 1; }
done

mkdir -p "$DATA"
CSV="$DATA/citizens-$ROWS.csv"
SERVER=
PG_STARTED=
cleanup() {
  if [[ -n "$SERVER" ]]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  if [[ -n "$PG_STARTED" ]]; then "$ROOT/scripts/pg-test-cluster.sh" stop "$PGDIR"; fi
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() {
  for _ in $(seq 1 300); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "no answer from $1" >&2; return 1
}
# Runs a command under /usr/bin/time; sets WALL, CPU (user + system, s) and RSS_MIB.
timed() {
  /usr/bin/time -f '%e %U %S %M' -o "$DATA/time.out" "$@"
  read -r WALL user sys rss <"$DATA/time.out"
  CPU=$(python3 -c "print(f'{$user + $sys:.2f}')")
  RSS_MIB=$((rss / 1024))
}
ratio() { python3 -c "print(f'{$1 / $2:.1f}' if $2 > 0 else '-')"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
kib() { awk -v k="$1" '/^'"$1"':/ {print $2}' "/proc/$2/status"; }

echo "== $(date -u '+%F %H:%M') UTC, $(nproc) cores, $(free -g | awk '/^Mem/ {print $2}') GiB," \
     "SQLite $(sqlite3 --version | cut -d' ' -f1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ ! -s "$CSV" ]]; then
  echo "generating $ROWS citizens into $CSV ..."
  python3 "$HERE/generate.py" "$ROWS" "$CSV.tmp" && mv "$CSV.tmp" "$CSV"
fi
echo "CSV: $CSV, $(du -m "$CSV" | cut -f1) MB, $(($(wc -l <"$CSV") - 1)) rows"

# A database with the demo's departments, topics and 4 fields plus the 16 of fields.json,
# an API key and the admin's password. $1: TEILHABE_DATABASE. Sets KEY and ADMIN_PASSWORD.
prepare() {
  export TEILHABE_DATABASE="$1" TEILHABE_LOG_LEVEL=warn
  "$BIN" migrate >/dev/null
  ADMIN_PASSWORD=$("$BIN" demo --citizens 0 | sed -n 's/.*Passwort \(.*\)$/\1/p')
  KEY=$("$BIN" apikey create --name bench --role admin)
  start_server
  python3 - "$BASE" "$KEY" "$HERE/fields.json" <<'PY'
import json, sys, urllib.request
base, key, path = sys.argv[1:]
for f in json.load(open(path, encoding="utf-8")):
    req = urllib.request.Request(base + "/api/v1/fields", data=json.dumps(f).encode(),
                                 headers={"Authorization": "Bearer " + key,
                                          "Content-Type": "application/json"})
    urllib.request.urlopen(req).read()
PY
  local n
  n=$(curl -fsS -H "Authorization: Bearer $KEY" "$BASE/api/v1/fields" |
      python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
  [[ "$n" == 20 ]] || { echo "expected 20 fields, found $n" >&2; exit 1; }
  stop_server
}

start_server() {
  local port
  port=$(free_port)
  BASE="http://127.0.0.1:$port"
  TEILHABE_LISTEN="127.0.0.1:$port" "$BIN" serve >>"$DATA/serve.log" 2>&1 &
  SERVER=$!
  wait_http "$BASE/healthz"
}

stop_server() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=; }

# `teilhabe import` of $2 with its times and peak RSS. $1: label.
timed_import() {
  timed "$BIN" import "$2" >"$DATA/import-$1.out"
  IMPORT_WALL=$WALL IMPORT_CPU=$CPU IMPORT_RSS=$RSS_MIB
  tail -1 "$DATA/import-$1.out"
}

# (b) and (c) against the database in TEILHABE_DATABASE. $1: label.
measure_server() {
  start_server
  echo "-- $1: latency (one connection, $REQUESTS requests per case after warm-up, deep: $PAGES pages)"
  python3 "$HERE/latency.py" "$BASE" "$KEY" --requests "$REQUESTS" --pages "$PAGES" \
    --admin-email admin@musterstadt.example --admin-password "$ADMIN_PASSWORD" \
    --json "$DATA/latency-$1.json"
  echo "-- $1: RSS after the latency runs: VmRSS $(($(kib VmRSS "$SERVER") / 1024)) MiB," \
       "VmHWM $(($(kib VmHWM "$SERVER") / 1024)) MiB"
  # Concurrent requests: every HTTP thread and pooled connection busy at once.
  wrk -t2 -c8 -d10s --latency -H "Authorization: Bearer $KEY" \
    "$BASE/api/v1/citizens?district=Nord&tag=ehrenamt&limit=50" >"$DATA/wrk-$1-list.out"
  wrk -t2 -c8 -d10s --latency -H "Authorization: Bearer $KEY" \
    "$BASE/api/v1/citizens?q=M%C3%BCl&limit=50" >"$DATA/wrk-$1-search.out"
  for w in list search; do
    echo "   wrk -c8 $w: $(awk '/^Requests\/sec/ {print $2}' "$DATA/wrk-$1-$w.out") requests/s," \
         "p50 $(awk '$1 == "50%" {print $2}' "$DATA/wrk-$1-$w.out")," \
         "p99 $(awk '$1 == "99%" {print $2}' "$DATA/wrk-$1-$w.out")" \
         "$(grep -h 'Non-2xx' "$DATA/wrk-$1-$w.out" || true)"
  done
  echo "-- $1: server memory after all runs: VmRSS $(($(kib VmRSS "$SERVER") / 1024)) MiB," \
       "VmHWM (peak) $(($(kib VmHWM "$SERVER") / 1024)) MiB (target < 300 MiB)"
  stop_server
}

# --- (a) SQLite import beside sqlite3 .import --------------------------------------------
rm -f "$DATA"/plain.db* "$DATA"/teilhabe.db* "$DATA"/floor.db*
echo "load average before sqlite3 .import: $(load)"
timed sqlite3 "$DATA/plain.db" '.mode csv' ".import '$CSV' plain"
PLAIN_WALL=$WALL PLAIN_CPU=$CPU
echo "sqlite3 .import into a plain table: ${PLAIN_WALL} s (CPU ${PLAIN_CPU} s)," \
     "$(sqlite3 "$DATA/plain.db" 'SELECT count(*) FROM plain') rows"

prepare "sqlite:$DATA/teilhabe.db"
sqlite3 "$DATA/teilhabe.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
cp "$DATA/teilhabe.db" "$DATA/floor.db" # the empty schema with the same fields, for the floor
echo "load average before teilhabe import: $(load)"
timed_import sqlite "$CSV"
echo "teilhabe import (SQLite): ${IMPORT_WALL} s (CPU ${IMPORT_CPU} s), peak RSS ${IMPORT_RSS} MiB"
echo "  ratio to sqlite3 .import: wall $(ratio "$IMPORT_WALL" "$PLAIN_WALL")" \
     "(target <= 2), CPU $(ratio "$IMPORT_CPU" "$PLAIN_CPU")"
echo "database: $(du -m "$DATA/teilhabe.db" | cut -f1) MB; plain table: $(du -m "$DATA/plain.db" | cut -f1) MB"
for t in citizens citizen_tags citizen_interests citizen_values activities audit_log; do
  printf '  %-18s %9s rows\n' "$t" "$(sqlite3 "$DATA/teilhabe.db" "SELECT count(*) FROM $t")"
done

# The floor: the same rows in SQL into the same empty schema, with the import's cache size.
echo "load average before the floor: $(load)"
timed sqlite3 "$DATA/floor.db" <<SQL >/dev/null
PRAGMA journal_mode = WAL;
PRAGMA foreign_keys = ON;
PRAGMA cache_size = -131072;
ATTACH '$DATA/teilhabe.db' AS src;
BEGIN IMMEDIATE;
INSERT INTO citizens SELECT * FROM src.citizens ORDER BY id;
INSERT INTO citizen_tags SELECT * FROM src.citizen_tags ORDER BY citizen_id;
INSERT INTO citizen_interests SELECT * FROM src.citizen_interests ORDER BY citizen_id;
INSERT INTO citizen_values SELECT * FROM src.citizen_values ORDER BY citizen_id;
INSERT INTO activities SELECT * FROM src.activities WHERE id > (SELECT max(id) FROM main.activities) ORDER BY id;
INSERT INTO audit_log SELECT * FROM src.audit_log WHERE id > (SELECT max(id) FROM main.audit_log) ORDER BY id;
COMMIT;
SQL
echo "floor, the same rows by INSERT ... SELECT into the empty schema: ${WALL} s (CPU ${CPU} s);" \
     "import / floor: wall $(ratio "$IMPORT_WALL" "$WALL"), CPU $(ratio "$IMPORT_CPU" "$CPU");" \
     "floor / sqlite3 .import: wall $(ratio "$WALL" "$PLAIN_WALL"), CPU $(ratio "$CPU" "$PLAIN_CPU")"
rm -f "$DATA"/floor.db*

echo "load average before the list runs: $(load)"
measure_server sqlite

# --- PostgreSQL -----------------------------------------------------------------------------
if [[ "${PG:-0}" == 1 ]]; then
  URL=$("$ROOT/scripts/pg-test-cluster.sh" start "$PGDIR" "$PGPORT")
  PG_STARTED=1
  PSQL=(env PGOPTIONS='-c client_min_messages=warning' psql -q -X -v ON_ERROR_STOP=1
        -h 127.0.0.1 -p "$PGPORT" -U teilhabe)
  "${PSQL[@]}" -d postgres -c 'DROP DATABASE IF EXISTS bench_citizens' -c 'CREATE DATABASE bench_citizens'
  PSQL+=(-d bench_citizens)
  prepare "${URL%/postgres}/bench_citizens"
  head -n "$((PG_IMPORT_ROWS + 1))" "$CSV" >"$DATA/pg-sample.csv"
  echo "load average before teilhabe import (PostgreSQL): $(load)"
  timed_import postgresql "$DATA/pg-sample.csv"
  echo "teilhabe import (PostgreSQL 15, fsync off), first $PG_IMPORT_ROWS rows: ${IMPORT_WALL} s" \
       "(CPU of teilhabe ${IMPORT_CPU} s), $(python3 -c "print(round($PG_IMPORT_ROWS / $IMPORT_WALL))") rows/s"
  rm -f "$DATA/pg-sample.csv"
  # The million people of the SQLite database, copied with COPY, for the list runs (without
  # the foreign-key triggers: the rows come from a database that checked them).
  "${PSQL[@]}" -c 'TRUNCATE citizens CASCADE' \
    -c 'CREATE UNLOGGED TABLE load_interests (citizen_id BIGINT, topic TEXT, created_at BIGINT)' \
    -c 'CREATE UNLOGGED TABLE load_values (citizen_id BIGINT, field TEXT, value TEXT, number DOUBLE PRECISION, recorded_at BIGINT)'
  copy() { # sqlite SELECT -> psql \copy TARGET
    sqlite3 -csv -cmd ".nullvalue '\N'" "$DATA/teilhabe.db" "$1" |
      "${PSQL[@]}" -c 'SET session_replication_role = replica' \
        -c "\\copy $2 FROM pstdin WITH (FORMAT csv, NULL '\\N')"
  }
  copy "SELECT id, email, first_name, last_name, language, district, created_at, updated_at,
        preferred_channel, restricted_at, first_name_search, last_name_search FROM citizens" \
       "citizens (id, email, first_name, last_name, language, district, created_at, updated_at, preferred_channel, restricted_at, first_name_search, last_name_search)"
  copy "SELECT citizen_id, tag FROM citizen_tags" "citizen_tags (citizen_id, tag)"
  copy "SELECT i.citizen_id, t.key, i.created_at FROM citizen_interests i JOIN topics t ON t.id = i.topic_id" load_interests
  copy "SELECT v.citizen_id, f.key, v.value, v.number, v.recorded_at FROM citizen_values v JOIN fields f ON f.id = v.field_id" load_values
  "${PSQL[@]}" -c 'SET session_replication_role = replica' \
    -c 'INSERT INTO citizen_interests SELECT l.citizen_id, t.id, l.created_at FROM load_interests l JOIN topics t ON t.key = l.topic' \
    -c 'INSERT INTO citizen_values SELECT l.citizen_id, f.id, l.value, l.number, l.recorded_at FROM load_values l JOIN fields f ON f.key = l.field' \
    -c 'DROP TABLE load_interests' -c 'DROP TABLE load_values' \
    -c "SELECT setval(pg_get_serial_sequence('citizens', 'id'), (SELECT max(id) FROM citizens))" >/dev/null
  "${PSQL[@]}" -c 'VACUUM ANALYZE'
  echo "PostgreSQL database: $("${PSQL[@]}" -tA -c 'SELECT count(*) FROM citizens') people," \
       "$("${PSQL[@]}" -tA -c 'SELECT count(*) FROM citizen_values') values," \
       "$("${PSQL[@]}" -tA -c "SELECT pg_size_pretty(pg_database_size('bench_citizens'))")"
  echo "load average before the list runs (PostgreSQL): $(load)"
  measure_server postgresql
fi
