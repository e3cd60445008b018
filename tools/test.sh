#!/usr/bin/env bash
# Runs every test. CI runs exactly this (.ci/run).
#   1. host build (library, CLI, tests) and the cross builds for the emulated
#      Cortex-M4/M55 (installs the Arm toolchain and QEMU when missing);
#   2. a short fuzz run (clang libFuzzer + ASan/UBSan), past crashers first;
#   3. the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer;
#   4. the whole suite on the host build: unit and op tests, the oracle
#      (every generated case vs TensorFlow Lite's reference kernels), the
#      public and bundled models vs TFLM/TFLite bytes, the differential test
#      on random inputs, hostile models, soak, and every model on both
#      emulated cores (byte-identical to the host, exact instruction counts).
# Usage: bash tools/test.sh            (MOTE_FUZZ_SECONDS=60 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
step() { echo; echo "=== test.sh: $* ($(date +%H:%M:%S))"; }

step "setup"
bash tools/setup.sh

step "host build"
cmake --preset host >/dev/null
cmake --build --preset host

step "cross builds"
bash tools/cross.sh

step "fuzz (${MOTE_FUZZ_SECONDS:-60} s)"
# A fixed seed: the same inputs in the same order on every run (a longer
# local run explores a superset of what CI runs).
bash tests/fuzz/run_fuzz.sh "${MOTE_FUZZ_SECONDS:-60}" -seed=1

step "asan + ubsan suite"
cmake --preset asan >/dev/null
cmake --build --preset asan
# The emulated-core tests run QEMU, which the sanitizers do not cover.
ctest --preset asan -E '^target\.'

step "host suite"
ctest --preset host
