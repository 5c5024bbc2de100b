#!/usr/bin/env bash
# Configures and builds with CMake + Ninja + ccache.
#   scripts/build.sh            -> build/       (Debug-with-optimisation, tests included)
#   TEILHABE_SANITIZE=1 ...     -> build-asan/  (tests under AddressSanitizer + UBSan)
#   TEILHABE_BUILD_DIR=DIR ...  -> another folder
set -euo pipefail
cd "$(dirname "$0")/.."
sanitize=${TEILHABE_SANITIZE:-0}
if [ "$sanitize" = 1 ]; then default_dir=build-asan; else default_dir=build; fi
dir=${TEILHABE_BUILD_DIR:-$default_dir}
export CCACHE_DIR=${CCACHE_DIR:-$PWD/.cache/ccache}
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S . -B "$dir" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DTEILHABE_SANITIZE="$([ "$sanitize" = 1 ] && echo ON || echo OFF)" >/dev/null
fi
# Two cores, ~1.5 GiB per g++ on the heavier files: -j2 keeps memory in bounds.
ninja -C "$dir" -j"${TEILHABE_JOBS:-$(nproc)}"
