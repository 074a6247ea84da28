#!/usr/bin/env bash
# Fails when a file of core/src includes a header from a layer above its own. The layers, lowest
# first (ARCHITECTURE.md, "Layers the build enforces"; one CMake library each):
#   common, bytecode, compiler   the front end; knows nothing of the heap
#   vm, gc                       the State, objects, interpreter and collector (one library)
#   inspect                      observes the VM through vm/observer.h
#   lib                          the standard library and the lunette module
#   session                      the embedding API (wasm/ and the tests sit above it)
# Usage: scripts/check_layers.sh [core/src directory]
set -euo pipefail
src=${1:-"$(cd "$(dirname "$0")/.." && pwd)/core/src"}

declare -A rank=([common]=0 [bytecode]=1 [compiler]=2 [vm]=3 [gc]=3 [inspect]=4 [lib]=5
                 [session]=6)

violations=0
for dir in "$src"/*/; do
  layer=$(basename "$dir")
  if [ -z "${rank[$layer]+set}" ]; then
    echo "check_layers: core/src/$layer is not a known layer (add it to scripts/check_layers.sh)"
    violations=$((violations + 1))
    continue
  fi
  while IFS=: read -r file line included; do
    target=${included%%/*}
    [ -n "${rank[$target]+set}" ] || continue
    if [ "${rank[$target]}" -gt "${rank[$layer]}" ]; then
      echo "check_layers: ${file#"$src"/}:$line includes $included, a layer above $layer"
      violations=$((violations + 1))
    fi
  done < <(grep -Hno '^#include "[a-z_]*/[^"]*"' "$dir"* 2>/dev/null |
             sed -E 's/#include "([^"]*)"/\1/')
done

if [ "$violations" -gt 0 ]; then
  echo "check_layers: $violations include(s) point up a layer"
  exit 1
fi
echo "check_layers: every include of core/src points down or sideways"
