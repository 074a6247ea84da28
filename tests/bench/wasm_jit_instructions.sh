#!/usr/bin/env bash
# Instructions run in V8's generated code (the wasm module's functions, compiled by TurboFan)
# for one Lua script through wasm/run.mjs, counted by valgrind: a measure of the module's code
# quality that a loaded machine does not blur, where wasm_native.sh's times move by 30% and more
# between runs. Node runs with --no-liftoff (every function optimised before it runs, so the
# count does not depend on when the background compile finished) and --single-threaded.
#
# Usage: wasm_jit_instructions.sh SCRIPT.lua [DIST_DIR]     (needs valgrind)
#   DIST_DIR: a directory holding lunette.mjs and lunette.wasm (default: wasm/dist), so two
#   builds of the module can be compared on the same script.
# Prints the instructions in generated code (valgrind sees V8's code as unnamed objects)
# and the process total (which adds V8's compiler, start-up and the collector).
# Use scripts of about 1-3 s natively: valgrind runs ~50x slower. To isolate the script's own
# work from start-up, compare two sizes of the same script (fib(27) and fib(30), say).
# Measured 2026-12-07, fib(30): 1,103.4M before the register-pressure work on the switch
# build's loop (commits of branch wasm10), 1,014.9M after.
set -eu
if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 SCRIPT.lua [DIST_DIR]" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
script=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dist=${2:-$root/wasm/dist}
dist=$(cd "$dist" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/wasm_jit.XXXXXX")
trap 'rm -rf "$work"' EXIT
# run.mjs loads the module beside it (dist/): a copy of the host files next to DIST_DIR's module.
mkdir "$work/wasm" "$work/cwd"
cp "$root/wasm/run.mjs" "$root/wasm/node-host.mjs" "$work/wasm/"
ln -s "$dist" "$work/wasm/dist"
cd "$work/cwd"
valgrind --tool=callgrind --smc-check=all-non-file --callgrind-out-file="$work/out" \
  node --no-liftoff --single-threaded "$work/wasm/run.mjs" "$script" > "$work/stdout" 2> "$work/stderr" || {
  echo "$0: the script failed:" >&2
  cat "$work/stderr" >&2
  exit 1
}
# V8's code shows as several unnamed entries (???:0x...), one per code region: all are summed.
# (Until 2026-12-07 only the first entry was read, which missed most of a program's code on
# table.sort with a comparator: 1,344.7M of 3,156.7M on sort.lua's record sort.)
generated=$(callgrind_annotate --threshold=100 "$work/out" | grep '???:0x' \
  | awk '{gsub(",", "", $1); sum += $1} END {printf "%.0f", sum}')
total=$(callgrind_annotate "$work/out" | grep 'PROGRAM TOTALS' | awk '{print $1}')
echo "instructions in generated code: $generated   process total: $total"
