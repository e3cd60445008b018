#!/usr/bin/env bash
# The main job: builds mote and runs every bundled model on its sample
# inputs, printing the outputs and the arena each needs.
# Usage: bash tools/main.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
cmake --preset host >/dev/null
cmake --build --preset host --target mote_cli >/dev/null
for model in models/*.tflite; do
  name=$(basename "$model" .tflite)
  for input in models/"$name".input*.bin; do
    echo "== $name on $(basename "$input")"
    build/host/mote run "$model" --input "$input"
  done
  echo
done
