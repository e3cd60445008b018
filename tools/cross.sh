#!/usr/bin/env bash
# Cross builds for the emulated Cortex-M cores: installs the Arm bare-metal
# toolchain and QEMU when missing (Debian packages), then configures and builds
# the cortex-m4 and cortex-m55 presets (the library with every op, the board
# support, firmware/loop_test.elf and firmware/mote_runner.elf).
#
# Usage: bash tools/cross.sh [cortex-m4] [cortex-m55]     (default: both)
# Afterwards, with the host preset built (it builds the QEMU plugin):
#   build/host/mote run MODEL --target cortex-m4|cortex-m55 [--json]
#   build/host/mote bench
#   ctest --preset host -R target     # outputs on both cores == host, exact icount check
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake make flatbuffers-compiler libflatbuffers-dev python3
          gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib qemu-system-arm)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "cross: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

presets=("$@")
if ((${#presets[@]} == 0)); then presets=(cortex-m4 cortex-m55); fi
for preset in "${presets[@]}"; do
  start=$SECONDS
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  echo "cross: $preset built in $((SECONDS - start)) s -> build/$preset/firmware/mote_runner.elf"
done
