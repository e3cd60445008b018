#!/usr/bin/env python3
"""Whole-model differential test: mote vs TensorFlow Lite's reference kernels.

Every bundled model (models/*.tflite) and every model in ../shared/models that
mote supports runs on N seeded random inputs through `mote run --json` and
through ai-edge-litert's interpreter with the BUILTIN_REF op resolver; the
output bytes must be identical. Prints `model-diff: N runs, N bit-exact` and
fails (exit 1) on any difference, or when ai-edge-litert is missing (exit 2).

usage: model_diff.py MOTE_CLI [--runs N] [--shared DIR] [--kernels reference|optimized]
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

# Models of ../shared outside mote's op set (SVDF, int16, Signal custom ops).
OUT_OF_SCOPE = ("keyword_scrambled", "audio_preprocessor")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mote")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "../../../shared"))
    ap.add_argument("--kernels", default="optimized")
    args = ap.parse_args()
    try:
        import numpy as np
        from ai_edge_litert.interpreter import OpResolverType
    except ImportError as e:
        print(f"model-diff: FAILED: ai-edge-litert is not installed ({e}); "
              "pip install -r tools/requirements-test.txt", file=sys.stderr)
        return 2

    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
    sys.path.insert(0, os.path.join(root, "tools", "oracle"))
    import litert_ref  # the same LiteRT setup as `mote compare` (person_detect patch)
    models = sorted(glob.glob(os.path.join(root, "models", "*.tflite")))
    shared_models = os.path.join(args.shared, "models")
    if os.path.isdir(shared_models):
        for m in sorted(glob.glob(os.path.join(shared_models, "*", "*.tflite"))):
            if not any(s in m for s in OUT_OF_SCOPE):
                models.append(m)
    else:
        print(f"model-diff: {shared_models} not found: bundled models only")

    runs = exact = 0
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for model in models:
            with open(model, "rb") as f:
                ref, _ = litert_ref.make_interpreter(f.read(), OpResolverType.BUILTIN_REF, False)
            ins = ref.get_input_details()
            outs = ref.get_output_details()
            rng = np.random.default_rng(20261126)
            for r in range(args.runs):
                paths = []
                for k, d in enumerate(ins):
                    if np.issubdtype(d["dtype"], np.integer):
                        info = np.iinfo(d["dtype"])
                        x = rng.integers(info.min, info.max + 1, size=d["shape"], dtype=d["dtype"])
                    else:
                        x = rng.uniform(-1.0, 7.0, size=d["shape"]).astype(d["dtype"])
                    ref.set_tensor(d["index"], x)
                    p = os.path.join(tmp, f"in{k}.bin")
                    x.tofile(p)
                    paths.append(p)
                ref.invoke()
                want = "".join(ref.get_tensor(d["index"]).tobytes().hex() for d in outs)
                cmd = [args.mote, "run", model, "--json", "--kernels", args.kernels]
                for p in paths:
                    cmd += ["--input", p]
                res = subprocess.run(cmd, capture_output=True, text=True)
                runs += 1
                if res.returncode != 0:
                    failures.append(f"{model} run {r}: mote failed: {res.stderr.strip()}")
                    continue
                got = "".join(o["hex"] for o in json.loads(res.stdout)["outputs"])
                if got == want:
                    exact += 1
                else:
                    failures.append(f"{model} run {r}: mote {got[:64]} != TFLite {want[:64]}")
            print(f"model-diff: {os.path.relpath(model, root)}: {args.runs} inputs")
    for f in failures[:20]:
        print("model-diff: MISMATCH " + f)
    print(f"model-diff: {runs} runs, {exact} bit-exact")
    return 0 if runs > 0 and runs == exact else 1


if __name__ == "__main__":
    sys.exit(main())
