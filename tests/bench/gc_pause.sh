#!/usr/bin/env bash
# GC pause benchmark, five scenarios, each under lunette and lua5.4 in the same run:
#   1. tests/bench/gc/pause.lua: a ~200 MB heap of small tables, then a tight loop churning
#      garbage, incremental mode;
#   2. tests/bench/gc/mixed.lua, incremental: the mixed heap of issue 14 (1.2M small tables in a
#      1.2M-slot array, a 300k-entry string-keyed hash, 150k strings, 75k closures, 2000 parked
#      coroutines; ~200 MB) and a churn loop that allocates garbage and writes into the big
#      tables;
#   3. the same in generational mode (a young collection marks in one step and sweeps its
#      young segment in batches over the next steps: "longest minor" is the longest pause a
#      young collection caused);
#   4. scenario 2 with extras, incremental: also a coroutine parked ~200k stack slots deep
#      (its stack is walked in chunks) and 100k tables with __gc, of which the churn replaces
#      ~94k (the finalizable list is scanned and swept in chunks, finalizers run a few a step);
#      then the same in generational mode (a young collection looks only at the finalizable
#      objects registered since the last collection);
#   5. scenarios 2 and 3 in WebAssembly (node wasm/run.mjs), when the module is built.
# Each prints a table:
#   longest step   lunette: the longest collector step of the churn stage (gctrace step events);
#                  lua5.4: not observable (shown as -). Timed in thread CPU time when lunette
#                  has --gc-cpu-clock (a loaded machine's scheduler otherwise adds its slices)
#                  (GC_PAUSE_WALL_CLOCK=1 keeps the wall clock)
#   p99 step       lunette: the 99th-percentile step of the churn stage (mixed heap only)
#   longest gap    both: the longest gap between two consecutive churn iterations, which
#                  includes whatever collector work ran between them: lua5.4 on os.clock,
#                  lunette on the mixed heap on lunette.clock, the clock its steps are timed
#                  with (one read per iteration either way; in wasm performance.now())
#                  (mixed heap: the best of GC_PAUSE_RUNS runs, each run's listed, and how many
#                  gaps of each run were over 2 ms; see "Each mixed-heap program" below)
#   idle gap       both (mixed heap): the same in a loop that allocates nothing, with the
#                  collector stopped, as long on the clock as the churn: the floor the machine
#                  (a loaded one's scheduler, the JavaScript engine in wasm) puts under the
#                  longest gap
#   build / churn  os.clock seconds of the two stages; total: wall seconds of the whole run
# and the ratios lunette/lua5.4. A benchmark, not a test: the exit status is 0 unless a
# program fails or the checksums differ.
#
# Usage: gc_pause.sh LUNETTE LUA54 [MILLIONS_OF_TABLES [MIXED_SCALE]]
#   MILLIONS_OF_TABLES: pause.lua's heap (default 2.5, about 200 MB in lua5.4);
#   MIXED_SCALE: mixed.lua's heap as a fraction of the issue's (default 1, about 200 MB)
#   GC_PAUSE_RUNS: how many times each mixed-heap program runs on each side (default 3)
set -u

if [[ $# -lt 2 ]]; then
  echo "usage: $0 LUNETTE LUA54 [MILLIONS_OF_TABLES]" >&2
  exit 2
fi
lunette=$1
lua54=$2
size=${3:-2.5}
scale=${4:-1}
here="$(cd "$(dirname "$0")" && pwd)"
work=$(mktemp -d "${TMPDIR:-/tmp}/gc_pause.XXXXXX")
trap 'rm -rf "$work"' EXIT

# run NAME PROGRAM ARGS -- COMMAND...: runs the program, keeps its output in $work/NAME.out and
# the wall seconds in $work/NAME.wall.
run() {
  local name=$1 program=$2 args=$3
  shift 3
  local start end
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  if ! timeout 300 "$@" "$program" $args > "$work/$name.out" 2> "$work/$name.err"; then
    echo "gc_pause: $name failed:" >&2
    head -n 20 "$work/$name.err" >&2
    exit 1
  fi
  end=$(date +%s%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", (e - s) / 1e9 }' > "$work/$name.wall"
}

value() { awk -v k="$2" '$1 == k { print $2 }' "$work/$1.out"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
row() {  # label lunette lua54 unit
  printf '%-22s %12s %12s %8s\n' "$1" "$2 $4" "$3 $4" "$(ratio "$2" "$3")"
}
lunette_only() {  # label value unit
  printf '%-22s %12s %12s %8s\n' "$1" "$2 $3" "-" "-"
}
same_checksum() {
  if [[ "$(grep '^checksum' "$work/$1.out")" != "$(grep '^checksum' "$work/$2.out")" ]]; then
    echo "gc_pause: checksums differ ($1, $2)" >&2
    exit 1
  fi
}

# Native runs (lunette and lua5.4 alike) are pinned to one core (taskset -c 1) when the machine
# allows it: unpinned, the scheduler migrating the process between loaded cores put 2-3 ms
# gaps into the churn loop that were no collector's (0.3-0.5 ms pinned). Pinning, rather than
# reading gaps in thread CPU time, keeps lua5.4's gaps comparable (it has os.clock only) and
# still shows a descheduling as a gap. The WebAssembly runs are not pinned: node's own
# threads (V8's concurrent marking and compilation) would then compete with the mutator.
# GC_PAUSE_NO_PIN=1 runs unpinned.
pin=()
pin_name="unpinned"
if [[ -z "${GC_PAUSE_NO_PIN:-}" ]] && command -v taskset > /dev/null && taskset -c 1 true 2> /dev/null; then
  pin=(taskset -c 1)
  pin_name="pinned to core 1"
fi

clock_flag=()
clock_name="wall clock"
if [[ -z "${GC_PAUSE_WALL_CLOCK:-}" ]] && "$lunette" --gc-cpu-clock -e '' > /dev/null 2>&1; then
  clock_flag=(--gc-cpu-clock)
  clock_name="thread CPU time"
fi

# ---- 1. small tables ----
run lua54 "$here/gc/pause.lua" "$size" "${pin[@]}" "$lua54"
run lunette "$here/gc/pause.lua" "$size" "${pin[@]}" "$lunette" "${clock_flag[@]}" --gc=incremental
same_checksum lua54 lunette
echo "GC pause: ${size}M small tables (lua5.4 heap $(value lua54 heap_mb) MB," \
  "lunette $(value lunette heap_mb) MB), incremental mode; steps timed in $clock_name; $pin_name"
printf '%-22s %12s %12s %8s\n' "" "lunette" "lua5.4" "ratio"
lunette_only "longest step (trace)" "$(value lunette max_step_ms)" ms
row "longest gap (clock)" "$(value lunette max_gap_ms)" "$(value lua54 max_gap_ms)" ms
row "build" "$(value lunette build_s)" "$(value lua54 build_s)" s
row "churn" "$(value lunette churn_s)" "$(value lua54 churn_s)" s
row "total (wall)" "$(cat "$work/lunette.wall")" "$(cat "$work/lua54.wall")" s

# grows_in_churn A: "N, longest X ms": the engine's memory.grow calls (wasm_memory_grow.mjs)
# that began inside the churn window of run A; the mutator stands still during each.
grows_in_churn() {
  awk '$1 == "churn_window_ms" { from = $2; to = $3 }
       $1 == "memory_grow" { start[++n] = $2; took[n] = $3 }
       END {
         for (i = 1; i <= n; ++i) if (start[i] >= from && start[i] <= to) { ++count; if (took[i] > longest) longest = took[i] }
         printf "%d, longest %.3f ms\n", count, longest
       }' "$work/$1.out"
}

# Each mixed-heap program runs GC_PAUSE_RUNS times (default 3) under each side, alternating.
# Its rows are the worst run's for the collector's own steps, and the best run's for the gaps
# (each run's listed beside): a pause of the engine's recurs in every run of the same program on
# the same heap, while the machine's stalls come in rare bursts (the idle loop shows them; on a
# loaded virtual machine a ten-line C loop sees up to 17 ms of thread CPU time between two
# iterations, with no page fault), so the best run is the engine's longest gap and the worst
# run's excess is the machine's. Build, churn and total times are the runs' medians.
runs=${GC_PAUSE_RUNS:-3}

# across FUNCTION NAME KEY: FUNCTION (max, min, median or each) of KEY over NAME's runs;
# "wall" as KEY reads the wall seconds.
across() {
  local fn=$1 name=$2 key=$3 k
  for ((k = 1; k <= runs; ++k)); do
    if [[ $key == wall ]]; then cat "$work/$name-$k.wall"; else value "$name-$k" "$key"; fi
  done | awk -v fn="$fn" '
    { v[++n] = $1 + 0; text[n] = $1 }
    END {
      if (n == 0) exit
      if (fn == "each") { out = text[1]; for (i = 2; i <= n; ++i) out = out "/" text[i]; print out; exit }
      for (i = 1; i <= n; ++i) for (j = i + 1; j <= n; ++j) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t; t = text[i]; text[i] = text[j]; text[j] = t }
      if (fn == "min") print text[1]; else if (fn == "max") print text[n]; else print text[int((n + 1) / 2)]
    }'
}

# mixed_rows A B MODE: the rows of a mixed-heap table, runs A (lunette or wasm) against runs B
# (lua5.4) in MODE.
mixed_rows() {
  local a=$1 b=$2 mode=$3 k
  lunette_only "longest step (trace)" "$(across max "$a" max_step_ms)" ms
  lunette_only "p99 step (trace)" "$(across max "$a" p99_step_ms)" ms
  lunette_only "steps over 1 ms" "$(across max "$a" steps_over_1ms)" ""
  [[ $mode == generational ]] && lunette_only "longest minor" "$(across max "$a" max_minor_ms)" ms
  row "longest gap, best run" "$(across min "$a" max_gap_ms)" "$(across min "$b" max_gap_ms)" ms
  printf '  %-20s %s ms; lua5.4 %s ms\n' "each run" "$(across each "$a" max_gap_ms)" "$(across each "$b" max_gap_ms)"
  printf '  %-20s %s; lua5.4 %s\n' "gaps over 2 ms" "$(across each "$a" gaps_over_2ms)" "$(across each "$b" gaps_over_2ms)"
  printf '%-22s %s ms; lua5.4 %s ms\n' "idle gap, each run" "$(across each "$a" idle_gap_ms)" "$(across each "$b" idle_gap_ms)"
  printf '  %-20s %s; lua5.4 %s\n' "idle gaps over 2 ms" "$(across each "$a" idle_gaps_over_2ms)" "$(across each "$b" idle_gaps_over_2ms)"
  if grep -q '^memory_grow' "$work/$a-1.out"; then
    for ((k = 1; k <= runs; ++k)); do
      lunette_only "memory.grow in churn" "$(grows_in_churn "$a-$k")" ""
    done
  fi
  row "build (median)" "$(across median "$a" build_s)" "$(across median "$b" build_s)" s
  row "churn (median)" "$(across median "$a" churn_s)" "$(across median "$b" churn_s)" s
  row "total (median wall)" "$(across median "$a" wall)" "$(across median "$b" wall)" s
}

# ---- 2, 3, 4. the mixed heap, then with the extras (both modes) ----
for variant in incremental generational incremental-extras generational-extras; do
  mode=${variant%%-*}
  extras="" label="mixed heap"
  if [[ $variant == *-extras ]]; then
    extras=extras label="mixed heap with a deep coroutine and 100k finalizable tables"
  fi
  for ((k = 1; k <= runs; ++k)); do
    run "lua54-$variant-$k" "$here/gc/mixed.lua" "$mode $scale $extras" "${pin[@]}" "$lua54"
    run "lunette-$variant-$k" "$here/gc/mixed.lua" "$mode $scale $extras" "${pin[@]}" "$lunette" "${clock_flag[@]}"
    same_checksum "lua54-$variant-$k" "lunette-$variant-$k"
  done
  a="lunette-$variant" b="lua54-$variant"
  echo
  echo "GC pause: $label x$scale (lua5.4 heap $(value "$b-1" heap_mb) MB, lunette" \
    "$(value "$a-1" heap_mb) MB), $mode mode; $(value "$a-1" steps) steps in the churn; $runs runs"
  printf '%-22s %12s %12s %8s\n' "" "lunette" "lua5.4" "ratio"
  mixed_rows "$a" "$b" "$mode"
done

# ---- 5. the mixed heap in WebAssembly (node wasm/run.mjs), both modes ----
# Against the same lua5.4 runs as sections 2 and 3. The module's clock is the wall clock (no
# thread CPU time in wasm), so on a loaded machine its steps and gaps include the scheduler's
# slices: the idle gap shows how much. The "memory.grow in churn" row counts the engine's grows of
# the module's memory during the churn and the longest (tests/bench/gc/wasm_memory_grow.mjs):
# each stops the mutator for as long, outside the collector.
wasm_dir="$here/../../wasm"
if command -v node > /dev/null && [[ -f "$wasm_dir/dist/lunette.wasm" ]]; then
  for mode in incremental generational; do
    for ((k = 1; k <= runs; ++k)); do
      run "wasm-$mode-$k" "$here/gc/mixed.lua" "$mode $scale" node --import "$here/gc/wasm_memory_grow.mjs" \
        "$wasm_dir/run.mjs" --gc=$mode
      same_checksum "lua54-$mode-$k" "wasm-$mode-$k"
    done
    a="wasm-$mode" b="lua54-$mode"
    echo
    echo "GC pause: mixed heap x$scale in WebAssembly (heap $(value "$a-1" heap_mb) MB), $mode" \
      "mode; $(value "$a-1" steps) steps in the churn; steps timed in wall clock; $runs runs"
    printf '%-22s %12s %12s %8s\n' "" "wasm" "lua5.4" "ratio"
    mixed_rows "$a" "$b" "$mode"
  done
else
  echo
  echo "GC pause: WebAssembly skipped (needs node and wasm/dist/lunette.wasm: bash wasm/build.sh)"
fi
exit 0
