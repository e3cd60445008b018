#!/usr/bin/env bash
# Runs every test: builds the host preset and runs ctest.
# Usage: bash tools/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
cmake --preset host
cmake --build --preset host
ctest --preset host
