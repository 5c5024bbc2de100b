#!/usr/bin/env bash
# Installs every Debian and npm package Teilhabe needs to build, run and test. Idempotent:
# a second run installs nothing and takes a second. Run as root, or with sudo available.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  # build
  build-essential cmake ninja-build ccache pkg-config clang-format clang-tidy
  # libraries
  libboost1.81-dev libasio-dev libfmt-dev libspdlog-dev libcli11-dev libtomlplusplus-dev
  nlohmann-json3-dev libsqlite3-dev sqlite3 libpq-dev libsodium-dev libssl-dev
  libcurl4-openssl-dev libkainjow-mustache-dev libcmark-gfm-dev libqrencode-dev libxlsxwriter-dev
  # tests and their real peers
  libgtest-dev libgmock-dev libbenchmark-dev postgresql-15 postgresql-client-15
  python3 python3-aiosmtpd python3-dkim python3-openpyxl chromium nodejs npm curl
  # scores the demo campaign with local rules only (src/mail tests)
  spamassassin
  # benchmarks: load generator, the static-file baseline, smtp-source/smtp-sink
  wrk nginx-light postfix
  # the candidates measured beside our choices (bench/http_candidates, bench/db_access)
  librestinio-dev libhttp-parser-dev libpqxx-dev libsoci-dev
)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    # npm may come with the machine's own Node.js rather than as a Debian package.
    if [ "$p" = npm ] && command -v npm >/dev/null; then continue; fi
    if [ "$p" = nodejs ] && command -v node >/dev/null; then continue; fi
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # Postfix asks where to deliver; we only need its smtp-source/smtp-sink tools, so no mail
  # service is configured and the daemon is not left running.
  echo "postfix postfix/main_mailer_type select No configuration" | as_root debconf-set-selections
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # The packaged services are not ours to run: tests start their own PostgreSQL and nginx.
  for svc in postgresql nginx postfix; do
    as_root systemctl disable --now "$svc" >/dev/null 2>&1 || as_root service "$svc" stop >/dev/null 2>&1 || true
  done
fi

# Front-end and browser-test packages, pinned in package-lock.json. `npm ci` is skipped when the
# installed tree already matches the lock file.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.teilhabe-lock; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.teilhabe-lock
fi
echo "setup: ready"
