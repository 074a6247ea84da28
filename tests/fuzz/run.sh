#!/usr/bin/env bash
# Builds the libFuzzer targets (clang++, ASan + UBSan) in their own build directory and runs
# each for a bounded time:
#   lunette_compile_fuzz     the compiler and its bytecode validator on arbitrary bytes
#   lunette_run_fuzz         arbitrary source executed in a sandbox (budget, 64 MB limit)
#   lunette_run_stress_fuzz  the same with a collector step at every safe point
#   lunette_chunk_fuzz       the binary chunk loader on arbitrary bytes
#   lunette_session_fuzz     the Session API (the worker's calls) in random orders
# Each target starts from the Lua corpus (tests/lua), the run targets' own checked-in seeds
# (tests/fuzz/corpus/run; the chunk target only string.dump output, tests/fuzz/corpus/chunk,
# written by tests/fuzz/make_chunk_seeds.lua: rerun it when the chunk format changes;
# the session target call sequences, tests/fuzz/corpus/session)
# and what earlier runs added in the build directory. A crash, sanitizer report, leak or timeout
# fails the script and leaves the input in BUILD/artifacts/; reproduce it with
#   BUILD/tests/fuzz/TARGET BUILD/artifacts/TARGET-crash-...
# and make it a regression test under tests/.
#
# Usage: tests/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]   (default 60, all five)
# Environment: LUNETTE_FUZZ_BUILD_DIR (default build-fuzz), LUNETTE_JOBS (default 2).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(lunette_compile_fuzz lunette_run_fuzz lunette_run_stress_fuzz lunette_chunk_fuzz
           lunette_session_fuzz)
fi
build=${LUNETTE_FUZZ_BUILD_DIR:-build-fuzz}

echo "== build ($build)"
# -O1 without NDEBUG: the asserts stay on, as the sanitizers recommend.
CXX=clang++ cmake -S . -B "$build" -G Ninja -DLUNETTE_FUZZ=ON -DLUNETTE_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" > /dev/null
cmake --build "$build" -j "${LUNETTE_JOBS:-2}" --target "${targets[@]}"

# Seeds: the Lua corpus of tests/lua (read in place, never copied) and the run targets' own few
# (tests/fuzz/corpus/run: loops that must not escape the budget).
seeds_of() {
  case $1 in
    lunette_compile_fuzz) echo tests/lua ;;
    lunette_chunk_fuzz) echo tests/fuzz/corpus/chunk ;;
    lunette_session_fuzz) echo tests/fuzz/corpus/session ;;
    *) echo tests/lua tests/fuzz/corpus/run ;;
  esac
}

mkdir -p "$build/artifacts"

# Runs one target for the time given; its log says what it found, its .status file whether it
# passed. Several run at once (one per core): each fuzzer is single-threaded, so on N cores N
# of them get the same fuzzing time each as one alone, in 1/N of the wall clock.
fuzz_target() {
  local target=$1 corpus="$build/corpus/$1" log="$build/$1.log" status=0
  mkdir -p "$corpus"
  # -timeout: no input may run longer (the budget bounds the instructions, not the native work
  # they start, and a loaded CI machine is slow: 30 s leaves room); -rss_limit_mb: the 64 MB
  # heap limit plus ASan's own memory; -max_len: small programs reach every feature.
  local seeds
  read -r -a seeds <<< "$(seeds_of "$target")"
  "$build/tests/fuzz/$target" "$corpus" "${seeds[@]}" \
      -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2560 -max_len=4096 \
      -dict=tests/fuzz/lua.dict -artifact_prefix="$build/artifacts/$target-" \
      -print_final_stats=1 > "$log" 2>&1 || status=$?
  echo "$status" > "$build/$target.status"
}

parallel=${LUNETTE_JOBS:-2}
echo "== running ${#targets[@]} targets, $parallel at a time, ${seconds} s each"
for target in "${targets[@]}"; do
  while (( $(jobs -rp | wc -l) >= parallel )); do wait -n || true; done
  rm -f "$build/$target.status"
  fuzz_target "$target" &
done
wait

failed=0
for target in "${targets[@]}"; do
  log="$build/$target.log"
  if [[ "$(cat "$build/$target.status" 2>/dev/null)" == 0 ]]; then
    echo "== $target: $(grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$log" | tr '\n' ' ')$(ls "$build/corpus/$target" | wc -l) inputs in the corpus: no finding"
  else
    failed=1
    echo "== $target FOUND A PROBLEM (log: $log):"
    grep -E 'ERROR|SUMMARY|Test unit written|ALARM|abort' "$log" | head -n 10
  fi
done
exit $failed
