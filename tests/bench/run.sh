#!/usr/bin/env bash
# Benchmark runner: times lunette against the reference lua5.4 on tests/bench/programs/*.lua.
#
# Usage: run.sh LUNETTE LUA54 [filter]
#   filter (optional) is a substring of the program name (e.g. "coro" or "fib").
# Each program runs 3 times per interpreter (BENCH_RUNS=N for more: on a noisy machine one burst
# can outlast three alternations), alternating lua5.4 / lunette so that machine noise hits both
# alike; the best (smallest) wall time of each is kept. Prints per program the lua5.4
# seconds, lunette seconds and ratio lunette/lua5.4, then the geometric mean of the ratios.
# Exit status: 0 even when lunette is slower (this is a benchmark, not a test), non-zero when an
# interpreter fails (non-zero status or timeout) or their outputs (each program prints a
# checksum) differ. PEER_NAME (default lua5.4) names the second interpreter in the output.
set -u

if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: $0 LUNETTE LUA54 [filter]" >&2
  exit 2
fi
lunette=$1
lua54=$2
peer=${PEER_NAME:-lua5.4}
filter=${3:-}
runs=${BENCH_RUNS:-3}
timeout_s=60
programs_dir=$(cd "$(dirname "$0")/programs" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

now_ns() { date +%s%N; }

# time_run INTERP PROGRAM OUTFILE: runs once, prints elapsed nanoseconds; returns its status.
time_run() {
  local start end status
  start=$(now_ns)
  timeout "$timeout_s" "$1" "$2" > "$3" 2> "$3.err"
  status=$?
  end=$(now_ns)
  echo $((end - start))
  return $status
}

failures=0
ratios=()
printf '%-16s %10s %10s %8s\n' program "$peer" lunette ratio
for program in "$programs_dir"/*.lua; do
  name=$(basename "$program" .lua)
  [[ -n "$filter" && "$name" != *"$filter"* ]] && continue
  best_ref=""
  best_lun=""
  problem=""
  for ((i = 1; i <= runs; i++)); do
    t=$(time_run "$lua54" "$program" "$work/ref.out")
    status=$?
    if [[ $status -ne 0 ]]; then
      problem="lua5.4 exited with status $status: $(head -n 3 "$work/ref.out.err" | tr '\n' ' ')"
      break
    fi
    [[ -z "$best_ref" || $t -lt $best_ref ]] && best_ref=$t
    t=$(time_run "$lunette" "$program" "$work/lun.out")
    status=$?
    if [[ $status -ne 0 ]]; then
      problem="lunette exited with status $status: $(head -n 3 "$work/lun.out.err" | tr '\n' ' ')"
      break
    fi
    [[ -z "$best_lun" || $t -lt $best_lun ]] && best_lun=$t
    if ! cmp -s "$work/ref.out" "$work/lun.out"; then
      problem="outputs differ: $(diff "$work/ref.out" "$work/lun.out" | head -n 4 | tr '\n' ' ')"
      break
    fi
  done
  if [[ -n "$problem" ]]; then
    printf '%-16s FAILED: %s\n' "$name" "$problem"
    failures=$((failures + 1))
    continue
  fi
  ratio=$(awk -v l="$best_lun" -v r="$best_ref" 'BEGIN { printf "%.2f", l / r }')
  ratios+=("$(awk -v l="$best_lun" -v r="$best_ref" 'BEGIN { printf "%.6f", l / r }')")
  awk -v n="$name" -v r="$best_ref" -v l="$best_lun" -v q="$ratio" \
    'BEGIN { printf "%-16s %10.3f %10.3f %8s\n", n, r / 1e9, l / 1e9, q }'
done

if [[ ${#ratios[@]} -gt 0 ]]; then
  printf '%s\n' "${ratios[@]}" |
    awk '{ s += log($1); n++ }
      END { printf "geometric mean ratio (lunette/'"$peer"'): %.2f over %d programs\n",
                   exp(s / n), n }'
else
  echo "no programs measured"
fi
if [[ $failures -gt 0 ]]; then
  echo "$failures program(s) failed"
  exit 1
fi
exit 0
