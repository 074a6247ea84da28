#!/usr/bin/env bash
# The inspector's cost in time, as its share of perf's cpu-clock samples within one run: the
# share of samples that land in inspector-owned symbols (inspect/: Inspector, Recording,
# CoroutineRegistry, ClockMap, sampleState, StepStats) and, beside it, the clock's share with
# and without the inspector. Wall time on a shared VM moves by 10-30% between runs; shares
# within one run do not (both halves of the comparison are timed by the same noise), so a change
# to the inspector's hot paths can be judged by them.
#
# Usage: inspector_share.sh LUNETTE [PROGRAM [N [RUNS]]]
#   PROGRAM defaults to programs/coro_create_drop.lua, N (its argument) to its own default,
#   RUNS to 3. Needs perf (the software cpu-clock event: no hardware counters needed).
# What it does not count: inspector work inlined into VM functions (the birth in
# coroutine.create, a switch's bookkeeping in setCoStatus); those show as the VM functions
# growing against --no-inspector. The ratio the issue targets is time on / time off; the
# inspector's share s of the run bounds it from below by 1 / (1 - s).
set -u
if [[ $# -lt 1 || $# -gt 4 ]]; then
  echo "usage: $0 LUNETTE [PROGRAM [N [RUNS]]]" >&2
  exit 2
fi
command -v perf > /dev/null || { echo "$0: perf is missing (apt-get install linux-perf)" >&2; exit 2; }
lunette=$(realpath "$1")
program=${2:-$(dirname "$0")/programs/coro_create_drop.lua}
n=${3:-}
runs=${4:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/inspector_share.XXXXXX")
trap 'rm -rf "$work"' EXIT
owned='Inspector::|Recording::|CoroutineRegistry::|ClockMap::|sampleState|StepStats::|EventRing::|RecordRing'

# share DATA REGEX: the percentage of DATA's samples whose symbol matches REGEX.
share() {
  perf report -i "$1" --no-children --stdio --sort sym 2> /dev/null |
    awk -v re="$2" '!/^#/ && $0 ~ re { gsub("%", "", $1); s += $1 } END { printf "%.2f", s }'
}
# profile OUT MODE...: records one run into OUT; fails when the program does.
profile() {
  local out=$1
  shift
  perf record -q -e cpu-clock -F 10000 -o "$out" "$lunette" "$@" "$program" $n > /dev/null 2>&1
}

printf '%-5s %12s %14s %14s\n' "run" "inspector %" "clock % (on)" "clock % (off)"
total=0
for ((run = 1; run <= runs; ++run)); do
  profile "$work/on.data" || { echo "$0: the run failed" >&2; exit 1; }
  profile "$work/off.data" --no-inspector || { echo "$0: the run failed" >&2; exit 1; }
  mine=$(share "$work/on.data" "$owned")
  printf '%-5s %12s %14s %14s\n' "$run" "$mine" "$(share "$work/on.data" clock_gettime)" \
    "$(share "$work/off.data" clock_gettime)"
  total=$(echo "$total $mine" | awk '{ print $1 + $2 }')
done
echo "mean inspector share: $(echo "$total $runs" | awk '{ printf "%.2f", $1 / $2 }')%  ($(basename "$program") ${n:-default}; load: $(cut -d' ' -f1-3 /proc/loadavg))"
