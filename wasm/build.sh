#!/usr/bin/env bash
# Builds the WebAssembly module into wasm/dist/ (lunette.mjs + lunette.wasm) with Emscripten.
# Usage: wasm/build.sh            (build directory: build-wasm, or $LUNETTE_WASM_BUILD_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${LUNETTE_WASM_BUILD_DIR:-build-wasm}
if ! command -v emcmake > /dev/null; then
  echo "wasm/build.sh: Emscripten is missing (Debian: apt-get install emscripten)" >&2
  exit 1
fi
# Debian's emscripten finds acorn (used by the optimised link) only through NODE_PATH.
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
jobs=${LUNETTE_JOBS:-$(nproc)}
emcmake cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$build_dir" --target lunette_wasm -j "$jobs"
ls -l wasm/dist/lunette.mjs wasm/dist/lunette.wasm
