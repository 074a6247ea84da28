#!/usr/bin/env bash
# Footprint report: peak memory of lunette against the reference lua5.4, one kind of object at
# a time (footprint/*.lua: 1M small tables, 1M short strings, 1M closures, 100k parked
# coroutines) plus binary_trees.
#
# Usage: footprint.sh [LUNETTE [LUA54]] [filter]
#   LUNETTE defaults to build/lunette in the repository (built in Release mode if missing),
#   LUA54 to /usr/bin/lua5.4; filter (optional) is a substring of the program name.
# Each program runs 3 times per interpreter, alternating, under /usr/bin/time; the median peak
# RSS (kB) of each is printed with the ratio lunette/lua5.4. Each program also prints its own
# collectgarbage("count") at its peak ("heap_kb"), shown beside RSS so that heap accounting and
# allocator overhead can be told apart. Exit status: non-zero when an interpreter fails or the
# two disagree on a program's checksum; a ratio above 1 is not a failure (this is a report).
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
programs_dir="$root/tests/bench/footprint"
lunette=""
lua54=/usr/bin/lua5.4
filter=""
for a in "$@"; do
  if [[ -x "$a" && -f "$a" ]]; then
    if [[ -z "$lunette" ]]; then lunette=$a; else lua54=$a; fi
  else
    filter=$a
  fi
done
if [[ -z "$lunette" ]]; then
  lunette="$root/build/lunette"
  if [[ ! -x "$lunette" ]]; then
    cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null &&
      cmake --build "$root/build" -j2 --target lunette > /dev/null || exit 2
  fi
fi
runs=3
timeout_s=120

work=$(mktemp -d "${TMPDIR:-/tmp}/footprint.XXXXXX")
trap 'rm -rf "$work"' EXIT

# measure INTERP PROGRAM OUT: runs once; OUT gets stdout, OUT.rss the peak RSS in kB.
measure() {
  timeout "$timeout_s" /usr/bin/time -f %M -o "$3.rss" "$1" "$2" > "$3" 2> "$3.err"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
heapOf() { awk '$1 == "heap_kb" { printf "%.0f", $2 }' "$1"; }

failures=0
printf '%-13s %12s %12s %7s   %12s %12s %7s\n' program "lua5.4 RSS" "lunette RSS" ratio \
  "lua5.4 heap" "lunette heap" ratio
for program in "$programs_dir"/*.lua; do
  name=$(basename "$program" .lua)
  [[ -n "$filter" && "$name" != *"$filter"* ]] && continue
  ref_rss=()
  lun_rss=()
  problem=""
  for ((i = 1; i <= runs; i++)); do
    if ! measure "$lua54" "$program" "$work/ref.out"; then
      problem="lua5.4 failed: $(head -n 3 "$work/ref.out.err" | tr '\n' ' ')"
      break
    fi
    ref_rss+=("$(tail -n 1 "$work/ref.out.rss")")
    if ! measure "$lunette" "$program" "$work/lun.out"; then
      problem="lunette failed: $(head -n 3 "$work/lun.out.err" | tr '\n' ' ')"
      break
    fi
    lun_rss+=("$(tail -n 1 "$work/lun.out.rss")")
    if ! cmp -s <(grep -v '^heap_kb' "$work/ref.out") <(grep -v '^heap_kb' "$work/lun.out"); then
      problem="checksums differ"
      break
    fi
  done
  if [[ -n "$problem" ]]; then
    printf '%-13s FAILED: %s\n' "$name" "$problem"
    failures=$((failures + 1))
    continue
  fi
  ref=$(printf '%s\n' "${ref_rss[@]}" | median)
  lun=$(printf '%s\n' "${lun_rss[@]}" | median)
  ref_heap=$(heapOf "$work/ref.out")
  lun_heap=$(heapOf "$work/lun.out")
  awk -v n="$name" -v r="$ref" -v l="$lun" -v rh="$ref_heap" -v lh="$lun_heap" 'BEGIN {
    printf "%-13s %9d kB %9d kB %6.2fx   %9d kB %9d kB %6.2fx\n", n, r, l, l / r, rh, lh, lh / rh }'
done
if [[ $failures -gt 0 ]]; then
  echo "$failures program(s) failed"
  exit 1
fi
exit 0
