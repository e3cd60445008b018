#!/usr/bin/env python3
"""Host latency per invoke, one thread: mote beside TFLM's Python interpreter and LiteRT.

    python3 tools/bench_host.py [MODEL...] [--shared] [--runs N] [--rounds R] [--json]
                                [--mote PATH]

For every model (default: models/*.tflite; --shared adds the models of
../shared/models/manifest.json that mote can run) and in this one run:
  mote-opt, mote-ref  `mote bench --host-only --json` (host_us.optimized / .reference):
                      median wall time of N invokes, one warm-up first;
  tflm-python         `tflite-micro` (PyPI): tflite_micro.python.tflite_micro.runtime;
  litert              `ai-edge-litert`: Interpreter with its default op resolver (AUTO =
                      BUILTIN: optimized kernels, XNNPACK default delegate), num_threads=1.
The Python peers are timed in this process with time.perf_counter around invoke()
alone, the inputs rewritten before each invoke outside the timed part (as mote's
bench does): 3 warm-up invokes, then the median of N invokes. The engines take
turns for R rounds per model; each engine's figure is the median of its round
medians. Every engine gets the input bytes mote's bench used (the anchors' lcg
input, <name>.input0.bin, or every input at its zero point). The CLI is copied to a
temporary folder first, so a concurrent rebuild cannot swap it mid-run.

Then each engine's output bytes for that input (mote via `mote run --json`, both
kernel choices) are compared: `outputs equal`, or which engines differ from
mote-ref and by how much. LiteRT's optimized kernels may round differently from
the reference kernels on some ops: reported, not an error.

Prints a markdown table (or one JSON object with --json). Exit status: 0, or 2
when a peer package or the mote CLI is missing. No timing is ever asserted.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REQUIREMENTS = "tools/requirements-bench.txt"
WARMUP = 3
ENGINES = ("mote-opt", "mote-ref", "tflm-python", "litert")


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="bench_host.py",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("models", nargs="*", metavar="MODEL", help=".tflite files (default: models/*.tflite)")
    ap.add_argument("--shared", action="store_true",
                    help="add the models of ../shared/models (or $MOTE_SHARED_DIR/models) mote can run")
    ap.add_argument("--runs", type=int, default=30, help="timed invokes per engine per round (default 30)")
    ap.add_argument("--rounds", type=int, default=5, help="rounds per model (default 5)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    ap.add_argument("--mote", default=os.environ.get("MOTE_CLI", os.path.join(ROOT, "build/host/mote")),
                    help="the mote CLI (default: build/host/mote, or $MOTE_CLI)")
    args = ap.parse_args(argv)
    if not 1 <= args.runs <= 100000:
        ap.error("--runs must be 1..100000")
    if not 1 <= args.rounds <= 100:
        ap.error("--rounds must be 1..100")
    return args


def fail(msg):
    print("bench_host: " + msg, file=sys.stderr)
    return 2


def check_peers():
    """Names of the missing PyPI packages (empty when all import)."""
    missing = []
    for pkg, mod in (("numpy", "numpy"),
                     ("tflite-micro", "tflite_micro.python.tflite_micro.runtime"),
                     ("ai-edge-litert", "ai_edge_litert.interpreter")):
        try:
            __import__(mod)
        except Exception as e:  # ImportError, or a broken install
            missing.append("%s (%s: %s)" % (pkg, type(e).__name__, e))
    return missing


def shared_dir():
    return os.environ.get("MOTE_SHARED_DIR") or os.path.join(ROOT, "..", "shared")


def shared_models():
    manifest = os.path.join(shared_dir(), "models", "manifest.json")
    with open(manifest) as f:
        m = json.load(f)
    return [os.path.join(shared_dir(), "models", e["dir"], e["file"]) for e in m["models"]]


def run(cmd):
    # Retry briefly when the CLI is being relinked by a concurrent build (EACCES/ETXTBSY).
    for attempt in range(5):
        try:
            return subprocess.run(cmd, capture_output=True, text=True)
        except OSError:
            if attempt == 4:
                raise
            time.sleep(2)


def mote_bench(mote, model, runs):
    """The model's row of `mote bench --host-only --json`."""
    res = run([mote, "bench", "--host-only", "--json", "--runs", str(runs), model])
    if res.returncode != 0:
        raise RuntimeError("mote bench failed: " + (res.stderr.strip() or res.stdout.strip()))
    return json.loads(res.stdout)["models"][0]


def mote_outputs(mote, model, kernels, input_path):
    cmd = [mote, "run", model, "--json", "--kernels", kernels]
    if input_path:
        cmd += ["--input", input_path]
    res = run(cmd)
    if res.returncode != 0:
        raise RuntimeError("mote run failed: " + res.stderr.strip())
    return [bytes.fromhex(o["hex"]) for o in json.loads(res.stdout)["outputs"]]


def make_litert(model_bytes):
    """LiteRT with its default resolver, one thread. Returns (interpreter, patched tensors)."""
    from ai_edge_litert.interpreter import Interpreter
    sys.path.insert(0, os.path.join(ROOT, "tools", "oracle"))
    import litert_ref  # patch_quantized_dimension: person_detect's rank-1 biases

    def make(m):
        it = Interpreter(model_content=m, num_threads=1)
        it.allocate_tensors()
        return it
    try:
        return make(model_bytes), []
    except (ValueError, RuntimeError) as first:
        patched, fixed = litert_ref.patch_quantized_dimension(model_bytes)
        if not fixed:
            raise
        try:
            return make(patched), fixed
        except (ValueError, RuntimeError):
            raise first


def median_invoke_us(set_inputs, invoke, runs):
    for _ in range(WARMUP):
        set_inputs()
        invoke()
    us = []
    for _ in range(runs):
        set_inputs()
        t0 = time.perf_counter()
        invoke()
        t1 = time.perf_counter()
        us.append((t1 - t0) * 1e6)
    return statistics.median(us)


def diff_note(np, name, got, want, dtypes):
    """'' when equal, else how got differs from want."""
    if len(got) != len(want):
        return "%s: %d outputs, mote-ref %d" % (name, len(got), len(want))
    parts = []
    for k, (g, w, dt) in enumerate(zip(got, want, dtypes)):
        if g == w:
            continue
        if len(g) != len(w):
            parts.append("output %d: %d bytes vs %d" % (k, len(g), len(w)))
            continue
        a = np.frombuffer(g, dtype=dt).astype(np.float64)
        b = np.frombuffer(w, dtype=dt).astype(np.float64)
        n = int(np.count_nonzero(a != b))
        parts.append("output %d: %d/%d elements differ, max |diff| %g" %
                     (k, n, a.size, float(np.max(np.abs(a - b)))))
    return ("%s differs from mote-ref (%s)" % (name, "; ".join(parts))) if parts else ""


def bench_model(np, runtime, mote, model, runs, rounds):
    with open(model, "rb") as f:
        model_bytes = f.read()
    lite, patched = make_litert(model_bytes)
    tflm = runtime.Interpreter.from_bytes(model_bytes, arena_size=max(10 * len(model_bytes), 1 << 20))
    in_details = lite.get_input_details()
    out_details = lite.get_output_details()

    times = {e: [] for e in ENGINES}
    input_path = None
    for r in range(rounds):
        row = mote_bench(mote, model, runs)
        if "error" in row:
            raise RuntimeError(row["error"])
        times["mote-opt"].append(row["host_us"]["optimized"])
        times["mote-ref"].append(row["host_us"]["reference"])
        if r == 0:
            input_path = None if row["input"] == "zero point" else row["input"]
            inputs = []
            if input_path:
                with open(input_path, "rb") as f:
                    data = f.read()
                if len(in_details) != 1:
                    raise RuntimeError("one input file for %d inputs" % len(in_details))
                d = in_details[0]
                inputs.append(np.frombuffer(data, dtype=d["dtype"]).reshape(d["shape"]).copy())
            else:  # as mote's FillZeroPoint: int8/uint8/int16 at the zero point, else 0
                for d in in_details:
                    dt = np.dtype(d["dtype"])
                    zps = d["quantization_parameters"]["zero_points"]
                    zp = int(zps[0]) if dt in (np.int8, np.uint8, np.int16) and len(zps) else 0
                    inputs.append(np.full(tuple(d["shape"]), zp, dtype=dt))

            def tflm_set():
                for k, x in enumerate(inputs):
                    tflm.set_input(x, k)

            def lite_set():
                for d, x in zip(in_details, inputs):
                    lite.set_tensor(d["index"], x)
        times["tflm-python"].append(median_invoke_us(tflm_set, tflm.invoke, runs))
        times["litert"].append(median_invoke_us(lite_set, lite.invoke, runs))

    # Output bytes, every engine on the same input.
    tflm_set()
    tflm.invoke()
    lite_set()
    lite.invoke()
    outs = {
        "mote-ref": mote_outputs(mote, model, "reference", input_path),
        "mote-opt": mote_outputs(mote, model, "optimized", input_path),
        "tflm-python": [np.ascontiguousarray(tflm.get_output(k)).tobytes()
                        for k in range(len(out_details))],
        "litert": [np.ascontiguousarray(lite.get_tensor(d["index"])).tobytes() for d in out_details],
    }
    dtypes = [np.dtype(d["dtype"]) for d in out_details]
    notes, differ = [], []
    for e in ("mote-opt", "tflm-python", "litert"):
        n = diff_note(np, e, outs[e], outs["mote-ref"], dtypes)
        if n:
            notes.append(n)
            differ.append(e)
    us = {e: statistics.median(v) for e, v in times.items()}
    return {
        "model": model,
        "name": os.path.splitext(os.path.basename(model))[0],
        "input": input_path or "zero point",
        "us": us,
        "rounds_us": times,
        "ratio": {"tflm_over_mote_opt": us["tflm-python"] / us["mote-opt"],
                  "litert_over_mote_opt": us["litert"] / us["mote-opt"]},
        "outputs_equal": not notes,
        "mismatches": notes,
        "differ_from_mote_ref": differ,
        "output_hex": {e: "".join(b.hex() for b in v) for e, v in outs.items()},
        "litert_patched_quantized_dimension": patched,
    }


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    missing = check_peers()
    if missing:
        return fail("missing Python package(s): %s.\nInstall the pinned peers with:  "
                    "pip install -r %s   (tflite-micro, ai-edge-litert, numpy)"
                    % ("; ".join(missing), REQUIREMENTS))
    if not os.access(args.mote, os.X_OK):
        return fail("mote CLI not found at %s; build it: cmake --preset host && "
                    "cmake --build build/host -j2 (or pass --mote PATH)" % args.mote)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if os.path.isdir(shared_dir()):
        os.environ["MOTE_SHARED_DIR"] = os.path.abspath(shared_dir())  # anchors: lcg inputs
    with tempfile.TemporaryDirectory(prefix="bench_host.") as tmp:
        # A private copy of the CLI: a concurrent rebuild cannot swap it mid-run.
        mote = os.path.join(tmp, "mote")
        shutil.copy2(args.mote, mote)
        return bench_all(args, mote)


def bench_all(args, mote):
    import numpy as np
    from importlib.metadata import version
    from tflite_micro.python.tflite_micro import runtime

    models = list(args.models)
    if not models:
        import glob
        models = sorted(glob.glob(os.path.join(ROOT, "models", "*.tflite")))
    if args.shared:
        try:
            models += shared_models()
        except (OSError, ValueError, KeyError) as e:
            return fail("--shared: cannot read %s/models/manifest.json: %s" % (shared_dir(), e))
    if not models:
        return fail("no models")

    load_at_start = round(os.getloadavg()[0], 2)
    rows, skipped = [], []
    for model in models:
        probe = run([mote, "run", model, "--json"])
        if probe.returncode != 0:
            reason = (probe.stderr.strip() or "mote run failed").splitlines()[0]
            prefix = "mote run: %s: " % model
            reason = reason[len(prefix):] if reason.startswith(prefix) else reason
            reason = reason if len(reason) <= 100 else reason[:99] + "…"
            skipped.append({"model": model, "reason": reason})
            print("bench_host: skipping %s: %s" % (os.path.basename(model), reason), file=sys.stderr)
            continue
        print("bench_host: %s" % os.path.basename(model), file=sys.stderr)
        try:
            rows.append(bench_model(np, runtime, mote, model, args.runs, args.rounds))
        except Exception as e:  # a peer rejects the model: report it, go on
            skipped.append({"model": model, "reason": "%s: %s" % (type(e).__name__, e)})
            print("bench_host: %s: %s" % (model, e), file=sys.stderr)

    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu_name(),
        "nproc": os.cpu_count(),
        "loadavg_1min_at_start": load_at_start,
        "python": platform.python_version(),
        "versions": {"tflite-micro": version("tflite-micro"), "ai-edge-litert": version("ai-edge-litert")},
        "runs": args.runs,
        "rounds": args.rounds,
        "warmup_python": WARMUP,
    }
    report = dict(meta, models=rows, skipped=skipped)
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print_table(report)
    return 0


def print_table(report):
    """The markdown report of one run (a --json report renders the same way)."""
    m = report
    print("## bench_host: per-invoke latency, one thread (%s)\n" % m["date"])
    print("%s (%d cores, load %.2f at start), Python %s, tflite-micro %s, ai-edge-litert %s "
          "(default resolver, num_threads=1). Median µs per invoke: %d rounds x %d invokes per "
          "engine.\n" % (m["cpu"], m["nproc"], m["loadavg_1min_at_start"], m["python"],
                         m["versions"]["tflite-micro"], m["versions"]["ai-edge-litert"],
                         m["rounds"], m["runs"]))
    print("| model | input | mote-opt µs | mote-ref µs | tflm-python µs | litert µs "
          "| tflm/mote-opt | litert/mote-opt | outputs |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for r in m["models"]:
        inp = "zero point" if r["input"] == "zero point" else os.path.basename(r["input"])
        print("| %s | %s | %.1f | %.1f | %.1f | %.1f | %.2fx | %.2fx | %s |" % (
            r["name"], inp, r["us"]["mote-opt"], r["us"]["mote-ref"], r["us"]["tflm-python"],
            r["us"]["litert"], r["ratio"]["tflm_over_mote_opt"], r["ratio"]["litert_over_mote_opt"],
            "equal" if r["outputs_equal"] else "%s differs" % ", ".join(r["differ_from_mote_ref"])))
    print()
    for r in m["models"]:
        if r["outputs_equal"]:
            print("- %s: outputs equal (%d bytes)" % (r["name"], len(r["output_hex"]["mote-ref"]) // 2))
        else:
            print("- %s: %s" % (r["name"], "; ".join(r["mismatches"])))
        if r["litert_patched_quantized_dimension"]:
            print("  (LiteRT rejected the model as is; it ran with quantized_dimension 0 on "
                  "tensors %s)" % r["litert_patched_quantized_dimension"])
    for s in m["skipped"]:
        print("- skipped %s: %s" % (os.path.basename(s["model"]), s["reason"]))


if __name__ == "__main__":
    sys.exit(main())
