#!/usr/bin/env bash
# The WebAssembly tests: builds the wasm module (wasm/build.sh) and the native lunette it is
# compared with, runs the Session's native unit test (under ASan + UBSan), then every
# tests/wasm/*.test.mjs with node --test (the corpus, the Session, the worker protocol).
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
cmake --build "$native_dir" --target lunette_core lunette -j "$jobs"

echo "== Session unit test (native, ASan + UBSan)"
session_test="$native_dir/wasm_session_native_test"
g++ -std=c++20 -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -Wno-invalid-offsetof \
  -Icore/src -Iwasm tests/wasm/session_native_test.cpp wasm/session.cpp \
  "$native_dir/liblunette_core.a" "$native_dir/liblunette_compiler.a" \
  -lgtest -lgtest_main -pthread -o "$session_test"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 "$session_test" --gtest_brief=1

echo "== node --test"
LUNETTE_NATIVE="$(cd "$native_dir" && pwd)/lunette" node --test tests/wasm/*.test.mjs
