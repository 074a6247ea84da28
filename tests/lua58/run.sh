#!/usr/bin/env bash
# Runs Lua scripts against an expected output instead of lua5.4: here, the scripts whose output
# follows Lua 5.4.8 where it differs from Debian's lua5.4 (5.4.4) (see README.md); also
# tests/shim (the server shims, which plain Lua lacks). Each NAME.lua runs under lunette from
# its own directory, seen by its base name, and its stdout must equal the NAME.expected beside
# it byte for byte; the exit status must be 0 unless the script's first 5 lines say
# `-- exit: N`. A line `-- args: ...` there gives lunette options (e.g. --shim=ngx).
#
# Usage: run.sh LUNETTE [SCRIPT...]    (no SCRIPT: every *.lua here)
#   LUNETTE_ARGS (optional, word-split): extra arguments placed before the script.
set -u

if [[ $# -lt 1 ]]; then
  echo "usage: $0 LUNETTE [SCRIPT...]" >&2
  exit 2
fi
lunette=$1
shift
[[ "$lunette" == */* ]] && lunette="$(cd "$(dirname "$lunette")" && pwd)/$(basename "$lunette")"
here=$(cd "$(dirname "$0")" && pwd)
scripts=("$@")
if [[ ${#scripts[@]} -eq 0 ]]; then
  scripts=("$here"/*.lua)
fi
extra_args=()
if [[ -n "${LUNETTE_ARGS:-}" ]]; then
  read -r -a extra_args <<< "$LUNETTE_ARGS"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/lua58.XXXXXX")
trap 'rm -rf "$work"' EXIT

failures=0
for script in "${scripts[@]}"; do
  name=$(basename "$script" .lua)
  dir=$(cd "$(dirname "$script")" && pwd)
  expected="$dir/$name.expected"
  if [[ ! -r "$expected" ]]; then
    echo "FAIL: $name: no $name.expected beside it"
    failures=$((failures + 1))
    continue
  fi
  want_status=0
  if line=$(head -n 5 "$dir/$name.lua" | grep -m1 -E '^-- exit: [0-9]+'); then
    want_status=${line#-- exit: }
  fi
  script_args=()
  if line=$(head -n 5 "$dir/$name.lua" | grep -m1 -E '^-- args: '); then
    read -r -a script_args <<< "${line#-- args: }"
  fi
  (cd "$dir" && timeout 30 "$lunette" "${extra_args[@]}" "${script_args[@]}" "$name.lua" \
    < /dev/null > "$work/out" 2> "$work/err")
  status=$?
  if [[ $status -eq $want_status ]] && cmp -s "$expected" "$work/out"; then
    continue
  fi
  failures=$((failures + 1))
  echo "FAIL: $name (exit status $status, expected $want_status)"
  echo "--- stdout diff (expected vs lunette) ---"
  diff -u -a --label expected --label lunette "$expected" "$work/out"
  echo "--- lunette stderr (first 20 lines) ---"
  head -n 20 "$work/err"
done
exit $((failures > 0))
