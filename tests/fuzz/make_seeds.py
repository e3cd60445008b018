#!/usr/bin/env python3
"""Small fuzz seeds derived from the bundled models (models/*.tflite).

The bundled models are 46 KB to 300 KB and cost up to 7 M MACs per run: under
ASan + UBSan + coverage that is 0.1-1 s per execution, and mutations mostly
land in weight bytes. This script shrinks each of them into a model with the
same ops, options and quantization layout but tiny spatial sizes, at most
MAX_CHANNELS channels per layer and short tensor names (a few KB, well under
a millisecond per run), so that the fuzzer spends its time in the verifier,
prepare and the kernels' edge cases rather than in big inner loops.

Usage: python3 tests/fuzz/make_seeds.py OUT_DIR   (run_fuzz.sh does it)
Needs only flatc (the .tflite <-> JSON round trip) and schema/tflite.fbs.
The seeds are written at fuzz time and never committed.
"""
import json
import math
import os
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA = os.path.join(ROOT, "schema", "tflite.fbs")
MAX_CHANNELS = 8
SIZES = {"int8": 1, "uint8": 1, "int16": 2, "int32": 4, "float32": 4, "int64": 8}


def to_json(model_path, tmp):
    subprocess.run(["flatc", "--json", "--strict-json", "--raw-binary", "--defaults-json",
                    "-o", tmp, SCHEMA, "--", model_path], check=True)
    name = os.path.splitext(os.path.basename(model_path))[0] + ".json"
    with open(os.path.join(tmp, name)) as f:
        return json.load(f)


def to_binary(model, out_path, tmp):
    src = os.path.join(tmp, os.path.splitext(os.path.basename(out_path))[0] + ".json")
    with open(src, "w") as f:
        json.dump(model, f)
    # flatc names the output after the JSON file, with the schema's extension.
    subprocess.run(["flatc", "--binary", "-o", os.path.dirname(out_path), SCHEMA, src], check=True)


class Shrinker:
    def __init__(self, model):
        self.m = model
        self.sg = model["subgraphs"][0]
        self.t = self.sg["tensors"]
        self.codes = [c.get("builtin_code", "ADD") for c in model["operator_codes"]]

    def elem_size(self, i):
        return SIZES[self.t[i].get("type", "FLOAT32").lower()]

    def data(self, i):
        return bytes(self.m["buffers"][self.t[i].get("buffer", 0)].get("data", []))

    def set_data(self, i, raw):
        self.m["buffers"][self.t[i]["buffer"]]["data"] = list(raw)

    def slice_tensor(self, i, keep):
        """Keeps keep[d] leading entries of every dimension d (data and quantization)."""
        t = self.t[i]
        shape = t["shape"]
        raw = self.data(i)
        es = self.elem_size(i)
        if raw:
            out = bytearray()
            strides = [1] * len(shape)
            for d in range(len(shape) - 2, -1, -1):
                strides[d] = strides[d + 1] * shape[d + 1]

            def walk(d, base):
                if d == len(shape):
                    out.extend(raw[base * es:(base + 1) * es])
                    return
                for k in range(keep[d]):
                    walk(d + 1, base + k * strides[d])
            walk(0, 0)
            self.set_data(i, out)
        q = t.get("quantization")
        if q and len(q.get("scale", [])) > 1:
            n = keep[q.get("quantized_dimension", 0)]
            q["scale"] = q["scale"][:n]
            q["zero_point"] = q["zero_point"][:n]
        t["shape"] = list(keep)

    def run(self, in_hw):
        # Input: [1, H, W, C] images get in_hw; [1, N] vectors get 8 * MAX_CHANNELS.
        x = self.sg["inputs"][0]
        shape = self.t[x]["shape"]
        if len(shape) == 4:
            shape[1], shape[2] = in_hw
            shape[3] = min(shape[3], MAX_CHANNELS)
        else:
            shape[-1] = min(shape[-1], 8 * MAX_CHANNELS)
        for op in self.sg["operators"]:
            code = self.codes[op.get("opcode_index", 0)]
            ins, outs = op["inputs"], op["outputs"]
            o = op.get("builtin_options", {})
            src = self.t[ins[0]]["shape"]
            out = self.t[outs[0]]
            if code in ("CONV_2D", "DEPTHWISE_CONV_2D"):
                w = self.t[ins[1]]["shape"]
                if code == "CONV_2D":
                    cout = min(w[0], MAX_CHANNELS)
                    self.slice_tensor(ins[1], [cout, w[1], w[2], src[3]])
                else:
                    cout = src[3] * o.get("depth_multiplier", 1)
                    self.slice_tensor(ins[1], [1, w[1], w[2], cout])
                if len(ins) > 2 and ins[2] >= 0:
                    self.slice_tensor(ins[2], [cout])
                kh, kw = w[1], w[2]
                out["shape"] = [1, self.extent(o, src[1], kh, "h"), self.extent(o, src[2], kw, "w"), cout]
            elif code in ("AVERAGE_POOL_2D", "MAX_POOL_2D"):
                for axis, dim in (("height", 1), ("width", 2)):
                    if o.get("padding") == "VALID" and o["filter_" + axis] > src[dim]:
                        o["filter_" + axis] = src[dim]  # was a global pool
                out["shape"] = [1, self.extent(o, src[1], o["filter_height"], "h"),
                                self.extent(o, src[2], o["filter_width"], "w"), src[3]]
            elif code == "FULLY_CONNECTED":
                w = self.t[ins[1]]["shape"]
                units = min(w[0], 8 * MAX_CHANNELS)
                depth = math.prod(src) // src[0] if len(src) > 1 else src[0]
                self.slice_tensor(ins[1], [units, depth])
                if len(ins) > 2 and ins[2] >= 0:
                    self.slice_tensor(ins[2], [units])
                out["shape"] = [src[0], units]
            elif code == "RESHAPE":
                out["shape"] = [1, math.prod(src)]
                if len(ins) > 1 and ins[1] >= 0:
                    self.set_data(ins[1], struct.pack("<2i", *out["shape"]))
            else:  # elementwise (SOFTMAX, ...)
                out["shape"] = list(src)
        for i, t in enumerate(self.t):
            t["name"] = "t%d" % i
            t.pop("shape_signature", None)
        self.m.pop("signature_defs", None)
        return self.m

    @staticmethod
    def extent(o, size, k, axis):
        stride = o.get("stride_" + axis, 1)
        dil = o.get("dilation_%s_factor" % axis, 1)
        if o.get("padding", "SAME") == "SAME":
            return (size + stride - 1) // stride
        return (size - ((k - 1) * dil + 1) + stride) // stride


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    plans = {"kws_dscnn": [(6, 4), (3, 3)], "person_mobilenet": [(8, 8), (5, 3)],
             "anomaly_mlp": [(1, 1)]}
    with tempfile.TemporaryDirectory() as tmp:
        for name, sizes in plans.items():
            for hw in sizes:
                model = to_json(os.path.join(ROOT, "models", name + ".tflite"), tmp)
                small = Shrinker(model).run(hw)
                path = os.path.join(out_dir, "%s_%dx%d.tflite" % (name, hw[0], hw[1]))
                to_binary(small, path, tmp)
                print(path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
