#!/usr/bin/env bash
# The sanitizer build (tests/fuzz/CMakeLists.txt, clang) and its checks: the engine tests that
# need no LibTorch under AddressSanitizer + UndefinedBehaviorSanitizer, then every libFuzzer
# target for a fixed number of runs, starting from the seed corpus in tests/fuzz/corpus.
#   tests/fuzz/run.sh BUILD_DIR [RUNS]     RUNS per target, default 10000
# A long run of one target (new inputs go to the first folder, the seeds stay as they are):
#   BUILD_DIR/fuzz_config -max_total_time=3600 -max_len=4096 /tmp/corpus tests/fuzz/corpus/config
set -euo pipefail
src="$(cd "$(dirname "$0")" && pwd)"
out="$1"
runs="${2:-10000}"
CXX=clang++ cmake -S "$src" -B "$out" -G Ninja >/dev/null
cmake --build "$out"
(cd "$out" && ctest --output-on-failure)
for target in idx config run_folder csv predictions tune_space npy; do
  work="$out/corpus-$target"
  rm -rf "$work" && mkdir -p "$work"
  log="$out/fuzz_$target.log"
  if ! "$out/fuzz_$target" -runs="$runs" -rss_limit_mb=2048 -max_len=4096 \
      -artifact_prefix="$out/crash-$target-" "$work" "$src/corpus/$target" >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz_$target: FAILED (the input is saved as $out/crash-$target-*)" >&2
    exit 1
  fi
  echo "fuzz_$target: $(grep -E '^Done' "$log"), no crash"
done
