#!/usr/bin/env python3
"""Runs models on the emulated Cortex-M cores and checks their outputs equal the host's.

    firmware/tests/check_targets.py --mote build/host/mote [--plugin libicount.so]
                                    [--jobs 2] [--targets cortex-m4,cortex-m55]
    firmware/tests/check_targets.py --icount [--plugin libicount.so]

Default mode: every bundled model (models/*.tflite, on its input0 and on zero
points) and every supported model in ../shared/models (the anchors' lcg inputs,
person_detect's image too; keyword_scrambled and audio_preprocessor are out of
scope) runs through `mote run --json` on the host and through
`mote run --target cortex-m4|cortex-m55 --json` with reference and with
optimized kernels (optimized ones profiled, which also checks that the profiled
invoke's outputs equal the timed one's). Every target output must be
byte-identical to the host's. A model the host itself cannot run is listed
and skipped (the host tests report it).

--icount: runs firmware/tests/check_icount.py on the cross builds that exist.

Firmware: $MOTE_FIRMWARE_CORTEX_M4 / _M55, else build/<target>/firmware/
mote_runner.elf next to the CLI's build folder, else under the repository.
Exit status 77 (ctest: skipped) when no firmware is built or QEMU is missing.
"""
import argparse
import concurrent.futures
import glob
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
TARGETS = ["cortex-m4", "cortex-m55"]
SKIP = 77


def out_of_scope(path):
    return "keyword_scrambled" in path or "audio_preprocessor" in path


def find_build_dir(target, mote):
    cands = []
    if mote:
        cands.append(os.path.join(os.path.dirname(os.path.abspath(mote)), "..", target))
    cands.append(os.path.join(REPO, "build", target))
    for c in cands:
        if os.path.isfile(os.path.join(c, "firmware", "mote_runner.elf")):
            return os.path.normpath(c)
    return None


def find_firmware(target, mote):
    env = os.environ.get("MOTE_FIRMWARE_" + target.upper().replace("-", "_"))
    if env:
        return env if os.path.isfile(env) else None
    d = find_build_dir(target, mote)
    return os.path.join(d, "firmware", "mote_runner.elf") if d else None


def shared_dir():
    d = os.environ.get("MOTE_SHARED_DIR") or os.path.join(REPO, "..", "shared")
    return os.path.normpath(d) if os.path.isfile(os.path.join(d, "models", "manifest.json")) else None


def cases():
    """(label, model, [inputs]) to run."""
    out = []
    for model in sorted(glob.glob(os.path.join(REPO, "models", "*.tflite"))):
        name = os.path.basename(model)[:-len(".tflite")]
        sample = os.path.join(REPO, "models", name + ".input0.bin")
        if os.path.isfile(sample):
            out.append((name + " input0", model, [sample]))
        out.append((name + " zero point", model, []))
    shared = shared_dir()
    if not shared:
        print("note: ../shared/models not found: only the bundled models run")
        return out
    anchors_dir = os.path.join(shared, "anchors")
    covered = set()
    try:
        with open(os.path.join(anchors_dir, "anchors.json")) as f:
            anchors = json.load(f)
    except OSError:
        anchors = {"models": {}, "more_expected_outputs": {"runs": []}}
    for name, m in sorted(anchors.get("models", {}).items()):
        model = os.path.normpath(os.path.join(anchors_dir, m["model"]))
        if out_of_scope(model) or not os.path.isfile(model):
            continue
        covered.add(model)
        for kind in ("lcg", "image"):
            if kind in m.get("inputs", {}):
                out.append(("%s %s" % (name, kind), model,
                            [os.path.normpath(os.path.join(anchors_dir, m["inputs"][kind]))]))
    for r in anchors.get("more_expected_outputs", {}).get("runs", []):
        model = os.path.normpath(os.path.join(anchors_dir, r["model"]))
        if out_of_scope(model) or model in covered or not os.path.isfile(model):
            continue
        covered.add(model)
        out.append(("%s %s" % (os.path.basename(model)[:-7], os.path.basename(r["input"])), model,
                    [os.path.normpath(os.path.join(anchors_dir, r["input"]))]))
    for model in sorted(glob.glob(os.path.join(shared, "models", "*", "*.tflite"))):
        model = os.path.normpath(model)
        if out_of_scope(model) or model in covered:
            continue
        out.append((os.path.basename(model)[:-7] + " zero point", model, []))
    return out


def run_mote(mote, model, inputs, extra, timeout=900):
    cmd = [mote, "run", model] + sum((["--input", i] for i in inputs), []) + ["--json"] + extra
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=timeout)
    secs = time.monotonic() - t0
    if p.returncode != 0:
        return None, (p.stderr.strip() or p.stdout.strip())[-1500:], secs
    try:
        return json.loads(p.stdout), None, secs
    except ValueError:
        return None, "unparsable output: " + p.stdout[-500:], secs


def icount_mode(args):
    dirs = []
    for t in TARGETS:
        d = find_build_dir(t, args.mote)
        if d and os.path.isfile(os.path.join(d, "firmware", "loop_test.elf")):
            dirs.append(d)
        else:
            print("skip %s: no cross build with firmware/loop_test.elf (bash tools/cross.sh)" % t)
    if not dirs:
        print("SKIPPED: no cross build found")
        return SKIP
    if not shutil.which("qemu-system-arm"):
        print("SKIPPED: qemu-system-arm not installed")
        return SKIP
    cmd = [sys.executable, os.path.join(HERE, "check_icount.py")] + dirs
    if args.plugin:
        cmd += ["--plugin", args.plugin]
    return subprocess.call(cmd)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mote", default=os.path.join(REPO, "build", "host", "mote"))
    ap.add_argument("--plugin", default=os.environ.get("MOTE_ICOUNT_PLUGIN"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--targets", default=",".join(TARGETS))
    ap.add_argument("--icount", action="store_true")
    args = ap.parse_args()
    if args.icount:
        return icount_mode(args)

    if not shutil.which("qemu-system-arm") and not os.environ.get("MOTE_QEMU"):
        print("SKIPPED: qemu-system-arm not installed (bash tools/cross.sh)")
        return SKIP
    firmware = {}
    for t in args.targets.split(","):
        fw = find_firmware(t, args.mote)
        if fw:
            firmware[t] = fw
        else:
            print("skip %s: firmware not built (bash tools/cross.sh)" % t)
    if not firmware:
        print("SKIPPED: no Cortex-M firmware built")
        return SKIP
    common = []
    if args.plugin:
        common += ["--plugin", args.plugin]

    t_start = time.monotonic()
    failures, skipped, compared = [], [], 0
    todo = cases()
    # Host first (fast), then every target run in parallel.
    host = {}
    for label, model, inputs in todo:
        j, err, _ = run_mote(args.mote, model, inputs, [])
        if err:
            skipped.append("%s: host cannot run it: %s" % (label, err.splitlines()[-1]))
        else:
            host[label] = [o["hex"] for o in j["outputs"]]
    jobs = []
    for label, model, inputs in todo:
        if label not in host:
            continue
        for t, fw in firmware.items():
            for kernels in ("reference", "optimized"):
                extra = ["--target", t, "--firmware", fw, "--kernels", kernels] + common
                if kernels == "reference":
                    extra.append("--no-profile")
                jobs.append((label, model, inputs, t, kernels, extra))

    def work(job):
        label, model, inputs, t, kernels, extra = job
        return job, run_mote(args.mote, model, inputs, extra)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for job, (j, err, secs) in pool.map(work, jobs):
            label, _, _, t, kernels, _ = job
            tag = "%-44s %-10s %-9s" % (label, t, kernels)
            if err:
                failures.append("%s: %s" % (tag, err))
                print("FAIL %s: %s" % (tag, err), flush=True)
                continue
            got = [o["hex"] for o in j["outputs"]]
            compared += 1
            if got != host[label]:
                failures.append("%s: outputs %s, host %s" % (tag, got, host[label]))
                print("FAIL %s: outputs differ from the host's: %s vs %s"
                      % (tag, got, host[label]), flush=True)
                continue
            extra = ""
            if "ops" in j:
                op_sum = sum(o["instructions"] for o in j["ops"])
                if not (0 < op_sum <= j["profiled_instructions"]):
                    failures.append("%s: per-op sum %d vs profiled invoke %d"
                                    % (tag, op_sum, j["profiled_instructions"]))
                extra = ", %d ops profiled" % len(j["ops"])
            print("ok   %s %13d instructions, arena %7d B, %.1f s%s"
                  % (tag, j["instructions"], j["arena_bytes"], secs, extra), flush=True)
    for s in skipped:
        print("skip " + s)
    print("\n%d target runs compared with the host in %.0f s, %d failure(s), %d case(s) skipped"
          % (compared, time.monotonic() - t_start, len(failures), len(skipped)))
    if failures:
        return 1
    if compared == 0:
        print("FAIL: nothing could be compared (the host ran no model)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
