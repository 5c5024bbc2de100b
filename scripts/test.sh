#!/usr/bin/env bash
# Builds and runs every test: unit and store tests (SQLite and a PostgreSQL server started
# here), integration tests against the real binary (with a real SMTP server on loopback) and
# browser tests in headless Chromium. The last line is "N passed, M failed"; the exit status
# is non-zero when anything failed.
#   TEILHABE_SANITIZE=1 scripts/test.sh    the same under AddressSanitizer + UBSan (build-asan/)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/setup.sh || { echo "0 passed, 1 failed (setup)"; exit 1; }
scripts/build.sh || { echo "0 passed, 1 failed (build)"; exit 1; }
if [ "${TEILHABE_SANITIZE:-0}" = 1 ]; then build=${TEILHABE_BUILD_DIR:-build-asan}; else build=${TEILHABE_BUILD_DIR:-build}; fi

work=$(mktemp -d /tmp/teilhabe-test.XXXXXX)
chmod 755 "$work"
cleanup() {
  scripts/pg-test-cluster.sh stop "$work/pg" || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pg_url=$(scripts/pg-test-cluster.sh start "$work/pg" "$(free_port)") || { echo "0 passed, 1 failed (PostgreSQL did not start)"; exit 1; }
export TEILHABE_TEST_PG_URL=$pg_url TEILHABE_REQUIRE_PG=1
export TEILHABE_BINARY=$root/$build/bin/teilhabe TEILHABE_SOURCE_DIR=$root

passed=0; failed=0

# --- C++ tests (GoogleTest under ctest) --------------------------------------------------
ctest --test-dir "$build" -j"$(nproc)" --output-on-failure --no-tests=error | tee "$work/ctest.log"
summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$work/ctest.log" | tail -1)
if [ -n "$summary" ]; then
  total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$summary")
  bad=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$summary")
  passed=$((passed + total - bad)); failed=$((failed + bad))
else
  failed=$((failed + 1)); echo "ctest did not report a summary"
fi

# --- browser tests (playwright-core + Debian chromium + axe-core) --------------------------
node tests/e2e/run.mjs | tee "$work/e2e.log"
e2e=$(grep -E '^e2e: [0-9]+ passed, [0-9]+ failed' "$work/e2e.log" | tail -1)
if [ -n "$e2e" ]; then
  passed=$((passed + $(sed -E 's/e2e: ([0-9]+) passed.*/\1/' <<<"$e2e")))
  failed=$((failed + $(sed -E 's/.* ([0-9]+) failed/\1/' <<<"$e2e")))
else
  failed=$((failed + 1)); echo "browser tests did not report a summary"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
