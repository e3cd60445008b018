"""Oracle cases produced by the real TFLiteConverter (group 'cv').

The bulk of the suite is written directly as flatbuffers (ops.py); these cases
make sure the suite also holds models exactly as the converter writes them
(signature defs, shape signatures, its own quantization choices, bias layout,
op versions, per-tensor weights via ``_experimental_disable_per_channel``).

Each model is a tf.function holding one TF op (plus a bias add / activation
that the converter fuses) converted with full-integer quantization on a
seeded representative dataset, int8 input and output; float variants are
converted without optimizations. The driver (gen_cases.py) keeps a case only
if the converted model holds exactly the intended operator.
"""

import os
import zlib

import numpy as np

_TF = None


def _tf():
    global _TF
    if _TF is None:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow as tf  # noqa: F401
        tf.get_logger().setLevel("ERROR")
        _TF = tf
    return _TF


def _convert(fn, in_shapes, dt, rng, rep_range, per_channel=True):
    tf = _tf()
    sig = [tf.TensorSpec(s, tf.float32) for s in in_shapes]
    f = tf.function(fn, input_signature=sig)
    cf = f.get_concrete_function()
    conv = tf.lite.TFLiteConverter.from_concrete_functions([cf], f)
    if dt == "int8":
        lo, hi = rep_range
        reps = [[rng.uniform(lo, hi, size=s).astype(np.float32) for s in in_shapes]
                for _ in range(32)]

        def rep():
            for r in reps:
                yield r
        conv.optimizations = [tf.lite.Optimize.DEFAULT]
        conv.representative_dataset = rep
        conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        conv.inference_input_type = tf.int8
        conv.inference_output_type = tf.int8
        if not per_channel:
            conv._experimental_disable_per_channel = True
            # TF >= 2.16 quantizes FULLY_CONNECTED weights per channel by default
            conv._experimental_disable_per_channel_quantization_for_dense_layers = True
    return conv.convert()


def _act(tf, x, act):
    if act == "RELU":
        return tf.nn.relu(x)
    if act == "RELU6":
        return tf.nn.relu6(x)
    if act == "RELU_N1_TO_1":
        return tf.clip_by_value(x, -1.0, 1.0)
    return x


def _conv(rng, ish, k, cout, stride, pad, dil=(1, 1), act="NONE"):
    tf = _tf()
    cin = ish[3]
    w = (rng.standard_normal((k[0], k[1], cin, cout)) / np.sqrt(k[0] * k[1] * cin)).astype(np.float32)
    b = (rng.standard_normal(cout) * 0.3).astype(np.float32)

    def fn(x):
        y = tf.nn.conv2d(x, w, strides=[1, stride[0], stride[1], 1], padding=pad,
                         dilations=[1, dil[0], dil[1], 1]) + b
        return _act(tf, y, act)
    return fn


def _dw(rng, ish, k, mult, stride, pad, dil=(1, 1), act="NONE"):
    tf = _tf()
    cin = ish[3]
    w = (rng.standard_normal((k[0], k[1], cin, mult)) / np.sqrt(k[0] * k[1])).astype(np.float32)
    b = (rng.standard_normal(cin * mult) * 0.3).astype(np.float32)

    def fn(x):
        y = tf.nn.depthwise_conv2d(x, w, strides=[1, stride[0], stride[1], 1], padding=pad,
                                   dilations=list(dil)) + b
        return _act(tf, y, act)
    return fn


def _fc(rng, ish, nout, bias=True, act="NONE"):
    tf = _tf()
    nin = ish[-1]
    w = (rng.standard_normal((nin, nout)) / np.sqrt(nin)).astype(np.float32)
    b = (rng.standard_normal(nout) * 0.3).astype(np.float32)

    def fn(x):
        if len(ish) == 2:
            y = tf.matmul(x, w)
        else:
            y = tf.tensordot(x, w, axes=[[len(ish) - 1], [0]])
        if bias:
            y = y + b
        return _act(tf, y, act)
    return fn


def _specs(op, rng):
    """(name, dtype, in_shapes, fn, rep_range, per_channel) for op."""
    tf = _tf()
    S = []

    def add(name, dts, shapes, fn, rep=(-1.0, 1.0), pc=True):
        for dt in dts:
            S.append((name, dt, shapes, fn, rep, pc))

    if op == "CONV_2D":
        add("k3x3_s2x2_same_1x16x16x3_o8_relu6_img", ["int8", "float32"], [[1, 16, 16, 3]],
            _conv(rng, [1, 16, 16, 3], (3, 3), 8, (2, 2), "SAME", act="RELU6"), (0.0, 1.0))
        add("k1x1_s1x1_same_1x6x6x16_o24_relu", ["int8", "float32"], [[1, 6, 6, 16]],
            _conv(rng, [1, 6, 6, 16], (1, 1), 24, (1, 1), "SAME", act="RELU"), (-2.0, 6.0))
        add("k5x5_s2x2_valid_1x11x11x5_o7_none", ["int8"], [[1, 11, 11, 5]],
            _conv(rng, [1, 11, 11, 5], (5, 5), 7, (2, 2), "VALID"))
        add("k3x3_s1x1_same_d2x2_1x9x9x4_o6_none", ["int8", "float32"], [[1, 9, 9, 4]],
            _conv(rng, [1, 9, 9, 4], (3, 3), 6, (1, 1), "SAME", dil=(2, 2)))
        add("k3x3_s1x1_same_1x8x8x8_o16_relu_pt", ["int8"], [[1, 8, 8, 8]],
            _conv(rng, [1, 8, 8, 8], (3, 3), 16, (1, 1), "SAME", act="RELU"), pc=False)
        add("k7x1_s1x1_valid_2x10x4x2_o3_none", ["int8"], [[2, 10, 4, 2]],
            _conv(rng, [2, 10, 4, 2], (7, 1), 3, (1, 1), "VALID"), (-3.0, 0.0))
        add("k1x5_s1x2_same_1x4x12x13_o5_relun1", ["int8"], [[1, 4, 12, 13]],
            _conv(rng, [1, 4, 12, 13], (1, 5), 5, (1, 2), "SAME", act="RELU_N1_TO_1"))
    elif op == "DEPTHWISE_CONV_2D":
        add("k3x3_s1x1_same_1x8x8x8_m1_relu6", ["int8", "float32"], [[1, 8, 8, 8]],
            _dw(rng, [1, 8, 8, 8], (3, 3), 1, (1, 1), "SAME", act="RELU6"), (0.0, 6.0))
        add("k3x3_s2x2_same_1x9x9x4_m2_relu", ["int8", "float32"], [[1, 9, 9, 4]],
            _dw(rng, [1, 9, 9, 4], (3, 3), 2, (2, 2), "SAME", act="RELU"))
        add("k10x8_s2x2_same_1x16x10x1_m8_relu", ["int8"], [[1, 16, 10, 1]],
            _dw(rng, [1, 16, 10, 1], (10, 8), 8, (2, 2), "SAME", act="RELU"), (0.0, 26.0))
        add("k5x5_s1x1_valid_d2x2_1x12x12x6_m1_none", ["int8"], [[1, 12, 12, 6]],
            _dw(rng, [1, 12, 12, 6], (5, 5), 1, (1, 1), "VALID", dil=(2, 2)))
        add("k3x3_s1x1_same_1x6x6x16_m1_none_pt", ["int8"], [[1, 6, 6, 16]],
            _dw(rng, [1, 6, 6, 16], (3, 3), 1, (1, 1), "SAME"), pc=False)
        add("k3x3_s2x2_valid_1x7x7x3_m8_none", ["int8"], [[1, 7, 7, 3]],
            _dw(rng, [1, 7, 7, 3], (3, 3), 8, (2, 2), "VALID"), (-1.0, 0.0))
    elif op == "FULLY_CONNECTED":
        add("1x64_o10_relu", ["int8", "float32"], [[1, 64]], _fc(rng, [1, 64], 10, act="RELU"))
        add("3x17_o5_none", ["int8", "float32"], [[3, 17]], _fc(rng, [3, 17], 5), (0.0, 4.0))
        add("1x100_o12_nobias", ["int8"], [[1, 100]], _fc(rng, [1, 100], 12, bias=False))
        add("2x4x8_o6_none", ["int8", "float32"], [[2, 4, 8]], _fc(rng, [2, 4, 8], 6))
        add("1x33_o7_relu6", ["int8"], [[1, 33]], _fc(rng, [1, 33], 7, act="RELU6"))
        add("2x40_o9_relu_pt", ["int8"], [[2, 40]], _fc(rng, [2, 40], 9, act="RELU"), pc=False)
    elif op in ("AVERAGE_POOL_2D", "MAX_POOL_2D"):
        pool = tf.nn.avg_pool2d if op == "AVERAGE_POOL_2D" else tf.nn.max_pool2d
        for nm, ish, k, s, pad, rep in [
                ("f2x2_s2x2_valid_1x8x8x5", [1, 8, 8, 5], 2, 2, "VALID", (-1.0, 1.0)),
                ("f3x3_s1x1_same_1x6x6x7", [1, 6, 6, 7], 3, 1, "SAME", (0.0, 6.0)),
                ("f3x3_s2x2_same_1x9x9x3", [1, 9, 9, 3], 3, 2, "SAME", (-4.0, 0.0)),
                ("f7x7_s7x7_valid_1x7x7x16_global", [1, 7, 7, 16], 7, 7, "VALID", (0.0, 2.0))]:
            add(nm, ["int8", "float32"], [ish],
                (lambda k, s, pad: (lambda x: pool(x, k, s, pad)))(k, s, pad), rep)
    elif op == "SOFTMAX":
        add("1x10", ["int8", "float32"], [[1, 10]], lambda x: tf.nn.softmax(x), (-6.0, 6.0))
        add("2x33", ["int8"], [[2, 33]], lambda x: tf.nn.softmax(x), (-10.0, 3.0))
        add("1x4x4x12", ["int8"], [[1, 4, 4, 12]], lambda x: tf.nn.softmax(x), (-2.0, 2.0))
    elif op in ("ADD", "SUB", "MUL"):
        f = {"ADD": tf.add, "SUB": tf.subtract, "MUL": tf.multiply}[op]
        c = rng.uniform(-2, 2, size=[1, 1, 1, 8]).astype(np.float32)
        add("1x4x4x8_1x4x4x8", ["int8", "float32"], [[1, 4, 4, 8], [1, 4, 4, 8]],
            lambda a, b: f(a, b))
        add("1x4x4x8_1x1x1x8", ["int8"], [[1, 4, 4, 8], [1, 1, 1, 8]], lambda a, b: f(a, b),
            (0.0, 3.0))
        add("1x4x4x8_const1x1x1x8", ["int8", "float32"], [[1, 4, 4, 8]], lambda a: f(a, c))
        add("2x9_2x9_relu", ["int8"], [[2, 9], [2, 9]], lambda a, b: tf.nn.relu(f(a, b)))
    elif op in ("LOGISTIC", "TANH", "RELU", "RELU6"):
        f = {"LOGISTIC": tf.sigmoid, "TANH": tf.tanh, "RELU": tf.nn.relu,
             "RELU6": tf.nn.relu6}[op]
        add("1x8x8x4", ["int8", "float32"], [[1, 8, 8, 4]], lambda x: f(x), (-8.0, 8.0))
        add("2x33", ["int8"], [[2, 33]], lambda x: f(x), (-3.0, 1.0))
    elif op == "CONCATENATION":
        add("1x4x4x3_1x4x4x5_ax3", ["int8", "float32"], [[1, 4, 4, 3], [1, 4, 4, 5]],
            lambda a, b: tf.concat([a, b], axis=3))
        add("1x5_1x7_ax1", ["int8"], [[1, 5], [1, 7]], lambda a, b: tf.concat([a, b], axis=1),
            (0.0, 2.0))
    elif op == "PAD":
        add("1x5x5x3_p1111", ["int8", "float32"], [[1, 5, 5, 3]],
            lambda x: tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]))
        add("1x6x6x8_p0101", ["int8"], [[1, 6, 6, 8]],
            lambda x: tf.pad(x, [[0, 0], [0, 1], [0, 1], [0, 0]]), (0.0, 6.0))
    elif op == "MEAN":
        add("1x7x7x16_ax1_2_keep", ["int8", "float32"], [[1, 7, 7, 16]],
            lambda x: tf.reduce_mean(x, axis=[1, 2], keepdims=True), (0.0, 6.0))
        add("1x4x4x8_ax1_2", ["int8"], [[1, 4, 4, 8]],
            lambda x: tf.reduce_mean(x, axis=[1, 2]))
        add("2x10_ax1", ["int8"], [[2, 10]], lambda x: tf.reduce_mean(x, axis=[1]))
    elif op == "RESHAPE":
        add("1x4x4x8_to_1x128", ["int8", "float32"], [[1, 4, 4, 8]],
            lambda x: tf.reshape(x, [1, 128]))
        add("1x49x10x1_to_1x490", ["int8"], [[1, 49, 10, 1]], lambda x: tf.reshape(x, [1, 490]))
    # SQUEEZE: none; the converter rewrites tf.squeeze as RESHAPE.
    return S


def cases_for(op, seed):
    """Converter-built cases for op (possibly empty)."""
    rng = np.random.default_rng([seed, zlib.crc32(("cv/" + op).encode())])
    specs = _specs(op, rng)
    out = []
    if not specs:
        return out
    from ai_edge_litert.interpreter import Interpreter
    for name, dt, shapes, fn, rep, pc in specs:
        case = {"group": "cv", "dtype": dt, "source": "converter", "name": name,
                "p": {"in_shapes": shapes, "rep_range": list(rep),
                      "per_channel": pc if dt == "int8" else None}}
        try:
            model = _convert(fn, shapes, dt, rng, rep, pc)
        except Exception as e:  # noqa: BLE001
            case["convert_error"] = str(e).strip().splitlines()[-1][:300]
            case["model"] = None
            out.append(case)
            continue
        it = Interpreter(model_content=model)
        specs_io = [(d["name"], [int(x) for x in d["shape"]], np.dtype(d["dtype"]).name)
                    for d in it.get_input_details()]
        case["model"] = model
        case["specs"] = specs_io
        case["frange"] = 2.0
        out.append(case)
    return out
