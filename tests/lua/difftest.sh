#!/usr/bin/env bash
# Differential test: runs one Lua script under lunette and under the reference lua5.4 and passes
# iff both print the same stdout and exit with the same status.
#
# Usage: difftest.sh LUNETTE LUA54 SCRIPT
#   Both interpreters run from the script's directory (relative files resolve there) and see the
#   script by its base name, so error messages carrying the chunk name match.
#   Stderr is captured but not compared: the program name in the messages differs.
#   LUNETTE_ARGS (optional, word-split): extra arguments placed before the script for lunette only
#   (e.g. a GC stress switch).
#   Directives in the script's first 5 lines:
#     -- args: a b c       arguments given to both after the script name
#     -- stdin: file.txt   a file (relative to the script) fed to both as stdin
set -u

if [[ $# -ne 3 ]]; then
  echo "usage: $0 LUNETTE LUA54 SCRIPT" >&2
  exit 2
fi

# Interpreter paths must survive the cd below; bare names are left to the PATH search.
resolve() {
  if [[ "$1" == */* ]]; then
    (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")")
  else
    printf '%s\n' "$1"
  fi
}
lunette=$(resolve "$1")
lua54=$(resolve "$2")
script_dir=$(cd "$(dirname "$3")" && pwd)
script=$(basename "$3")
timeout_s=30

# Read the directives; args are word-split, like a shell command line without quoting.
script_args=()
stdin_file=/dev/null
while IFS= read -r line; do
  if [[ "$line" =~ ^--\ args:\ *(.*)$ ]]; then
    read -r -a script_args <<< "${BASH_REMATCH[1]}"
  elif [[ "$line" =~ ^--\ stdin:\ *(.*[^[:space:]])[[:space:]]*$ ]]; then
    stdin_file=${BASH_REMATCH[1]}
  fi
done < <(head -n 5 "$script_dir/$script")

extra_args=()
if [[ -n "${LUNETTE_ARGS:-}" ]]; then
  read -r -a extra_args <<< "$LUNETTE_ARGS"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/difftest.XXXXXX")
trap 'rm -rf "$work"' EXIT

cd "$script_dir" || exit 2
if [[ ! -r "$stdin_file" ]]; then
  echo "difftest: stdin file '$stdin_file' not found next to $script" >&2
  exit 2
fi

timeout "$timeout_s" "$lua54" "$script" "${script_args[@]}" \
  < "$stdin_file" > "$work/ref.out" 2> "$work/ref.err"
ref_status=$?
timeout "$timeout_s" "$lunette" "${extra_args[@]}" "$script" "${script_args[@]}" \
  < "$stdin_file" > "$work/lun.out" 2> "$work/lun.err"
lun_status=$?

if [[ $ref_status -eq $lun_status ]] && cmp -s "$work/ref.out" "$work/lun.out"; then
  exit 0
fi

echo "FAIL: $script (lua5.4 status $ref_status, lunette status $lun_status)"
[[ $ref_status -eq 124 ]] && echo "lua5.4 timed out after ${timeout_s}s"
[[ $lun_status -eq 124 ]] && echo "lunette timed out after ${timeout_s}s"
echo "--- stdout diff (lua5.4 vs lunette) ---"
diff -u -a --label lua5.4 --label lunette "$work/ref.out" "$work/lun.out"
echo "--- lunette stderr (first 20 lines) ---"
head -n 20 "$work/lun.err"
exit 1
