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
#
# Then a second reading, labelled as such: the start-up floor of each side (best of 5 runs of
# a script that prints one line: Node's own start plus the module's, against lua5.4's) and the
# ratios with each floor taken off both times, which say how fast the module's code runs
# against lua5.4's once started. The target stays the whole process: on a machine where Node
# alone takes 0.2 s, programs of 0.25-0.4 s put the floor itself near 1.6.
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
bash "$root/tests/bench/run.sh" "$work/lunette-wasm" "$1" ${2:+"$2"} | tee "$work/whole.txt"
status=${PIPESTATUS[0]}

# best_of_5 COMMAND SCRIPT: the best wall seconds of five runs.
best_of_5() {
  local best="" start end
  for _ in 1 2 3 4 5; do
    start=$(date +%s%N)
    "$1" "$2" > /dev/null 2>&1
    end=$(date +%s%N)
    [[ -z "$best" || $((end - start)) -lt $best ]] && best=$((end - start))
  done
  awk -v ns="$best" 'BEGIN { printf "%.3f", ns / 1e9 }'
}
echo 'print("ready")' > "$work/cwd/ready.lua"
floor_wasm=$(best_of_5 "$work/lunette-wasm" "$work/cwd/ready.lua")
floor_lua=$(best_of_5 "$1" "$work/cwd/ready.lua")
echo
echo "start-up floor (a one-line script, best of 5): wasm ${floor_wasm} s, lua5.4 ${floor_lua} s"
echo "second reading, each side's floor taken off its times (not the target's measure):"
awk -v fw="$floor_wasm" -v fl="$floor_lua" '
  NF == 4 && $2 ~ /^[0-9.]+$/ && $3 ~ /^[0-9.]+$/ {
    lua = $2 - fl; wasm = $3 - fw
    if (lua <= 0 || wasm <= 0) next
    printf "%-16s %10.3f %10.3f %8.2f\n", $1, lua, wasm, wasm / lua
    s += log(wasm / lua); n++
  }
  END { if (n) printf "geometric mean ratio after start-up: %.2f over %d programs\n", exp(s / n), n }
' "$work/whole.txt"
exit "$status"
