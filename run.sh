#!/usr/bin/env bash
# Builds the native `lunette` command and runs an example with it.
# Usage: ./run.sh [script.lua [args]]   (default: examples/hello.lua)
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DLUNETTE_TESTS=OFF > /dev/null
cmake --build build --target lunette
script="${1:-examples/hello.lua}"
[ $# -gt 0 ] && shift
exec build/lunette "$script" "$@"
