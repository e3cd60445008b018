#!/usr/bin/env python3
"""Replays the random DEPTHWISE_CONV_2D cases on the emulated cores (DSP / MVE variants).

    firmware/tests/check_dw_targets.py --mote build/host/mote --tests build/host/mote_tests
        [--firmware-m4 ELF] [--firmware-m55 ELF] [--every N] [--jobs 2]

The gtest DepthwiseOptTest.RandomCasesMatchReference (depthwise_conv2d_opt_test.cc)
writes its seeded cases (case_N.tflite, case_N.in) when MOTE_DW_DUMP_DIR is set;
this script runs it into a temporary folder, then runs every N-th case on the
host with the reference kernels and on each core with the optimized ones, and
requires byte-identical outputs. It prints which kernel each case ran on each
core, so that a run shows the DSP / MVE variants were exercised.
Exit status 77 (ctest: skipped) when no firmware or QEMU is found.
"""
import argparse
import collections
import concurrent.futures
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
SKIP = 77


def run(cmd, timeout=300):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=timeout)
    if p.returncode != 0:
        return None, (p.stderr.strip() or p.stdout.strip())[-800:]
    try:
        return json.loads(p.stdout), None
    except ValueError:
        return None, "unparsable output: " + p.stdout[-300:]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mote", default=os.path.join(REPO, "build", "host", "mote"))
    ap.add_argument("--tests", default=os.path.join(REPO, "build", "host", "mote_tests"))
    ap.add_argument("--firmware-m4", default=os.environ.get(
        "MOTE_FIRMWARE_CORTEX_M4", os.path.join(REPO, "build", "cortex-m4", "firmware",
                                                "mote_runner.elf")))
    ap.add_argument("--firmware-m55", default=os.environ.get(
        "MOTE_FIRMWARE_CORTEX_M55", os.path.join(REPO, "build", "cortex-m55", "firmware",
                                                 "mote_runner.elf")))
    ap.add_argument("--every", type=int, default=4, help="run every N-th case")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()

    if not shutil.which("qemu-system-arm") and not os.environ.get("MOTE_QEMU"):
        print("SKIPPED: qemu-system-arm not installed")
        return SKIP
    targets = {t: fw for t, fw in (("cortex-m4", args.firmware_m4),
                                   ("cortex-m55", args.firmware_m55)) if os.path.isfile(fw)}
    if not targets:
        print("SKIPPED: no firmware built")
        return SKIP
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, MOTE_DW_DUMP_DIR=tmp)
        p = subprocess.run([args.tests, "--gtest_filter=DepthwiseOptTest.RandomCasesMatchReference"],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0:
            print(p.stdout[-2000:])
            return 1
        models = sorted(glob.glob(os.path.join(tmp, "case_*.tflite")),
                        key=lambda m: int(m.split("_")[-1].split(".")[0]))
        models = models[::max(1, args.every)]
        jobs = [(m, t, fw) for m in models for t, fw in targets.items()]
        host = {}
        for m in models:
            j, err = run([args.mote, "run", m, "--input", m[:-7] + ".in", "--json",
                          "--kernels", "reference"])
            if err:
                print("host failed on %s: %s" % (m, err))
                return 1
            host[m] = [o["hex"] for o in j["outputs"]]

        def work(job):
            m, t, fw = job
            return job, run([args.mote, "run", m, "--input", m[:-7] + ".in", "--json",
                             "--target", t, "--firmware", fw])

        failures = []
        kernels = collections.Counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for (m, t, fw), (j, err) in pool.map(work, jobs):
                name = os.path.basename(m)
                if err:
                    failures.append("%s on %s: %s" % (name, t, err))
                    continue
                kernels[(t, j["ops"][0]["kernel"])] += 1
                got = [o["hex"] for o in j["outputs"]]
                if got != host[m]:
                    failures.append("%s on %s (%s): output differs from the host's" %
                                    (name, t, j["ops"][0]["kernel"]))
        for (t, k), n in sorted(kernels.items()):
            print("  %-11s %-18s %d cases" % (t, k, n))
        for f in failures:
            print("FAIL " + f)
        print("%d cases x %d cores, %d failures" % (len(models), len(targets), len(failures)))
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
