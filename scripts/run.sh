#!/usr/bin/env bash
# Installs what is needed, builds, fills a demo town into data/teilhabe.db and serves it on
# http://127.0.0.1:8080. The admin log-in (a fresh password on every start) is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
mkdir -p data
export TEILHABE_DATABASE=${TEILHABE_DATABASE:-sqlite:data/teilhabe.db}
export TEILHABE_LISTEN=${TEILHABE_LISTEN:-127.0.0.1:8080}
build/bin/teilhabe demo
echo "Stop with Ctrl+C."
exec build/bin/teilhabe serve
