#!/usr/bin/env bash
# Runs every example in examples/ with the lunette CLI and checks that it still makes its point.
#
# Usage: run.sh LUNETTE [NAME...]
#   NAME is an example's base name (leak_factory); the default is every examples/*.lua.
#   EXAMPLE_MODES (optional, word-split): the collector modes to run each example under;
#   "default" means no --gc switch (the CLI's own choice). Default: all four.
#   LUNETTE_ARGS (optional, word-split): extra arguments before the script, e.g. a GC stress
#   switch. EXAMPLE_TIME_LIMIT: seconds per run (default 20).
#
# Each example prints machine-checkable lines `CHECK name value` (value: the rest of the line).
# tests/examples/expect/NAME.expect lists what they must say, one check a line:
#     name = text        the value is exactly `text`
#     name == n          numeric comparisons: == != < <= > >=
#     name ~ regex       the value matches the extended regular expression
# ('#' starts a comment line). An example passes when, under every mode, it exits with status 0
# within the time limit, prints every expected check exactly once and no unexpected one, and
# every comparison holds. The header is checked too: line 1 `-- Title: ...`, line 2 a one-line
# description comment, line 3 `-- Watch: ...` (the playground builds its menu from the first two).
# A `-- Server: ngx` (or skynet) line in the leading comments makes the example a server handler:
# it runs with `--shim=NAME`, as the playground runs it with that Server selected.
#
# Prints PASS/FAIL per example (with the reasons) and a final line "N passed, M failed"; exits 1
# when anything failed, 2 on bad usage. lua5.4 is never used: the examples need the lunette module.
set -u

if [[ $# -lt 1 ]]; then
  echo "usage: $0 LUNETTE [NAME...]" >&2
  exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
examples="$root/examples"
expectations="$here/expect"
time_limit=${EXAMPLE_TIME_LIMIT:-20}
read -r -a modes <<< "${EXAMPLE_MODES:-default generational incremental luajit}"
read -r -a extra_args <<< "${LUNETTE_ARGS:-}"

lunette=$1
shift
if [[ "$lunette" == */* ]]; then
  lunette="$(cd "$(dirname "$lunette")" && pwd)/$(basename "$lunette")"
fi
if [[ ! -x "$lunette" ]] && ! command -v "$lunette" > /dev/null; then
  echo "run.sh: no executable '$lunette'" >&2
  exit 2
fi

if [[ $# -gt 0 ]]; then
  names=("$@")
else
  names=()
  for f in "$examples"/*.lua; do names+=("$(basename "$f" .lua)"); done
fi

# check_header FILE: prints a reason for each header-convention violation.
check_header() {
  local line1 line2 line3
  line1=$(sed -n 1p "$1")
  line2=$(sed -n 2p "$1")
  line3=$(sed -n 3p "$1")
  [[ "$line1" =~ ^--\ Title:\ .+ ]] || echo "line 1 is not '-- Title: ...'"
  [[ "$line2" =~ ^--\ [^[:space:]].* && ! "$line2" =~ ^--\ Watch: ]] ||
    echo "line 2 is not a one-line description comment"
  [[ "$line3" =~ ^--\ Watch:\ .+ ]] || echo "line 3 is not '-- Watch: ...'"
}

# verify OUTPUT_FILE EXPECT_FILE: prints a reason for each failed expectation.
verify() {
  awk -v expect_file="$2" '
    function numeric(s) { return s ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/ }
    BEGIN {
      while ((getline line < expect_file) > 0) {
        if (line ~ /^[ \t]*(#|$)/) continue
        n = split(line, f, /[ \t]+/)
        name = f[1]; op = f[2]
        value = line
        sub(/^[ \t]*[^ \t]+[ \t]+[^ \t]+[ \t]?/, "", value)
        if (n < 2 || op !~ /^(=|==|!=|<|<=|>|>=|~)$/) {
          printf "bad expectation line: %s\n", line
          continue
        }
        want_op[name] = op; want[name] = value; order[++count] = name
      }
    }
    /^CHECK / {
      name = $2
      value = $0
      sub(/^CHECK [^ ]+ ?/, "", value)
      seen[name]++
      got[name] = value
      if (!(name in want)) printf "unexpected check: %s %s\n", name, value
    }
    END {
      for (i = 1; i <= count; i++) {
        name = order[i]; op = want_op[name]; w = want[name]
        if (!(name in seen)) { printf "missing check: %s\n", name; continue }
        if (seen[name] > 1) { printf "check printed %d times: %s\n", seen[name], name; continue }
        g = got[name]
        ok = 0
        if (op == "=") ok = (g == w)
        else if (op == "~") ok = (g ~ w)
        else if (!numeric(g) || !numeric(w)) ok = 0
        else if (op == "==") ok = (g + 0 == w + 0)
        else if (op == "!=") ok = (g + 0 != w + 0)
        else if (op == "<") ok = (g + 0 < w + 0)
        else if (op == "<=") ok = (g + 0 <= w + 0)
        else if (op == ">") ok = (g + 0 > w + 0)
        else if (op == ">=") ok = (g + 0 >= w + 0)
        if (!ok) printf "%s: got \"%s\", want %s %s\n", name, g, op, w
      }
    }' "$1"
}

passed=0
failed=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

for name in "${names[@]}"; do
  script="$examples/$name.lua"
  expect="$expectations/$name.expect"
  reasons=()
  if [[ ! -f "$script" ]]; then
    reasons+=("no such example: examples/$name.lua")
  elif [[ ! -f "$expect" ]]; then
    reasons+=("no expectations: tests/examples/expect/$name.expect")
  else
    while IFS= read -r r; do reasons+=("header: $r"); done < <(check_header "$script")
    server=$(awk '!/^--/ { exit } match($0, /^-- Server: (ngx|skynet)[ \t]*$/) { print $3 }' "$script")
    for mode in "${modes[@]}"; do
      args=("${extra_args[@]}")
      [[ -n "$server" ]] && args+=("--shim=$server")
      [[ "$mode" != default ]] && args+=("--gc=$mode")
      out="$scratch/$name.$mode.out"
      err="$scratch/$name.$mode.err"
      (cd "$examples" && timeout "$time_limit" "$lunette" "${args[@]}" "$name.lua") \
        > "$out" 2> "$err"
      status=$?
      if [[ $status -eq 124 ]]; then
        reasons+=("[$mode] timed out after ${time_limit}s")
        continue
      elif [[ $status -ne 0 ]]; then
        reasons+=("[$mode] exit status $status: $(head -c 300 "$err" | tr '\n' ' ')")
      fi
      while IFS= read -r r; do reasons+=("[$mode] $r"); done < <(verify "$out" "$expect")
    done
  fi
  if [[ ${#reasons[@]} -eq 0 ]]; then
    echo "PASS $name (${modes[*]})"
    passed=$((passed + 1))
  else
    echo "FAIL $name"
    for r in "${reasons[@]}"; do echo "    $r"; done
    failed=$((failed + 1))
  fi
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
