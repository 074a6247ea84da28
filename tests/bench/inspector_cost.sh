#!/usr/bin/env bash
# The inspector's cost on a coroutine-churning program, counted rather than timed: callgrind's
# instruction count and cachegrind's simulated cache misses of one binary with the inspector
# against the same binary with --no-inspector, in the same run. On a noisy VM the time ratio of
# tracing.sh moves by 10-30% between runs; these counts do not move, so a change to the
# inspector's hot paths can be judged by them (they are a proxy: time is what the target is in).
#
# Usage: inspector_cost.sh LUNETTE [PROGRAM [N]]
#   PROGRAM defaults to programs/coro_create_drop.lua, N (its argument) to 200000.
# Prints instructions with and without the inspector, their ratio and the extra instructions per
# unit of N; then first-level and last-level data misses with and without (a 1 MB last level,
# the size of one core's share of this machine type's cache, so that a ring of records larger
# than the cache shows as misses). Needs valgrind (apt-get install valgrind).
set -u
if [[ $# -lt 1 || $# -gt 3 ]]; then
  echo "usage: $0 LUNETTE [PROGRAM [N]]" >&2
  exit 2
fi
command -v valgrind > /dev/null || { echo "$0: valgrind is missing (apt-get install valgrind)" >&2; exit 2; }
lunette=$(realpath "$1")
program=${2:-$(dirname "$0")/programs/coro_create_drop.lua}
n=${3:-200000}
work=$(mktemp -d "${TMPDIR:-/tmp}/inspector_cost.XXXXXX")
trap 'rm -rf "$work"' EXIT

# instructions MODE...: the program's instruction count under callgrind; fails when the
# program does (valgrind passes its exit status on).
instructions() {
  local report
  report=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$lunette" "$@" "$program" "$n" \
    2>&1 > /dev/null) || return 1
  awk '/Collected :/ { print $NF }' <<< "$report"
}
# misses OUT MODE...: cachegrind's data-miss summary lines into OUT.
misses() {
  local out=$1
  shift
  valgrind --tool=cachegrind --cache-sim=yes --LL=1048576,16,64 --cachegrind-out-file=/dev/null \
    "$lunette" "$@" "$program" "$n" 2>&1 > /dev/null | sed -n 's/^==[0-9]*== //p' > "$out"
}
miss_count() { awk -v what="$2" '$1 " " $2 == what { gsub(",", "", $3); print $3 }' "$1"; }

if ! on=$(instructions) || ! off=$(instructions --no-inspector) || [[ -z "$on" || -z "$off" ]]; then
  echo "$0: a run failed under callgrind" >&2
  exit 1
fi
misses "$work/on" &
misses "$work/off" --no-inspector
wait
printf '%-28s %15s %15s %8s\n' "$(basename "$program") $n" "inspector" "--no-inspector" "ratio"
printf '%-28s %15d %15d %8.3f\n' "instructions" "$on" "$off" "$(echo "$on $off" | awk '{ print $1 / $2 }')"
for what in "D1 misses:" "LLd misses:"; do
  a=$(miss_count "$work/on" "$what")
  b=$(miss_count "$work/off" "$what")
  printf '%-28s %15d %15d %8.2f\n' "${what%:}" "$a" "$b" "$(echo "$a $b" | awk '{ print $2 ? $1 / $2 : 0 }')"
done
echo "extra instructions per unit of N: $(echo "$on $off $n" | awk '{ printf "%.0f", ($1 - $2) / $3 }')"
