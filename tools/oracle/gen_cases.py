#!/usr/bin/env python3
"""Generate mote's bit-exactness oracle: single-op .tflite models with the
outputs of LiteRT's reference kernels (OpResolverType.BUILTIN_REF) on seeded
random inputs.

    python3 tools/oracle/gen_cases.py [--out DIR] [--only OP[,OP...]] [--seed N]

Output (see tests/oracle/README.md):
    DIR/<op_lowercase>/<case>.tflite
    DIR/<op_lowercase>/<case>.io      MOTEIO1 inputs + expected outputs
    DIR/index.txt                     one '<op_lowercase>/<case>' per line, sorted
    DIR/manifest.json                 versions, seed, per-case op/dtype/params

Most models are written directly as flatbuffers (ops.py, tflbuild.py) with the
quantization the TFLite converter would produce (calibrated on the float model)
or deliberately extreme quantization; a smaller set (group 'cv') is produced by
the real TFLiteConverter from Keras / tf.function (converter_cases.py).
Every model is checked to hold exactly the one intended operator.
"""

import argparse
import datetime
import hashlib
import json
import os
import pickle
import shutil
import signal
import struct
import sys
import time
import zlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import ai_edge_litert  # noqa: E402
from ai_edge_litert.interpreter import Interpreter, OpResolverType  # noqa: E402

import ops as OPS  # noqa: E402
import sweeps as SW  # noqa: E402
from tflbuild import qparams_from_range, float_range  # noqa: E402

MAGIC = b"MOTEIO1\0"
DEFAULT_SEED = 20240611
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
DEFAULT_OUT = os.path.join(REPO, "tests", "oracle", "data")
OP_ORDER = list(SW.SWEEPS.keys())


# --------------------------------------------------------------------------
# .io format


def write_io(path, inputs, outputs):
    with open(path, "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<II", len(inputs), len(outputs)))
        for a in list(inputs) + list(outputs):
            b = np.ascontiguousarray(a).tobytes()
            f.write(struct.pack("<I", len(b)))
            f.write(b)


def read_io(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == MAGIC, path
    n_in, n_out = struct.unpack_from("<II", data, 8)
    off, blobs = 16, []
    for _ in range(n_in + n_out):
        (n,) = struct.unpack_from("<I", data, off)
        blobs.append(data[off + 4:off + 4 + n])
        off += 4 + n
    assert off == len(data), path
    return blobs[:n_in], blobs[n_in:]


# --------------------------------------------------------------------------
# running LiteRT


def make_interp(model, resolver):
    it = Interpreter(model_content=model, experimental_op_resolver_type=resolver)
    it.allocate_tensors()
    return it


def invoke(it, inputs):
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [it.get_tensor(d["index"]).copy() for d in it.get_output_details()]


def _qidx(name):
    if name in ("input", "input1"):
        return 0
    if name == "input2":
        return 1
    return int(name[len("input"):])


def gen_input(rng, spec, gen, frange):
    name, shape, dt = spec
    shape = tuple(shape)
    if gen is None:
        if dt == "int8":
            return rng.integers(-128, 128, size=shape, dtype=np.int16).astype(np.int8)
        return rng.uniform(-frange, frange, size=shape).astype(np.float32)
    kind = gen[0]
    if kind == "f32":
        return rng.uniform(gen[1], gen[2], size=shape).astype(np.float32)
    if kind == "f32_ties":
        s, z = gen[1], gen[2]
        k = rng.integers(-140 - z, 140 - z, size=shape)
        ties = ((k + 0.5) * s).astype(np.float32)
        plain = rng.uniform(s * (-140 - z), s * (140 - z), size=shape).astype(np.float32)
        return np.where(rng.random(size=shape) < 0.6, ties, plain).astype(np.float32)
    if kind == "int8_many":
        x = rng.integers(-128, 128, size=shape, dtype=np.int16).astype(np.int8)
        x[rng.random(size=shape) < gen[2]] = gen[1]
        return x
    if kind == "int8_const":
        return np.full(shape, gen[1], np.int8)
    if kind == "int8_split":      # exactly gen[2] elements at gen[1], the rest at gen[3]
        x = np.full(int(np.prod(shape)), gen[3], np.int8)
        x[rng.permutation(x.size)[:gen[2]]] = gen[1]
        return x.reshape(shape)
    raise ValueError(kind)


def calibrate(op, case, rng):
    """Run the float model on representative data; return the output range."""
    fmodel, specs = OPS.BUILDERS[op](case["p"], "float32", None)
    it = make_interp(fmodel, OpResolverType.BUILTIN_REF)
    mn, mx = np.inf, -np.inf
    for _ in range(4):
        xs = []
        for spec in specs:
            lo, hi = float_range(*case["qin"][_qidx(spec[0])])
            xs.append(rng.uniform(lo, hi, size=tuple(spec[1])).astype(np.float32))
        y = invoke(it, xs)[0]
        mn, mx = min(mn, float(y.min())), max(mx, float(y.max()))
    return mn, mx


def out_qparams(op, case, rng):
    mode = case.get("out")
    if mode is None:
        return None
    if isinstance(mode, list) and mode[0] == "fixed":
        return (float(np.float32(mode[1])), int(mode[2]))
    if mode == "same":
        return tuple(case["qin"][0])
    mn, mx = calibrate(op, case, rng)
    if mode == "sat":
        mn, mx = mn * 0.25, mx * 0.25
    elif mode == "sat_hard":
        mn, mx = mn * 0.02, mx * 0.02
    elif mode == "zp127":
        mn, mx = (mn if mn < 0 else -mx), 0.0
    elif mode == "zpm128":
        mn, mx = 0.0, (mx if mx > 0 else -mn)
    return qparams_from_range(mn, mx)


def tensor_desc(d):
    qp = d.get("quantization_parameters", {})
    sc = [float(x) for x in qp.get("scales", [])]
    zp = [int(x) for x in qp.get("zero_points", [])]
    out = {"name": d["name"], "dtype": np.dtype(d["dtype"]).name,
           "shape": [int(x) for x in d["shape"]]}
    if sc:
        out["scale"] = sc[0] if len(sc) == 1 else sc
        out["zero_point"] = zp[0] if len(zp) == 1 else zp
    return out


def jsonable(v):
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items() if not k.startswith("_")}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def diff_summary(ref, other):
    """(bytes_equal, max_abs_diff) between two output lists."""
    eq = all(a.shape == b.shape and a.tobytes() == b.tobytes() for a, b in zip(ref, other))
    md = 0.0
    for a, b in zip(ref, other):
        if a.shape == b.shape:
            d = np.abs(a.astype(np.float64) - b.astype(np.float64))
            d = d[np.isfinite(d)]
            if d.size:
                md = max(md, float(d.max()))
        else:
            md = float("inf")
    return eq, md


def verify_single_op(it, op):
    opsd = it._get_ops_details()
    names = [o["op_name"] for o in opsd]
    if names != [op]:
        raise RuntimeError("model holds ops %s, expected exactly [%s]" % (names, op))


COMPARE = [("builtin", OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES),
           ("xnnpack", OpResolverType.BUILTIN)]


def run_case_steps(op, case, seed):
    """Build, verify and run one case.

    Yields ("ref", (model, inputs, outputs, meta)) first, then one
    ("cmp", label, info) per comparison resolver: how LiteRT's optimized
    kernels ("builtin") and its XNNPACK delegate ("xnnpack") compare with the
    reference outputs. Those comparisons are informational only.
    """
    key = "%s/%s" % (op, case["name"])
    rng = np.random.default_rng([seed, zlib.crc32(key.encode())])
    dt = case["dtype"]
    if case.get("convert_error"):
        raise RuntimeError("converter: " + case["convert_error"])
    if case.get("model") is not None:          # prebuilt (converter cases)
        model, specs = case["model"], case["specs"]
    elif dt == "float32":
        model, specs = OPS.BUILDERS[op](case["p"], "float32", None)
    else:
        q = {"in": [tuple(x) for x in case["qin"]], "out": out_qparams(op, case, rng)}
        model, specs = OPS.BUILDERS[op](case["p"], "int8", q)
    it = make_interp(model, OpResolverType.BUILTIN_REF)
    verify_single_op(it, op)
    declared = [list(d["shape"]) for d in it.get_output_details()]
    gens = case.get("gen") or [None] * len(specs)
    inputs = [gen_input(rng, s, g, case.get("frange", 2.0)) for s, g in zip(specs, gens)]
    for d, x in zip(it.get_input_details(), inputs):
        if np.dtype(d["dtype"]) != x.dtype or list(d["shape"]) != list(x.shape):
            raise RuntimeError("input spec mismatch %s vs %s" % (d, x.shape))
    outputs = invoke(it, inputs)
    for o, shp in zip(outputs, declared):
        if list(o.shape) != shp:
            raise RuntimeError("output shape %s differs from the model's %s" % (o.shape, shp))
    meta = {
        "inputs": [tensor_desc(d) for d in it.get_input_details()],
        "outputs": [tensor_desc(d) for d in it.get_output_details()],
    }
    yield ("ref", (model, inputs, outputs, meta))
    for label, res in COMPARE:
        try:
            other = invoke(make_interp(model, res), inputs)
            eq, md = diff_summary(outputs, other)
            info = {"equal": eq}
            if not eq:
                info["max_abs_diff"] = md
        except Exception as e:  # noqa: BLE001
            info = {"equal": None, "error": str(e).strip().splitlines()[-1][:200]}
        yield ("cmp", label, info)


def _apply_cmp(meta, label, info):
    meta["%s_equal" % label] = info["equal"]
    for k in ("max_abs_diff", "error"):
        if k in info:
            meta["%s_%s" % (label, k)] = info[k]


def run_case(op, case, seed):
    """In-process variant of run_case_steps (used with --no-fork)."""
    res = None
    for step in run_case_steps(op, case, seed):
        if step[0] == "ref":
            res = step[1]
        else:
            _apply_cmp(res[3], step[1], step[2])
    return res


def run_isolated(op, case, seed):
    """Run a case in a forked child: some LiteRT kernels abort() or crash
    (e.g. the int8 reference SOFTMAX on some inputs, the optimized depthwise
    without a bias). The child streams pickled steps through a pipe, so a
    crash in a comparison run keeps the reference result."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(r)
        with os.fdopen(w, "wb") as f:
            try:
                for step in run_case_steps(op, case, seed):
                    blob = pickle.dumps(step)
                    f.write(struct.pack("<Q", len(blob)) + blob)
                    f.flush()
            except Exception as e:  # noqa: BLE001
                blob = pickle.dumps(("err", str(e)))
                f.write(struct.pack("<Q", len(blob)) + blob)
                f.flush()
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    steps, off = [], 0
    while off + 8 <= len(data):
        (n,) = struct.unpack_from("<Q", data, off)
        if off + 8 + n > len(data):
            break
        steps.append(pickle.loads(data[off + 8:off + 8 + n]))
        off += 8 + n
    crash = None
    if os.WIFSIGNALED(status):
        crash = "LiteRT crashed (signal %s)" % signal.Signals(os.WTERMSIG(status)).name
    if not steps or steps[0][0] != "ref":
        if steps and steps[0][0] == "err":
            raise RuntimeError(steps[0][1])
        raise RuntimeError(crash or "child produced no result")
    res = steps[0][1]
    done = set()
    for st in steps[1:]:
        if st[0] == "cmp":
            _apply_cmp(res[3], st[1], st[2])
            done.add(st[1])
    for label, _ in COMPARE:
        if label not in done:
            _apply_cmp(res[3], label, {"equal": None, "error": crash or "not run"})
    return res


# --------------------------------------------------------------------------


def collect_cases(op, seed, with_converter):
    rng = np.random.default_rng([seed, zlib.crc32(op.encode())])
    raw = SW.SWEEPS[op](rng)
    if with_converter:
        import converter_cases
        raw += converter_cases.cases_for(op, seed)
    out, seen = [], set()
    counters = {}
    for c in raw:
        pre = "i8" if c["dtype"] == "int8" else "f32"
        grp = c.get("group", "x")
        k = counters.get((pre, grp), 0)
        counters[(pre, grp)] = k + 1
        name = "%s_%s%03d_%s" % (pre, grp, k, c["name"])
        assert name not in seen, name
        seen.add(name)
        out.append(dict(c, name=name))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--only", action="append", default=[],
                    help="op name (e.g. CONV_2D or conv_2d); repeatable or comma-separated")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--no-converter", action="store_true",
                    help="skip the TFLiteConverter-built cases (faster, no TensorFlow import)")
    ap.add_argument("--list", action="store_true", help="only list the case names")
    ap.add_argument("--no-fork", action="store_true",
                    help="run cases in-process (faster, but a LiteRT abort ends the run)")
    args = ap.parse_args()

    only = [o.strip().upper() for x in args.only for o in x.split(",") if o.strip()]
    for o in only:
        if o not in SW.SWEEPS:
            ap.error("unknown op %s (known: %s)" % (o, ", ".join(OP_ORDER)))
    todo = only or OP_ORDER
    out_dir = os.path.abspath(args.out)
    os.makedirs(out_dir, exist_ok=True)

    t0 = time.time()
    manifest_cases, dropped = {}, []
    counts = {}
    for op in todo:
        cases = collect_cases(op, args.seed, not args.no_converter)
        if args.list:
            for c in cases:
                print("%s/%s" % (op.lower(), c["name"]))
            continue
        op_dir = os.path.join(out_dir, op.lower())
        if os.path.isdir(op_dir):
            shutil.rmtree(op_dir)
        os.makedirs(op_dir)
        n_ok = 0
        t_op = time.time()
        for i, c in enumerate(cases):
            rel = "%s/%s" % (op.lower(), c["name"])
            if os.environ.get("ORACLE_DEBUG"):
                print("  ..", rel, flush=True)
            try:
                if args.no_fork:
                    model, inputs, outputs, meta = run_case(op, c, args.seed)
                else:
                    model, inputs, outputs, meta = run_isolated(op, c, args.seed)
            except Exception as e:  # noqa: BLE001
                msg = str(e).strip().splitlines()
                dropped.append({"case": rel, "reason": " | ".join(msg[-2:])[:300]})
                print("  DROP %s: %s" % (rel, dropped[-1]["reason"]), flush=True)
                continue
            with open(os.path.join(op_dir, c["name"] + ".tflite"), "wb") as f:
                f.write(model)
            write_io(os.path.join(op_dir, c["name"] + ".io"), inputs, outputs)
            entry = {"op": op, "dtype": c["dtype"], "group": c.get("group"),
                     "source": c.get("source", "builder"),
                     "params": jsonable(c.get("p", {})),
                     "model_sha256": hashlib.sha256(model).hexdigest()}
            if c["dtype"] == "int8" and "out" in c and c.get("source") != "converter":
                entry["out_quant_mode"] = jsonable(c["out"])
            entry.update(meta)
            manifest_cases[rel] = entry
            n_ok += 1
            if (i + 1) % 50 == 0:
                print("  %s: %d/%d (%.0fs)" % (op, i + 1, len(cases), time.time() - t0), flush=True)
        counts[op] = n_ok
        print("%-18s %4d cases (%d dropped) in %.1fs" % (op, n_ok, len(cases) - n_ok,
                                                          time.time() - t_op), flush=True)
    if args.list:
        return

    # merge with the existing manifest when only some ops were regenerated
    man_path = os.path.join(out_dir, "manifest.json")
    old = {}
    if only and os.path.exists(man_path):
        with open(man_path) as f:
            old = json.load(f)
    all_cases = {k: v for k, v in old.get("cases", {}).items() if v["op"] not in todo}
    all_cases.update(manifest_cases)
    old_dropped = [d for d in old.get("dropped", [])
                   if d["case"].split("/")[0].upper() not in todo]

    index = []
    for op in OP_ORDER:
        d = os.path.join(out_dir, op.lower())
        if not os.path.isdir(d):
            continue
        for fn in os.listdir(d):
            if fn.endswith(".tflite") and os.path.exists(os.path.join(d, fn[:-7] + ".io")):
                index.append("%s/%s" % (op.lower(), fn[:-7]))
    index.sort()
    with open(os.path.join(out_dir, "index.txt"), "w") as f:
        f.write("".join(x + "\n" for x in index))

    import importlib.metadata as md
    try:
        tf_version = md.version("tensorflow-cpu")
    except md.PackageNotFoundError:
        tf_version = md.version("tensorflow")
    manifest = {
        "format": "MOTEIO1",
        "seed": args.seed,
        "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "tensorflow_version": tf_version,
        "litert_version": md.version("ai-edge-litert"),
        "numpy_version": np.__version__,
        "resolver": "BUILTIN_REF",
        "command": "python3 tools/oracle/gen_cases.py" + (" --seed %d" % args.seed
                                                          if args.seed != DEFAULT_SEED else ""),
        "n_cases": len(all_cases),
        "cases": dict(sorted(all_cases.items())),
        "dropped": old_dropped + dropped,
    }
    with open(man_path, "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=False)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(r, fn)) for r, _, fs in os.walk(out_dir) for fn in fs)
    print("done: %d cases generated now, %d in index, %d dropped, %.1f MB, %.0fs"
          % (sum(counts.values()), len(index), len(dropped), total / 1e6, time.time() - t0))


if __name__ == "__main__":
    main()
