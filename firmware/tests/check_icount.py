#!/usr/bin/env python3
"""Checks the board support and the exact instruction counter under QEMU.

    firmware/tests/check_icount.py BUILD_DIR [BUILD_DIR...] [--plugin libicount.so]

Each BUILD_DIR is a cross build (cmake/toolchain-arm-none-eabi.cmake) whose
CMakeCache.txt names MOTE_CPU; its firmware/loop_test.elf runs on the matching
QEMU board (cortex-m4 -> mps2-an386, cortex-m55 -> mps3-an547) with the
icount plugin. The plugin comes from --plugin, else $MOTE_ICOUNT_PLUGIN, else
it is compiled here from tools/qemu_plugin/icount.c with the host cc.

Checked, per board (any mismatch prints FAIL and the script exits 1):
  - instruction counts between markers, exactly: empty region from assembly 3,
    empty region from C 4, a subs/bne loop of N iterations 2*N + 3 (N = 1,
    10000, 1000000), an IT block with a failing condition 6, two FPU (M4) or
    MVE (M55) instructions 5 -- against formulas in this script, not only
    against what the firmware prints;
  - the counts are identical across two runs;
  - command line (argv), host file read via semihosting (size + FNV-1a), model
    buffer >= 1.5 MB, arena >= 1 MB, malloc returns null;
  - exit status: 0, 7, and 128 + exception number for provoked faults.
Also prints the QEMU start-to-exit wall time of a minimal run.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
BOARDS = {"cortex-m4": "mps2-an386", "cortex-m55": "mps3-an547"}
# Expected exit status for each provoked fault (128 + exception number).
FAULTS = {
    "cortex-m4": {"udf": 134, "bus": 133, "stack": 132, "null": 132, "nullcall": 132},
    "cortex-m55": {"udf": 134, "bus": 133, "stack": 134, "null": 132, "nullcall": 132},
}
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, flush=True)


def ok(msg):
    print("ok:   " + msg, flush=True)


def fnv1a(data):
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def read_cache(build_dir):
    cache = {}
    with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
        for line in f:
            m = re.match(r"^([A-Za-z_0-9]+):[A-Z]+=(.*)$", line.strip())
            if m:
                cache[m.group(1)] = m.group(2)
    return cache


def build_plugin(tmp):
    cc = os.environ.get("CC", "cc")
    out = os.path.join(tmp, "libicount.so")
    src = os.path.join(REPO, "tools", "qemu_plugin", "icount.c")
    subprocess.run([cc, "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-shared",
                    "-fPIC", "-fvisibility=hidden", "-o", out, src], check=True)
    return out


class Qemu:
    def __init__(self, machine, elf, plugin, mark, tmp):
        self.machine, self.elf, self.plugin, self.mark, self.tmp = machine, elf, plugin, mark, tmp

    def run(self, args, with_plugin=True):
        marks_path = os.path.join(self.tmp, "marks.txt")
        if os.path.exists(marks_path):
            os.remove(marks_path)
        cmd = ["qemu-system-arm", "-M", self.machine, "-nographic", "-monitor", "none",
               "-serial", "none", "-semihosting-config", "enable=on,target=native",
               "-kernel", self.elf, "-append", " ".join(args)]
        if with_plugin:
            cmd += ["-plugin", "%s,mark=0x%x,out=%s" % (self.plugin, self.mark, marks_path)]
        t0 = time.monotonic()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=120)
        seconds = time.monotonic() - t0
        marks = []
        if with_plugin and os.path.exists(marks_path):
            with open(marks_path) as f:
                marks = [int(line) for line in f if line.strip()]
        return p.returncode, p.stdout + p.stderr, marks, seconds, cmd


def check_board(build_dir, plugin, tmp):
    cache = read_cache(build_dir)
    cpu = cache.get("MOTE_CPU")
    if cpu not in BOARDS:
        fail("%s: MOTE_CPU is %r, not a known core" % (build_dir, cpu))
        return None
    machine = BOARDS[cpu]
    elf = os.path.join(build_dir, "firmware", "loop_test.elf")
    if not os.path.exists(elf):
        fail("%s: %s not built" % (build_dir, elf))
        return None
    nm = cache.get("CMAKE_NM") or shutil.which("arm-none-eabi-nm") or "arm-none-eabi-nm"
    syms = subprocess.run([nm, elf], stdout=subprocess.PIPE, text=True, check=True).stdout
    m = re.search(r"^([0-9a-fA-F]+) T mote_mark$", syms, re.M)
    if not m:
        fail("%s: no mote_mark symbol" % elf)
        return None
    mark = int(m.group(1), 16)
    q = Qemu(machine, elf, plugin, mark, tmp)
    tag = "%s (%s)" % (cpu, machine)
    print("== %s: %s, mote_mark=0x%x" % (tag, elf, mark), flush=True)
    summary = {"cpu": cpu, "machine": machine}

    # Exact counts.
    previous = None
    for n in (1, 10000, 1000000, 10000):
        rc, out, marks, secs, cmd = q.run([str(n)])
        if n == 1:
            summary["cmd"] = " ".join(cmd)
        if rc != 0:
            fail("%s N=%d: exit status %d\n%s" % (tag, n, rc, out))
            continue
        expects = [(name, int(v)) for name, v in
                   re.findall(r"^region (\w+) expect (\d+)$", out, re.M)]
        want = [("empty_asm", 3), ("empty_c", 4), ("loop", 2 * n + 3), ("it_block", 6),
                ("vector", 5)]
        if expects != want:
            fail("%s N=%d: firmware expects %s, script expects %s" % (tag, n, expects, want))
        if len(marks) != 2 * len(want):
            fail("%s N=%d: %d marker counts logged, want %d" % (tag, n, len(marks), 2 * len(want)))
            continue
        diffs = [marks[2 * i + 1] - marks[2 * i] for i in range(len(want))]
        for (name, value), got in zip(want, diffs):
            if got != value:
                fail("%s N=%d region %s: counted %d instructions, expected exactly %d"
                     % (tag, n, name, got, value))
        if diffs == [v for _, v in want]:
            ok("%s N=%d: counts %s exact" % (tag, n, diffs))
        summary["empty_asm"], summary["empty_c"] = diffs[0], diffs[1]
        if n == 10000:
            if previous is not None:
                if previous != marks:
                    fail("%s: counts differ between identical runs: %s vs %s"
                         % (tag, previous, marks))
                else:
                    ok("%s: identical counts on a second run" % tag)
            previous = marks

    # argv, file read, memory regions, no heap.
    data_path = os.path.abspath(__file__)
    with open(data_path, "rb") as f:
        data = f.read()
    rc, out, _, _, _ = q.run(["5", "file=" + data_path], with_plugin=False)
    want_file = "file %d fnv1a 0x%08x" % (len(data), fnv1a(data))
    if rc != 0 or want_file not in out:
        fail("%s: file read: want '%s', exit 0; got exit %d\n%s" % (tag, want_file, rc, out))
    else:
        ok("%s: semihosting file read (%s)" % (tag, want_file))
    if ("argv0=" + elf) not in out or "argc=3" not in out:
        fail("%s: argv not as expected\n%s" % (tag, out))
    regions = dict((k, int(v)) for k, v in
                   re.findall(r"^(model_buffer|arena) 0x[0-9a-f]+ (\d+)$", out, re.M))
    if regions.get("model_buffer", 0) < 1536 * 1024 or regions.get("arena", 0) < 1024 * 1024:
        fail("%s: regions too small: %s" % (tag, regions))
    else:
        ok("%s: model buffer %d B, arena %d B" % (tag, regions["model_buffer"], regions["arena"]))
    if "malloc(16) null" not in out:
        fail("%s: malloc did not return null" % tag)

    # Exit status.
    cases = [("exit=0", 0), ("exit=7", 7), ("exit=255", 255)]
    cases += [("fault=" + k, v) for k, v in FAULTS[cpu].items()]
    for arg, want_rc in cases:
        rc, out, _, _, _ = q.run(["5", arg], with_plugin=False)
        if rc != want_rc:
            fail("%s %s: exit status %d, want %d\n%s" % (tag, arg, rc, want_rc, out[-600:]))
        elif arg.startswith("fault=") and "*** mote:" not in out:
            fail("%s %s: no fault report printed" % (tag, arg))
        else:
            ok("%s %s: exit status %d" % (tag, arg, rc))

    # Start-up cost: QEMU start to exit for a tiny run, best of 5.
    for with_plugin in (False, True):
        best = min(q.run(["1"], with_plugin=with_plugin)[3] for _ in range(5))
        summary["seconds_plugin" if with_plugin else "seconds"] = best
    return summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build_dirs", nargs="+")
    ap.add_argument("--plugin", default=os.environ.get("MOTE_ICOUNT_PLUGIN"))
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="mote-icount-") as tmp:
        plugin = a.plugin or build_plugin(tmp)
        summaries = [s for s in (check_board(b, plugin, tmp) for b in a.build_dirs) if s]
    for s in summaries:
        print("summary %s (%s): empty region asm %d / C %d instructions; "
              "qemu run %.3f s, with plugin %.3f s"
              % (s["cpu"], s["machine"], s.get("empty_asm", -1), s.get("empty_c", -1),
                 s["seconds"], s["seconds_plugin"]))
        print("  " + s.get("cmd", ""))
    if failures:
        print("\n%d FAILURE(S)" % len(failures))
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
