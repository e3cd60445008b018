#!/usr/bin/env python3
"""Replays random CONV_2D cases on the emulated cores, where the DSP and MVE
kernel variants run (the host runs only the portable ones).

    MOTE_CONV_DUMP_DIR=/tmp/conv build/host/mote_tests \
        --gtest_filter='Conv2DOptTest.RandomCasesMatchReference'
    firmware/tests/check_conv_cases.py /tmp/conv [--mote build/host/mote]
        [--targets cortex-m4,cortex-m55] [--every N]

Each case_N.tflite / case_N.in runs with the reference kernels on the host
and with the optimized kernels on each target (`mote run --target`, firmware
as `mote run` finds it or $MOTE_FIRMWARE_CORTEX_M4 / _M55); the outputs must
be byte-identical. Prints how many cases each target kernel ran.
"""
import argparse
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(" ".join(cmd) + ": " + r.stderr.strip()[:400])
    return json.loads(r.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--mote", default=os.path.join(REPO, "build", "host", "mote"))
    ap.add_argument("--targets", default="cortex-m4,cortex-m55")
    ap.add_argument("--every", type=int, default=1, help="run every Nth case")
    args = ap.parse_args()
    cases = sorted(glob.glob(os.path.join(args.dir, "case_*.tflite")),
                   key=lambda p: int(p.rsplit("_", 1)[1].split(".")[0]))[::args.every]
    if not cases:
        print("no cases in", args.dir)
        return 2
    bad = 0
    kernels = {}
    for case in cases:
        inp = case[:-len(".tflite")] + ".in"
        ref = run([args.mote, "run", case, "--input", inp, "--kernels", "reference", "--json"])
        for t in args.targets.split(","):
            out = run([args.mote, "run", case, "--input", inp, "--target", t, "--json"])
            key = (t, out["ops"][0]["kernel"])
            kernels[key] = kernels.get(key, 0) + 1
            if out["outputs"][0]["hex"] != ref["outputs"][0]["hex"]:
                bad += 1
                print("MISMATCH", case, t, key[1])
    for (t, k), n in sorted(kernels.items()):
        print(f"  {t:11s} {k:16s} {n} cases")
    print(f"{len(cases)} cases, {bad} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
