#!/usr/bin/env bash
# Installs what building and testing mote needs, from Debian's packages.
# Idempotent and quick when everything is already there.
set -euo pipefail

packages=(cmake g++ make flatbuffers-compiler libflatbuffers-dev libgtest-dev nlohmann-json3-dev
          clang libclang-rt-14-dev
          python3)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# Python packages the tests need (the TensorFlow Lite reference interpreter).
if ! python3 -c "import ai_edge_litert, numpy" >/dev/null 2>&1; then
  echo "setup: pip install -r tools/requirements-test.txt"
  python3 -m pip install -q -r "$(dirname "$0")/requirements-test.txt" || {
    echo "setup: FAILED to install ai-edge-litert from PyPI: the differential tests cannot run" >&2
    exit 1
  }
fi
