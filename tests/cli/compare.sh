#!/usr/bin/env bash
# lunette --compare: a churning script under pause 100 and pause 400 gives the larger peak and
# fewer cycles to 400, the table has a row per setting in order, a script whose output depends
# on the collector is flagged, and bad settings are refused. Usage: compare.sh LUNETTE
set -u
lunette=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cat > "$work/churn.lua" <<'LUA'
local keep = {}
for i = 1, 200000 do keep[i % 3000 + 1] = {i, {i}} end
print("done")
LUA
"$lunette" --compare "incremental pause=100" "incremental pause=400" "$work/churn.lua" > "$work/table" 2>&1 \
  || fail "exit status $? for a script that runs fine"
cat "$work/table"
# Columns after the setting's two words: status, peak KB, final KB, cycles, ...
row() { grep -E "^incremental pause=$1 " "$work/table" | awk '{print $'"$2"'}'; }
peak100=$(row 100 4); peak400=$(row 400 4); cycles100=$(row 100 6); cycles400=$(row 400 6)
[[ -n "$peak100" && -n "$peak400" ]] || fail "no rows for both settings"
awk -v a="${peak400%\*}" -v b="${peak100%\*}" 'BEGIN { exit !(a > b) }' || fail "peak under pause 400 ($peak400) is not above pause 100 ($peak100)"
awk -v a="${cycles400%\*}" -v b="${cycles100%\*}" 'BEGIN { exit !(a < b) }' || fail "pause 400 ran $cycles400 cycles, pause 100 $cycles100"
[[ "$(grep -c '^incremental pause=' "$work/table")" == 2 ]] || fail "expected two rows"
grep -q '^output: the same under every setting' "$work/table" || fail "the churn script's output was not found the same"

cat > "$work/depends.lua" <<'LUA'
local keep = {}
for i = 1, 50000 do keep[i % 1000 + 1] = {i} end
print(math.floor(collectgarbage("count") / 64))
LUA
"$lunette" --compare "incremental pause=100" "generational" "$work/depends.lua" > "$work/table2" 2>&1
grep -q "^output differs: 'generational'" "$work/table2" || { cat "$work/table2"; fail "a collector-dependent output was not flagged"; }

"$lunette" --compare "incremental paws=100" "$work/churn.lua" > "$work/bad" 2>&1 && fail "a bad parameter was accepted"
grep -q "unknown parameter 'paws'" "$work/bad" || fail "no message for a bad parameter: $(cat "$work/bad")"
echo "$lunette" > /dev/null
[[ $failures -eq 0 ]] && echo "compare: all checks passed"
exit $((failures > 0))
