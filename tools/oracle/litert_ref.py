#!/usr/bin/env python3
"""Run a .tflite model with LiteRT's reference kernels and print JSON.

    python3 tools/oracle/litert_ref.py MODEL [--input FILE]... [--all-tensors]
                                       [--seed N [--write-inputs DIR]]
                                       [--resolver ref|builtin|xnnpack]

Inputs, in the model's input order:
  --input FILE   raw little-endian tensor bytes, one file per input, exactly the
                 tensor's size; a single MOTEIO1 file (an oracle .io) supplies
                 all inputs at once;
  --seed N       seeded random inputs (int8/uint8/int16 over the full range,
                 int32 in [-1000, 1000], float in [-1, 1], bool 0/1); with
                 --write-inputs DIR they are also written to DIR/input_<i>.bin;
  neither        every input filled with its zero point (0 for float).

Output (stdout, one JSON object):
  {"model": ..., "resolver": "BUILTIN_REF",
   "inputs":  [{"index","name","dtype","shape","hex"}],
   "outputs": [{"index","name","dtype","shape","hex"}],
   "tensors": [{"index","name","dtype","shape","quantization","hex"}]}
"tensors" lists every tensor of the main subgraph when --all-tensors is given
(the interpreter then runs with experimental_preserve_all_tensors=True, so
intermediate values are kept); "hex" is null when a tensor has no data (e.g.
an optional input). Without --all-tensors, "tensors" is empty.

If LiteRT rejects the model because a tensor's quantized_dimension is out of
range for its rank (person_detect's depthwise biases say 3 on rank-1 tensors),
the model is retried with that field set to 0 and the JSON gets
"patched_quantized_dimension": [tensor indices] (a warning goes to stderr).

The interpreter uses OpResolverType.BUILTIN_REF (TFLite's reference kernels),
which is what mote is bit-exact with; --resolver builtin/xnnpack switch to the
optimized kernels / the XNNPACK delegate for comparison only.
"""

import argparse
import json
import os
import struct
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
from ai_edge_litert.interpreter import Interpreter, OpResolverType  # noqa: E402

MAGIC = b"MOTEIO1\0"
RESOLVERS = {
    "ref": OpResolverType.BUILTIN_REF,
    "builtin": OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES,
    "xnnpack": OpResolverType.BUILTIN,
}


def read_io_inputs(data):
    n_in, n_out = struct.unpack_from("<II", data, 8)
    off, blobs = 16, []
    for _ in range(n_in):
        (n,) = struct.unpack_from("<I", data, off)
        blobs.append(data[off + 4:off + 4 + n])
        off += 4 + n
    return blobs


def zero_point_of(d):
    zps = d.get("quantization_parameters", {}).get("zero_points", [])
    if len(zps):
        return int(zps[0])
    return int(d.get("quantization", (0.0, 0))[1])


def random_input(rng, dtype, shape):
    dt = np.dtype(dtype)
    if dt == np.bool_:
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    if dt.kind in "iu":
        if dt.itemsize <= 2:
            info = np.iinfo(dt)
            return rng.integers(info.min, info.max + 1, size=shape, dtype=np.int64).astype(dt)
        return rng.integers(-1000, 1001, size=shape).astype(dt)
    if dt.kind == "f":
        return rng.uniform(-1.0, 1.0, size=shape).astype(dt)
    raise SystemExit("cannot generate random data for dtype %s" % dt)


def quant_of(d):
    qp = d.get("quantization_parameters") or {}
    sc = [float(x) for x in qp.get("scales", [])]
    if not sc:
        return None
    return {"scale": sc, "zero_point": [int(x) for x in qp.get("zero_points", [])],
            "quantized_dimension": int(qp.get("quantized_dimension", 0))}


def entry(d, arr):
    return {"index": int(d["index"]), "name": d["name"], "dtype": np.dtype(d["dtype"]).name,
            "shape": [int(x) for x in (arr.shape if arr is not None else d["shape"])],
            "hex": None if arr is None else np.ascontiguousarray(arr).tobytes().hex()}


def patch_quantized_dimension(model):
    """Return (patched_bytes, [tensor indices]) with quantized_dimension set to
    0 wherever it is out of range for the tensor's rank.

    Some published models (person_detect: its depthwise biases are rank 1 but
    say quantized_dimension 3) are rejected by LiteRT's model check while TFLM
    runs them; for a rank-1 per-channel tensor dimension 0 is the only meaning.
    The field is rewritten in place, so nothing else in the file changes."""
    from ai_edge_litert import schema_py_generated as S
    buf = bytearray(model)
    m = S.Model.GetRootAs(buf, 0)
    fixed = []
    for g in range(m.SubgraphsLength()):
        sg = m.Subgraphs(g)
        for i in range(sg.TensorsLength()):
            t = sg.Tensors(i)
            q = t.Quantization()
            if q is None or q.QuantizedDimension() < max(t.ShapeLength(), 1):
                continue
            o = q._tab.Offset(16)  # QuantizationParameters.quantized_dimension
            if o:
                struct.pack_into("<i", buf, q._tab.Pos + o, 0)
                fixed.append(i if g == 0 else "%d:%d" % (g, i))
    return bytes(buf), fixed


def make_interpreter(model, resolver, preserve):
    """Create and allocate; on a rejected model retry once with
    patch_quantized_dimension. Returns (interpreter, patched tensor list)."""
    def make(m):
        it = Interpreter(model_content=m, experimental_op_resolver_type=resolver,
                         experimental_preserve_all_tensors=preserve)
        it.allocate_tensors()
        return it
    try:
        return make(model), []
    except (ValueError, RuntimeError) as first:
        patched, fixed = patch_quantized_dimension(model)
        if not fixed:
            raise
        try:
            it = make(patched)
        except (ValueError, RuntimeError):
            raise first
        sys.stderr.write("litert_ref: LiteRT rejected the model; retried with "
                         "quantized_dimension set to 0 on tensors %s\n" % fixed)
        return it, fixed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("model")
    ap.add_argument("--input", action="append", default=[], metavar="FILE")
    ap.add_argument("--all-tensors", action="store_true")
    ap.add_argument("--seed", type=int)
    ap.add_argument("--write-inputs", metavar="DIR")
    ap.add_argument("--resolver", choices=sorted(RESOLVERS), default="ref")
    args = ap.parse_args()

    with open(args.model, "rb") as f:
        model = f.read()
    it, patched = make_interpreter(model, RESOLVERS[args.resolver], args.all_tensors)
    in_details = it.get_input_details()

    inputs = []
    if args.input:
        blobs = []
        if len(args.input) == 1:
            with open(args.input[0], "rb") as f:
                data = f.read()
            blobs = read_io_inputs(data) if data[:8] == MAGIC else [data]
        else:
            for p in args.input:
                with open(p, "rb") as f:
                    blobs.append(f.read())
        if len(blobs) != len(in_details):
            raise SystemExit("model has %d inputs, got %d" % (len(in_details), len(blobs)))
        for d, b in zip(in_details, blobs):
            dt = np.dtype(d["dtype"])
            n = int(np.prod(d["shape"])) * dt.itemsize
            if len(b) != n:
                raise SystemExit("input %s: expected %d bytes, got %d" % (d["name"], n, len(b)))
            inputs.append(np.frombuffer(b, dtype=dt).reshape(d["shape"]).copy())
    elif args.seed is not None:
        rng = np.random.default_rng(args.seed)
        inputs = [random_input(rng, d["dtype"], tuple(d["shape"])) for d in in_details]
    else:
        for d in in_details:
            dt = np.dtype(d["dtype"])
            v = 0 if dt.kind == "f" else zero_point_of(d)
            inputs.append(np.full(tuple(d["shape"]), v, dtype=dt))

    if args.write_inputs:
        os.makedirs(args.write_inputs, exist_ok=True)
        for i, x in enumerate(inputs):
            with open(os.path.join(args.write_inputs, "input_%d.bin" % i), "wb") as f:
                f.write(np.ascontiguousarray(x).tobytes())

    for d, x in zip(in_details, inputs):
        it.set_tensor(d["index"], x)
    it.invoke()

    out = {"model": args.model, "resolver": RESOLVERS[args.resolver].name,
           "inputs": [entry(d, x) for d, x in zip(in_details, inputs)],
           "outputs": [entry(d, it.get_tensor(d["index"])) for d in it.get_output_details()],
           "tensors": []}
    if patched:
        out["patched_quantized_dimension"] = patched
    if args.all_tensors:
        for d in sorted(it.get_tensor_details(), key=lambda d: d["index"]):
            try:
                arr = it.get_tensor(d["index"])
            except ValueError:
                arr = None
            e = entry(d, arr)
            e["quantization"] = quant_of(d)
            out["tensors"].append(e)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
