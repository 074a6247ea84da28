#!/usr/bin/env bash
# The WebAssembly tests: builds the wasm module (wasm/build.sh) and the native lunette it is
# compared with, then every tests/wasm/*.test.mjs with node --test (the corpus, the Session,
# the worker protocol). The Session's own unit test is a GoogleTest (tests/unit/session_test.cpp).
#
# Environment: LUNETTE_WASM_BUILD_DIR (default build-wasm), LUNETTE_NATIVE_BUILD_DIR (default
# build), LUNETTE_JOBS (default nproc).
set -euo pipefail
cd "$(dirname "$0")/../.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
jobs=${LUNETTE_JOBS:-$(nproc)}
native_dir=${LUNETTE_NATIVE_BUILD_DIR:-build}

echo "== wasm module"
LUNETTE_JOBS=$jobs wasm/build.sh

echo "== native lunette (the reference for the corpus comparison)"
cmake -S . -B "$native_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$native_dir" --target lunette -j "$jobs"

echo "== node --test"
LUNETTE_NATIVE="$(cd "$native_dir" && pwd)/lunette" node --test tests/wasm/*.test.mjs
