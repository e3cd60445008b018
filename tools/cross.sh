#!/usr/bin/env bash
# Cross builds for the emulated Cortex-M cores: installs the Arm bare-metal
# toolchain and QEMU when missing (Debian packages), then configures and builds
# the cortex-m4 and cortex-m55 presets (the library with every op, the board
# support, firmware/loop_test.elf, firmware/mote_runner.elf and, when
# ../shared/models is there, the one-model apps firmware/app_<model>.elf).
#
# Usage: bash tools/cross.sh [cortex-m4] [cortex-m55]     (default: both)
# Afterwards, with the host preset built (it builds the QEMU plugin):
#   build/host/mote run MODEL --target cortex-m4|cortex-m55 [--json]
#   build/host/mote bench
#   ctest --preset host -R target     # outputs on both cores == host, exact icount check,
#                                     # the apps' outputs == host
#   python3 tools/footprint.py --compare   # each app's code size next to TFLM's
#   python3 tools/footprint.py build/cortex-m4/firmware/app_person_detect.elf  # per component
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
  apps=$(cd "build/$preset/firmware" && ls app_*.elf 2>/dev/null | tr '\n' ' ' || true)
  if [ -n "$apps" ]; then
    echo "cross: $preset apps: $apps(sizes: python3 tools/footprint.py --compare)"
  else
    echo "cross: $preset: no app_<model>.elf (../shared/models not found at configure time)"
  fi
done
