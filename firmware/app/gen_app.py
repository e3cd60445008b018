#!/usr/bin/env python3
"""Generates the per-model configuration of a firmware/app application.

    gen_app.py MODEL.tflite --name NAME --schema schema/tflite.fbs --out DIR
               [--arena-bytes N]

Reads the model's operator codes (a few lines of flatbuffer reading: no
flatbuffers package needed) and writes:
  DIR/app_config.h   MOTE_APP_NAME, MOTE_APP_ARENA_BYTES and MOTE_APP_OPS(X),
                     an X-macro listing the registration function of every op
                     the model uses (mote::ops::Conv2D ... ), nothing else
  DIR/app_model.cc   the model bytes, embedded with .incbin in the section
                     .mote_model (firmware/ld/mote_sections.ld places it after
                     .rodata; it is not code: tools/footprint.py reports it as
                     `model`, outside the app's text)
  DIR/app_ops.txt    the op names, one per line (for people and tools)
Prints the op list. Exits 1 when the model uses an op mote does not implement.
"""
import argparse
import os
import re
import struct
import sys

# TFLite builtin name -> the registration function in include/mote/op_registry.h.
REGISTRATIONS = {
    "ADD": "Add", "AVERAGE_POOL_2D": "AveragePool2D", "CONCATENATION": "Concatenation",
    "CONV_2D": "Conv2D", "DEPTHWISE_CONV_2D": "DepthwiseConv2D", "DEQUANTIZE": "Dequantize",
    "FULLY_CONNECTED": "FullyConnected", "LOGISTIC": "Logistic", "MAX_POOL_2D": "MaxPool2D",
    "MEAN": "Mean", "MUL": "Mul", "PAD": "Pad", "PADV2": "PadV2", "QUANTIZE": "Quantize",
    "RELU": "Relu", "RELU6": "Relu6", "RESHAPE": "Reshape", "SOFTMAX": "Softmax",
    "SQUEEZE": "Squeeze", "SUB": "Sub", "TANH": "Tanh",
}


def builtin_names(schema_path):
    """{value: name} of `enum BuiltinOperator` in our schema."""
    text = open(schema_path).read()
    m = re.search(r"enum\s+BuiltinOperator\s*:\s*\w+\s*\{(.*?)\}", text, re.S)
    if not m:
        raise SystemExit("gen_app: no enum BuiltinOperator in " + schema_path)
    names = {}
    for name, value in re.findall(r"(\w+)\s*=\s*(-?\d+)", re.sub(r"//[^\n]*", "", m.group(1))):
        names[int(value)] = name
    return names


class Table:
    """A flatbuffer table at `pos` in `buf` (only what reading op codes needs)."""

    def __init__(self, buf, pos):
        self.buf, self.pos = buf, pos
        self.vt = pos - struct.unpack_from("<i", buf, pos)[0]
        self.vt_len = struct.unpack_from("<H", buf, self.vt)[0]

    def _field(self, index):
        off = 4 + 2 * index
        if off + 2 > self.vt_len:
            return 0
        return struct.unpack_from("<H", self.buf, self.vt + off)[0]

    def scalar(self, index, fmt, default):
        f = self._field(index)
        return struct.unpack_from("<" + fmt, self.buf, self.pos + f)[0] if f else default

    def ref(self, index):
        f = self._field(index)
        if not f:
            return None
        p = self.pos + f
        return p + struct.unpack_from("<I", self.buf, p)[0]

    def tables(self, index):
        v = self.ref(index)
        if v is None:
            return []
        n = struct.unpack_from("<I", self.buf, v)[0]
        out = []
        for i in range(n):
            e = v + 4 + 4 * i
            out.append(Table(self.buf, e + struct.unpack_from("<I", self.buf, e)[0]))
        return out


def model_ops(path, names):
    """Builtin names of the ops the model's operators use, in first-use order."""
    buf = open(path, "rb").read()
    if len(buf) < 8 or buf[4:8] != b"TFL3":
        raise SystemExit("gen_app: %s is not a .tflite model (no TFL3 identifier)" % path)
    model = Table(buf, struct.unpack_from("<I", buf, 0)[0])
    codes = []
    for oc in model.tables(1):  # Model.operator_codes
        deprecated = oc.scalar(0, "b", 0)   # OperatorCode.deprecated_builtin_code
        builtin = oc.scalar(3, "i", 0)      # OperatorCode.builtin_code
        custom = oc.ref(1) is not None      # OperatorCode.custom_code
        code = max(deprecated, builtin)     # older models set only the deprecated byte
        codes.append("CUSTOM" if custom or code == 32 else names.get(code, "BUILTIN_%d" % code))
    used = []
    for sg in model.tables(2):  # Model.subgraphs
        for op in sg.tables(3):  # SubGraph.operators
            name = codes[op.scalar(0, "I", 0)]  # Operator.opcode_index
            if name not in used:
                used.append(name)
    return used


def write(path, text):
    # Always rewritten: the build runs this only when the model, the schema or
    # this script changed, and its outputs must then be newer than them.
    with open(path, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--name", required=True)
    ap.add_argument("--schema", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--arena-bytes", type=int, default=160 * 1024)
    args = ap.parse_args()

    ops = model_ops(args.model, builtin_names(args.schema))
    missing = [o for o in ops if o not in REGISTRATIONS]
    if missing:
        print("gen_app: %s uses ops mote lacks: %s" % (args.model, ", ".join(missing)), file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)
    funcs = sorted(REGISTRATIONS[o] for o in ops)
    write(os.path.join(args.out, "app_config.h"), "".join([
        "// Generated by firmware/app/gen_app.py from %s: do not edit.\n" % os.path.basename(args.model),
        "#define MOTE_APP_NAME \"%s\"\n" % args.name,
        "#define MOTE_APP_ARENA_BYTES %d\n" % args.arena_bytes,
        "// The ops the model uses: %s\n" % ", ".join(ops),
        "#define MOTE_APP_OPS(X) %s\n" % " ".join("X(%s)" % f for f in funcs),
    ]))
    model_abs = os.path.abspath(args.model).replace("\\", "/").replace('"', '\\"')
    write(os.path.join(args.out, "app_model.cc"), "".join([
        "// Generated by firmware/app/gen_app.py: the model bytes, in place (read-only,\n",
        "// 16-byte aligned) in the section .mote_model, outside .text and .rodata.\n",
        "__asm__(\n",
        "    \"  .section .mote_model,\\\"a\\\",%progbits\\n\"\n",
        "    \"  .balign 16\\n\"\n",
        "    \"  .global mote_app_model\\n\"\n",
        "    \"mote_app_model:\\n\"\n",
        "    \"  .incbin \\\"%s\\\"\\n\"\n" % model_abs,
        "    \"  .global mote_app_model_end\\n\"\n",
        "    \"mote_app_model_end:\\n\"\n",
        "    \"  .previous\\n\");\n",
    ]))
    write(os.path.join(args.out, "app_ops.txt"), "".join(o + "\n" for o in ops))
    print("%s: %s" % (args.name, " ".join(ops)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
