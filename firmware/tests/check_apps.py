#!/usr/bin/env python3
"""Runs the one-model applications (app_<model>.elf) on QEMU and checks their outputs equal the host's.

    firmware/tests/check_apps.py --mote build/host/mote [--targets cortex-m4,cortex-m55]
                                 [--footprint]

For every app_<model>.elf in build/<target>/firmware (firmware/app, built by
bash tools/cross.sh) and every input of that model in ../shared/anchors
(zp, lcg, and person_detect's image), runs the app under qemu-system-arm with
the input file on its semihosting command line and `mote run MODEL --input
FILE --json` on the host: the output bytes must be identical (and equal the
anchors' expected bytes). --footprint also checks tools/footprint.py's totals
against arm-none-eabi-size and prints each app's code size next to TFLM's
(tools/footprint.py --compare).

Exit status 77 (ctest: skipped) when ../shared/models, QEMU or every app is missing.
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
TARGETS = {"cortex-m4": "mps2-an386", "cortex-m55": "mps3-an547"}
SKIP = 77


def shared_dir():
    d = os.environ.get("MOTE_SHARED_DIR") or os.path.join(REPO, "..", "shared")
    ok = os.path.isfile(os.path.join(d, "anchors", "anchors.json"))
    return os.path.normpath(d) if ok else None


def build_dir(target, mote):
    cands = []
    if mote:
        cands.append(os.path.join(os.path.dirname(os.path.abspath(mote)), "..", target))
    cands.append(os.path.join(REPO, "build", target))
    for c in cands:
        if os.path.isdir(os.path.join(c, "firmware")):
            return os.path.normpath(c)
    return None


def run_app(qemu, machine, elf, inputs, timeout=600):
    cmd = [qemu, "-M", machine, "-nographic", "-monitor", "none", "-serial", "none",
           "-semihosting-config", "enable=on,target=native", "-kernel", elf]
    if inputs:
        cmd += ["-append", " ".join(inputs)]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=timeout)
    if p.returncode != 0:
        return None, "exit %d: %s" % (p.returncode, (p.stderr.strip() or p.stdout.strip())[-800:])
    for line in p.stdout.splitlines():
        if line.startswith("{"):
            try:
                return json.loads(line), None
            except ValueError:
                break
    return None, "no JSON line in the output: " + p.stdout[-500:]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mote", default=os.path.join(REPO, "build", "host", "mote"))
    ap.add_argument("--targets", default=",".join(TARGETS))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--footprint", action="store_true",
                    help="also print the apps' code size next to TFLM's")
    args = ap.parse_args()

    shared = shared_dir()
    if not shared:
        print("SKIPPED: ../shared/anchors not found (the apps embed the shared models)")
        return SKIP
    qemu = os.environ.get("MOTE_QEMU") or shutil.which("qemu-system-arm")
    if not qemu:
        print("SKIPPED: qemu-system-arm not installed (bash tools/cross.sh)")
        return SKIP
    anchors_dir = os.path.join(shared, "anchors")
    with open(os.path.join(anchors_dir, "anchors.json")) as f:
        anchors = json.load(f)["models"]

    apps = []  # (target, build, name, elf)
    for t in args.targets.split(","):
        b = build_dir(t, args.mote)
        if not b:
            print("skip %s: no cross build (bash tools/cross.sh)" % t)
            continue
        for name in sorted(anchors):
            elf = os.path.join(b, "firmware", "app_%s.elf" % name)
            if os.path.isfile(elf):
                apps.append((t, b, name, elf))
            elif name != "keyword_scrambled":  # SVDF: mote has no app for it
                print("skip %s app_%s.elf: not built (model missing at configure time?)" % (t, name))
    if not apps:
        print("SKIPPED: no app_<model>.elf built (bash tools/cross.sh, with ../shared/models)")
        return SKIP

    t_start = time.monotonic()
    failures = []
    host = {}  # (name, kind) -> hex list
    jobs = []
    for t, _b, name, elf in apps:
        m = anchors[name]
        model = os.path.normpath(os.path.join(anchors_dir, m["model"]))
        for kind, rel in sorted(m.get("inputs", {}).items()):
            inp = os.path.normpath(os.path.join(anchors_dir, rel))
            if not os.path.isfile(inp):
                continue
            if (name, kind) not in host:
                p = subprocess.run([args.mote, "run", model, "--input", inp, "--json"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                if p.returncode != 0:
                    failures.append("%s %s: host: %s" % (name, kind, p.stderr.strip()[-300:]))
                    host[(name, kind)] = None
                else:
                    host[(name, kind)] = [o["hex"] for o in json.loads(p.stdout)["outputs"]]
            if host[(name, kind)] is not None:
                jobs.append((t, name, kind, elf, inp, m.get("expected_output_hex", {}).get(kind)))

    def work(job):
        t, _name, _kind, elf, inp, _exp = job
        return job, run_app(qemu, TARGETS[t], elf, [inp])

    compared = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for job, (j, err) in pool.map(work, jobs):
            t, name, kind, _elf, _inp, expected = job
            tag = "%-10s app_%-24s %-6s" % (t, name, kind)
            if err:
                failures.append("%s: %s" % (tag, err))
                print("FAIL %s: %s" % (tag, err), flush=True)
                continue
            compared += 1
            got, want = j["outputs"], host[(name, kind)]
            if got != want:
                failures.append("%s: outputs %s, host %s" % (tag, got, want))
                print("FAIL %s: outputs %s differ from the host's %s" % (tag, got, want), flush=True)
                continue
            if expected and "".join(got) != expected:
                failures.append("%s: outputs %s, anchors expect %s" % (tag, got, expected))
                print("FAIL %s: outputs %s, anchors expect %s" % (tag, got, expected), flush=True)
                continue
            print("ok   %s %s, arena %d B" % (tag, ",".join(got), j["arena_bytes"]), flush=True)
    print("\n%d app runs compared with the host in %.0f s, %d failure(s)"
          % (compared, time.monotonic() - t_start, len(failures)))
    if args.footprint:
        # tools/footprint.py on every app: its per-component total must equal
        # arm-none-eabi-size's, then the table of the apps' code next to TFLM's.
        sys.path.insert(0, os.path.join(REPO, "tools"))
        import footprint  # noqa: E402
        for _t, _b, name, elf in apps:
            r = footprint.footprint(elf, elf + ".map")
            s = footprint.size_tool_totals(elf)
            t = r["total"]
            if s is not None and s != (t["text"], t["data"], t["bss"]):
                failures.append("footprint %s: %s, arm-none-eabi-size %s" % (elf, t, s))
                print("FAIL footprint %s: components sum to %s, arm-none-eabi-size says %s"
                      % (elf, t, s))
        footprint.print_compare(sorted({b for _t, b, _n, _e in apps}), anchors_dir)
    if failures:
        return 1
    if compared == 0:
        print("FAIL: nothing was compared")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
