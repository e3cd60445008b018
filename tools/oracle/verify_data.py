#!/usr/bin/env python3
"""Check the oracle data on disk: every case in index.txt has a .tflite with
exactly one operator (the one its folder names) and a well-formed .io whose
outputs LiteRT's reference kernels reproduce byte for byte.

    python3 tools/oracle/verify_data.py [--data DIR] [--only OP]
"""

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
from ai_edge_litert.interpreter import Interpreter, OpResolverType  # noqa: E402
from gen_cases import DEFAULT_OUT, read_io  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=DEFAULT_OUT)
    ap.add_argument("--only", default=None)
    args = ap.parse_args()
    with open(os.path.join(args.data, "index.txt")) as f:
        cases = [x.strip() for x in f if x.strip()]
    if cases != sorted(cases):
        print("index.txt is not sorted")
        return 1
    bad = 0
    n = 0
    for rel in cases:
        op_dir = rel.split("/")[0]
        if args.only and op_dir != args.only.lower():
            continue
        n += 1
        base = os.path.join(args.data, rel)
        try:
            with open(base + ".tflite", "rb") as f:
                model = f.read()
            ins, outs = read_io(base + ".io")
            it = Interpreter(model_content=model,
                             experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
            it.allocate_tensors()
            names = [o["op_name"] for o in it._get_ops_details()]
            if names != [op_dir.upper()]:
                raise RuntimeError("ops %s" % names)
            ind, outd = it.get_input_details(), it.get_output_details()
            if len(ind) != len(ins) or len(outd) != len(outs):
                raise RuntimeError("tensor count mismatch")
            for d, b in zip(ind, ins):
                it.set_tensor(d["index"], np.frombuffer(b, d["dtype"]).reshape(d["shape"]))
            it.invoke()
            for d, b in zip(outd, outs):
                if it.get_tensor(d["index"]).tobytes() != b:
                    raise RuntimeError("output %s differs" % d["name"])
        except Exception as e:  # noqa: BLE001
            bad += 1
            print("FAIL %s: %s" % (rel, str(e).strip().splitlines()[-1]))
    print("%d cases checked, %d failed" % (n, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
