#!/usr/bin/env bash
# Differential testing with generated programs (issue 15, item 1c): tests/diff/generate.lua
# writes a random program for each seed, and lunette must print exactly what lua5.4 prints for
# it and exit the same way (tests/lua/difftest.sh compares them). A program that differs is
# kept in DIR/failures/ with both outputs, to become a regression test under tests/lua.
#
# Usage: tests/diff/run.sh LUNETTE LUA54 [COUNT] [FIRST_SEED]   (default 300 programs from 1)
# Environment: LUNETTE_DIFF_DIR (default build/diff), LUNETTE_JOBS (default 2).
set -u
if [[ $# -lt 2 ]]; then
  echo "usage: $0 LUNETTE LUA54 [COUNT] [FIRST_SEED]" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
lunette=$(realpath "$1")
lua54=$2
count=${3:-300}
first=${4:-1}
dir=${LUNETTE_DIFF_DIR:-build/diff}
mkdir -p "$dir/programs" "$dir/failures"
rm -f "$dir/failures/"*

check() {  # SEED: generates and compares one program; prints the seed when they differ
  local seed=$1 program="$dir/programs/gen$1.lua"
  "$lua54" "$here/generate.lua" "$seed" > "$program" || { echo "generator failed: $seed"; return; }
  if ! bash "$here/../lua/difftest.sh" "$lunette" "$lua54" "$program" > "$dir/programs/gen$seed.log" 2>&1; then
    cp "$program" "$dir/programs/gen$seed.log" "$dir/failures/"
    echo "differs: seed $seed"
  fi
}
export -f check
export here lunette lua54 dir

seq "$first" $((first + count - 1)) |
  xargs -P "${LUNETTE_JOBS:-2}" -I{} bash -c 'check {}' | tee "$dir/report.txt"
failures=$(ls "$dir/failures" | grep -c '\.lua$')
echo "diff: $count generated programs (seeds $first..$((first + count - 1))), $failures differ"
[[ $failures -eq 0 ]]
