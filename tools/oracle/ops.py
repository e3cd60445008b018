"""Single-op model builders for the oracle.

Every builder has the signature ``build(p, dt, q) -> (model_bytes, inputs)``:

- ``p``  case parameters (JSON-able values; float weights live under keys that
  start with ``_`` and are not written to the manifest);
- ``dt`` ``"int8"`` or ``"float32"``;
- ``q``  activation quantization for int8 models: ``{"in": [(scale, zp), ...],
  "out": (scale, zp)}`` (None for float models);
- ``inputs`` is a list of ``(name, shape, dtype)`` of the graph inputs, in order.

The int8 model of a case is built from the same float weights as its float
model: weights/biases are quantized here, the output range is calibrated by
the driver (gen_cases.py) by running the float model on representative data.
"""

import math
import numpy as np
from tflbuild import (ModelBuilder, S, BO, BOpt, ACT, PAD, quantize_weights,
                      quantize_bias)

F32 = np.float32
I8 = np.int8


def _act_io(mb, dt, q, shape, name, idx, is_out=False):
    """Activation tensor (graph input or output)."""
    if dt == "float32":
        return mb.tensor(name, shape, F32)
    s, z = q["out"] if is_out else q["in"][idx]
    return mb.tensor(name, shape, I8, quant=([s], [z], 0))


def conv_out_dim(n, k, s, d, padding):
    ke = (k - 1) * d + 1
    if padding == "SAME":
        return (n + s - 1) // s
    return (n - ke + s) // s


# --------------------------------------------------------------------------
# CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED


def _weights_and_bias(mb, dt, q, w, b, per_channel, axis, nout):
    """Add weight and bias tensors; returns (w_idx, b_idx)."""
    if dt == "float32":
        wi = mb.tensor("weights", w.shape, F32, data=w.astype(F32))
        bi = -1 if b is None else mb.tensor("bias", b.shape, F32, data=b.astype(F32))
        return wi, bi
    s_in = q["in"][0][0]
    wq, ws = quantize_weights(w, per_channel, axis)
    wi = mb.tensor("weights", w.shape, I8, data=wq,
                   quant=(ws, [0] * len(ws), axis if per_channel else 0))
    if b is None:
        return wi, -1
    bq, bs = quantize_bias(b, s_in, ws)
    bi = mb.tensor("bias", b.shape, np.int32, data=bq,
                   quant=(bs, [0] * len(bs), 0))
    return wi, bi


def conv_out_shape(p):
    n, h, w, _ = p["in_shape"]
    kh, kw = p["kernel"]
    sh, sw = p["stride"]
    dh, dw = p.get("dilation", [1, 1])
    oh = conv_out_dim(h, kh, sh, dh, p["padding"])
    ow = conv_out_dim(w, kw, sw, dw, p["padding"])
    return [n, oh, ow]


def build_conv_2d(p, dt, q):
    mb = ModelBuilder()
    n, oh, ow = conv_out_shape(p)
    cout = p["cout"]
    x = _act_io(mb, dt, q, p["in_shape"], "input", 0)
    w = p["_w"]  # [cout, kh, kw, cin]
    b = p.get("_b")
    wi, bi = _weights_and_bias(mb, dt, q, w, b, p.get("per_channel", True), 0, cout)
    y = _act_io(mb, dt, q, [n, oh, ow, cout], "output", 0, is_out=True)
    o = S.Conv2DOptionsT()
    o.padding = PAD[p["padding"]]
    o.strideH, o.strideW = p["stride"]
    o.dilationHFactor, o.dilationWFactor = p.get("dilation", [1, 1])
    o.fusedActivationFunction = ACT[p.get("act", "NONE")]
    # no bias: two inputs (LiteRT's conv treats a third input as present)
    mb.op(BO.CONV_2D, [x, wi] if bi < 0 else [x, wi, bi], [y], BOpt.Conv2DOptions, o,
          version=3 if dt == "int8" else 1)
    return mb.finish([x], [y]), [("input", p["in_shape"], dt)]


def build_depthwise_conv_2d(p, dt, q):
    mb = ModelBuilder()
    n, oh, ow = conv_out_shape(p)
    cin = p["in_shape"][3]
    m = p["depth_multiplier"]
    cout = cin * m
    x = _act_io(mb, dt, q, p["in_shape"], "input", 0)
    w = p["_w"]  # [1, kh, kw, cin*m]
    b = p.get("_b")
    wi, bi = _weights_and_bias(mb, dt, q, w, b, p.get("per_channel", True), 3, cout)
    y = _act_io(mb, dt, q, [n, oh, ow, cout], "output", 0, is_out=True)
    o = S.DepthwiseConv2DOptionsT()
    o.padding = PAD[p["padding"]]
    o.strideH, o.strideW = p["stride"]
    o.dilationHFactor, o.dilationWFactor = p.get("dilation", [1, 1])
    o.depthMultiplier = m
    o.fusedActivationFunction = ACT[p.get("act", "NONE")]
    if dt == "int8":
        ver = 3
    else:
        ver = 2 if list(p.get("dilation", [1, 1])) != [1, 1] else 1
    mb.op(BO.DEPTHWISE_CONV_2D, [x, wi] if bi < 0 else [x, wi, bi], [y], BOpt.DepthwiseConv2DOptions, o,
          version=ver)
    return mb.finish([x], [y]), [("input", p["in_shape"], dt)]


def fc_out_shape(p):
    ish = p["in_shape"]
    nin = p["_w"].shape[1]
    if p.get("keep_num_dims"):
        return list(ish[:-1]) + [p["_w"].shape[0]]
    return [int(np.prod(ish)) // nin, p["_w"].shape[0]]


def build_fully_connected(p, dt, q):
    mb = ModelBuilder()
    w = p["_w"]  # [out, in]
    b = p.get("_b")
    x = _act_io(mb, dt, q, p["in_shape"], "input", 0)
    wi, bi = _weights_and_bias(mb, dt, q, w, b, p.get("per_channel", False), 0, w.shape[0])
    y = _act_io(mb, dt, q, fc_out_shape(p), "output", 0, is_out=True)
    o = S.FullyConnectedOptionsT()
    o.fusedActivationFunction = ACT[p.get("act", "NONE")]
    o.keepNumDims = bool(p.get("keep_num_dims", False))
    # no bias: optional input -1, as the converter writes it
    ins = [x, wi, bi]
    if o.keepNumDims:
        ver = 5
    elif dt == "int8":
        ver = 4
    else:
        ver = 1
    mb.op(BO.FULLY_CONNECTED, ins, [y], BOpt.FullyConnectedOptions, o, version=ver)
    return mb.finish([x], [y]), [("input", p["in_shape"], dt)]


# --------------------------------------------------------------------------
# pooling, softmax, unary


def pool_out_shape(p):
    n, h, w, c = p["in_shape"]
    fh, fw = p["filter"]
    sh, sw = p["stride"]
    return [n, conv_out_dim(h, fh, sh, 1, p["padding"]),
            conv_out_dim(w, fw, sw, 1, p["padding"]), c]


def _build_pool(code):
    def build(p, dt, q):
        mb = ModelBuilder()
        x = _act_io(mb, dt, q, p["in_shape"], "input", 0)
        y = _act_io(mb, dt, q, pool_out_shape(p), "output", 0, is_out=True)
        o = S.Pool2DOptionsT()
        o.padding = PAD[p["padding"]]
        o.strideH, o.strideW = p["stride"]
        o.filterHeight, o.filterWidth = p["filter"]
        o.fusedActivationFunction = ACT[p.get("act", "NONE")]
        mb.op(code, [x], [y], BOpt.Pool2DOptions, o, version=2 if dt == "int8" else 1)
        return mb.finish([x], [y]), [("input", p["in_shape"], dt)]
    return build


build_average_pool_2d = _build_pool(BO.AVERAGE_POOL_2D)
build_max_pool_2d = _build_pool(BO.MAX_POOL_2D)


def build_softmax(p, dt, q):
    mb = ModelBuilder()
    x = _act_io(mb, dt, q, p["in_shape"], "input", 0)
    y = _act_io(mb, dt, q, p["in_shape"], "output", 0, is_out=True)
    o = S.SoftmaxOptionsT()
    o.beta = float(p.get("beta", 1.0))
    mb.op(BO.SOFTMAX, [x], [y], BOpt.SoftmaxOptions, o, version=2 if dt == "int8" else 1)
    return mb.finish([x], [y]), [("input", p["in_shape"], dt)]


def _build_unary(code, int8_version):
    def build(p, dt, q):
        mb = ModelBuilder()
        x = _act_io(mb, dt, q, p["in_shape"], "input", 0)
        y = _act_io(mb, dt, q, p["in_shape"], "output", 0, is_out=True)
        mb.op(code, [x], [y], version=int8_version if dt == "int8" else 1)
        return mb.finish([x], [y]), [("input", p["in_shape"], dt)]
    return build


build_logistic = _build_unary(BO.LOGISTIC, 2)
build_tanh = _build_unary(BO.TANH, 2)
build_relu = _build_unary(BO.RELU, 2)
build_relu6 = _build_unary(BO.RELU6, 2)


def build_quantize(p, dt, q):
    """p['src'] in {'float32', 'int8'}; output int8. q given explicitly."""
    mb = ModelBuilder()
    if p["src"] == "float32":
        x = mb.tensor("input", p["in_shape"], F32)
    else:
        s, z = q["in"][0]
        x = mb.tensor("input", p["in_shape"], I8, quant=([s], [z], 0))
    s, z = q["out"]
    y = mb.tensor("output", p["in_shape"], I8, quant=([s], [z], 0))
    mb.op(BO.QUANTIZE, [x], [y], version=1)
    return mb.finish([x], [y]), [("input", p["in_shape"], p["src"])]


def build_dequantize(p, dt, q):
    mb = ModelBuilder()
    s, z = q["in"][0]
    x = mb.tensor("input", p["in_shape"], I8, quant=([s], [z], 0))
    y = mb.tensor("output", p["in_shape"], F32)
    mb.op(BO.DEQUANTIZE, [x], [y], version=2)
    return mb.finish([x], [y]), [("input", p["in_shape"], "int8")]


# --------------------------------------------------------------------------
# shape ops


def build_reshape(p, dt, q):
    mb = ModelBuilder()
    x = _act_io(mb, dt, q, p["in_shape"], "input", 0)
    ins = [x]
    if p.get("shape_input", True):
        spec = p["new_shape_spec"]
        ins.append(mb.tensor("shape", [len(spec)], np.int32, data=np.array(spec, np.int32)))
    # output quantization equals the input's (RESHAPE copies bytes)
    if dt == "int8":
        y = mb.tensor("output", p["out_shape"], I8, quant=([q["in"][0][0]], [q["in"][0][1]], 0))
    else:
        y = mb.tensor("output", p["out_shape"], F32)
    o = None
    if p.get("options", True):
        o = S.ReshapeOptionsT()
        o.newShape = list(p["out_shape"])
    mb.op(BO.RESHAPE, ins, [y], BOpt.ReshapeOptions if o else 0, o, version=1)
    return mb.finish([x], [y]), [("input", p["in_shape"], dt)]


def build_squeeze(p, dt, q):
    mb = ModelBuilder()
    x = _act_io(mb, dt, q, p["in_shape"], "input", 0)
    if dt == "int8":
        y = mb.tensor("output", p["out_shape"], I8, quant=([q["in"][0][0]], [q["in"][0][1]], 0))
    else:
        y = mb.tensor("output", p["out_shape"], F32)
    o = S.SqueezeOptionsT()
    o.squeezeDims = list(p["squeeze_dims"])
    mb.op(BO.SQUEEZE, [x], [y], BOpt.SqueezeOptions, o, version=1)
    return mb.finish([x], [y]), [("input", p["in_shape"], dt)]


def build_pad(p, dt, q):
    mb = ModelBuilder()
    x = _act_io(mb, dt, q, p["in_shape"], "input", 0)
    pads = np.array(p["paddings"], dtype=np.int64 if p.get("pad_i64") else np.int32)
    pi = mb.tensor("paddings", pads.shape, pads.dtype, data=pads)
    out_shape = [d + a + b for d, (a, b) in zip(p["in_shape"], p["paddings"])]
    if dt == "int8":
        y = mb.tensor("output", out_shape, I8, quant=([q["in"][0][0]], [q["in"][0][1]], 0))
    else:
        y = mb.tensor("output", out_shape, F32)
    rank = len(p["in_shape"])
    ver = 4 if rank > 4 else (2 if dt == "int8" else 1)
    mb.op(BO.PAD, [x, pi], [y], BOpt.PadOptions, S.PadOptionsT(), version=ver)
    return mb.finish([x], [y]), [("input", p["in_shape"], dt)]


def mean_out_shape(p):
    ish = p["in_shape"]
    r = len(ish)
    axes = sorted(set(a % r for a in p["axis"]))
    if p["keep_dims"]:
        return [1 if i in axes else d for i, d in enumerate(ish)]
    return [d for i, d in enumerate(ish) if i not in axes]


def build_mean(p, dt, q):
    mb = ModelBuilder()
    x = _act_io(mb, dt, q, p["in_shape"], "input", 0)
    ax = np.array(p["axis"], np.int32)
    ai = mb.tensor("axis", [len(ax)], np.int32, data=ax)
    y = _act_io(mb, dt, q, mean_out_shape(p), "output", 0, is_out=True)
    o = S.ReducerOptionsT()
    o.keepDims = bool(p["keep_dims"])
    mb.op(BO.MEAN, [x, ai], [y], BOpt.ReducerOptions, o, version=2 if dt == "int8" else 1)
    return mb.finish([x], [y]), [("input", p["in_shape"], dt)]


# --------------------------------------------------------------------------
# binary elementwise and concatenation


def bcast_shape(a, b):
    r = max(len(a), len(b))
    a = [1] * (r - len(a)) + list(a)
    b = [1] * (r - len(b)) + list(b)
    out = []
    for x, y in zip(a, b):
        assert x == y or x == 1 or y == 1, (a, b)
        out.append(max(x, y))
    return out


def _build_binary(code, opt_type, opt_cls):
    def build(p, dt, q):
        mb = ModelBuilder()
        s1, s2 = p["shape1"], p["shape2"]
        x1 = _act_io(mb, dt, q, s1, "input1", 0)
        graph_inputs = [x1]
        specs = [("input1", s1, dt)]
        if p.get("const2"):
            c = p["_c2"]
            if dt == "float32":
                x2 = mb.tensor("const2", s2, F32, data=c.astype(F32))
            else:
                s, z = q["in"][1]
                cq = np.clip(np.round(c / s) + z, -128, 127).astype(I8)
                x2 = mb.tensor("const2", s2, I8, data=cq, quant=([s], [z], 0))
        else:
            x2 = _act_io(mb, dt, q, s2, "input2", 1)
            graph_inputs.append(x2)
            specs.append(("input2", s2, dt))
        oshape = bcast_shape(s1, s2)
        y = _act_io(mb, dt, q, oshape, "output", 0, is_out=True)
        o = opt_cls()
        o.fusedActivationFunction = ACT[p.get("act", "NONE")]
        ver = 1
        if dt == "int8":
            ver = 2
            if code == BO.MUL:
                r = q["in"][0][0] * q["in"][1][0] / q["out"][0]
                if r >= 1.0:
                    ver = 3
        if code == BO.SUB and list(s1) != list(s2) and max(len(s1), len(s2)) > 4:
            ver = 3
        mb.op(code, [x1, x2], [y], opt_type, o, version=ver)
        return mb.finish(graph_inputs, [y]), specs
    return build


build_add = _build_binary(BO.ADD, BOpt.AddOptions, S.AddOptionsT)
build_sub = _build_binary(BO.SUB, BOpt.SubOptions, S.SubOptionsT)
build_mul = _build_binary(BO.MUL, BOpt.MulOptions, S.MulOptionsT)


def concat_out_shape(p):
    shapes = p["shapes"]
    r = len(shapes[0])
    ax = p["axis"] % r
    out = list(shapes[0])
    out[ax] = sum(s[ax] for s in shapes)
    return out


def build_concatenation(p, dt, q):
    mb = ModelBuilder()
    ins, specs, gins = [], [], []
    consts = p.get("const_inputs", [])
    for i, shp in enumerate(p["shapes"]):
        if i in consts:
            c = p["_consts"][str(i)]
            if dt == "float32":
                t = mb.tensor("const%d" % i, shp, F32, data=c.astype(F32))
            else:
                s, z = q["in"][i]
                cq = np.clip(np.round(c / s) + z, -128, 127).astype(I8)
                t = mb.tensor("const%d" % i, shp, I8, data=cq, quant=([s], [z], 0))
        else:
            t = _act_io(mb, dt, q, shp, "input%d" % i, i)
            gins.append(t)
            specs.append(("input%d" % i, shp, dt))
        ins.append(t)
    y = _act_io(mb, dt, q, concat_out_shape(p), "output", 0, is_out=True)
    o = S.ConcatenationOptionsT()
    o.axis = p["axis"]
    o.fusedActivationFunction = ACT[p.get("act", "NONE")]
    mb.op(BO.CONCATENATION, ins, [y], BOpt.ConcatenationOptions, o,
          version=2 if dt == "int8" else 1)
    return mb.finish(gins, [y]), specs


BUILDERS = {
    "CONV_2D": build_conv_2d,
    "DEPTHWISE_CONV_2D": build_depthwise_conv_2d,
    "FULLY_CONNECTED": build_fully_connected,
    "AVERAGE_POOL_2D": build_average_pool_2d,
    "MAX_POOL_2D": build_max_pool_2d,
    "SOFTMAX": build_softmax,
    "RESHAPE": build_reshape,
    "SQUEEZE": build_squeeze,
    "ADD": build_add,
    "SUB": build_sub,
    "MUL": build_mul,
    "QUANTIZE": build_quantize,
    "DEQUANTIZE": build_dequantize,
    "LOGISTIC": build_logistic,
    "TANH": build_tanh,
    "RELU": build_relu,
    "RELU6": build_relu6,
    "CONCATENATION": build_concatenation,
    "PAD": build_pad,
    "MEAN": build_mean,
}
