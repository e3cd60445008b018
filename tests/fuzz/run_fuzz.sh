#!/usr/bin/env bash
# Fuzzes model loading and one inference (tests/fuzz/fuzz_model.cc) on one
# core for a bounded time.
#
#   bash tests/fuzz/run_fuzz.sh [SECONDS] [libFuzzer flags...]   # default 60 s
#
# 1. builds the `fuzz` preset (clang, libFuzzer + ASan + UBSan);
# 2. replays every file in tests/fuzz/regressions/ (past crashers: they must
#    all pass now);
# 3. fuzzes for SECONDS in two phases, each with its own working corpus under
#    build/fuzz/ (never in the source tree):
#    - 1/5 of the time (at most 5 minutes) from the bundled models
#      themselves (models/*.tflite, read in place, inputs up to 320 KB);
#    - the rest from small models derived from them by
#      tests/fuzz/make_seeds.py (same ops and quantization layout, a few KB,
#      inputs up to 32 KB): about 4000 executions per second instead of 50.
# A new crasher (or timeout, leak, out-of-memory) is copied into
# tests/fuzz/regressions/ and the script fails: fix it, then commit the file;
# the Hostile.FuzzRegressionsReplay test replays it in the normal suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOTAL="${1:-60}"
shift || true
REGRESSIONS=tests/fuzz/regressions
OUT=build/fuzz
mkdir -p "$REGRESSIONS" "$OUT/corpus_full" "$OUT/corpus_small" "$OUT/artifacts"

cmake --preset fuzz > /dev/null
cmake --build --preset fuzz
FUZZER="$OUT/mote_fuzz_model"
python3 tests/fuzz/make_seeds.py "$OUT/seeds" > /dev/null

shopt -s nullglob
regressions=("$REGRESSIONS"/*)
if (( ${#regressions[@]} > 0 )); then
  echo "== replaying ${#regressions[@]} regression input(s)"
  "$FUZZER" -runs=0 "${regressions[@]}"
fi

COMMON=(-timeout=10 -rss_limit_mb=2048 -use_value_profile=1 -print_final_stats=1
        -artifact_prefix="$OUT/artifacts/")
status=0
full=$(( TOTAL / 5 > 300 ? 300 : (TOTAL / 5 > 0 ? TOTAL / 5 : 1) ))
small=$(( TOTAL - full > 0 ? TOTAL - full : 1 ))
echo "== phase 1: bundled models, ${full} s"
"$FUZZER" "$OUT/corpus_full" models -max_total_time="$full" -max_len=320000 "${COMMON[@]}" "$@" \
  2>&1 | tee "$OUT/phase1.log" | grep -E "^(stat::|==|SUMMARY|Done)" || true
(( ${PIPESTATUS[0]} == 0 )) || status=1
echo "== phase 2: small derived seeds, ${small} s"
"$FUZZER" "$OUT/corpus_small" "$OUT/seeds" -max_total_time="$small" -max_len=32768 "${COMMON[@]}" "$@" \
  2>&1 | tee "$OUT/phase2.log" | grep -E "^(stat::|==|SUMMARY|Done)" || true
(( ${PIPESTATUS[0]} == 0 )) || status=1

found=0
for f in "$OUT"/artifacts/{crash,leak,timeout,oom,slow-unit}-*; do
  cp "$f" "$REGRESSIONS/"
  rm "$f"
  echo "new regression input: $REGRESSIONS/$(basename "$f")"
  found=1
done
if (( status != 0 || found )); then
  echo "fuzzing found a problem: see the inputs above and $OUT/phase*.log" >&2
  exit 1
fi
