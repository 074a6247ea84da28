#!/usr/bin/env bash
# The memory limit without thrashing (collector.h, "The memory limit"): runs the near-limit
# programs of tests/bench/memory_limit/ with and without a limit and prints, for each, the wall
# seconds of both runs, their ratio (limited / unlimited) and how the limited run ended
# ("finished" or "not enough memory"). Under a limit a program must either run at about its
# unlimited speed or fail promptly; before emergency collections were paced, close_dive did
# not finish within 60 s under 64 MB and near_limit 51 ran 12x slower.
#
# Usage: memory_limit.sh LUNETTE [--gc=MODE]
# A benchmark, not a test: the exit status is 0 unless a run crashes or times out (120 s).
set -u

if [[ $# -lt 1 ]]; then
  echo "usage: $0 LUNETTE [--gc=MODE]" >&2
  exit 2
fi
lunette=$1
shift
mode=("$@")
dir="$(cd "$(dirname "$0")" && pwd)/memory_limit"
work=$(mktemp -d "${TMPDIR:-/tmp}/memory_limit.XXXXXX")
trap 'rm -rf "$work"' EXIT

# timed NAME ARGS...: runs lunette, keeps stdout in $work/NAME.out, prints the wall seconds.
timed() {
  local name=$1
  shift
  local start end status
  start=$(date +%s%N)
  timeout 120 "$lunette" "${mode[@]}" "$@" > "$work/$name.out" 2> "$work/$name.err"
  status=$?
  end=$(date +%s%N)
  if [[ $status -ne 0 ]]; then
    echo "memory_limit: $name exited with status $status:" >&2
    head -n 5 "$work/$name.err" >&2
    exit 1
  fi
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) / 1e9 }'
}

# compare LABEL LIMIT PROGRAM [ARGS...]
compare() {
  local label=$1 limit=$2
  shift 2
  local free limited outcome
  free=$(timed "$label.free" "$dir/$1" "${@:2}")
  limited=$(timed "$label.limited" --memory-limit="$limit" "$dir/$1" "${@:2}")
  outcome=$(awk '$1 == "outcome" { $1 = ""; sub(/^ /, ""); print }' "$work/$label.limited.out")
  printf '%-34s %9s %9s %7s  %s\n' "$label" "$free" "$limited" \
    "$(awk -v a="$limited" -v b="$free" 'BEGIN { printf "%.2f", a / b }')" "$outcome"
}

printf '%-34s %9s %9s %7s  %s\n' "program (limit)" "no limit" "limited" "ratio" "limited run"
compare "close_dive (64 MB)" 67108864 close_dive.lua
compare "near_limit 51 MB live (60 MB)" 62914560 near_limit.lua 51
compare "near_limit 51 MB live (64 MB)" 67108864 near_limit.lua 51
compare "near_limit 40 MB live (60 MB)" 62914560 near_limit.lua 40
