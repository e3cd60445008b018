#!/usr/bin/env python3
"""Generate mote's bundled int8 .tflite models, their sample inputs and oracle outputs.

    python3 tools/gen_models.py [--out models] [--seed 20250101]

Builds three small Keras models with synthetic, seeded weights, converts each to a
full-integer int8 TensorFlow Lite model (int8 input and output), checks the op list,
writes seeded sample inputs and the outputs computed by the LiteRT *reference*
kernels (OpResolverType.BUILTIN_REF), and writes models/README.md.

The weights are NOT trained: predictions are meaningless, but the arithmetic is exact,
which is what the tests need. Nothing here is copied from /work/shared/models; those
models were only inspected to mirror their shapes.

Requirements: tools/requirements.txt (tensorflow-cpu, ai-edge-litert, numpy).
"""

import argparse
import hashlib
import importlib.metadata as md
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_DETERMINISTIC_OPS", "1")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from ai_edge_litert.interpreter import Interpreter, OpResolverType  # noqa: E402

keras = tf.keras
layers = keras.layers

DEFAULT_SEED = 20250101
N_REPRESENTATIVE = 100
N_SAMPLES = 3

ALLOWED_OPS = {
    "CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "AVERAGE_POOL_2D",
    "MAX_POOL_2D", "RESHAPE", "SOFTMAX",
}


# --------------------------------------------------------------------------- models

def he():
    return keras.initializers.HeNormal()


def conv_bn_relu(x, filters, kernel, strides, relu_max, name):
    x = layers.Conv2D(filters, kernel, strides=strides, padding="same", use_bias=False,
                      kernel_initializer=he(), name=name)(x)
    x = layers.BatchNormalization(name=name + "_bn")(x)
    return layers.ReLU(max_value=relu_max, name=name + "_relu")(x)


def dw_bn_relu(x, strides, relu_max, name, depth_multiplier=1):
    x = layers.DepthwiseConv2D(3, strides=strides, padding="same", use_bias=False,
                               depth_multiplier=depth_multiplier,
                               depthwise_initializer=he(), name=name)(x)
    x = layers.BatchNormalization(name=name + "_bn")(x)
    return layers.ReLU(max_value=relu_max, name=name + "_relu")(x)


def build_kws_dscnn():
    """MLPerf Tiny KWS DS-CNN shapes (kws_ref_model.tflite): 49x10 MFCC -> 12 classes."""
    inp = keras.Input((49, 10, 1), batch_size=1, name="input")
    x = conv_bn_relu(inp, 64, (10, 4), 2, None, "conv0")           # -> 25x5x64
    for i in range(1, 5):
        x = dw_bn_relu(x, 1, None, f"dw{i}")
        x = conv_bn_relu(x, 64, 1, 1, None, f"pw{i}")
    x = layers.AveragePooling2D(pool_size=(25, 5), name="avgpool")(x)   # full map
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(12, kernel_initializer=he(), name="logits")(x)
    out = layers.Softmax(name="softmax")(x)
    return keras.Model(inp, out, name="kws_dscnn")


# MobileNet v1 alpha 0.25 at 96x96 (person_detect.tflite): (pointwise filters, dw stride)
MOBILENET_025 = [(16, 1), (32, 2), (32, 1), (64, 2), (64, 1), (128, 2), (128, 1),
                 (128, 1), (128, 1), (128, 1), (128, 1), (256, 2), (256, 1)]


def build_person_mobilenet():
    """MobileNet v1 0.25, 96x96x1 -> 2 classes, ReLU6, same layer list as person_detect.

    Like person_detect.tflite, the first layer is a 3x3 stride-2 depthwise conv with
    depth multiplier 8 on the 1-channel input (-> 48x48x8), not a CONV_2D.
    """
    inp = keras.Input((96, 96, 1), batch_size=1, name="input")
    x = dw_bn_relu(inp, 2, 6.0, "conv0_dw_m8", depth_multiplier=8)     # -> 48x48x8
    for i, (filters, stride) in enumerate(MOBILENET_025, start=1):
        x = dw_bn_relu(x, stride, 6.0, f"dw{i}")
        x = conv_bn_relu(x, filters, 1, 1, 6.0, f"pw{i}")
    x = layers.AveragePooling2D(pool_size=3, strides=2, name="avgpool")(x)  # 3x3 -> 1x1
    x = layers.Conv2D(2, 1, kernel_initializer=he(), name="logits")(x)
    x = layers.Reshape((2,), name="reshape")(x)
    out = layers.Softmax(name="softmax")(x)
    return keras.Model(inp, out, name="person_mobilenet")


ANOMALY_UNITS = [128, 128, 8, 128, 128]


def build_anomaly_mlp():
    """MLPerf Tiny anomaly-detection style dense autoencoder, 640 -> ... -> 640."""
    inp = keras.Input((640,), batch_size=1, name="input")
    x = inp
    for i, units in enumerate(ANOMALY_UNITS):
        x = layers.Dense(units, activation="relu", kernel_initializer=he(),
                         bias_initializer=keras.initializers.RandomNormal(0.05, 0.05),
                         name=f"dense{i}")(x)
    out = layers.Dense(640, kernel_initializer=he(), name="recon")(x)
    return keras.Model(inp, out, name="anomaly_mlp")


# --------------------------------------------------------------------------- data

def kws_data(rng, n):
    return rng.normal(0.0, 1.0, (n, 49, 10, 1)).astype(np.float32)


def person_data(rng, n):
    return rng.uniform(-1.0, 1.0, (n, 96, 96, 1)).astype(np.float32)


def anomaly_data(rng, n):
    return rng.normal(0.0, 1.0, (n, 640)).astype(np.float32)


MODELS = [
    # name, builder, data fn, softmax logits layer name (or None), FC weights per-channel?
    # FULLY_CONNECTED weights are per-tensor, as in every shared reference model. TF 2.21
    # defaults to per-channel FC, but for per-channel FC LiteRT 2.3's BUILTIN_REF kernel
    # requantizes with single rounding while its optimized kernel and TFLM use double
    # rounding (outputs differ by 1 LSB now and then), which would make the oracle ambiguous.
    ("kws_dscnn", build_kws_dscnn, kws_data, "logits", False),
    ("person_mobilenet", build_person_mobilenet, person_data, "logits", False),
    ("anomaly_mlp", build_anomaly_mlp, anomaly_data, None, False),
]


# --------------------------------------------------------------------------- weights

def init_batchnorms(model, calib, rng):
    """Data-dependent BN stats so activations neither explode nor collapse.

    For each BN in order: moving mean/var = statistics of its input on `calib`
    (perturbed), gamma ~ U(0.6, 1.4), beta ~ N(0.3, 0.3) (keeps ~60% of ReLU units on).
    """
    for layer in model.layers:
        if not isinstance(layer, layers.BatchNormalization):
            continue
        probe = keras.Model(model.input, layer.input)
        act = np.asarray(probe(calib, training=False), dtype=np.float64)
        axes = tuple(range(act.ndim - 1))
        mean = act.mean(axis=axes)
        var = act.var(axis=axes) + 1e-3
        c = mean.shape[0]
        gamma = rng.uniform(0.6, 1.4, c)
        beta = rng.normal(0.3, 0.3, c)
        mm = mean + rng.normal(0.0, 0.1, c) * np.sqrt(var)
        mv = var * rng.uniform(0.8, 1.25, c)
        layer.set_weights([w.astype(np.float32) for w in (gamma, beta, mm, mv)])


def init_logits(model, layer_name, calib, rng, target_std=1.5):
    """Rescale the logits layer: across-input spread ~target_std, class offsets ~N(0, 0.3),
    so the int8 softmax output is neither saturated nor constant across inputs."""
    layer = model.get_layer(layer_name)
    probe = keras.Model(model.input, layer.output)
    logits = np.asarray(probe(calib, training=False), dtype=np.float64)
    logits = logits.reshape(logits.shape[0], -1)
    m = logits.mean(axis=0)
    s = (logits - m).std() + 1e-9
    k = target_std / s
    kernel, bias = layer.get_weights()
    c = bias.shape[0]
    new_bias = k * (bias - m) + rng.normal(0.0, 0.3, c)
    layer.set_weights([(kernel * k).astype(np.float32), new_bias.astype(np.float32)])


# --------------------------------------------------------------------------- convert

def convert(model, rep, fc_per_channel):
    def gen():
        for i in range(rep.shape[0]):
            yield [rep[i:i + 1]]

    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = gen
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    conv._experimental_disable_per_channel_quantization_for_dense_layers = not fc_per_channel
    return conv.convert()


def analyse(path):
    """Op histogram, MACs, params (conv/fc weights + biases), io details."""
    it = Interpreter(model_path=path, experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    tensors = {t["index"]: t for t in it.get_tensor_details()}
    ops = it._get_ops_details()
    hist, order, macs, params = {}, [], 0, 0
    for op in ops:
        name = op["op_name"]
        order.append(name)
        hist[name] = hist.get(name, 0) + 1
        if name in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"):
            out_elems = int(np.prod(tensors[op["outputs"][0]]["shape"]))
            wshape = [int(d) for d in tensors[op["inputs"][1]]["shape"]]
            if name == "CONV_2D":
                macs += out_elems * wshape[1] * wshape[2] * wshape[3]
            elif name == "DEPTHWISE_CONV_2D":
                macs += out_elems * wshape[1] * wshape[2]
            else:
                macs += out_elems * wshape[1]
            for idx in op["inputs"][1:]:
                if idx >= 0:
                    params += int(np.prod(tensors[idx]["shape"]))
    return it, hist, order, macs, params


def io_desc(d):
    scale, zp = d["quantization"]
    return {"shape": [int(v) for v in d["shape"]], "dtype": np.dtype(d["dtype"]).name,
            "scale": float(scale), "zero_point": int(zp)}


def run(it, x):
    it.allocate_tensors()
    it.set_tensor(it.get_input_details()[0]["index"], x)
    it.invoke()
    return it.get_tensor(it.get_output_details()[0]["index"]).copy()


def sha256(data):
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- main

def generate(name, builder, data_fn, logits_layer, fc_per_channel, out_dir, seed, versions):
    model_seed = seed + sum(map(ord, name))   # independent of generation order
    keras.utils.set_random_seed(model_seed)
    rng = np.random.default_rng(model_seed)
    model = builder()
    rep = data_fn(rng, N_REPRESENTATIVE)
    calib = rep[:32]
    init_batchnorms(model, calib, rng)
    if logits_layer:
        init_logits(model, logits_layer, calib, rng)

    tfl = convert(model, rep, fc_per_channel)
    path = os.path.join(out_dir, name + ".tflite")
    with open(path, "wb") as f:
        f.write(tfl)

    it, hist, order, macs, params = analyse(path)
    bad = sorted(set(hist) - ALLOWED_OPS)
    if bad:
        raise SystemExit(f"{name}: unexpected ops {bad} (all: {hist})")
    ind, outd = it.get_input_details(), it.get_output_details()
    if len(ind) != 1 or len(outd) != 1:
        raise SystemExit(f"{name}: expected one input and one output")
    inp, out = io_desc(ind[0]), io_desc(outd[0])
    if inp["dtype"] != "int8" or out["dtype"] != "int8":
        raise SystemExit(f"{name}: input/output must be int8, got {inp['dtype']}/{out['dtype']}")

    # Sample inputs: same distribution as the representative set, separate stream.
    srng = np.random.default_rng([model_seed, 1])
    xs = data_fn(srng, N_SAMPLES)
    # LiteRT's optimized kernels without the XNNPACK delegate, for information only.
    opt = Interpreter(model_path=path,
                      experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    samples, outs, opt_match = [], [], True
    for k in range(N_SAMPLES):
        q = np.clip(np.round(xs[k] / inp["scale"]) + inp["zero_point"], -128, 127)
        q = q.astype(np.int8).reshape(inp["shape"])
        fname = f"{name}.input{k}.bin"
        with open(os.path.join(out_dir, fname), "wb") as f:
            f.write(q.tobytes())
        y = run(it, q)
        y_opt = run(opt, q)
        outs.append(y.reshape(-1))
        sample = {"input": fname, "input_sha256": sha256(q.tobytes()),
                  "output_hex": y.tobytes().hex(), "argmax": int(np.argmax(y))}
        if not np.array_equal(y, y_opt):
            opt_match = False
            sample["output_hex_builtin_optimized"] = y_opt.tobytes().hex()
        samples.append(sample)

    # Outputs must vary across inputs and across classes/elements.
    outs = np.stack(outs)
    if all(np.array_equal(outs[0], o) for o in outs[1:]):
        raise SystemExit(f"{name}: int8 outputs identical for all sample inputs")
    if any(len(set(o.tolist())) < 2 for o in outs):
        raise SystemExit(f"{name}: an output tensor has a single value")

    expected = {
        "model": name + ".tflite",
        "model_sha256": sha256(tfl),
        "generator": "python3 tools/gen_models.py",
        "seed": seed,
        "model_seed": model_seed,
        "versions": versions,
        "oracle": "ai_edge_litert.interpreter.Interpreter, OpResolverType.BUILTIN_REF",
        "input": inp,
        "output": out,
        "samples": samples,
        "builtin_optimized_matches_ref": opt_match,
    }
    with open(os.path.join(out_dir, name + ".expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")

    return {"name": name, "bytes": len(tfl), "sha256": sha256(tfl), "ops": hist, "order": order,
            "macs": macs, "params": params, "input": inp, "output": out,
            "opt_match": opt_match, "outs": outs}


README_HEAD = """\
# Bundled models

Small int8 TensorFlow Lite models that ship with mote, for the main job (run every bundled
model and print its results) and for tests. **Generated, not copied**: every file here is
written by

    python3 tools/gen_models.py            # optional: --out models --seed {seed}

(requirements: `tools/requirements.txt`). The real public models in `/work/shared/models`
were only inspected to mirror their layer shapes; none of their bytes are here.

**Weights are synthetic** (seeded He-normal kernels; BatchNorm statistics set from the
model's own activations on seeded random data, with random gamma/beta, then folded by the
converter; softmax logits rescaled so outputs are neither saturated nor constant). They are
not trained: the outputs mean nothing as predictions, but they are exact as arithmetic.

Quantization: full-integer int8 (`TFLITE_BUILTINS_INT8`, int8 input and output), calibrated
on {nrep} seeded random inputs. Conv/depthwise weights int8 per-channel (zero point 0),
FULLY_CONNECTED weights int8 per-tensor (as in the shared reference models; the generator
forces this, TF 2.21 would default to per-channel), biases int32. No QUANTIZE/DEQUANTIZE.
Why per-tensor FC: for per-channel FC, LiteRT 2.3's reference kernel requantizes with single
rounding while its optimized kernel and TFLM use double rounding, so outputs differ by one
LSB now and then and the oracle would be ambiguous.

## Files
- `<name>.tflite`: the model.
- `<name>.input<k>.bin`: sample input k (k = 0..{last}): raw int8 bytes of the input
  tensor, row-major (NHWC), no header. Drawn from the same distribution as the calibration
  data and quantized with the model's input scale/zero point.
- `<name>.expected.json`: for each sample, the output tensor bytes as hex computed by LiteRT
  with the **reference kernels** (`Interpreter(..., experimental_op_resolver_type=
  OpResolverType.BUILTIN_REF)`, the oracle for our tests), plus input/output shape, scale,
  zero point, seed and tool versions. `builtin_optimized_matches_ref` says whether LiteRT's
  optimized kernels (`BUILTIN_WITHOUT_DEFAULT_DELEGATES`, no XNNPACK) gave the same bytes
  (information only; the reference kernels are the oracle). If they differ, the sample also
  carries `output_hex_builtin_optimized`.

## Models
- `kws_dscnn`: keyword-spotting DS-CNN with the shapes of the MLPerf Tiny KWS reference
  model. Input [1,49,10,1] (MFCC-like); CONV 10x4 stride 2 SAME 64ch + BN + ReLU ->
  4 x (depthwise 3x3 + BN + ReLU, pointwise 1x1 64 + BN + ReLU) at 25x5x64 ->
  AVERAGE_POOL 25x5 (full map) -> flatten -> FULLY_CONNECTED 12 -> SOFTMAX. Unlike the
  reference model there is no RESHAPE: the TF 2.21 converter drops the Keras Flatten, so
  FULLY_CONNECTED reads the [1,1,1,64] pool output directly (it flattens its input itself).
- `person_mobilenet`: MobileNet v1 alpha 0.25 on 96x96 grayscale, 2 classes, with the
  layer list of TFLM's person_detect: first layer depthwise 3x3 stride 2 with depth
  multiplier 8 on the 1-channel input (-> 48x48x8; as in person_detect, not a CONV_2D),
  then 13 depthwise-separable blocks (dw 3x3 + pw 1x1, ReLU6, all SAME; pointwise widths
  16,32,32,64,64,128x6,256,256; stride-2 depthwise in blocks 2,4,6,12) -> AVERAGE_POOL 3x3
  -> CONV_2D 1x1 to 2 classes -> RESHAPE [1,2] -> SOFTMAX.
- `anomaly_mlp`: dense autoencoder in the style of MLPerf Tiny anomaly detection, input
  [1,640] -> 128 -> 128 -> 8 -> 128 -> 128 -> 640 (ReLU on all hidden layers, linear
  output, no BN; the MLPerf original has 4 hidden layers of 128 on each side of the 8-unit
  bottleneck, shrunk here to 2 to keep the file small). The last FULLY_CONNECTED has no
  bias tensor (input index -1): the converter drops Keras's all-zero bias.

| model | bytes | MACs | params | ops | input (scale, zp) | output (scale, zp) |
|---|---:|---:|---:|---|---|---|
"""


def write_readme(out_dir, seed, results):
    text = README_HEAD.format(seed=seed, nrep=N_REPRESENTATIVE, last=N_SAMPLES - 1)
    for r in results:
        ops = ", ".join(f"{k}x{v}" for k, v in sorted(r["ops"].items()))
        i, o = r["input"], r["output"]
        text += (f"| {r['name']} | {r['bytes']} | {r['macs']} | {r['params']} | {ops} "
                 f"| {i['shape']} ({i['scale']:.6g}, {i['zero_point']}) "
                 f"| {o['shape']} ({o['scale']:.6g}, {o['zero_point']}) |\n")
    text += ("\nMACs count CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED multiply-accumulates; "
             "params count their weights and biases.\n\n"
             "Known oracle caveat (checked with LiteRT 2.3 and the tflite-micro Python "
             "package): LiteRT's BUILTIN_REF int8 FULLY_CONNECTED requantizes with single "
             "rounding ((acc*M + 2^(s-1)) >> s), while TFLM (and TFLite's classic "
             "SaturatingRoundingDoublingHighMul + RoundingDivideByPOT) uses double rounding. "
             "They differ by one LSB on rare ties, so `anomaly_mlp` samples 0 and 2 differ "
             "from TFLM in a few output bytes; CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D and "
             "SOFTMAX agree byte for byte on these models.\n\n"
             "Determinism: the script seeds Keras, NumPy and the data; rerunning it with the "
             "same tool versions gives identical files (checked: repeated runs with TF 2.21.0, "
             "LiteRT 2.3.0, NumPy 2.4.6 gave the same sha256 for every file). "
             "If a different TF/LiteRT version changes the bytes, regenerate and commit both "
             "the models and their expected outputs together.\n")
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--out", default=os.path.join(repo, "models"),
                    help="output folder (default: <repo>/models)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--only", nargs="*", help="generate only these models (README is skipped)")
    args = ap.parse_args()

    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.experimental.enable_op_determinism()
    os.makedirs(args.out, exist_ok=True)
    versions = {"tensorflow": tf.__version__, "ai_edge_litert": md.version("ai-edge-litert"),
                "numpy": np.__version__, "keras": keras.__version__ if hasattr(keras, "__version__")
                else md.version("keras")}

    t0 = time.time()
    results = []
    for name, builder, data_fn, logits, fc_pc in MODELS:
        if args.only and name not in args.only:
            continue
        t = time.time()
        r = generate(name, builder, data_fn, logits, fc_pc, args.out, args.seed, versions)
        results.append(r)
        ops = " ".join(r["order"]) if len(r["order"]) <= 16 else \
            ", ".join(f"{k}x{v}" for k, v in sorted(r["ops"].items()))
        print(f"{name}: {r['bytes']} B, {r['macs']} MACs, {r['params']} params, "
              f"in {r['input']['shape']} s={r['input']['scale']:.6g} zp={r['input']['zero_point']}, "
              f"out {r['output']['shape']} s={r['output']['scale']:.6g} zp={r['output']['zero_point']}, "
              f"ref==opt {r['opt_match']}, {time.time() - t:.1f}s\n  ops: {ops}")
        for k, o in enumerate(r["outs"]):
            head = o[:12].tolist()
            print(f"  sample {k}: {head}{' ...' if o.size > 12 else ''}")
    if not args.only:
        write_readme(args.out, args.seed, results)
    print(f"done in {time.time() - t0:.1f}s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
