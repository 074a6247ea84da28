#!/usr/bin/env bash
# Builds everything and serves the Lunette playground on http://127.0.0.1:${PORT:-8080}/.
#   ./run.sh                 the playground (WebAssembly VM + page), served locally
#   ./run.sh script.lua ...  instead: build the native `lunette` command and run a script
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
jobs=$(nproc)
if [ $# -gt 0 ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DLUNETTE_TESTS=OFF > /dev/null
  cmake --build build --target lunette -j "$jobs"
  exec build/lunette "$@"
fi
LUNETTE_JOBS=$jobs bash wasm/build.sh
(cd web && npm ci --no-audit --no-fund --loglevel=error && node build.mjs)
echo "Lunette playground: http://127.0.0.1:${PORT:-8080}/"
exec node web/serve.mjs "${PORT:-8080}"
