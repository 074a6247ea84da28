#!/usr/bin/env bash
# The WebAssembly module against the native reference interpreter, whole process:
# `node wasm/run.mjs prog.lua` against `lua5.4 prog.lua` over tests/bench/programs, in the same
# run (run.sh's alternation, best of 3, checksums compared).
#
# Usage: wasm_native.sh LUA54 [filter]       (build the module first: wasm/build.sh)
#   NODE (default node) and NODE_FLAGS (e.g. --no-liftoff) choose how Node runs the module.
# Prints per program the lua5.4 seconds, the wasm seconds and their ratio, then the geometric
# mean (the issue's target: <= 1.3). The module's process starts in an empty directory, so
# run.mjs mirrors nothing into its in-memory file system.
set -u

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 LUA54 [filter]" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
if [[ ! -f "$root/wasm/dist/lunette.wasm" ]]; then
  echo "$0: the wasm module is not built (run wasm/build.sh)" >&2
  exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/wasm_native.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/cwd"
cat > "$work/lunette-wasm" <<WRAPPER
#!/usr/bin/env bash
cd "$work/cwd" && exec ${NODE:-node} ${NODE_FLAGS:-} "$root/wasm/run.mjs" "\$@"
WRAPPER
chmod +x "$work/lunette-wasm"
bash "$root/tests/bench/run.sh" "$work/lunette-wasm" "$1" ${2:+"$2"}
