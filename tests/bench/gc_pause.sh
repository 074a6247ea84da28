#!/usr/bin/env bash
# GC pause benchmark: runs tests/bench/gc/pause.lua (a ~200 MB heap of small tables, then a
# tight loop churning garbage, incremental mode) under lunette and lua5.4 and prints a table:
#   longest step   lunette: the longest collector step of the churn stage (gctrace step events);
#                  lua5.4: not observable (shown as -)
#   longest gap    both: the longest os.clock gap between two consecutive churn iterations,
#                  which includes whatever collector work ran between them
#   build / churn  os.clock seconds of the two stages; total: wall seconds of the whole run
# and the ratios lunette/lua5.4. A benchmark, not a test: the exit status is 0 unless a
# program fails or the checksums differ.
#
# Usage: gc_pause.sh LUNETTE LUA54 [MILLIONS_OF_TABLES]   (default 2.5, about 200 MB in lua5.4)
set -u

if [[ $# -lt 2 ]]; then
  echo "usage: $0 LUNETTE LUA54 [MILLIONS_OF_TABLES]" >&2
  exit 2
fi
lunette=$1
lua54=$2
size=${3:-2.5}
program="$(cd "$(dirname "$0")" && pwd)/gc/pause.lua"
work=$(mktemp -d "${TMPDIR:-/tmp}/gc_pause.XXXXXX")
trap 'rm -rf "$work"' EXIT

# run NAME COMMAND...: runs the program, keeps its output in $work/NAME.out and the wall
# seconds in $work/NAME.wall.
run() {
  local name=$1
  shift
  local start end
  start=$(date +%s%N)
  if ! timeout 120 "$@" "$program" "$size" > "$work/$name.out" 2> "$work/$name.err"; then
    echo "gc_pause: $name failed:" >&2
    head -n 20 "$work/$name.err" >&2
    exit 1
  fi
  end=$(date +%s%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", (e - s) / 1e9 }' > "$work/$name.wall"
}

run lua54 "$lua54"
run lunette "$lunette" --gc=incremental

value() { awk -v k="$2" '$1 == k { print $2 }' "$work/$1.out"; }

if [[ "$(grep '^checksum' "$work/lua54.out")" != "$(grep '^checksum' "$work/lunette.out")" ]]; then
  echo "gc_pause: checksums differ" >&2
  exit 1
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
row() {  # label lunette lua54 unit
  printf '%-22s %12s %12s %8s\n' "$1" "$2 $4" "$3 $4" "$(ratio "$2" "$3")"
}

echo "GC pause: ${size}M small tables (lua5.4 heap $(value lua54 heap_mb) MB," \
  "lunette $(value lunette heap_mb) MB), incremental mode"
printf '%-22s %12s %12s %8s\n' "" "lunette" "lua5.4" "ratio"
printf '%-22s %12s %12s %8s\n' "longest step (trace)" "$(value lunette max_step_ms) ms" "-" "-"
row "longest gap (clock)" "$(value lunette max_gap_ms)" "$(value lua54 max_gap_ms)" ms
row "build" "$(value lunette build_s)" "$(value lua54 build_s)" s
row "churn" "$(value lunette churn_s)" "$(value lua54 churn_s)" s
row "total (wall)" "$(cat "$work/lunette.wall")" "$(cat "$work/lua54.wall")" s
exit 0
