#!/usr/bin/env bash
# Runs every Lunette test; installs what it needs. In order:
#   1. native build: GoogleTest units and the differential corpus (each tests/lua script under
#      lunette and lua5.4, stdout and exit status compared)
#   2. the corpus again with the collector stressed (a collection at every safe point, in the
#      standalone's generational mode and in incremental mode), in checked mode: the heap
#      verifier (core/src/gc/heap_verifier.h) before every 16th step and after every phase change (every
#      step would take the slowest script past its 30 s limit)
#   3. AddressSanitizer + UndefinedBehaviorSanitizer build: units and corpus (clang at -O1, as
#      the sanitizers recommend; gcc at -O2 -g compiled the same code in 2.7x the time, 10 of
#      CI's minutes, and section 1 already builds with gcc)
#   4. WebAssembly: the module, the Session, the worker, the corpus through wasm in Node
#   5. the playground in headless Chromium
#   6. fuzzing: the compiler, the VM (plain and under collector stress), the binary chunk
#      loader and the Session API under libFuzzer with ASan + UBSan, each for
#      LUNETTE_FUZZ_SECONDS (default 45) from the checked-in seeds, one target per core at a time
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
jobs=$(nproc)
export LUNETTE_JOBS=$jobs
# Each section's header says how long the run has taken so far: CI has a time budget (the
# README), and this is how to see which section spends it.
section() { echo "== $1 (at $((SECONDS / 60)) min $((SECONDS % 60)) s)"; }

section "1. native build and tests"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j "$jobs"
ctest --test-dir build -j "$jobs" --output-on-failure --timeout 120

section "2. the corpus under collector stress; generated programs against lua5.4"
LUNETTE_ARGS="--gc-stress-step --gc-verify=16 --validate-heap" ctest --test-dir build -j "$jobs" -R '^lua\.' --output-on-failure --timeout 300
# base_version_gc prints the startup mode, which --gc=incremental changes on purpose.
LUNETTE_ARGS="--gc=incremental --gc-stress-step --gc-verify=16 --validate-heap" \
  ctest --test-dir build -j "$jobs" -R '^lua\.' -E 'base_version_gc' --output-on-failure --timeout 300
LUNETTE_JOBS=$jobs bash tests/diff/run.sh build/lunette lua5.4 "${LUNETTE_DIFF_PROGRAMS:-200}"

section "3. sanitizer build (ASan + UBSan) and tests"
CXX=clang++ cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DLUNETTE_SANITIZE=ON > /dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --test-dir build-asan -j "$jobs" --output-on-failure --timeout 300

section "4. WebAssembly"
LUNETTE_NATIVE_BUILD_DIR=build bash tests/wasm/run.sh

section "5. the playground in the browser"
bash tests/web/run.sh

section "6. fuzzing"
LUNETTE_JOBS=$jobs bash tests/fuzz/run.sh "${LUNETTE_FUZZ_SECONDS:-45}"
section "all passed"
